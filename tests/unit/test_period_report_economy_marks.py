"""The interim report's economy table: example data marked once per column, not per cell, and
no deviation in percent where the budget to date is too small for one, saying why."""

import dataclasses
import re
from decimal import Decimal

from services.reporting.read_models.budget.tables import FigureRow
from services.reporting.reports.month_report.to_date import PERCENT_NOTE
from services.reporting.reports.period_report.builder import PeriodReportInput
from services.reporting.reports.period_report.export import period_report_table
from services.reporting.reports.period_report.json import period_report_to_json
from services.reporting.reports.period_report.routes import render_period_report_html
from tests.unit.test_period_report import ECONOMY, FULL, actual, interim


def economy_table(page: str) -> str:
    match = re.search(r'<table class="economy">.*?</table>', page, re.S)
    assert match is not None
    return match.group(0)


def test_example_data_is_marked_once_in_each_column_it_is_in() -> None:
    report = interim()
    # Staben's January is example data; its actuals, deviation and percent rest on it.
    assert report.example_columns == {"actuals", "deviation"}
    table = economy_table(render_period_report_html(report))
    head, body = table.split("</thead>")
    assert head.count("Exempeldata</span>") == 3  # Utfall, Avvikelse and Avvikelse %
    assert "Exempeldata</span>" not in body
    # Staben's actuals and deviation and the board's sums of them, with no text in the cells.
    assert body.count('title="Exempeldata"') == 4


def test_without_example_data_no_column_is_marked() -> None:
    report = interim(unit="IT")
    assert report.example_columns == frozenset()
    assert "Exempeldata" not in economy_table(render_period_report_html(report))


def small_budget() -> PeriodReportInput:
    """Staben with 600 tkr a year: one reported month is 50 tkr, too little for a percent."""
    figures = (
        ECONOMY.figures[0],
        FigureRow("STAB", 2011, "budget", "adopted", Decimal(0), Decimal("-600000"), None),
    )
    actuals = (*ECONOMY.actuals[:-1], actual("STAB", "2011-01", "0", "-80000"))
    return dataclasses.replace(
        FULL, economy=dataclasses.replace(ECONOMY, figures=figures, actuals=actuals)
    )


def test_a_percent_of_a_budget_to_date_under_100_tkr_is_left_out_and_says_why() -> None:
    report = interim(small_budget(), unit="STAB")
    [stab] = report.economy.nodes
    assert stab.percent_withheld and stab.deviation_percent is not None
    assert stab.deviation_percent.net is None
    page = render_period_report_html(report)
    assert "ej meningsfull" in economy_table(page)
    assert PERCENT_NOTE in page
    assert PERCENT_NOTE in period_report_to_json(report)["notices"]
    assert PERCENT_NOTE in period_report_table(report).notices
