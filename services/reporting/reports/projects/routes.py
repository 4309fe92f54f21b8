"""The project routes: /projekt (the register) and /projekt/{code} (a project's page), each
with its JSON under /api."""

import dataclasses
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
from services.reporting.reports.shared.routes import Asked, ReportRoutes

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
    status: str | None
    unit_code: str | None
    year: str | None


def _register_parameters(
    status: Status = None, unit_code: Unit = None, year: YearFilter = None
) -> RegisterAsked:
    return RegisterAsked(status, unit_code, year)


async def _read_register(models: ReadModels, asked: Asked[RegisterAsked]) -> Register:
    wanted = asked.parameters
    filters = RegisterFilters.parse(wanted.status, wanted.unit_code, wanted.year)
    found = build_register(await register_input(models, asked.moment), filters)
    return dataclasses.replace(found, per=asked.moment)


REGISTER: ReportRoutes[RegisterAsked, Register] = ReportRoutes(
    path="/projekt",
    tag="projekt",
    parameters=_register_parameters,
    read=_read_register,
    page=render_register_html,
    json=register_to_json,
    table=register_table,
    file_name=lambda view, _: register_file_name(view),
    description="The project register, filterable by status, unit (with its subtree) and"
    " year; as CSV or an Excel workbook with ?format=csv or ?format=xlsx.",
)


@dataclass(frozen=True)
class ProjectAsked:
    project_code: str
    year: str | None  # for the linked goals' attainment


def _project_parameters(project_code: str, year: AttainmentYear = None) -> ProjectAsked:
    return ProjectAsked(project_code, year)


def _attainment_year(asked: ProjectAsked) -> int | None:
    return RegisterFilters.parse(None, None, asked.year).year


async def _read_project(models: ReadModels, asked: Asked[ProjectAsked]) -> ProjectPage:
    project = asked.parameters
    year = _attainment_year(project)
    data = await project_input(models, project.project_code, asked.moment)
    found = build_project_page(data, project.project_code, year)
    return dataclasses.replace(found, per=asked.moment)


PROJECT: ReportRoutes[ProjectAsked, ProjectPage] = ReportRoutes(
    path="/projekt/{project_code}",
    tag="projekt",
    parameters=_project_parameters,
    read=_read_project,
    page=render_project_html,
    json=project_page_to_json,
    table=project_table,
    file_name=lambda view, asked: project_file_name(view, _attainment_year(asked)),
    description="Every fact of one project: roles, steps, money per year, history, linked"
    " goals; its tables as CSV or an Excel workbook with ?format=csv or ?format=xlsx.",
)
