"""A projection's generations: the schemas its read models live in, one per generation.

A generation is created with the tracking tables and the projection's own tables; the views
read the active one; a rebuild fills a new one and activates it, and the generations before
it are dropped, giving way to readers that still use them.
"""

import asyncio
import logging

import asyncpg
from nats.js import JetStreamContext

from plumbing.database import Connection
from plumbing.jetstream import delete_consumers
from plumbing.parking import PARKED_SQL
from plumbing.read_model_versions import keep_versions, per_schema
from plumbing.read_models import active_generation, schema_name
from plumbing.stream_order import STREAM_ORDER_SQL

log = logging.getLogger(__name__)

# How often dropping a replaced generation gives way to readers before leaving it.
DROP_ATTEMPTS = 300

TRACKING_SQL = (
    "CREATE TABLE IF NOT EXISTS tracking (stream text PRIMARY KEY, sequence bigint NOT NULL);"
    + STREAM_ORDER_SQL
    + PARKED_SQL
)


class Generations:
    """The generations of the projection ``name``, whose tables ``tables_sql`` declares and
    whose consumers read ``stream``."""

    def __init__(self, js: JetStreamContext, name: str, tables_sql: str, stream: str) -> None:
        self._js = js
        self._name = name
        self._tables_sql = tables_sql
        self._stream = stream

    async def is_active(self, conn: Connection, generation: int) -> bool:
        return await active_generation(conn, self._name) == generation

    async def ensure_active(self, conn: Connection) -> int:
        """The active generation, made and activated first when there is none."""
        generation = await active_generation(conn, self._name)
        if generation is not None:
            # A generation made before a table existed gets it now.
            async with conn.transaction():
                await self._add_tables(conn, schema_name(self._name, generation))
            return generation
        generation = await self.create(conn)
        await conn.execute(
            "INSERT INTO projection_active (projection, generation) VALUES ($1, $2)"
            " ON CONFLICT (projection) DO NOTHING",
            self._name,
            generation,
        )
        active = await active_generation(conn, self._name)
        assert active is not None
        return active

    async def create(self, conn: Connection) -> int:
        """A new generation's number, its schema made with its tables."""
        async with conn.transaction():
            generation = int(
                await conn.fetchval(
                    "INSERT INTO projection_generations (projection, generation)"
                    " SELECT $1, coalesce(max(generation), 0) + 1 FROM projection_generations"
                    " WHERE projection = $1 RETURNING generation",
                    self._name,
                )
            )
            schema = schema_name(self._name, generation)
            await conn.execute(f"CREATE SCHEMA {schema}")
            await self._add_tables(conn, schema)
        return generation

    async def _add_tables(self, conn: Connection, schema: str) -> None:
        """Inside a transaction: the tables ``schema`` lacks (every statement is idempotent)."""
        await conn.execute(f"SET LOCAL search_path TO {schema}")
        await conn.execute(TRACKING_SQL)
        await conn.execute(self._tables_sql)
        await keep_versions(conn, schema)

    async def activate(self, conn: Connection, new: int) -> None:
        """Switch the views to ``new`` and drop the generations before it."""
        await conn.execute(
            "INSERT INTO projection_active (projection, generation) VALUES ($1, $2)"
            " ON CONFLICT (projection) DO UPDATE SET generation = EXCLUDED.generation",
            self._name,
            new,
        )
        # Every earlier one, not only the last: one left in use by a rebuild before goes too.
        replaced = await conn.fetch(
            "SELECT generation FROM projection_generations"
            " WHERE projection = $1 AND generation < $2 ORDER BY generation",
            self._name,
            new,
        )
        for row in replaced:
            await self._drop(conn, int(row["generation"]))

    async def _drop(self, conn: Connection, generation: int) -> None:
        schema = schema_name(self._name, generation)
        try:
            await delete_consumers(self._js, self._stream, schema)
        except Exception:
            log.info("consumers of %s were already gone", schema)
        # A view or a batch that began before the switch may still read the old tables,
        # taking their locks one by one while the drop takes them all: waiting on each
        # other would deadlock. So the drop gives way (a short lock timeout) and tries
        # again, and those readers never wait on it for long.
        for _ in range(DROP_ATTEMPTS):
            try:
                async with conn.transaction():
                    await conn.execute("SET LOCAL lock_timeout = '200ms'")
                    await conn.execute(f"DROP SCHEMA IF EXISTS {per_schema(schema)} CASCADE")
                    await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                return
            except (asyncpg.LockNotAvailableError, asyncpg.DeadlockDetectedError):
                await asyncio.sleep(0.1)
        log.warning("%s is still in use; the next rebuild drops it", schema)
