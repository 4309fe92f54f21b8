"""Reading the active generation of the read models."""

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import asyncpg

from plumbing import parking
from plumbing.database import Connection
from plumbing.projection import active_generation, schema_name
from services.reporting.goals_projection import GoalsProjection
from services.reporting.goals_view import (
    AssessmentRow,
    CommitmentRow,
    GoalRow,
    GoalsInput,
    IndicatorRow,
    MeasurementRow,
    NoteRow,
    PerspectiveRow,
    UnitName,
)
from services.reporting.plan import (
    FigureRow,
    FrameChangeRow,
    NarrativeRow,
    NetInvestmentRow,
    PlanInput,
    ProjectShareRow,
    UnitRow,
    UnknownUnit,
)
from services.reporting.projection import BudgetProjection
from services.reporting.projects_projection import ProjectsProjection

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
    # public last: where the generations are named, so the path can be pointed again.
    await conn.execute(f"SET LOCAL search_path TO {', '.join([*schemas, 'public'])}")
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


async def plan_input(pool: asyncpg.Pool, year: int, unit_code: str | None = None) -> PlanInput:
    """Everything the plan for ``year`` shows, read in one consistent snapshot; with
    ``unit_code``, the result goals of its subtree too."""

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
        shares = await conn.fetch(
            "SELECT unit_code, year, project_code, revenue FROM project_shares"
            " WHERE year BETWEEN $1 AND $2 ORDER BY unit_code, year, project_code",
            *years,
        )
        parked, _ = await parking.counts(conn)
        goals = None
        if unit_code is not None and await use_active_generations(
            conn, (GoalsProjection.name, BudgetProjection.name)
        ):
            goals = await read_goals(conn, unit_code, year)
            parked += goals.parked
        return PlanInput(
            units=[UnitRow(**dict(r)) for r in units],
            figures=[FigureRow(**dict(r)) for r in figures],
            frame_changes=[FrameChangeRow(**dict(r)) for r in frame_changes],
            net_investments=[NetInvestmentRow(**dict(r)) for r in investments],
            narratives=[NarrativeRow(**dict(r)) for r in narratives],
            parked=parked,
            goals=goals,
            project_shares=[ProjectShareRow(**dict(r)) for r in shares],
        )

    return await in_active_generation(pool, read)


# The unit and its subtree, each with its path of registration orders (tree order when
# sorted); a parent cycle in bad data ends at a depth no tree reaches.
_SUBTREE_SQL = """
WITH RECURSIVE walk (code, name, path) AS (
    SELECT code, name, ARRAY[ord] FROM units WHERE code = $1
    UNION ALL
    SELECT u.code, u.name, walk.path || u.ord FROM units u JOIN walk ON u.parent_code = walk.code
    WHERE cardinality(walk.path) < 64
), tree AS (
    SELECT DISTINCT ON (code) code, name, path FROM walk ORDER BY code, cardinality(path)
)
"""


def _rows(cls: Callable[..., T], records: Sequence[asyncpg.Record]) -> list[T]:
    return [cls(**dict(r)) for r in records]


async def read_goals(conn: Connection, unit_code: str, year: int) -> GoalsInput:
    """The goals of ``unit_code``'s subtree whose years cover ``year``, with what hangs on
    them; the search path names the goals and the budget projections' generations."""
    units = await conn.fetch(_SUBTREE_SQL + "SELECT code, name FROM tree ORDER BY path", unit_code)
    goals = await conn.fetch(
        _SUBTREE_SQL + "SELECT g.goal_id, g.unit_code, g.perspective_id, g.title, g.first_year,"
        ' g.last_year, g.decision, g.ord AS "order"'
        " FROM goals g JOIN tree t ON t.code = g.unit_code"
        " WHERE $2 BETWEEN g.first_year AND g.last_year ORDER BY t.path, g.ord",
        unit_code,
        year,
    )
    goal_ids = [g["goal_id"] for g in goals]
    commitments = await conn.fetch(
        "SELECT commitment_id, goal_id, kind, text, follow_up, by_gender, target_comparison,"
        " target_value, target_unit, target_due_year, target_due_on, baseline_value,"
        ' baseline_women, baseline_men, baseline_period, baseline_source, ord AS "order"'
        " FROM commitments WHERE goal_id = ANY($1::text[]) ORDER BY ord",
        goal_ids,
    )
    commitment_ids = [c["commitment_id"] for c in commitments]
    indicators = await conn.fetch(
        "SELECT indicator_id, commitment_id, goal_id, name, cadence, follow_up, unit, by_gender,"
        ' ord AS "order" FROM indicators'
        " WHERE goal_id = ANY($1::text[]) OR commitment_id = ANY($2::text[]) ORDER BY ord",
        goal_ids,
        commitment_ids,
    )
    measures = commitment_ids + [i["indicator_id"] for i in indicators]
    notes = await conn.fetch(
        'SELECT note_id, attached_to, kind, text, ord AS "order" FROM notes'
        " WHERE attached_to = ANY($1::text[]) ORDER BY ord",
        goal_ids + measures,
    )
    values = "measure_id, period, total, women, men, source, recorded_at"
    measurements = await conn.fetch(
        f"SELECT {values} FROM measurements WHERE measure_id = ANY($1::text[])", measures
    )
    history = await conn.fetch(
        f"SELECT {values} FROM measurement_history WHERE measure_id = ANY($1::text[]) ORDER BY ord",
        measures,
    )
    assessments = await conn.fetch(
        "SELECT commitment_id, period, status, comment FROM activity_assessments"
        " WHERE commitment_id = ANY($1::text[])",
        commitment_ids,
    )
    perspectives = await conn.fetch(
        'SELECT perspective_id, board_code, name, position, parent_id, ord AS "order"'
        " FROM perspectives ORDER BY ord"
    )
    parked, _ = await parking.counts(conn)
    return GoalsInput(
        units=_rows(UnitName, units),
        perspectives=_rows(PerspectiveRow, perspectives),
        goals=_rows(GoalRow, goals),
        commitments=_rows(CommitmentRow, commitments),
        indicators=_rows(IndicatorRow, indicators),
        notes=_rows(NoteRow, notes),
        measurements=_rows(MeasurementRow, measurements),
        measurement_history=_rows(MeasurementRow, history),
        assessments=_rows(AssessmentRow, assessments),
        parked=parked,
    )


async def goals_input(pool: asyncpg.Pool, unit_code: str, year: int) -> GoalsInput:
    """The goals view's rows, in one snapshot of the goals and the budget projections.

    Raises UnknownUnit when the organisation tree has no ``unit_code``.
    """

    async def read(conn: Connection) -> GoalsInput:
        data = await read_goals(conn, unit_code, year)
        if not data.units:
            raise UnknownUnit(unit_code)
        return data

    return await in_active_generation(pool, read, (GoalsProjection.name, BudgetProjection.name))


# Every projection of reporting, with how an operator's listing names it.
PROJECTIONS: tuple[tuple[str, str], ...] = (
    (BudgetProjection.name, "budget"),
    (GoalsProjection.name, "mål"),
    (ProjectsProjection.name, "projekt"),
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
