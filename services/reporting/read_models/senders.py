"""Who sent each event the goals' and the projects' read models hold, and under which
message: so a measurement or a project's status report is shown with the person's or the
system's name and the time it was recorded, as the budget's history shows its changes (which
keeps this in its own history rows). Written by the projection in the same transaction as
the rows it explains; looked up by the event's id."""

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any
from uuid import UUID

from plumbing.database import Connection
from plumbing.projection import ReceivedEvent
from plumbing.read_model_tables import Ord, Table
from plumbing.read_models import ReadSession
from plumbing.telemetry import trace_id_of
from services.reporting.read_models.budget.queries import SUBTREE_SQL


@dataclass(frozen=True)
class SenderRow:
    event_id: UUID
    actor: str
    actor_name: str | None
    source_system: str
    message_id: UUID  # the command's message id, which names the event's correlation
    recorded_at: datetime
    order: Ord  # the event's stream sequence, as the rows it wrote keep it
    trace_id: str | None = None  # the trace it was stored in; last, where upgrades add it


@dataclass(frozen=True)
class Sent:
    """Who sent the event behind a row, as a reader joins it on: none for an event applied
    before senders were kept (until the read models are rebuilt)."""

    actor: str | None
    actor_name: str | None
    source_system: str | None
    message_id: UUID | None
    trace_id: str | None


@dataclass(frozen=True)
class SentInSubtree(Sent):
    """A history row of a unit's subtree as the history page lists it: who sent it, what it
    is about and whose it is (``sent_in_year_sql`` reads it)."""

    what: str  # a commitment's text or an indicator's name; a project's name
    unit_code: str  # the unit whose goal or project it is


def senders_table(name: str) -> Table[SenderRow]:
    """A source's table of senders; named for its source, since a view reading goals and
    projects together has both on its search path. The row of an event never changes, so it
    keeps no versions: a view as it stood at an earlier moment reads the rows of that moment
    and finds their senders here."""
    return Table(
        name,
        SenderRow,
        key=("event_id",),
        versioned=False,
        indexes=((f"{name}_ord", "ord"),),
        upgrades=(f"ALTER TABLE {name} ADD COLUMN IF NOT EXISTS trace_id text;",),
    )


GOAL_SENDERS = senders_table("goal_senders")
PROJECT_SENDERS = senders_table("project_senders")


async def record_senders(
    conn: Connection, table: Table[SenderRow], events: Sequence[ReceivedEvent]
) -> None:
    """One row of ``table`` per event of ``events``, in one statement."""
    if not events:
        return
    envelopes = [e.message.envelope for e in events]
    await conn.execute(
        f"INSERT INTO {table.name} ({', '.join(c.name for c in table.columns)})"
        " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[],"
        " $6::timestamptz[], $7::bigint[], $8::text[]) ON CONFLICT (event_id) DO NOTHING",
        [v.event_id for v in envelopes],
        [v.actor for v in envelopes],
        [v.actor_name for v in envelopes],
        [v.source_system for v in envelopes],
        [v.correlation_id for v in envelopes],
        [v.recorded_at for v in envelopes],
        [e.sequence for e in events],
        [trace_id_of(v.traceparent) for v in envelopes],
    )


async def senders_by_order(
    session: ReadSession, table: Table[SenderRow], orders: Sequence[int]
) -> dict[int, SenderRow]:
    """The senders of the events at ``orders`` (stream sequences) that ``table`` knows."""
    found = await session.fetch(
        f"SELECT {table.select()} FROM {table.name} WHERE ord = ANY($1::bigint[])", list(orders)
    )
    return {row.order: row for row in table.rows(found)}


def sent_in_year_sql(history: Table[Any], about: str, joins: str, senders: Table[SenderRow]) -> str:
    """The rows of ``history`` (as ``h``) of a unit's subtree (``$1``) whose period is in the
    year ``$2`` (as text), oldest first, as ``SentInSubtree`` rows: ``joins`` reaches the
    subtree's ``tree t`` from ``h``, and ``about`` selects ``what`` and ``unit_code``. The
    history page lists measurements and status reports this way beside the budget's
    changes."""
    sent = ", ".join(f"s.{field.name}" for field in fields(Sent))
    return (
        SUBTREE_SQL
        + f"""
SELECT {history.select(alias="h")}, {about}, {sent}
FROM {history.name} h
{joins}
LEFT JOIN {senders.name} s ON s.event_id = h.event_id
WHERE left(h.period, 4) = $2
ORDER BY h.ord
"""
    )
