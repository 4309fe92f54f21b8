"""The Jinja environment of every HTML page: the reports' templates, escaping and filters."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from services.reporting.reports.budget_versions.builder import version_label
from services.reporting.reports.shared.as_of import shown_instant, shown_moment
from services.reporting.reports.shared.form_slot import csrf_field, form_slot
from services.reporting.reports.shared.formatting import (
    format_grouped_kronor,
    format_measure,
    format_signed_tkr,
    format_tkr,
)

# Each report keeps its templates in its own package; what they share (the page, the charts,
# the error page) is here. A report may include another's section (the plan the goals').
_REPORTS = Path(__file__).parent.parent
_FOLDERS = [_REPORTS / "shared" / "templates", *sorted(_REPORTS.glob("*/templates"))]

PAGES = Environment(
    loader=FileSystemLoader(list(dict.fromkeys(_FOLDERS))),
    # Names and narratives are typed by users; they must never become markup.
    autoescape=True,
    # A misspelt field should fail the render, not print an empty cell in a budget.
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
PAGES.globals["form_slot"] = form_slot
PAGES.globals["csrf_field"] = csrf_field
PAGES.filters["tkr"] = format_tkr
PAGES.filters["signed_tkr"] = format_signed_tkr
PAGES.filters["measure"] = format_measure
PAGES.filters["kronor"] = format_grouped_kronor
PAGES.filters["moment"] = shown_moment
PAGES.filters["instant"] = shown_instant
PAGES.filters["version_label"] = version_label
