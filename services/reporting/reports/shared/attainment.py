"""Goal attainment (måluppfyllelse), computed from what the events say: the target, the
baseline and the latest measurement, or an activity's assessment. No sender states it.

Pure: no database, no web. A target is a level ("60 eller högre"), a rank (a place in a
ranking, lower is better) or a change from the baseline ("öka med 25 procent", "öka från
2009 års nivå"); a change's target level is the baseline moved by the change. A target may
name the year it is due.

Which judgement a measured value gets depends on when it was measured (``Occasion``):

- no measurement up to the report's end: not measured (ej mätt);
- a target with a due year, measured at the end of that year or later: met (uppfyllt) when
  the comparison holds; partly met (delvis uppfyllt) when not, but the value has moved from
  the baseline toward the target; else not met (ej uppfyllt); a change whose baseline is not
  measured cannot be counted: not judged (ej bedömt);
- measured before the end of the due year: never "ej uppfyllt". On track (i fas) when the
  value is at least as far as the straight path from the baseline (its period's end) to the
  target (the due year's end) has come at the measurement's end, not on track (inte i fas)
  when not; not judged (ej bedömt) where no path can be drawn (no baseline value, or a
  baseline of the due year's end or later); not measured where the only value is the
  baseline's own or older;
- the due year past with no value of it or later: not measured;
- a target with no due year is a level that holds every year, due at the end of the
  report's year: the year's own value is judged met / partly / not met, a value of part of
  the year (a month, the interim period) on track or not as above; a value of an earlier
  year is that year's, not this one's: not measured.

Without an occasion every value is judged as due (met / partly / not met). By gender, women
and men are each held against the target, their baseline being the baseline's women or men
value where it has one, else its total. An activity is met when done, partly met while under
way, not met when not started, not measured before any assessment.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum, StrEnum

from contracts.goals.fields import (
    ActivityStatus,
    ChangeBasis,
    CommitmentKind,
    Comparison,
    MeasureUnit,
    TargetKind,
    period_year,
)
from services.reporting.vocabulary import ATTAINMENT_LABELS


class Attainment(StrEnum):
    """The value is the code a filter names (?maluppfyllelse=delvis)."""

    MET = "uppfyllt"
    PARTLY_MET = "delvis"
    NOT_MET = "ej_uppfyllt"
    ON_TRACK = "i_fas"
    OFF_TRACK = "inte_i_fas"
    NOT_JUDGED = "ej_bedomt"
    NOT_MEASURED = "ej_matt"

    @property
    def label(self) -> str:
        return ATTAINMENT_LABELS[self.value]


UPWARD = frozenset({Comparison.AT_LEAST, Comparison.MORE_THAN})
DOWNWARD = frozenset({Comparison.AT_MOST, Comparison.LESS_THAN})


@dataclass(frozen=True)
class Values:
    """A measurement's or a baseline's values: total and/or women and men, and the period
    they were measured for where known."""

    total: Decimal | None = None
    women: Decimal | None = None
    men: Decimal | None = None
    period: str | None = None


@dataclass(frozen=True)
class Target:
    comparison: Comparison
    value: Decimal  # a change's size, for a change
    unit: MeasureUnit
    kind: TargetKind = TargetKind.LEVEL
    change_basis: ChangeBasis | None = None
    due_year: int | None = None

    def level(self, baseline: Decimal | None) -> Decimal | None:
        """The value the measure is held against: a change's needs its baseline."""
        if self.kind is not TargetKind.CHANGE:
            return self.value
        if baseline is None:
            return None
        if self.change_basis is ChangeBasis.PERCENT_OF_BASELINE:
            return baseline + baseline * self.value / 100
        return baseline + self.value


@dataclass(frozen=True)
class Occasion:
    """When attainment is judged: a report of ``year`` (its rows hold no later values)."""

    year: int


@dataclass(frozen=True)
class Result:
    """Attainment in total and, for a commitment measured by gender, for women and men."""

    total: Attainment
    women: Attainment | None = None
    men: Attainment | None = None

    @property
    def all(self) -> tuple[Attainment, ...]:
        return tuple(a for a in (self.total, self.women, self.men) if a is not None)


def holds(comparison: Comparison, value: Decimal, target: Decimal) -> bool:
    match comparison:
        case Comparison.AT_LEAST:
            return value >= target
        case Comparison.MORE_THAN:
            return value > target
        case Comparison.AT_MOST:
            return value <= target
        case Comparison.LESS_THAN:
            return value < target
        case Comparison.EQUAL:
            return value == target


def _moved_toward(
    comparison: Comparison, value: Decimal, baseline: Decimal, target: Decimal
) -> bool:
    if comparison in UPWARD:
        return value > baseline
    if comparison in DOWNWARD:
        return value < baseline
    return abs(value - target) < abs(baseline - target)


def attained(
    comparison: Comparison, target: Decimal, baseline: Decimal | None, value: Decimal | None
) -> Attainment:
    """One value held against a target that is due, from its baseline."""
    if value is None:
        return Attainment.NOT_MEASURED
    if holds(comparison, value, target):
        return Attainment.MET
    if baseline is not None and _moved_toward(comparison, value, baseline, target):
        return Attainment.PARTLY_MET
    return Attainment.NOT_MET


def period_end(period: str) -> int:
    """The month a measuring period ends, counted from year 0: a year ends with December,
    the interim period (delår) with August."""
    year = period_year(period)
    rest = period[5:]
    if rest == "":
        return year * 12 + 12
    if rest == "interim":
        return year * 12 + 8
    return year * 12 + int(rest)


def on_path(
    comparison: Comparison,
    value: Decimal,
    baseline: Decimal,
    target: Decimal,
    since_baseline: int,
    baseline_to_due: int,
) -> bool:
    """Whether ``value``, ``since_baseline`` months after the baseline, is as far as the
    straight path to ``target``, ``baseline_to_due`` months after the baseline, has come.
    Both sides are multiplied by the months instead of divided: exact."""
    return holds(
        comparison, (value - baseline) * baseline_to_due, (target - baseline) * since_baseline
    )


class _Phase(Enum):
    DUE = "due"  # judged met / partly / not met
    PATH = "path"  # before the due year's end: on track or not
    NONE = "none"  # no value that counts: not measured


def _phase(
    target: Target, baseline: Values, latest: Values, occasion: Occasion | None
) -> tuple[_Phase, int]:
    """How ``latest`` is judged, and the month its target is due by: its due year's end, or
    for a level without one the end of the occasion's year."""
    if occasion is None or latest.period is None:
        return _Phase.DUE, 0
    due_year = target.due_year
    if due_year is None:
        if period_year(latest.period) != occasion.year:
            return _Phase.NONE, 0
        due_year = occasion.year
    due = due_year * 12 + 12
    if period_end(latest.period) >= due:
        return _Phase.DUE, due
    if occasion.year > due_year:
        return _Phase.NONE, due
    if baseline.period is not None and period_end(latest.period) <= period_end(baseline.period):
        return _Phase.NONE, due
    return _Phase.PATH, due


def _judged(
    phase: tuple[_Phase, int],
    target: Target,
    baseline: Values,
    latest: Values,
    base: Decimal | None,
    value: Decimal | None,
) -> Attainment:
    level = target.level(base)
    kind, due = phase
    if value is None or kind is _Phase.NONE:
        return Attainment.NOT_MEASURED
    if kind is _Phase.DUE:
        if level is None:
            return Attainment.NOT_JUDGED
        return attained(target.comparison, level, base, value)
    if level is None or base is None or baseline.period is None or latest.period is None:
        return Attainment.NOT_JUDGED
    start = period_end(baseline.period)
    if due <= start:
        return Attainment.NOT_JUDGED
    since = period_end(latest.period) - start
    if on_path(target.comparison, value, base, level, since, due - start):
        return Attainment.ON_TRACK
    return Attainment.OFF_TRACK


# From best to worst within each phase, as the enum lists them: for a total that only the
# women's and men's values give.
_ORDER = tuple(Attainment)


def key_figure(
    target: Target,
    baseline: Values | None,
    latest: Values | None,
    by_gender: bool,
    occasion: Occasion | None = None,
) -> Result:
    """A key figure's (or financial goal's) attainment from its latest measurement.

    Where the commitment is by gender and the measurement has no total, the total is the
    lesser of the women's and the men's.
    """
    base = baseline or Values()
    measured = latest or Values()
    phase = _phase(target, base, measured, occasion)
    total = _judged(phase, target, base, measured, base.total, measured.total)
    if not by_gender:
        return Result(total)
    women, men = (
        _judged(phase, target, base, measured, own if own is not None else base.total, value)
        for own, value in ((base.women, measured.women), (base.men, measured.men))
    )
    if measured.total is None and latest is not None:
        measured_ones = [a for a in (women, men) if a is not Attainment.NOT_MEASURED]
        if measured_ones:
            total = max(measured_ones, key=_ORDER.index)
    return Result(total, women, men)


_ACTIVITY = {
    ActivityStatus.DONE: Attainment.MET,
    ActivityStatus.UNDER_WAY: Attainment.PARTLY_MET,
    ActivityStatus.NOT_STARTED: Attainment.NOT_MET,
}


def activity(status: ActivityStatus | None) -> Attainment:
    return Attainment.NOT_MEASURED if status is None else _ACTIVITY[status]


def commitment(
    kind: CommitmentKind,
    target: Target | None,
    baseline: Values | None,
    latest: Values | None,
    assessment: ActivityStatus | None,
    by_gender: bool,
    occasion: Occasion | None = None,
) -> Result:
    """A commitment's attainment: measured against its target where it has one, else as
    its latest assessment says (an activity, or a goal with no target level)."""
    if kind is not CommitmentKind.ACTIVITY and target is not None:
        return key_figure(target, baseline, latest, by_gender, occasion)
    return Result(activity(assessment))
