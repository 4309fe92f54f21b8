"""The month report ("Månadsuppföljning"): budget against actuals and forecast, per node.

Pure: rows in, view out, no I/O. For a month M of year Y and every node of the subtree:

* the year's budget: the budget figure for Y that is not a proposal, plus the project
  office's shares, as the plan adds them;
* budget to date: the year's budget times the share of months 1..M, twelfths by default or
  the unit's profile (percent per month); revenue and costs are each rounded once, to the
  öre, half away from zero, so month 12 gives the year's budget exactly; net is their sum;
* actuals to date: the sum of the months 1..the compared month (each month's latest booked
  outcome);
* the last reported month: the latest month up to M with actuals of the node's own or of a
  node below it; a later month is missing, never zero;
* the compared month: the last month up to which every unit at or below the node that
  reports has reported every month (reported_months). Actuals and budget to date both run
  to it, so they cover the same months (budget to M where nothing is reported);
* deviation: actuals to date minus budget to date, and in percent of the size of the budget
  to date (one decimal, half away from zero), so a negative percent is worse than budget for
  revenue and costs alike; no percent where the budget to date of the line is smaller than
  100 tkr in size (PERCENT_MIN_BASE), as a percent of so little says nothing;
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
from datetime import datetime
from decimal import Decimal

from services.reporting.read_models.budget.tables import (
    CommentRow,
    FigureRow,
    MonthRow,
    ProjectShareRow,
    UnitRow,
)
from services.reporting.reports.month_report.reported_months import (
    UnitMonths,
    missing_notice,
    uneven_notice,
)
from services.reporting.reports.month_report.to_date import PERCENT_NOTE, Percents
from services.reporting.reports.plan.view import Source
from services.reporting.reports.shared.amounts import Amounts, total_of
from services.reporting.reports.shared.readiness import Readiness
from services.reporting.reports.shared.tree_walk import WalkedNode
from services.reporting.vocabulary import MONTH_NAMES

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
class NodeReport(WalkedNode):
    budget: Figure | None  # the year's
    budget_to_date: Figure | None  # to the compared month, or M where nothing is reported
    profile: bool  # whether the node's own budget to date follows its profile
    actuals: Figure | None  # to the compared month
    deviation: Figure | None  # actuals to date minus budget to date
    deviation_percent: Percents | None
    forecast: Figure | None  # full year
    forecast_period: str | None  # when the node's own forecast was made
    forecast_deviation: Figure | None  # forecast minus the year's budget
    comment: Comment | None
    reported_month: int | None = None  # the last month up to M with actuals at or below
    compared_month: int | None = None  # actuals and budget to date run to it (reported_months)

    @property
    def percent_withheld(self) -> bool:
        """Whether a deviation in percent is left out for the budget's small size."""
        return (
            self.deviation is not None
            and self.deviation_percent is not None
            and self.deviation_percent.withheld(self.deviation.value)
        )

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
    readiness: Readiness | None = None  # which units have marked the month ready
    reporting: tuple[UnitMonths, ...] = ()  # the units in the report with actuals of their own

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

    @property
    def reported_month(self) -> int | None:
        """The last month up to the report's with actuals for the report's unit or below."""
        return self.root.reported_month

    @property
    def compared_month(self) -> int | None:
        """The last month all the units in the report that report have reported, January
        on; None where none has reported."""
        return self.root.compared_month

    @property
    def to_date_name(self) -> str:
        """The month "t.o.m." the actuals and budget to date run to: the compared month, or
        the report's month where none is."""
        return self.to_date_name_of(self.root)

    def to_date_name_of(self, node: NodeReport) -> str:
        """The month "t.o.m." a node's actuals and budget to date run to."""
        return MONTH_NAMES[(node.compared_month or self.month) - 1]

    @property
    def uneven_units(self) -> tuple[UnitMonths, ...]:
        """The units whose reported months are not all of January to the last reported."""
        reported = self.reported_month or 0
        return tuple(unit for unit in self.reporting if unit.through < reported)

    @property
    def uneven_notice(self) -> str | None:
        """What the report says when its units have not reported the same months."""
        return uneven_notice(
            self.root.name, self.year, self.compared_month, self.reported_month, self.reporting
        )

    @property
    def missing_months(self) -> tuple[int, ...]:
        """The months up to the report's without actuals after the last reported one."""
        return tuple(range((self.reported_month or 0) + 1, self.month + 1))

    @property
    def missing_notice(self) -> str | None:
        """What the report says of months not reported; None when none is missing."""
        return missing_notice(
            self.root.name, self.year, self.month, self.reported_month, self.compared_month
        )

    @property
    def percent_withheld(self) -> bool:
        return any(node.percent_withheld for node in self.nodes)

    @property
    def notices(self) -> tuple[str, ...]:
        """What the page says above and beside its figures, in print and in the files too."""
        found = [EXAMPLE_NOTICE] if self.example_data else []
        if self.missing_notice:
            found.append(self.missing_notice)
        if self.uneven_notice:
            found.append(self.uneven_notice)
        if self.percent_withheld:
            found.append(PERCENT_NOTE)
        return tuple(found)


def _figure(own: Amounts | None, own_example: bool, below: Sequence[Figure]) -> Figure | None:
    children = total_of([f.value for f in below])
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
