"""Parked events: what a projection could not apply, kept with the reason instead of stopping.

Per event stream a projection applies version n+1 after n. An event that breaks that
order or cannot be applied is parked in the generation's ``parked`` table:
- unreadable: the message is not an event at all (forged, or a format no one reads yet);
- gap: a version beyond the next one (an event is missing, or the version is forged);
  the stream goes on, and the missing event is applied when it comes;
- failed: applying it failed; its stream waits behind it, since a later event of the
  same stream applied first could be overwritten by it later;
- held: a later event of a stream that waits behind a failed one;
- repeat: a version already applied, but another event or other content than the one
  applied (forged or corrupted); the stream goes on, and a replay refuses it again.
An operator sees them (``kommunplan parked``, the views say how many) and replays them
after a fix; a replay runs them through the same rules, in their stream order.
"""

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from opentelemetry import trace

from plumbing import logs, telemetry
from plumbing.database import Connection
from plumbing.screening import is_parseable

log = logging.getLogger("kommunplan.parked")


class ParkedKind(StrEnum):
    UNREADABLE = "unreadable"
    GAP = "gap"
    FAILED = "failed"
    HELD = "held"
    REPEAT = "repeat"

    @property
    def blocks_stream(self) -> bool:
        return self in (ParkedKind.FAILED, ParkedKind.HELD)


@dataclass(frozen=True)
class Parked:
    sequence: int
    kind: ParkedKind
    reason: str
    body: bytes
    stream_id: str | None = None
    version: int | None = None
    event_type: str | None = None


@dataclass(frozen=True)
class ParkedRow(Parked):
    parked_at: datetime | None = None
    seen_at: datetime | None = None


# A listing's columns: a parked row's fields.
_LISTED = ", ".join(field.name for field in fields(ParkedRow))


# The kinds a stream waits behind, written into the SQL (not a parameter) so the planner
# can use the partial index on them.
_BLOCKING = ", ".join(f"'{kind.value}'" for kind in ParkedKind if kind.blocks_stream)

PARKED_SQL = f"""
CREATE TABLE IF NOT EXISTS parked (
    sequence   bigint PRIMARY KEY,
    kind       text        NOT NULL,
    reason     text        NOT NULL,
    body       bytea       NOT NULL,
    stream_id  text,
    version    integer,
    event_type text,
    parked_at  timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz
);
CREATE INDEX IF NOT EXISTS parked_stream ON parked (stream_id) WHERE kind IN ({_BLOCKING});
"""

MAX_REASON_CHARACTERS = 2000


def describe(error: BaseException) -> str:
    """An error as the reason an operator reads, kept short."""
    return f"{type(error).__name__}: {error}"[:MAX_REASON_CHARACTERS]


# The streams among $1 (text[]) that wait behind a parked event.
BLOCKED_STREAMS_SQL = (
    f"SELECT DISTINCT stream_id FROM parked WHERE kind IN ({_BLOCKING})"
    " AND stream_id = ANY($1::text[])"
)


async def park(conn: Connection, parked: Sequence[Parked]) -> None:
    if not parked:
        return
    for each in parked:
        _observed(each)
    await conn.executemany(
        "INSERT INTO parked (sequence, kind, reason, body, stream_id, version, event_type)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (sequence) DO UPDATE SET kind = EXCLUDED.kind, reason = EXCLUDED.reason",
        [
            (p.sequence, p.kind.value, p.reason, p.body, p.stream_id, p.version, p.event_type)
            for p in parked
        ],
    )


async def release(conn: Connection, sequences: Sequence[int]) -> None:
    """Forget the parked events at ``sequences``: they are being applied after all."""
    if sequences:
        await conn.execute("DELETE FROM parked WHERE sequence = ANY($1::bigint[])", list(sequences))


async def take(conn: Connection, only: Sequence[int] | None = None) -> list[tuple[int, bytes]]:
    """Remove the parked events at ``only`` (None: every one), returning (sequence, body) in
    stream order, to replay."""
    if only is None:
        rows = await conn.fetch("DELETE FROM parked RETURNING sequence, body")
    else:
        rows = await conn.fetch(
            "DELETE FROM parked WHERE sequence = ANY($1::bigint[]) RETURNING sequence, body",
            list(only),
        )
    return sorted((r["sequence"], bytes(r["body"])) for r in rows)


async def listing(conn: Connection) -> list[ParkedRow]:
    rows = await conn.fetch(f"SELECT {_LISTED} FROM parked ORDER BY sequence")
    return [
        ParkedRow(**{**r, "kind": ParkedKind(r["kind"]), "body": bytes(r["body"])}) for r in rows
    ]


async def counts(conn: Connection) -> tuple[int, int]:
    """How many events are parked, and how many of them no operator has seen yet."""
    row = await conn.fetchrow(
        "SELECT count(*) AS parked, count(*) - count(seen_at) AS unseen FROM parked"
    )
    assert row is not None
    return int(row["parked"]), int(row["unseen"])


async def mark_seen(conn: Connection) -> int:
    result = await conn.execute("UPDATE parked SET seen_at = now() WHERE seen_at IS NULL")
    return int(result.split()[-1])


def _envelope(body: bytes) -> dict[str, Any]:
    """The envelope of a parked event's body, or nothing when it cannot be read safely."""
    if not is_parseable(body):
        return {}
    try:
        envelope = json.loads(body).get("envelope")
    except (ValueError, AttributeError):
        return {}
    return envelope if isinstance(envelope, dict) else {}


def _observed(parked: Parked) -> None:
    """A line in the log, and a span kept in the event's own trace whatever the sampling."""
    envelope = _envelope(parked.body)
    carried = {"traceparent": str(envelope.get("traceparent") or "")}
    span = telemetry.kept_span(
        f"park {parked.event_type or 'message'}",
        telemetry.extract(telemetry.well_formed(carried)),
        {"kommunplan.parked.kind": parked.kind.value},
    )
    span.end()
    logs.record(
        log,
        "parked",
        f"parked ({parked.kind.value}): {parked.reason[:300]}",
        logging.WARNING,
        trace_id=telemetry.trace_id(trace.set_span_in_context(span)),
        message_id=envelope.get("event_id"),
        sequence=parked.sequence,
        stream_id=parked.stream_id,
        version=parked.version,
        event_type=parked.event_type,
        parked_kind=parked.kind.value,
    )
