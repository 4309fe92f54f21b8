"""Loads the seed's budget, goals and projects into a running system the way an
administration's systems would: commands on their own inbound subjects, through the public
contracts only; and the organisation tree the way a planner enters it, over HTTP, since no
system is given changes to the tree in `up`'s register of systems."""

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from contracts.budget.commands import CloseUnit, MoveUnit, RegisterUnit, RenameUnit
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from contracts.goals.commands import AdoptGoal
from contracts.goals.service import GOALS
from contracts.projects.commands import ReportProjectStatus
from contracts.projects.service import PROJECTS
from contracts.service import WriteService
from kommunplan import local_identity
from plumbing.command_handler import DUPLICATE
from plumbing.jetstream import connect
from services.budget.demo_data import demo_commands
from services.budget.example_data import example_commands
from services.goals.demo_data import goals_demo_commands, goals_demo_measurements
from services.projects.demo_data import projects_demo_commands
from services.projects.demo_data import projects_demo_count as projects_demo_count

DEMO_SYSTEM = "ekonomisystem"
"""Sends the budget's figures, actuals, forecasts, net investments and texts."""
TREE_CHANGES = (RegisterUnit, RenameUnit, MoveUnit, CloseUnit)
"""What a planner enters over HTTP rather than a system over NATS."""
DEMO_PLANNER = "demo"
"""The planner's subject in its token: the actor stored with the tree's events, as the
demo's commands name it."""
GOALS_PLANNING_SYSTEM = "planeringssystem"
"""Sends the goals catalogue: perspectives, goals, commitments, indicators, notes."""
GOALS_STATISTICS_SYSTEM = "statistiksystem"
"""Sends the measured values."""
PROJECTS_PLANNING_SYSTEM = "planeringssystem"
"""Sends the project register: projects, decisions, steps, financing, links to result goals."""
PROJECTS_TOOL_SYSTEM = "projektverktyg"
"""Sends the projects' status reports."""


async def publish_commands(
    nats_url: str,
    commands: list[Command],
    system: str,
    password: SecretStr | None = None,
    service: WriteService = BUDGET,
) -> None:
    """Send on ``service``'s inbound subjects as ``system``'s NATS user when given its password;
    otherwise without a user."""
    nc, js = await connect(nats_url, system, system if password is not None else None, password)
    try:
        acks = []
        for command in commands:
            acks.append(
                await js.publish_async(
                    service.inbound_subject(system, command.command_name),
                    command.model_dump_json().encode(),
                    headers={"Nats-Msg-Id": str(command.message_id)},
                )
            )
        await asyncio.gather(*acks)
    finally:
        await nc.drain()


@dataclass(frozen=True)
class Planner:
    """A person with the planner's role at a write service's HTTP API."""

    url: str  # the service's, e.g. http://127.0.0.1:8001
    token: str


def demo_planner(budget_url: str, data_dir: Path) -> Planner:
    """The planner the demo's tree is entered as, with a token signed by the stack's own
    key (kommunplan.local_identity), for every unit."""
    token = local_identity.issue_token(data_dir, ["planner"], ["*"], DEMO_PLANNER, hours=1)
    return Planner(budget_url, token)


def _post(planner: Planner, command: Command) -> None:
    request = urllib.request.Request(
        f"{planner.url}/api/{command.command_name}",
        data=command.model_dump_json().encode(),
        headers={"Authorization": f"Bearer {planner.token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30):
            return
    except urllib.error.HTTPError as error:
        answer = error.read()
        if error.code == 422 and _only_duplicates(answer):
            return  # entered by an earlier load that stopped half-way
        raise RuntimeError(
            f"{command.command_name} refused by {planner.url}: {error.code} {answer[:500]!r}"
        ) from None


def _only_duplicates(answer: bytes) -> bool:
    try:
        problems = json.loads(answer).get("problems") or []
    except (ValueError, AttributeError):
        return False
    return bool(problems) and all(p.get("message") == DUPLICATE for p in problems)


async def post_commands(planner: Planner, commands: Sequence[Command]) -> None:
    """Enter ``commands`` over HTTP as ``planner``, one after the other, in order."""
    for command in commands:
        await asyncio.to_thread(_post, planner, command)


async def load_demo(
    nats_url: str, password: SecretStr | None = None, planner: Planner | None = None
) -> int:
    """The budget's demo: the organisation tree entered by ``planner`` over HTTP, then the
    figures as the ledger sends them (with ``password``, as its NATS user); how many were
    sent over NATS. Without a planner the tree is sent over NATS by the ledger too, which only
    a register giving it the tree accepts (the older form of the register gives a system
    every command)."""
    commands = demo_commands()
    over_nats = commands
    if planner is not None:
        # Stored when answered, so the figures that follow find their units.
        await post_commands(planner, [c for c in commands if isinstance(c, TREE_CHANGES)])
        over_nats = [c for c in commands if not isinstance(c, TREE_CHANGES)]
    await publish_commands(nats_url, over_nats, DEMO_SYSTEM, password)
    return len(over_nats)


def demo_unit_count() -> int:
    return sum(isinstance(c, RegisterUnit) for c in demo_commands())


async def load_example_data(nats_url: str, password_for: Callable[[str], SecretStr | None]) -> int:
    """Example monthly actuals, forecasts, profiles and comments for January–August 2011 (not
    Katrineholm's figures; their actor is "exempeldata"), as the ledger system sends them;
    how many commands were sent."""
    commands = example_commands()
    await publish_commands(nats_url, commands, DEMO_SYSTEM, password_for(DEMO_SYSTEM))
    return len(commands)


def example_data_count() -> int:
    """How many commands the example data sends."""
    return len(example_commands())


async def load_goals_demo(nats_url: str, password_for: Callable[[str], SecretStr | None]) -> int:
    """The goals catalogue as the planning system, then the seed's measured values as the
    statistics system; how many commands were sent."""
    catalogue = goals_demo_commands()
    measurements = goals_demo_measurements()
    await publish_commands(
        nats_url, catalogue, GOALS_PLANNING_SYSTEM, password_for(GOALS_PLANNING_SYSTEM), GOALS
    )
    await publish_commands(
        nats_url,
        measurements,
        GOALS_STATISTICS_SYSTEM,
        password_for(GOALS_STATISTICS_SYSTEM),
        GOALS,
    )
    return len(catalogue) + len(measurements)


def goals_demo_count() -> int:
    """How many result goals the goals demo adopts."""
    return sum(isinstance(c, AdoptGoal) for c in goals_demo_commands())


async def load_projects_demo(nats_url: str, password_for: Callable[[str], SecretStr | None]) -> int:
    """The project register as the planning system, then any status reports as the project
    tool (the seed gives none); how many commands were sent."""
    commands = projects_demo_commands()
    register = [c for c in commands if not isinstance(c, ReportProjectStatus)]
    reports: list[Command] = [c for c in commands if isinstance(c, ReportProjectStatus)]
    await publish_commands(
        nats_url,
        register,
        PROJECTS_PLANNING_SYSTEM,
        password_for(PROJECTS_PLANNING_SYSTEM),
        PROJECTS,
    )
    if reports:
        await publish_commands(
            nats_url, reports, PROJECTS_TOOL_SYSTEM, password_for(PROJECTS_TOOL_SYSTEM), PROJECTS
        )
    return len(register) + len(reports)
