"""The goals view (/mal): every commitment under a unit with its baseline, target, latest
measurement and attainment, filtered by perspective or attainment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from contracts.goals.fields import (
    ActivityStatus,
    CommitmentKind,
    MeasureUnit,
    period_year,
)
from services.reporting.read_models.budget.tables import UnitName
from services.reporting.read_models.goals.tables import (
    CommitmentRow,
    GoalRow,
    GoalsInput,
    MeasurementRow,
)
from services.reporting.reports.goals.builder import (
    COMPARISON_WORDS,
    RANK_COMPARISON_WORDS,
    _baseline,
    _Index,
    _target,
)
from services.reporting.reports.shared import attainment
from services.reporting.reports.shared.attainment import Attainment, Result
from services.reporting.reports.shared.refusals import UnknownFilter

# --- the goals view (/mal) ------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    perspective_id: str | None = None
    attainment: Attainment | None = None

    @classmethod
    def parse(cls, perspective_id: str | None, attained: str | None) -> Filters:
        # A form sends a filter not chosen as empty: the same as none.
        perspective_id = perspective_id or None
        chosen = None
        if attained:
            try:
                chosen = Attainment(attained)
            except ValueError:
                known = ", ".join(a.value for a in Attainment)
                raise UnknownFilter(
                    f"maluppfyllelse={attained} finns inte; välj en av {known}"
                ) from None
        return cls(perspective_id, chosen)


# How the page shows the commitments (?visning=): a card each, or a row each in one table.
CARDS = "kort"
TABLE = "tabell"
DISPLAYS = (CARDS, TABLE)


def parse_display(display: str | None) -> str:
    """The display ?visning= names; cards when none is named."""
    if display is None or display == "":
        return CARDS
    if display not in DISPLAYS:
        raise UnknownFilter(f"visning={display} finns inte; välj en av {', '.join(DISPLAYS)}")
    return display


@dataclass(frozen=True)
class PerspectiveSummary:
    """How many of a perspective's commitments are met, partly met, not met, not measured."""

    perspective_id: str
    perspective: str  # with its parent: "Tvärfrågor – Folkhälsa"
    counts: tuple[tuple[Attainment, int], ...]  # every attainment, in the vocabulary's order

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    def count(self, attained: Attainment) -> int:
        return dict(self.counts)[attained]


def summarise(commitments: Sequence[CommitmentView]) -> tuple[PerspectiveSummary, ...]:
    """Per perspective, in the order the commitments come, how many reach each attainment
    in total (a commitment by gender counts once, by its total)."""
    names: dict[str, str] = {}
    counted: dict[str, dict[Attainment, int]] = {}
    for c in commitments:
        names.setdefault(c.perspective_id, c.perspective)
        counts = counted.setdefault(c.perspective_id, dict.fromkeys(Attainment, 0))
        counts[c.attainment.total] += 1
    return tuple(
        PerspectiveSummary(pid, names[pid], tuple(counts.items()))
        for pid, counts in counted.items()
    )


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
    # The perspectives a filter can choose, with their parents: (id, "Tvärfrågor – Folkhälsa").
    perspectives: tuple[tuple[str, str], ...] = ()
    display: str = CARDS

    @property
    def summary(self) -> tuple[PerspectiveSummary, ...]:
        """Per perspective, in the perspectives' order, the attainment of its commitments."""
        order = {pid: position for position, (pid, _) in enumerate(self.perspectives)}
        return tuple(
            sorted(
                summarise(self.commitments),
                key=lambda s: order.get(s.perspective_id, len(order)),
            )
        )

    @property
    def overall(self) -> PerspectiveSummary:
        """Every commitment shown, whatever its perspective."""
        counts = dict.fromkeys(Attainment, 0)
        for c in self.commitments:
            counts[c.attainment.total] += 1
        return PerspectiveSummary("", "Alla perspektiv", tuple(counts.items()))

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
    choosable: dict[str, tuple[tuple[tuple[int, int], ...], str]] = {}
    for goal in goals:
        path = index.perspective_path(goal.perspective_id)
        for depth in range(1, len(path) + 1):
            above = path[:depth]
            label = " – ".join(p.name for p in above)
            choosable[above[-1].perspective_id] = (
                tuple((p.position, p.order) for p in above),
                label,
            )
    perspectives = tuple(
        (pid, label) for pid, (_, label) in sorted(choosable.items(), key=lambda kv: kv[1][0])
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
    return GoalsView(
        year, unit.code, unit.name, tuple(views), filters, data.parked, perspectives=perspectives
    )
