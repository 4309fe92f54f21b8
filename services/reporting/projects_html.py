"""The project register and the project page as Swedish HTML pages, for the browser and print."""

from services.reporting.goals_view import STATUS_WORDS
from services.reporting.pages import PAGES
from services.reporting.projects_view import (
    STATUS_LABELS,
    ProjectPage,
    Register,
    light_label,
)


def render_register_html(view: Register) -> str:
    return PAGES.get_template("projects.html").render(
        view=view, status_labels=STATUS_LABELS, light_label=light_label
    )


def render_project_html(page: ProjectPage) -> str:
    return PAGES.get_template("project.html").render(
        view=page, page=page, light_label=light_label, status_words=STATUS_WORDS
    )
