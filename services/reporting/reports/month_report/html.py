"""The month report as a Swedish HTML page, with its charts."""

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from services.reporting.reports.month_report.builder import (
    EXAMPLE_NOTICE,
    MonthReport,
)
from services.reporting.reports.month_report.page_table import example, format_percent, node_table
from services.reporting.reports.month_report.to_date import PERCENT_NOTE
from services.reporting.reports.shared.bar_chart import bar_chart
from services.reporting.reports.shared.charts import Axis, Bar, Series
from services.reporting.reports.shared.formatting import format_tkr
from services.reporting.reports.shared.line_chart import line_chart
from services.reporting.reports.shared.pages import PAGES
from services.reporting.vocabulary import MONTH_ABBREVIATIONS

# Ticks a whole tkr apart at least, so no two print alike.
TKR = Axis("tkr", format_tkr, Decimal(1000))
DEVIATION_AXIS = Axis("tkr; vänster om noll (randigt) = sämre än budget", format_tkr, Decimal(1000))


@dataclass(frozen=True)
class Chart:
    caption: str
    svg: Markup


def trend_chart(report: MonthReport) -> Chart | None:
    """Actuals to date against budget to date month by month, and where the latest forecast
    says the year ends; None when the unit has none of them."""
    trend = report.trend
    if trend is None:
        return None
    root = report.root
    actuals = [point.actuals_to_date for point in trend.months]
    budget = [point.budget_to_date for point in trend.months]
    if all(v is None for v in actuals + budget) and trend.forecast is None:
        return None
    last_actuals = actuals[report.month - 1]
    forecast_name = "Prognos helår"
    if trend.forecast_period is not None:
        forecast_name += f" (gjord {trend.forecast_period})"
    series = [
        Series("Utfall t.o.m. månaden", actuals),
        Series("Budget t.o.m. månaden" + (" enligt budgetprofil" if root.profile else ""), budget),
        # The forecast goes on from the last actuals to the year's end.
        Series(
            forecast_name,
            [None] * 11 + [trend.forecast],
            None if last_actuals is None else (report.month - 1, last_actuals),
        ),
    ]
    caption = f"Nettokostnad {report.year} ackumulerad månad för månad, tkr"
    summary = (
        f"Nettokostnad för {root.name} {report.year} i tkr, summerad från januari:"
        f" utfall till och med {report.to_date_name}, budget för hela året och"
        " helårsprognosen i december."
    )
    svg = line_chart(f"utveckling-{root.code}", caption, summary, MONTH_ABBREVIATIONS, series, TKR)
    return Chart(caption, svg)


def deviation_chart(report: MonthReport) -> Chart | None:
    """The deviation to date (net) of each unit right under the report's; None without any."""
    children = report.children
    bars = [
        Bar(node.name, node.deviation.value.net) for node in children if node.deviation is not None
    ]
    if not bars:
        return None
    caption = f"Avvikelse t.o.m. {report.to_date_name} per enhet, nettokostnad, tkr"
    summary = (
        f"Utfall minus budget till och med {report.to_date_name} {report.year} för enheterna under"
        f" {report.root.name}; under noll är sämre än budget."
    )
    missing = [node.name for node in children if node.deviation is None]
    if missing:
        summary += f" Saknar utfall eller budget: {', '.join(missing)}."
    svg = bar_chart(f"avvikelse-{report.root.code}", caption, summary, bars, DEVIATION_AXIS)
    return Chart(caption, svg)


# What a page of the year's economy says the same way: the month report's and the interim
# and annual reports'.
ECONOMY_WORDS = {"notice": EXAMPLE_NOTICE, "percent_note": PERCENT_NOTE, "percent": format_percent}


def render_month_report_html(report: MonthReport) -> str:
    charts = [chart for chart in (trend_chart(report), deviation_chart(report)) if chart]
    return PAGES.get_template("month_report.html").render(
        view=report, charts=charts, example=example, node_table=node_table, **ECONOMY_WORDS
    )
