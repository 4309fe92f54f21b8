"""One commitment as the goals view (/mal) and the follow-up reports show it: its baseline,
target, latest measurement, history and attainment at an occasion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from contracts.goals.fields import ActivityStatus, CommitmentKind, period_year
from services.reporting.read_models.budget.tables import UnitName
from services.reporting.read_models.goals.tables import CommitmentRow, GoalRow, MeasurementRow
from services.reporting.reports.goals.builder import _baseline, _Index, _target
from services.reporting.reports.goals.rule_words import comparison_words, rule_text, target_text
from services.reporting.reports.shared import attainment
from services.reporting.reports.shared.attainment import Occasion, Result


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
    words: str  # the comparison in Swedish: "mindre än", "ökning med minst"
    value: Decimal
    unit: str
    due_year: int | None
    due_on: date | None
    kind: str = "level"  # level, change or rank
    change_basis: str | None = None
    text: str = ""  # the whole target: "ökning med minst 25 procent från utgångsvärdet år 2011"
    change_level: Decimal | None = None  # a change's level, from its baseline where known

    @property
    def level(self) -> Decimal | None:
        """The value a measurement is held against."""
        return self.change_level if self.kind == "change" else self.value


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
    follow_up: tuple[str, ...] = ()  # the follow-ups it is reported in: "interim", "annual"

    @property
    def unit(self) -> str | None:
        return None if self.target is None else self.target.unit

    @property
    def measured(self) -> tuple[Measured, ...]:
        """The history's periods that have a value, in time order: what a chart can draw."""
        return tuple(
            m for m in self.history if any(v is not None for v in (m.total, m.women, m.men))
        )


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


def _baseline_view(c: CommitmentRow, baseline: attainment.Values | None) -> Measured | None:
    if baseline is None or baseline.period is None:
        return None
    if c.baseline_value is None:
        # The plan named the period only: the value, where there is one, is that period's
        # measurement.
        if baseline.total is not None:
            source = "mätvärdet för perioden (värdet anges inte i planen)"
        else:
            source = "värdet anges inte i planen och är inte mätt"
        return Measured(baseline.period, baseline.total, baseline.women, baseline.men, source)
    return Measured(
        baseline.period, c.baseline_value, c.baseline_women, c.baseline_men, c.baseline_source
    )


def _target_view(
    c: CommitmentRow, target: attainment.Target | None, baseline: attainment.Values | None
) -> TargetView | None:
    if target is None:
        return None
    return TargetView(
        target.comparison.value,
        comparison_words(target),
        target.value,
        target.unit.value,
        c.target_due_year,
        c.target_due_on,
        target.kind.value,
        None if target.change_basis is None else target.change_basis.value,
        target_text(target, c.baseline_period),
        target.level(None if baseline is None else baseline.total),
    )


def commitment_view(
    index: _Index, unit: UnitName, goal: GoalRow, c: CommitmentRow, occasion: Occasion
) -> CommitmentView:
    """The commitment with the values of periods up to ``occasion``'s year, judged then."""
    path = index.perspective_path(goal.perspective_id)
    perspective = " – ".join(p.name for p in path) or goal.perspective_id
    rows = index.measurements.get(c.commitment_id, [])
    history = []
    for row in rows:
        earlier = index.earlier.get((row.measure_id, row.period), [])
        history.append(_measured(row, earlier[:-1] if len(earlier) > 1 else ()))
    up_to_year = [m for m in history if period_year(m.period) <= occasion.year]
    latest = up_to_year[-1] if up_to_year else None
    assessments = [
        a
        for a in index.assessments.get(c.commitment_id, [])
        if period_year(a.period) <= occasion.year
    ]
    assessed = assessments[-1] if assessments else None
    target = _target(c)
    baseline = _baseline(c, rows)
    result = attainment.commitment(
        CommitmentKind(c.kind),
        target,
        baseline,
        None
        if latest is None
        else attainment.Values(latest.total, latest.women, latest.men, latest.period),
        None if assessed is None else ActivityStatus(assessed.status),
        c.by_gender,
        occasion,
    )
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
        baseline=_baseline_view(c, baseline),
        target=_target_view(c, target, baseline),
        latest=latest,
        assessment=None
        if assessed is None
        else AssessmentView(assessed.period, assessed.status, assessed.comment),
        attainment=result,
        rule=rule_text(CommitmentKind(c.kind), target, baseline, c.by_gender),
        history=tuple(history),
        follow_up=tuple(c.follow_up),
    )
