"""The event store in PostgreSQL."""

import json
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from plumbing.database import dumps
from plumbing.eventstore import Batch, DuplicateMessageError, EventStore, StoredEvent
from plumbing.locks import FENCE_SQL

# One statement, so one round trip, writes everything a batch stores: the message ids, the
# events, their outbox entries and the consumer's position. Each part runs even though
# only the events are returned. A consumer's batch is stored only while its lock's epoch
# holds (the fence); otherwise nothing is, and ``allowed`` says so.
_APPEND = f"""
WITH fence AS (
    {FENCE_SQL.format(name="$10::text", epoch="$12::bigint")}
),
allowed AS (
    SELECT $10::text IS NULL OR EXISTS (SELECT 1 FROM fence) AS ok
),
messages AS (
    INSERT INTO inbound_messages (message_id, sequence)
    SELECT m.message_id, m.sequence FROM unnest($8::uuid[], $9::bigint[]) AS m(message_id, sequence)
    WHERE (SELECT ok FROM allowed)
),
stored AS (
    INSERT INTO events (event_id, stream_id, version, event_type, schema_version, payload, metadata)
    SELECT e.event_id, e.stream_id, e.version, e.event_type, e.schema_version, e.payload, e.metadata
    FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])
         WITH ORDINALITY
         AS e(event_id, stream_id, version, event_type, schema_version, payload, metadata, ord)
    WHERE (SELECT ok FROM allowed)
    ORDER BY e.ord
    RETURNING position, recorded_at
),
queued AS (
    INSERT INTO outbox (position) SELECT position FROM stored
),
consumed AS (
    INSERT INTO consumer_positions (consumer, sequence)
    SELECT $10::text, $11::bigint WHERE $10::text IS NOT NULL AND (SELECT ok FROM allowed)
    ON CONFLICT (consumer) DO UPDATE SET sequence = EXCLUDED.sequence
    WHERE consumer_positions.sequence < EXCLUDED.sequence
)
SELECT a.ok, s.position, s.recorded_at
FROM allowed a LEFT JOIN stored s ON true
ORDER BY s.position
"""


# What a database needs before this store can use it, in order.
MIGRATIONS = ["plumbing.sql.leases", "plumbing.sql.eventstore"]


class PostgresEventStore(EventStore):
    """Events, the outbox and inbound message ids, written in one transaction."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def _write(self, batch: Batch) -> list[StoredEvent]:
        events, messages, position = batch.events, batch.messages, batch.position
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
                [m.message_id for m in messages],
                [m.sequence for m in messages],
                position.consumer if position else None,
                position.sequence if position else None,
                position.epoch if position else None,
            )
        except asyncpg.UniqueViolationError as error:
            if error.constraint_name == "inbound_messages_pkey":
                raise DuplicateMessageError(str(error)) from error
            raise batch.conflict() from error
        if not rows[0]["ok"]:
            assert position is not None
            raise position.fenced_out()
        return [
            e.stored(r["position"], r["recorded_at"])
            for e, r in zip(events, rows if events else [], strict=True)
        ]

    async def read_stream(self, stream_id: str, after_version: int = 0) -> list[StoredEvent]:
        rows = await self._pool.fetch(
            "SELECT * FROM events WHERE stream_id = $1 AND version > $2 ORDER BY version",
            stream_id,
            after_version,
        )
        return _stored(rows)

    async def read_streams(self, prefix: str, after_position: int = 0) -> list[StoredEvent]:
        rows = await self._pool.fetch(
            "SELECT * FROM events WHERE position > $1 AND starts_with(stream_id, $2)"
            " ORDER BY position",
            after_position,
            prefix,
        )
        return _stored(rows)

    async def stream_versions(self, stream_ids: Sequence[str]) -> dict[str, int]:
        rows = await self._pool.fetch(
            "SELECT stream_id, max(version) AS version FROM events"
            " WHERE stream_id = ANY($1::text[]) GROUP BY stream_id",
            list(stream_ids),
        )
        return {r["stream_id"]: r["version"] for r in rows}

    async def known_messages(self, message_ids: Sequence[UUID]) -> dict[UUID, int | None]:
        rows = await self._pool.fetch(
            "SELECT message_id, sequence FROM inbound_messages WHERE message_id = ANY($1::uuid[])",
            list(message_ids),
        )
        return {r["message_id"]: r["sequence"] for r in rows}

    async def position(self, consumer: str) -> int:
        value = await self._pool.fetchval(
            "SELECT sequence FROM consumer_positions WHERE consumer = $1", consumer
        )
        return int(value or 0)


def _stored(rows: Sequence[asyncpg.Record]) -> list[StoredEvent]:
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
