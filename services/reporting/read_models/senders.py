"""Who sent each event the goals' and the projects' read models hold, and under which
message: so a measurement or a project's status report is shown with the person's or the
system's name and the time it was recorded, as the budget's history shows its changes (which
keeps this in its own history rows). Written by the projection in the same transaction as
the rows it explains; looked up by the event's id."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from plumbing.database import Connection
from plumbing.projection import ReceivedEvent
from plumbing.read_model_tables import Ord, Table
from plumbing.read_models import ReadSession
from plumbing.telemetry import trace_id_of


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
