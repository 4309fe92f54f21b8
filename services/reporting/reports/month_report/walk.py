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


class _Walk:
    def __init__(self, index: _Index, year: int, month: int) -> None:
        self.index = index
        self.year = year
        self.month = month

    def left_out(self, unit: UnitRow, node: NodeReport) -> bool:
        closed = unit.closed_on is not None and unit.closed_on < date(self.year, 1, 1)
        return closed and all(f is None for f in node.figures)

    def node(self, unit: UnitRow, depth: int, kept: list[NodeReport]) -> NodeReport:
        index = self.index
        code = unit.code

        def below(attribute: str) -> list[Figure]:
            return [f for child in kept if (f := getattr(child, attribute)) is not None]

        booked = index.actuals.get(code, [])
        reported = max(
            [int(a.period[5:]) for a in booked]
            + [m for child in kept if (m := child.reported_month) is not None],
            default=None,
        )
        own_budget = index.budgets.get(code)
        budget = _figure(own_budget, False, below("budget"))
        profile = index.profiles.get(code)
        own_to_date = None
        if own_budget is not None:
            percents = None if profile is None else profile.monthly_percent
            # To the last reported month: a month not reported is missing, not zero.
            own_to_date = periodise(own_budget, reported or self.month, percents)
        profiled = own_budget is not None and profile is not None
        to_date = _figure(
            own_to_date,
            profiled and profile is not None and profile.example_data,
            below("budget_to_date"),
        )
        own_actuals = total_of([Amounts(a.revenue, a.costs) for a in booked])
        actuals = _figure(own_actuals, any(a.example_data for a in booked), below("actuals"))
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
            reported_month=reported,
        )


def build_month_report(
    data: MonthReportInput, unit_code: str, year: int, month: int
) -> MonthReport:
    """The month report for ``month`` of ``year`` of ``unit_code`` and everything under it."""
    index = _Index.of(data, year, month)
    nodes = _nodes(index, unit_code, year, month)
    return MonthReport(year, month, nodes, data.parked, _trend(index, nodes[0], month))


def _nodes(index: _Index, unit_code: str, year: int, month: int) -> tuple[NodeReport, ...]:
    unit = index.units.get(unit_code)
    if unit is None:
        raise UnknownUnit(unit_code)
    walk = _Walk(index, year, month)
    return tree_walk.walk(unit, index.children, walk.node, walk.left_out)


Monthly = tuple[Decimal | None, ...]  # net, January to December


@dataclass(frozen=True)
class _Year:
    """A unit's budget and actuals to date, net, at the end of each month of the year."""

    budget_to_date: Monthly
    actuals_to_date: Monthly


def _rolled(own: Monthly | None, below: Sequence[Monthly]) -> Monthly:
    """Month by month as the report's figures roll up: the unit's own where it has one,
    else the sum of its children's, else nothing."""
    months: list[Decimal | None] = []
    for m in range(MONTHS):
        mine = None if own is None else own[m]
        if mine is None:
            found = [v for values in below if (v := values[m]) is not None]
            mine = sum(found, Decimal(0)) if found else None
        months.append(mine)
    return tuple(months)


def _cumulative(booked: Sequence[MonthRow]) -> Monthly | None:
    """Actuals to date, net, at the end of each month; None before the first booked month,
    as the report has no actuals of the unit's own then."""
    if not booked:
        return None
    by_month = {int(row.period[5:]): row.revenue + row.costs for row in booked}
    months: list[Decimal | None] = []
    total: Decimal | None = None
    for m in range(1, MONTHS + 1):
        if m in by_month:
            total = by_month[m] + (total or Decimal(0))
        months.append(total)
    return tuple(months)


class _YearWalk:
    def __init__(self, index: _Index) -> None:
        self.index = index

    def node(self, unit: UnitRow, depth: int, kept: list[_Year]) -> _Year:
        index = self.index
        own_budget = index.budgets.get(unit.code)
        budget = None
        if own_budget is not None:
            profile = index.profiles.get(unit.code)
            percents = None if profile is None else profile.monthly_percent
            budget = tuple(periodise(own_budget, m, percents).net for m in range(1, MONTHS + 1))
        return _Year(
            _rolled(budget, [child.budget_to_date for child in kept]),
            _rolled(
                _cumulative(index.actuals.get(unit.code, [])),
                [child.actuals_to_date for child in kept],
            ),
        )


def _net(figure: Figure | None) -> Decimal | None:
    return None if figure is None else figure.value.net


def _trend(index: _Index, root: NodeReport, month: int) -> Trend:
    """Each month's point is the root as that month's own report would show it (the tests
    hold the two to each other), rolled up the tree in one walk. The report's index serves:
    a point up to the report's month rests on actuals up to that month alone, and a later
    point has no actuals."""
    unit = index.units[root.code]
    walk = _YearWalk(index)
    whole = tree_walk.walk(unit, index.children, walk.node, lambda _unit, _node: False)[0]
    points = tuple(
        MonthPoint(
            m,
            whole.budget_to_date[m - 1],
            whole.actuals_to_date[m - 1] if m <= month else None,
        )
        for m in range(1, MONTHS + 1)
    )
    return Trend(points, _net(root.forecast), root.forecast_period)
