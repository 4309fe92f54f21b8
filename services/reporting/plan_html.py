"""The plan view as a Swedish HTML page, for the browser and for print."""

from services.reporting.pages import PAGES
from services.reporting.plan import PlanView


def render_plan_html(view: PlanView) -> str:
    return PAGES.get_template("plan.html").render(view=view)
