"""What a write service tells the command handler about its domain; the handler does the rest.

``State`` is what the decisions read (budget: the organisation tree). The handler keeps one,
caught up from the store, decides each batch against a copy, and keeps the copy only once the
batch is stored; after a conflict it starts again from ``empty()``.
"""

from typing import Protocol, TypeVar

from contracts.envelope import Command, Event
from contracts.scope import Scope
from plumbing.eventstore import EventStore

State = TypeVar("State")


class Decider(Protocol[State]):
    def empty(self) -> State:
        """The state before any event."""
        ...

    async def catch_up(self, state: State, store: EventStore) -> None:
        """Apply to ``state`` what the store holds that it has not seen yet."""
        ...

    def copy(self, state: State) -> State: ...

    def versions(self, state: State) -> dict[str, int]:
        """The version of each stream ``state`` was read from, for the optimistic check."""
        ...

    def decide(self, state: State, command: Command, scope: Scope | None) -> Event:
        """The event ``command`` leads to, or Refused with the reasons.

        ``state`` is the batch's copy: a decision that changes it (a new unit) is seen by
        the commands after it in the same batch. ``scope`` None means no limit.
        """
        ...

    def stream_for(self, event: Event) -> str: ...
