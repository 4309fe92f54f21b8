"""Wires the goals service: its decisions and its HTTP app, handed to the write service kit."""

from contracts.goals.service import GOALS
from plumbing import write_service
from plumbing.settings import ServiceSettings
from services.goals.application import GoalsService
from services.goals.entrypoints.http import create_app

PARTS = write_service.WriteServiceParts(GOALS, GoalsService.on_nats, create_app)
STREAMS = write_service.streams(GOALS)

GoalsProcess = write_service.WriteProcess[GoalsService]


async def build(settings: ServiceSettings) -> GoalsProcess:
    return await write_service.build(PARTS, settings)


async def run(settings: ServiceSettings) -> None:
    """The goals service: planners' and controllers' HTTP routes and the inbound consumer."""
    await write_service.run(PARTS, settings)


async def run_relay(settings: ServiceSettings) -> None:
    """The goals service's outbox relay, in a process of its own."""
    await write_service.run_relay(PARTS, settings)
