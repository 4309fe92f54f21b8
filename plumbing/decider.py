"""What a write service decides against, kept by the kit from the service's declaration.

A service names its domain (``Domain``): the state its decisions read, how it replays its own
stored events into it (one stream, or every stream whose id starts alike), its decisions, the
stream each event goes on, and a copy of what it learns from each service its contract says
it learns from. The kit (``Decider``) keeps that state caught up with the store and with the
owners' published events, and the version of each stream it has read or written, for the
store's optimistic check. The command handler decides each batch against a copy and keeps the
copy only once the batch is stored; after a conflict it starts again from ``empty()``.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, Self, TypeVar

from contracts.envelope import Command, Event
from contracts.scope import Scope
from contracts.service import WriteService
from plumbing.event_codec import read_event
from plumbing.eventstore import EventStore, StoredEvent
from plumbing.followed_copy import Copy, EventSource, FollowedCopy


class State(Protocol):
    def apply(self, event: Event) -> None: ...

    def copy(self) -> Self: ...


S = TypeVar("S", bound=State)
Kept = TypeVar("Kept", bound=Copy)


@dataclass
class Known(Generic[S]):
    """A service's state, the version of each of its streams applied to it or written, and
    the store's position of the last of its own events replayed."""

    state: S
    versions: dict[str, int] = field(default_factory=dict)
    position: int = 0

    def copy(self) -> "Known[S]":
        return Known(self.state.copy(), dict(self.versions), self.position)


class Replays(Protocol):
    async def stored_since(self, store: EventStore, known: Known[Any]) -> list[StoredEvent]:
        """The service's own stored events that ``known`` may not have applied yet."""
        ...


@dataclass(frozen=True)
class OneStream:
    """The state is one stream's events (budget's tree, goals' catalogue)."""

    stream_id: str

    async def stored_since(self, store: EventStore, known: Known[Any]) -> list[StoredEvent]:
        return await store.read_stream(self.stream_id, known.versions.get(self.stream_id, 0))


@dataclass(frozen=True)
class StreamsStartingWith:
    """The state is the events of every stream whose id starts with ``prefix`` (a stream per
    project), read in the order stored: one query, however many streams."""

    prefix: str

    async def stored_since(self, store: EventStore, known: Known[Any]) -> list[StoredEvent]:
        return await store.read_streams(self.prefix, known.position)


@dataclass(frozen=True)
class Learned(Generic[S, Kept]):
    """The copy a service keeps of what ``owner`` owns, from the owner's events its contract
    names (contracts.service.Learns): ``empty`` makes it, ``into`` hands the state the copy as
    it stands (a snapshot, replaced when news comes, never changed in place)."""

    owner: WriteService
    empty: Callable[[], Kept]
    into: Callable[[S, Kept], None]


@dataclass(frozen=True)
class Domain(Generic[S]):
    """What a write service tells the kit about its domain."""

    state: Callable[[], S]
    replays: Replays
    # The event a command leads to, applied to the batch's state at once, or Refused with
    # the reasons (plumbing.decisions.Decisions); ``scope`` None means no limit.
    decide: Callable[[S, Command, Scope | None], Event]
    stream_for: Callable[[Event], str]
    learns: Sequence[Learned[S, Any]] = ()


class Decider(Generic[S]):
    """``domain`` kept up to date with the service's store and, through ``sources`` (the
    owner's events, by owner's name), with what it learns from others."""

    def __init__(
        self,
        declaration: WriteService,
        domain: Domain[S],
        sources: Callable[[WriteService], EventSource] | None = None,
    ) -> None:
        declared = {owner.name for owner in declaration.learns_from}
        kept = {learned.owner.name for learned in domain.learns}
        if declared != kept:
            raise ValueError(
                f"{declaration.name} learns from {sorted(declared)} but keeps {sorted(kept)}"
            )
        if kept and sources is None:
            raise ValueError(f"{declaration.name} learns from others: its sources are needed")
        self._domain = domain
        self._events = declaration.events
        self._copies = [
            (learned, FollowedCopy(sources(learned.owner), learned.empty()))
            for learned in domain.learns
            if sources is not None
        ]

    def empty(self) -> Known[S]:
        """The state before any event, with the copies of others as they stand."""
        state = self._domain.state()
        for learned, followed in self._copies:
            learned.into(state, followed.snapshot)
        return Known(state)

    async def catch_up(self, known: Known[S], store: EventStore) -> None:
        """Apply to ``known`` what the store and the owners have that it has not seen yet."""
        for stored in await self._domain.replays.stored_since(store, known):
            # What this process stored itself is applied already (its batch's copy was kept).
            if stored.version > known.versions.get(stored.stream_id, 0):
                _, event = read_event(stored, self._events)
                known.state.apply(event)
                known.versions[stored.stream_id] = stored.version
            known.position = max(known.position, stored.position)
        for learned, followed in self._copies:
            learned.into(known.state, await followed.catch_up())

    def decide(self, state: S, command: Command, scope: Scope | None) -> Event:
        """The event ``command`` leads to, or Refused with the reasons.

        ``state`` is the batch's copy: a decision that changes it (a new unit) is seen by
        the commands after it in the same batch. ``scope`` None means no limit.
        """
        return self._domain.decide(state, command, scope)

    def stream_for(self, event: Event) -> str:
        return self._domain.stream_for(event)
