"""The goals view's routes: /mal/{unit}/{year} and its JSON, filtered by perspective or
attainment, the page as cards or as a table. Goals carry no drafts: every reader of the plan
sees them alike."""

import dataclasses
from dataclasses import dataclass
from typing import Annotated

from fastapi import Query

from plumbing.read_models import ReadModels
from services.reporting.reports.goals.export import goals_file_name, goals_table
from services.reporting.reports.goals.html import render_goals_html
from services.reporting.reports.goals.json import goals_view_to_json
from services.reporting.reports.goals.read import goals_input
from services.reporting.reports.goals.view import (
    Filters,
    GoalsView,
    build_goals_view,
    parse_display,
)
from services.reporting.reports.shared.routes import Asked, ReportRoutes, Shown, UnitYear

Perspective = Annotated[
    str | None, Query(alias="perspektiv", description="Perspektivets id; med underområden")
]
Attained = Annotated[
    str | None,
    Query(alias="maluppfyllelse", description="uppfyllt, delvis, ej_uppfyllt eller ej_matt"),
]

Display = Annotated[
    str | None,
    Query(alias="visning", description="kort (ett kort per åtagande) eller tabell (en rad var)"),
]


@dataclass(frozen=True)
class GoalsAsked(UnitYear):
    perspective: Perspective = None
    attained: Attained = None
    display: Display = None


async def _read(models: ReadModels, asked: Asked[GoalsAsked]) -> GoalsView:
    """Result goals and commitments of the unit and everything under it, with attainment; as
    CSV or an Excel workbook with ?format=csv or ?format=xlsx; as it stood at an earlier
    moment with ?per=; as one table, a row per commitment, with ?visning=tabell."""
    goals, moment = asked.parameters, asked.moment
    filters = Filters.parse(goals.perspective, goals.attained)
    display = parse_display(goals.display)
    data = await goals_input(models, goals.unit_code, goals.year, moment)
    view = build_goals_view(data, data.units[0], goals.year, filters)
    return dataclasses.replace(view, display=display)


GOALS = ReportRoutes(
    "/mal/{unit_code}/{year}",
    _read,
    Shown(render_goals_html, goals_view_to_json, goals_table, goals_file_name),
    GoalsAsked,
)
