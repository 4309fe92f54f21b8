"""Every report the service serves, in one list: adding a report is adding its package and
its line here (its addresses then reach the routes and the answer cache alike)."""

from typing import Any

from services.reporting.reports.budget_versions.routes import VERSIONS
from services.reporting.reports.goals.routes import GOALS
from services.reporting.reports.history.routes import HISTORY
from services.reporting.reports.month_report.routes import MONTH_REPORT
from services.reporting.reports.period_report.builder import DEFAULT_INTERIM_LAST_MONTH
from services.reporting.reports.period_report.routes import ANNUAL_REPORT, interim_report
from services.reporting.reports.plan.routes import PLAN
from services.reporting.reports.projects.routes import PROJECT, REGISTER
from services.reporting.reports.shared.routes import ReportRoutes


def reports_by_tag(
    interim_last_month: int = DEFAULT_INTERIM_LAST_MONTH,
) -> dict[str, list[ReportRoutes[Any, Any]]]:
    """Every report under the tag that groups its routes in the API's documentation.
    ``interim_last_month``: the interim report's last month when ?till= names none."""
    return {
        "plan": [PLAN, VERSIONS],
        "mål": [GOALS],
        "historik": [HISTORY],
        "projekt": [REGISTER, PROJECT],
        "uppföljning": [MONTH_REPORT, interim_report(interim_last_month), ANNUAL_REPORT],
    }


def reports(interim_last_month: int = DEFAULT_INTERIM_LAST_MONTH) -> list[ReportRoutes[Any, Any]]:
    return [report for tagged in reports_by_tag(interim_last_month).values() for report in tagged]
