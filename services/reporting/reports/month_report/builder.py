"""The month report ("Månadsuppföljning"): budget against actuals and forecast, per node.

Pure: rows in, view out, no I/O. For a month M of year Y and every node of the subtree:

* the year's budget: the budget figure for Y that is not a proposal, plus the project
  office's shares, as the plan adds them;
* budget to date: the year's budget times the share of months 1..M, twelfths by default or
  the unit's profile (percent per month); revenue and costs are each rounded once, to the
  öre, half away from zero, so month 12 gives the year's budget exactly; net is their sum;
* actuals to date: the sum of the months 1..M (each month's latest booked outcome);
* deviation: actuals to date minus budget to date, and in percent of the size of the budget
  to date (one decimal, half away from zero; none when the budget to date is 0), so a
  negative percent is worse than budget for revenue and costs alike;
* the forecast: the unit's latest full-year forecast made in Y in month M or before, and
  its deviation from the year's budget (prognosavvikelse);
* the unit's comment and measures for M.

For the report's unit, the year month by month (net): budget to date for every month, actuals
to date up to M, as the report of each month shows them, and the latest forecast.

A node with figures of its own shows them; one without shows the sums of its children, and
where both exist and disagree the gap is shown, as in the plan. Whatever rests on example
data (services.reporting.projection) is marked so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from services.reporting.read_models.budget.tables import (
    CommentRow,
    FigureRow,
    MonthRow,
    ProjectShareRow,
    UnitRow,
)
from services.reporting.reports.plan.builder import Amounts, Source
from services.reporting.reports.shared import tree_walk
from services.reporting.reports.shared.as_of import moment_json
from services.reporting.reports.shared.formatting import format_kronor, format_tkr
from services.reporting.reports.shared.refusals import UnknownUnit

MONTHS = 12
ÖRE = Decimal("0.01")
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)

MONTH_NAMES = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip

EXAMPLE_NOTICE = (
    "Exempeldata: månadsutfall, prognoser och kommentarer är genererade för att prova"
    " systemet och är inte Katrineholms siffror."
)

# --- input rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileRow:
    unit_code: str
    year: int
    monthly_percent: tuple[Decimal, ...]  # January first, summing to 100
    example_data: bool = False


@dataclass(frozen=True)
class MonthReportInput:
    """Rows of the year; where a key repeats, the later row wins."""

    units: Sequence[UnitRow]
    figures: Sequence[FigureRow]
    project_shares: Sequence[ProjectShareRow] = ()
    profiles: Sequence[ProfileRow] = ()
    actuals: Sequence[MonthRow] = ()
    forecasts: Sequence[MonthRow] = ()
    comments: Sequence[CommentRow] = ()
    parked: int = 0


# --- calculation --------------------------------------------------------------------------


def period_of(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


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
    None when ``base`` is 0."""
    if base == 0:
        return None
    return _round(_EXACT.divide(_EXACT.multiply(deviation, HUNDRED), abs(base)), TENTH)


@dataclass(frozen=True)
class Percents:
    revenue: Decimal | None
    costs: Decimal | None
    net: Decimal | None

    @classmethod
    def of(cls, deviation: Amounts, base: Amounts) -> Percents:
        return cls(
            percent_of(deviation.revenue, base.revenue),
            percent_of(deviation.costs, base.costs),
            percent_of(deviation.net, base.net),
        )


@dataclass(frozen=True)
class Figure:
    """What one node shows in one column; a column with nothing at or below is None."""

    value: Amounts
    source: Source
    difference: Amounts | None = None  # own minus children, when both exist and differ
    example_data: bool = False


@dataclass(frozen=True)
class Comment:
    comment: str
    measures: str | None
    example_data: bool


@dataclass(frozen=True)
class NodeReport:
    code: str
    name: str
    kind: str
    depth: int
    parent_code: str | None
    manager_title: str | None
    manager_name: str | None
    budget: Figure | None  # the year's
    budget_to_date: Figure | None
    profile: bool  # whether the node's own budget to date follows its profile
    actuals: Figure | None  # to date
    deviation: Figure | None  # actuals to date minus budget to date
    deviation_percent: Percents | None
    forecast: Figure | None  # full year
    forecast_period: str | None  # when the node's own forecast was made
    forecast_deviation: Figure | None  # forecast minus the year's budget
    comment: Comment | None

    @property
    def figures(self) -> tuple[Figure | None, ...]:
        return (
            self.budget,
            self.budget_to_date,
            self.actuals,
            self.deviation,
            self.forecast,
            self.forecast_deviation,
        )

    @property
    def example_data(self) -> bool:
        return any(f is not None and f.example_data for f in self.figures) or (
            self.comment is not None and self.comment.example_data
        )

    @property
    def has_difference(self) -> bool:
        return any(f is not None and f.difference is not None for f in self.figures)


@dataclass(frozen=True)
class MonthPoint:
    """The report's unit, net, as the report of one month of the year would show it."""

    month: int
    budget_to_date: Decimal | None
    actuals_to_date: Decimal | None  # None after the report's month


@dataclass(frozen=True)
class Trend:
    """The year month by month for the report's unit, net: budget to date for every month,
    actuals to date up to the report's month, and the latest full-year forecast."""

    months: tuple[MonthPoint, ...]  # January to December
    forecast: Decimal | None
    forecast_period: str | None


@dataclass(frozen=True)
class MonthReport:
    year: int
    month: int
    nodes: tuple[NodeReport, ...]  # the requested node first, then depth-first
    parked: int = 0
    trend: Trend | None = None
    per: datetime | None = None  # the moment the figures were read as of; None: now
    version: str | None = None  # the budget version compared with, as ?version= names it

    @property
    def children(self) -> tuple[NodeReport, ...]:
        """The nodes right under the report's unit, in the tree's order."""
        return tuple(node for node in self.nodes if node.depth == self.root.depth + 1)

    @property
    def root(self) -> NodeReport:
        return self.nodes[0]

    @property
    def period(self) -> str:
        return period_of(self.year, self.month)

    @property
    def month_name(self) -> str:
        return MONTH_NAMES[self.month - 1]

    @property
    def title(self) -> str:
        return f"Månadsuppföljning {self.month_name} {self.year} för {self.root.name}"

    @property
    def example_data(self) -> bool:
        return any(node.example_data for node in self.nodes)


def _sum(values: Sequence[Amounts]) -> Amounts | None:
    if not values:
        return None
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def _figure(own: Amounts | None, own_example: bool, below: Sequence[Figure]) -> Figure | None:
    children = _sum([f.value for f in below])
    if own is None:
        if children is None:
            return None
        return Figure(children, "rolled_up", None, any(f.example_data for f in below))
    gap = None if children is None or own == children else own - children
    return Figure(own, "own", gap, own_example)


def _derived(a: Figure | None, b: Figure | None) -> Figure | None:
    """``a`` minus ``b``, resting on example data where either does."""
    if a is None or b is None:
        return None
    return Figure(a.value - b.value, a.source, None, a.example_data or b.example_data)


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
        for (unit_code, _), row in sorted(latest_actuals.items()):
            actuals.setdefault(unit_code, []).append(row)
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

        own_budget = index.budgets.get(code)
        budget = _figure(own_budget, False, below("budget"))
        profile = index.profiles.get(code)
        own_to_date = None
        if own_budget is not None:
            percents = None if profile is None else profile.monthly_percent
            own_to_date = periodise(own_budget, self.month, percents)
        profiled = own_budget is not None and profile is not None
        to_date = _figure(
            own_to_date,
            profiled and profile is not None and profile.example_data,
            below("budget_to_date"),
        )
        booked = index.actuals.get(code, [])
        own_actuals = _sum([Amounts(a.revenue, a.costs) for a in booked])
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
            code=code,
            name=unit.name,
            kind=unit.kind,
            depth=depth,
            parent_code=unit.parent_code,
            manager_title=unit.manager_title,
            manager_name=unit.manager_name,
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
        )


def build_month_report(
    data: MonthReportInput, unit_code: str, year: int, month: int
) -> MonthReport:
    """The month report for ``month`` of ``year`` of ``unit_code`` and everything under it."""
    nodes = _nodes(data, unit_code, year, month)
    return MonthReport(year, month, nodes, data.parked, _trend(data, nodes[0], year, month))


def _nodes(data: MonthReportInput, unit_code: str, year: int, month: int) -> tuple[NodeReport, ...]:
    index = _Index.of(data, year, month)
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


def _trend(data: MonthReportInput, root: NodeReport, year: int, month: int) -> Trend:
    """Each month's point is the root as that month's own report would show it (the tests
    hold the two to each other), rolled up the tree in one walk."""
    index = _Index.of(data, year, MONTHS)
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


# --- JSON ---------------------------------------------------------------------------------


def _amounts_json(amounts: Amounts) -> dict[str, Any]:
    parts = {"revenue": amounts.revenue, "costs": amounts.costs, "net": amounts.net}
    return {
        **{name: format_kronor(value) for name, value in parts.items()},
        "tkr": {name: format_tkr(value) for name, value in parts.items()},
    }


def _figure_json(figure: Figure | None) -> dict[str, Any] | None:
    if figure is None:
        return None
    return {
        "source": figure.source,
        **_amounts_json(figure.value),
        "difference": None if figure.difference is None else _amounts_json(figure.difference),
        "example_data": figure.example_data,
    }


def _percent_json(value: Decimal | None) -> str | None:
    return None if value is None else format_kronor(value)


def _node_json(node: NodeReport) -> dict[str, Any]:
    percent = node.deviation_percent
    return {
        "code": node.code,
        "name": node.name,
        "kind": node.kind,
        "depth": node.depth,
        "parent_code": node.parent_code,
        "manager_title": node.manager_title,
        "manager_name": node.manager_name,
        "example_data": node.example_data,
        "budget": _figure_json(node.budget),
        "budget_to_date": _figure_json(node.budget_to_date),
        "periodisation": "profile" if node.profile else "twelfths",
        "actuals_to_date": _figure_json(node.actuals),
        "deviation": _figure_json(node.deviation),
        "deviation_percent": None
        if percent is None
        else {
            "revenue": _percent_json(percent.revenue),
            "costs": _percent_json(percent.costs),
            "net": _percent_json(percent.net),
        },
        "forecast": _figure_json(node.forecast),
        "forecast_period": node.forecast_period,
        "forecast_deviation": _figure_json(node.forecast_deviation),
        "comment": None
        if node.comment is None
        else {
            "comment": node.comment.comment,
            "measures": node.comment.measures,
            "example_data": node.comment.example_data,
        },
    }


def _net_json(value: Decimal | None) -> str | None:
    return None if value is None else format_kronor(value)


def _trend_json(report: MonthReport, trend: Trend) -> dict[str, Any]:
    return {
        "unit_code": report.root.code,
        "months": [
            {
                "period": period_of(report.year, point.month),
                "budget_to_date_net": _net_json(point.budget_to_date),
                "actuals_to_date_net": _net_json(point.actuals_to_date),
            }
            for point in trend.months
        ],
        "forecast_net": _net_json(trend.forecast),
        "forecast_period": trend.forecast_period,
    }


def month_report_to_json(report: MonthReport) -> dict[str, Any]:
    """The report as JSON: amounts as exact kronor strings, each with its tkr rendering;
    percents as strings with one decimal."""
    return {
        "title": report.title,
        "unit_code": report.root.code,
        "year": report.year,
        "month": report.month,
        "period": report.period,
        "example_data": report.example_data,
        "notice": EXAMPLE_NOTICE if report.example_data else None,
        "nodes": [_node_json(node) for node in report.nodes],
        "trend": None if report.trend is None else _trend_json(report, report.trend),
        "parked_events": report.parked,
        "per": moment_json(report.per),
        "version": report.version,
    }
