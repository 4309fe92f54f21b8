"""Reading the month report's rows from the budget's read models, in one snapshot."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from plumbing.read_models import ReadModels, ReadSession
from services.reporting.read_models.budget import queries as budget
from services.reporting.read_models.budget.tables import ReadyRow
from services.reporting.read_models.sources import BUDGET
from services.reporting.reports.budget_versions.builder import PUBLIC_STATUSES
from services.reporting.reports.month_report.builder import MonthReportInput, ProfileRow, period_of


async def month_report_input(
    models: ReadModels,
    year: int,
    month: int,
    per: datetime | None = None,
    statuses: Sequence[str] = PUBLIC_STATUSES,
    in_order: bool = False,
) -> MonthReportInput:
    """Every row the month report of ``month`` in ``year`` needs, for every unit; the
    budget is the latest recorded of ``statuses`` (budget queries' ``figures_sql``)."""
    data, _ = await month_report_and_marks(models, year, month, per, statuses, in_order, False)
    return data


async def month_report_and_marks(
    models: ReadModels,
    year: int,
    month: int,
    per: datetime | None = None,
    statuses: Sequence[str] = PUBLIC_STATUSES,
    in_order: bool = False,
    marks: bool = True,
) -> tuple[MonthReportInput, list[ReadyRow]]:
    """``month_report_input``, and with ``marks`` the units' markings of the month report
    of the month ready (shared.readiness), read in the same snapshot."""
    first, last = period_of(year, 1), period_of(year, month)

    async def read(session: ReadSession) -> tuple[MonthReportInput, list[ReadyRow]]:
        profiles = await budget.budget_profiles(session, year)
        parked, _ = await session.parked_counts()
        ready = await budget.ready_marks(session, "month_report", last) if marks else []
        return MonthReportInput(
            units=await budget.units(session),
            figures=await budget.figures(
                session, (year, year), statuses, budget_only=True, in_order=in_order
            ),
            project_shares=await budget.project_shares(session, (year, year)),
            profiles=[
                ProfileRow(unit, of_year, tuple(Decimal(str(p)) for p in percents), example)
                for unit, of_year, percents, example in profiles
            ],
            actuals=await budget.months(session, False, first, last),
            forecasts=await budget.months(session, True, first, last),
            comments=await budget.month_comments(session, last),
            parked=parked,
        ), ready

    return await models.read(read, (BUDGET,), per)
