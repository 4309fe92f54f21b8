"""The plan as JSON: exact kronor as strings, with tkr."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services.reporting.reports.goals.section import (
    goals_section_to_json,
)
from services.reporting.reports.plan.contents import contents
from services.reporting.reports.plan.view import Cell, FrameCheck, NodeView, NoteView, PlanView
from services.reporting.reports.projects.section import (
    projects_section_to_json,
)
from services.reporting.reports.shared.amounts import Amounts, sourced_amounts_json
from services.reporting.reports.shared.as_of import moment_json
from services.reporting.reports.shared.formatting import (
    format_kronor,
    format_signed_tkr,
    format_tkr,
)
from services.reporting.reports.shared.optional import optional
from services.reporting.reports.shared.tree_walk import walked_node_json

# --- JSON ---------------------------------------------------------------------------------


def _optional_amount(amount: Decimal | None) -> dict[str, str] | None:
    return None if amount is None else _amount_json(amount)


@optional
def _figure_json(cell: Cell[Amounts]) -> dict[str, Any]:
    return {
        # The net the sender stated, and how far revenue plus costs fall from it.
        "stated_net": _optional_amount(cell.stated_net),
        "stated_difference": _optional_amount(cell.stated_difference),
        **sourced_amounts_json(cell.source, cell.value, cell.difference),
        "status": cell.status,
        "decision": cell.decision,
        # Which part of the revenue is the project office's shares of project budgets.
        "project_shares": None
        if cell.project_shares is None
        else _amount_json(cell.project_shares),
    }


def _amount_json(amount: Decimal) -> dict[str, str]:
    return {"amount": format_kronor(amount), "tkr": format_tkr(amount)}


@optional
def _investment_json(cell: Cell[Decimal]) -> dict[str, Any]:
    return {
        "source": cell.source,
        **_amount_json(cell.value),
        "difference": None if cell.difference is None else _amount_json(cell.difference),
    }


def _note_json(note: NoteView, view: PlanView) -> dict[str, Any]:
    return {
        "number": note.number,
        "note_id": note.note_id,
        "table": note.table,
        "column": None if note.column is None else view.columns[note.column].label,
        "line": note.line,
        "text": note.text,
        "sender": note.sender,
    }


@optional
def _frame_check_json(check: FrameCheck) -> dict[str, Any]:
    return {
        "total": _amount_json(check.total),
        "from_units_below": check.from_below,
        "budget_growth": _amount_json(check.growth),
        "difference": _optional_amount(check.difference),
    }


def _node_json(node: NodeView, view: PlanView) -> dict[str, Any]:
    return {
        **walked_node_json(node),
        "closed_on": None if node.closed_on is None else node.closed_on.isoformat(),
        "figures": [_figure_json(cell) for cell in node.figures],
        # Per column: a draft exists that the reader may not see, where nothing is shown.
        "drafts_not_shown": list(node.drafts_not_shown),
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
        # The budget year's frame changes against the growth of the net budget.
        "frame_check": _frame_check_json(node.frame_check),
        "activity_description": node.activity_description,
        "activity_changes": node.activity_changes,
        "notes": [_note_json(note, view) for note in node.notes],
    }


def plan_to_json(view: PlanView) -> dict[str, Any]:
    """The view as JSON: amounts as exact kronor strings, each with its tkr rendering."""
    return {
        "title": view.title,
        "cover": None
        if view.cover is None
        else {
            "date": None if view.cover.dated is None else view.cover.dated.isoformat(),
            "status": view.cover.status,
            "status_name": view.cover.status_name,
            "decision": view.cover.decision,
        },
        "year": view.year,
        "unit_code": view.root.code,
        "columns": [
            {"label": column.label, "kind": column.kind, "year": column.year}
            for column in view.columns
        ],
        "contents": [{"title": title, "anchor": anchor} for title, anchor, _ in contents(view)],
        "nodes": [_node_json(node, view) for node in view.nodes],
        "goals": None if view.goals is None else goals_section_to_json(view.goals),
        "projects": None if view.projects is None else projects_section_to_json(view.projects),
        "parked_events": view.parked,
        "per": moment_json(view.per),
        "version": view.version,
    }
