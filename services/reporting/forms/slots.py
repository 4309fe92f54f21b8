"""What fills a page's form slots (shared.form_slot) for the person reading it: the form,
with the session's CSRF token and a new message id, for a signed-in person who may use it;
nothing for anyone else."""

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from markupsafe import Markup

from plumbing.identity import EVERY_UNIT, Principal
from services.reporting.forms.specs import FORMS, FormSpec
from services.reporting.reports.shared.form_slot import SLOT, read_slot
from services.reporting.reports.shared.pages import PAGES
from services.reporting.signin.sessions import SignedIn


def may_use(
    spec: FormSpec, principal: Principal, unit: str, parents: Mapping[str, str | None]
) -> bool:
    """Whether the form is shown to ``principal``: a role the service names for its
    command, and ``unit`` within their units (a unit includes its subtree)."""
    if not spec.roles & principal.roles:
        return False
    if EVERY_UNIT in principal.units:
        return True
    seen: set[str] = set()
    code: str | None = unit
    while code is not None and code not in seen:
        if code in principal.units:
            return True
        seen.add(code)
        code = parents.get(code)
    return False


def csrf_input(token: str) -> Markup:
    return Markup('<input type="hidden" name="csrf" value="{}">').format(token)


def render_form(
    spec: FormSpec,
    signed_in: SignedIn,
    fixed: Mapping[str, Any],
    values: Mapping[str, Any],
    return_to: str,
    *,
    message_id: str | None = None,
    label: str = "",
    errors: Mapping[str, str] | None = None,
    general: list[str] | None = None,
) -> Markup:
    anchor = "skriv-" + spec.name + "-" + "-".join(str(v) for _, v in sorted(fixed.items()))
    return Markup(
        PAGES.get_template("write_form.html").render(
            spec=spec,
            label=label,
            anchor=re.sub(r"[^A-Za-z0-9_-]", "_", anchor),
            csrf=signed_in.csrf,
            message_id=message_id or str(uuid.uuid4()),
            return_to=return_to,
            fixed=fixed,
            values=values,
            errors=errors or {},
            general=general or [],
        )
    )


async def fill(
    page: str,
    signed_in: SignedIn | None,
    parents: Callable[[], Awaitable[Mapping[str, str | None]]],
    here: str,
) -> str:
    """``page`` with each form slot filled for ``signed_in``, or emptied. ``parents``
    (each unit's parent) is read only when a form may show."""
    if "<!--skriv " not in page:
        return page
    if signed_in is None:
        return SLOT.sub("", page)
    tree = await parents()
    filled: list[str] = []
    last = 0
    for match in SLOT.finditer(page):
        filled.append(page[last : match.start()])
        filled.append(_filled(match.group(1), signed_in, tree, here))
        last = match.end()
    filled.append(page[last:])
    return "".join(filled)


def _filled(encoded: str, signed_in: SignedIn, tree: Mapping[str, str | None], here: str) -> str:
    data = read_slot(encoded)
    if data is None:
        return ""
    spec = FORMS.get(data.get("form", ""))
    if spec is None or not may_use(spec, signed_in.principal, data["unit"], tree):
        return ""
    return render_form(
        spec, signed_in, data["fixed"], data["values"], here, label=data.get("label", "")
    )
