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
    insert_sql,
)

_PERSPECTIVE = Statement(
    PerspectiveDefined,
    insert_sql(PERSPECTIVES, kept=("order",)),
    lambda p, e: (p.perspective_id, p.board_code, p.name, p.position, p.parent_id, e.sequence),
)

_GOAL_ADOPTED = Statement(
    GoalAdopted,
    insert_sql(GOALS, kept=("order",)),
    lambda g, e: (
        g.goal_id,
        g.unit_code,
        g.perspective_id,
        g.title,
        g.first_year,
        g.last_year,
        g.decision,
        e.sequence,
    ),
)

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

_INDICATOR = Statement(
    IndicatorAdded,
    insert_sql(INDICATORS, kept=("order",)),
    lambda i, e: (
        i.indicator_id,
        i.commitment_id,
        i.goal_id,
        i.name,
        None if i.cadence is None else i.cadence.value,
        [follow_up.value for follow_up in i.follow_up],
        None if i.unit is None else i.unit.value,
        i.by_gender,
        e.sequence,
    ),
)

_NOTE = Statement(
    NoteAttached,
    insert_sql(NOTES, kept=("order",)),
    lambda n, e: (n.note_id, n.attached_to, n.kind.value, n.text, e.sequence),
)

# The latest value per measure and period, and every value in the history.
_MEASUREMENT = Statement(
    MeasurementRecorded,
    f"WITH kept AS ({insert_sql(MEASUREMENT_HISTORY, replaces=False)}) "
    # The latest: the same values, the event's id last.
    + insert_sql(MEASUREMENTS).replace(
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", " VALUES ($2, $3, $4, $5, $6, $7, $8, $1)"
    ),
    lambda m, e: (
        e.message.envelope.event_id,
        m.measure_id,
        m.period,
        m.total,
        m.women,
        m.men,
        m.source,
        e.message.envelope.recorded_at,
        e.sequence,
    ),
)

_ASSESSMENT = Statement(
    ActivityAssessed,
    insert_sql(ACTIVITY_ASSESSMENTS),
    lambda a, e: (
        a.commitment_id,
        a.period,
        a.status.value,
        a.comment,
        e.message.envelope.recorded_at,
    ),
)


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
