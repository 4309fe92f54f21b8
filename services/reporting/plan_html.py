"""The plan view as a Swedish HTML page, for the browser and for print."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from services.reporting.formatting import format_signed_tkr, format_tkr
from services.reporting.plan import PlanView

_environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    # Names and narratives are typed by users; they must never become markup.
    autoescape=True,
    # A misspelt field should fail the render, not print an empty cell in a budget.
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["tkr"] = format_tkr
_environment.filters["signed_tkr"] = format_signed_tkr


def render_plan_html(view: PlanView) -> str:
    return _environment.get_template("plan.html").render(view=view)
