"""Each service's bookkeeping, read from its own database for the operators' view.

Why reporting may read these tables, when no service reads another's (DESIGN.md): they
are no one's facts but the plumbing's own record of its work (plumbing/sql: the event
store's metadata, the outbox, the workers' leases, the inbound messages and refusals),
the same in every write service, and the operators' view must show them for every service
even when that service does not answer. Only these queries read them, read only, through
a pool per database that nothing else uses; no view for readers is built from them, and
nothing here is written. (Asking each service over HTTP would lose exactly the view an
operator needs when a service is down.)
"""

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from plumbing.database import Connection
from plumbing.outbox import BACKLOG_SQL

RECENT_REFUSALS = 20


@dataclass(frozen=True)
class LockHolder:
    """A worker that runs one at a time: its lock's epoch and who holds it now, if anyone
    (the holding process's name for PostgreSQL: machine and pid, plumbing.database)."""

    name: str
    epoch: int
    acquired_at: datetime
    holder: str | None


@dataclass(frozen=True)
class Backlog:
    """Events stored but not yet published, and when the oldest of them was stored."""

    waiting: int
    oldest: datetime | None


@dataclass(frozen=True)
class Refusal:
    service: str
    sequence: int | None  # in the service's inbound stream; None for a refusal over HTTP
    refused_at: datetime
    source_system: str
    subject: str  # the NATS subject, or the HTTP method and path
    rejection_subject: str | None  # None over HTTP: the refusal was the answer
    message_id: str | None
    trace_id: str | None
    problems: tuple[tuple[str, str], ...]  # (field, message)


@dataclass(frozen=True)
class StoredEvent:
    """An event as its service's store has it, with what its metadata says of its origin."""

    service: str
    event_id: str
    stream_id: str
    version: int
    event_type: str
    recorded_at: datetime
    payload: dict[str, Any]
    metadata: dict[str, Any]

    def meta(self, key: str) -> str | None:
        value = self.metadata.get(key)
        return None if value is None else str(value)

    @property
    def trace_id(self) -> str | None:
        parent = self.meta("traceparent") or ""
        return parent[3:35] if len(parent) >= 35 else None


@dataclass(frozen=True)
class Received:
    """An inbound message the service stored: when, and from which inbound stream sequence
    (None: it came over HTTP)."""

    message_id: str
    received_at: datetime
    sequence: int | None


# The holder of an advisory lock on one bigint, hashtext(name): PostgreSQL lists it with the
# key's high 32 bits as classid and its low 32 bits as objid (plumbing.locks takes it).
_LOCKS = """
SELECT l.name, l.epoch, l.acquired_at, a.application_name, a.pid
FROM worker_leases l
LEFT JOIN pg_locks k
  ON k.locktype = 'advisory' AND k.granted AND k.objsubid = 1
 AND k.database = (SELECT oid FROM pg_database WHERE datname = current_database())
 AND k.classid = ((hashtext(l.name)::bigint >> 32) & 4294967295)::oid
 AND k.objid = (hashtext(l.name)::bigint & 4294967295)::oid
LEFT JOIN pg_stat_activity a ON a.pid = k.pid
ORDER BY l.name
"""


async def lock_holders(conn: Connection) -> list[LockHolder]:
    rows = await conn.fetch(_LOCKS)
    return [
        LockHolder(
            r["name"],
            int(r["epoch"]),
            r["acquired_at"],
            None if r["pid"] is None else (r["application_name"] or f"pid {r['pid']}"),
        )
        for r in rows
    ]


async def backlog(conn: Connection) -> Backlog:
    row = await conn.fetchrow(BACKLOG_SQL)
    assert row is not None
    return Backlog(int(row["waiting"]), row["oldest"])


async def accepted_by_system(conn: Connection, since: datetime) -> dict[str, int]:
    """How many commands each sender had stored since ``since`` (a command is one message
    id, whatever events it led to); "http" is everyone who wrote over HTTP."""
    rows = await conn.fetch(
        "SELECT metadata->>'source_system' AS system,"
        " count(DISTINCT metadata->>'message_id') AS accepted"
        " FROM events WHERE recorded_at >= $1 GROUP BY 1",
        since,
    )
    return {r["system"]: int(r["accepted"]) for r in rows}


async def refused_by_system(conn: Connection, since: datetime) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT source_system, count(*) AS refused FROM refusals WHERE refused_at >= $1 GROUP BY 1",
        since,
    )
    return {r["source_system"]: int(r["refused"]) for r in rows}


_REFUSAL_COLUMNS = (
    "sequence, refused_at, source_system, subject, rejection_subject, message_id, trace_id,"
    " problems"
)


def _refusal(service: str, row: Any) -> Refusal:
    problems = json.loads(row["problems"])
    return Refusal(
        service=service,
        sequence=None if row["sequence"] is None else int(row["sequence"]),
        refused_at=row["refused_at"],
        source_system=row["source_system"],
        subject=row["subject"],
        rejection_subject=row["rejection_subject"],
        message_id=row["message_id"],
        trace_id=row["trace_id"],
        problems=tuple((str(p.get("field", "")), str(p.get("message", ""))) for p in problems),
    )


async def latest_refusals(
    conn: Connection, service: str, limit: int = RECENT_REFUSALS
) -> list[Refusal]:
    rows = await conn.fetch(
        f"SELECT {_REFUSAL_COLUMNS} FROM refusals ORDER BY refused_at DESC LIMIT $1", limit
    )
    return [_refusal(service, r) for r in rows]


async def refusals_of(conn: Connection, service: str, wanted: str) -> list[Refusal]:
    """The refusals of the message with id ``wanted``, or in the trace ``wanted``."""
    rows = await conn.fetch(
        f"SELECT {_REFUSAL_COLUMNS} FROM refusals WHERE message_id = $1 OR trace_id = $1"
        " ORDER BY refused_at",
        wanted,
    )
    return [_refusal(service, r) for r in rows]


_EVENT_COLUMNS = (
    "event_id::text AS event_id, stream_id, version, event_type, recorded_at, payload, metadata"
)


def _event(service: str, row: Any) -> StoredEvent:
    return StoredEvent(
        service=service,
        event_id=row["event_id"],
        stream_id=row["stream_id"],
        version=int(row["version"]),
        event_type=row["event_type"],
        recorded_at=row["recorded_at"],
        payload=json.loads(row["payload"]),
        metadata=json.loads(row["metadata"]),
    )


async def events_of(conn: Connection, service: str, wanted: str) -> list[StoredEvent]:
    """The events of the message ``wanted``, of the commands it led to (which keep its
    correlation), or of the trace ``wanted``; in the order they were stored."""
    rows = await conn.fetch(
        f"SELECT {_EVENT_COLUMNS} FROM events"
        " WHERE metadata->>'message_id' = $1 OR metadata->>'correlation_id' = $1"
        " OR substr(metadata->>'traceparent', 4, 32) = $1"
        " ORDER BY position",
        wanted,
    )
    return [_event(service, r) for r in rows]


async def caused_by(
    conn: Connection, service: str, correlations: Sequence[str], causes: Sequence[str]
) -> list[StoredEvent]:
    """The events of commands a service sent because of one of the events ``causes``
    (projects' office share in budget): they keep the causing event's correlation."""
    rows = await conn.fetch(
        f"SELECT {_EVENT_COLUMNS} FROM events"
        " WHERE metadata->>'correlation_id' = ANY($1::text[])"
        " AND metadata->>'causation_id' = ANY($2::text[]) ORDER BY position",
        list(correlations),
        list(causes),
    )
    return [_event(service, r) for r in rows]


async def received(conn: Connection, message_ids: Sequence[str]) -> dict[str, Received]:
    ids = []
    for message_id in message_ids:
        with contextlib.suppress(ValueError):
            ids.append(UUID(message_id))
    rows = await conn.fetch(
        "SELECT message_id::text AS message_id, received_at, sequence FROM inbound_messages"
        " WHERE message_id = ANY($1::uuid[])",
        ids,
    )
    return {
        r["message_id"]: Received(r["message_id"], r["received_at"], r["sequence"]) for r in rows
    }


async def waiting_in_outbox(conn: Connection, event_ids: Sequence[str]) -> set[str]:
    """Those of ``event_ids`` stored but not yet published."""
    rows = await conn.fetch(
        "SELECT e.event_id::text AS event_id FROM outbox o JOIN events e USING (position)"
        " WHERE e.event_id = ANY($1::uuid[])",
        [UUID(event_id) for event_id in event_ids],
    )
    return {r["event_id"] for r in rows}
