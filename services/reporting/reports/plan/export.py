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
from services.reporting.reports.shared import table_export as table
from services.reporting.reports.shared.amounts import Amounts
from services.reporting.reports.shared.as_of import shown_moment
from services.reporting.reports.shared.formatting import format_signed_tkr

DIFFERENCE = "Ej fördelat / ej avstämt mot underliggande"
LINES = (("Intäkter", "revenue"), ("Kostnader", "costs"), ("Nettokostnad", "net"))
# A unit's own reconciliation, as the page shows it: the net its sender stated, and that
# net minus revenue plus costs.
STATED = (
    ("Angiven nettokostnad", "stated_net"),
    ("Avvikelse: angiven nettokostnad mot intäkter + kostnader", "stated_difference"),
)
NOTE_HEADERS = ("Not", "Enhetskod", "Enhet", "Tabell", "Kolumn", "Rad", "Text", "Avsändare")


def _unit(node: NodeView) -> tuple[table.Cell, table.Cell]:
    return table.text(node.code), table.text(node.name)


WITHHELD = "ej beslutat, visas inte"  # a draft the reader may not see, as the page says


def _part(cell: Cell[Amounts] | None, part: str, withheld: bool) -> table.Cell:
    if cell is None:
        return table.Text(WITHHELD) if withheld else None
    return table.amount(getattr(cell.value, part))


def _difference(cell: Cell[Amounts] | Cell[Decimal] | None) -> table.Cell:
    if cell is None or cell.difference is None:
        return None
    gap = cell.difference
    return table.amount(gap.net if isinstance(gap, Amounts) else gap)


def _figure_rows(node: NodeView) -> Iterator[table.Row]:
    for label, part in LINES:
        withheld = node.drafts_not_shown or (False,) * len(node.figures)
        parts = (_part(c, part, w) for c, w in zip(node.figures, withheld, strict=True))
        yield (*_unit(node), table.Text(label), *parts)
    if node.has_difference:
        yield (*_unit(node), table.Text(f"{DIFFERENCE} (netto)"), *map(_difference, node.figures))
    if node.has_stated_difference:
        for label, field in STATED:
            yield (
                *_unit(node),
                table.Text(label),
                *(
                    table.amount(getattr(c, field))
                    if c is not None and c.stated_difference is not None
                    else None
                    for c in node.figures
                ),
            )


def _investment_rows(node: NodeView) -> Iterator[table.Row]:
    if not node.has_net_investments:
        return
    cells = node.net_investments
    yield (
        *_unit(node),
        table.Text("Nettoinvesteringar"),
        *(None if cell is None else table.amount(cell.value) for cell in cells),
    )
    if node.has_investment_difference:
        yield (*_unit(node), table.Text(DIFFERENCE), *map(_difference, cells))


def _frame_change_rows(node: NodeView, year: int) -> Iterator[table.Row]:
    for change in node.frame_changes:
        yield (
            *_unit(node),
            table.amount(change.amount),
            table.text(change.reasons),
            table.text(change.decision),
        )
    check = node.frame_check
    if check is not None and check.difference is not None:
        below = "under enheten " if check.from_below else ""
        yield (
            *_unit(node),
            table.amount(check.difference),
            table.Text(
                f"Ej avstämt: ramförändringarna {below}blir {format_signed_tkr(check.total)}"
                f" tkr, budgeten {year} ändras med {format_signed_tkr(check.growth)} tkr"
                f" mot budget {year - 1}"
            ),
            None,
        )


_TABLE_NAMES = {"figures": "Budget och plan", "net_investments": "Nettoinvesteringar"}
_LINE_NAMES = dict((part, label) for label, part in LINES)


def _note_rows(view: PlanView) -> Iterator[table.Row]:
    for node in view.nodes:
        for note in node.notes:
            yield (
                table.text(str(note.number)),
                *_unit(node),
                table.Text(_TABLE_NAMES.get(note.table, note.table)),
                None if note.column is None else table.text(view.columns[note.column].label),
                None if note.line is None else table.text(_LINE_NAMES.get(note.line, note.line)),
                table.text(note.text),
                table.text(note.sender),
            )


def _marks(follow_up: tuple[bool, ...]) -> tuple[table.Cell, ...]:
    return tuple(table.Text("X") if marked else None for marked in follow_up)


def _notes(numbers: tuple[int, ...]) -> table.Cell:
    return table.text(", ".join(str(n) for n in numbers))


def _goal_rows(goals: GoalsSection) -> Iterator[table.Row]:
    def indicator(place: tuple[table.Cell, ...], entry: IndicatorEntry) -> table.Row:
        return (
            *place,
            table.Text("Indikator"),
            table.Text(entry.name),
            *_marks(entry.follow_up),
            _notes(entry.notes),
        )

    for unit in goals.units:
        for perspective in unit.perspectives:
            for goal in perspective.goals:
                place = (
                    table.text(unit.name),
                    table.text(perspective.name),
                    table.text(goal.title),
                )
                for c in goal.commitments:
                    kind = KIND_LABELS[CommitmentKind(c.kind)]
                    yield (
                        *place,
                        table.Text(f"Åtagande ({kind.lower()})"),
                        table.text(c.text),
                        *_marks(c.follow_up),
                        _notes(c.notes),
                    )
                    yield from (indicator(place, i) for i in c.indicators)
                yield from (indicator(place, i) for i in goal.indicators)


def _goal_sections(goals: GoalsSection) -> list[table.Section]:
    headers = ("Enhet", "Perspektiv", "Resultatmål", "Typ", "Text", *goals.columns, "Fotnoter")
    sections = [table.Section(goals.title, headers, tuple(_goal_rows(goals)))]
    if goals.footnotes:
        notes = tuple((table.text(str(f.number)), table.text(f.text)) for f in goals.footnotes)
        sections.append(table.Section("Fotnoter till resultatmålen", ("Fotnot", "Text"), notes))
    return sections


def _project_section(projects: ProjectsSection) -> table.Section:
    listed = [("Pågående", p) for p in projects.ongoing] + [("Nya", p) for p in projects.new]
    rows = tuple(
        (
            table.Text(group),
            table.text(p.project_code),
            table.text(p.name),
            table.text(p.status_label),
            table.text(p.purpose),
            table.text(p.goals_text),
            table.text(p.directive),
            table.text(p.decision),
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
    return table.Section(projects.title, headers, rows)


def plan_table(view: PlanView) -> table.Report:
    year = view.year
    columns = tuple(column.label for column in view.columns)
    nodes = view.nodes
    sections = [
        table.Section(
            "Budget och plan",
            ("Enhetskod", "Enhet", "Rad", *columns),
            tuple(row for node in nodes for row in _figure_rows(node)),
        ),
        table.Section(
            "Nettoinvesteringar",
            ("Enhetskod", "Enhet", "Rad", *columns),
            tuple(row for node in nodes for row in _investment_rows(node)),
        ),
        table.Section(
            f"Ramförändringar {year}",
            ("Enhetskod", "Enhet", "Belopp", "Motiv", "Beslut"),
            tuple(row for node in nodes for row in _frame_change_rows(node, year)),
        ),
    ]
    notes = tuple(_note_rows(view))
    if notes:
        sections.append(table.Section("Noter", NOTE_HEADERS, notes))
    if view.goals is not None:
        sections.extend(_goal_sections(view.goals))
    if view.projects is not None:
        sections.append(_project_section(view.projects))
    return table.Report(
        title=view.title,
        unit=f"{view.root.code} {view.root.name}",
        period=f"{year}–{year + 2}",
        per=shown_moment(view.per),
        sections=tuple(sections),
        scale=table.Scale.TKR,
    )


def plan_file_name(view: PlanView) -> str:
    return f"plan-{view.root.code}-{view.year}"
