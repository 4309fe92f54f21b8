"""The month report's routes: /uppfoljning/{unit}/{YYYY-MM} and its JSON, open to the plan's
readers, against one budget version with ?version= (the public one by default)."""

import dataclasses
import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import HTTPException, Path

from contracts.budget.fields import FIRST_YEAR, LAST_YEAR
from plumbing.read_models import ReadModels
from services.reporting.reports.budget_versions.builder import PUBLIC_STATUSES
from services.reporting.reports.month_report.builder import MonthReport
from services.reporting.reports.month_report.export import file_name, month_report_table
from services.reporting.reports.month_report.html import render_month_report_html
from services.reporting.reports.month_report.json import month_report_to_json
from services.reporting.reports.month_report.read import month_report_and_marks
from services.reporting.reports.month_report.walk import build_month_report
from services.reporting.reports.shared.readiness import readiness
from services.reporting.reports.shared.routes import Asked, ReportRoutes, Shown
from services.reporting.reports.shared.versions import VersionParameter, chosen_version

# ASCII digits only: \d would also take other scripts' digits.
_PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})")

Period = Annotated[str, Path(description="Månaden som ÅÅÅÅ-MM, t.ex. 2011-03")]


def parse_period(period: str) -> tuple[int, int]:
    """(year, month) of ``period``; HTTP 422 with a Swedish message when it is no month."""
    match = _PERIOD.fullmatch(period)
    if match is None:
        raise HTTPException(422, "Perioden ska skrivas ÅÅÅÅ-MM med siffrorna 0–9, t.ex. 2011-03")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise HTTPException(
            422, f"Månad {match.group(2)} finns inte; perioden skrivs ÅÅÅÅ-MM med månad 01–12"
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise HTTPException(422, f"Året {year} ligger utanför {FIRST_YEAR}–{LAST_YEAR}")
    return year, month


@dataclass(frozen=True)
class MonthAsked:
    unit_code: str
    period: Period
    version: VersionParameter = None


async def _read(models: ReadModels, asked: Asked[MonthAsked]) -> MonthReport:
    """Budget, actuals and forecast for the month, with deviations and comments; as CSV
    (semicolons, UTF-8 with BOM) or an Excel workbook with ?format=csv or ?format=xlsx; as it
    stood at an earlier moment with ?per=, against one budget version with ?version= (the
    public one, adopted or revised, by default)."""
    wanted, moment = asked.parameters, asked.moment
    year, month = parse_period(wanted.period)
    # Actuals are followed up against a decided budget unless a proposal is asked for.
    chosen = chosen_version(wanted.version, asked.viewer, PUBLIC_STATUSES)
    data, marks = await month_report_and_marks(
        models, year, month, moment, chosen.statuses, chosen.in_order
    )
    found = build_month_report(data, wanted.unit_code, year, month)
    ready = readiness("month_report", wanted.period, wanted.unit_code, data.units, marks)
    return dataclasses.replace(found, readiness=ready, version=chosen.name)


MONTH_REPORT = ReportRoutes(
    "/uppfoljning/{unit_code}/{period}",
    _read,
    Shown(render_month_report_html, month_report_to_json, month_report_table, file_name),
    MonthAsked,
)
