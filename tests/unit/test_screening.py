"""Hostile bodies are refused from their bytes, before a JSON parser sees them."""

import json
import time
import uuid

import pytest

from plumbing.screening import (
    MAX_MESSAGE_BYTES,
    MAX_NESTING,
    MAX_NUMBER_DIGITS,
    is_parseable,
    screen,
)


def actuals(**fields: object) -> bytes:
    body: dict[str, object] = {
        "message_id": str(uuid.uuid4()),
        "actor": "ekonomisystem",
        "unit_code": "IT",
        "period": "2011-03",
        "revenue": "3012000",
        "costs": "-3011500.50",
    }
    body.update(fields)
    return json.dumps(body).encode()


def messages(body: bytes) -> list[str]:
    problems = screen(body)
    assert all(p.field == "" for p in problems)
    return [p.message for p in problems]


def test_an_ordinary_command_is_accepted() -> None:
    assert screen(actuals()) == []


def test_swedish_text_is_accepted_raw_and_escaped() -> None:
    text = "Övergripande mål för året"
    assert screen(json.dumps({"text": text}).encode()) == []
    assert screen(json.dumps({"text": text}, ensure_ascii=False).encode()) == []


def test_a_hundred_thousand_levels_of_nesting_are_refused_quickly() -> None:
    body = b'{"a":' * 50_000 + b"[" * 50_000 + b"]" * 50_000 + b"}" * 50_000
    started = time.perf_counter()
    found = messages(body)
    assert time.perf_counter() - started < 2.0  # quadratic would take many seconds
    assert found == [f"meddelandet är nästlat i fler än {MAX_NESTING} nivåer"]
    assert not is_parseable(body)


def test_nesting_at_the_limit_is_accepted_and_one_more_level_refused() -> None:
    at_limit = b"[" * MAX_NESTING + b"]" * MAX_NESTING
    assert screen(at_limit) == []
    assert is_parseable(at_limit)
    assert "nästlat" in messages(b"[" + at_limit + b"]")[0]


def test_many_brackets_side_by_side_or_inside_strings_are_not_nesting() -> None:
    assert screen(b"[" + b"[]," * 10_000 + b"[]]") == []
    assert screen(json.dumps({"text": "[{" * 10_000}).encode()) == []
    assert screen(json.dumps({"text": '\\"[' * 100}).encode()) == []


def test_two_hundred_thousand_nul_bytes_are_refused() -> None:
    assert messages(b"\x00" * 200_000) == [
        "meddelandet innehåller styrtecknet U+0000 (vid byte 0); "
        "andra styrtecken än tabb och radbrytning tas inte emot"
    ]


@pytest.mark.parametrize("raw", [b"\x01", b"\x1b", b"\x1f", b"\x7f", b"\x0b"])
def test_raw_control_characters_are_refused(raw: bytes) -> None:
    assert "styrtecknet" in messages(b'{"actor": "a' + raw + b'"}')[0]


def test_tab_newline_and_carriage_return_between_tokens_are_accepted() -> None:
    assert screen(b'{\r\n\t"actor":\t"a"\n}\r\n') == []


def test_invalid_utf8_is_refused_with_the_offset() -> None:
    assert messages(b'{"actor": "\xc3\x28"}') == [
        "meddelandet är inte giltig UTF-8 (fel vid byte 11)"
    ]


@pytest.mark.parametrize(
    "body",
    [
        rb'{"actor": "kontroll\u0000"}',
        rb'{"\u0000": "kontroll"}',
        rb'{"actor": "\u001F"}',
        rb'{"actor": "\u007f"}',
        rb'{"actor": "\\\u0000"}',
    ],
)
def test_escaped_control_characters_in_values_and_keys_are_refused(body: bytes) -> None:
    (message,) = messages(body)
    assert message.startswith("en text innehåller styrtecknet \\u00")


def test_an_escaped_backslash_before_u0000_is_plain_text() -> None:
    body = json.dumps({"actor": "C:\\u0000"}).encode()
    assert b"\\\\u0000" in body
    assert screen(body) == []


def test_tab_newline_and_carriage_return_escapes_are_accepted() -> None:
    assert screen(rb'{"text": "a\u0009b\u000Ac\u000dd\t\n\r"}') == []


def test_a_surrogate_pair_is_accepted() -> None:
    body = json.dumps({"text": "budget i balans \U0001f4b0"}).encode()
    assert b"\\ud83d\\udcb0" in body
    assert screen(body) == []


@pytest.mark.parametrize(
    "text",
    [
        rb"\ud83d",
        rb"\udcb0",
        rb"\ud83d\ud83d",
        rb"\udcb0\ud83d",
        rb"\ud83d\\\udcb0",
        rb"\\\ud83d",
        rb"\\ud83d\udcb0",
    ],
)
def test_a_lone_surrogate_is_refused(text: bytes) -> None:
    (message,) = messages(b'{"text": "' + text + b'"}')
    assert "halv surrogatkod" in message


def test_a_body_over_the_limit_is_refused_without_looking_further() -> None:
    found = screen(b"\x00" * 101, max_bytes=100)
    assert [p.message for p in found] == [
        "meddelandet är för stort: 101 byte, högst 100 byte tas emot"
    ]
    assert screen(b"[]" * 50, max_bytes=100) == []
    assert not is_parseable(b" " * 101, max_bytes=100)


def test_the_largest_valid_narrative_fits_the_default_limit() -> None:
    body = actuals(text="ö" * 50_000, section="verksamhet")
    assert len(body) < MAX_MESSAGE_BYTES
    assert screen(body) == []


def test_a_number_of_thousands_of_digits_is_refused_but_long_digits_in_text_are_not() -> None:
    assert messages(b'{"revenue": 1' + b"0" * 4999 + b"}") == [
        f"meddelandet innehåller ett tal med fler än {MAX_NUMBER_DIGITS} siffror"
    ]
    assert screen(b'{"revenue": 1' + b"0" * MAX_NUMBER_DIGITS + b"}") != []
    assert screen(b'{"revenue": 1' + b"0" * (MAX_NUMBER_DIGITS - 1) + b"}") == []
    assert screen(json.dumps({"text": "1" * 5000}).encode()) == []
