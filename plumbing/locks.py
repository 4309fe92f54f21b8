"""PostgreSQL advisory locks: one process at a time does a piece of work, others stand by."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg


@contextlib.asynccontextmanager
async def sole_worker(
    pool: asyncpg.Pool,
    key: str,
    stop: asyncio.Event,
    still_wanted: Callable[[], Awaitable[bool]] | None = None,
    poll_seconds: float = 1.0,
) -> AsyncIterator[bool]:
    """Yield True once this process holds the lock named ``key``, False if it gave up.

    It gives up when ``stop`` is set or ``still_wanted`` says the work is no longer needed.
    The lock lives with its connection: if the process dies, PostgreSQL releases it and a
    standby takes over.
    """
    async with pool.acquire() as conn:
        while not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):
            if stop.is_set() or (still_wanted is not None and not await still_wanted()):
                yield False
                return
            await asyncio.sleep(poll_seconds)
        try:
            yield True
        finally:
            await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", key)
