"""The project routes: /projekt and /api/projekt (the register), /projekt/{code} and
/api/projekt/{code} (the project page); read as the other views are."""

import dataclasses
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import HTMLResponse, Response

from plumbing.http_identity import Access
from plumbing.identity import Principal
from plumbing.read_models import NotReady, ReadModels
from services.reporting.as_of_http import Moment
from services.reporting.downloads import RESPONSES, Format, check_format, download
from services.reporting.goals_view import UnknownFilter
from services.reporting.projects_export import (
    project_file_name,
    project_table,
    register_file_name,
    register_table,
)
from services.reporting.projects_html import render_project_html, render_register_html
from services.reporting.projects_view import (
    ProjectPage,
    Register,
    RegisterFilters,
    UnknownProject,
    build_project_page,
    build_register,
    project_page_to_json,
    register_to_json,
)
from services.reporting.queries import project_input, register_input

NOT_READY = "Rapporterna byggs fortfarande; försök igen strax"

Status = Annotated[
    str | None,
    Query(
        description="proposed, decided, ongoing, paused, completed eller cancelled"
        " (eller föreslaget, beslutat, pågående, pausat, avslutat, avbrutet)"
    ),
]
Unit = Annotated[
    str | None, Query(alias="enhet", description="Enhetens kod; med underliggande enheter")
]
Year = Annotated[
    str | None,
    Query(alias="ar", description="Projekt vars planerade period eller budget omfattar året"),
]


def projects_router(models: ReadModels, access: Access) -> APIRouter:
    router = APIRouter(tags=["projekt"])
    Viewer = Annotated[Principal | None, Depends(access.viewer())]

    async def register(
        status: str | None, unit_code: str | None, year: str | None, moment: datetime | None
    ) -> Register:
        try:
            filters = RegisterFilters.parse(status, unit_code, year)
            found = build_register(await register_input(models, moment), filters)
            return dataclasses.replace(found, per=moment)
        except UnknownFilter as error:
            raise HTTPException(422, str(error)) from None
        except NotReady:
            raise HTTPException(503, NOT_READY) from None

    async def page(project_code: str, year: str | None, moment: datetime | None) -> ProjectPage:
        try:
            chosen = RegisterFilters.parse(None, None, year).year
            data = await project_input(models, project_code, moment)
            return dataclasses.replace(build_project_page(data, project_code, chosen), per=moment)
        except UnknownFilter as error:
            raise HTTPException(422, str(error)) from None
        except UnknownProject:
            raise HTTPException(404, f"Projektet {project_code} finns inte") from None
        except NotReady:
            raise HTTPException(503, NOT_READY) from None

    @router.get("/projekt", response_class=HTMLResponse, responses=RESPONSES)
    async def register_html(
        viewer: Viewer,
        moment: Moment,
        status: Status = None,
        unit_code: Unit = None,
        year: Year = None,
        format: Format = "html",
    ) -> Response:
        """The project register, filterable by status, unit (with its subtree) and year; as
        CSV or an Excel workbook with ?format=csv or ?format=xlsx."""
        check_format(format)
        view = await register(status, unit_code, year, moment)
        if format == "html":
            return HTMLResponse(render_register_html(view))
        return download(register_table(view), format, register_file_name(view))

    @router.get("/api/projekt")
    async def register_json(
        viewer: Viewer,
        moment: Moment,
        status: Status = None,
        unit_code: Unit = None,
        year: Year = None,
    ) -> dict[str, Any]:
        return register_to_json(await register(status, unit_code, year, moment))

    AttainmentYear = Annotated[
        str | None,
        Query(alias="ar", description="År för de länkade resultatmålens måluppfyllelse"),
    ]

    @router.get("/projekt/{project_code}", response_class=HTMLResponse, responses=RESPONSES)
    async def project_html(
        project_code: str,
        viewer: Viewer,
        moment: Moment,
        year: AttainmentYear = None,
        format: Format = "html",
    ) -> Response:
        """Every fact of one project: roles, steps, money per year, history, linked goals; its
        tables as CSV or an Excel workbook with ?format=csv or ?format=xlsx."""
        check_format(format)
        found = await page(project_code, year, moment)
        if format == "html":
            return HTMLResponse(render_project_html(found))
        chosen = RegisterFilters.parse(None, None, year).year
        return download(project_table(found), format, project_file_name(found, chosen))

    @router.get("/api/projekt/{project_code}")
    async def project_json(
        project_code: str, viewer: Viewer, moment: Moment, year: AttainmentYear = None
    ) -> dict[str, Any]:
        return project_page_to_json(await page(project_code, year, moment))

    return router
