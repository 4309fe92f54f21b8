"""A rejection fits the server's payload limit, whatever the message it refuses."""

import hashlib
import json
import uuid
from datetime import UTC, datetime

import pytest

from contracts.rejection import Problem, Rejection
from plumbing.rejections import (
    EXCERPT_BYTES,
    MAX_PROBLEMS,
    MIN_REJECTION_BYTES,
    PAYLOAD_HEADROOM,
    encode_rejection,
    message_id_of,
)

NATS_MAX_PAYLOAD = 1024 * 1024
LIMIT = NATS_MAX_PAYLOAD - PAYLOAD_HEADROOM
TOO_LARGE = [Problem(field="", message="meddelandet är för stort")]


def narrative(size: int, message_id: str) -> bytes:
    start = json.dumps(
        {
            "message_id": message_id,
            "actor": "ekonomisystem",
            "unit_code": "IT",
            "year": 2011,
            "section": "activity_description",
            "text": "",
        }
    ).encode()[:-2]
    return start + b"x" * (size - len(start) - 2) + b'"}'


def encode(original: bytes, problems: list[Problem], max_bytes: int = LIMIT) -> bytes:
    return encode_rejection(
        original,
        problems,
        subject="budget.inbound.ekonomisystem.write-narrative",
        source_system="ekonomisystem",
        message_id=message_id_of(original),
        max_bytes=max_bytes,
    )


def decoded(encoded: bytes, max_bytes: int = LIMIT) -> Rejection:
    assert len(encoded) <= max_bytes
    json.loads(encoded)
    return Rejection.model_validate_json(encoded)


def test_a_narrative_of_a_megabyte_is_carried_as_its_beginning_with_size_and_digest() -> None:
    message_id = str(uuid.uuid4())
    original = narrative(1_048_400, message_id)
    assert len(original) == 1_048_400

    rejection = decoded(encode(original, TOO_LARGE))

    assert rejection.original_truncated
    assert rejection.original_bytes == 1_048_400
    assert rejection.original_sha256 == hashlib.sha256(original).hexdigest()
    assert original.startswith(rejection.original.encode())
    assert len(rejection.original) == EXCERPT_BYTES
    assert rejection.message_id is None  # too large to be parsed for it
    assert rejection.problems == TOO_LARGE


def test_two_hundred_thousand_nul_bytes_fit_though_escaping_makes_them_six_times_larger() -> None:
    original = b"\x00" * 200_000
    rejection = decoded(encode(original, TOO_LARGE))
    assert rejection.original_truncated
    assert rejection.original == "\x00" * EXCERPT_BYTES
    assert rejection.original_bytes == 200_000
    assert rejection.original_sha256 == hashlib.sha256(original).hexdigest()


def test_a_small_original_is_carried_whole() -> None:
    original = narrative(500, "m-1")
    rejection = decoded(encode(original, TOO_LARGE))
    assert not rejection.original_truncated
    assert rejection.original == original.decode()
    assert rejection.original_bytes == 500
    assert rejection.message_id == "m-1"


def test_ten_thousand_problems_are_cut_to_the_first_ones_and_a_count() -> None:
    problems = [Problem(field=f"f{i}", message="x" * 5000) for i in range(10_000)]
    rejection = decoded(encode(b"{}", problems))
    assert [p.field for p in rejection.problems[:MAX_PROBLEMS]] == [
        f"f{i}" for i in range(MAX_PROBLEMS)
    ]
    assert all(len(p.message) <= 1000 for p in rejection.problems)
    assert rejection.problems[-1] == Problem(
        field="", message=f"ytterligare {10_000 - MAX_PROBLEMS} problem visas inte"
    )
    assert len(rejection.problems) == MAX_PROBLEMS + 1


def test_the_excerpt_is_cut_between_characters() -> None:
    original = b"x" + "ö".encode() * 100_000
    rejection = decoded(encode(original, TOO_LARGE, max_bytes=100_000))
    assert rejection.original_truncated
    assert "\ufffd" not in rejection.original
    assert original.startswith(rejection.original.encode())


def test_bytes_that_are_not_utf8_are_shown_as_replacement_characters() -> None:
    rejection = decoded(encode(b'{"a": "\xff"}', TOO_LARGE))
    assert rejection.original == '{"a": "\ufffd"}'
    assert not rejection.original_truncated


def test_lone_surrogates_and_endless_names_still_encode_within_the_smallest_limit() -> None:
    hostile = "\ud800\x00" * 100_000
    encoded = encode_rejection(
        b"\x00" * 100_000,
        [Problem(field=hostile, message=hostile)] * 50,
        subject=hostile,
        source_system=hostile,
        message_id=hostile,
        max_bytes=MIN_REJECTION_BYTES,
        rejected_at=datetime(2011, 3, 1, tzinfo=UTC),
    )
    rejection = decoded(encoded, MIN_REJECTION_BYTES)
    assert rejection.original_truncated
    assert "50 problem" in rejection.problems[-1].message


def test_a_limit_too_small_for_any_rejection_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        encode(b"{}", TOO_LARGE, max_bytes=100)


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000, b"\xff", b"[1]", b'{"actor": "a"}', b"x" * 600_000],
)
def test_no_message_id_is_read_from_a_body_that_is_unsafe_or_has_none(body: bytes) -> None:
    assert message_id_of(body) is None


def test_the_message_id_is_read_from_an_ordinary_body() -> None:
    assert message_id_of(b'{"message_id": "m-1", "actor": "a"}') == "m-1"
