"""The month report as a Swedish HTML page."""

from decimal import Decimal

from services.reporting.formatting import format_number
from services.reporting.month_report import EXAMPLE_NOTICE, MonthReport
from services.reporting.pages import PAGES


def format_percent(value: Decimal | None) -> str:
    """A percent with one decimal as Swedish writes it: "-3,2 %"; empty for none."""
    return "" if value is None else f"{format_number(value)} %"


def render_month_report_html(report: MonthReport) -> str:
    return PAGES.get_template("month_report.html").render(
        view=report, notice=EXAMPLE_NOTICE, percent=format_percent
    )
