"""Free text in commands and events: what characters it may hold.

PostgreSQL's jsonb cannot store NUL, and no text type can hold a lone surrogate (half of a
UTF-16 pair, ``"\\ud800"`` in JSON): a message carrying either would be refused by the
database only after the work was done. Other control characters are invisible to a reader
and have no place in a name or a reason. So a field is either

- a single line (``SINGLE_LINE``): names, titles, actors, decision references; no control
  character at all (U+0000–U+001F, U+007F) and no surrogate; or
- multi-line (``MULTI_LINE``): narratives and reasons; as a single line, but tab and line
  feed are allowed, and carriage return only as part of a CRLF line ending.

Each field also states its own length with ``Field(min_length=..., max_length=...)``, placed
before the marker so that pydantic checks the length first and an over-long string is never
scanned.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue

EXCERPT_LENGTH = 20
"""How much of an offending value a message repeats: enough to recognise it, never a flood."""

# The published patterns leave surrogates out: a JSON Schema validator working on UTF-16
# code units would see every character beyond U+FFFF (an emoji, say) as two surrogates and
# refuse it. A lone surrogate is not valid Unicode, and the model refuses it anyway.
SINGLE_LINE_PATTERN = r"^[^\u0000-\u001F\u007F]*$"
MULTI_LINE_PATTERN = r"^(?:[^\u0000-\u0008\u000B-\u001F\u007F]|\r\n)*$"

_SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
_MULTI_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]|\r(?!\n)")

_CHARACTER_NAMES = {0x00: "NUL", 0x09: "tabb", 0x0A: "radbrytning", 0x0D: "vagnretur"}


def excerpt(value: str) -> str:
    """The start of ``value``, quoted, for a message that must say which value is wrong."""
    if len(value) <= EXCERPT_LENGTH:
        return repr(value)
    return repr(value[:EXCERPT_LENGTH]) + f"… ({len(value)} tecken)"


def _describe(character: str, position: int) -> str:
    code = ord(character)
    label = f"U+{code:04X}"
    if code in _CHARACTER_NAMES:
        label += f", {_CHARACTER_NAMES[code]}"
    where = f"på plats {position + 1}"
    if 0xD800 <= code <= 0xDFFF:
        return f"innehåller ett ensamt surrogattecken ({label}) {where}; det är inte giltig Unicode"
    return f"innehåller ett otillåtet styrtecken ({label}) {where}"


def check_single_line(value: str) -> str:
    found = _SINGLE_LINE_FORBIDDEN.search(value)
    if found is not None:
        raise ValueError(_describe(found.group(), found.start()) + "; texten ska vara en rad")
    return value


def check_multi_line(value: str) -> str:
    found = _MULTI_LINE_FORBIDDEN.search(value)
    if found is None:
        return value
    if found.group() == "\r":
        raise ValueError(
            f"innehåller en vagnretur (U+000D) utan radbrytning efter på plats {found.start() + 1}"
            "; rader avslutas med LF eller CRLF"
        )
    raise ValueError(_describe(found.group(), found.start()) + "; tabb och radbrytning går bra")


@dataclass(frozen=True)
class _Characters:
    """Validates the characters of a string and publishes the same rule as a pattern."""

    check: Callable[[str], str]
    pattern: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return AfterValidator(self.check).__get_pydantic_core_schema__(source, handler)

    def __get_pydantic_json_schema__(
        self, schema: Any, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema


SINGLE_LINE = _Characters(check_single_line, SINGLE_LINE_PATTERN)
MULTI_LINE = _Characters(check_multi_line, MULTI_LINE_PATTERN)

Name = Annotated[str, Field(min_length=1, max_length=200), SINGLE_LINE]
"""A name of a person, an account or a unit: one line, 1–200 characters."""

Remark = Annotated[str, Field(min_length=1, max_length=5000), MULTI_LINE]
"""Reasons, a comment, the measures taken, a note: multi-line, 1–5000 characters."""
