"""PostgreSQL connections: pools for a service, and creating a service's database."""

import os
import socket
import weakref
from typing import TYPE_CHECKING, Any, TypeAlias
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from pydantic_core import to_json

from plumbing.metrics import time_queries

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    # A connection of its own or one lent by a pool: the same to every caller.
    Connection: TypeAlias = asyncpg.Connection[Any] | PoolConnectionProxy[Any]
else:
    Connection = asyncpg.Connection


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb travels as text both ways; the callers decide how to parse it.
    await conn.set_type_codec("jsonb", encoder=str, decoder=str, schema="pg_catalog")
    time_queries(conn)


def application_name() -> str:
    """How this process names itself to PostgreSQL: the operators' view shows it as the
    holder of a worker's lock (pg_stat_activity), so it says which machine and process."""
    return f"kommunplan {socket.gethostname()} pid {os.getpid()}"[:63]


# Connections lent by a pool that took state beyond a transaction: a session lock, a
# LISTEN (plumbing.locks, plumbing.notifications, plumbing.migrations say so themselves).
_STATEFUL: "weakref.WeakSet[asyncpg.Connection[Any]]" = weakref.WeakSet()


def keeps_session_state(conn: Connection) -> None:
    """Say that ``conn`` now holds state beyond its transaction, which must be cleared before
    the pool lends it again."""
    _STATEFUL.add(_unproxied(conn))


def _unproxied(conn: Connection) -> "asyncpg.Connection[Any]":
    inner = getattr(conn, "_con", None)  # a pool's proxy lends the connection it wraps
    return inner if isinstance(inner, asyncpg.Connection) else conn  # type: ignore[return-value]


async def _reset_if_stateful(conn: "asyncpg.Connection[Any]") -> None:
    """The pool's reset of a connection given back. asyncpg has by then rolled back any open
    transaction and dropped its listener callbacks; what else a session can keep (locks,
    LISTEN, settings, cursors) is cleared with asyncpg's own reset query only where it was
    taken. Run on every connection, that query was a round trip for each batch of every
    worker, a sixth of the time the services spent in PostgreSQL at 500 events/s."""
    if conn in _STATEFUL:
        _STATEFUL.discard(conn)
        await conn.execute(conn.get_reset_query())


async def create_pool(url: str, *, min_size: int = 1, max_size: int = 5) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_reset_if_stateful,
        server_settings={"application_name": application_name()},
    )
    assert pool is not None
    return pool


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database (works for the ?host= socket form)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


async def ensure_database(server_url: str, database: str) -> str:
    """Create ``database`` on the server if missing; return its URL."""
    conn = await asyncpg.connect(server_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()
    return with_database(server_url, database)


def dumps(value: object) -> str:
    """JSON text for jsonb columns; Decimal and UUID values are expected already as str.

    pydantic's serialiser writes what the standard library's would (PostgreSQL parses it
    into jsonb either way) in a tenth of the time, and every stored event goes through it."""
    return to_json(value).decode()
