"""Exact amounts in kronor.

Amounts travel as JSON strings or integers ("-109550000", "1234.50", 1200). A JSON
float is refused: by the time it is parsed it may already be rounded in binary, and
a budget must be correct to the öre.
"""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

MAX_DECIMALS = 2


def parse_amount(value: Any) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(
            'beloppet är ett flyttal; ange det som sträng eller heltal i kronor, t.ex. "1234.50"'
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"beloppet {value!r} är inte ett tal") from None
    else:
        raise ValueError("beloppet måste vara en sträng eller ett heltal i kronor")
    if not amount.is_finite():
        raise ValueError(f"beloppet {value!r} är inte ett ändligt tal")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise ValueError(f"beloppet {value!r} har fler än två decimaler (öre); det ser avrundat ut")
    return amount


Amount = Annotated[
    Decimal,
    BeforeValidator(parse_amount),
    PlainSerializer(lambda amount: str(amount), return_type=str, when_used="always"),
]
