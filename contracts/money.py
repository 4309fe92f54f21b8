"""Exact amounts in kronor.

Amounts travel as JSON strings or integers ("-109550000", "1234.50", "1 234,50", 1200). A
JSON float is refused: by the time it is parsed it may already be rounded in binary, and a
budget must be correct to the öre.

An amount has at most two decimals and is smaller than ``AMOUNT_LIMIT`` in size. The limit
is far above any municipal budget, and it keeps every amount within what PostgreSQL's
``numeric`` and the reports handle: "1e1000000" is a finite Decimal that no column can
hold. A string is read with a grammar of plain ASCII digits before Decimal sees it, so
exponents, Unicode digits, "Infinity" and "NaN" never reach the parser.
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from contracts.text import excerpt

MAX_DECIMALS = 2
MAX_WHOLE_DIGITS = 15
AMOUNT_LIMIT = Decimal(10) ** MAX_WHOLE_DIGITS
"""Every amount is smaller than this in size: at most 999 999 999 999 999,99 kr."""

MAX_AMOUNT_TEXT = 40
"""Longest amount string read before parsing; the largest amount written with a sign and
grouped in threes, "-999 999 999 999 999,99", takes 23."""

_INTEGER_LIMIT = 10**MAX_WHOLE_DIGITS

# Spaces group digits ("1 234,50") and may stand anywhere; the patterns below say the same
# for the published schema, where spaces cannot be removed first.
_AMOUNT_TEXT = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")

AMOUNT_TEXT_PATTERN = (
    rf"^ *[+-]?( *0)*( *[0-9]){{1,{MAX_WHOLE_DIGITS}}}( *[.,]( *[0-9]){{1,{MAX_DECIMALS}}})? *$"
)
"""Every amount string accepted, as a JSON Schema pattern (with ``MAX_AMOUNT_TEXT``)."""

AMOUNT_PATTERN = rf"^-?(0|[1-9][0-9]{{0,{MAX_WHOLE_DIGITS - 1}}})(\.[0-9]{{1,{MAX_DECIMALS}}})?$"
"""Every amount as written out: plain notation, no grouping, a point before the öre."""

# An amount as ``write_amount`` writes it, which is how every service sends amounts on: read
# straight into a Decimal, since this grammar alone keeps it within every bound checked below.
_WRITTEN = re.compile(AMOUNT_PATTERN)

_AMOUNT_WRITTEN_LENGTH = len("-") + MAX_WHOLE_DIGITS + len(".") + MAX_DECIMALS

_DESCRIPTION = (
    f"Kronor, at most {MAX_DECIMALS} decimals, smaller than 10^{MAX_WHOLE_DIGITS} in size"
)
_LARGEST = f"{_INTEGER_LIMIT - 1:,}".replace(",", " ") + "," + "9" * MAX_DECIMALS
_TOO_LARGE = (
    f"beloppet är för stort: högst {_LARGEST} kr till beloppet (under 10^{MAX_WHOLE_DIGITS})"
)
_FLOAT = 'beloppet är ett flyttal; ange det som sträng eller heltal i kronor, t.ex. "1234.50"'


def parse_amount(value: Any) -> Decimal:
    if type(value) is str and _WRITTEN.fullmatch(value):
        return Decimal(value)
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(_FLOAT)
    if isinstance(value, int):
        if not -_INTEGER_LIMIT < value < _INTEGER_LIMIT:
            raise ValueError(_TOO_LARGE)
        return Decimal(value)
    if isinstance(value, str):
        return _checked(_parse_text(value))
    if isinstance(value, Decimal):
        return _checked(value)
    raise ValueError("beloppet måste vara en sträng eller ett heltal i kronor")


def _parse_text(value: str) -> Decimal:
    if len(value) > MAX_AMOUNT_TEXT:
        raise ValueError(
            f"beloppet är för långt ({len(value)} tecken; högst {MAX_AMOUNT_TEXT} tecken)"
        )
    text = value.replace(" ", "")
    if _AMOUNT_TEXT.fullmatch(text) is None:
        raise ValueError(
            f"beloppet {excerpt(value)} är inte ett tal i kronor; "
            'skriv siffrorna 0–9, t.ex. "-1234.50" eller "1 234,50"'
        )
    return Decimal(text.replace(",", "."))


def _checked(amount: Decimal) -> Decimal:
    if not amount.is_finite():
        raise ValueError(f"beloppet {excerpt(str(amount))} är inte ett ändligt tal")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise ValueError(
            f"beloppet {excerpt(str(amount))} har fler än två decimaler (öre); det ser avrundat ut"
        )
    if abs(amount) >= AMOUNT_LIMIT:
        raise ValueError(_TOO_LARGE)
    return amount


def write_amount(amount: Decimal) -> str:
    """Plain notation, exact: Decimal("1E+3") is written "1000", never "1E+3"."""
    return format(amount, "f")


Amount = Annotated[
    Decimal,
    BeforeValidator(parse_amount),
    PlainSerializer(write_amount, return_type=str, when_used="always"),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": AMOUNT_TEXT_PATTERN,
                    "maxLength": MAX_AMOUNT_TEXT,
                },
                {
                    "type": "integer",
                    "minimum": -(_INTEGER_LIMIT - 1),
                    "maximum": _INTEGER_LIMIT - 1,
                },
            ],
            "description": _DESCRIPTION + '; a string ("-1234.50", "1 234,50") or an integer',
        },
        mode="validation",
    ),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": AMOUNT_PATTERN,
            "maxLength": _AMOUNT_WRITTEN_LENGTH,
            "description": _DESCRIPTION,
            "examples": ["-109550000", "1234.50"],
        },
        mode="serialization",
    ),
]
