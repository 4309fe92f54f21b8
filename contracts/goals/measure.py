"""Exact measured values: a key figure's or an indicator's value, a target, a baseline.

They travel like amounts (contracts.money), as JSON strings or integers ("2.05", "2,05",
63), never as JSON floats, which may already be rounded in binary when they are parsed. A
value has at most ``MAX_DECIMALS`` decimals and fewer than ``MAX_WHOLE_DIGITS`` whole digits.
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from contracts.text import excerpt

MAX_DECIMALS = 4
MAX_WHOLE_DIGITS = 12
MAX_VALUE_TEXT = 30
_LIMIT = Decimal(10) ** MAX_WHOLE_DIGITS
_TEXT = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")

VALUE_TEXT_PATTERN = rf"^ *[+-]?[0-9]{{1,{MAX_WHOLE_DIGITS}}}([.,][0-9]{{1,{MAX_DECIMALS}}})? *$"
VALUE_PATTERN = rf"^-?[0-9]{{1,{MAX_WHOLE_DIGITS}}}(\.[0-9]{{1,{MAX_DECIMALS}}})?$"
_DESCRIPTION = (
    f"An exact value, at most {MAX_DECIMALS} decimals, smaller than 10^{MAX_WHOLE_DIGITS}"
)


def parse_value(value: Any) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError('värdet är ett flyttal; ange det som sträng eller heltal, t.ex. "2.05"')
    if isinstance(value, int):
        return _checked(Decimal(value), str(value))
    if isinstance(value, Decimal):
        return _checked(value, str(value))
    if not isinstance(value, str):
        raise ValueError("värdet måste vara en sträng eller ett heltal")
    if len(value) > MAX_VALUE_TEXT:
        raise ValueError(f"värdet är för långt ({len(value)} tecken; högst {MAX_VALUE_TEXT})")
    text = value.strip()
    if _TEXT.fullmatch(text) is None:
        raise ValueError(
            f'värdet {excerpt(value)} är inte ett tal; skriv siffrorna 0–9, t.ex. "2.05" eller "63"'
        )
    return _checked(Decimal(text.replace(",", ".")), value)


def _checked(number: Decimal, written: str) -> Decimal:
    if not number.is_finite():
        raise ValueError(f"värdet {excerpt(written)} är inte ett ändligt tal")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise ValueError(f"värdet {excerpt(written)} har fler än {MAX_DECIMALS} decimaler")
    if abs(number) >= _LIMIT:
        raise ValueError(f"värdet {excerpt(written)} är för stort (under 10^{MAX_WHOLE_DIGITS})")
    return number


MeasureValue = Annotated[
    Decimal,
    BeforeValidator(parse_value),
    PlainSerializer(lambda number: format(number, "f"), return_type=str, when_used="always"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": VALUE_TEXT_PATTERN, "maxLength": MAX_VALUE_TEXT},
                {
                    "type": "integer",
                    "minimum": -(10**MAX_WHOLE_DIGITS - 1),
                    "maximum": 10**MAX_WHOLE_DIGITS - 1,
                },
            ],
            "description": _DESCRIPTION + '; a string ("2.05", "2,05") or an integer',
        },
        mode="validation",
    ),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": VALUE_PATTERN,
            "maxLength": MAX_WHOLE_DIGITS + MAX_DECIMALS + 2,  # sign and point
            "description": _DESCRIPTION,
        },
        mode="serialization",
    ),
]
