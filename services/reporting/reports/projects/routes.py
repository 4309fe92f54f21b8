"""The project routes: /projekt (the register) and /projekt/{code} (a project's page), each
with its JSON under /api."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Query

from plumbing.read_models import ReadModels
from services.reporting.reports.projects.export import (
    project_file_name,
    project_table,
    register_file_name,
    register_table,
)
from services.reporting.reports.projects.html import render_project_html, render_register_html
from services.reporting.reports.projects.json import project_page_to_json, register_to_json
from services.reporting.reports.projects.page import ProjectPage, build_project_page
from services.reporting.reports.projects.read import project_input, register_input
from services.reporting.reports.projects.register import Register, RegisterFilters, build_register
from services.reporting.reports.shared.routes import Asked, ReportRoutes, Shown

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
YearFilter = Annotated[
    str | None,
    Query(alias="ar", description="Projekt vars planerade period eller budget omfattar året"),
]
AttainmentYear = Annotated[
    str | None,
    Query(alias="ar", description="År för de länkade resultatmålens måluppfyllelse"),
]


@dataclass(frozen=True)
class RegisterAsked:
    status: Status = None
    unit_code: Unit = None
    year: YearFilter = None


async def _read_register(models: ReadModels, asked: Asked[RegisterAsked]) -> Register:
    """The project register, filterable by status, unit (with its subtree) and year; as CSV
    or an Excel workbook with ?format=csv or ?format=xlsx."""
    wanted = asked.parameters
    filters = RegisterFilters.parse(wanted.status, wanted.unit_code, wanted.year)
    return build_register(await register_input(models, asked.moment), filters)


REGISTER = ReportRoutes(
    "/projekt",
    _read_register,
    Shown(render_register_html, register_to_json, register_table, register_file_name),
    RegisterAsked,
)


@dataclass(frozen=True)
class ProjectAsked:
    project_code: str
    year: AttainmentYear = None  # for the linked goals' attainment


async def _read_project(models: ReadModels, asked: Asked[ProjectAsked]) -> ProjectPage:
    """Every fact of one project: roles, steps, money per year, history, linked goals; its
    tables as CSV or an Excel workbook with ?format=csv or ?format=xlsx."""
    project = asked.parameters
    year = RegisterFilters.parse(None, None, project.year).year
    data = await project_input(models, project.project_code, asked.moment)
    return build_project_page(data, project.project_code, year)


PROJECT = ReportRoutes(
    "/projekt/{project_code}",
    _read_project,
    Shown(render_project_html, project_page_to_json, project_table, project_file_name),
    ProjectAsked,
)
