"""The history view as a Swedish HTML page, for the browser and for print."""

from services.reporting.reports.history.builder import HistoryView, net, shorten, status_label
from services.reporting.reports.shared.pages import PAGES


def render_history_html(view: HistoryView) -> str:
    return PAGES.get_template("history.html").render(
        view=view, shorten=shorten, status_label=status_label, net=net
    )
