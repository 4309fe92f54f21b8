"""One worker at a time: a PostgreSQL advisory lock plus a fencing token.

The advisory lock lives with one connection. When that connection breaks (PostgreSQL
restarted, the network failed) the lock is gone, and a standby may take it at once,
while the old holder may not yet know. Two things keep the old holder from doing harm:
it watches its lock connection and stops as soon as it breaks (``Lease.lost``), and
each time the lock is taken the worker's epoch in ``worker_leases`` is raised, and every
write of the worker checks its epoch in the same transaction (see ``FENCE_SQL``). The
watch stops it early; the epoch makes it impossible for it to write, however late it
notices.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import asyncpg

from plumbing import logs
from plumbing.database import Connection, keeps_session_state
from plumbing.errors import is_infrastructure

log = logging.getLogger(__name__)

# True only while ``$name`` is still held at ``$epoch``: for a worker's read.
HELD_SQL = "SELECT 1 FROM worker_leases WHERE name = {name} AND epoch = {epoch}"
# Used inside a worker's write: FOR SHARE makes a new holder's epoch raise wait until this
# write has committed, so the new holder reads the position this write left.
FENCE_SQL = HELD_SQL + " FOR SHARE"


class LeaseLost(Exception):
    """This worker no longer holds its lock; whatever it was about to store is refused."""


@dataclass
class Lease:
    """Proof that this process is the one worker named ``name``, at ``epoch``."""

    name: str
    epoch: int
    lost: asyncio.Event = field(default_factory=asyncio.Event)

    def check(self) -> None:
        if self.lost.is_set():
            raise LeaseLost(f"{self.name}: lock lost at epoch {self.epoch}")


async def fenced(conn: Connection, lease: Lease) -> None:
    """Raise LeaseLost unless ``lease`` still holds; call inside the write's transaction."""
    lease.check()
    held = await conn.fetchval(FENCE_SQL.format(name="$1", epoch="$2"), lease.name, lease.epoch)
    refuse_unless_held(lease, held is not None)


def refuse_unless_held(lease: Lease, held: bool) -> None:
    """Raise LeaseLost unless the fence (FENCE_SQL, read in the write's transaction) found
    ``lease`` still holding."""
    if not held:
        if not lease.lost.is_set():
            logs.lifecycle("lock lost", logging.WARNING, lock=lease.name, epoch=lease.epoch)
        lease.lost.set()
        raise LeaseLost(f"{lease.name}: another worker took over after epoch {lease.epoch}")


async def _raise_epoch(conn: Connection, name: str) -> int:
    return int(
        await conn.fetchval(
            "INSERT INTO worker_leases (name, epoch) VALUES ($1, 1)"
            " ON CONFLICT (name) DO UPDATE SET epoch = worker_leases.epoch + 1,"
            " acquired_at = now() RETURNING epoch",
            name,
        )
    )


async def _watch(conn: Connection, lease: Lease, interval: float, released: asyncio.Event) -> None:
    """Set ``lease.lost`` as soon as the lock's connection stops answering; end once
    ``released`` is set.

    Ending does not rest on cancellation alone: Python 3.11's ``asyncio.wait_for`` drops a
    cancel that arrives in the same turn as the awaited answer, and the watch would then
    go on pinging for as long as the lock's connection answers, with its worker waiting on
    it. ``asyncio.timeout`` lets such a cancel through, and ``released`` ends the loop in
    any case.
    """
    while not (lease.lost.is_set() or released.is_set()):
        await asyncio.sleep(interval)
        if released.is_set():
            return
        try:
            async with asyncio.timeout(min(max(interval, 2.0), 5.0)):
                await conn.fetchval("SELECT 1")
        except Exception as error:
            logs.lifecycle(
                "lock lost", logging.WARNING, lock=lease.name, epoch=lease.epoch, error=repr(error)
            )
            lease.lost.set()


@contextlib.asynccontextmanager
async def sole_worker(
    pool: asyncpg.Pool,
    key: str,
    stop: asyncio.Event,
    still_wanted: Callable[[], Awaitable[bool]] | None = None,
    poll_seconds: float = 1.0,
    # A closed connection is noticed at once (its termination listener); the ping is for a
    # server that hangs with the connection open, and is slow so that idle workers are quiet
    # (it was 5 s). Noticing later changes no failover: a standby takes the lock when
    # PostgreSQL lets it go, whatever the holder knows, and the epoch fences the old holder.
    watch_seconds: float = 30.0,
) -> AsyncIterator[Lease | None]:
    """Yield a Lease once this process holds the lock named ``key``, None if it gave up.

    It gives up when ``stop`` is set or ``still_wanted`` says the work is no longer needed.
    If the process dies, PostgreSQL releases the lock and a standby takes over.
    """
    async with pool.acquire() as conn:
        keeps_session_state(conn)
        while not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):
            if stop.is_set() or (still_wanted is not None and not await still_wanted()):
                yield None
                return
            await asyncio.sleep(poll_seconds)
        lease = Lease(key, await _raise_epoch(conn, key))
        logs.lifecycle("lock taken", lock=key, epoch=lease.epoch)
        released = asyncio.Event()

        def closed(*_: object) -> None:
            log.warning("lock %s lost with its connection", key)
            lease.lost.set()

        conn.add_termination_listener(closed)
        watch = asyncio.create_task(
            _watch(conn, lease, watch_seconds, released), name=f"watch {key}"
        )
        try:
            yield lease
        finally:
            # A connection that broke was already let go by the pool, listener and all.
            with contextlib.suppress(asyncpg.InterfaceError):
                conn.remove_termination_listener(closed)
            released.set()
            watch.cancel()
            try:
                # Unlike awaiting the task, this lets a cancel of this worker itself through.
                await asyncio.wait({watch})
            finally:
                await _unlock(conn, key)
                if not lease.lost.is_set():
                    logs.lifecycle("lock released", lock=key, epoch=lease.epoch)


async def _unlock(conn: Connection, key: str) -> None:
    try:
        await asyncio.wait_for(
            conn.execute("SELECT pg_advisory_unlock(hashtext($1))", key), timeout=2.0
        )
    except Exception as error:
        if not is_infrastructure(error):
            raise
        # Closing the connection is what surely ends a session lock; the pool replaces it.
        log.info("lock %s went with its connection: %r", key, error)
        # One that broke was already let go by the pool: nothing is left to close.
        with contextlib.suppress(asyncpg.InterfaceError):
            conn.terminate()
