"""The budget versions' routes: /plan/{unit}/{year}/versioner and its JSON; the proposal only
to a reader who may see drafts."""

from plumbing.http_identity import sees_drafts
from plumbing.read_models import ReadModels
from services.reporting.reports.budget_versions.builder import (
    PUBLIC_STATUSES,
    STATUSES,
    VersionsView,
    build_versions,
    net_change,
    versions_to_json,
)
from services.reporting.reports.budget_versions.export import versions_file_name, versions_table
from services.reporting.reports.plan.read import plan_input
from services.reporting.reports.shared.pages import PAGES
from services.reporting.reports.shared.routes import Asked, Shown, UnitYear, unit_year_report


def render_versions_html(view: VersionsView) -> str:
    return PAGES.get_template("versions.html").render(view=view, net_change=net_change)


async def _read(models: ReadModels, asked: Asked[UnitYear]) -> VersionsView:
    """The year's budget per version (proposed to those who may see drafts, adopted,
    revised), rolled up the tree, with the change from one version to the next; as CSV or an
    Excel workbook with ?format=csv or ?format=xlsx."""
    unit, moment = asked.parameters, asked.moment
    statuses = STATUSES if sees_drafts(asked.viewer) else PUBLIC_STATUSES
    data = await plan_input(models, unit.year, per=moment, statuses=statuses, every_version=True)
    return build_versions(data, unit.unit_code, unit.year, statuses)


VERSIONS = unit_year_report(
    "/plan/{unit_code}/{year}/versioner",
    _read,
    Shown(render_versions_html, versions_to_json, versions_table, versions_file_name),
)
