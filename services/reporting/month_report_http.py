"""The month report's routes: /uppfoljning/{unit}/{YYYY-MM} (HTML; with ?format=csv or
?format=xlsx a file to download) and /api/uppfoljning/{unit}/{YYYY-MM} (JSON), open to the
plan's readers."""

import dataclasses
import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.responses import HTMLResponse, Response

from contracts.budget.fields import FIRST_YEAR, LAST_YEAR
from plumbing.http_identity import Access
from plumbing.identity import Principal
from plumbing.read_models import NotReady, ReadModels
from services.reporting.as_of_http import Moment
from services.reporting.budget_versions import PUBLIC_STATUSES
from services.reporting.budget_versions_http import VersionParameter, chosen_version
from services.reporting.downloads import RESPONSES, Format, check_format, download
from services.reporting.month_report import MonthReport, build_month_report, month_report_to_json
from services.reporting.month_report_export import file_name, month_report_table
from services.reporting.month_report_html import render_month_report_html
from services.reporting.month_report_queries import month_report_input
from services.reporting.plan import UnknownUnit

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


def month_report_router(models: ReadModels, access: Access) -> APIRouter:
    router = APIRouter(tags=["uppföljning"])
    Viewer = Annotated[Principal | None, Depends(access.viewer())]

    async def report(
        unit_code: str,
        period: str,
        viewer: Principal | None,
        moment: datetime | None,
        version: str | None,
    ) -> MonthReport:
        year, month = parse_period(period)
        # Actuals are followed up against a decided budget unless a proposal is asked for.
        chosen = chosen_version(version, viewer, PUBLIC_STATUSES)
        try:
            data = await month_report_input(
                models, year, month, moment, chosen.statuses, chosen.in_order
            )
            found = build_month_report(data, unit_code, year, month)
            return dataclasses.replace(found, per=moment, version=chosen.name)
        except UnknownUnit:
            raise HTTPException(404, f"Enheten {unit_code} finns inte") from None
        except NotReady:
            raise HTTPException(503, "Rapporterna byggs fortfarande; försök igen strax") from None

    @router.get(
        "/uppfoljning/{unit_code}/{period}",
        response_class=HTMLResponse,
        responses=RESPONSES,
    )
    async def month_report_html(
        unit_code: str,
        period: Period,
        viewer: Viewer,
        moment: Moment,
        version: VersionParameter = None,
        format: Format = "html",
    ) -> Response:
        """Budget, actuals and forecast for the month, with deviations and comments; as CSV
        (semicolons, UTF-8 with BOM) or an Excel workbook with ?format=csv or ?format=xlsx;
        as it stood at an earlier moment with ?per=, against one budget version with
        ?version= (the public one, adopted or revised, by default)."""
        check_format(format)
        found = await report(unit_code, period, viewer, moment, version)
        if format == "html":
            return HTMLResponse(render_month_report_html(found))
        return download(month_report_table(found), format, file_name(found))

    @router.get("/api/uppfoljning/{unit_code}/{period}")
    async def month_report_json(
        unit_code: str,
        period: Period,
        viewer: Viewer,
        moment: Moment,
        version: VersionParameter = None,
    ) -> dict[str, Any]:
        """The month report: exact kronor as strings, with tkr; percents with one decimal."""
        return month_report_to_json(await report(unit_code, period, viewer, moment, version))

    return router
