"""A pool's connection given back is cleared of session state only where it was taken
(plumbing.database.keeps_session_state), on a real PostgreSQL: one lent for a lock or a
LISTEN never passes either on, and the others cost no reset round trip."""

from collections.abc import AsyncIterator

import asyncpg
import pytest

from plumbing.database import create_pool, keeps_session_state


@pytest.fixture
async def one_connection(budget_database: str) -> AsyncIterator[asyncpg.Pool]:
    # One connection: what the next borrower gets is the one given back.
    pool = await create_pool(budget_database, min_size=1, max_size=1)
    yield pool
    await pool.close()


_SESSION = """
SELECT pg_backend_pid() AS pid,
       (SELECT count(*) FROM pg_locks
        WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks,
       (SELECT count(*) FROM pg_listening_channels()) AS channels,
       current_setting('application_name') AS name
"""


async def test_a_connection_that_took_a_lock_and_listened_comes_back_clean(
    one_connection: asyncpg.Pool,
) -> None:
    async with one_connection.acquire() as conn:
        keeps_session_state(conn)
        await conn.execute("SELECT pg_advisory_lock(4242)")
        await conn.execute("LISTEN somewhere")
        held = await conn.fetchrow(_SESSION)
        assert held is not None and (held["locks"], held["channels"]) == (1, 1)
    async with one_connection.acquire() as conn:
        again = await conn.fetchrow(_SESSION)
    assert again is not None and again["pid"] == held["pid"]
    assert (again["locks"], again["channels"]) == (0, 0)


async def test_a_plain_connection_is_given_back_without_a_reset(
    one_connection: asyncpg.Pool,
) -> None:
    async with one_connection.acquire() as conn:
        await conn.execute("SET application_name = 'left as it was'")
    async with one_connection.acquire() as conn:
        again = await conn.fetchrow(_SESSION)
    assert again is not None and again["name"] == "left as it was"
