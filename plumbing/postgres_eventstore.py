"""The event store in PostgreSQL."""

import json
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from plumbing.database import dumps
from plumbing.eventstore import (
    ConcurrencyError,
    DuplicateMessageError,
    NewEvent,
    Position,
    StoredEvent,
)

# One statement, so one round trip, writes everything a batch stores: the message ids, the
# events, their outbox entries and the consumer's position. Each part runs even though
# only the events are returned.
_APPEND = """
WITH messages AS (
    INSERT INTO inbound_messages (message_id) SELECT unnest($8::uuid[])
),
stored AS (
    INSERT INTO events (event_id, stream_id, version, event_type, schema_version, payload, metadata)
    SELECT e.event_id, e.stream_id, e.version, e.event_type, e.schema_version, e.payload, e.metadata
    FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])
         WITH ORDINALITY
         AS e(event_id, stream_id, version, event_type, schema_version, payload, metadata, ord)
    ORDER BY e.ord
    RETURNING position, recorded_at
),
queued AS (
    INSERT INTO outbox (position) SELECT position FROM stored
),
consumed AS (
    INSERT INTO consumer_positions (consumer, sequence)
    SELECT $9::text, $10::bigint WHERE $9::text IS NOT NULL
    ON CONFLICT (consumer) DO UPDATE SET sequence = EXCLUDED.sequence
    WHERE consumer_positions.sequence < EXCLUDED.sequence
)
SELECT position, recorded_at FROM stored ORDER BY position
"""


class PostgresEventStore:
    """Events, the outbox and inbound message ids, written in one transaction."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def append(
        self,
        events: Sequence[NewEvent],
        message_ids: Sequence[UUID] = (),
        position: Position | None = None,
    ) -> list[StoredEvent]:
        if not events and not message_ids and position is None:
            return []
        try:
            rows = await self._pool.fetch(
                _APPEND,
                [e.event_id for e in events],
                [e.stream_id for e in events],
                [e.version for e in events],
                [e.event_type for e in events],
                [e.schema_version for e in events],
                [dumps(e.payload) for e in events],
                [dumps(e.metadata) for e in events],
                list(message_ids),
                position.consumer if position else None,
                position.sequence if position else None,
            )
        except asyncpg.UniqueViolationError as error:
            if error.constraint_name == "inbound_messages_pkey":
                raise DuplicateMessageError(str(error)) from error
            raise ConcurrencyError(sorted({e.stream_id for e in events})) from error
        return [
            StoredEvent(
                event_id=e.event_id,
                stream_id=e.stream_id,
                version=e.version,
                event_type=e.event_type,
                schema_version=e.schema_version,
                payload=e.payload,
                metadata=e.metadata,
                position=r["position"],
                recorded_at=r["recorded_at"],
            )
            for e, r in zip(events, rows, strict=True)
        ]

    async def read_stream(self, stream_id: str, after_version: int = 0) -> list[StoredEvent]:
        rows = await self._pool.fetch(
            "SELECT * FROM events WHERE stream_id = $1 AND version > $2 ORDER BY version",
            stream_id,
            after_version,
        )
        return [
            StoredEvent(
                event_id=r["event_id"],
                stream_id=r["stream_id"],
                version=r["version"],
                event_type=r["event_type"],
                schema_version=r["schema_version"],
                payload=json.loads(r["payload"]),
                metadata=json.loads(r["metadata"]),
                position=r["position"],
                recorded_at=r["recorded_at"],
            )
            for r in rows
        ]

    async def stream_versions(self, stream_ids: Sequence[str]) -> dict[str, int]:
        rows = await self._pool.fetch(
            "SELECT stream_id, max(version) AS version FROM events"
            " WHERE stream_id = ANY($1::text[]) GROUP BY stream_id",
            list(stream_ids),
        )
        return {r["stream_id"]: r["version"] for r in rows}

    async def known_messages(self, message_ids: Sequence[UUID]) -> set[UUID]:
        rows = await self._pool.fetch(
            "SELECT message_id FROM inbound_messages WHERE message_id = ANY($1::uuid[])",
            list(message_ids),
        )
        return {r["message_id"] for r in rows}

    async def position(self, consumer: str) -> int:
        value = await self._pool.fetchval(
            "SELECT sequence FROM consumer_positions WHERE consumer = $1", consumer
        )
        return int(value or 0)
