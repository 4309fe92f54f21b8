"""The plan's table of contents, as the printed plan opens with one: each unit's section,
then the result goals and the projects, each with the anchor its section has on the page."""

from __future__ import annotations

from services.reporting.reports.plan.view import PlanView

GOALS_ANCHOR = "resultatmal"
PROJECTS_ANCHOR = "projekt"


def node_anchor(code: str) -> str:
    return f"enhet-{code}"


def contents(view: PlanView) -> list[tuple[str, str, int]]:
    """(title, anchor, depth) of each section, in the order the plan shows them."""
    entries = [(node.name, node_anchor(node.code), node.depth) for node in view.nodes]
    if view.goals is not None:
        entries.append((view.goals.title, GOALS_ANCHOR, 0))
    if view.projects is not None:
        entries.append((view.projects.title, PROJECTS_ANCHOR, 0))
    return entries
