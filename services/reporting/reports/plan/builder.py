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
from datetime import date
from decimal import Decimal

from services.reporting.read_models.budget.tables import (
    FigureRow,
    FrameChangeRow,
    NarrativeRow,
    NetInvestmentRow,
    NoteRow,
    ProjectShareRow,
    UnitRow,
)
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.read_models.projects.tables import ProjectsInput
from services.reporting.reports.goals.section import (
    build_goals_section,
)
from services.reporting.reports.plan import reconciliation
from services.reporting.reports.plan.notes import with_notes
from services.reporting.reports.plan.view import (
    Cell,
    Column,
    Cover,
    NodeView,
    PlanView,
    V,
    plan_columns,
)
from services.reporting.reports.projects.section import (
    build_projects_section,
)
from services.reporting.reports.shared import tree_walk
from services.reporting.reports.shared.amounts import Amounts, total_of
from services.reporting.reports.shared.refusals import UnknownUnit
from services.reporting.reports.shared.tree_walk import placed

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
    # (unit, year, kind) of the figures recorded with a status the reader may not see (a
    # proposal, to a reader without a role): the view says so where it shows nothing else.
    withheld: frozenset[tuple[str, int, str]] = frozenset()
    notes: Sequence[NoteRow] = ()  # on units' tables, in the order attached


# --- building -----------------------------------------------------------------------------


def _cell(
    own: V | None,
    below: Sequence[V],
    status: str | None = None,
    decision: str | None = None,
    shares: Decimal | None = None,
    shares_below: Decimal | None = None,
    stated_net: Decimal | None = None,
) -> Cell[V] | None:
    children = total_of(below)
    if own is None:
        if children is None:
            return None
        return Cell(children, "rolled_up", project_shares=shares_below)
    gap = None if children is None or own == children else own - children
    stated = reconciliation.stated_difference(own, stated_net) if isinstance(own, Amounts) else None
    return Cell(own, "own", gap, status, decision, shares, stated_net, stated)


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
    withheld: frozenset[tuple[str, int, str]]

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
            withheld=data.withheld,
        )


# The figure kinds a project share adds to: the budget and the plan years, not the actuals.
_SHARED = frozenset({"budget", "plan"})


class _Walk:
    """What the plan makes of each unit as services.reporting.tree_walk walks the tree."""

    def __init__(self, index: _Index, year: int) -> None:
        self.index = index
        self.year = year
        self.columns = plan_columns(year)
        self.budget_column = reconciliation.budget_column(self.columns, year)
        # A unit closed before the first column's year has no place in this plan.
        self.window_start = date(year - 1, 1, 1)

    def left_out(self, unit: UnitRow, node: NodeView) -> bool:
        closed = unit.closed_on is not None and unit.closed_on <= self.window_start
        return closed and _is_empty(node)

    def node(self, unit: UnitRow, depth: int, kept: list[NodeView]) -> NodeView:
        index = self.index
        figures: list[Cell[Amounts] | None] = []
        withheld: list[bool] = []
        investments: list[Cell[Decimal] | None] = []
        for i, column in enumerate(self.columns):
            key = (unit.code, column.year, column.kind)
            row = index.figures.get(key)
            below = [cell.value for child in kept if (cell := child.figures[i]) is not None]
            shares_below = total_of(
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
                stated = None if row is None else row.stated_net
                figures.append(_cell(own, below, status, decision, shares, stated_net=stated))
            withheld.append(
                figures[-1] is None
                and (
                    key in index.withheld
                    or any(child.drafts_not_shown[i] for child in kept if child.drafts_not_shown)
                )
            )
            child_investments = [
                spent.value for child in kept if (spent := child.net_investments[i]) is not None
            ]
            investments.append(_cell(index.investments.get(key), child_investments))
        changes = index.frame_changes.get(unit.code, [])
        total, from_below = reconciliation.frame_changes_total(changes, kept, self.budget_column)
        return NodeView(
            **placed(unit, depth),
            closed_on=unit.closed_on,
            figures=tuple(figures),
            drafts_not_shown=tuple(withheld),
            net_investments=tuple(investments),
            frame_changes=tuple(changes),
            activity_description=index.narratives.get((unit.code, "activity_description")),
            activity_changes=index.narratives.get((unit.code, "activity_changes")),
            frame_changes_total=total,
            frame_check=reconciliation.frame_check(
                figures, self.columns, self.year, total, from_below
            ),
        )


def _is_empty(node: NodeView) -> bool:
    return (
        all(cell is None for cell in node.figures)
        and not node.has_net_investments
        and not node.frame_changes
        and node.activity_description is None
        and node.activity_changes is None
    )


def _cover(root: NodeView, columns: Sequence[Column]) -> Cover | None:
    """The cover of the root's own budget of the budget year, where it has one."""
    for column, cell in zip(columns, root.figures, strict=True):
        if column.kind == "budget" and column.year == columns[0].year + 1:
            if cell is None or cell.source != "own" or cell.status is None:
                return None
            return Cover(cell.status, cell.decision)
    return None


def build_plan(data: PlanInput, unit_code: str, year: int) -> PlanView:
    """The plan for budget year ``year`` of ``unit_code`` and everything under it."""
    index = _Index.of(data, year)
    unit = index.units.get(unit_code)
    if unit is None:
        raise UnknownUnit(unit_code)
    walk = _Walk(index, year)
    walked = tree_walk.walk(unit, index.children, walk.node, walk.left_out)
    nodes = with_notes(walked, data.notes, walk.columns, year)
    goals = build_goals_section(data.goals, unit.name, year)
    projects = build_projects_section(data.projects, unit.name, year)
    return PlanView(
        cover=_cover(nodes[0], walk.columns),
        year=year,
        columns=walk.columns,
        nodes=nodes,
        parked=data.parked,
        goals=goals,
        projects=projects,
        latest_actuals=data.latest_actuals,
    )
