"""The interim and annual reports as files to download (services.reporting.table_export), a
sheet per section of the page: the economy as the month report writes it, net investments,
goal attainment per perspective with the commitments counted, the projects with their latest
lights, and the units' texts. The workbook shows amounts in tkr, as the page does.

A section the page leaves empty stays, without rows; why it is empty is among the report's
notices, in the page's words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from services.reporting.reports.goals.export import goals_table
from services.reporting.reports.goals.view import GoalsView
from services.reporting.reports.month_report.export import month_report_table
from services.reporting.reports.period_report.builder import ReportKind
from services.reporting.reports.period_report.goal_attainment import (
    COUNTED,
    Counts,
    PerspectiveAttainment,
)
from services.reporting.reports.period_report.report import PeriodReport
from services.reporting.reports.projects.builder import Lights, light_label
from services.reporting.reports.projects.export import LIGHT_HEADERS
from services.reporting.reports.projects.register import RegisterRow
from services.reporting.reports.shared.as_of import shown_moment
from services.reporting.reports.shared.table_export import (
    Cell,
    Integer,
    Report,
    Row,
    Scale,
    Section,
    Text,
    amount,
    text,
)

INVESTMENTS_TITLE = "Nettoinvesteringar"
ATTAINMENT_TITLE = "Måluppfyllelse per perspektiv"
COMMITMENTS_TITLE = "Åtaganden"
PROJECTS_TITLE = "Projekt"
NARRATIVES_TITLE = "Verksamhetens text"

ATTAINMENT_HEADERS = (
    "Perspektiv",
    "Avser",
    *(a.label.capitalize() for a in COUNTED),
    "Summa",
)
PROJECT_HEADERS = (
    "Projektkod",
    "Projekt",
    "Ansvarig enhet",
    "Status",
    *LIGHT_HEADERS,
    "Lägesrapportens text",
)
NARRATIVE_HEADERS = ("Enhetskod", "Enhet", "Text")

# The file's name per report, before the unit and the year.
_FILE_PREFIXES = {ReportKind.INTERIM: "delarsrapport", ReportKind.ANNUAL: "arsredovisning"}


def economy_section(report: PeriodReport) -> Section:
    """The month report's table of the period's last month, under the page's heading."""
    economy = report.economy
    (table,) = month_report_table(economy).sections
    return dataclasses.replace(table, title=f"Ekonomi t.o.m. {economy.to_date_name} {report.year}")


def investments_section(report: PeriodReport) -> Section:
    """Budget per unit; outcome and deviation only in a report that has an outcome."""
    year = report.year
    investments = report.investments
    headers: tuple[str, ...] = ("Enhetskod", "Enhet", f"Budget {year}")
    if investments.with_outcome:
        headers += (f"Utfall {year}", "Avvikelse")
    rows: list[Row] = []
    for unit in investments.units:
        row: Row = (
            text(unit.code),
            text(unit.name),
            None if unit.budget is None else amount(unit.budget.value),
        )
        if investments.with_outcome:
            outcome = None if unit.outcome is None else amount(unit.outcome.value)
            row += (outcome, amount(unit.deviation))
        rows.append(row)
    return Section(f"{INVESTMENTS_TITLE} {year}", headers, tuple(rows))


def _counts(perspective: str, of: str, counts: Counts) -> Row:
    return (
        Text(perspective),
        Text(of),
        *(Integer(n) for _, n in counts.by_attainment),
        Integer(counts.total),
    )


def _attainment_rows(p: PerspectiveAttainment) -> Iterator[Row]:
    yield _counts(p.name, "Åtaganden", p.total)
    if p.women is not None:
        yield _counts(p.name, "Kvinnor", p.women)
    if p.men is not None:
        yield _counts(p.name, "Män", p.men)


def attainment_section(report: PeriodReport) -> Section:
    goals = report.goals
    rows = tuple(row for p in goals.perspectives for row in _attainment_rows(p))
    if goals.perspectives:
        rows += (_counts("Alla perspektiv", "Åtaganden", goals.overall),)
    return Section(ATTAINMENT_TITLE, ATTAINMENT_HEADERS, rows)


def commitments_section(report: PeriodReport) -> Section:
    """The commitments counted, perspective by perspective, as the goals view's file lists
    them."""
    listed = GoalsView(
        report.root.code,
        report.root.name,
        report.year,
        tuple(c for p in report.goals.perspectives for c in p.commitments),
    )
    table = goals_table(listed).sections[0]
    return dataclasses.replace(table, title=COMMITMENTS_TITLE)


def _lights(latest: Lights | None) -> tuple[Cell, ...]:
    if latest is None:
        return (Text("Ingen lägesrapport"), None, None, None, None)
    return (
        Text(latest.period),
        Text(light_label(latest.schedule)),
        Text(light_label(latest.cost)),
        Text(light_label(latest.quality)),
        text(latest.text),
    )


def _project_row(row: RegisterRow) -> Row:
    return (
        text(row.project_code),
        text(row.name),
        text(row.unit_name),
        text(row.status_label),
        *_lights(row.latest),
    )


def projects_section(report: PeriodReport) -> Section:
    rows = tuple(_project_row(row) for row in report.projects.rows)
    return Section(PROJECTS_TITLE, PROJECT_HEADERS, rows)


def narratives_section(report: PeriodReport) -> Section:
    rows = tuple(
        (text(unit.code), text(unit.name), text(unit.narrative)) for unit in report.narratives.units
    )
    return Section(NARRATIVES_TITLE, NARRATIVE_HEADERS, rows)


def notices(report: PeriodReport) -> tuple[str, ...]:
    """The page's warning of example data, of months not reported and of a year not closed,
    why a percent is left out, the investments' note, and why a section is empty, each as the
    page says it."""
    found = list(report.notices)
    found += [
        words
        for words in (
            report.investments.note,
            report.investments.empty,
            report.goals.note,
            report.goals.empty,
            report.projects.empty,
            report.narratives.empty,
        )
        if words
    ]
    return tuple(found)


def period_report_table(report: PeriodReport) -> Report:
    root = report.root
    return Report(
        title=report.title,
        unit=f"{root.code} {root.name}",
        period=f"{report.first_period}–{report.last_period}",
        per=shown_moment(report.per),
        notices=notices(report),
        sections=(
            economy_section(report),
            investments_section(report),
            attainment_section(report),
            commitments_section(report),
            projects_section(report),
            narratives_section(report),
        ),
        scale=Scale.TKR,
    )


def period_report_file_name(report: PeriodReport) -> str:
    """Without the extension, which is the format's: "delarsrapport-KS-2011"."""
    return f"{_FILE_PREFIXES[report.kind]}-{report.root.code}-{report.year}"
