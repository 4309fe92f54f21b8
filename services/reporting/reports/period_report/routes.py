"""The interim report's routes, /delarsrapport/{unit}/{year} (HTML) and
/api/delarsrapport/{unit}/{year} (JSON), January to the month ?till=ÅÅÅÅ-MM names or the
configured last month; the annual report's, /arsredovisning/{unit}/{year} and
/api/arsredovisning/{unit}/{year}. With ?format=csv or ?format=xlsx the pages are files to
download. Open to the month report's readers."""

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import HTTPException, Path, Query

from contracts.budget.fields import FIRST_YEAR, LAST_YEAR
from plumbing.read_models import ReadModels
from services.reporting.reports.goals.builder import format_value
from services.reporting.reports.month_report.html import ECONOMY_WORDS
from services.reporting.reports.month_report.routes import parse_period
from services.reporting.reports.period_report.builder import DEFAULT_INTERIM_LAST_MONTH, ReportKind
from services.reporting.reports.period_report.export import (
    period_report_file_name,
    period_report_table,
)
from services.reporting.reports.period_report.json import period_report_to_json
from services.reporting.reports.period_report.read import period_report_input
from services.reporting.reports.period_report.report import PeriodReport, build_period_report
from services.reporting.reports.projects.builder import light_label
from services.reporting.reports.shared.pages import PAGES
from services.reporting.reports.shared.readiness_read import with_readiness
from services.reporting.reports.shared.routes import Asked, Read, ReportRoutes, Shown

# ASCII digits only: \d would also take other scripts' digits.
_YEAR = re.compile(r"[0-9]{4}")

YearText = Annotated[str, Path(description="Året, t.ex. 2011")]
Till = Annotated[
    str | None,
    Query(description="Delårets sista månad som ÅÅÅÅ-MM i samma år, t.ex. 2011-06"),
]


def parse_year(text: str) -> int:
    """The year of the path; HTTP 422 in Swedish when it is no year in the allowed range."""
    if _YEAR.fullmatch(text) is None:
        raise HTTPException(422, f"Året ska skrivas med fyra siffror 0–9, t.ex. 2011, inte {text}")
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise HTTPException(422, f"Året {year} ligger utanför {FIRST_YEAR}–{LAST_YEAR}")
    return year


def parse_till(till: str | None, year: int, default: int) -> int:
    """The interim period's last month: ``till`` (ÅÅÅÅ-MM, in ``year``) or ``default``;
    HTTP 422 in Swedish otherwise."""
    if till is None:
        return default
    till_year, month = parse_period(till)
    if till_year != year:
        raise HTTPException(
            422, f"till={till} ligger inte i {year}; ange en månad {year}-01–{year}-12"
        )
    return month


def measure_period(period: str) -> str:
    """A measurement's period as a reader says it: "2011-interim" → "delår 2011"."""
    year, _, rest = period.partition("-")
    return f"delår {year}" if rest == "interim" else period


def render_period_report_html(report: PeriodReport) -> str:
    return PAGES.get_template("period_report.html").render(
        view=report,
        **ECONOMY_WORDS,
        light_label=light_label,
        format_value=format_value,
        measure_period=measure_period,
    )


@dataclass(frozen=True)
class PeriodAsked:
    unit_code: str
    year: YearText  # as the path has it: checked by parse_year
    till: Till = None  # the interim report's last month, when not the configured one


def _annual_parameters(unit_code: str, year: YearText) -> PeriodAsked:
    return PeriodAsked(unit_code, year)


async def _report(
    models: ReadModels, asked: Asked[PeriodAsked], kind: ReportKind, last_month: int
) -> PeriodReport:
    unit_code, moment = asked.parameters.unit_code, asked.moment
    year = parse_year(asked.parameters.year)
    data = await period_report_input(
        models, unit_code, year, last_month, kind.narrative_section.value, moment
    )
    found = build_period_report(data, unit_code, year, kind, last_month)
    report = kind.narrative_section.value  # interim_report or annual_report
    return await with_readiness(models, found, report, str(year), unit_code, moment)


def _read_interim(last_month: int) -> Read[PeriodAsked, PeriodReport]:
    async def read(models: ReadModels, asked: Asked[PeriodAsked]) -> PeriodReport:
        """The interim report: economy, net investments, goal attainment, projects and the
        units' texts, January to the period's last month; as it stood then with ?per=; its
        tables as CSV or an Excel workbook with ?format=csv or ?format=xlsx."""
        year = parse_year(asked.parameters.year)
        till = parse_till(asked.parameters.till, year, last_month)
        return await _report(models, asked, ReportKind.INTERIM, till)

    return read


async def _read_annual(models: ReadModels, asked: Asked[PeriodAsked]) -> PeriodReport:
    """The annual report: the interim report's sections for the whole year; as CSV or an
    Excel workbook with ?format=csv or ?format=xlsx."""
    parse_year(asked.parameters.year)
    return await _report(models, asked, ReportKind.ANNUAL, 12)


_SHOWN = Shown(
    render_period_report_html, period_report_to_json, period_report_table, period_report_file_name
)


def interim_report(
    interim_last_month: int = DEFAULT_INTERIM_LAST_MONTH,
) -> ReportRoutes[PeriodAsked, PeriodReport]:
    """``interim_last_month``: the interim report's last month when ?till= names none
    (ServiceSettings.interim_last_month)."""
    if not 1 <= interim_last_month <= 12:
        raise ValueError(f"interim_last_month must be 1–12, not {interim_last_month}")
    read = _read_interim(interim_last_month)
    return ReportRoutes("/delarsrapport/{unit_code}/{year}", read, _SHOWN, PeriodAsked)


ANNUAL_REPORT = ReportRoutes(
    "/arsredovisning/{unit_code}/{year}", _read_annual, _SHOWN, _annual_parameters
)
