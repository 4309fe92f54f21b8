"""The plan's tables as a file to download (services.reporting.table_export): the figures
and net investments of every node, the frame changes, the result goals and the projects,
from the PlanView the page is drawn from. The workbook shows amounts in tkr, as the page."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from contracts.goals.fields import CommitmentKind
from services.reporting.reports.goals.builder import KIND_LABELS
from services.reporting.reports.goals.section import GoalsSection, IndicatorEntry
from services.reporting.reports.plan.view import Cell, NodeView, PlanView
from services.reporting.reports.projects.section import ProjectsSection
from services.reporting.reports.shared.amounts import Amounts
from services.reporting.reports.shared.as_of import shown_moment
from services.reporting.reports.shared.table_export import Cell as TableCell
from services.reporting.reports.shared.table_export import (
    Report,
    Row,
    Scale,
    Section,
    Text,
    amount,
    text,
)

DIFFERENCE = "Ej fördelat / ej avstämt mot underliggande"
LINES = (("Intäkter", "revenue"), ("Kostnader", "costs"), ("Nettokostnad", "net"))


def _unit(node: NodeView) -> tuple[TableCell, TableCell]:
    return text(node.code), text(node.name)


def _part(cell: Cell[Amounts] | None, part: str) -> TableCell:
    return None if cell is None else amount(getattr(cell.value, part))


def _difference(cell: Cell[Amounts] | Cell[Decimal] | None) -> TableCell:
    if cell is None or cell.difference is None:
        return None
    gap = cell.difference
    return amount(gap.net if isinstance(gap, Amounts) else gap)


def _figure_rows(node: NodeView) -> Iterator[Row]:
    for label, part in LINES:
        yield (*_unit(node), Text(label), *(_part(cell, part) for cell in node.figures))
    if node.has_difference:
        yield (*_unit(node), Text(f"{DIFFERENCE} (netto)"), *map(_difference, node.figures))


def _investment_rows(node: NodeView) -> Iterator[Row]:
    if not node.has_net_investments:
        return
    cells = node.net_investments
    yield (
        *_unit(node),
        Text("Nettoinvesteringar"),
        *(None if cell is None else amount(cell.value) for cell in cells),
    )
    if node.has_investment_difference:
        yield (*_unit(node), Text(DIFFERENCE), *map(_difference, cells))


def _frame_change_rows(node: NodeView) -> Iterator[Row]:
    for change in node.frame_changes:
        yield (*_unit(node), amount(change.amount), text(change.reasons), text(change.decision))


def _marks(follow_up: tuple[bool, ...]) -> tuple[TableCell, ...]:
    return tuple(Text("X") if marked else None for marked in follow_up)


def _notes(numbers: tuple[int, ...]) -> TableCell:
    return text(", ".join(str(n) for n in numbers))


def _goal_rows(goals: GoalsSection) -> Iterator[Row]:
    def indicator(place: tuple[TableCell, ...], entry: IndicatorEntry) -> Row:
        return (
            *place,
            Text("Indikator"),
            Text(entry.name),
            *_marks(entry.follow_up),
            _notes(entry.notes),
        )

    for unit in goals.units:
        for perspective in unit.perspectives:
            for goal in perspective.goals:
                place = (text(unit.name), text(perspective.name), text(goal.title))
                for c in goal.commitments:
                    kind = KIND_LABELS[CommitmentKind(c.kind)]
                    yield (
                        *place,
                        Text(f"Åtagande ({kind.lower()})"),
                        text(c.text),
                        *_marks(c.follow_up),
                        _notes(c.notes),
                    )
                    yield from (indicator(place, i) for i in c.indicators)
                yield from (indicator(place, i) for i in goal.indicators)


def _goal_sections(goals: GoalsSection) -> list[Section]:
    headers = ("Enhet", "Perspektiv", "Resultatmål", "Typ", "Text", *goals.columns, "Fotnoter")
    sections = [Section(goals.title, headers, tuple(_goal_rows(goals)))]
    if goals.footnotes:
        notes = tuple((text(str(f.number)), text(f.text)) for f in goals.footnotes)
        sections.append(Section("Fotnoter till resultatmålen", ("Fotnot", "Text"), notes))
    return sections


def _project_section(projects: ProjectsSection) -> Section:
    listed = [("Pågående", p) for p in projects.ongoing] + [("Nya", p) for p in projects.new]
    rows = tuple(
        (
            Text(group),
            text(p.project_code),
            text(p.name),
            text(p.status_label),
            text(p.purpose),
            text(p.goals_text),
            text(p.directive),
            text(p.decision),
        )
        for group, p in listed
    )
    headers = (
        "Lista",
        "Projektkod",
        "Projekt",
        "Status",
        "Syfte",
        "Mål",
        "Projektdirektiv",
        "Beslut",
    )
    return Section(projects.title, headers, rows)


def plan_table(view: PlanView) -> Report:
    year = view.year
    columns = tuple(column.label for column in view.columns)
    nodes = view.nodes
    sections = [
        Section(
            "Budget och plan",
            ("Enhetskod", "Enhet", "Rad", *columns),
            tuple(row for node in nodes for row in _figure_rows(node)),
        ),
        Section(
            "Nettoinvesteringar",
            ("Enhetskod", "Enhet", "Rad", *columns),
            tuple(row for node in nodes for row in _investment_rows(node)),
        ),
        Section(
            f"Ramförändringar {year}",
            ("Enhetskod", "Enhet", "Belopp", "Motiv", "Beslut"),
            tuple(row for node in nodes for row in _frame_change_rows(node)),
        ),
    ]
    if view.goals is not None:
        sections.extend(_goal_sections(view.goals))
    if view.projects is not None:
        sections.append(_project_section(view.projects))
    return Report(
        title=view.title,
        unit=f"{view.root.code} {view.root.name}",
        period=f"{year}–{year + 2}",
        per=shown_moment(view.per),
        sections=tuple(sections),
        scale=Scale.TKR,
    )


def plan_file_name(view: PlanView) -> str:
    return f"plan-{view.root.code}-{view.year}"
