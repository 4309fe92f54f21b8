"""The history's routes: /historik/{unit}/{year} and /api/historik/{unit}/{year}; drafts'
changes only to a reader who may see drafts. Not as of a moment: the history is every change."""

from plumbing.http_identity import sees_drafts
from plumbing.read_models import ReadModels
from services.reporting.reports.history.builder import HistoryView, history_to_json
from services.reporting.reports.history.export import history_file_name, history_table
from services.reporting.reports.history.html import render_history_html
from services.reporting.reports.history.read import unit_history
from services.reporting.reports.shared.routes import Asked, ReportRoutes, UnitYear, unit_year


async def _read(models: ReadModels, asked: Asked[UnitYear]) -> HistoryView:
    unit = asked.parameters
    return await unit_history(models, unit.unit_code, unit.year, sees_drafts(asked.viewer))


HISTORY: ReportRoutes[UnitYear, HistoryView] = ReportRoutes(
    path="/historik/{unit_code}/{year}",
    tag="historik",
    parameters=unit_year,
    read=_read,
    page=render_history_html,
    json=history_to_json,
    table=history_table,
    file_name=lambda view, _: history_file_name(view),
    description="Every change of the unit's figures for the year, oldest first, in Swedish:"
    " when, who, from where, old and new; as CSV or an Excel workbook with ?format=csv or"
    " ?format=xlsx.",
    as_of=False,
)
