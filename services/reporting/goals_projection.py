"""Goals events into the reporting read models: perspectives, result goals, commitments,
indicators, notes, measurements and activity assessments.

Each event is read as its contract model (services.reporting.projection.Statement); one
that does not validate fails to apply and the runner parks it. Every statement is an
upsert keyed by the sender's id, so applying an event twice leaves the same rows.
"""

from collections.abc import Sequence
from importlib import resources
from itertools import groupby

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
from contracts.goals.service import GOALS
from plumbing.database import Connection
from plumbing.projection import ReceivedEvent
from plumbing.projection import Source as StreamSource
from services.reporting.projection import Statement, Writer

GOALS_EVENTS = StreamSource(GOALS.events_stream, GOALS.events_subjects)

_PERSPECTIVE = Statement(
    PerspectiveDefined,
    "INSERT INTO perspectives (perspective_id, board_code, name, position, parent_id, ord)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (perspective_id) DO UPDATE SET"
    " board_code = EXCLUDED.board_code, name = EXCLUDED.name,"
    " position = EXCLUDED.position, parent_id = EXCLUDED.parent_id",
    lambda p, e: (p.perspective_id, p.board_code, p.name, p.position, p.parent_id, e.sequence),
)

_GOAL_ADOPTED = Statement(
    GoalAdopted,
    "INSERT INTO goals (goal_id, unit_code, perspective_id, title, first_year, last_year,"
    " decision, ord) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (goal_id) DO UPDATE"
    " SET unit_code = EXCLUDED.unit_code, perspective_id = EXCLUDED.perspective_id,"
    " title = EXCLUDED.title, first_year = EXCLUDED.first_year,"
    " last_year = EXCLUDED.last_year, decision = EXCLUDED.decision",
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
    "UPDATE goals SET title = $2, decision = coalesce($3, decision) WHERE goal_id = $1",
    lambda g, _: (g.goal_id, g.title, g.decision),
)

_GOAL_RETIRED = Statement(
    GoalRetired,
    "UPDATE goals SET last_year = $2, decision = coalesce($3, decision) WHERE goal_id = $1",
    lambda g, _: (g.goal_id, g.last_year, g.decision),
)

_COMMITMENT_COLUMNS = (
    "commitment_id",
    "goal_id",
    "kind",
    "text",
    "follow_up",
    "by_gender",
    "target_comparison",
    "target_value",
    "target_unit",
    "target_due_year",
    "target_due_on",
    "baseline_value",
    "baseline_women",
    "baseline_men",
    "baseline_period",
    "baseline_source",
    "ord",
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
    )


_COMMITMENT = Statement(
    CommitmentMade,
    f"INSERT INTO commitments ({', '.join(_COMMITMENT_COLUMNS)})"
    f" VALUES ({', '.join(f'${i}' for i in range(1, len(_COMMITMENT_COLUMNS) + 1))})"
    " ON CONFLICT (commitment_id) DO UPDATE SET "
    + ", ".join(f"{name} = EXCLUDED.{name}" for name in _COMMITMENT_COLUMNS[1:-1]),
    _commitment_args,
)

_INDICATOR = Statement(
    IndicatorAdded,
    "INSERT INTO indicators (indicator_id, commitment_id, goal_id, name, cadence, follow_up,"
    " unit, by_gender, ord) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " ON CONFLICT (indicator_id) DO UPDATE SET commitment_id = EXCLUDED.commitment_id,"
    " goal_id = EXCLUDED.goal_id, name = EXCLUDED.name, cadence = EXCLUDED.cadence,"
    " follow_up = EXCLUDED.follow_up, unit = EXCLUDED.unit, by_gender = EXCLUDED.by_gender",
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
    "INSERT INTO notes (note_id, attached_to, kind, text, ord) VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (note_id) DO UPDATE SET attached_to = EXCLUDED.attached_to,"
    " kind = EXCLUDED.kind, text = EXCLUDED.text",
    lambda n, e: (n.note_id, n.attached_to, n.kind.value, n.text, e.sequence),
)

# The latest value per measure and period, and every value in the history.
_MEASUREMENT = Statement(
    MeasurementRecorded,
    "WITH kept AS (INSERT INTO measurement_history (event_id, measure_id, period, total,"
    " women, men, source, recorded_at, ord) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " ON CONFLICT (event_id) DO NOTHING)"
    " INSERT INTO measurements (measure_id, period, total, women, men, source, recorded_at,"
    " event_id) VALUES ($2, $3, $4, $5, $6, $7, $8, $1) ON CONFLICT (measure_id, period)"
    " DO UPDATE SET total = EXCLUDED.total, women = EXCLUDED.women, men = EXCLUDED.men,"
    " source = EXCLUDED.source, recorded_at = EXCLUDED.recorded_at,"
    " event_id = EXCLUDED.event_id",
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
    "INSERT INTO activity_assessments (commitment_id, period, status, comment, recorded_at)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (commitment_id, period) DO UPDATE SET"
    " status = EXCLUDED.status, comment = EXCLUDED.comment,"
    " recorded_at = EXCLUDED.recorded_at",
    lambda a, e: (
        a.commitment_id,
        a.period,
        a.status.value,
        a.comment,
        e.message.envelope.recorded_at,
    ),
)

_WRITERS: dict[str, Writer] = {
    writer.event_type: writer
    for writer in (
        _PERSPECTIVE,
        _GOAL_ADOPTED,
        _GOAL_REWORDED,
        _GOAL_RETIRED,
        _COMMITMENT,
        _INDICATOR,
        _NOTE,
        _MEASUREMENT,
        _ASSESSMENT,
    )
}


class GoalsProjection:
    name = "reporting_goals"
    tables_sql = (
        resources.files("services.reporting").joinpath("goals_tables.sql").read_text("utf-8")
    )

    async def apply(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        for event_type, run in groupby(events, key=lambda e: e.event_type):
            writer = _WRITERS.get(event_type)
            # A later event type unknown to this version is skipped, as budget's are.
            if writer is not None:
                await writer.write(conn, list(run))
