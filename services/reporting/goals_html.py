"""The goals view as a Swedish HTML page, formatted like the plan."""

from services.reporting.goals_view import KIND_LABELS, STATUS_WORDS, GoalsView
from services.reporting.pages import PAGES


def render_goals_html(view: GoalsView) -> str:
    return PAGES.get_template("goals.html").render(
        view=view,
        kind_labels={kind.value: label for kind, label in KIND_LABELS.items()},
        status_words=STATUS_WORDS,
    )
