"""The interim and annual reports as JSON: exact kronor as strings, with tkr."""

from __future__ import annotations

from typing import Any

from services.reporting.reports.goals.json import goals_view_to_json
from services.reporting.reports.goals.view import GoalsView
from services.reporting.reports.month_report.builder import (
    EXAMPLE_NOTICE,
)
from services.reporting.reports.month_report.json import month_report_to_json
from services.reporting.reports.period_report.builder import InvestmentFigure
from services.reporting.reports.period_report.goal_attainment import COUNTED, Counts
from services.reporting.reports.period_report.report import PeriodReport
from services.reporting.reports.projects.json import register_to_json
from services.reporting.reports.shared.as_of import moment_json
from services.reporting.reports.shared.formatting import format_kronor, format_tkr
from services.reporting.reports.shared.optional import optional

# --- JSON -----------------------------------------------------------------------------------


@optional
def _investment_json(figure: InvestmentFigure) -> dict[str, Any]:
    return {
        "source": figure.source,
        "amount": format_kronor(figure.value),
        "tkr": format_tkr(figure.value),
        "difference": None if figure.difference is None else format_kronor(figure.difference),
    }


@optional
def _counts_json(counts: Counts) -> dict[str, int]:
    return {**{field: getattr(counts, field) for field in COUNTED.values()}, "total": counts.total}


def _goals_json(report: PeriodReport) -> dict[str, Any]:
    section = report.goals
    perspectives = []
    for p in section.perspectives:
        # The commitments as the goals view (/api/mal) writes them.
        listed = GoalsView(report.root.code, report.root.name, report.year, p.commitments)
        perspectives.append(
            {
                "perspective_id": p.perspective_id,
                "name": p.name,
                "attainment": _counts_json(p.total),
                "women": _counts_json(p.women),
                "men": _counts_json(p.men),
                "commitments": goals_view_to_json(listed)["commitments"],
            }
        )
    return {
        "follow_up": report.kind.follow_up.value,
        "follow_up_label": section.follow_up,
        "note": section.note,
        "others": section.others,
        "attainment": _counts_json(section.overall),
        "labels": {field: a.label for a, field in COUNTED.items()},
        "perspectives": perspectives,
        "empty": section.empty,
    }


def period_report_to_json(report: PeriodReport) -> dict[str, Any]:
    """Amounts as exact kronor strings with their tkr; the economy's nodes as the month report
    writes them (/api/uppfoljning)."""
    economy = month_report_to_json(report.economy)
    investments = report.investments
    projects = report.projects
    return {
        "title": report.title,
        "kind": report.kind.value,
        "unit_code": report.root.code,
        "year": report.year,
        "first_period": report.first_period,
        "last_period": report.last_period,
        "example_data": report.example_data,
        "notice": EXAMPLE_NOTICE if report.example_data else None,
        "closed": report.closed,
        "notices": list(report.notices),
        "economy": {
            "period": economy["period"],
            "reported_month": economy["reported_month"],
            "missing_months": economy["missing_months"],
            "nodes": economy["nodes"],
        },
        "net_investments": {
            "with_outcome": investments.with_outcome,
            "note": investments.note,
            "empty": investments.empty,
            "units": [
                {
                    "code": p.code,
                    "name": p.name,
                    "depth": p.depth,
                    "budget": _investment_json(p.budget),
                    "outcome": _investment_json(p.outcome),
                    "deviation": None if p.deviation is None else format_kronor(p.deviation),
                }
                for p in investments.units
            ],
        },
        "goals": _goals_json(report),
        "projects": {
            "projects": []
            if projects.register is None
            else register_to_json(projects.register)["projects"],
            "empty": projects.empty,
        },
        "narratives": {
            "section": report.kind.narrative_section.value,
            "title": report.narratives.title,
            "units": [
                {"code": p.code, "name": p.name, "depth": p.depth, "text": p.narrative}
                for p in report.narratives.units
            ],
            "empty": report.narratives.empty,
        },
        "parked_events": report.parked,
        "per": moment_json(report.per),
    }
