"""Every status report of the projects of a unit's subtree for a year, oldest first, with who
sent it: the history page lists them beside the budget's changes."""

from dataclasses import dataclass

from plumbing.read_model_tables import rows_of
from plumbing.read_models import ReadSession
from services.reporting.read_models.budget.queries import SUBTREE_SQL
from services.reporting.read_models.projects.tables import StatusReportRow
from services.reporting.read_models.senders import Sent


@dataclass(frozen=True)
class StatusReportRecord(Sent, StatusReportRow):
    what: str  # the project's name
    unit_code: str  # the unit the project belongs to


_SQL = (
    SUBTREE_SQL
    + """
SELECT r.project_code, p.name AS what, p.unit_code, r.period, r.schedule, r.cost, r.quality,
       r.text, r.reported_by, r.recorded_at, r.ord AS "order",
       s.actor, s.actor_name, s.source_system, s.message_id, s.trace_id
FROM project_status_reports r
JOIN projects p ON p.project_code = r.project_code
JOIN tree t ON t.code = p.unit_code
LEFT JOIN project_senders s ON s.event_id = r.event_id
WHERE left(r.period, 4) = $2
ORDER BY r.ord
"""
)


async def status_reports_of_year(
    session: ReadSession, unit_code: str, year: int
) -> list[StatusReportRecord]:
    """The status reports of ``year`` (their period's year) of the projects of
    ``unit_code``'s subtree, in the order recorded."""
    return rows_of(StatusReportRecord, await session.fetch(_SQL, unit_code, str(year)))
