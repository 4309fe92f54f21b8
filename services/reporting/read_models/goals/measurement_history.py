"""Every measurement recorded for the goals of a unit's subtree in a year, oldest first, with
what it measures and who sent it: the history page lists them beside the budget's changes."""

from dataclasses import dataclass

from plumbing.read_model_tables import rows_of
from plumbing.read_models import ReadSession
from services.reporting.read_models.goals.tables import MEASUREMENT_HISTORY, MeasurementRow
from services.reporting.read_models.senders import GOAL_SENDERS, SentInSubtree, sent_in_year_sql


@dataclass(frozen=True)
class MeasurementRecord(SentInSubtree, MeasurementRow):
    """A measurement with what it measures, the unit whose goal it is and who sent it."""


_SQL = sent_in_year_sql(
    MEASUREMENT_HISTORY,
    "coalesce(c.text, i.name) AS what, g.unit_code",
    """LEFT JOIN commitments c ON c.commitment_id = h.measure_id
LEFT JOIN indicators i ON i.indicator_id = h.measure_id
LEFT JOIN commitments ic ON ic.commitment_id = i.commitment_id
JOIN goals g ON g.goal_id = coalesce(c.goal_id, i.goal_id, ic.goal_id)
JOIN tree t ON t.code = g.unit_code""",
    GOAL_SENDERS,
)


async def measurements_of_year(
    session: ReadSession, unit_code: str, year: int
) -> list[MeasurementRecord]:
    """The measurements of ``year`` (their period's year) of ``unit_code``'s subtree's goals,
    in the order recorded; replaced values too."""
    return rows_of(MeasurementRecord, await session.fetch(_SQL, unit_code, str(year)))
