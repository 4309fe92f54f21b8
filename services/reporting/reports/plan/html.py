"""The plan view as a Swedish HTML page, for the browser and for print."""

from services.reporting.reports.plan.contents import contents
from services.reporting.reports.plan.page_cells import (
    amount_cell,
    figure_cells,
    headings,
    refs,
    table_notes,
)
from services.reporting.reports.plan.view import PlanView
from services.reporting.reports.shared.pages import PAGES


def render_plan_html(view: PlanView) -> str:
    return PAGES.get_template("plan.html").render(
        view=view,
        contents=contents,
        refs=refs,
        headings=headings,
        amount_cell=amount_cell,
        figure_cells=figure_cells,
        table_notes=table_notes,
    )
