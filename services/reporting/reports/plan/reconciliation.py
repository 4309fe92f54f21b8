"""Where a unit's stated figures do not add up, said at the unit itself.

Two checks, both pure:

- a figure sent with the net its sender states (the printed "Nettokostnad") shows the
  stated net minus revenue plus costs where they differ (Kommungemensamt's budget 2011:
  815 − 9 821 = −9 006 tkr, printed −5 595);
- a unit's frame changes of the budget year are set against how much its net budget grew
  from the year before (Kommunledningsförvaltningen's offices' changes sum to +2 831 tkr,
  its budget grows by 2 832). The nets compared are those the page states: the stated net
  where one was sent, so an inconsistency already shown at a figure is not shown twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from services.reporting.read_models.budget.tables import FrameChangeRow
from services.reporting.reports.plan.view import Cell, Column, FrameCheck, NodeView
from services.reporting.reports.shared.amounts import Amounts


def stated_difference(value: Amounts, stated_net: Decimal | None) -> Decimal | None:
    """The stated net minus revenue plus costs; None where none is stated or they agree."""
    if stated_net is None or stated_net == value.net:
        return None
    return stated_net - value.net


def stated_or_net(cell: Cell[Amounts] | None) -> Decimal | None:
    """The net a cell states: its sender's where one was sent, revenue plus costs otherwise."""
    if cell is None:
        return None
    return cell.value.net if cell.stated_net is None else cell.stated_net


def budget_column(columns: Sequence[Column], year: int) -> int | None:
    return next((i for i, c in enumerate(columns) if c.kind == "budget" and c.year == year), None)


def frame_changes_total(
    own: Sequence[FrameChangeRow], children: Sequence[NodeView], column: int | None
) -> tuple[Decimal | None, bool]:
    """The sum of a unit's frame changes, and whether it is its units' (it has none of its
    own). From below only where every unit below with a budget of the year has a total: a
    unit without one (a new unit's first frame) leaves the sum unknown rather than short."""
    if own:
        return sum((change.amount for change in own), Decimal(0)), False
    if column is None:
        return None, False
    budgeted = [child for child in children if child.figures[column] is not None]
    totals = [child.frame_changes_total for child in budgeted]
    if not budgeted or any(total is None for total in totals):
        return None, False
    return sum((total for total in totals if total is not None), Decimal(0)), True


def frame_check(
    figures: Sequence[Cell[Amounts] | None],
    columns: Sequence[Column],
    year: int,
    total: Decimal | None,
    from_below: bool,
) -> FrameCheck | None:
    """The unit's frame changes against the growth of its own net budget from ``year`` − 1
    to ``year``; None where either is unknown. A budget summed from the units below is not
    checked: its units' own checks already say where it does not add up."""
    this, last = budget_column(columns, year), budget_column(columns, year - 1)
    if total is None or this is None or last is None:
        return None
    cells = (figures[this], figures[last])
    if any(cell is None or cell.source != "own" for cell in cells):
        return None
    now, before = (stated_or_net(cell) for cell in cells)
    if now is None or before is None:
        return None
    return FrameCheck(total, before - now, from_below)
