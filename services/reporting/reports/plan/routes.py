"""The plan's routes: /plan/{unit}/{year} and its JSON, one budget version with ?version=."""

import dataclasses
from dataclasses import dataclass

from plumbing.http_identity import sees_drafts
from plumbing.read_models import ReadModels
from services.reporting.reports.budget_versions.builder import PUBLIC_STATUSES, STATUSES
from services.reporting.reports.plan.builder import build_plan
from services.reporting.reports.plan.export import plan_file_name, plan_table
from services.reporting.reports.plan.html import render_plan_html
from services.reporting.reports.plan.json import plan_to_json
from services.reporting.reports.plan.read import plan_input
from services.reporting.reports.plan.view import PlanView
from services.reporting.reports.shared.routes import Asked, ReportRoutes, Shown, UnitYear
from services.reporting.reports.shared.versions import VersionParameter, chosen_version


@dataclass(frozen=True)
class PlanAsked(UnitYear):
    version: VersionParameter = None


async def _read(models: ReadModels, asked: Asked[PlanAsked]) -> PlanView:
    """The plan; its tables as CSV or an Excel workbook with ?format=csv or ?format=xlsx; as
    it stood at an earlier moment with ?per=, one budget version with ?version=."""
    plan, moment = asked.parameters, asked.moment
    chosen = chosen_version(plan.version, asked.viewer)
    # Drafts the reader may not see: the plan says where one exists instead of an empty cell.
    hidden = tuple(status for status in STATUSES if status not in PUBLIC_STATUSES)
    withheld = () if sees_drafts(asked.viewer) else hidden
    data = await plan_input(
        models,
        plan.year,
        plan.unit_code,
        moment,
        chosen.statuses,
        in_order=chosen.in_order,
        withheld=withheld,
    )
    view = build_plan(data, plan.unit_code, plan.year)
    return dataclasses.replace(view, version=chosen.name)


PLAN = ReportRoutes(
    "/plan/{unit_code}/{year}",
    _read,
    Shown(render_plan_html, plan_to_json, plan_table, plan_file_name),
    PlanAsked,
)
