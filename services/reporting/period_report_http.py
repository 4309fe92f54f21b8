"""The interim report's routes, /delarsrapport/{unit}/{year} (HTML) and
/api/delarsrapport/{unit}/{year} (JSON), January to the month ?till=ÅÅÅÅ-MM names or the
configured last month; the annual report's, /arsredovisning/{unit}/{year} and
/api/arsredovisning/{unit}/{year}. With ?format=csv or ?format=xlsx the pages are files to
download. Open to the month report's readers."""

import dataclasses
import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import HTMLResponse, Response

from contracts.budget.fields import FIRST_YEAR, LAST_YEAR
from plumbing.http_identity import Access
from plumbing.identity import Principal
from plumbing.read_models import NotReady, ReadModels
from services.reporting.as_of_http import Moment
from services.reporting.downloads import RESPONSES, Format, check_format, download
from services.reporting.goals_view import format_value
from services.reporting.month_report import EXAMPLE_NOTICE
from services.reporting.month_report_html import format_percent
from services.reporting.month_report_http import parse_period
from services.reporting.pages import PAGES
from services.reporting.period_report import (
    DEFAULT_INTERIM_LAST_MONTH,
    PeriodReport,
    ReportKind,
    build_period_report,
    period_report_to_json,
)
from services.reporting.period_report_export import period_report_file_name, period_report_table
from services.reporting.period_report_queries import period_report_input
from services.reporting.plan import UnknownUnit
from services.reporting.projects_view import light_label

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
        notice=EXAMPLE_NOTICE,
        percent=format_percent,
        light_label=light_label,
        format_value=format_value,
        measure_period=measure_period,
    )


def page_or_file(report: PeriodReport, format: str) -> Response:
    """The page, or its tables as the file ``format`` names (checked by check_format)."""
    if format == "html":
        return HTMLResponse(render_period_report_html(report))
    return download(period_report_table(report), format, period_report_file_name(report))


def period_report_router(
    models: ReadModels, access: Access, interim_last_month: int = DEFAULT_INTERIM_LAST_MONTH
) -> APIRouter:
    """``interim_last_month``: the interim report's last month when ?till= names none
    (ServiceSettings.interim_last_month)."""
    if not 1 <= interim_last_month <= 12:
        raise ValueError(f"interim_last_month must be 1–12, not {interim_last_month}")
    router = APIRouter(tags=["uppföljning"])
    Viewer = Annotated[Principal | None, Depends(access.viewer())]

    async def report(
        unit_code: str, year: int, kind: ReportKind, last_month: int, moment: datetime | None
    ) -> PeriodReport:
        try:
            data = await period_report_input(
                models, unit_code, year, last_month, kind.narrative_section.value, moment
            )
            found = build_period_report(data, unit_code, year, kind, last_month)
            return dataclasses.replace(found, per=moment)
        except UnknownUnit:
            raise HTTPException(404, f"Enheten {unit_code} finns inte") from None
        except NotReady:
            raise HTTPException(503, "Rapporterna byggs fortfarande; försök igen strax") from None

    async def interim(
        unit_code: str, year_text: str, till: str | None, moment: datetime | None
    ) -> PeriodReport:
        year = parse_year(year_text)
        last_month = parse_till(till, year, interim_last_month)
        return await report(unit_code, year, ReportKind.INTERIM, last_month, moment)

    async def annual(unit_code: str, year_text: str, moment: datetime | None) -> PeriodReport:
        return await report(unit_code, parse_year(year_text), ReportKind.ANNUAL, 12, moment)

    @router.get(
        "/delarsrapport/{unit_code}/{year}", response_class=HTMLResponse, responses=RESPONSES
    )
    async def interim_html(
        unit_code: str,
        year: YearText,
        viewer: Viewer,
        moment: Moment,
        till: Till = None,
        format: Format = "html",
    ) -> Response:
        """The interim report: economy, net investments, goal attainment, projects and the
        units' texts, January to the period's last month; as it stood then with ?per=; its
        tables as CSV or an Excel workbook with ?format=csv or ?format=xlsx."""
        check_format(format)
        return page_or_file(await interim(unit_code, year, till, moment), format)

    @router.get("/api/delarsrapport/{unit_code}/{year}")
    async def interim_json(
        unit_code: str, year: YearText, viewer: Viewer, moment: Moment, till: Till = None
    ) -> dict[str, Any]:
        """The interim report: exact kronor as strings, with tkr."""
        return period_report_to_json(await interim(unit_code, year, till, moment))

    @router.get(
        "/arsredovisning/{unit_code}/{year}", response_class=HTMLResponse, responses=RESPONSES
    )
    async def annual_html(
        unit_code: str, year: YearText, viewer: Viewer, moment: Moment, format: Format = "html"
    ) -> Response:
        """The annual report: the interim report's sections for the whole year; as CSV or
        an Excel workbook with ?format=csv or ?format=xlsx."""
        check_format(format)
        return page_or_file(await annual(unit_code, year, moment), format)

    @router.get("/api/arsredovisning/{unit_code}/{year}")
    async def annual_json(
        unit_code: str, year: YearText, viewer: Viewer, moment: Moment
    ) -> dict[str, Any]:
        """The annual report: exact kronor as strings, with tkr."""
        return period_report_to_json(await annual(unit_code, year, moment))

    return router
