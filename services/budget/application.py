"""The budget service's domain as the command handler needs it: decisions against the
organisation tree, each event on the tree's stream or on one unit's year."""

from contracts.budget.events import BUDGET_EVENTS
from contracts.envelope import Command, Event
from contracts.scope import Scope
from plumbing.command_handler import CommandHandler
from plumbing.eventstore import EventStore
from services.budget.domain import decisions
from services.budget.domain.organisation import ORGANISATION_STREAM, Organisation


class BudgetDecider:
    def empty(self) -> Organisation:
        return Organisation()

    async def catch_up(self, state: Organisation, store: EventStore) -> None:
        for stored in await store.read_stream(ORGANISATION_STREAM, after_version=state.version):
            state.apply(BUDGET_EVENTS[stored.event_type].model_validate(stored.payload))

    def copy(self, state: Organisation) -> Organisation:
        return state.copy()

    def versions(self, state: Organisation) -> dict[str, int]:
        return {ORGANISATION_STREAM: state.version}

    def decide(self, state: Organisation, command: Command, scope: Scope | None) -> Event:
        return decisions.decide(state, command, scope)

    def stream_for(self, event: Event) -> str:
        return decisions.stream_for(event)


class BudgetService(CommandHandler[Organisation]):
    """The only writer of budget events."""

    def __init__(self, store: EventStore) -> None:
        super().__init__("budget", store, BudgetDecider())

    async def organisation(self) -> Organisation:
        return await self.state()
