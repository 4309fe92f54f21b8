"""The project register and a project's page as files to download
(services.reporting.table_export), from the Register and ProjectPage the pages are drawn
from. Amounts in kronor, as the pages show them."""

from __future__ import annotations

from collections.abc import Iterator

from services.reporting.reports.goals.export import measure_unit
from services.reporting.reports.goals.view import STATUS_WORDS
from services.reporting.reports.projects.builder import Lights, light_label
from services.reporting.reports.projects.page import LinkedGoal, ProjectPage
from services.reporting.reports.projects.register import Register
from services.reporting.reports.shared.as_of import shown_moment
from services.reporting.reports.shared.table_export import (
    Cell,
    Integer,
    Report,
    Row,
    Section,
    Text,
    amount,
    day,
    number,
    text,
    yes_no,
)
from services.reporting.vocabulary import PROJECT_STATUS_LABELS

ALL_UNITS = "alla enheter"
ALL_YEARS = "alla år"
LIGHT_HEADERS = ("Lägesrapport", "Tid", "Kostnad", "Kvalitet")


def _lights(lights: Lights | None) -> tuple[Cell, Cell, Cell, Cell]:
    if lights is None:
        return None, None, None, None
    return (
        Text(lights.period),
        Text(light_label(lights.schedule)),
        Text(light_label(lights.cost)),
        Text(light_label(lights.quality)),
    )


# --- the register ---------------------------------------------------------------------------

REGISTER_HEADERS = (
    "Projektkod",
    "Projekt",
    "Ansvarig enhet",
    "Drivs av projektkontoret",
    "Projektledare",
    "Tf. projektledare",
    "Status",
    "Planerad start",
    "Planerat slut",
    "Budget",
    "Extern finansiering",
    *LIGHT_HEADERS,
)


def _register_unit(register: Register) -> str:
    code = register.filters.unit_code
    if code is None:
        return ALL_UNITS
    named = code if register.unit_name is None else f"{code} {register.unit_name}"
    return f"{named} med underliggande"


def register_table(register: Register) -> Report:
    filters = register.filters
    rows = tuple(
        (
            text(row.project_code),
            text(row.name),
            text(row.unit_name),
            yes_no(row.run_by_project_office),
            text(row.managers.manager),
            text(row.managers.acting),
            text(row.status_label),
            day(row.planned_start),
            day(row.planned_end),
            amount(row.budget),
            amount(row.financing),
            *_lights(row.latest),
        )
        for row in register.rows
    )
    notices = []
    if filters.status is not None:
        notices.append(f"Urval: status {PROJECT_STATUS_LABELS[filters.status]}.")
    return Report(
        title=register.title,
        unit=_register_unit(register),
        period=ALL_YEARS if filters.year is None else str(filters.year),
        per=shown_moment(register.per),
        notices=tuple(notices),
        sections=(Section("Projektregister", REGISTER_HEADERS, rows),),
    )


def register_file_name(register: Register) -> str:
    filters = register.filters
    parts = ["projektregister"]
    if filters.unit_code is not None:
        parts.append(filters.unit_code)
    if filters.status is not None:
        parts.append(filters.status.value)
    if filters.year is not None:
        parts.append(str(filters.year))
    return "-".join(parts)


# --- the project page -------------------------------------------------------------------------


def _facts(page: ProjectPage) -> Iterator[Row]:
    p = page.project
    facts: list[tuple[str, Cell]] = [
        ("Projektkod", text(p.project_code)),
        ("Projekt", text(p.name)),
        ("Ägande nämnd", text(page.board_name)),
        ("Ansvarig enhet", text(page.unit_name)),
        ("Drivs av projektkontoret", yes_no(p.run_by_project_office)),
        ("Status", text(page.status_label)),
        ("Projektledare", text(page.managers.manager)),
        ("Tillförordnad projektledare", text(page.managers.acting)),
        ("Styrgrupp", text(", ".join(p.steering_group))),
        ("Planerad start", day(p.planned_start)),
        ("Planerat slut", day(p.planned_end)),
        ("Projektdirektiv", text(p.directive)),
        ("Beslut", text(p.decision)),
        ("Syfte", text(p.purpose)),
        ("Mål", text(p.goals_text)),
        ("Budget totalt", amount(page.budget_total)),
        ("Extern finansiering totalt", amount(page.financing_total)),
        ("Kostnadsberäkning för stegen totalt", amount(page.steps_total)),
    ]
    yield from ((Text(label), value) for label, value in facts if value is not None)


def _steps(page: ProjectPage) -> Iterator[Row]:
    for s in page.steps:
        yield (
            Integer(s.step),
            text(s.name),
            text(s.period),
            day(s.planned_start),
            day(s.planned_end),
            amount(s.cost_estimate),
            text(s.description),
        )


def _years(page: ProjectPage) -> Iterator[Row]:
    for y in page.years:
        share = y.share
        yield (
            Integer(y.year),
            amount(y.budget),
            text(y.decision),
            amount(y.financing_total),
            None if share is None else amount(share.revenue),
            None if share is None else amount(share.project_budget),
        )


def _financing(page: ProjectPage) -> Iterator[Row]:
    for y in page.years:
        for f in y.financing:
            yield (
                Integer(y.year),
                text(f.source),
                amount(f.amount),
                day(f.granted_on),
                text(f.note),
            )


def _timeline(page: ProjectPage) -> Iterator[Row]:
    for e in page.timeline:
        yield (
            day(e.on),
            text(e.title),
            text(e.text),
            text(e.who),
            text(e.decision),
            *_lights(e.lights)[1:],
        )


def _goal_rows(goal: LinkedGoal) -> Iterator[Row]:
    if goal.title is None or not goal.commitments:
        yield (
            text(goal.goal_id),
            text(goal.title),
            text(goal.unit_name),
            None if goal.year is None else Integer(goal.year),
            *(None,) * 6,
        )
        return
    for c in goal.commitments:
        latest = c.latest
        assessed = c.assessment
        yield (
            text(goal.goal_id),
            text(goal.title),
            text(goal.unit_name),
            None if goal.year is None else Integer(goal.year),
            text(c.text),
            measure_unit(c.unit),
            None if latest is None else number(latest.total),
            None if latest is None else text(latest.period),
            None
            if assessed is None
            else Text(f"{STATUS_WORDS.get(assessed.status, assessed.status)} ({assessed.period})"),
            Text(c.attainment.total.label),
        )


def project_table(page: ProjectPage) -> Report:
    p = page.project
    if p.planned_start or p.planned_end:
        start = p.planned_start.isoformat() if p.planned_start else ""
        end = p.planned_end.isoformat() if p.planned_end else ""
        period = f"{start}–{end}"
    else:
        period = "ingen planerad period"
    sections = (
        Section("Projektet", ("Uppgift", "Värde"), tuple(_facts(page))),
        Section(
            "Steg",
            (
                "Steg",
                "Namn",
                "Period",
                "Planerad start",
                "Planerat slut",
                "Kostnadsberäkning",
                "Beskrivning",
            ),
            tuple(_steps(page)),
        ),
        Section(
            "Budget och finansiering",
            (
                "År",
                "Budget",
                "Beslut",
                "Extern finansiering",
                "Projektkontorets andel",
                "Av projektbudget",
            ),
            tuple(_years(page)),
        ),
        Section(
            "Extern finansiering",
            ("År", "Finansiär", "Belopp", "Beviljat", "Anmärkning"),
            tuple(_financing(page)),
        ),
        Section(
            "Historik",
            ("Datum", "Vad", "Text", "Vem", "Beslut", *LIGHT_HEADERS[1:]),
            tuple(_timeline(page)),
        ),
        Section(
            "Resultatmål",
            (
                "Mål-id",
                "Resultatmål",
                "Enhet",
                "År",
                "Åtagande",
                "Måttenhet",
                "Senaste mätvärde",
                "Mätperiod",
                "Bedömning",
                "Måluppfyllelse",
            ),
            tuple(row for goal in page.goals for row in _goal_rows(goal)),
        ),
    )
    return Report(
        title=page.title,
        unit=page.unit_name,
        period=period,
        per=shown_moment(page.per),
        sections=sections,
    )


def project_file_name(page: ProjectPage) -> str:
    name = f"projekt-{page.project.project_code}"
    year = page.attainment_year
    return name if year is None else f"{name}-{year}"
