"""The history of every figure, written by the projection beside the read models.

Each event that changes a read model becomes one row of ``history``: who, when, from which
system and under which message, with the value the read model held before the event and
the value after. Written in the same transaction as the read models, from the same
events, so the history cannot disagree with the figures.
"""

from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple, assert_never

from contracts.budget import events
from plumbing.database import Connection
from plumbing.projection import ReceivedEvent
from plumbing.read_model_tables import Column, Table
from plumbing.read_models import ReadSession
from plumbing.telemetry import trace_id_of


class Value(NamedTuple):
    """What a read model row says, as far as the history shows it.

    A tuple, so that a batch of thousands of rows is flattened into columns cheaply.
    """

    status: str | None = None
    revenue: Decimal | None = None
    costs: Decimal | None = None
    amount: Decimal | None = None
    text: str | None = None


VALUE_FIELDS = Value._fields
_NO_VALUE = Value()
_AMOUNTS = ("revenue", "costs", "amount")


def _value_columns(prefix: str) -> tuple[Column, ...]:
    return tuple(
        Column(f"{prefix}_{name}", "numeric" if name in _AMOUNTS else "text", nullable=True)
        for name in VALUE_FIELDS
    )


# Every change of the figures, oldest first: the value before and after each event; its
# columns in the order rows are built.
HISTORY: Table[Any] = Table(
    "history",
    None,
    first=(
        Column("sequence", "bigint"),
        Column("event_id", "uuid"),
        Column("event_type", "text"),
        Column("unit_code", "text"),
        Column("year", "integer"),
        Column("item", "text", nullable=True),
        Column("decision", "text", nullable=True),
        Column("recorded_at", "timestamptz"),
        Column("actor", "text"),
        Column("actor_name", "text", nullable=True),
        Column("source_system", "text"),
        Column("correlation_id", "uuid"),
        *_value_columns("old"),
        *_value_columns("new"),
        # The trace the change was stored in (its traceparent's id), shown so an operator
        # can find the trace; none for events stored without one. Last, where the upgrade
        # of an older generation adds it.
        Column("trace_id", "text", nullable=True),
    ),
    indexes=(("history_unit_year", "unit_code, year"),),
    upgrades=("ALTER TABLE history ADD COLUMN IF NOT EXISTS trace_id text;",),
)
_COLUMNS = HISTORY.first
# What an entry of the history holds besides its unit and its old and new values.
ENTRY_COLUMNS = tuple(
    c.name for c in _COLUMNS if c.name != "unit_code" and not c.name.startswith(("old_", "new_"))
)

# Each history row is known from its event's recorded time, as every read model row is.
_COPIED = (*(c.name for c in _COLUMNS), "known_from")
_RECORDED_AT = [c.name for c in _COLUMNS].index("recorded_at")

Figure = (
    events.FiguresSet
    | events.ActualsRecorded
    | events.ForecastMade
    | events.FrameChanged
    | events.NetInvestmentSet
    | events.NarrativeWritten
    | events.ProjectShareSet
    | events.MonthCommentWritten
    | events.FollowUpTextWritten
    | events.BudgetProfileSet
    | events.TableNoteAttached
    | events.ReportMarkedReady
    | events.ReportReopened
)
"""The events that change a figure, and so have a history."""

Change = tuple[ReceivedEvent, Figure, Hashable, Value]
"""An event as received and as read, the key of the read model row it writes, and the value
it writes there."""


class Subject(NamedTuple):
    """Which figure an event is about, as the history's columns name it."""

    unit_code: str
    year: int
    item: str | None  # within the unit and year: a figure's kind, a month, a section, a project
    decision: str | None


def _subject(event: Figure) -> Subject:
    match event:
        case events.FiguresSet():
            return Subject(event.unit_code, event.year, event.kind, event.decision)
        case events.ActualsRecorded() | events.ForecastMade() | events.MonthCommentWritten():
            return Subject(event.unit_code, _year_of(event.period), event.period, None)
        case events.FrameChanged():
            return Subject(event.unit_code, event.year, None, event.decision)
        case events.NetInvestmentSet():
            return Subject(event.unit_code, event.year, event.kind, None)
        case events.NarrativeWritten():
            return Subject(event.unit_code, event.year, event.section, None)
        case events.FollowUpTextWritten():
            return Subject(event.unit_code, event.year, event.report, None)
        case events.ProjectShareSet():
            return Subject(event.unit_code, event.year, event.project_code, None)
        case events.BudgetProfileSet():
            return Subject(event.unit_code, event.year, None, None)
        case events.TableNoteAttached():
            return Subject(event.unit_code, event.year, event.note_id, None)
        case events.ReportMarkedReady() | events.ReportReopened():
            return Subject(event.unit_code, event.year, f"{event.report}:{event.period}", None)
        case _:
            assert_never(event)


def _year_of(period: str) -> int:
    return int(period[:4])


def history_rows(
    changes: Sequence[Change], before: Mapping[Hashable, Value]
) -> list[tuple[Any, ...]]:
    """A history row per change; the old value is the row's value just before it.

    ``before`` holds the rows as they were before the first change, and a later change of
    the same key in the same run sees the value the earlier one wrote.
    """
    current = dict(before)
    rows: list[tuple[Any, ...]] = []
    for received, event, key, new in changes:
        envelope = received.message.envelope
        rows.append(
            (
                received.sequence,
                envelope.event_id,
                envelope.event_type,
                *_subject(event),
                envelope.recorded_at,
                envelope.actor,
                # Read when the envelope carries the person's name; older ones do not.
                envelope.actor_name,
                envelope.source_system,
                envelope.correlation_id,
                *current.get(key, _NO_VALUE),
                *new,
                trace_id_of(envelope.traceparent),
            )
        )
        current[key] = new
    return rows


async def record(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Add ``rows`` to the history, by COPY: the history only grows, and asyncpg writes a
    copied record value by value, where a statement over one array per column has each
    value checked for nesting first (measured here: 9 to 15 µs of the client's CPU per row
    of 23 columns that way, 6 by COPY, and PostgreSQL's time a third)."""
    if rows:
        await conn.copy_records_to_table(
            HISTORY.name, records=[(*r, r[_RECORDED_AT]) for r in rows], columns=_COPIED
        )


# Every column but the unit's (asked for) and known_from, with the cause where one is kept.
_SELECT = (
    "SELECT "
    + ", ".join(f"h.{c.name}" for c in _COLUMNS if c.name != "unit_code")
    + ", c.causation_id AS caused_by FROM history h LEFT JOIN caused_by c USING (event_id)"
    " WHERE h.unit_code = $1 AND h.year = $2"
)


async def history_of(session: ReadSession, unit_code: str, year: int) -> list[Any]:
    """The history rows of ``unit_code`` and ``year``, each with the event that caused it
    (``caused_by``) where another service's event did."""
    return await session.fetch(_SELECT, unit_code, year)
