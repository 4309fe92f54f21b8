"""The outbox relay sleeps until an append notifies it (LISTEN/NOTIFY), on real PostgreSQL
and NATS. Its safety poll is set to an hour here, so an event that reaches NATS was found
because the append's transaction said so, not because the relay looked by itself."""

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from plumbing.database import create_pool
from plumbing.eventstore import NewEvent
from plumbing.migrations import migrate
from plumbing.nats_connection import StreamSpec, ensure_streams
from plumbing.outbox import OutboxRelay
from plumbing.postgres_eventstore import MIGRATIONS, PostgresEventStore
from tests.conftest import eventually
from tests.system import running

STREAM = "WAKEUP_EVENTS"
AN_HOUR = 3600.0

# The relay's listening connection: its last statement was LISTEN, and it sends no other.
_LISTENERS = (
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    " AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()"
)


@pytest.fixture
async def pool(budget_database: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(budget_database)
    async with pool.acquire() as conn:
        await migrate(conn, MIGRATIONS)
    yield pool
    await pool.close()


def relay(pool: asyncpg.Pool, nc: Client) -> OutboxRelay:
    return OutboxRelay(
        pool, nc, lambda event_type: f"wakeup.{event_type}", safety_poll_seconds=AN_HOUR
    )


async def append(pool: asyncpg.Pool, version: int) -> None:
    event = NewEvent(uuid.uuid4(), "s", version, "Happened", 1, {"n": str(version)}, {})
    await PostgresEventStore(pool).append([event])


async def published(js: JetStreamContext) -> int:
    return int((await js.stream_info(STREAM)).state.messages)


async def listeners(pool: asyncpg.Pool) -> list[int]:
    return [r["pid"] for r in await pool.fetch(_LISTENERS)]


async def test_each_event_appended_is_published_though_the_relay_never_polls(
    pool: asyncpg.Pool, nats_client: tuple[Client, JetStreamContext]
) -> None:
    nc, js = nats_client
    await ensure_streams(js, [StreamSpec(STREAM, ["wakeup.>"])])
    async with running(pool, [relay(pool, nc)]):
        await eventually(lambda: listeners(pool))
        for version in range(1, 4):
            # After the first, the relay had found the outbox empty and went to sleep for an
            # hour: only the append's notification wakes it.
            await append(pool, version)
            await eventually(lambda: published(js), lambda n, v=version: n == v)
        assert await pool.fetchval("SELECT count(*) FROM outbox") == 0


async def test_a_relay_whose_listening_connection_was_ended_listens_again_and_misses_nothing(
    pool: asyncpg.Pool,
    nats_client: tuple[Client, JetStreamContext],
    caplog: pytest.LogCaptureFixture,
) -> None:
    nc, js = nats_client
    await ensure_streams(js, [StreamSpec(STREAM, ["wakeup.>"])])
    async with running(pool, [relay(pool, nc)]):
        (first,) = await eventually(lambda: listeners(pool))
        await append(pool, 1)
        await eventually(lambda: published(js), lambda n: n == 1)

        # As when PostgreSQL restarts or an administrator ends the backend.
        assert await pool.fetchval("SELECT pg_terminate_backend($1)", first)
        await append(pool, 2)  # perhaps while no one listens: found when it listens again
        await eventually(lambda: published(js), lambda n: n == 2)
        (again,) = await eventually(
            lambda: listeners(pool), lambda pids: len(pids) == 1 and first not in pids
        )
        assert again != first

        await append(pool, 3)  # heard on the new connection
        await eventually(lambda: published(js), lambda n: n == 3)
    # The relay listened again by itself: it never failed and was started anew.
    assert [r.getMessage() for r in caplog.records if r.name == "plumbing.service"] == []


async def _outbox_vacuums(pool: asyncpg.Pool) -> int:
    count = await pool.fetchval(
        "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'outbox'"
    )
    return int(count or 0)


async def test_the_relay_vacuums_the_outbox_after_removing_many_rows(
    pool: asyncpg.Pool, nats_client: tuple[Client, JetStreamContext]
) -> None:
    """Dead rows of relayed events must not pile up until autovacuum comes by: the relay
    vacuums the outbox itself once it has removed ``vacuum_after_rows``."""
    nc, js = nats_client
    await ensure_streams(js, [StreamSpec(STREAM, ["wakeup.>"])])
    before = await _outbox_vacuums(pool)
    quick = OutboxRelay(pool, nc, lambda event_type: f"wakeup.{event_type}", vacuum_after_rows=5)
    async with running(pool, [quick]):
        await eventually(lambda: listeners(pool))
        for version in range(1, 4):  # three rows removed: not yet
            await append(pool, version)
            await eventually(lambda: published(js), lambda n, v=version: n == v)
        assert await _outbox_vacuums(pool) == before
        for version in range(4, 7):  # six: vacuumed
            await append(pool, version)
        await eventually(lambda: published(js), lambda n: n == 6)
        await eventually(lambda: _outbox_vacuums(pool), lambda n: n == before + 1)
        assert await pool.fetchval("SELECT count(*) FROM outbox") == 0
