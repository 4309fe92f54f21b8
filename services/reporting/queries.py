"""Reading the active generation of the read models."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg

from plumbing import parking
from plumbing.database import Connection
from plumbing.projection import active_generation, schema_name
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


async def in_active_generation(
    pool: asyncpg.Pool, read: Callable[[Connection], Awaitable[T]]
) -> T:
    """``read`` run in one consistent snapshot of the active generation's read models."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        generation = await active_generation(conn, BudgetProjection.name)
        if generation is None:
            raise NotReady
        await conn.execute(
            f"SET LOCAL search_path TO {schema_name(BudgetProjection.name, generation)}"
        )
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


async def parked_events(pool: asyncpg.Pool) -> list[parking.ParkedRow]:
    return await in_active_generation(pool, parking.listing)


async def parked_counts(pool: asyncpg.Pool) -> tuple[int, int]:
    """How many events are parked, and how many no operator has seen (0, 0 before any)."""
    try:
        return await in_active_generation(pool, parking.counts)
    except NotReady:
        return 0, 0
