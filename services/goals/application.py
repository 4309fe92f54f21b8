"""The goals service's domain as the command handler needs it: decisions against the catalogue
and the organisation tree, each event on the catalogue's stream or on its measure's.

The tree is budget's: goals keeps a copy in memory, built from budget's published tree events
from the start when the process starts, and brought up to date before every batch, so a goal
sent right after budget published its unit is decided against it.
"""

from nats.aio.client import Client

from contracts.budget.service import BUDGET
from contracts.budget.tree import TREE_EVENTS, OrganisationTree
from contracts.goals.events import GOALS_EVENTS
from contracts.goals.service import GOALS
from plumbing.command_handler import CommandHandler
from plumbing.eventstore import EventStore
from plumbing.followed_copy import EventSource, FollowedCopy
from plumbing.followed_events import FollowedEvents
from services.goals.domain import decisions
from services.goals.domain.catalogue import CATALOGUE_STREAM, Catalogue


class GoalsDecider:
    def __init__(self, tree_events: EventSource) -> None:
        self._tree = FollowedCopy(tree_events, OrganisationTree())

    def empty(self) -> Catalogue:
        return Catalogue(self._tree.snapshot)

    async def catch_up(self, state: Catalogue, store: EventStore) -> None:
        for stored in await store.read_stream(CATALOGUE_STREAM, after_version=state.version):
            state.apply(GOALS_EVENTS[stored.event_type].model_validate(stored.payload))
        state.tree = await self._tree.catch_up()

    def versions(self, state: Catalogue) -> dict[str, int]:
        return {CATALOGUE_STREAM: state.version}

    copy = staticmethod(Catalogue.copy)
    decide = staticmethod(decisions.decide)
    stream_for = staticmethod(decisions.stream_for)


def budget_tree_events(nc: Client) -> FollowedEvents:
    """Budget's tree events, followed as the goals service's NATS user."""
    return FollowedEvents(nc, GOALS.name, BUDGET, [event.event_type for event in TREE_EVENTS])


class GoalsService(CommandHandler[Catalogue]):
    """The only writer of goals events."""

    def __init__(self, store: EventStore, tree_events: EventSource) -> None:
        super().__init__(GOALS.name, store, GoalsDecider(tree_events))

    @classmethod
    def on_nats(cls, store: EventStore, nc: Client) -> "GoalsService":
        return cls(store, budget_tree_events(nc))

    async def catalogue(self) -> Catalogue:
        return await self.state()
