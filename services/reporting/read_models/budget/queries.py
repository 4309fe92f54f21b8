"""Reading the budget's read models in a read-model session (plumbing.read_models)."""

from collections.abc import Sequence

from plumbing.read_model_tables import rows_of
from plumbing.read_models import ReadSession
from services.reporting.read_models.budget.tables import (
    ACTUALS,
    BUDGET_PROFILES,
    FIGURES,
    FORECASTS,
    FRAME_CHANGES,
    MONTH_COMMENTS,
    NARRATIVES,
    NET_INVESTMENTS,
    NOTES,
    PROFILE_COLUMNS,
    PROJECT_SHARES,
    READY_MARKS,
    UNITS,
    CommentRow,
    FigureRow,
    FrameChangeRow,
    MonthRow,
    NarrativeRow,
    NetInvestmentRow,
    NoteRow,
    ProjectShareRow,
    ReadyRow,
    ShareRow,
    UnitRow,
)

# The unit and its subtree, each with its path of registration orders (tree order when
# sorted); a parent cycle in bad data ends at a depth no tree reaches.
SUBTREE_SQL = """
WITH RECURSIVE walk (code, name, path) AS (
    SELECT code, name, ARRAY[ord] FROM units WHERE code = $1
    UNION ALL
    SELECT u.code, u.name, walk.path || u.ord FROM units u JOIN walk ON u.parent_code = walk.code
    WHERE cardinality(walk.path) < 64
), tree AS (
    SELECT DISTINCT ON (code) code, name, path FROM walk ORDER BY code, cardinality(path)
)
"""


async def units(session: ReadSession) -> list[UnitRow]:
    """The whole organisation tree, in registration order."""
    return UNITS.rows(await session.fetch(f"SELECT {UNITS.select()} FROM units ORDER BY ord"))


async def unit_name(session: ReadSession, unit_code: str) -> str | None:
    return await session.fetchval("SELECT name FROM units WHERE code = $1", unit_code)  # type: ignore[no-any-return]


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
        f"SELECT DISTINCT ON ({versions}) {FIGURES.select()}"
        f" FROM figures WHERE {where} AND status = ANY(${statuses}::text[])"
        f" ORDER BY {versions}, {first}known_from DESC, ord DESC NULLS LAST"
    )


async def figures(
    session: ReadSession,
    years: tuple[int, int],
    statuses: Sequence[str],
    *,
    budget_only: bool = False,
    every_version: bool = False,
    in_order: bool = False,
) -> list[FigureRow]:
    """The figures of ``years`` (first and last) of ``statuses`` (``figures_sql``);
    ``budget_only``: the budget's, not the plan's or the outcome's."""
    where = "year BETWEEN $1 AND $2" + (" AND kind = 'budget'" if budget_only else "")
    sql = figures_sql(where, 3, every_version, in_order)
    return FIGURES.rows(await session.fetch(sql, *years, list(statuses)))


async def outcome_units(session: ReadSession, year: int) -> list[str]:
    """The units with an outcome (bokslut, kind ``actuals``) of ``year`` among their figures."""
    rows = await session.fetch(
        "SELECT DISTINCT unit_code FROM figures WHERE year = $1 AND kind = 'actuals'"
        " ORDER BY unit_code",
        year,
    )
    return [r["unit_code"] for r in rows]


async def frame_changes(session: ReadSession, year: int) -> list[FrameChangeRow]:
    return FRAME_CHANGES.rows(
        await session.fetch(
            f"SELECT {FRAME_CHANGES.select()} FROM frame_changes WHERE year = $1 ORDER BY ord",
            year,
        )
    )


async def net_investments(session: ReadSession, years: tuple[int, int]) -> list[NetInvestmentRow]:
    return NET_INVESTMENTS.rows(
        await session.fetch(
            f"SELECT {NET_INVESTMENTS.select()} FROM net_investments WHERE year BETWEEN $1 AND $2",
            *years,
        )
    )


async def notes(session: ReadSession, years: tuple[int, int]) -> list[NoteRow]:
    """The notes on units' tables of ``years`` (first and last), in the order attached."""
    return NOTES.rows(
        await session.fetch(
            f"SELECT {NOTES.select()} FROM {NOTES.name} WHERE year BETWEEN $1 AND $2 ORDER BY ord",
            *years,
        )
    )


async def narratives(
    session: ReadSession, year: int, section: str | None = None
) -> list[NarrativeRow]:
    """The year's texts; with ``section``, only those of it (a report's texts)."""
    where, args = (
        ("year = $1", [year])
        if section is None
        else ("year = $1 AND section = $2", [year, section])
    )
    return NARRATIVES.rows(
        await session.fetch(f"SELECT {NARRATIVES.select()} FROM narratives WHERE {where}", *args)
    )


async def project_shares(session: ReadSession, years: tuple[int, int]) -> list[ProjectShareRow]:
    return rows_of(
        ProjectShareRow,
        await session.fetch(
            f"SELECT {PROJECT_SHARES.select(ProjectShareRow)} FROM project_shares"
            " WHERE year BETWEEN $1 AND $2 ORDER BY unit_code, year, project_code",
            *years,
        ),
    )


async def shares_of_projects(session: ReadSession, project_code: str | None) -> list[ShareRow]:
    """Every project's shares (or the one named's), by year and unit."""
    where = "" if project_code is None else " WHERE project_code = $1"
    args = () if project_code is None else (project_code,)
    return PROJECT_SHARES.rows(
        await session.fetch(
            f"SELECT {PROJECT_SHARES.select()} FROM project_shares{where} ORDER BY year, unit_code",
            *args,
        )
    )


async def latest_actuals(session: ReadSession, year: int) -> str | None:
    """The year's latest month with actuals, YYYY-MM."""
    return await session.fetchval(  # type: ignore[no-any-return]
        "SELECT max(period) FROM actuals WHERE period BETWEEN $1 AND $2",
        f"{year:04d}-01",
        f"{year:04d}-12",
    )


async def months(session: ReadSession, forecasts: bool, first: str, last: str) -> list[MonthRow]:
    """Actuals (or ``forecasts``) of the months ``first`` to ``last``, oldest first."""
    table = FORECASTS if forecasts else ACTUALS
    return table.rows(
        await session.fetch(
            f"SELECT {table.select()} FROM {table.name}"
            " WHERE period BETWEEN $1 AND $2 ORDER BY period",
            first,
            last,
        )
    )


async def month_comments(session: ReadSession, period: str) -> list[CommentRow]:
    return rows_of(
        CommentRow,
        await session.fetch(
            f"SELECT {MONTH_COMMENTS.select(CommentRow)} FROM month_comments WHERE period = $1",
            period,
        ),
    )


async def ready_marks(session: ReadSession, report: str, period: str) -> list[ReadyRow]:
    """Every unit's latest marking of ``report`` for ``period`` (ready or reopened)."""
    return rows_of(
        ReadyRow,
        await session.fetch(
            f"SELECT {READY_MARKS.select(ReadyRow)} FROM ready_marks"
            " WHERE report = $1 AND period = $2",
            report,
            period,
        ),
    )


async def budget_profiles(
    session: ReadSession, year: int
) -> list[tuple[str, int, tuple[object, ...], bool]]:
    """Each unit's profile for ``year``: (unit, year, percent per month, example data)."""
    rows = await session.fetch(
        f"SELECT {BUDGET_PROFILES.names(['unit_code', 'year', *PROFILE_COLUMNS, 'example_data'])}"
        " FROM budget_profiles WHERE year = $1",
        year,
    )
    return [
        (r["unit_code"], r["year"], tuple(r[c] for c in PROFILE_COLUMNS), r["example_data"])
        for r in rows
    ]
