"""PostgreSQL connections: pools for a service, and creating a service's database."""

import os
import socket
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


async def create_pool(url: str, *, min_size: int = 1, max_size: int = 5) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
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
