"""Screening a raw message body before any JSON parser sees it.

A parser is the wrong place to meet a hostile message: ``json.loads`` recurses once per
nesting level, and text PostgreSQL cannot store (NUL, lone surrogates) only fails at the
database, after the work is done. ``screen`` looks at the bytes with a few scans in C
(``bytes.count``, compiled regular expressions) and says, in Swedish, what is wrong:

    problems = screen(body)          # [] when the body may be parsed
    if problems: refuse(problems)    # every Problem has field "" (the whole message)

Used by the HTTP entrypoints (``plumbing.http_screening``) and meant for the inbound NATS
consumer before ``model_validate_json``.
"""

import re
from array import array
from itertools import accumulate

from contracts.rejection import Problem

MAX_MESSAGE_BYTES = 512 * 1024
"""Largest body taken in. The largest valid command, a write-narrative of 50,000 characters,
is at most 300 KB even with every character sent as a ``\\uXXXX`` escape."""

MAX_NESTING = 32
"""Deepest nesting of JSON objects and arrays taken in; commands use two or three levels."""

MAX_NUMBER_DIGITS = 100
"""Longest run of digits in a JSON number: far beyond any amount, and far below the 4,300
digits at which Python's ``json.loads`` gives up with an error of its own."""

_ONLY_WHITESPACE = "andra styrtecken än tabb och radbrytning tas inte emot"

_RAW_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_RAW_CONTROL = re.compile(b"[" + re.escape(_RAW_CONTROLS) + b"]")

# Control characters and surrogates PostgreSQL cannot store, as JSON escapes. Whether the
# backslash really starts an escape is decided afterwards (see _is_escape), which keeps a
# literal prefix the regex engine finds quickly.
_MAYBE_SUSPECT = re.compile(rb"\\u(?:00[01]|007|[dD])")
_SUSPECT_ESCAPE = re.compile(
    rb"\\u(00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])|[dD][89a-fA-F][0-9a-fA-F]{2})"
)

# A JSON string, or the rest of the body after an unterminated one (invalid JSON anyway).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_TOO_MANY_DIGITS = b"0" * (MAX_NUMBER_DIGITS + 1)
# Opening brackets become +1 and closing ones -1 (as signed bytes); all else is deleted.
_BRACKET_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def too_large(size: int | None, max_bytes: int = MAX_MESSAGE_BYTES) -> Problem:
    """The problem of a body of ``size`` bytes over ``max_bytes``; ``size`` None when the
    body was only read until it passed the limit."""
    amount = f"{size} byte" if size is not None else f"mer än {max_bytes} byte"
    return Problem(
        field="", message=f"meddelandet är för stort: {amount}, högst {max_bytes} byte tas emot"
    )


def screen(
    body: bytes, max_bytes: int = MAX_MESSAGE_BYTES, max_nesting: int = MAX_NESTING
) -> list[Problem]:
    """What is wrong with ``body`` as a JSON message, before parsing it; [] when nothing.

    Refuses a body over ``max_bytes`` (without looking further), one that is not UTF-8,
    JSON nested deeper than ``max_nesting``, a number of more than ``MAX_NUMBER_DIGITS``
    digits, raw control characters (tab, newline and carriage return are allowed), and
    escapes PostgreSQL cannot store or a reader cannot see: ``\\u0000``–``\\u001f`` except
    tab, newline and carriage return, ``\\u007f``, and surrogates that do not form a pair.
    Every Problem has field "". Costs a few microseconds for an ordinary message and never
    recurses.
    """
    if len(body) > max_bytes:
        return [too_large(len(body), max_bytes)]
    found = [
        *_utf8_problems(body),
        *_nesting_problems(body, max_nesting),
        *_raw_control_problems(body),
        *_number_problems(body),
    ]
    # Text with Swedish letters from an ASCII-only encoder is full of escapes (\u00e4);
    # a simpler pattern rules nearly all of them out.
    if _MAYBE_SUSPECT.search(body):
        found.extend(_escape_problems(body))
    return found


def is_parseable(
    body: bytes, max_bytes: int = MAX_MESSAGE_BYTES, max_nesting: int = MAX_NESTING
) -> bool:
    """Whether ``json.loads(body)`` is safe to try: not too large and not too deep.

    It may still fail as invalid JSON; text problems do not make parsing dangerous.
    """
    return len(body) <= max_bytes and not _too_deep(body, max_nesting)


def _whole(message: str) -> list[Problem]:
    return [Problem(field="", message=message)]


def _utf8_problems(body: bytes) -> list[Problem]:
    if body.isascii():
        return []
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        return _whole(f"meddelandet är inte giltig UTF-8 (fel vid byte {error.start})")
    return []


def _nesting_problems(body: bytes, max_nesting: int) -> list[Problem]:
    if not _too_deep(body, max_nesting):
        return []
    return _whole(f"meddelandet är nästlat i fler än {max_nesting} nivåer")


def _too_deep(body: bytes, max_nesting: int) -> bool:
    # Depth can never exceed the number of opening brackets: counting them is one pass in C
    # and settles almost every message.
    if body.count(b"{") + body.count(b"[") <= max_nesting:
        return False
    # The rare rest: depth is the highest running sum of the steps, computed in C so that a
    # hostile body of half a megabyte of brackets costs milliseconds, not recursion.
    steps = _STRING.sub(b"", body).translate(_BRACKET_STEPS, _NOT_BRACKETS)
    return max(accumulate(array("b", steps)), default=0) > max_nesting


def _number_problems(body: bytes) -> list[Problem]:
    if _TOO_MANY_DIGITS not in body.translate(_DIGITS_AS_ZERO):
        return []
    # Long numbers in text (an account list, say) are fine: look again without the strings.
    outside_strings = _STRING.sub(b" ", body)
    if _TOO_MANY_DIGITS not in outside_strings.translate(_DIGITS_AS_ZERO):
        return []
    return _whole(f"meddelandet innehåller ett tal med fler än {MAX_NUMBER_DIGITS} siffror")


def _raw_control_problems(body: bytes) -> list[Problem]:
    # Deleting them in C and comparing lengths is three times faster than a regex search.
    if len(body.translate(None, _RAW_CONTROLS)) == len(body):
        return []
    first = _RAW_CONTROL.search(body)
    assert first is not None
    code = body[first.start()]
    return _whole(
        f"meddelandet innehåller styrtecknet U+{code:04X} (vid byte {first.start()}); "
        + _ONLY_WHITESPACE
    )


def _is_escape(body: bytes, backslash: int) -> bool:
    # In ``\\u0000`` the first backslash escapes the second and "u0000" is plain text: a
    # backslash starts an escape only after an even number of backslashes.
    before = backslash
    while before > 0 and body[before - 1] == 0x5C:
        before -= 1
    return (backslash - before) % 2 == 0


def _escape_problems(body: bytes) -> list[Problem]:
    controls, lone = _bad_escapes(body)
    found = []
    if controls:
        found.append(
            Problem(
                field="",
                message=f"en text innehåller styrtecknet \\u{controls[0][1].decode()} "
                f"(vid byte {controls[0].start()}); " + _ONLY_WHITESPACE,
            )
        )
    if lone:
        found.append(
            Problem(
                field="",
                message=f"en text innehåller \\u{lone[0][1].decode()} (vid byte "
                f"{lone[0].start()}), en halv surrogatkod som inte är ett tecken; ett tecken "
                "utanför BMP skrivs som ett par \\uD800–\\uDBFF följt av \\uDC00–\\uDFFF",
            )
        )
    return found


def _bad_escapes(body: bytes) -> tuple[list[re.Match[bytes]], list[re.Match[bytes]]]:
    """The control character escapes, and the surrogate escapes that are not in a pair."""
    controls: list[re.Match[bytes]] = []
    lone: list[re.Match[bytes]] = []
    high: re.Match[bytes] | None = None
    for match in _SUSPECT_ESCAPE.finditer(body):
        if not _is_escape(body, match.start()):
            continue
        code = match[1]
        if code.startswith(b"00"):
            controls.append(match)
            continue
        is_high = code[1:2] in b"89abAB"
        if high is not None:
            if not is_high and match.start() == high.end():
                high = None
                continue
            lone.append(high)
            high = None
        if is_high:
            high = match
        else:
            lone.append(match)
    if high is not None:
        lone.append(high)
    return controls, lone
