"""The goals view's tables as a file to download (services.reporting.table_export): every
commitment with its baseline, target, latest measurement and attainment, and the history of
measurements, from the GoalsView the page is drawn from. Values are exact numbers with their
measure unit named in a column of its own."""

from __future__ import annotations

from collections.abc import Iterator

from contracts.goals.fields import CommitmentKind
from services.reporting.reports.goals.builder import KIND_LABELS
from services.reporting.reports.goals.commitment import STATUS_WORDS, CommitmentView, Measured
from services.reporting.reports.goals.view import GoalsView
from services.reporting.reports.shared.as_of import shown_moment
from services.reporting.reports.shared.attainment import Attainment
from services.reporting.reports.shared.table_export import (
    Cell,
    Report,
    Row,
    Section,
    Text,
    number,
    text,
)

MEASURE_UNITS = {
    "percent": "procent",
    "index": "index",
    "count": "antal",
    "rank": "placering",
    "kronor": "kronor",
    "other": "annat",
}

COMMITMENT_HEADERS = (
    "Enhet",
    "Perspektiv",
    "Resultatmål",
    "Typ",
    "Åtagande",
    "Måttenhet",
    "Utgångsvärde totalt",
    "Utgångsvärde kvinnor",
    "Utgångsvärde män",
    "Utgångsperiod",
    "Målnivå",
    "Målvärde",
    "Senast",
    "Senaste mätvärde totalt",
    "Senaste mätvärde kvinnor",
    "Senaste mätvärde män",
    "Mätperiod",
    "Källa",
    "Bedömning",
    "Måluppfyllelse totalt",
    "Måluppfyllelse kvinnor",
    "Måluppfyllelse män",
    "Regel",
)
HISTORY_HEADERS = (
    "Enhet",
    "Resultatmål",
    "Åtagande",
    "Måttenhet",
    "Period",
    "Totalt",
    "Kvinnor",
    "Män",
    "Källa",
    "Ersatta värden",
)


def measure_unit(unit: str | None) -> Cell:
    return None if unit is None else Text(MEASURE_UNITS.get(unit, unit))


def _values(measured: Measured | None) -> tuple[Cell, Cell, Cell]:
    if measured is None:
        return None, None, None
    return number(measured.total), number(measured.women), number(measured.men)


def _attained(result: Attainment | None) -> Cell:
    return None if result is None else Text(result.label)


def _target(c: CommitmentView) -> tuple[Cell, Cell, Cell]:
    target = c.target
    if target is None:
        return None, None, None
    due = target.due_on.isoformat() if target.due_on else target.due_year
    return Text(target.text), number(target.value), None if due is None else Text(str(due))


def _assessment(c: CommitmentView) -> Cell:
    assessed = c.assessment
    if assessed is None:
        return None
    words = STATUS_WORDS.get(assessed.status, assessed.status)
    comment = f": {assessed.comment}" if assessed.comment else ""
    return Text(f"{words} ({assessed.period}){comment}")


def _commitment_row(c: CommitmentView) -> Row:
    latest = c.latest
    return (
        text(c.unit_name),
        text(c.perspective),
        text(c.goal_title),
        Text(KIND_LABELS[CommitmentKind(c.kind)]),
        text(c.text),
        measure_unit(c.unit),
        *_values(c.baseline),
        None if c.baseline is None else text(c.baseline.period),
        *_target(c),
        *_values(latest),
        None if latest is None else text(latest.period),
        None if latest is None else text(latest.source),
        _assessment(c),
        _attained(c.attainment.total),
        _attained(c.attainment.women),
        _attained(c.attainment.men),
        text(c.rule),
    )


def _history_rows(c: CommitmentView) -> Iterator[Row]:
    for measured in c.history:
        replaced = len(measured.replaced)
        yield (
            text(c.unit_name),
            text(c.goal_title),
            text(c.text),
            measure_unit(c.unit),
            text(measured.period),
            *_values(measured),
            text(measured.source),
            None if not replaced else Text(str(replaced)),
        )


def goals_table(view: GoalsView) -> Report:
    filters = view.filters
    chosen = []
    if filters.perspective_id:
        chosen.append(f"perspektiv {filters.perspective_id}")
    if filters.attainment is not None:
        chosen.append(f"måluppfyllelse {filters.attainment.label}")
    return Report(
        title=view.title,
        unit=f"{view.unit_code} {view.unit_name}",
        period=str(view.year),
        per=shown_moment(view.per),
        notices=(f"Urval: {', '.join(chosen)}.",) if chosen else (),
        sections=(
            Section(
                "Åtaganden och måluppfyllelse",
                COMMITMENT_HEADERS,
                tuple(_commitment_row(c) for c in view.commitments),
            ),
            Section(
                "Mätvärden över tid",
                HISTORY_HEADERS,
                tuple(row for c in view.commitments for row in _history_rows(c)),
            ),
        ),
    )


def goals_file_name(view: GoalsView) -> str:
    return f"mal-{view.unit_code}-{view.year}"
