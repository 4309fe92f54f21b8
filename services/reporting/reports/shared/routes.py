"""One route factory for every report: its page (HTML, or with ?format=csv or ?format=xlsx
its tables as a file), its JSON under /api, ?per= where the report can be read as it stood,
and the reader's identity. Refusals are raised as they are (refusals.py, NotReady,
HTTPException) and answered in Swedish by the handlers error_pages registers once."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Path
from fastapi.responses import HTMLResponse, Response

from plumbing.http_identity import Access
from plumbing.identity import Principal
from plumbing.read_models import ReadModels
from services.reporting.reports.shared.as_of_http import moment_parameter
from services.reporting.reports.shared.downloads import RESPONSES, Format, check_format, download
from services.reporting.reports.shared.table_export import Report

P = TypeVar("P")
V = TypeVar("V")

Year = Annotated[int, Path(ge=1990, le=2100, description="Budgetår")]


@dataclass(frozen=True)
class UnitYear:
    """A report of a unit (and its subtree) for a year: /…/{unit_code}/{year}."""

    unit_code: str
    year: int


def unit_year(unit_code: str, year: Year) -> UnitYear:
    return UnitYear(unit_code, year)


@dataclass(frozen=True)
class Asked(Generic[P]):
    """What a request asks of a report: its own parameters, who asks, and as of when."""

    parameters: P
    viewer: Principal | None
    moment: datetime | None  # None: now


@dataclass(frozen=True)
class ReportRoutes(Generic[P, V]):
    """A report as the routes serve it."""

    path: str  # the page's; its JSON's is /api and the same
    tag: str
    # A FastAPI dependency of the report's own path and query parameters.
    parameters: Callable[..., P]
    read: Callable[[ReadModels, Asked[P]], Awaitable[V]]  # reads and builds the view
    page: Callable[[V], str]
    json: Callable[[V], dict[str, Any]]
    table: Callable[[V], Report]
    file_name: Callable[[V, P], str]
    description: str  # what the page shows, for the API's documentation
    as_of: bool = True  # ?per= shows the report as it stood


def _now() -> None:
    return None


def add_report(
    router: APIRouter, report: ReportRoutes[P, V], models: ReadModels, access: Access
) -> None:
    """Add ``report``'s page and JSON routes to ``router``."""
    parameters: Any = Depends(report.parameters)
    viewer: Any = Depends(access.viewer())
    moment: Any = Depends(moment_parameter if report.as_of else _now)

    async def view(asked: P, reader: Principal | None, per: datetime | None) -> V:
        return await report.read(models, Asked(asked, reader, per))

    async def page(
        asked: P = parameters,
        reader: Principal | None = viewer,
        per: datetime | None = moment,
        format: Format = "html",
    ) -> Response:
        check_format(format)
        found = await view(asked, reader, per)
        if format == "html":
            return HTMLResponse(report.page(found))
        return download(report.table(found), format, report.file_name(found, asked))

    async def json(
        asked: P = parameters, reader: Principal | None = viewer, per: datetime | None = moment
    ) -> dict[str, Any]:
        return report.json(await view(asked, reader, per))

    router.add_api_route(
        report.path,
        page,
        methods=["GET"],
        response_class=HTMLResponse,
        responses=RESPONSES,
        description=report.description,
        tags=[report.tag],
    )
    router.add_api_route(
        "/api" + report.path,
        json,
        methods=["GET"],
        description=report.description,
        tags=[report.tag],
    )


def view_prefixes(reports: list[ReportRoutes[Any, Any]]) -> tuple[str, ...]:
    """The addresses of ``reports``' pages and JSON, up to their first parameter."""
    heads = [report.path.split("{")[0] for report in reports]
    return tuple(dict.fromkeys(f"{api}{head}" for api in ("", "/api") for head in heads))
