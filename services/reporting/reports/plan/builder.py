"""The plan view ("Planering med budget Y–Y+2"): the seed's tables per node of the tree.

Pure: rows in, view out, no I/O. Budgets are set both top-down (a board adopts its own
figure) and bottom-up (each unit has its own), so a node shows its own figure where it has
one and the sum of its children otherwise, and where both exist and disagree the gap is
carried along instead of being hidden (the seed's KS budget is 1 118 tkr above its
administrations: the logistics centre, which has no section of its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar

from services.reporting.read_models.budget.tables import (
    FigureRow,
    FrameChangeRow,
    NarrativeRow,
    NetInvestmentRow,
    ProjectShareRow,
    UnitRow,
)
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.read_models.projects.tables import ProjectsInput
from services.reporting.reports.goals.builder import (
    GoalsSection,
    build_goals_section,
    goals_section_to_json,
)
from services.reporting.reports.projects.section import (
    ProjectsSection,
    build_projects_section,
    projects_section_to_json,
)
from services.reporting.reports.shared import tree_walk
from services.reporting.reports.shared.as_of import moment_json
from services.reporting.reports.shared.formatting import (
    format_kronor,
    format_signed_tkr,
    format_tkr,
)
from services.reporting.reports.shared.refusals import UnknownUnit

# --- input rows, filled from the read models by another module ---------------------------


@dataclass(frozen=True)
class PlanInput:
    units: Sequence[UnitRow]
    figures: Sequence[FigureRow]
    frame_changes: Sequence[FrameChangeRow]
    net_investments: Sequence[NetInvestmentRow]
    narratives: Sequence[NarrativeRow]
    parked: int = 0  # events the read models could not take in; the figures may lack them
    goals: GoalsInput | None = None  # None: the goals read models are not there yet
    project_shares: Sequence[ProjectShareRow] = ()
    projects: ProjectsInput | None = None  # of the subtree; None: no projects read model yet
    latest_actuals: str | None = None  # the year's latest month with actuals, YYYY-MM


# --- the view -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Amounts:
    revenue: Decimal
    costs: Decimal

    @property
    def net(self) -> Decimal:
        # Always derived: printed nets in source documents are sometimes inconsistent.
        return self.revenue + self.costs

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(self.revenue + other.revenue, self.costs + other.costs)

    def __sub__(self, other: Amounts) -> Amounts:
        return Amounts(self.revenue - other.revenue, self.costs - other.costs)


Source = Literal["own", "rolled_up"]
V = TypeVar("V", Amounts, Decimal)


@dataclass(frozen=True)
class Cell(Generic[V]):
    """What one node shows in one column. A column with nothing at or below is None."""

    value: V
    source: Source
    difference: V | None = None  # own minus children, only when both exist and differ
    status: str | None = None  # of the own figure: proposed / adopted / revised
    decision: str | None = None  # of the own figure
    # The part of the revenue that is the project office's shares of project budgets: its
    # own, or rolled up from below; None where the value has none.
    project_shares: Decimal | None = None


@dataclass(frozen=True)
class Column:
    label: str  # "Budget 2010", "Bokslut 2010", ...
    kind: str
    year: int


# (Swedish label, figure kind, offset from the budget year): the seed's five columns.
_COLUMNS = (
    ("Budget", "budget", -1),
    ("Bokslut", "actuals", -1),
    ("Budget", "budget", 0),
    ("Plan", "plan", 1),
    ("Plan", "plan", 2),
)


def plan_columns(year: int) -> tuple[Column, ...]:
    return tuple(
        Column(f"{label} {year + shift}", kind, year + shift) for label, kind, shift in _COLUMNS
    )


@dataclass(frozen=True)
class NodeView:
    code: str
    name: str
    kind: str
    depth: int  # 0 for the requested node
    parent_code: str | None
    manager_title: str | None
    manager_name: str | None
    closed_on: date | None
    figures: tuple[Cell[Amounts] | None, ...]  # aligned with PlanView.columns
    net_investments: tuple[Cell[Decimal] | None, ...]  # aligned with PlanView.columns
    frame_changes: tuple[FrameChangeRow, ...]  # of the budget year, in order
    activity_description: str | None
    activity_changes: str | None

    @property
    def has_difference(self) -> bool:
        return any(cell is not None and cell.difference is not None for cell in self.figures)

    @property
    def has_investment_difference(self) -> bool:
        return any(c is not None and c.difference is not None for c in self.net_investments)

    @property
    def has_net_investments(self) -> bool:
        return any(cell is not None for cell in self.net_investments)


@dataclass(frozen=True)
class PlanView:
    year: int  # the budget year Y
    columns: tuple[Column, ...]
    nodes: tuple[NodeView, ...]  # the requested node first, then depth-first
    parked: int = 0
    goals: GoalsSection | None = None  # "Nämndens resultatmål och åtaganden"
    projects: ProjectsSection | None = None  # "… pågående alternativt nya projekt"
    latest_actuals: str | None = None  # the year's latest month with actuals, YYYY-MM
    per: datetime | None = None  # the moment the figures were read as of; None: now
    version: str | None = None  # the budget version shown, as ?version= names it; None: latest

    @property
    def follow_up_period(self) -> str:
        """The month the plan's month report link opens: the latest with actuals, or January."""
        return self.latest_actuals or f"{self.year:04d}-01"

    @property
    def root(self) -> NodeView:
        return self.nodes[0]

    @property
    def title(self) -> str:
        return f"Planering med budget {self.year}–{self.year + 2} för {self.root.name}"


# --- building -----------------------------------------------------------------------------


def _sum(values: Sequence[V]) -> V | None:
    if not values:
        return None
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def _cell(
    own: V | None,
    below: Sequence[V],
    status: str | None = None,
    decision: str | None = None,
    shares: Decimal | None = None,
    shares_below: Decimal | None = None,
) -> Cell[V] | None:
    children = _sum(below)
    if own is None:
        if children is None:
            return None
        return Cell(children, "rolled_up", project_shares=shares_below)
    gap = None if children is None or own == children else own - children
    return Cell(own, "own", gap, status, decision, shares)


@dataclass(frozen=True)
class _Index:
    """The input rows keyed for lookup; where a key repeats, the later row wins
    (rows come in event order, so a revised figure replaces the adopted one)."""

    units: dict[str, UnitRow]
    children: dict[str, list[UnitRow]]
    figures: dict[tuple[str, int, str], FigureRow]
    investments: dict[tuple[str, int, str], Decimal]
    frame_changes: dict[str, list[FrameChangeRow]]
    narratives: dict[tuple[str, str], str]
    shares: dict[tuple[str, int], Decimal]  # (unit, year) → the sum of its project shares

    @classmethod
    def of(cls, data: PlanInput, year: int) -> _Index:
        frame_changes: dict[str, list[FrameChangeRow]] = {}
        for change in sorted(data.frame_changes, key=lambda change: change.order):
            if change.year == year:
                frame_changes.setdefault(change.unit_code, []).append(change)
        shares: dict[tuple[str, int], Decimal] = {}
        for share in data.project_shares:
            key = (share.unit_code, share.year)
            shares[key] = shares.get(key, Decimal(0)) + share.revenue
        return cls(
            units={unit.code: unit for unit in data.units},
            children=tree_walk.children_of(data.units),
            figures={(f.unit_code, f.year, f.kind): f for f in data.figures},
            investments={(i.unit_code, i.year, i.kind): i.amount for i in data.net_investments},
            frame_changes=frame_changes,
            narratives={
                (n.unit_code, n.section): n.text for n in data.narratives if n.year == year
            },
            shares=shares,
        )


# The figure kinds a project share adds to: the budget and the plan years, not the actuals.
_SHARED = frozenset({"budget", "plan"})


class _Walk:
    """What the plan makes of each unit as services.reporting.tree_walk walks the tree."""

    def __init__(self, index: _Index, year: int) -> None:
        self.index = index
        self.columns = plan_columns(year)
        # A unit closed before the first column's year has no place in this plan.
        self.window_start = date(year - 1, 1, 1)

    def left_out(self, unit: UnitRow, node: NodeView) -> bool:
        closed = unit.closed_on is not None and unit.closed_on <= self.window_start
        return closed and _is_empty(node)

    def node(self, unit: UnitRow, depth: int, kept: list[NodeView]) -> NodeView:
        index = self.index
        figures: list[Cell[Amounts] | None] = []
        investments: list[Cell[Decimal] | None] = []
        for i, column in enumerate(self.columns):
            key = (unit.code, column.year, column.kind)
            row = index.figures.get(key)
            below = [cell.value for child in kept if (cell := child.figures[i]) is not None]
            shares_below = _sum(
                [
                    cell.project_shares
                    for child in kept
                    if (cell := child.figures[i]) is not None and cell.project_shares is not None
                ]
            )
            # The office's budgeted revenue includes its shares of the projects it runs.
            shares = index.shares.get((unit.code, column.year)) if column.kind in _SHARED else None
            if row is None and shares is None:
                figures.append(_cell(None, below, shares_below=shares_below))
            else:
                own = Amounts(shares or Decimal(0), Decimal(0))
                if row is not None:
                    own = own + Amounts(row.revenue, row.costs)
                status = None if row is None else row.status
                decision = None if row is None else row.decision
                figures.append(_cell(own, below, status, decision, shares))
            child_investments = [
                spent.value for child in kept if (spent := child.net_investments[i]) is not None
            ]
            investments.append(_cell(index.investments.get(key), child_investments))
        return NodeView(
            code=unit.code,
            name=unit.name,
            kind=unit.kind,
            depth=depth,
            parent_code=unit.parent_code,
            manager_title=unit.manager_title,
            manager_name=unit.manager_name,
            closed_on=unit.closed_on,
            figures=tuple(figures),
            net_investments=tuple(investments),
            frame_changes=tuple(index.frame_changes.get(unit.code, [])),
            activity_description=index.narratives.get((unit.code, "activity_description")),
            activity_changes=index.narratives.get((unit.code, "activity_changes")),
        )


def _is_empty(node: NodeView) -> bool:
    return (
        all(cell is None for cell in node.figures)
        and not node.has_net_investments
        and not node.frame_changes
        and node.activity_description is None
        and node.activity_changes is None
    )


def build_plan(data: PlanInput, unit_code: str, year: int) -> PlanView:
    """The plan for budget year ``year`` of ``unit_code`` and everything under it."""
    index = _Index.of(data, year)
    unit = index.units.get(unit_code)
    if unit is None:
        raise UnknownUnit(unit_code)
    walk = _Walk(index, year)
    nodes = tree_walk.walk(unit, index.children, walk.node, walk.left_out)
    goals = build_goals_section(data.goals, unit.name, year)
    projects = build_projects_section(data.projects, unit.name, year)
    return PlanView(
        year=year,
        columns=walk.columns,
        nodes=nodes,
        parked=data.parked,
        goals=goals,
        projects=projects,
        latest_actuals=data.latest_actuals,
    )


# --- JSON ---------------------------------------------------------------------------------


def amounts_json(amounts: Amounts) -> dict[str, Any]:
    parts = {"revenue": amounts.revenue, "costs": amounts.costs, "net": amounts.net}
    return {
        **{name: format_kronor(value) for name, value in parts.items()},
        "tkr": {name: format_tkr(value) for name, value in parts.items()},
    }


def _figure_json(cell: Cell[Amounts] | None) -> dict[str, Any] | None:
    if cell is None:
        return None
    return {
        "source": cell.source,
        **amounts_json(cell.value),
        "difference": None if cell.difference is None else amounts_json(cell.difference),
        "status": cell.status,
        "decision": cell.decision,
        # Which part of the revenue is the project office's shares of project budgets.
        "project_shares": None
        if cell.project_shares is None
        else _amount_json(cell.project_shares),
    }


def _amount_json(amount: Decimal) -> dict[str, str]:
    return {"amount": format_kronor(amount), "tkr": format_tkr(amount)}


def _investment_json(cell: Cell[Decimal] | None) -> dict[str, Any] | None:
    if cell is None:
        return None
    return {
        "source": cell.source,
        **_amount_json(cell.value),
        "difference": None if cell.difference is None else _amount_json(cell.difference),
    }


def _node_json(node: NodeView) -> dict[str, Any]:
    return {
        "code": node.code,
        "name": node.name,
        "kind": node.kind,
        "depth": node.depth,
        "parent_code": node.parent_code,
        "manager_title": node.manager_title,
        "manager_name": node.manager_name,
        "closed_on": None if node.closed_on is None else node.closed_on.isoformat(),
        "figures": [_figure_json(cell) for cell in node.figures],
        "net_investments": [_investment_json(cell) for cell in node.net_investments],
        "frame_changes": [
            {
                "amount": format_kronor(change.amount),
                "tkr": format_signed_tkr(change.amount),
                "reasons": change.reasons,
                "decision": change.decision,
            }
            for change in node.frame_changes
        ],
        "activity_description": node.activity_description,
        "activity_changes": node.activity_changes,
    }


def plan_to_json(view: PlanView) -> dict[str, Any]:
    """The view as JSON: amounts as exact kronor strings, each with its tkr rendering."""
    return {
        "title": view.title,
        "year": view.year,
        "unit_code": view.root.code,
        "columns": [
            {"label": column.label, "kind": column.kind, "year": column.year}
            for column in view.columns
        ],
        "nodes": [_node_json(node) for node in view.nodes],
        "goals": None if view.goals is None else goals_section_to_json(view.goals),
        "projects": None if view.projects is None else projects_section_to_json(view.projects),
        "parked_events": view.parked,
        "per": moment_json(view.per),
        "version": view.version,
    }
