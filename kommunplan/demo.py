"""Loads the seed's budget, goals and projects into a running system the way an
administration's systems would: commands on their own inbound subjects, through the public
contracts only; and the organisation tree the way a planner enters it, over HTTP, since no
system is given changes to the tree in `up`'s register of systems.

The commands, and who sends each, are the data files of kommunplan/demo_data, read and
validated by kommunplan.demo_data; ``send`` sends any of them. `up` loads the services' files in
the order of ``demo_data.PARTS``, waiting for each to be stored before the next."""

import asyncio
import itertools
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
from contracts.projects.commands import RegisterProject
from contracts.projects.service import PROJECTS
from contracts.service import WriteService
from kommunplan import demo_data, local_identity
from kommunplan.demo_data import DemoCommand
from kommunplan.example_data import example_commands
from plumbing.nats_connection import connect
from plumbing.requests import DUPLICATE

DEMO_SYSTEM = "ekonomisystem"
"""Sends the budget's figures, actuals, forecasts, net investments and texts."""
TREE_CHANGES = (RegisterUnit, RenameUnit, MoveUnit, CloseUnit)
"""What a planner enters over HTTP rather than a system over NATS: the lines of budget.jsonl
with the role ``PLANNER_ROLE``."""
PLANNER_ROLE = "planner"
"""The role a data file names for what a planner enters over HTTP."""
DEMO_PLANNER = "demo"
"""The planner's subject in its token: the actor stored with the tree's events, as the
demo's commands name it."""
# The systems below are named in the data files; the names here are for code that needs them.
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
    token = local_identity.issue_token(data_dir, [PLANNER_ROLE], ["*"], DEMO_PLANNER, hours=1)
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


PasswordFor = Callable[[str], SecretStr | None]


async def send(
    service: WriteService,
    lines: Sequence[DemoCommand],
    nats_url: str,
    password_for: PasswordFor,
    planner: Planner | None = None,
) -> int:
    """Send ``lines`` in their order: each run of lines from one system over NATS as that
    system's user (with ``password_for`` it), each run a person enters over HTTP by
    ``planner``; how many were sent over NATS. A run entered over HTTP is stored when
    answered, so the lines after it find what it made."""
    over_nats = 0
    for (system, role), run in itertools.groupby(lines, key=lambda x: (x.system, x.role)):
        commands = [line.command for line in run]
        if system is not None:
            await publish_commands(nats_url, commands, system, password_for(system), service)
            over_nats += len(commands)
        elif planner is not None and role == PLANNER_ROLE:
            await post_commands(planner, commands)
        else:
            raise ValueError(f"no one given to enter {commands[0].command_name} as {role}")
    return over_nats


async def load_demo(
    nats_url: str, password: SecretStr | None = None, planner: Planner | None = None
) -> int:
    """The budget's demo: the organisation tree entered by ``planner`` over HTTP, then the
    figures as the ledger sends them (with ``password``, as its NATS user); how many were
    sent over NATS. Without a planner the tree is sent over NATS by the ledger too, which only
    a register giving it the tree accepts (the older form of the register gives a system
    every command)."""
    lines = demo_data.read(BUDGET)
    if planner is None:
        lines = [line.by_system(DEMO_SYSTEM) if line.role else line for line in lines]
    return await send(BUDGET, lines, nats_url, lambda _system: password, planner)


def demo_commands() -> list[Command]:
    """The budget's demo commands, in the order they are sent."""
    return demo_data.commands(BUDGET)


def demo_unit_count() -> int:
    return sum(isinstance(c, RegisterUnit) for c in demo_commands())


async def load_example_data(nats_url: str, password_for: PasswordFor) -> int:
    """Example monthly actuals, forecasts, profiles and comments for January–August 2011 (not
    Katrineholm's figures; their actor is "exempeldata"), as the ledger system sends them;
    how many commands were sent."""
    commands = example_commands()
    await publish_commands(nats_url, commands, DEMO_SYSTEM, password_for(DEMO_SYSTEM))
    return len(commands)


def example_data_count() -> int:
    """How many commands the example data sends."""
    return len(example_commands())


async def load_goals_demo(nats_url: str, password_for: PasswordFor) -> int:
    """The goals catalogue as the planning system, then the seed's measured values as the
    statistics system; how many commands were sent."""
    return await send(GOALS, demo_data.read(GOALS), nats_url, password_for)


def goals_demo_count() -> int:
    """How many result goals the goals demo adopts."""
    return sum(isinstance(c, AdoptGoal) for c in demo_data.commands(GOALS))


async def load_projects_demo(nats_url: str, password_for: PasswordFor) -> int:
    """The project register as the planning system, then any status reports as the project
    tool (the seed gives none); how many commands were sent."""
    return await send(PROJECTS, demo_data.read(PROJECTS), nats_url, password_for)


def projects_demo_count() -> int:
    """How many projects the demo registers."""
    return sum(isinstance(c, RegisterProject) for c in demo_data.commands(PROJECTS))
