"""Validation errors as Problems a Swedish-speaking reader understands."""

from collections.abc import Sequence
from typing import Any

from contracts.rejection import Problem

_MESSAGES: dict[str, str] = {
    "missing": "fältet saknas",
    "extra_forbidden": "fältet är okänt",
    "string_type": "ska vara en textsträng",
    "string_too_short": "får inte vara tom",
    "string_too_long": "är för lång",
    "string_pattern_mismatch": "har fel format (versaler, siffror, - eller _, högst 20 tecken)",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "greater_than_equal": "är för litet",
    "less_than_equal": "är för stort",
    "enum": "har ett värde som inte är tillåtet",
    "uuid_parsing": "ska vara ett UUID",
    "uuid_type": "ska vara ett UUID",
    "date_parsing": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "date_from_datetime_parsing": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "datetime_parsing": "ska vara en tidpunkt enligt ISO 8601",
    "datetime_from_date_parsing": "ska vara en tidpunkt enligt ISO 8601",
    "json_invalid": "meddelandet är inte giltig JSON",
    "model_type": "ska vara ett JSON-objekt",
    "model_attributes_type": "ska vara ett JSON-objekt",
    "dict_type": "ska vara ett JSON-objekt",
}


def _field(location: Sequence[int | str]) -> str:
    parts = [str(p) for p in location if p not in ("body",)]
    return ".".join(parts)


def problems_from(errors: Sequence[Any]) -> list[Problem]:
    """Translate pydantic's error list (``ValidationError.errors()``) into Problems."""
    problems = []
    for error in errors:
        kind = str(error.get("type", ""))
        if kind == "value_error":
            # Our own validators already speak Swedish; drop pydantic's English prefix.
            message = str(error.get("msg", "")).removeprefix("Value error, ")
        elif kind == "enum":
            allowed = error.get("ctx", {}).get("expected", "")
            message = f"{_MESSAGES['enum']}; tillåtna värden: {allowed}"
        else:
            message = _MESSAGES.get(kind, f"ogiltigt värde ({error.get('msg', kind)})")
        problems.append(Problem(field=_field(error.get("loc", ())), message=message))
    return problems
