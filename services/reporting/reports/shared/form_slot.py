"""Where a page's form goes: a report's template marks the place with ``form_slot`` (an HTML
comment), and services.reporting.forms fills it for a signed-in person who may use the form,
or leaves nothing. So a page stays a function of its view alone, the same for every reader."""

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

SLOT = re.compile(r"<!--skriv ([A-Za-z0-9_=-]+)-->")


def form_slot(
    form: str, unit: str, fixed: Mapping[str, Any], values: Mapping[str, Any], label: str = ""
) -> Markup:
    """The place of ``form`` for ``unit`` (whose scope decides who sees it), with the
    fields the page sets, the values it starts with (what is stored now) and what its
    heading names (the unit's name). Encoded, so nothing typed into a stored text can end
    the comment."""
    data = {"form": form, "unit": unit, "fixed": dict(fixed), "values": dict(values)}
    data["label"] = label
    encoded = base64.urlsafe_b64encode(json.dumps(data, default=str).encode()).decode()
    return Markup(f"<!--skriv {encoded}-->")


def read_slot(encoded: str) -> dict[str, Any] | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(encoded))
    except (binascii.Error, ValueError):
        return None
    return data if isinstance(data, dict) else None


CSRF_PLACE = "<!--csrf-->"


def csrf_field() -> Markup:
    """In a page's own POST form (the operators' actions): where the signed-in person's
    CSRF token goes, so the form works for a session as it does for a token."""
    return Markup(CSRF_PLACE)
