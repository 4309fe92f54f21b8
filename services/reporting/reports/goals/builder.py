"""Result goals and commitments as the plan lays them out ("Nämndens resultatmål och
åtaganden"), and the goals view with attainment (/mal).

Pure: rows in, views out, no I/O. The rows are those of the goals read models for the units
of one subtree and one year, read by services.reporting.queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from contracts.goals.fields import (
    ActivityStatus,
    CommitmentKind,
    Comparison,
    FollowUp,
    MeasureUnit,
    period_year,
)
from services.reporting.read_models.budget.tables import UnitName
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
from services.reporting.reports.shared.as_of import moment_json
from services.reporting.reports.shared.attainment import Attainment, Result
from services.reporting.reports.shared.formatting import format_measure
from services.reporting.reports.shared.refusals import UnknownFilter

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

COMPARISON_WORDS = {
    Comparison.AT_LEAST: "minst",
    Comparison.MORE_THAN: "mer än",
    Comparison.AT_MOST: "högst",
    Comparison.LESS_THAN: "mindre än",
    Comparison.EQUAL: "lika med",
}
# A ranking place is better the lower it is: its words say so.
RANK_COMPARISON_WORDS = {
    Comparison.AT_LEAST: "sämst",
    Comparison.MORE_THAN: "sämre än",
    Comparison.AT_MOST: "bäst",
    Comparison.LESS_THAN: "bättre än",
    Comparison.EQUAL: "exakt",
}
KIND_LABELS = {
    CommitmentKind.KEY_FIGURE: "Nyckeltal",
    CommitmentKind.ACTIVITY: "Aktivitet",
    CommitmentKind.FINANCIAL: "Finansiellt mål",
}

# --- input rows, filled from the read models by another module ---------------------------


def _target(c: CommitmentRow) -> attainment.Target | None:
    if c.target_comparison is None or c.target_value is None:
        return None
    return attainment.Target(
        Comparison(c.target_comparison),
        c.target_value,
        MeasureUnit(c.target_unit or MeasureUnit.OTHER),
    )


def _baseline(c: CommitmentRow) -> attainment.Values | None:
    if c.baseline_value is None:
        return None
    return attainment.Values(c.baseline_value, c.baseline_women, c.baseline_men)


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


# --- the plan's section ---------------------------------------------------------------------


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str


class _Footnotes:
    """Numbers the notes in the order they appear, from 1."""

    def __init__(self, index: _Index) -> None:
        self._index = index
        self.notes: list[Footnote] = []

    def of(self, item_id: str) -> tuple[int, ...]:
        numbers = []
        for note in self._index.notes.get(item_id, []):
            number = len(self.notes) + 1
            self.notes.append(Footnote(number, note.text))
            numbers.append(number)
        return tuple(numbers)


@dataclass(frozen=True)
class IndicatorEntry:
    indicator_id: str
    name: str
    follow_up: tuple[bool, ...]
    notes: tuple[int, ...]


@dataclass(frozen=True)
class CommitmentEntry:
    commitment_id: str
    kind: str
    text: str
    follow_up: tuple[bool, ...]
    notes: tuple[int, ...]
    indicators: tuple[IndicatorEntry, ...]

    @property
    def is_financial(self) -> bool:
        return self.kind == CommitmentKind.FINANCIAL.value

    @property
    def is_activity(self) -> bool:
        return self.kind == CommitmentKind.ACTIVITY.value


@dataclass(frozen=True)
class GoalEntry:
    goal_id: str
    title: str
    notes: tuple[int, ...]
    commitments: tuple[CommitmentEntry, ...]
    indicators: tuple[IndicatorEntry, ...]  # directly under the goal


@dataclass(frozen=True)
class PerspectiveEntry:
    perspective_id: str
    name: str
    depth: int  # 0 for a perspective, 1 for a sub-area under it
    goals: tuple[GoalEntry, ...]


@dataclass(frozen=True)
class UnitGoals:
    code: str
    name: str
    perspectives: tuple[PerspectiveEntry, ...]


@dataclass(frozen=True)
class GoalsSection:
    title: str
    introduction: str
    units: tuple[UnitGoals, ...]
    footnotes: tuple[Footnote, ...]
    empty: str | None  # what the section says when there is no goal to show
    columns: tuple[str, ...] = tuple(label for _, label in FOLLOW_UP_COLUMNS)


def _indicator_entries(
    index: _Index, parent_id: str, footnotes: _Footnotes
) -> tuple[IndicatorEntry, ...]:
    return tuple(
        IndicatorEntry(i.indicator_id, i.name, _marks(i.follow_up), footnotes.of(i.indicator_id))
        for i in index.indicators.get(parent_id, [])
    )


def _goal_entry(index: _Index, goal: GoalRow, footnotes: _Footnotes) -> GoalEntry:
    notes = footnotes.of(goal.goal_id)
    commitments = []
    for c in index.commitments.get(goal.goal_id, []):
        own = footnotes.of(c.commitment_id)
        indicators = _indicator_entries(index, c.commitment_id, footnotes)
        commitments.append(
            CommitmentEntry(c.commitment_id, c.kind, c.text, _marks(c.follow_up), own, indicators)
        )
    indicators = _indicator_entries(index, goal.goal_id, footnotes)
    return GoalEntry(goal.goal_id, goal.title, notes, tuple(commitments), indicators)


def _unit_goals(
    index: _Index, unit: UnitName, goals: list[GoalRow], footnotes: _Footnotes
) -> UnitGoals:
    ordered = sorted(goals, key=lambda g: (index.perspective_key(g.perspective_id), g.order))
    entries: list[PerspectiveEntry] = []
    shown: set[str] = set()
    pending: list[GoalEntry] = []
    current: tuple[str, str, int] | None = None

    def flush() -> None:
        if current is not None:
            entries.append(PerspectiveEntry(current[0], current[1], current[2], tuple(pending)))

    for goal in ordered:
        path = index.perspective_path(goal.perspective_id)
        if current is None or current[0] != goal.perspective_id:
            flush()
            pending = []
            # A sub-area's parents are headed once, before their first sub-area.
            for depth, parent in enumerate(path[:-1]):
                if parent.perspective_id not in shown:
                    shown.add(parent.perspective_id)
                    entries.append(PerspectiveEntry(parent.perspective_id, parent.name, depth, ()))
            name = path[-1].name if path else goal.perspective_id
            current = (goal.perspective_id, name, max(len(path) - 1, 0))
            shown.add(goal.perspective_id)
        pending.append(_goal_entry(index, goal, footnotes))
    flush()
    return UnitGoals(unit.code, unit.name, tuple(entries))


def build_goals_section(data: GoalsInput | None, root_name: str, year: int) -> GoalsSection:
    """The plan's goals section: per unit with goals, per perspective."""
    if data is None:
        return GoalsSection(
            SECTION_TITLE, INTRODUCTION, (), (), "Resultatmålen har ännu inte lästs in."
        )
    index = _Index(data)
    footnotes = _Footnotes(index)
    by_unit: dict[str, list[GoalRow]] = {}
    for goal in _by_order(data.goals):
        if goal.first_year <= year <= goal.last_year:
            by_unit.setdefault(goal.unit_code, []).append(goal)
    # Administrations come in the order the board adopted their goals, as the plan prints
    # them (Kommunledningsförvaltningen before Näringsliv och tillväxt), not in tree order.
    under_root = {unit.code: unit for unit in data.units}
    units = tuple(
        _unit_goals(index, under_root[code], goals, footnotes)
        for code, goals in by_unit.items()
        if code in under_root
    )
    empty = None if units else f"Inga resultatmål är registrerade för {root_name} år {year}."
    return GoalsSection(SECTION_TITLE, INTRODUCTION, units, tuple(footnotes.notes), empty)


def _indicator_json(entry: IndicatorEntry) -> dict[str, Any]:
    return {
        "indicator_id": entry.indicator_id,
        "name": entry.name,
        "follow_up": list(entry.follow_up),
        "footnotes": list(entry.notes),
    }


def goals_section_to_json(section: GoalsSection) -> dict[str, Any]:
    return {
        "title": section.title,
        "introduction": section.introduction,
        "follow_up_columns": list(section.columns),
        "units": [
            {
                "code": unit.code,
                "name": unit.name,
                "perspectives": [
                    {
                        "perspective_id": p.perspective_id,
                        "name": p.name,
                        "depth": p.depth,
                        "goals": [
                            {
                                "goal_id": g.goal_id,
                                "title": g.title,
                                "footnotes": list(g.notes),
                                "commitments": [
                                    {
                                        "commitment_id": c.commitment_id,
                                        "kind": c.kind,
                                        "label": KIND_LABELS[CommitmentKind(c.kind)],
                                        "text": c.text,
                                        "follow_up": list(c.follow_up),
                                        "footnotes": list(c.notes),
                                        "indicators": [_indicator_json(i) for i in c.indicators],
                                    }
                                    for c in g.commitments
                                ],
                                "indicators": [_indicator_json(i) for i in g.indicators],
                            }
                            for g in p.goals
                        ],
                    }
                    for p in unit.perspectives
                ],
            }
            for unit in section.units
        ],
        "footnotes": [{"number": f.number, "text": f.text} for f in section.footnotes],
        "empty": section.empty,
    }


# --- the goals view (/mal) ------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    perspective_id: str | None = None
    attainment: Attainment | None = None

    @classmethod
    def parse(cls, perspective_id: str | None, attained: str | None) -> Filters:
        chosen = None
        if attained is not None:
            try:
                chosen = Attainment(attained)
            except ValueError:
                known = ", ".join(a.value for a in Attainment)
                raise UnknownFilter(
                    f"maluppfyllelse={attained} finns inte; välj en av {known}"
                ) from None
        return cls(perspective_id, chosen)


@dataclass(frozen=True)
class Measured:
    """A value for a period as the view shows it."""

    period: str
    total: Decimal | None
    women: Decimal | None
    men: Decimal | None
    source: str | None
    recorded_at: datetime | None = None
    replaced: tuple[Measured, ...] = ()  # earlier values for the same period, oldest first


@dataclass(frozen=True)
class TargetView:
    comparison: str
    words: str  # the comparison in Swedish: "mindre än"
    value: Decimal
    unit: str
    due_year: int | None
    due_on: date | None


@dataclass(frozen=True)
class AssessmentView:
    period: str
    status: str
    comment: str | None


STATUS_WORDS = {
    ActivityStatus.DONE.value: "genomförd",
    ActivityStatus.UNDER_WAY.value: "pågår",
    ActivityStatus.NOT_STARTED.value: "ej påbörjad",
}


@dataclass(frozen=True)
class CommitmentView:
    unit_code: str
    unit_name: str
    goal_id: str
    goal_title: str
    perspective_id: str
    perspective: str  # with its parent: "Tvärfrågor – Folkhälsa"
    commitment_id: str
    kind: str
    text: str
    by_gender: bool
    baseline: Measured | None
    target: TargetView | None
    latest: Measured | None
    assessment: AssessmentView | None
    attainment: Result
    rule: str
    history: tuple[Measured, ...]

    @property
    def unit(self) -> str | None:
        return None if self.target is None else self.target.unit

    @property
    def measured(self) -> tuple[Measured, ...]:
        """The history's periods that have a value, in time order: what a chart can draw."""
        return tuple(
            m for m in self.history if any(v is not None for v in (m.total, m.women, m.men))
        )


@dataclass(frozen=True)
class GoalsView:
    year: int
    unit_code: str
    unit_name: str
    commitments: tuple[CommitmentView, ...]
    filters: Filters = field(default_factory=Filters)
    parked: int = 0
    per: datetime | None = None  # the moment the view was read as of; None: now

    @property
    def title(self) -> str:
        return f"Resultatmål och måluppfyllelse {self.year} för {self.unit_name}"


def _measured(row: MeasurementRow, replaced: Sequence[MeasurementRow] = ()) -> Measured:
    return Measured(
        row.period,
        row.total,
        row.women,
        row.men,
        row.source,
        row.recorded_at,
        tuple(_measured(r) for r in replaced),
    )


def _commitment_view(
    index: _Index, unit: UnitName, goal: GoalRow, c: CommitmentRow, year: int
) -> CommitmentView:
    path = index.perspective_path(goal.perspective_id)
    perspective = " – ".join(p.name for p in path) or goal.perspective_id
    rows = index.measurements.get(c.commitment_id, [])
    history = []
    for row in rows:
        earlier = index.earlier.get((row.measure_id, row.period), [])
        history.append(_measured(row, earlier[:-1] if len(earlier) > 1 else ()))
    up_to_year = [m for m in history if period_year(m.period) <= year]
    latest = up_to_year[-1] if up_to_year else None
    assessments = [
        a for a in index.assessments.get(c.commitment_id, []) if period_year(a.period) <= year
    ]
    assessed = assessments[-1] if assessments else None
    target = _target(c)
    baseline = _baseline(c)
    result = attainment.commitment(
        CommitmentKind(c.kind),
        target,
        baseline,
        None if latest is None else attainment.Values(latest.total, latest.women, latest.men),
        None if assessed is None else ActivityStatus(assessed.status),
        c.by_gender,
    )
    words = RANK_COMPARISON_WORDS if c.target_unit == MeasureUnit.RANK.value else COMPARISON_WORDS
    return CommitmentView(
        unit_code=unit.code,
        unit_name=unit.name,
        goal_id=goal.goal_id,
        goal_title=goal.title,
        perspective_id=goal.perspective_id,
        perspective=perspective,
        commitment_id=c.commitment_id,
        kind=c.kind,
        text=c.text,
        by_gender=c.by_gender,
        baseline=None
        if c.baseline_value is None or c.baseline_period is None
        else Measured(
            c.baseline_period,
            c.baseline_value,
            c.baseline_women,
            c.baseline_men,
            c.baseline_source,
        ),
        target=None
        if target is None
        else TargetView(
            target.comparison.value,
            words[target.comparison],
            target.value,
            target.unit.value,
            c.target_due_year,
            c.target_due_on,
        ),
        latest=latest,
        assessment=None
        if assessed is None
        else AssessmentView(assessed.period, assessed.status, assessed.comment),
        attainment=result,
        rule=attainment.rule_text(CommitmentKind(c.kind), target, baseline, c.by_gender),
        history=tuple(history),
    )


def _in_perspective(index: _Index, goal: GoalRow, perspective_id: str) -> bool:
    return any(
        p.perspective_id == perspective_id for p in index.perspective_path(goal.perspective_id)
    )


def build_goals_view(
    data: GoalsInput, unit: UnitName, year: int, filters: Filters = Filters()
) -> GoalsView:
    """Every commitment of the subtree's goals for ``year``, in tree, perspective and goal
    order; a perspective filter keeps its sub-areas too."""
    index = _Index(data)
    if filters.perspective_id is not None and filters.perspective_id not in index.perspectives:
        raise UnknownFilter(f"perspektiv={filters.perspective_id} finns inte")
    units = {u.code: position for position, u in enumerate(data.units)}
    names = {u.code: u for u in data.units}
    goals = sorted(
        (g for g in data.goals if g.first_year <= year <= g.last_year and g.unit_code in units),
        key=lambda g: (units[g.unit_code], index.perspective_key(g.perspective_id), g.order),
    )
    views = []
    for goal in goals:
        if filters.perspective_id is not None and not _in_perspective(
            index, goal, filters.perspective_id
        ):
            continue
        for c in index.commitments.get(goal.goal_id, []):
            view = _commitment_view(index, names[goal.unit_code], goal, c, year)
            if filters.attainment is None or view.attainment.total is filters.attainment:
                views.append(view)
    return GoalsView(year, unit.code, unit.name, tuple(views), filters, data.parked)


def _value(value: Decimal | None, unit: str | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {"value": format(value, "f"), "text": format_measure(value, unit)}


def _measured_json(measured: Measured | None, unit: str | None) -> dict[str, Any] | None:
    if measured is None:
        return None
    return {
        "period": measured.period,
        "total": _value(measured.total, unit),
        "women": _value(measured.women, unit),
        "men": _value(measured.men, unit),
        "source": measured.source,
        "recorded_at": None if measured.recorded_at is None else measured.recorded_at.isoformat(),
        "replaced": [_measured_json(m, unit) for m in measured.replaced],
    }


def _attainment_json(attained: Attainment | None) -> dict[str, str] | None:
    return None if attained is None else {"code": attained.value, "label": attained.label}


def _commitment_json(view: CommitmentView) -> dict[str, Any]:
    unit = view.unit
    target = view.target
    return {
        "unit_code": view.unit_code,
        "unit_name": view.unit_name,
        "perspective_id": view.perspective_id,
        "perspective": view.perspective,
        "goal_id": view.goal_id,
        "goal": view.goal_title,
        "commitment_id": view.commitment_id,
        "kind": view.kind,
        "label": KIND_LABELS[CommitmentKind(view.kind)],
        "text": view.text,
        "by_gender": view.by_gender,
        "baseline": _measured_json(view.baseline, unit),
        "target": None
        if target is None
        else {
            "comparison": target.comparison,
            "words": target.words,
            "value": format(target.value, "f"),
            "text": f"{target.words} {format_measure(target.value, target.unit)}",
            "unit": target.unit,
            "due_year": target.due_year,
            "due_on": None if target.due_on is None else target.due_on.isoformat(),
        },
        "latest": _measured_json(view.latest, unit),
        "assessment": None
        if view.assessment is None
        else {
            "period": view.assessment.period,
            "status": view.assessment.status,
            "text": STATUS_WORDS[view.assessment.status],
            "comment": view.assessment.comment,
        },
        "attainment": {
            "total": _attainment_json(view.attainment.total),
            "women": _attainment_json(view.attainment.women),
            "men": _attainment_json(view.attainment.men),
            "rule": view.rule,
        },
        "history": [_measured_json(m, unit) for m in view.history],
    }


def goals_view_to_json(view: GoalsView) -> dict[str, Any]:
    """Values as exact strings, each with its Swedish rendering."""
    return {
        "title": view.title,
        "year": view.year,
        "unit_code": view.unit_code,
        "filters": {
            "perspektiv": view.filters.perspective_id,
            "maluppfyllelse": None
            if view.filters.attainment is None
            else view.filters.attainment.value,
        },
        "commitments": [_commitment_json(c) for c in view.commitments],
        "parked_events": view.parked,
        "per": moment_json(view.per),
    }


def period_label(period: str) -> str:
    """A measuring period as the page writes it: "2011", "2011-06", "2011 delår"."""
    year, _, rest = period.partition("-")
    return f"{year} delår" if rest == "interim" else period


def format_value(value: Decimal | None, unit: str | None) -> str:
    """For the page: a value with its unit, or nothing."""
    return "" if value is None else format_measure(value, unit)
