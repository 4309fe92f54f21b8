"""Reading the active generation of the read models."""

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import asyncpg

from plumbing import parking
from plumbing.database import Connection
from plumbing.projection import active_generation, schema_name
from services.reporting.goals_projection import GoalsProjection
from services.reporting.plan import (
    FigureRow,
    FrameChangeRow,
    NarrativeRow,
    NetInvestmentRow,
    PlanInput,
    UnitRow,
)
from services.reporting.projection import BudgetProjection

T = TypeVar("T")


class NotReady(Exception):
    """No read model has been built yet."""


async def use_active_generations(conn: Connection, projections: Sequence[str]) -> bool:
    """Point this transaction's search path at the active generation of each of
    ``projections``, in that order (where two hold a table of the same name, such as
    ``parked``, the first one's is read). False, and the path unchanged, when one of them
    has no generation yet."""
    schemas = []
    for projection in projections:
        generation = await active_generation(conn, projection)
        if generation is None:
            return False
        schemas.append(schema_name(projection, generation))
    await conn.execute(f"SET LOCAL search_path TO {', '.join(schemas)}")
    return True


async def in_active_generation(
    pool: asyncpg.Pool,
    read: Callable[[Connection], Awaitable[T]],
    projections: Sequence[str] = (BudgetProjection.name,),
) -> T:
    """``read`` run in one consistent snapshot of the active generations' read models."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        if not await use_active_generations(conn, projections):
            raise NotReady
        return await read(conn)


async def plan_input(pool: asyncpg.Pool, year: int) -> PlanInput:
    """Everything the plan for ``year`` shows, read in one consistent snapshot."""

    async def read(conn: Connection) -> PlanInput:
        years = [year - 1, year + 2]
        units = await conn.fetch(
            "SELECT code, name, kind, parent_code, manager_title, manager_name, closed_on,"
            ' ord AS "order" FROM units ORDER BY ord'
        )
        figures = await conn.fetch(
            "SELECT unit_code, year, kind, status, revenue, costs, decision FROM figures"
            " WHERE year BETWEEN $1 AND $2",
            *years,
        )
        frame_changes = await conn.fetch(
            'SELECT unit_code, year, amount, reasons, decision, ord AS "order"'
            " FROM frame_changes WHERE year = $1 ORDER BY ord",
            year,
        )
        investments = await conn.fetch(
            "SELECT unit_code, year, kind, amount FROM net_investments"
            " WHERE year BETWEEN $1 AND $2",
            *years,
        )
        narratives = await conn.fetch(
            "SELECT unit_code, year, section, text FROM narratives WHERE year = $1", year
        )
        parked, _ = await parking.counts(conn)
        return PlanInput(
            units=[UnitRow(**dict(r)) for r in units],
            figures=[FigureRow(**dict(r)) for r in figures],
            frame_changes=[FrameChangeRow(**dict(r)) for r in frame_changes],
            net_investments=[NetInvestmentRow(**dict(r)) for r in investments],
            narratives=[NarrativeRow(**dict(r)) for r in narratives],
            parked=parked,
        )

    return await in_active_generation(pool, read)


# Every projection of reporting, with how an operator's listing names it.
PROJECTIONS: tuple[tuple[str, str], ...] = (
    (BudgetProjection.name, "budget"),
    (GoalsProjection.name, "mål"),
)


async def parked_events(pool: asyncpg.Pool) -> list[tuple[str, parking.ParkedRow]]:
    """The parked events of every projection's active generation: (projection, row)."""
    found: list[tuple[str, parking.ParkedRow]] = []
    for projection, _ in PROJECTIONS:
        try:
            rows = await in_active_generation(pool, parking.listing, (projection,))
        except NotReady:
            continue
        found.extend((projection, row) for row in rows)
    return found


async def parked_counts(pool: asyncpg.Pool) -> tuple[int, int]:
    """How many events are parked, and how many no operator has seen (0, 0 before any),
    over every projection."""
    parked = unseen = 0
    for projection, _ in PROJECTIONS:
        try:
            counts = await in_active_generation(pool, parking.counts, (projection,))
        except NotReady:
            continue
        parked, unseen = parked + counts[0], unseen + counts[1]
    return parked, unseen


async def mark_parked_seen(pool: asyncpg.Pool) -> int:
    marked = 0
    for projection, _ in PROJECTIONS:
        try:
            marked += await in_active_generation(pool, parking.mark_seen, (projection,))
        except NotReady:
            continue
    return marked
