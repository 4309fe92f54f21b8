"""Goals events into the reporting read models: perspectives, result goals, commitments,
indicators, notes, measurements and activity assessments.

Each event is read as its contract model (services.reporting.read_models.writers); one
that does not validate fails to apply and the runner parks it. Every statement is an
upsert keyed by the sender's id, so applying an event twice leaves the same rows.
"""

from contracts.goals.events import (
    ActivityAssessed,
    CommitmentMade,
    GoalAdopted,
    GoalRetired,
    GoalReworded,
    IndicatorAdded,
    MeasurementRecorded,
    NoteAttached,
    PerspectiveDefined,
)
from plumbing.projection import ReceivedEvent
from services.reporting.read_models import sources
from services.reporting.read_models.goals.tables import (
    ACTIVITY_ASSESSMENTS,
    COMMITMENTS,
    GOALS,
    INDICATORS,
    MEASUREMENT_HISTORY,
    MEASUREMENTS,
    NOTES,
    PERSPECTIVES,
    TABLES,
)
from services.reporting.read_models.senders import GOAL_SENDERS
from services.reporting.read_models.writers import (
    Statement,
    WrittenProjection,
    by_event_type,
    event_values,
    insert_sql,
    inserted,
)

_PERSPECTIVE = inserted(PerspectiveDefined, PERSPECTIVES, kept=("order",))

_GOAL_ADOPTED = inserted(GoalAdopted, GOALS, kept=("order",))

_GOAL_REWORDED = Statement(
    GoalReworded,
    f"UPDATE {GOALS.name} SET title = $2, decision = coalesce($3, decision) WHERE goal_id = $1",
    lambda g, _: (g.goal_id, g.title, g.decision),
)

_GOAL_RETIRED = Statement(
    GoalRetired,
    f"UPDATE {GOALS.name} SET last_year = $2, decision = coalesce($3, decision) WHERE goal_id = $1",
    lambda g, _: (g.goal_id, g.last_year, g.decision),
)


def _commitment_args(c: CommitmentMade, e: ReceivedEvent) -> tuple[object, ...]:
    target, baseline = c.target, c.baseline
    return (
        c.commitment_id,
        c.goal_id,
        c.kind.value,
        c.text,
        [follow_up.value for follow_up in c.follow_up],
        c.by_gender,
        None if target is None else target.comparison.value,
        None if target is None else target.value,
        None if target is None else target.unit.value,
        None if target is None else target.due_year,
        None if target is None else target.due_on,
        None if baseline is None else baseline.value,
        None if baseline is None else baseline.women,
        None if baseline is None else baseline.men,
        None if baseline is None else baseline.period,
        None if baseline is None else baseline.source,
        e.sequence,
        None if target is None else target.stated_kind.value,
        None if target is None or target.change_basis is None else target.change_basis.value,
    )


_COMMITMENT = Statement(
    CommitmentMade,
    insert_sql(COMMITMENTS, kept=("order",)),
    _commitment_args,
)

_INDICATOR = inserted(IndicatorAdded, INDICATORS, kept=("order",))

_NOTE = inserted(NoteAttached, NOTES, kept=("order",))

# The latest value per measure and period, and every value in the history.
_MEASUREMENT = Statement(
    MeasurementRecorded,
    f"WITH kept AS ({insert_sql(MEASUREMENT_HISTORY, replaces=False)}) "
    # The latest: the same values, the event's id last.
    + insert_sql(MEASUREMENTS).replace(
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", " VALUES ($2, $3, $4, $5, $6, $7, $8, $1)"
    ),
    event_values(MEASUREMENT_HISTORY),
)

_ASSESSMENT = inserted(ActivityAssessed, ACTIVITY_ASSESSMENTS)


class GoalsProjection(WrittenProjection, name=sources.GOALS, tables=TABLES, senders=GOAL_SENDERS):
    writers = by_event_type(
        [
            _PERSPECTIVE,
            _GOAL_ADOPTED,
            _GOAL_REWORDED,
            _GOAL_RETIRED,
            _COMMITMENT,
            _INDICATOR,
            _NOTE,
            _MEASUREMENT,
            _ASSESSMENT,
        ]
    )
