"""Per event stream, n+1 after n: a redelivery is skipped, a repeat with other content parked."""

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from contracts.envelope import Envelope, EventMessage
from plumbing.parking import Parked, ParkedKind
from plumbing.stream_order import ReceivedEvent, StreamPositions, canonical_json, in_order

WHEN = datetime(2011, 3, 1, tzinfo=UTC)


def event(version: int, revenue: str, event_id: UUID, sequence: int) -> ReceivedEvent:
    envelope = Envelope(
        event_id=event_id,
        event_type="ActualsRecorded",
        schema_version=1,
        stream_id="unit-IT",
        version=version,
        occurred_at=WHEN,
        recorded_at=WHEN,
        source_system="ekonomisystem",
        actor="ledger",
        correlation_id=event_id,
        causation_id=event_id,
    )
    payload: dict[str, Any] = {"unit_code": "IT", "period": "2011-03", "revenue": revenue}
    return ReceivedEvent(EventMessage(envelope=envelope, payload=payload), sequence)


def sort(
    events: list[ReceivedEvent], applied: list[ReceivedEvent]
) -> tuple[list[int], list[Parked]]:
    positions = StreamPositions(
        versions={"unit-IT": len(applied)},
        blocked=set(),
        applied={e.position: e.fingerprint for e in applied},
    )
    parked: list[Parked] = []
    return [e.sequence for e in in_order(events, positions, parked)], parked


FIRST = event(1, "5", uuid4(), 1)


def test_the_same_event_again_is_skipped_silently_whatever_its_key_order() -> None:
    again = event(1, "5", FIRST.message.envelope.event_id, 2)
    reordered = dict(reversed(list(again.payload.items())))
    again = ReceivedEvent(again.message.model_copy(update={"payload": reordered}), 2)
    assert sort([again], [FIRST]) == ([], [])


def test_another_event_or_other_content_under_an_applied_version_is_parked_as_a_repeat() -> None:
    other_id = event(1, "5", uuid4(), 2)
    other_payload = event(1, "6", FIRST.message.envelope.event_id, 3)
    ready, parked = sort([other_id, other_payload], [FIRST])
    assert ready == []
    assert [(p.sequence, p.kind) for p in parked] == [
        (2, ParkedKind.REPEAT),
        (3, ParkedKind.REPEAT),
    ]
    assert "denna har id" in parked[0].reason and "annat innehåll" in parked[1].reason


def test_a_repeat_of_an_event_applied_earlier_in_the_same_batch_is_caught_too() -> None:
    forged = event(1, "999", uuid4(), 2)
    ready, parked = sort([FIRST, forged, event(2, "6", uuid4(), 3)], [])
    assert ready == [1, 3]
    assert [p.sequence for p in parked] == [2]


def test_a_version_applied_before_fingerprints_were_kept_is_taken_as_a_redelivery() -> None:
    positions = StreamPositions(versions={"unit-IT": 1}, blocked=set(), applied={})
    parked: list[Parked] = []
    assert in_order([event(1, "other", uuid4(), 2)], positions, parked) == []
    assert parked == []


def test_the_digest_is_made_of_the_same_bytes_as_before() -> None:
    """The digests kept for applied events were made of json.dumps' sorted, compact UTF-8;
    an event delivered again must give the same bytes, or it would be parked as a repeat."""
    values: list[Any] = [
        ["ActualsRecorded", 1, {"z": "Förvaltning", "a": {"y": [1, None, True], "b": "\u2028"}}],
        {"ctrl": '\x00\x1f\x7f\t\n"\\/', "emoji": "𝄞", "big": 10**30, "neg": -7},
        {"float": 1e16, "small": 0.1, "list": [{"b": 1, "a": 2}]},
        [],
        {},
        "",
    ]
    for value in values:
        expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert canonical_json(value) == expected.encode()
