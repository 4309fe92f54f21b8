"""Reading the month report's rows from the active generation, in one snapshot."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

import asyncpg

from plumbing import parking
from plumbing.database import Connection
from services.reporting.budget_versions import PUBLIC_STATUSES
from services.reporting.month_report import (
    CommentRow,
    MonthReportInput,
    MonthRow,
    ProfileRow,
    period_of,
)
from services.reporting.plan import FigureRow, ProjectShareRow, UnitRow
from services.reporting.projection import PROFILE_COLUMNS
from services.reporting.queries import figures_sql, in_active_generation

_MONTHS = "unit_code, period, revenue, costs, example_data"


async def month_report_input(
    pool: asyncpg.Pool,
    year: int,
    month: int,
    per: datetime | None = None,
    statuses: Sequence[str] = PUBLIC_STATUSES,
    in_order: bool = False,
) -> MonthReportInput:
    """Every row the month report of ``month`` in ``year`` needs, for every unit; the
    budget is the latest recorded of ``statuses`` (queries.figures_sql)."""
    first, last = period_of(year, 1), period_of(year, month)

    async def read(conn: Connection) -> MonthReportInput:
        units = await conn.fetch(
            "SELECT code, name, kind, parent_code, manager_title, manager_name, closed_on,"
            ' ord AS "order" FROM units ORDER BY ord'
        )
        figures = await conn.fetch(
            figures_sql("year = $1 AND kind = 'budget'", 2, in_order=in_order), year, list(statuses)
        )
        shares = await conn.fetch(
            "SELECT unit_code, year, project_code, revenue FROM project_shares WHERE year = $1"
            " ORDER BY unit_code, project_code",
            year,
        )
        profiles = await conn.fetch(
            f"SELECT unit_code, year, {', '.join(PROFILE_COLUMNS)}, example_data"
            " FROM budget_profiles WHERE year = $1",
            year,
        )
        actuals = await conn.fetch(
            f"SELECT {_MONTHS} FROM actuals WHERE period BETWEEN $1 AND $2 ORDER BY period",
            first,
            last,
        )
        forecasts = await conn.fetch(
            f"SELECT {_MONTHS} FROM forecasts WHERE period BETWEEN $1 AND $2 ORDER BY period",
            first,
            last,
        )
        comments = await conn.fetch(
            "SELECT unit_code, period, comment, measures, example_data FROM month_comments"
            " WHERE period = $1",
            last,
        )
        parked, _ = await parking.counts(conn)
        return MonthReportInput(
            units=[UnitRow(**dict(r)) for r in units],
            figures=[FigureRow(**dict(r)) for r in figures],
            project_shares=[ProjectShareRow(**dict(r)) for r in shares],
            profiles=[
                ProfileRow(
                    r["unit_code"],
                    r["year"],
                    tuple(Decimal(r[column]) for column in PROFILE_COLUMNS),
                    r["example_data"],
                )
                for r in profiles
            ],
            actuals=[MonthRow(**dict(r)) for r in actuals],
            forecasts=[MonthRow(**dict(r)) for r in forecasts],
            comments=[CommentRow(**dict(r)) for r in comments],
            parked=parked,
        )

    return await in_active_generation(pool, read, per=per)
