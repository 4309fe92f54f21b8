"""The project register and the project page as Swedish HTML pages, for the browser and print."""

from services.reporting.reports.goals.view import STATUS_WORDS
from services.reporting.reports.projects.builder import light_label
from services.reporting.reports.projects.page import ProjectPage
from services.reporting.reports.projects.register import Register
from services.reporting.reports.shared.pages import PAGES
from services.reporting.vocabulary import PROJECT_STATUS_LABELS


def render_register_html(view: Register) -> str:
    return PAGES.get_template("projects.html").render(
        view=view, status_labels=PROJECT_STATUS_LABELS, light_label=light_label
    )


def render_project_html(page: ProjectPage) -> str:
    return PAGES.get_template("project.html").render(
        view=page, page=page, light_label=light_label, status_words=STATUS_WORDS
    )
