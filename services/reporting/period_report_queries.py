"""Reading the interim and annual reports' rows from the active generations.

The economy comes from the month report's own query; the net investments, the narratives and
the goals are read in one snapshot of the budget and goals projections, as the plan reads
them; the projects as the project register reads them. Where the goals or projects read
model has no generation yet, that part is None.
"""

from datetime import datetime

import asyncpg

from plumbing.database import Connection
from services.reporting.goals_projection import GoalsProjection
from services.reporting.goals_view import GoalsInput
from services.reporting.month_report_queries import month_report_input
from services.reporting.period_report import PeriodReportInput
from services.reporting.plan import NarrativeRow, NetInvestmentRow, UnknownUnit
from services.reporting.projection import BudgetProjection
from services.reporting.projects_view import ProjectsInput
from services.reporting.queries import (
    NotReady,
    in_active_generation,
    read_goals,
    register_input,
    use_active_generations,
)


async def _projects(pool: asyncpg.Pool, per: datetime | None) -> ProjectsInput | None:
    try:
        return await register_input(pool, per)
    except NotReady:
        return None


async def period_report_input(
    pool: asyncpg.Pool,
    unit_code: str,
    year: int,
    last_month: int,
    narrative_section: str,
    per: datetime | None = None,
) -> PeriodReportInput:
    """Every row the report of January–``last_month`` of ``year`` for ``unit_code`` needs,
    as it stood at ``per`` (None: now); raises NotReady before the budget read model is
    built, UnknownUnit for a unit the organisation tree does not have."""
    economy = await month_report_input(pool, year, last_month, per)
    # Nothing more is read for a unit that is not there, whatever its code holds.
    if all(unit.code != unit_code for unit in economy.units):
        raise UnknownUnit(unit_code)

    async def read(
        conn: Connection,
    ) -> tuple[list[NetInvestmentRow], list[NarrativeRow], GoalsInput | None]:
        investments = await conn.fetch(
            "SELECT unit_code, year, kind, amount FROM net_investments WHERE year = $1", year
        )
        narratives = await conn.fetch(
            "SELECT unit_code, year, section, text FROM narratives"
            " WHERE year = $1 AND section = $2",
            year,
            narrative_section,
        )
        goals = None
        if await use_active_generations(conn, (GoalsProjection.name, BudgetProjection.name), per):
            goals = await read_goals(conn, unit_code, year)
        return (
            [NetInvestmentRow(**dict(r)) for r in investments],
            [NarrativeRow(**dict(r)) for r in narratives],
            goals,
        )

    investments, narratives, goals = await in_active_generation(pool, read, per=per)
    return PeriodReportInput(
        economy=economy,
        net_investments=investments,
        narratives=narratives,
        goals=goals,
        projects=await _projects(pool, per),
    )
