"""?version= on the budget views, and the versions side by side:
/plan/{unit}/{year}/versioner (HTML; with ?format=csv or ?format=xlsx a file to download) and
/api/plan/{unit}/{year}/versioner (JSON)."""

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import HTMLResponse, Response

from plumbing.http_identity import Access, sees_drafts
from plumbing.identity import Principal
from plumbing.read_models import NotReady, ReadModels
from services.reporting.as_of_http import Moment
from services.reporting.budget_versions import (
    PUBLIC_STATUSES,
    STATUSES,
    DraftsNotShown,
    UnknownVersion,
    VersionsView,
    build_versions,
    net_change,
    statuses_for,
    versions_to_json,
)
from services.reporting.budget_versions_export import versions_file_name, versions_table
from services.reporting.downloads import RESPONSES, Format, check_format, download
from services.reporting.pages import PAGES
from services.reporting.plan import UnknownUnit
from services.reporting.queries import plan_input

VersionParameter = Annotated[
    str | None,
    Query(
        description="forslag, beslutad eller reviderad; utan: den senast registrerade"
        " versionen som läsaren får se"
    ),
]


@dataclass(frozen=True)
class Version:
    """The figures a view reads: ``statuses`` as figures_sql takes them, and the label."""

    statuses: tuple[str, ...]
    in_order: bool  # a named version: the first of its statuses there is per figure
    name: str | None  # as ?version= names it (forslag, beslutad, reviderad); None: latest


def chosen_version(
    version: str | None, viewer: Principal | None, default: tuple[str, ...] = STATUSES
) -> Version:
    """The version ``?version=`` names for ``viewer`` (without one: the latest of
    ``default`` the viewer may see): 422 or 403 in Swedish when it may not be shown."""
    try:
        statuses = statuses_for(version, sees_drafts(viewer), default)
    except UnknownVersion as error:
        raise HTTPException(422, str(error)) from None
    except DraftsNotShown as error:
        raise HTTPException(403, str(error)) from None
    if version is None:
        return Version(statuses, False, None)
    return Version(statuses, True, version)


def render_versions_html(view: VersionsView) -> str:
    return PAGES.get_template("versions.html").render(view=view, net_change=net_change)


def versions_router(models: ReadModels, access: Access) -> APIRouter:
    router = APIRouter(tags=["plan"])
    Viewer = Annotated[Principal | None, Depends(access.viewer())]
    Year = Annotated[int, Path(ge=1990, le=2100, description="Budgetår")]

    async def versions(
        unit_code: str, year: int, viewer: Principal | None, moment: datetime | None
    ) -> VersionsView:
        statuses = STATUSES if sees_drafts(viewer) else PUBLIC_STATUSES
        try:
            data = await plan_input(models, year, per=moment, statuses=statuses, every_version=True)
            found = build_versions(data, unit_code, year, statuses)
            return dataclasses.replace(found, per=moment)
        except UnknownUnit:
            raise HTTPException(404, f"Enheten {unit_code} finns inte") from None
        except NotReady:
            raise HTTPException(503, "Rapporterna byggs fortfarande; försök igen strax") from None

    @router.get(
        "/plan/{unit_code}/{year}/versioner", response_class=HTMLResponse, responses=RESPONSES
    )
    async def versions_html(
        unit_code: str, year: Year, viewer: Viewer, moment: Moment, format: Format = "html"
    ) -> Response:
        """The year's budget per version (proposed to those who may see drafts, adopted,
        revised), rolled up the tree, with the change from one version to the next; as CSV
        or an Excel workbook with ?format=csv or ?format=xlsx."""
        check_format(format)
        view = await versions(unit_code, year, viewer, moment)
        if format == "html":
            return HTMLResponse(render_versions_html(view))
        return download(versions_table(view), format, versions_file_name(view))

    @router.get("/api/plan/{unit_code}/{year}/versioner")
    async def versions_json(
        unit_code: str, year: Year, viewer: Viewer, moment: Moment
    ) -> dict[str, Any]:
        return versions_to_json(await versions(unit_code, year, viewer, moment))

    return router
