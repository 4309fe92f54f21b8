"""Reading the interim and annual reports' rows from the read models.

The economy comes from the month report's own query; the net investments, the narratives and
the goals are read in one snapshot of the budget and goals read models, as the plan reads
them; the projects as the project register reads them. Where the goals or projects read
model has no generation yet, that part is None.
"""

from datetime import datetime

from plumbing.read_models import NotReady, ReadModels, ReadSession
from services.reporting.read_models.budget import queries as budget
from services.reporting.read_models.budget.tables import NarrativeRow, NetInvestmentRow
from services.reporting.read_models.goals import queries as goals
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.read_models.projects.tables import ProjectsInput
from services.reporting.read_models.sources import BUDGET, GOALS_WITH_UNITS
from services.reporting.reports.month_report.read import month_report_input
from services.reporting.reports.period_report.builder import PeriodReportInput
from services.reporting.reports.projects.read import register_input
from services.reporting.reports.shared.refusals import UnknownUnit


async def _projects(models: ReadModels, per: datetime | None) -> ProjectsInput | None:
    try:
        return await register_input(models, per)
    except NotReady:
        return None


async def period_report_input(
    models: ReadModels,
    unit_code: str,
    year: int,
    last_month: int,
    narrative_section: str,
    per: datetime | None = None,
) -> PeriodReportInput:
    """Every row the report of January–``last_month`` of ``year`` for ``unit_code`` needs,
    as it stood at ``per`` (None: now); raises NotReady before the budget read model is
    built, UnknownUnit for a unit the organisation tree does not have."""
    economy = await month_report_input(models, year, last_month, per)
    # Nothing more is read for a unit that is not there, whatever its code holds.
    if all(unit.code != unit_code for unit in economy.units):
        raise UnknownUnit(unit_code)

    async def read(
        session: ReadSession,
    ) -> tuple[list[NetInvestmentRow], list[NarrativeRow], GoalsInput | None, list[str]]:
        investments = await budget.net_investments(session, (year, year))
        closed = await budget.outcome_units(session, year)
        narratives = await budget.narratives(session, year, narrative_section)
        goals_read = None
        if await session.use(GOALS_WITH_UNITS):
            goals_read = await goals.goals_of_subtree(session, unit_code, year)
        return investments, narratives, goals_read, closed

    investments, narratives, goals_read, closed = await models.read(read, (BUDGET,), per)
    return PeriodReportInput(
        economy=economy,
        net_investments=investments,
        narratives=narratives,
        goals=goals_read,
        projects=await _projects(models, per),
        closed_units=frozenset(closed),
    )
