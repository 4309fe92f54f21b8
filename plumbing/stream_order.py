"""Per event stream, version n+1 after n: which delivered events come next, and which not.

A delivery is an event when it reads as one; the events of a batch then sort into those
that come next in their streams (applied), those already applied (skipped when they are
the same event again, parked as repeats when the content differs), gaps, and those held
behind a stream's parked event.

To tell a redelivery from a forged or corrupted repeat, the event id and a digest of the
content of every applied (stream, version) are kept in ``applied_events``, written in the
same transaction as the read models.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from uuid import UUID

from pydantic_core import to_json

from contracts.envelope import EventMessage
from plumbing import parking
from plumbing.database import Connection
from plumbing.event_codec import UnreadableEvent, read_message
from plumbing.parking import Parked, ParkedKind

STREAM_ORDER_SQL = """
CREATE TABLE IF NOT EXISTS stream_versions (stream_id text PRIMARY KEY, version integer NOT NULL);
-- Where in the NATS stream each event stream's last applied event was: a gap after it is
-- looked for from there.
ALTER TABLE stream_versions ADD COLUMN IF NOT EXISTS sequence bigint;
CREATE TABLE IF NOT EXISTS applied_events (
    stream_id text    NOT NULL,
    version   integer NOT NULL,
    event_id  uuid    NOT NULL,
    digest    bytea   NOT NULL,
    PRIMARY KEY (stream_id, version)
);
-- Where in the NATS stream each event came from and when it was applied: a message's
-- journey shows both to an operator.
ALTER TABLE applied_events ADD COLUMN IF NOT EXISTS sequence bigint;
ALTER TABLE applied_events ADD COLUMN IF NOT EXISTS applied_at timestamptz DEFAULT now();
"""

# A message as the projection reads it: its stream sequence and its bytes.
Delivery = tuple[int, bytes]
StreamVersion = tuple[str, int]


@dataclass(frozen=True)
class Fingerprint:
    """What identifies an applied event: its id and a digest of what it says."""

    event_id: UUID
    digest: bytes


@dataclass(frozen=True)
class ReceivedEvent:
    message: EventMessage
    sequence: int

    @property
    def event_type(self) -> str:
        return self.message.envelope.event_type

    @property
    def payload(self) -> dict[str, Any]:
        return self.message.payload

    @cached_property
    def position(self) -> StreamVersion:
        # Asked several times an event on every batch: kept once made.
        envelope = self.message.envelope
        return envelope.stream_id, envelope.version

    @cached_property
    def fingerprint(self) -> Fingerprint:
        # The digest covers what the read models take from the event, written canonically,
        # so the same event published again by another writer or serialiser still matches,
        # and trace context or an envelope field added later never makes it a "repeat".
        envelope = self.message.envelope
        content = canonical_json([envelope.event_type, envelope.schema_version, self.payload])
        return Fingerprint(envelope.event_id, hashlib.sha256(content).digest())


def canonical_json(value: Any) -> bytes:
    """``value`` as JSON with every object's keys sorted, compact, in UTF-8: the bytes of
    ``json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, which
    the digests already kept were made of. pydantic's serialiser writes them in a fraction
    of the time once the keys are sorted; a float, which the two write differently, goes
    the standard library's way."""
    try:
        return to_json(_sorted(value))
    except _HasFloat:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode()


class _HasFloat(Exception):
    pass


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    if isinstance(value, float):
        raise _HasFloat
    return value


def read_one(sequence: int, body: bytes) -> ReceivedEvent | Parked:
    """A delivery as an event, or parked as unreadable when it is no event at all; its
    fingerprint is worked out with it (every event's is needed)."""
    try:
        event = ReceivedEvent(read_message(body), sequence)
    except UnreadableEvent as error:
        # The reason an operator reads names what the contract's validation found.
        reason = parking.describe(error.__cause__ or error)
        return Parked(sequence, ParkedKind.UNREADABLE, reason, body)
    event.fingerprint  # noqa: B018  # kept on the event
    return event


def read(
    deliveries: Sequence[Delivery], known: Mapping[int, ReceivedEvent | Parked] | None = None
) -> tuple[list[ReceivedEvent], list[Parked]]:
    """The deliveries as events, those that are not events at all parked as unreadable;
    ``known``: what ``read_one`` already made of some, by sequence."""
    received: list[ReceivedEvent] = []
    parked: list[Parked] = []
    for sequence, body in deliveries:
        found = known.get(sequence) if known else None
        read = read_one(sequence, body) if found is None else found
        if isinstance(read, ReceivedEvent):
            received.append(read)
        else:
            parked.append(read)
    return received, parked


@dataclass
class StreamPositions:
    """What the generation has applied of the streams a batch touches."""

    versions: dict[str, int]  # stream → last applied version
    blocked: set[str]  # streams waiting behind a parked event
    applied: dict[StreamVersion, Fingerprint]  # of the batch's repeats, and its own events

    @classmethod
    async def load(cls, conn: Connection, received: Sequence[ReceivedEvent]) -> "StreamPositions":
        streams = sorted({e.message.envelope.stream_id for e in received})
        rows = await conn.fetch(_POSITIONS_SQL, streams)
        versions = {r["stream_id"]: r["version"] for r in rows if not r["blocked"]}
        repeats = [e.position for e in received if e.position[1] <= versions.get(e.position[0], 0)]
        return cls(
            versions=versions,
            blocked={r["stream_id"] for r in rows if r["blocked"]},
            applied=await _fingerprints(conn, repeats),
        )


# The last applied version of each stream among $1, and (blocked) those that wait behind a
# parked event: one round trip of every batch.
_POSITIONS_SQL = (
    "SELECT stream_id, version, false AS blocked FROM stream_versions"
    " WHERE stream_id = ANY($1::text[])"
    f" UNION ALL SELECT stream_id, NULL, true FROM ({parking.BLOCKED_STREAMS_SQL}) b"
)


async def _fingerprints(
    conn: Connection, positions: Sequence[StreamVersion]
) -> dict[StreamVersion, Fingerprint]:
    # Only repeats are looked up, so a batch of new events costs no query here at all.
    if not positions:
        return {}
    rows = await conn.fetch(
        "SELECT a.stream_id, a.version, a.event_id, a.digest FROM applied_events a"
        " JOIN unnest($1::text[], $2::int[]) AS p(stream_id, version)"
        " USING (stream_id, version)",
        [stream for stream, _ in positions],
        [version for _, version in positions],
    )
    return {
        (r["stream_id"], r["version"]): Fingerprint(r["event_id"], bytes(r["digest"])) for r in rows
    }


def in_order(
    received: Sequence[ReceivedEvent], positions: StreamPositions, parked: list[Parked]
) -> list[ReceivedEvent]:
    """The events that come next in their streams; the others go to ``parked``.

    A version already applied is skipped when it is the same event again (a redelivery,
    or the event published again) and parked as a repeat when it is not; a version
    beyond the next one is a gap; a stream waiting behind a parked event holds
    everything after it.
    """
    ready: list[ReceivedEvent] = []
    for event in received:
        stream, version = event.position
        applied = positions.versions.get(stream, 0)
        if stream in positions.blocked:
            parked.append(held(event, None))
        elif version <= applied:
            reason = _differs(event, positions.applied.get(event.position))
            if reason is not None:
                parked.append(parked_event(event, ParkedKind.REPEAT, reason))
        elif version > applied + 1:
            reason = f"version {version} kom, men nästa i strömmen är {applied + 1}"
            parked.append(parked_event(event, ParkedKind.GAP, reason))
        else:
            positions.versions[stream] = version
            positions.applied[event.position] = event.fingerprint
            ready.append(event)
    return ready


def _differs(event: ReceivedEvent, applied: Fingerprint | None) -> str | None:
    """Why ``event`` is not the applied event of its version again, or None when it is.

    A version applied before its fingerprint was kept cannot be compared; it is taken
    as the redelivery it almost always is, as it was before fingerprints existed.
    """
    if applied is None:
        return None
    stream, version = event.position
    where = f"version {version} av {stream} är redan inläst"
    fingerprint = event.fingerprint
    if fingerprint.event_id != applied.event_id:
        return f"{where} som händelse {applied.event_id}; denna har id {fingerprint.event_id}"
    if fingerprint.digest != applied.digest:
        return f"{where} med samma händelse-id men annat innehåll"
    return None


async def record_applied(conn: Connection, applied: Sequence[ReceivedEvent]) -> None:
    """Each stream's last applied version, and every applied event's fingerprint."""
    if not applied:
        return
    latest: dict[str, ReceivedEvent] = {}
    for event in applied:
        latest[event.position[0]] = event
    fingerprints = [e.fingerprint for e in applied]
    await conn.execute(
        _RECORD_APPLIED_SQL,
        list(latest),
        [e.position[1] for e in latest.values()],
        [e.sequence for e in latest.values()],
        [e.position[0] for e in applied],
        [e.position[1] for e in applied],
        [f.event_id for f in fingerprints],
        [f.digest for f in fingerprints],
        [e.sequence for e in applied],
    )


# Both in one statement: a round trip of every batch.
_RECORD_APPLIED_SQL = """
WITH latest AS (
    INSERT INTO stream_versions (stream_id, version, sequence)
    SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])
    ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version, sequence = EXCLUDED.sequence
)
INSERT INTO applied_events (stream_id, version, event_id, digest, sequence)
SELECT * FROM unnest($4::text[], $5::int[], $6::uuid[], $7::bytea[], $8::bigint[])
ON CONFLICT (stream_id, version) DO NOTHING
"""


@dataclass(frozen=True)
class Gaps:
    """The versions missing before the gaps of a batch, and where in the NATS stream
    they must be: after the last applied event of their streams, before the gaps."""

    missing: dict[str, tuple[int, int]]  # stream → (last applied version, first gap version)
    first_sequence: int
    last_sequence: int

    def wants(self, event: ReceivedEvent) -> bool:
        stream, version = event.position
        bounds = self.missing.get(stream)
        return bounds is not None and bounds[0] < version < bounds[1]


async def gaps(conn: Connection, parked: Sequence[Parked]) -> Gaps | None:
    """What the gaps among ``parked`` miss, or None when there are none."""
    first_gap: dict[str, Parked] = {}
    for p in parked:
        if p.kind is ParkedKind.GAP and p.stream_id is not None and p.version is not None:
            known = first_gap.get(p.stream_id)
            if known is None or known.version is None or p.version < known.version:
                first_gap[p.stream_id] = p
    if not first_gap:
        return None
    rows = await conn.fetch(
        "SELECT stream_id, version, sequence FROM stream_versions"
        " WHERE stream_id = ANY($1::text[])",
        list(first_gap),
    )
    applied = {r["stream_id"]: (r["version"], r["sequence"]) for r in rows}
    missing = {
        stream: (applied.get(stream, (0, None))[0], gap.version or 0)
        for stream, gap in first_gap.items()
    }
    after = [applied.get(stream, (0, None))[1] for stream in first_gap]
    first = min((s or 0 for s in after), default=0) + 1
    return Gaps(missing, first, max(g.sequence for g in first_gap.values()) - 1)


def parked_event(event: ReceivedEvent, kind: ParkedKind, reason: str) -> Parked:
    envelope = event.message.envelope
    return Parked(
        sequence=event.sequence,
        kind=kind,
        reason=reason,
        body=event.message.model_dump_json().encode(),
        stream_id=envelope.stream_id,
        version=envelope.version,
        event_type=envelope.event_type,
    )


def held(event: ReceivedEvent, behind: int | None) -> Parked:
    reason = "väntar bakom en parkerad händelse i samma ström" + (
        f" (version {behind})" if behind is not None else ""
    )
    return parked_event(event, ParkedKind.HELD, reason)
