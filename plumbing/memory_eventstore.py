"""The event store in memory: the port (plumbing.eventstore) as the PostgreSQL store keeps it,
for unit tests of what writes and reads events. The same contract tests run against both
(tests/integration/test_eventstore.py).

An append is all or nothing, as the PostgreSQL store's one statement is: every check is made
before anything is kept. A consumer's lock is a lease taken here (``take_lease``), as
plumbing.locks takes one in ``worker_leases``; a position is stored only while its epoch holds.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from plumbing.eventstore import Batch, DuplicateMessageError, EventStore, StoredEvent


class InMemoryEventStore(EventStore):
    def __init__(self) -> None:
        self.events: list[StoredEvent] = []
        self._versions: dict[tuple[str, int], UUID] = {}
        self._messages: dict[UUID, int | None] = {}
        self._positions: dict[str, int] = {}
        self._leases: dict[str, int] = {}

    def take_lease(self, name: str) -> int:
        """The next epoch of ``name``'s lock: positions stored with an earlier one are refused."""
        self._leases[name] = self._leases.get(name, 0) + 1
        return self._leases[name]

    async def _write(self, batch: Batch) -> list[StoredEvent]:
        events, messages, position = batch.events, batch.messages, batch.position
        if position is not None and self._leases.get(position.consumer) != position.epoch:
            raise position.fenced_out()
        taken = [e.stream_id for e in events if (e.stream_id, e.version) in self._versions]
        positions = [(e.stream_id, e.version) for e in events]
        if taken or len(set(positions)) < len(positions):
            raise batch.conflict()
        ids = [m.message_id for m in messages]
        if any(i in self._messages for i in ids) or len(set(ids)) < len(ids):
            raise DuplicateMessageError("a message id is stored already")
        now = datetime.now(UTC)
        stored = [e.stored(len(self.events) + n, now) for n, e in enumerate(events, start=1)]
        self.events.extend(stored)
        self._versions.update({(e.stream_id, e.version): e.event_id for e in stored})
        self._messages.update({m.message_id: m.sequence for m in messages})
        if position is not None:
            kept = self._positions.get(position.consumer, 0)
            self._positions[position.consumer] = max(kept, position.sequence)
        return stored

    async def read_stream(self, stream_id: str, after_version: int = 0) -> list[StoredEvent]:
        return sorted(
            (e for e in self.events if e.stream_id == stream_id and e.version > after_version),
            key=lambda e: e.version,
        )

    async def read_streams(self, prefix: str, after_position: int = 0) -> list[StoredEvent]:
        return [
            e for e in self.events if e.position > after_position and e.stream_id.startswith(prefix)
        ]

    async def stream_versions(self, stream_ids: Sequence[str]) -> dict[str, int]:
        versions: dict[str, int] = {}
        for stream_id, version in self._versions:
            if stream_id in stream_ids:
                versions[stream_id] = max(versions.get(stream_id, 0), version)
        return versions

    async def known_messages(self, message_ids: Sequence[UUID]) -> dict[UUID, int | None]:
        return {i: self._messages[i] for i in message_ids if i in self._messages}

    async def position(self, consumer: str) -> int:
        return self._positions.get(consumer, 0)
