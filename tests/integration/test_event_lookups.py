"""The operators' look-ups of a message's journey find a service's events by message id,
correlation or trace id through their indexes (hash indexes: only equal values are asked
for), and find exactly the events asked for."""

import json
import uuid

import asyncpg

from plumbing.migrations import migrate
from plumbing.postgres_eventstore import MIGRATIONS
from services.reporting.operations.service_tables import caused_by, events_of

TRACE = "0af7651916cd43dd8448eb211c80319c"


async def _store(conn: asyncpg.Connection, metadata: list[dict[str, str]]) -> None:
    await conn.executemany(
        "INSERT INTO events (event_id, stream_id, version, event_type, schema_version,"
        " payload, metadata) VALUES ($1, $2, $3, 'Happened', 1, '{}', $4::jsonb)",
        [(uuid.uuid4(), "unit-IT", n, json.dumps(m)) for n, m in enumerate(metadata, 1)],
    )


async def test_a_journey_is_found_by_each_of_its_ids(budget_database: str) -> None:
    conn = await asyncpg.connect(budget_database)
    try:
        await migrate(conn, MIGRATIONS)
        message, other, cause = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
        await _store(
            conn,
            [
                {"message_id": message, "correlation_id": message},
                {"message_id": other, "correlation_id": message, "causation_id": cause},
                {"message_id": str(uuid.uuid4()), "traceparent": f"00-{TRACE}-b7ad6b7169203331-01"},
                *({"message_id": str(uuid.uuid4())} for _ in range(50)),
            ],
        )
        by_message = await events_of(conn, "budget", message)
        assert [e.version for e in by_message] == [1, 2]
        assert [e.version for e in await events_of(conn, "budget", other)] == [2]
        assert [e.version for e in await events_of(conn, "budget", TRACE)] == [3]
        assert [e.version for e in await caused_by(conn, "budget", [message], [cause])] == [2]
        assert await events_of(conn, "budget", str(uuid.uuid4())) == []
    finally:
        await conn.close()


async def test_the_look_ups_use_the_indexes(budget_database: str) -> None:
    conn = await asyncpg.connect(budget_database)
    try:
        await migrate(conn, MIGRATIONS)
        rows = await conn.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events'"
            " AND indexname IN ('events_message_id', 'events_correlation_id', 'events_trace_id')"
        )
        kinds: dict[str, str] = {r["indexname"]: r["indexdef"] for r in rows}
        assert len(kinds) == 3 and all(" USING hash " in d for d in kinds.values()), kinds
        # Only whether an index can answer the question's shape: a plan on a small table
        # would read the table anyway.
        await conn.execute("SET enable_seqscan = off")
        journey = "\n".join(
            r[0]
            for r in await conn.fetch(
                "EXPLAIN SELECT * FROM events WHERE metadata->>'message_id' = $1"
                " OR metadata->>'correlation_id' = $1"
                " OR substr(metadata->>'traceparent', 4, 32) = $1",
                "x",
            )
        )
        for index in kinds:
            assert f"Bitmap Index Scan on {index}" in journey, journey
        caused = "\n".join(
            r[0]
            for r in await conn.fetch(
                "EXPLAIN SELECT * FROM events WHERE metadata->>'correlation_id' = ANY($1::text[])",
                ["x", "y"],
            )
        )
        assert "Index Scan on events_correlation_id" in caused, caused
    finally:
        await conn.close()
