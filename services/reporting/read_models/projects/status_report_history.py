"""Every status report of the projects of a unit's subtree for a year, oldest first, with who
sent it: the history page lists them beside the budget's changes."""

from dataclasses import dataclass

from plumbing.read_model_tables import rows_of
from plumbing.read_models import ReadSession
from services.reporting.read_models.projects.tables import STATUS_REPORTS, StatusReportRow
from services.reporting.read_models.senders import PROJECT_SENDERS, SentInSubtree, sent_in_year_sql


@dataclass(frozen=True)
class StatusReportRecord(SentInSubtree, StatusReportRow):
    """A status report with its project's name, the project's unit and who sent it."""


_SQL = sent_in_year_sql(
    STATUS_REPORTS,
    "p.name AS what, p.unit_code",
    "JOIN projects p ON p.project_code = h.project_code JOIN tree t ON t.code = p.unit_code",
    PROJECT_SENDERS,
)


async def status_reports_of_year(
    session: ReadSession, unit_code: str, year: int
) -> list[StatusReportRecord]:
    """The status reports of ``year`` (their period's year) of the projects of
    ``unit_code``'s subtree, in the order recorded."""
    return rows_of(StatusReportRecord, await session.fetch(_SQL, unit_code, str(year)))
