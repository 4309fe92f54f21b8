"""A copy of what another service owns, kept from its published events, for decisions to read.

A write service that must know what another owns (goals and projects: budget's organisation
tree; projects: goals' result goals) applies the owner's events to a copy of its own
(plumbing.followed_events brings them) and decides against a snapshot of it. The snapshot is
replaced when new events arrive, never changed in place, so a batch's state may share it.
"""

import logging
from collections.abc import AsyncIterator
from typing import Generic, Protocol, Self, TypeVar

from contracts.envelope import Event

log = logging.getLogger(__name__)


class EventSource(Protocol):
    def new_events(self) -> AsyncIterator[Event]:
        """What was published since the last call."""
        ...


class Copy(Protocol):
    def apply(self, event: Event) -> None: ...

    def copy(self) -> Self: ...


Kept = TypeVar("Kept", bound=Copy)


class FollowedCopy(Generic[Kept]):
    """``kept`` brought up to date from ``events``; ``snapshot`` is what decisions read."""

    def __init__(self, events: EventSource, kept: Kept) -> None:
        self._events = events
        self._kept = kept  # applied to as the owner's events come
        self.snapshot = kept.copy()

    async def catch_up(self) -> Kept:
        """The snapshot with everything the owner has published so far."""
        changed = False
        async for event in self._events.new_events():
            try:
                self._kept.apply(event)
            except KeyError as error:
                # An owner never publishes a change to what it has not made; were it to,
                # the copy is left as it was rather than stopped on it.
                log.warning("%s names unknown %s; passed over", event, error)
                continue
            changed = True
        if changed:
            self.snapshot = self._kept.copy()
        return self.snapshot
