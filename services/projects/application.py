"""The projects service's domain as the command handler needs it: decisions against the
register, budget's organisation tree and goals' result goals, each event on its project's
stream.

The tree and the result goals are the owners': projects keeps a copy of each in memory,
built from budget's tree events and goals' GoalAdopted and GoalRetired from the start when
the process starts, and brought up to date before every batch, so a project sent right after
budget published its unit, or a link right after goals published its goal, is decided
against it.
"""

from nats.aio.client import Client

from contracts.budget.service import BUDGET
from contracts.budget.tree import TREE_EVENTS, OrganisationTree
from contracts.goals.service import GOALS
from contracts.projects.events import PROJECTS_EVENTS
from contracts.projects.service import PROJECTS
from plumbing.command_handler import CommandHandler
from plumbing.eventstore import EventStore
from plumbing.followed_copy import EventSource, FollowedCopy
from plumbing.followed_events import FollowedEvents
from services.projects.domain import decisions
from services.projects.domain.register import (
    GOAL_EVENTS,
    PROJECT_STREAM_PREFIX,
    Register,
    ResultGoals,
)


class ProjectsDecider:
    """``office_unit``: the project office's unit in budget, which the decisions need to
    know who may move its revenue (services.projects.domain.scope)."""

    def __init__(
        self, tree_events: EventSource, goal_events: EventSource, office_unit: str
    ) -> None:
        self._tree = FollowedCopy(tree_events, OrganisationTree())
        self._goals = FollowedCopy(goal_events, ResultGoals())
        self._office_unit = office_unit

    def empty(self) -> Register:
        return Register(self._tree.snapshot, self._goals.snapshot, office_unit=self._office_unit)

    async def catch_up(self, state: Register, store: EventStore) -> None:
        # Every project's stream at once, in the order stored: one query, however many.
        # What this process stored itself is in the state already (its batch's copy was
        # kept), so an event is applied only past its project's version.
        for stored in await store.read_streams(PROJECT_STREAM_PREFIX, state.position):
            event = PROJECTS_EVENTS[stored.event_type].model_validate(stored.payload)
            if stored.version > state.version_of(stored.stream_id):
                state.apply(event)
            state.position = stored.position
        state.tree = await self._tree.catch_up()
        state.goals = await self._goals.catch_up()

    def versions(self, state: Register) -> dict[str, int]:
        return state.versions()

    copy = staticmethod(Register.copy)
    decide = staticmethod(decisions.decide)
    stream_for = staticmethod(decisions.stream_for)


def followed(nc: Client) -> tuple[FollowedEvents, FollowedEvents]:
    """Budget's tree events and goals' result goals, followed as the projects NATS user."""
    return (
        FollowedEvents(nc, PROJECTS.name, BUDGET, [e.event_type for e in TREE_EVENTS]),
        FollowedEvents(nc, PROJECTS.name, GOALS, [e.event_type for e in GOAL_EVENTS]),
    )


class ProjectsService(CommandHandler[Register]):
    """The only writer of projects events."""

    def __init__(
        self,
        store: EventStore,
        tree_events: EventSource,
        goal_events: EventSource,
        office_unit: str,
    ) -> None:
        decider = ProjectsDecider(tree_events, goal_events, office_unit)
        super().__init__(PROJECTS.name, store, decider)

    @classmethod
    def on_nats(cls, store: EventStore, nc: Client, office_unit: str) -> "ProjectsService":
        return cls(store, *followed(nc), office_unit)

    async def register(self) -> Register:
        return await self.state()
