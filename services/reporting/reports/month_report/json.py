"""The month report as JSON: exact kronor as strings, with tkr; percents with one decimal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services.reporting.reports.month_report.builder import (
    EXAMPLE_NOTICE,
    Figure,
    MonthReport,
    NodeReport,
    Trend,
    period_of,
)
from services.reporting.reports.shared.amounts import sourced_amounts_json
from services.reporting.reports.shared.as_of import moment_json
from services.reporting.reports.shared.formatting import format_kronor
from services.reporting.reports.shared.optional import optional
from services.reporting.reports.shared.tree_walk import walked_node_json

# --- JSON ---------------------------------------------------------------------------------


@optional
def _figure_json(figure: Figure) -> dict[str, Any]:
    return {
        **sourced_amounts_json(figure.source, figure.value, figure.difference),
        "example_data": figure.example_data,
    }


def _decimal_json(value: Decimal | None) -> str | None:
    """A percent or an amount, exact: the figures the JSON gives as strings."""
    return None if value is None else format_kronor(value)


def _node_json(node: NodeReport) -> dict[str, Any]:
    percent = node.deviation_percent
    return {
        **walked_node_json(node),
        "example_data": node.example_data,
        "budget": _figure_json(node.budget),
        "budget_to_date": _figure_json(node.budget_to_date),
        "periodisation": "profile" if node.profile else "twelfths",
        "actuals_to_date": _figure_json(node.actuals),
        "deviation": _figure_json(node.deviation),
        "deviation_percent": None
        if percent is None
        else {
            "revenue": _decimal_json(percent.revenue),
            "costs": _decimal_json(percent.costs),
            "net": _decimal_json(percent.net),
        },
        "reported_month": node.reported_month,
        "compared_month": node.compared_month,
        "forecast": _figure_json(node.forecast),
        "forecast_period": node.forecast_period,
        "forecast_deviation": _figure_json(node.forecast_deviation),
        "comment": None
        if node.comment is None
        else {
            "comment": node.comment.comment,
            "measures": node.comment.measures,
            "example_data": node.comment.example_data,
        },
    }


def _trend_json(report: MonthReport, trend: Trend) -> dict[str, Any]:
    return {
        "unit_code": report.root.code,
        "months": [
            {
                "period": period_of(report.year, point.month),
                "budget_to_date_net": _decimal_json(point.budget_to_date),
                "actuals_to_date_net": _decimal_json(point.actuals_to_date),
            }
            for point in trend.months
        ],
        "forecast_net": _decimal_json(trend.forecast),
        "forecast_period": trend.forecast_period,
    }


def month_report_to_json(report: MonthReport) -> dict[str, Any]:
    """The report as JSON: amounts as exact kronor strings, each with its tkr rendering;
    percents as strings with one decimal."""
    return {
        "title": report.title,
        "unit_code": report.root.code,
        "year": report.year,
        "month": report.month,
        "period": report.period,
        "example_data": report.example_data,
        "notice": EXAMPLE_NOTICE if report.example_data else None,
        "reported_month": report.reported_month,
        "compared_month": report.compared_month,
        "missing_months": [period_of(report.year, m) for m in report.missing_months],
        "uneven_units": [
            {
                "unit_code": unit.code,
                "name": unit.name,
                "reported_months": [period_of(report.year, m) for m in sorted(unit.months)],
            }
            for unit in report.uneven_units
        ],
        "notices": list(report.notices),
        "nodes": [_node_json(node) for node in report.nodes],
        "trend": None if report.trend is None else _trend_json(report, report.trend),
        "parked_events": report.parked,
        "per": moment_json(report.per),
        "version": report.version,
    }
