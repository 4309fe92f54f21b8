"""The Jinja environment of every HTML page: one set of templates, escaping and filters."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from services.reporting.as_of import shown_moment
from services.reporting.budget_versions import version_label
from services.reporting.formatting import (
    format_grouped_kronor,
    format_measure,
    format_signed_tkr,
    format_tkr,
)

PAGES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    # Names and narratives are typed by users; they must never become markup.
    autoescape=True,
    # A misspelt field should fail the render, not print an empty cell in a budget.
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
PAGES.filters["tkr"] = format_tkr
PAGES.filters["signed_tkr"] = format_signed_tkr
PAGES.filters["measure"] = format_measure
PAGES.filters["kronor"] = format_grouped_kronor
PAGES.filters["moment"] = shown_moment
PAGES.filters["version_label"] = version_label
