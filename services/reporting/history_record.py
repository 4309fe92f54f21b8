"""The history of every figure, written by the projection beside the read models.

Each event that changes a read model becomes one row of ``history``: who, when, from which
system and under which message, with the value the read model held before the event and
the value after. Written in the same transaction as the read models, from the same
events, so the history cannot disagree with the figures.
"""

from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple, assert_never

from contracts.budget.events import (
    ActualsRecorded,
    BudgetProfileSet,
    FiguresSet,
    FollowUpTextWritten,
    ForecastMade,
    FrameChanged,
    MonthCommentWritten,
    NarrativeWritten,
    NetInvestmentSet,
    ProjectShareSet,
)
from plumbing.database import Connection
from plumbing.projection import ReceivedEvent


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


def _value_columns(prefix: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (f"{prefix}_{name}", "numeric" if name in _AMOUNTS else "text") for name in VALUE_FIELDS
    )


# (column, PostgreSQL type) of ``history``, in the order rows are built.
_COLUMNS = (
    ("sequence", "bigint"),
    ("event_id", "uuid"),
    ("event_type", "text"),
    ("unit_code", "text"),
    ("year", "int"),
    ("item", "text"),
    ("decision", "text"),
    ("recorded_at", "timestamptz"),
    ("actor", "text"),
    ("actor_name", "text"),
    ("source_system", "text"),
    ("correlation_id", "uuid"),
    *_value_columns("old"),
    *_value_columns("new"),
)

# Each history row is known from its event's recorded time, as every read model row is.
_INSERT = (
    f"INSERT INTO history ({', '.join(name for name, _ in _COLUMNS)}, known_from)"
    " SELECT *, recorded_at FROM unnest("
    + ", ".join(f"${i}::{kind}[]" for i, (_, kind) in enumerate(_COLUMNS, start=1))
    + f") AS h({', '.join(name for name, _ in _COLUMNS)})"
)

Figure = (
    FiguresSet
    | ActualsRecorded
    | ForecastMade
    | FrameChanged
    | NetInvestmentSet
    | NarrativeWritten
    | ProjectShareSet
    | MonthCommentWritten
    | FollowUpTextWritten
    | BudgetProfileSet
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
        case FiguresSet():
            return Subject(event.unit_code, event.year, event.kind, event.decision)
        case ActualsRecorded() | ForecastMade() | MonthCommentWritten():
            return Subject(event.unit_code, _year_of(event.period), event.period, None)
        case FrameChanged():
            return Subject(event.unit_code, event.year, None, event.decision)
        case NetInvestmentSet():
            return Subject(event.unit_code, event.year, event.kind, None)
        case NarrativeWritten():
            return Subject(event.unit_code, event.year, event.section, None)
        case FollowUpTextWritten():
            return Subject(event.unit_code, event.year, event.report, None)
        case ProjectShareSet():
            return Subject(event.unit_code, event.year, event.project_code, None)
        case BudgetProfileSet():
            return Subject(event.unit_code, event.year, None, None)
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
            )
        )
        current[key] = new
    return rows


async def record(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    if rows:
        await conn.execute(_INSERT, *map(list, zip(*rows, strict=True)))
