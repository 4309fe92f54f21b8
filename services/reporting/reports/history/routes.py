"""The history's routes: /historik/{unit}/{year} and /api/historik/{unit}/{year}; drafts'
changes only to a reader who may see drafts. Not as of a moment: the history is every change."""

from plumbing.http_identity import sees_drafts
from plumbing.read_models import ReadModels
from services.reporting.reports.history.builder import HistoryView, history_to_json
from services.reporting.reports.history.export import history_file_name, history_table
from services.reporting.reports.history.html import render_history_html
from services.reporting.reports.history.read import unit_history
from services.reporting.reports.shared.routes import Asked, Shown, UnitYear, unit_year_report


async def _read(models: ReadModels, asked: Asked[UnitYear]) -> HistoryView:
    """Every change of the unit's figures for the year, oldest first, in Swedish: when, who,
    from where, old and new; as CSV or an Excel workbook with ?format=csv or ?format=xlsx."""
    unit = asked.parameters
    return await unit_history(models, unit.unit_code, unit.year, sees_drafts(asked.viewer))


HISTORY = unit_year_report(
    "/historik/{unit_code}/{year}",
    _read,
    Shown(render_history_html, history_to_json, history_table, history_file_name),
    as_of=False,
)
