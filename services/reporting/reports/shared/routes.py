"""One route factory for every report: its page (HTML, or with ?format=csv or ?format=xlsx
its tables as a file), its JSON under /api, ?per= where the report can be read as it stood,
and the reader's identity. Refusals are raised as they are (refusals.py, NotReady,
HTTPException) and answered in Swedish by the handlers error_pages registers once."""

import asyncio
import dataclasses
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from plumbing.http_identity import Access
from plumbing.identity import Principal, Role
from plumbing.read_models import ReadModels
from services.reporting.reports.shared.as_of_http import moment_parameter
from services.reporting.reports.shared.downloads import RESPONSES, Format, check_format, download
from services.reporting.reports.shared.table_export import Report
from services.reporting.reports.shared.wayfinding_page import put_wayfinding, read_tree

P = TypeVar("P")
V = TypeVar("V")

Year = Annotated[int, Path(ge=1990, le=2100, description="Budgetår")]


@dataclass(frozen=True)
class UnitYear:
    """A report of a unit (and its subtree) for a year: /…/{unit_code}/{year}."""

    unit_code: str
    year: Year


@dataclass(frozen=True)
class Asked(Generic[P]):
    """What a request asks of a report: its own parameters, who asks, and as of when."""

    parameters: P
    viewer: Principal | None
    moment: datetime | None  # None: now


Read = Callable[[ReadModels, Asked[P]], Awaitable[V]]  # reads and builds the view


@dataclass(frozen=True)
class Shown(Generic[V]):
    """How a report's view is shown: its page, its JSON, its tables as a file and the
    file's name (without the extension, which is the format's)."""

    page: Callable[[V], str]
    json: Callable[[V], dict[str, Any]]
    table: Callable[[V], Report]
    file_name: Callable[[V], str]


@dataclass(frozen=True)
class ReportRoutes(Generic[P, V]):
    """A report as the routes serve it. The docstring of ``read`` says what the report
    shows: it documents the report's routes in the API's documentation."""

    path: str  # the page's; its JSON's is /api and the same
    read: Read[P, V]
    shown: Shown[V]
    # A FastAPI dependency of the report's own path and query parameters: a dataclass
    # whose fields are annotated as FastAPI parameters, or a function that makes one.
    parameters: Callable[..., P]
    as_of: bool = True  # ?per= shows the report as it stood
    # Who may read it: anyone the views let in (None), or only a caller with this role.
    role: Role | None = None

    @property
    def description(self) -> str:
        """The docstring of ``read`` as one line."""
        return " ".join((inspect.getdoc(self.read) or "").split())


def unit_year_report(
    path: str, read: Read[UnitYear, V], shown: Shown[V], *, as_of: bool = True
) -> ReportRoutes[UnitYear, V]:
    """A report of a unit and its subtree for a year, asked nothing more."""
    return ReportRoutes(path, read, shown, UnitYear, as_of)


def read_as_of(view: V, moment: datetime | None) -> V:
    """``view`` marked with the moment it was read as of, where it has one (its ``per``):
    its page, its JSON and its files all say so."""
    if dataclasses.is_dataclass(view) and "per" in {f.name for f in dataclasses.fields(view)}:
        return dataclasses.replace(view, per=moment)  # type: ignore[type-var]
    return view


def _now() -> None:
    return None


def add_report(
    router: APIRouter,
    report: ReportRoutes[P, V],
    models: ReadModels,
    access: Access,
    tag: str | None = None,
) -> None:
    """Add ``report``'s page and JSON routes to ``router``; ``tag`` groups them in the API's
    documentation."""
    parameters: Any = Depends(report.parameters)
    viewer: Any = Depends(access.viewer() if report.role is None else access.with_role(report.role))
    moment: Any = Depends(moment_parameter if report.as_of else _now)

    async def view(asked: P, reader: Principal | None, per: datetime | None) -> V:
        return read_as_of(await report.read(models, Asked(asked, reader, per)), per)

    async def page(
        request: Request,
        asked: P = parameters,
        reader: Principal | None = viewer,
        per: datetime | None = moment,
        format: Format = "html",
    ) -> Response:
        check_format(format)
        shown = report.shown
        if format == "html":
            # The shared header's tree is read beside the view, on a connection of its own.
            tree = asyncio.ensure_future(read_tree(models, asked, per))
            try:
                found = await view(asked, reader, per)
            except asyncio.CancelledError:
                tree.cancel()
                raise
            except Exception:
                await asyncio.gather(tree, return_exceptions=True)
                raise
            query = dict(request.query_params)
            page = put_wayfinding(report.path, asked, query, shown.page(found), await tree)
            # Who reads it, and the forms they may use (forms.page), where the app has them.
            personal = getattr(request.app.state, "personal_page", None)
            if personal is None:
                return HTMLResponse(page)
            page, headers = await personal(request, page)
            return HTMLResponse(page, headers=headers)
        found = await view(asked, reader, per)
        return download(shown.table(found), format, shown.file_name(found))

    async def json(
        asked: P = parameters, reader: Principal | None = viewer, per: datetime | None = moment
    ) -> dict[str, Any]:
        return report.shown.json(await view(asked, reader, per))

    tags: list[str | Enum] | None = None if tag is None else [tag]
    router.add_api_route(
        report.path,
        page,
        methods=["GET"],
        response_class=HTMLResponse,
        responses=RESPONSES,
        description=report.description,
        tags=tags,
    )
    router.add_api_route(
        "/api" + report.path,
        json,
        methods=["GET"],
        description=report.description,
        tags=tags,
    )


def view_prefixes(reports: list[ReportRoutes[Any, Any]]) -> tuple[str, ...]:
    """The addresses of ``reports``' pages and JSON, up to their first parameter."""
    heads = [report.path.split("{")[0] for report in reports]
    return tuple(dict.fromkeys(f"{api}{head}" for api in ("", "/api") for head in heads))
