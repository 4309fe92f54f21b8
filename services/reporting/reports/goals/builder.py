"""Result goals and commitments as the plan lays them out ("Nämndens resultatmål och
åtaganden"), and the goals view with attainment (/mal).

Pure: rows in, views out, no I/O. The rows are those of the goals read models for the units
of one subtree and one year, read by services.reporting.queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from contracts.goals.fields import (
    ChangeBasis,
    CommitmentKind,
    Comparison,
    FollowUp,
    MeasureUnit,
    TargetKind,
    period_year,
)
from services.reporting.read_models.goals.tables import (
    AssessmentRow,
    CommitmentRow,
    GoalRow,
    GoalsInput,
    IndicatorRow,
    MeasurementRow,
    NoteRow,
    PerspectiveRow,
)
from services.reporting.reports.shared import attainment
from services.reporting.reports.shared.formatting import format_measure

INTRODUCTION = (
    "Nämnden anger nedan vilka resultatmål som nämnden kommer att arbeta emot. För varje "
    "resultatmål anger nämnden ett eller flera åtaganden. Ett åtagande uttrycks som ett "
    "nyckeltal med angiven målnivå. Vidare framgår det nedan i vilket perspektiv som "
    "åtagandena är möjliga att följa upp."
)
SECTION_TITLE = "Nämndens resultatmål och åtaganden"

# The seed's follow-up columns, in its order.
FOLLOW_UP_COLUMNS: tuple[tuple[FollowUp, str], ...] = (
    (FollowUp.MONTH, "Månad"),
    (FollowUp.INTERIM, "Delår"),
    (FollowUp.ANNUAL, "Årligen"),
    (FollowUp.LONG_TERM, "Långsiktig"),
)

KIND_LABELS = {
    CommitmentKind.KEY_FIGURE: "Nyckeltal",
    CommitmentKind.ACTIVITY: "Aktivitet",
    CommitmentKind.FINANCIAL: "Finansiellt mål",
}

# --- input rows, filled from the read models by another module ---------------------------


def _target(c: CommitmentRow) -> attainment.Target | None:
    if c.target_comparison is None or c.target_value is None:
        return None
    unit = MeasureUnit(c.target_unit or MeasureUnit.OTHER)
    if c.target_kind is not None:
        kind = TargetKind(c.target_kind)
    else:
        kind = TargetKind.RANK if unit is MeasureUnit.RANK else TargetKind.LEVEL
    return attainment.Target(
        Comparison(c.target_comparison),
        c.target_value,
        unit,
        kind,
        None if c.target_change_basis is None else ChangeBasis(c.target_change_basis),
        c.target_due_year if c.target_due_on is None else c.target_due_on.year,
    )


def _baseline(
    c: CommitmentRow, measured: Sequence[MeasurementRow] = ()
) -> attainment.Values | None:
    """The baseline the plan states or, where it names only the period ("2009 års nivå"),
    the measurement of that period."""
    if c.baseline_value is not None:
        return attainment.Values(
            c.baseline_value, c.baseline_women, c.baseline_men, c.baseline_period
        )
    if c.baseline_period is None:
        return None
    row = next((m for m in measured if m.period == c.baseline_period), None)
    if row is None:
        return attainment.Values(period=c.baseline_period)
    return attainment.Values(row.total, row.women, row.men, row.period)


def period_key(period: str) -> tuple[int, int, int]:
    """Periods in time order: the months, the interim period after August, the year last."""
    year = period_year(period)
    rest = period[5:]
    if rest == "":
        return year, 13, 0
    if rest == "interim":
        return year, 8, 1
    return year, int(rest), 0


Ordered = TypeVar("Ordered", GoalRow, CommitmentRow, IndicatorRow, NoteRow)


def _by_order(rows: Iterable[Ordered]) -> list[Ordered]:
    return sorted(rows, key=lambda row: row.order)


class _Index:
    def __init__(self, data: GoalsInput) -> None:
        self.perspectives = {p.perspective_id: p for p in data.perspectives}
        self.commitments: dict[str, list[CommitmentRow]] = {}
        for commitment in _by_order(data.commitments):
            self.commitments.setdefault(commitment.goal_id, []).append(commitment)
        self.indicators: dict[str, list[IndicatorRow]] = {}
        for indicator in _by_order(data.indicators):
            parent = indicator.commitment_id or indicator.goal_id
            if parent is not None:
                self.indicators.setdefault(parent, []).append(indicator)
        self.notes: dict[str, list[NoteRow]] = {}
        for note in _by_order(data.notes):
            self.notes.setdefault(note.attached_to, []).append(note)
        self.measurements: dict[str, list[MeasurementRow]] = {}
        for measurement in sorted(data.measurements, key=lambda m: period_key(m.period)):
            self.measurements.setdefault(measurement.measure_id, []).append(measurement)
        self.earlier: dict[tuple[str, str], list[MeasurementRow]] = {}
        for measurement in data.measurement_history:
            self.earlier.setdefault((measurement.measure_id, measurement.period), []).append(
                measurement
            )
        self.assessments: dict[str, list[AssessmentRow]] = {}
        for assessment in sorted(data.assessments, key=lambda a: period_key(a.period)):
            self.assessments.setdefault(assessment.commitment_id, []).append(assessment)

    def perspective_path(self, perspective_id: str) -> list[PerspectiveRow]:
        """The perspective and its parents, the top one first (a cycle stops the walk)."""
        path: list[PerspectiveRow] = []
        current = self.perspectives.get(perspective_id)
        while current is not None and current not in path:
            path.insert(0, current)
            current = self.perspectives.get(current.parent_id) if current.parent_id else None
        return path

    def perspective_key(self, perspective_id: str) -> tuple[tuple[int, int], ...]:
        # Unknown perspectives (not yet defined) go last, in the goals' own order.
        path = self.perspective_path(perspective_id)
        if not path:
            return ((10_000, 0),)
        return tuple((p.position, p.order) for p in path)


def _marks(follow_up: Sequence[str]) -> tuple[bool, ...]:
    return tuple(column.value in follow_up for column, _ in FOLLOW_UP_COLUMNS)


def period_label(period: str) -> str:
    """A measuring period as the page writes it: "2011", "2011-06", "2011 delår"."""
    year, _, rest = period.partition("-")
    return f"{year} delår" if rest == "interim" else period


def format_value(value: Decimal | None, unit: str | None) -> str:
    """For the page: a value with its unit, or nothing."""
    return "" if value is None else format_measure(value, unit)
