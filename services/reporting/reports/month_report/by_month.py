"""A node's year month by month, as the month report rolls it up: budget to date and actuals
to date at the end of each month, the node's own where it has them, else its children's sums."""

from collections.abc import Sequence

from services.reporting.read_models.budget.tables import MonthRow
from services.reporting.reports.month_report.to_date import MONTHS
from services.reporting.reports.shared.amounts import Amounts, total_of

Monthly = tuple[Amounts | None, ...]  # to the end of each month, January to December
NOTHING: Monthly = (None,) * MONTHS


def rolled(own: Monthly | None, below: Sequence[Monthly]) -> Monthly:
    """Month by month as the report's figures roll up: the unit's own where it has one,
    else the sum of its children's, else nothing."""
    if own is not None and None not in own:
        return own
    months: list[Amounts | None] = []
    for m in range(MONTHS):
        mine = None if own is None else own[m]
        if mine is None:
            mine = total_of([v for values in below if (v := values[m]) is not None])
        months.append(mine)
    return tuple(months)


def cumulative(booked: Sequence[MonthRow]) -> Monthly | None:
    """Actuals to date at the end of each month; None before the first booked month, as the
    report has no actuals of the unit's own then."""
    if not booked:
        return None
    by_month = {int(row.period[5:]): Amounts(row.revenue, row.costs) for row in booked}
    months: list[Amounts | None] = []
    total: Amounts | None = None
    for m in range(1, MONTHS + 1):
        found = by_month.get(m)
        if found is not None:
            total = found if total is None else total + found
        months.append(total)
    return tuple(months)


def at(monthly: Monthly, month: int) -> Amounts | None:
    """The value at the end of ``month``; None for no month at all (0)."""
    return monthly[month - 1] if month > 0 else None
