"""Reading the active generation of the read models."""

import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TypeVar

import asyncpg

from plumbing import parking
from plumbing.database import Connection
from plumbing.projection import active_generation, schema_name
from plumbing.read_model_versions import read_as_of, read_moment
from services.reporting.budget_versions import STATUSES
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
from services.reporting.projects_view import (
    BudgetRow,
    FinancingRow,
    GoalLinkRow,
    ManagerRow,
    ProjectRow,
    ProjectsInput,
    ShareRow,
    StatusChangeRow,
    StatusReportRow,
    StepRow,
    UnitNode,
)

T = TypeVar("T")


class NotReady(Exception):
    """No read model has been built yet."""


async def use_active_generations(
    conn: Connection, projections: Sequence[str], per: datetime | None = None
) -> bool:
    """Point this transaction's search path at the active generation of each of
    ``projections``, in that order (where two hold a table of the same name, such as
    ``parked``, the first one's is read), as they stand now or, with ``per`` (the moment
    ``in_active_generation`` was given), as they stood then. False, and
    the path unchanged, when one of them has no generation yet."""
    schemas = []
    for projection in projections:
        generation = await active_generation(conn, projection)
        if generation is None:
            return False
        schemas.append(schema_name(projection, generation))
    await read_as_of(conn, schemas, per)
    return True


async def in_active_generation(
    pool: asyncpg.Pool,
    read: Callable[[Connection], Awaitable[T]],
    projections: Sequence[str] = (BudgetProjection.name,),
    per: datetime | None = None,
) -> T:
    """``read`` run in one consistent snapshot of the active generations' read models, as
    they stand now or, with ``per``, as they stood at that moment."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        if per is not None:
            await read_moment(conn, per)
        if not await use_active_generations(conn, projections, per):
            raise NotReady
        return await read(conn)


def figures_sql(
    where: str, statuses: int, every_version: bool = False, in_order: bool = False
) -> str:
    """The figures ``where`` selects with a status among the text array parameter
    ``statuses``: per unit, year and kind the latest recorded of them (the version a view
    shows; ``in_order``: the first of them in the array's order there is, as a named version
    is made, budget_versions.MADE_OF), or with ``every_version`` each of them."""
    versions = "unit_code, year, kind, status" if every_version else "unit_code, year, kind"
    first = f"array_position(${statuses}::text[], status), " if in_order else ""
    return (
        f"SELECT DISTINCT ON ({versions}) unit_code, year, kind, status, revenue, costs,"
        f" decision FROM figures WHERE {where} AND status = ANY(${statuses}::text[])"
        f" ORDER BY {versions}, {first}known_from DESC"
    )


async def plan_input(
    pool: asyncpg.Pool,
    year: int,
    unit_code: str | None = None,
    per: datetime | None = None,
    statuses: Sequence[str] = STATUSES,
    every_version: bool = False,
    in_order: bool = False,
) -> PlanInput:
    """Everything the plan for ``year`` shows, read in one consistent snapshot; with
    ``unit_code``, the result goals of its subtree too. The figures are those of
    ``statuses`` (``figures_sql``)."""

    async def read(conn: Connection) -> PlanInput:
        years = [year - 1, year + 2]
        units = await conn.fetch(
            "SELECT code, name, kind, parent_code, manager_title, manager_name, closed_on,"
            ' ord AS "order" FROM units ORDER BY ord'
        )
        figures = await conn.fetch(
            figures_sql("year BETWEEN $1 AND $2", 3, every_version, in_order),
            *years,
            list(statuses),
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
        latest_actuals = await conn.fetchval(
            "SELECT max(period) FROM actuals WHERE period BETWEEN $1 AND $2",
            f"{year:04d}-01",
            f"{year:04d}-12",
        )
        parked, _ = await parking.counts(conn)
        goals = None
        if unit_code is not None and await use_active_generations(
            conn, (GoalsProjection.name, BudgetProjection.name), per
        ):
            goals = await read_goals(conn, unit_code, year)
            parked += goals.parked
        projects = None
        if unit_code is not None and await use_active_generations(
            conn, (ProjectsProjection.name, BudgetProjection.name), per
        ):
            projects = await read_plan_projects(conn, unit_code)
            parked += projects.parked
        return PlanInput(
            units=[UnitRow(**dict(r)) for r in units],
            figures=[FigureRow(**dict(r)) for r in figures],
            frame_changes=[FrameChangeRow(**dict(r)) for r in frame_changes],
            net_investments=[NetInvestmentRow(**dict(r)) for r in investments],
            narratives=[NarrativeRow(**dict(r)) for r in narratives],
            parked=parked,
            goals=goals,
            project_shares=[ProjectShareRow(**dict(r)) for r in shares],
            projects=projects,
            latest_actuals=latest_actuals,
        )

    return await in_active_generation(pool, read, per=per)


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
    return await _goals_input(conn, units, goals)


async def read_goals_by_id(conn: Connection, goal_ids: Sequence[str]) -> GoalsInput:
    """The goals named, whatever their years, with what hangs on them and their units."""
    goals = await conn.fetch(
        "SELECT goal_id, unit_code, perspective_id, title, first_year, last_year, decision,"
        ' ord AS "order" FROM goals WHERE goal_id = ANY($1::text[]) ORDER BY ord',
        list(goal_ids),
    )
    units = await conn.fetch(
        "SELECT code, name FROM units WHERE code = ANY($1::text[]) ORDER BY ord",
        sorted({g["unit_code"] for g in goals}),
    )
    return await _goals_input(conn, units, goals)


async def _goals_input(
    conn: Connection, units: Sequence[asyncpg.Record], goals: Sequence[asyncpg.Record]
) -> GoalsInput:
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


async def goals_input(
    pool: asyncpg.Pool, unit_code: str, year: int, per: datetime | None = None
) -> GoalsInput:
    """The goals view's rows, in one snapshot of the goals and the budget projections.

    Raises UnknownUnit when the organisation tree has no ``unit_code``.
    """

    async def read(conn: Connection) -> GoalsInput:
        data = await read_goals(conn, unit_code, year)
        if not data.units:
            raise UnknownUnit(unit_code)
        return data

    return await in_active_generation(
        pool, read, (GoalsProjection.name, BudgetProjection.name), per
    )


_PROJECT_COLUMNS = (
    "project_code, name, board_code, unit_code, run_by_project_office, project_manager,"
    " steering_group, purpose, goals_text, planned_start, planned_end, directive, decision,"
    ' registered_status, status, registered_at, registered_by, ord AS "order"'
)


async def read_plan_projects(conn: Connection, unit_code: str) -> ProjectsInput:
    """The projects whose responsible unit lies in ``unit_code``'s subtree; the search path
    names the projects and the budget projections' generations."""
    projects = await conn.fetch(
        _SUBTREE_SQL + f"SELECT {_PROJECT_COLUMNS} FROM projects"
        " WHERE unit_code IN (SELECT code FROM tree) ORDER BY ord",
        unit_code,
    )
    parked, _ = await parking.counts(conn)
    return ProjectsInput(projects=_rows(ProjectRow, projects), parked=parked)


async def _read_projects(conn: Connection, project_code: str | None) -> ProjectsInput:
    """Every project (or the one named) with all that hangs on it; the search path names
    the projects and the budget projections' generations."""
    where = "" if project_code is None else " WHERE project_code = $1"
    args = () if project_code is None else (project_code,)

    async def rows(cls: Callable[..., T], columns: str, table: str) -> list[T]:
        return _rows(
            cls, await conn.fetch(f"SELECT {columns} FROM {table}{where} ORDER BY 1", *args)
        )

    units = await conn.fetch('SELECT code, name, parent_code, ord AS "order" FROM units')
    shares = await conn.fetch(
        "SELECT unit_code, year, project_code, project_budget, revenue FROM project_shares"
        + where
        + " ORDER BY year, unit_code",
        *args,
    )
    parked, _ = await parking.counts(conn)
    return ProjectsInput(
        projects=await rows(ProjectRow, _PROJECT_COLUMNS, "projects"),
        units=_rows(UnitNode, units),
        status_changes=await rows(
            StatusChangeRow,
            "project_code, status, effective_on, decision, reason, recorded_at, actor,"
            ' ord AS "order"',
            "project_status_changes",
        ),
        managers=await rows(
            ManagerRow,
            'project_code, project_manager, effective_on, acting, reason, ord AS "order"',
            "project_managers",
        ),
        steps=await rows(
            StepRow,
            "project_code, step, name, period, planned_start, planned_end, cost_estimate,"
            " description",
            "project_steps",
        ),
        budgets=await rows(BudgetRow, "project_code, year, amount, decision", "project_budgets"),
        financing=await rows(
            FinancingRow,
            'project_code, source, year, amount, granted_on, note, ord AS "order"',
            "project_financing",
        ),
        status_reports=await rows(
            StatusReportRow,
            "project_code, period, schedule, cost, quality, text, reported_by, recorded_at,"
            ' ord AS "order"',
            "project_status_reports",
        ),
        goal_links=await rows(
            GoalLinkRow, 'project_code, goal_id, ord AS "order"', "project_goal_links"
        ),
        shares=_rows(ShareRow, shares),
        parked=parked,
    )


_PROJECTS_WITH_UNITS = (ProjectsProjection.name, BudgetProjection.name)


async def register_input(pool: asyncpg.Pool, per: datetime | None = None) -> ProjectsInput:
    """Every project, with the organisation tree, in one snapshot."""

    async def read(conn: Connection) -> ProjectsInput:
        return await _read_projects(conn, None)

    return await in_active_generation(pool, read, _PROJECTS_WITH_UNITS, per)


async def project_input(
    pool: asyncpg.Pool, project_code: str, per: datetime | None = None
) -> ProjectsInput:
    """One project with all that hangs on it and its linked goals (where the goals read
    model exists), in one snapshot."""

    async def read(conn: Connection) -> ProjectsInput:
        data = await _read_projects(conn, project_code)
        if data.goal_links and await use_active_generations(
            conn, (GoalsProjection.name, BudgetProjection.name), per
        ):
            goals = await read_goals_by_id(conn, [link.goal_id for link in data.goal_links])
            data = dataclasses.replace(data, goals=goals, parked=data.parked + goals.parked)
        return data

    return await in_active_generation(pool, read, _PROJECTS_WITH_UNITS, per)


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
