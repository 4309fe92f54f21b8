"""Waking a worker when PostgreSQL says there is work (LISTEN/NOTIFY), so that it need not
ask again and again while there is none.

A notification can be missed: it is sent to whoever listens at commit, and a listening
connection that broke (PostgreSQL restarted, the backend was ended) hears nothing until it
listens again. So a worker wakes anyway after ``safety_seconds``, and once more each time it
listens anew, and looks for itself; nothing waits longer than that for a lost notification.
"""

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg

from plumbing.database import keeps_session_state

log = logging.getLogger(__name__)


class Wakeup:
    """Set by a notification on ``channel`` in the pool's database, or by a lost connection.

    Use as an async context manager; ``wait`` returns when there may be work.
    """

    def __init__(self, pool: asyncpg.Pool, channel: str, safety_seconds: float) -> None:
        self._pool = pool
        self._channel = channel
        self._safety = safety_seconds
        self._conn: Any = None  # the pool's connection that listens, while it does
        self._notified = asyncio.Event()

    @property
    def listening(self) -> bool:
        return self._conn is not None and not _is_closed(self._conn)

    async def __aenter__(self) -> "Wakeup":
        await self._listen()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._let_go()

    def _heard(self, *_: object) -> None:
        self._notified.set()

    def _lost(self, *_: object) -> None:
        log.warning("the connection listening on %s was lost", self._channel)
        self._notified.set()  # look once: what was committed meanwhile was heard by no one

    async def _listen(self) -> None:
        """Listen on a connection of the pool's own; on failure, the safety poll covers."""
        await self._let_go()
        try:
            conn = await self._pool.acquire()
        except Exception as error:
            log.warning("cannot listen on %s yet: %r", self._channel, error)
            return
        self._conn = conn
        try:
            conn.add_termination_listener(self._lost)
            keeps_session_state(conn)
            await conn.add_listener(self._channel, self._heard)
        except Exception as error:
            log.warning("cannot listen on %s yet: %r", self._channel, error)
            await self._let_go()
            return
        # Whatever was committed before this listened was heard by no one.
        self._notified.set()

    async def _let_go(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if not _is_closed(conn):
            conn.remove_termination_listener(self._lost)
            try:
                await asyncio.wait_for(conn.remove_listener(self._channel, self._heard), 2.0)
            except Exception as error:
                log.info("could not stop listening on %s: %r", self._channel, error)
        # Releasing resets the connection (UNLISTEN *); one that broke is closed instead.
        try:
            await asyncio.wait_for(self._pool.release(conn), timeout=2.0)
        except Exception as error:
            log.info("listening connection let go: %r", error)
            with contextlib.suppress(asyncpg.InterfaceError):
                conn.terminate()

    def clear(self) -> None:
        """Before looking for work: a notification from now on wakes the next ``wait``."""
        self._notified.clear()

    async def wait(self, *interrupts: asyncio.Event) -> None:
        """Until notified, any of ``interrupts`` is set, or the safety poll is due; listens
        anew first when the listening connection was lost."""
        if not self.listening:
            await self._listen()
        if self._notified.is_set():
            return
        waiters = [asyncio.ensure_future(e.wait()) for e in (self._notified, *interrupts)]
        try:
            await asyncio.wait(waiters, timeout=self._safety, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()


def _is_closed(conn: Any) -> bool:
    try:
        return bool(conn.is_closed())
    except asyncpg.InterfaceError:
        return True  # the pool let go of it when it broke
