"""The year to date in the month report: the budget periodised to a month, exactly, and a
deviation in percent of a budget to date, left out where that budget is too small for a
percent to say anything. The interim and annual reports use the same rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from services.reporting.reports.shared.amounts import Amounts

MONTHS = 12
ÖRE = Decimal("0.01")
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)
# Below this size of budget to date (kronor) a deviation is not given in percent.
PERCENT_MIN_BASE = Decimal(100_000)
PERCENT_NOTE = (
    "Avvikelse i procent visas inte där budgeten t.o.m. månaden är mindre än 100 tkr;"
    " en procent av så lite säger inget."
)


# Wide enough that no product or quotient of amounts is rounded before the one rounding
# each figure gets; passed to each operation rather than entered per call, which a report
# of hundreds of units a month at a time would otherwise pay for tens of thousands of times.
_EXACT = Context(prec=60, rounding=ROUND_HALF_UP)


def _round(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, context=_EXACT)


def share_to_date(month: int, profile: Sequence[Decimal] | None) -> tuple[Decimal, Decimal]:
    """The part of the year months 1..``month`` make up, as a fraction (numerator,
    denominator), exact: month/12 without a profile, the profile's percents summed over 100."""
    if profile is None:
        return Decimal(month), Decimal(MONTHS)
    return sum(profile[:month], Decimal(0)), HUNDRED


def periodise(budget: Amounts, month: int, profile: Sequence[Decimal] | None = None) -> Amounts:
    """The budget to date: each of revenue and costs times the share of the months up to
    ``month``, rounded once to the öre, half away from zero."""
    numerator, denominator = share_to_date(month, profile)

    def part(amount: Decimal) -> Decimal:
        return _round(_EXACT.divide(_EXACT.multiply(amount, numerator), denominator), ÖRE)

    return Amounts(part(budget.revenue), part(budget.costs))


def percent_of(deviation: Decimal, base: Decimal) -> Decimal | None:
    """``deviation`` in percent of the size of ``base``, one decimal, half away from zero;
    None when ``base`` is smaller in size than PERCENT_MIN_BASE (0 included)."""
    if abs(base) < PERCENT_MIN_BASE:
        return None
    return _round(_EXACT.divide(_EXACT.multiply(deviation, HUNDRED), abs(base)), TENTH)


@dataclass(frozen=True)
class Percents:
    revenue: Decimal | None
    costs: Decimal | None
    net: Decimal | None

    def withheld(self, deviation: Amounts) -> bool:
        """Whether a percent is left out for a line with a deviation other than 0."""
        return any(
            p is None and d != 0
            for p, d in (
                (self.revenue, deviation.revenue),
                (self.costs, deviation.costs),
                (self.net, deviation.net),
            )
        )

    @classmethod
    def of(cls, deviation: Amounts, base: Amounts) -> Percents:
        return cls(
            percent_of(deviation.revenue, base.revenue),
            percent_of(deviation.costs, base.costs),
            percent_of(deviation.net, base.net),
        )
