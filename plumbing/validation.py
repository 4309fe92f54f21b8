"""Validation errors as Problems a Swedish-speaking reader understands."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from contracts.rejection import Problem

_OBJECT = "ska vara ett JSON-objekt"
_INTEGER = "ska vara ett heltal"
_UUID = "ska vara ett UUID"
_DATE = "ska vara ett datum ÅÅÅÅ-MM-DD"
_DATETIME = "ska vara en tidpunkt enligt ISO 8601"

_MESSAGES: dict[str, str] = {
    "missing": "fältet saknas",
    "extra_forbidden": "fältet är okänt",
    "string_type": "ska vara en textsträng",
    "string_unicode": "är inte giltig Unicode (t.ex. ett ensamt surrogattecken)",
    "string_pattern_mismatch": "har fel format (versaler, siffror, - eller _, högst 20 tecken)",
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_from_float": _INTEGER,
    "int_parsing_size": "är ett för stort tal",
    # An integer field given Infinity or NaN (JSON parsers that allow them, or a Python caller).
    "finite_number": "ska vara ett ändligt tal",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal",
    "decimal_type": "ska vara ett tal",
    "decimal_parsing": "ska vara ett tal",
    "bool_type": "ska vara sant eller falskt (true/false)",
    "bool_parsing": "ska vara sant eller falskt (true/false)",
    "list_type": "ska vara en lista",
    "literal_error": "har ett värde som inte är tillåtet",
    "enum": "har ett värde som inte är tillåtet",
    "uuid_parsing": _UUID,
    "uuid_type": _UUID,
    "uuid_version": _UUID,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "ska vara ett datum utan klockslag",
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME,
    "json_invalid": "meddelandet är inte giltig JSON",
    "json_type": "meddelandet är inte giltig JSON",
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
}


def _too_short(ctx: Mapping[str, Any]) -> str:
    if ctx.get("min_length") == 1:
        return "får inte vara tom"
    return f"är för kort (minst {ctx.get('min_length')} tecken)"


def _too_long(ctx: Mapping[str, Any]) -> str:
    return f"är för lång (högst {ctx.get('max_length')} tecken)"


def _own(error: Mapping[str, Any]) -> str:
    # Our own validators already speak Swedish; drop pydantic's English prefix.
    return str(error.get("msg", "")).removeprefix("Value error, ")


_FROM_CONTEXT: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "string_too_short": _too_short,
    "string_too_long": _too_long,
    # A list (a budget profile's twelve months): counted in values, not characters.
    "too_short": lambda ctx: f"har för få värden (minst {ctx.get('min_length')})",
    "too_long": lambda ctx: f"har för många värden (högst {ctx.get('max_length')})",
    "greater_than_equal": lambda ctx: f"är för litet (minst {ctx.get('ge')})",
    "greater_than": lambda ctx: f"är för litet (större än {ctx.get('gt')} krävs)",
    "less_than": lambda ctx: f"är för stort (mindre än {ctx.get('lt')} krävs)",
    "less_than_equal": lambda ctx: f"är för stort (högst {ctx.get('le')})",
    # pydantic lists the values in English ("'a', 'b' or 'c'"); the last "or" is put in Swedish.
    "enum": lambda ctx: (
        f"{_MESSAGES['enum']}; tillåtna värden: "
        + " eller ".join(str(ctx.get("expected", "")).rsplit(" or ", 1))
    ),
}


def message_for(error: Mapping[str, Any]) -> str:
    """The Swedish message for one of pydantic's errors; never pydantic's English text."""
    kind = str(error.get("type", ""))
    if kind == "value_error":
        return _own(error)
    if kind in _FROM_CONTEXT:
        return _FROM_CONTEXT[kind](error.get("ctx") or {})
    return _MESSAGES.get(kind, f"ogiltigt värde (felkod {kind})")


def _field(location: Sequence[int | str]) -> str:
    parts = [str(p) for p in location if p not in ("body",)]
    return ".".join(parts)


def problems_from(errors: Sequence[Any]) -> list[Problem]:
    """Translate pydantic's error list (``ValidationError.errors()``) into Problems."""
    return [
        Problem(field=_field(error.get("loc", ())), message=message_for(error)) for error in errors
    ]
