"""A worker hears at once that its lock went with its connection, though it pings that
connection only seldom (plumbing.locks), and a standby then takes the lock at a higher epoch;
on real PostgreSQL."""

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from plumbing.database import create_pool
from plumbing.locks import sole_worker
from plumbing.migrations import migrate
from tests.conftest import eventually

AN_HOUR = 3600.0

# The backend that holds the worker's advisory lock.
_HOLDER = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"


@pytest.fixture
async def pool(budget_database: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(budget_database)
    async with pool.acquire() as conn:
        await migrate(conn, ["plumbing.sql.leases"])
    yield pool
    await pool.close()


async def test_a_worker_whose_lock_connection_ends_knows_it_at_once_and_a_standby_takes_over(
    pool: asyncpg.Pool,
) -> None:
    stop = asyncio.Event()
    async with sole_worker(pool, "worker", stop, watch_seconds=AN_HOUR) as lease:
        assert lease is not None
        holder = await pool.fetchval(_HOLDER)
        assert holder is not None
        # As when PostgreSQL restarts or an administrator ends the backend: with a ping an
        # hour away, only the connection's end can tell the worker.
        assert await pool.fetchval("SELECT pg_terminate_backend($1)", holder)
        await eventually(lease.lost.is_set)
        first_epoch = lease.epoch

    async with sole_worker(pool, "worker", stop, watch_seconds=AN_HOUR) as standby:
        assert standby is not None and standby.epoch == first_epoch + 1
        assert not standby.lost.is_set()
