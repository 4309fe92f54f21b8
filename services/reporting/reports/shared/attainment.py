"""Goal attainment (måluppfyllelse), computed from what the events say: the target, the
baseline and the latest measurement, or an activity's assessment. No sender states it.

Pure: no database, no web. The rule, for a key figure or a financial goal with a target:

- met (uppfyllt): the target's comparison holds for the measured value;
- partly met (delvis uppfyllt): not met, but the value has moved from the baseline toward
  the target (up for at_least / more_than, down for at_most / less_than, such as a ranking
  place; for equal, closer to the target than the baseline was);
- not met (ej uppfyllt): neither, or not met with no baseline to compare with;
- not measured (ej mätt): no measurement.

By gender, women and men are each held against the target, their baseline being the
baseline's women or men value where it has one, else its total. An activity is met when
done, partly met while under way, not met when not started, not measured before any
assessment.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from contracts.goals.fields import ActivityStatus, CommitmentKind, Comparison, MeasureUnit
from services.reporting.reports.shared.formatting import format_number
from services.reporting.vocabulary import ATTAINMENT_LABELS


class Attainment(StrEnum):
    """The value is the code a filter names (?maluppfyllelse=delvis)."""

    MET = "uppfyllt"
    PARTLY_MET = "delvis"
    NOT_MET = "ej_uppfyllt"
    NOT_MEASURED = "ej_matt"

    @property
    def label(self) -> str:
        return ATTAINMENT_LABELS[self.value]


_UPWARD = {Comparison.AT_LEAST, Comparison.MORE_THAN}
_DOWNWARD = {Comparison.AT_MOST, Comparison.LESS_THAN}


@dataclass(frozen=True)
class Values:
    """A measurement's or a baseline's values: total and/or women and men."""

    total: Decimal | None = None
    women: Decimal | None = None
    men: Decimal | None = None


@dataclass(frozen=True)
class Target:
    comparison: Comparison
    value: Decimal
    unit: MeasureUnit


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
    if comparison in _UPWARD:
        return value > baseline
    if comparison in _DOWNWARD:
        return value < baseline
    return abs(value - target) < abs(baseline - target)


def attained(
    comparison: Comparison, target: Decimal, baseline: Decimal | None, value: Decimal | None
) -> Attainment:
    """One value held against the target, from its baseline."""
    if value is None:
        return Attainment.NOT_MEASURED
    if holds(comparison, value, target):
        return Attainment.MET
    if baseline is not None and _moved_toward(comparison, value, baseline, target):
        return Attainment.PARTLY_MET
    return Attainment.NOT_MET


# From best to worst, for a total that only the women's and men's values give.
_ORDER = (Attainment.MET, Attainment.PARTLY_MET, Attainment.NOT_MET, Attainment.NOT_MEASURED)


def key_figure(
    target: Target, baseline: Values | None, latest: Values | None, by_gender: bool
) -> Result:
    """A key figure's (or financial goal's) attainment from its latest measurement.

    Where the commitment is by gender and the measurement has no total, the total is the
    lesser of the women's and the men's.
    """
    base = baseline or Values()
    measured = latest or Values()
    total = attained(target.comparison, target.value, base.total, measured.total)
    if not by_gender:
        return Result(total)
    women = attained(
        target.comparison,
        target.value,
        base.women if base.women is not None else base.total,
        measured.women,
    )
    men = attained(
        target.comparison,
        target.value,
        base.men if base.men is not None else base.total,
        measured.men,
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
) -> Result:
    """A commitment's attainment: measured against its target where it has one, else as
    its latest assessment says (an activity, or a goal with no target level)."""
    if kind is not CommitmentKind.ACTIVITY and target is not None:
        return key_figure(target, baseline, latest, by_gender)
    return Result(activity(assessment))


# --- the rule in words ---------------------------------------------------------------------


def _amount(value: Decimal, unit: MeasureUnit) -> str:
    number = format_number(value)
    if unit is MeasureUnit.RANK:
        return f"plats {number}"
    if unit is MeasureUnit.PERCENT:
        return f"{number} procent"
    if unit is MeasureUnit.KRONOR:
        return f"{number} kronor"
    return number


def _condition(target: Target) -> str:
    amount = _amount(target.value, target.unit)
    if target.unit is MeasureUnit.RANK:
        # A lower place is better: say it in the ranking's own words.
        conditions = {
            Comparison.AT_LEAST: f"placeringen är {amount} eller sämre",
            Comparison.MORE_THAN: f"placeringen är sämre än {amount}",
            Comparison.AT_MOST: f"placeringen är {amount} eller bättre",
            Comparison.LESS_THAN: f"placeringen är bättre än {amount}",
            Comparison.EQUAL: f"placeringen är {amount}",
        }
    else:
        conditions = {
            Comparison.AT_LEAST: f"värdet är {amount} eller högre",
            Comparison.MORE_THAN: f"värdet är högre än {amount}",
            Comparison.AT_MOST: f"värdet är {amount} eller lägre",
            Comparison.LESS_THAN: f"värdet är lägre än {amount}",
            Comparison.EQUAL: f"värdet är {amount}",
        }
    return conditions[target.comparison]


def _partly(target: Target, baseline: Decimal) -> str:
    start = format_number(baseline)
    if target.unit is MeasureUnit.RANK:
        if target.comparison is Comparison.EQUAL:
            return f"delvis uppfyllt när den ligger närmare målet än utgångsvärdet plats {start}"
        # Going down the list (a lower place) is what at_most and less_than ask for.
        moved = "förbättrats" if target.comparison in _DOWNWARD else "försämrats"
        return (
            f"delvis uppfyllt när den har {moved} från utgångsvärdet plats {start}"
            " men inte nått målet"
        )
    if target.comparison is Comparison.EQUAL:
        return f"delvis uppfyllt när det ligger närmare målet än utgångsvärdet {start} gjorde"
    moved = "stigit" if target.comparison in _UPWARD else "sjunkit"
    return f"delvis uppfyllt när det har {moved} från utgångsvärdet {start} men inte nått målet"


def rule_text(
    kind: CommitmentKind, target: Target | None, baseline: Values | None, by_gender: bool
) -> str:
    """The attainment rule of a commitment, in Swedish, as shown next to its figures:
    "Uppfyllt när värdet är lägre än 61 procent; delvis uppfyllt när det har sjunkit från
    utgångsvärdet 70 men inte nått målet."
    """
    if kind is CommitmentKind.ACTIVITY:
        return (
            "Uppfyllt när aktiviteten är genomförd; delvis uppfyllt medan den pågår; "
            "ej uppfyllt när den inte har påbörjats."
        )
    if target is None:
        return (
            "Ingen målnivå är angiven: uppfyllt när åtagandet bedöms som genomfört, "
            "delvis uppfyllt medan arbetet pågår, ej uppfyllt när det inte har påbörjats."
        )
    first = f"Uppfyllt när {_condition(target)}"
    if baseline is not None and baseline.total is not None:
        sentence = f"{first}; {_partly(target, baseline.total)}."
    else:
        sentence = (
            f"{first}; annars ej uppfyllt, eftersom inget utgångsvärde finns att jämföra med."
        )
    if by_gender:
        sentence += (
            " Kvinnor och män bedöms var för sig mot målet, från sina egna utgångsvärden"
            " där de finns."
        )
    return sentence
