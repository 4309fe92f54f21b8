"""Wires the budget service: its decisions and its HTTP app, handed to the write service kit."""

from contracts.budget.service import BUDGET
from plumbing import write_service
from plumbing.settings import ServiceSettings
from services.budget.application import BudgetService
from services.budget.entrypoints.http import create_app

PARTS = write_service.WriteServiceParts(
    BUDGET, lambda store, _nats: BudgetService(store), create_app
)
STREAMS = write_service.streams(BUDGET)

BudgetProcess = write_service.WriteProcess[BudgetService]


async def build(settings: ServiceSettings) -> BudgetProcess:
    return await write_service.build(PARTS, settings)


async def run(settings: ServiceSettings) -> None:
    """The budget service: controllers' HTTP routes and the inbound consumer."""
    await write_service.run(PARTS, settings)


async def run_relay(settings: ServiceSettings) -> None:
    """The budget service's outbox relay, in a process of its own."""
    await write_service.run_relay(PARTS, settings)
