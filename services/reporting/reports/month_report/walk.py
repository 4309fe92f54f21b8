"""The month report's walk of the tree: each node's figures, its own or its children's sums, and
the year month by month."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.reporting.read_models.budget.tables import (
    CommentRow,
    MonthRow,
    UnitRow,
)
from services.reporting.reports.month_report.builder import (
    Comment,
    Figure,
    MonthPoint,
    MonthReport,
    MonthReportInput,
    NodeReport,
    ProfileRow,
    Trend,
    _derived,
    _figure,
    period_of,
)
from services.reporting.reports.month_report.by_month import (
    NOTHING,
    Monthly,
    at,
    cumulative,
    rolled,
)
from services.reporting.reports.month_report.reported_months import UnitMonths
from services.reporting.reports.month_report.to_date import MONTHS, Percents, periodise
from services.reporting.reports.shared import tree_walk
from services.reporting.reports.shared.amounts import Amounts, total_of
from services.reporting.reports.shared.refusals import UnknownUnit
from services.reporting.reports.shared.tree_walk import placed


@dataclass(frozen=True)
class _Index:
    children: dict[str, list[UnitRow]]
    units: dict[str, UnitRow]
    budgets: dict[str, Amounts]
    profiles: dict[str, ProfileRow]
    actuals: dict[str, list[MonthRow]]
    forecasts: dict[str, MonthRow]
    comments: dict[str, CommentRow]

    @classmethod
    def of(cls, data: MonthReportInput, year: int, month: int) -> _Index:
        budgets: dict[str, Amounts] = {}
        for f in data.figures:
            # The query chose the version (queries.figures_sql): one figure per unit.
            if f.year == year and f.kind == "budget":
                budgets[f.unit_code] = Amounts(f.revenue, f.costs)
        for share in data.project_shares:
            if share.year == year:
                before = budgets.get(share.unit_code, Amounts(Decimal(0), Decimal(0)))
                budgets[share.unit_code] = before + Amounts(share.revenue, Decimal(0))
        months = {period_of(year, m) for m in range(1, month + 1)}
        latest_actuals: dict[tuple[str, str], MonthRow] = {
            (a.unit_code, a.period): a for a in data.actuals if a.period in months
        }
        actuals: dict[str, list[MonthRow]] = {}
        for (unit_code, _), row in latest_actuals.items():
            actuals.setdefault(unit_code, []).append(row)
        for booked in actuals.values():
            booked.sort(key=_period)
        forecasts: dict[str, MonthRow] = {}
        for forecast in data.forecasts:
            if forecast.period not in months:
                continue
            found = forecasts.get(forecast.unit_code)
            # The latest month wins; within a month, the later row.
            if found is None or forecast.period >= found.period:
                forecasts[forecast.unit_code] = forecast
        this_month = period_of(year, month)
        return cls(
            children=tree_walk.children_of(data.units),
            units={unit.code: unit for unit in data.units},
            budgets=budgets,
            profiles={p.unit_code: p for p in data.profiles if p.year == year},
            actuals=actuals,
            forecasts=forecasts,
            comments={c.unit_code: c for c in data.comments if c.period == this_month},
        )


def _period(row: MonthRow) -> str:
    return row.period


@dataclass(frozen=True)
class _Year:
    """A node's budget to date and actuals to date at the end of each month, as the report
    rolls them up, and the months its units have reported."""

    budget_to_date: Monthly
    budget_example: bool
    actuals_to_date: Monthly
    actuals_example: bool
    through: int | None  # the last month all units at or below have reported (reported_months)
    reported: int | None  # the last month with actuals at or below

    @property
    def compared(self) -> int | None:
        """The month actuals and budget to date run to; None where nothing is reported at or
        below, so that nothing is compared and budget runs to the report's month."""
        return None if self.reported is None else self.through


class _Walk:
    def __init__(self, index: _Index, year: int, month: int) -> None:
        self.index = index
        self.year = year
        self.month = month
        self.years: dict[str, _Year] = {}
        self.reporting: list[UnitMonths] = []

    def left_out(self, unit: UnitRow, node: NodeReport) -> bool:
        closed = unit.closed_on is not None and unit.closed_on < date(self.year, 1, 1)
        return closed and all(f is None for f in node.figures)

    def _year_of(self, unit: UnitRow, below: Sequence[_Year]) -> _Year:
        index = self.index
        own_budget = index.budgets.get(unit.code)
        budget = None
        budget_example = any(child.budget_example for child in below)
        if own_budget is not None:
            profile = index.profiles.get(unit.code)
            percents = None if profile is None else profile.monthly_percent
            budget = tuple(periodise(own_budget, m, percents) for m in range(1, MONTHS + 1))
            budget_example = profile is not None and profile.example_data
        booked = index.actuals.get(unit.code, [])
        through = [child.through for child in below if child.through is not None]
        reported = [child.reported for child in below if child.reported is not None]
        actuals_example = any(child.actuals_example for child in below)
        # The ledger books where the budget's lowest level is: such a unit with nothing
        # reported has every month missing, not zero.
        lowest = all(child.budget_to_date == NOTHING for child in below)
        months = self._months(unit, booked)
        if booked or (budget is not None and lowest and months.expects_any):
            self.reporting.append(months)
            through.append(months.through)
            if booked:
                reported.append(months.last)
                actuals_example = any(a.example_data for a in booked)
        return _Year(
            rolled(budget, [child.budget_to_date for child in below]),
            budget_example,
            rolled(cumulative(booked), [child.actuals_to_date for child in below]),
            actuals_example,
            min(through, default=None),
            max(reported, default=None),
        )

    def _months(self, unit: UnitRow, booked: Sequence[MonthRow]) -> UnitMonths:
        """What the unit has reported, and which months of the year it exists in: from the
        month its registration is in force to the month before its closing (the month of it,
        where it closes after the first)."""
        first, last = 1, MONTHS
        opened, closed = unit.opened_on, unit.closed_on
        if opened is not None and opened.year >= self.year:
            first = opened.month if opened.year == self.year else MONTHS + 1
        if closed is not None and closed.year <= self.year:
            last = (closed.month - (closed.day == 1)) if closed.year == self.year else 0
        reported = frozenset(int(a.period[5:]) for a in booked)
        return UnitMonths(unit.code, unit.name, reported, first, last, self.month)

    def node(self, unit: UnitRow, depth: int, kept: list[NodeReport]) -> NodeReport:
        index = self.index
        code = unit.code
        below_years = [self.years[child.code] for child in kept]
        year = self.years[code] = self._year_of(unit, below_years)

        def below(attribute: str) -> list[Figure]:
            return [f for child in kept if (f := getattr(child, attribute)) is not None]

        def below_at(monthly: str, example: str, month: int) -> list[Figure]:
            return [
                Figure(value, "rolled_up", None, getattr(child, example))
                for child in below_years
                if (value := at(getattr(child, monthly), month)) is not None
            ]

        # To the compared month: a month not reported is missing, not zero, for every unit.
        to_month = self.month if year.compared is None else year.compared
        own_budget = index.budgets.get(code)
        budget = _figure(own_budget, False, below("budget"))
        profile = index.profiles.get(code)
        profiled = own_budget is not None and profile is not None
        to_date = None
        if to_month > 0:
            # A unit's own budget is its year's series as it is (by_month.rolled).
            own_to_date = None if own_budget is None else at(year.budget_to_date, to_month)
            to_date = _figure(
                own_to_date,
                profiled and profile is not None and profile.example_data,
                below_at("budget_to_date", "budget_example", to_month),
            )
        booked = index.actuals.get(code, [])
        own_actuals = total_of(
            [Amounts(a.revenue, a.costs) for a in booked if int(a.period[5:]) <= to_month]
        )
        actuals = None
        if year.compared is not None:
            actuals = _figure(
                own_actuals,
                any(a.example_data for a in booked),
                below_at("actuals_to_date", "actuals_example", to_month),
            )
        deviation = _derived(actuals, to_date)
        percent = None
        if deviation is not None and to_date is not None:
            percent = Percents.of(deviation.value, to_date.value)
        made = index.forecasts.get(code)
        forecast = _figure(
            None if made is None else Amounts(made.revenue, made.costs),
            made is not None and made.example_data,
            below("forecast"),
        )
        written = index.comments.get(code)
        return NodeReport(
            **placed(unit, depth),
            budget=budget,
            budget_to_date=to_date,
            profile=profiled,
            actuals=actuals,
            deviation=deviation,
            deviation_percent=percent,
            forecast=forecast,
            forecast_period=None if made is None else made.period,
            forecast_deviation=_derived(forecast, budget),
            comment=None
            if written is None
            else Comment(written.comment, written.measures, written.example_data),
            reported_month=year.reported,
            compared_month=year.compared,
        )


def build_month_report(
    data: MonthReportInput, unit_code: str, year: int, month: int
) -> MonthReport:
    """The month report for ``month`` of ``year`` of ``unit_code`` and everything under it."""
    index = _Index.of(data, year, month)
    unit = index.units.get(unit_code)
    if unit is None:
        raise UnknownUnit(unit_code)
    walk = _Walk(index, year, month)
    nodes = tree_walk.walk(unit, index.children, walk.node, walk.left_out)
    reporting = tuple(walk.reporting)
    trend = _trend(walk.years[unit_code], nodes[0], month, reporting)
    return MonthReport(year, month, nodes, data.parked, trend, reporting=reporting)


def _net(amounts: Amounts | None) -> Decimal | None:
    return None if amounts is None else amounts.net


def _known(month: int, reporting: Sequence[UnitMonths]) -> bool:
    """Whether actuals to date at the end of ``month`` are known: every unit that has
    reported by then has reported every month to it, as that month's report asks."""
    return all(unit.through >= month for unit in reporting if min(unit.months, default=0) <= month)


def _trend(year: _Year, root: NodeReport, month: int, reporting: Sequence[UnitMonths]) -> Trend:
    """Each month's point is the root as that month's own report would show it where every
    unit has reported the month (the tests hold the two to each other); a month some unit
    has not reported has no actuals, and nor has a month after the report's."""
    points = tuple(
        MonthPoint(
            m,
            _net(year.budget_to_date[m - 1]),
            _net(year.actuals_to_date[m - 1]) if m <= month and _known(m, reporting) else None,
        )
        for m in range(1, MONTHS + 1)
    )
    forecast = root.forecast
    return Trend(points, None if forecast is None else forecast.value.net, root.forecast_period)
