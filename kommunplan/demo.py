"""Loads the seed's budget, goals and projects into a running system the way an
administration's systems would: commands on their own inbound subjects, through the public
contracts only."""

import asyncio
from collections.abc import Callable

from pydantic import SecretStr

from contracts.budget.commands import RegisterUnit
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from contracts.goals.commands import AdoptGoal
from contracts.goals.service import GOALS
from contracts.projects.commands import ReportProjectStatus
from contracts.projects.service import PROJECTS
from contracts.service import WriteService
from plumbing.jetstream import connect
from services.budget.demo_data import demo_commands
from services.budget.example_data import example_commands
from services.goals.demo_data import goals_demo_commands, goals_demo_measurements
from services.projects.demo_data import projects_demo_commands
from services.projects.demo_data import projects_demo_count as projects_demo_count

DEMO_SYSTEM = "ekonomisystem"
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


async def load_demo(nats_url: str, password: SecretStr | None = None) -> int:
    commands = demo_commands()
    await publish_commands(nats_url, commands, DEMO_SYSTEM, password)
    return len(commands)


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
