"""The history view as a Swedish HTML page, for the browser and for print."""

from services.reporting.history import HistoryView, net, shorten, status_label

# The plan's templates, escaping and amount filters, so both pages print amounts alike.
from services.reporting.plan_html import _environment


def render_history_html(view: HistoryView) -> str:
    return _environment.get_template("history.html").render(
        view=view, shorten=shorten, status_label=status_label, net=net
    )
