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

_INSERT_EVENTS = """
INSERT INTO events (event_id, stream_id, version, event_type, schema_version, payload, metadata)
SELECT e.event_id, e.stream_id, e.version, e.event_type, e.schema_version, e.payload, e.metadata
FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])
     WITH ORDINALITY
     AS e(event_id, stream_id, version, event_type, schema_version, payload, metadata, ord)
ORDER BY e.ord
RETURNING position, recorded_at
"""


_SAVE_POSITION = """
INSERT INTO consumer_positions (consumer, sequence) VALUES ($1, $2)
ON CONFLICT (consumer) DO UPDATE SET sequence = EXCLUDED.sequence
WHERE consumer_positions.sequence < EXCLUDED.sequence
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
        async with self._pool.acquire() as conn, conn.transaction():
            try:
                if message_ids:
                    await conn.execute(
                        "INSERT INTO inbound_messages (message_id) SELECT unnest($1::uuid[])",
                        list(message_ids),
                    )
                rows = await conn.fetch(
                    _INSERT_EVENTS,
                    [e.event_id for e in events],
                    [e.stream_id for e in events],
                    [e.version for e in events],
                    [e.event_type for e in events],
                    [e.schema_version for e in events],
                    [dumps(e.payload) for e in events],
                    [dumps(e.metadata) for e in events],
                )
            except asyncpg.UniqueViolationError as error:
                if error.constraint_name == "inbound_messages_pkey":
                    raise DuplicateMessageError(str(error)) from error
                raise ConcurrencyError(sorted({e.stream_id for e in events})) from error
            positions = [r["position"] for r in rows]
            await conn.execute(
                "INSERT INTO outbox (position) SELECT unnest($1::bigint[])", positions
            )
            if position is not None:
                await conn.execute(_SAVE_POSITION, position.consumer, position.sequence)
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
