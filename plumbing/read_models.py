"""Reading the read models: one consistent snapshot of the projections' active generations,
as they stand now or as they stood at a moment, without the reader naming a schema.

Each projection keeps its read models in a schema per generation (plumbing.projection). A
reader asks for the projections it reads, in order, and gets a session whose search path
names their active generations (the first one's table wins where two hold one of the same
name, such as ``parked``); with ``per`` it reads the as-of views of
plumbing.read_model_versions instead, so its queries are the same for any moment.
"""

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import asyncpg

from plumbing import parking
from plumbing.database import Connection
from plumbing.read_model_versions import read_as_of, read_moment

T = TypeVar("T")


class NotReady(Exception):
    """A projection read has no generation yet: its read models are still being built."""


def schema_name(projection: str, generation: int) -> str:
    """The schema of ``projection``'s read models in ``generation``."""
    return f"{projection}_g{generation}"


async def active_generation(conn: Connection, projection: str) -> int | None:
    value = await conn.fetchval(
        "SELECT generation FROM projection_active WHERE projection = $1", projection
    )
    return int(value) if value is not None else None


class ReadSession:
    """One repeatable-read transaction over the read models, at one moment (``per``, None:
    now). ``use`` points it at other projections within the same snapshot."""

    def __init__(self, conn: Connection, per: datetime | None) -> None:
        self._conn = conn
        self.per = per

    async def use(self, projections: Sequence[str]) -> bool:
        """Read ``projections``' active generations from now on, in that order. False, and
        the session unchanged, when one of them has no generation yet."""
        schemas = []
        for projection in projections:
            generation = await active_generation(self._conn, projection)
            if generation is None:
                return False
            schemas.append(schema_name(projection, generation))
        await read_as_of(self._conn, schemas, self.per)
        return True

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        return list(await self._conn.fetch(query, *args))

    async def fetchval(self, query: str, *args: Any) -> Any:
        return await self._conn.fetchval(query, *args)

    async def execute(self, query: str, *args: Any) -> str:
        """A change of the read models as they stand (an operator's repair)."""
        return await self._conn.execute(query, *args)

    async def parked_counts(self) -> tuple[int, int]:
        """How many events the first projection used has parked, and how many unseen."""
        return await parking.counts(self._conn)

    async def parked_listing(self) -> list[parking.ParkedRow]:
        return await parking.listing(self._conn)

    async def mark_parked_seen(self) -> int:
        return await parking.mark_seen(self._conn)


class ReadModels:
    """The read models of a database's projections, for those who read them."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def read(
        self,
        read: Callable[[ReadSession], Awaitable[T]],
        projections: Sequence[str],
        per: datetime | None = None,
    ) -> T:
        """``read`` run in one consistent snapshot of ``projections``' read models, as they
        stand now or, with ``per``, as they stood at that moment. Raises NotReady when one
        of them has no generation yet."""
        async with self._pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
            if per is not None:
                await read_moment(conn, per)
            session = ReadSession(conn, per)
            if not await session.use(projections):
                raise NotReady
            return await read(session)

    async def state(self, projections: Sequence[str]) -> tuple[object, ...]:
        """Each projection's active generation and the version of its tracking row, which
        every change of its read models writes: equal states, equal read models."""
        async with self._pool.acquire() as conn:
            active = await conn.fetch(
                "SELECT projection, generation FROM projection_active"
                " WHERE projection = ANY($1::text[]) ORDER BY projection",
                list(projections),
            )
            if not active:
                return ()
            # xmin: the transaction that last wrote the row, new with every write.
            versions = " UNION ALL ".join(
                f"SELECT {i} AS n, (SELECT string_agg(xmin::text, ',') FROM"
                f" {schema_name(r['projection'], r['generation'])}.tracking) AS version"
                for i, r in enumerate(active)
            )
            rows = await conn.fetch(f"{versions} ORDER BY n")
        return tuple(
            (r["projection"], r["generation"], v["version"])
            for r, v in zip(active, rows, strict=True)
        )
