"""The event store port: what a write service needs from storage, with no technology in it."""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class NewEvent:
    """An event decided by an aggregate, about to be appended at ``version`` of its stream."""

    event_id: UUID
    stream_id: str
    version: int
    event_type: str
    schema_version: int
    payload: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)

    def stored(self, position: int, recorded_at: datetime) -> "StoredEvent":
        """The event as the store gave it back, at ``position``, recorded at ``recorded_at``."""
        return StoredEvent(**vars(self), position=position, recorded_at=recorded_at)


@dataclass(frozen=True)
class StoredEvent(NewEvent):
    position: int = 0
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class Position:
    """A consumer's place in a JetStream stream: the last sequence it has fully handled.

    ``epoch`` is the fencing epoch of the consumer's lock (plumbing.locks.Lease): the
    position and everything stored with it are refused unless that epoch still holds.
    """

    consumer: str
    sequence: int
    epoch: int

    def fenced_out(self) -> "FencedOut":
        """The refusal of this position, and of all stored with it, once its epoch is gone."""
        return FencedOut(f"{self.consumer}: epoch {self.epoch} no longer holds")


@dataclass(frozen=True)
class InboundMessage:
    """A sender's message id, and the inbound stream sequence it came with (None over HTTP)."""

    message_id: UUID
    sequence: int | None = None


class ConcurrencyError(Exception):
    """Another writer appended to the stream first; reload and decide again."""

    def __init__(self, stream_ids: Sequence[str]) -> None:
        super().__init__(f"stream(s) changed concurrently: {', '.join(stream_ids)}")
        self.stream_ids = list(stream_ids)


class DuplicateMessageError(Exception):
    """A message id has already been stored; its events must not be stored again."""


class FencedOut(Exception):
    """The consumer's lock is held by another worker now; nothing was stored."""


@dataclass(frozen=True)
class Batch:
    """What one append stores, all of it or none: events, the message ids they answer, and
    the position of the consumer whose batch it was."""

    events: Sequence[NewEvent]
    messages: Sequence[InboundMessage]
    position: Position | None

    def conflict(self) -> ConcurrencyError:
        """The refusal when another writer took a version of these events' streams first."""
        return ConcurrencyError(sorted({e.stream_id for e in self.events}))


class EventStore(ABC):
    """The port. Each store writes a batch its own way; what an append promises is said once."""

    async def append(
        self,
        events: Sequence[NewEvent],
        messages: Sequence[InboundMessage] = (),
        position: Position | None = None,
    ) -> list[StoredEvent]:
        """Store all events, message ids and the consumer position in one transaction, or none.

        Raises ConcurrencyError when a (stream, version) is taken, DuplicateMessageError
        when a message id is already known, and FencedOut when ``position``'s epoch no
        longer holds.
        """
        if not events and not messages and position is None:
            return []  # nothing to store, so no transaction to open
        return await self._write(Batch(events, messages, position))

    @abstractmethod
    async def _write(self, batch: Batch) -> list[StoredEvent]:
        """Store ``batch`` as ``append`` says; its events as stored, in order."""

    @abstractmethod
    async def read_stream(self, stream_id: str, after_version: int = 0) -> list[StoredEvent]: ...

    @abstractmethod
    async def read_streams(self, prefix: str, after_position: int = 0) -> list[StoredEvent]:
        """The events of every stream whose id starts with ``prefix`` (one stream per
        project), stored after ``after_position``, in the order they were stored."""

    @abstractmethod
    async def stream_versions(self, stream_ids: Sequence[str]) -> dict[str, int]:
        """The current version of each stream that exists (absent streams are left out)."""

    @abstractmethod
    async def known_messages(self, message_ids: Sequence[UUID]) -> dict[UUID, int | None]:
        """Each of ``message_ids`` already stored, with the inbound sequence it came with."""

    @abstractmethod
    async def position(self, consumer: str) -> int:
        """The last stream sequence stored for ``consumer``; 0 before the first."""
