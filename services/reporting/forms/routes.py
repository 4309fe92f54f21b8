"""POST /skriv/{form}: a page's form, sent on to the service that owns its command.

Reporting writes nothing itself. It checks that the post is the signed-in person's own
(from this site, with the session's CSRF token, with no field the form does not have, such
as another actor), then sends the command to the owning service's HTTP endpoint with the
person's access token: the service decides, stores the person as the actor, and refuses
what it would refuse over the API. Accepted, the browser goes back to the page (303); a
form sent twice carries the same message id, so the second is recognised as stored.
Refused, the form comes back with the service's reasons beside its fields, as typed.
"""

import re
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from plumbing.read_models import ReadModels
from plumbing.requests import DUPLICATE
from services.reporting.forms.page import PersonalPages
from services.reporting.forms.shown import until_shown
from services.reporting.forms.slots import render_form
from services.reporting.forms.specs import FORMS, FormSpec
from services.reporting.reports.shared.pages import PAGES
from services.reporting.signin.routes import local_path
from services.reporting.signin.sessions import Sessions, SignedIn, refused

CARRIED = frozenset({"csrf", "message_id", "return_to"})
NOT_SIGNED_IN = "Du är inte inloggad (eller inloggningen har gått ut): logga in och skicka igen."


@dataclass(frozen=True)
class FormPage:
    """The view of base.html for a form sent back: its title, why, the form, the way back."""

    title: str
    reason: str
    form: Markup
    back: str
    parked: int = 0


def _problems(answer: httpx.Response) -> list[dict[str, str]]:
    try:
        body: Any = answer.json()
    except ValueError:
        body = None
    found = body.get("problems") if isinstance(body, dict) else None
    if isinstance(found, list) and found:
        return [p for p in found if isinstance(p, dict)]
    return [{"field": "", "message": f"tjänsten svarade {answer.status_code}"}]


def _as_sent(spec: FormSpec, name: str, value: str) -> str:
    """A number as a Swede types it ("1 234,5") as the contract takes it ("1234.5"); the
    service refuses, in Swedish, whatever is still no number."""
    if any(f.name == name and f.kind == "number" for f in spec.fields):
        return re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")
    return value


def add_forms(
    app: FastAPI,
    sessions: Sessions,
    personal: PersonalPages,
    models: ReadModels,
    service_urls: dict[str, str],
) -> None:
    router = APIRouter(include_in_schema=False)

    async def page(request: Request, view: FormPage, status: int) -> Response:
        html, headers = await personal(
            request, PAGES.get_template("form_page.html").render(view=view)
        )
        return HTMLResponse(html, status_code=status, headers=headers)

    def sent_back(
        spec: FormSpec, signed_in: SignedIn, posted: dict[str, str], problems: list[dict[str, str]]
    ) -> FormPage:
        typed = {f.name: posted.get(f.name, "") for f in spec.fields}
        errors: dict[str, str] = {}
        general: list[str] = []
        for problem in problems:
            field, message = str(problem.get("field", "")), str(problem.get("message", ""))
            if field in typed:
                errors[field] = f"{errors[field]}; {message}" if field in errors else message
            else:
                general.append(f"{field}: {message}" if field else message)
        fixed = {name: posted.get(name, "") for name in spec.fixed}
        back = local_path(posted.get("return_to"))
        form = render_form(
            spec, signed_in, fixed, typed, back,
            message_id=posted.get("message_id"), errors=errors, general=general,
        )  # fmt: skip
        about = ", ".join(value for value in fixed.values() if value)
        return FormPage(spec.title, f"Tjänsten tog inte emot formuläret ({about}):", form, back)

    @router.post("/skriv/{form}")
    async def write(form: str, request: Request) -> Response:
        spec = FORMS.get(form)
        if spec is None:
            return HTMLResponse("Formuläret finns inte", status_code=404)
        signed_in = await sessions.signed_in(request)
        if signed_in is None:
            view = FormPage(spec.title, NOT_SIGNED_IN, Markup(""), "/")
            return await page(request, view, 401)
        reason = await refused(request, signed_in)
        posted = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        strange = sorted(set((await request.form()).keys()) - spec.names - CARRIED)
        if strange:
            reason = "formuläret har fält som inte hör till det: " + ", ".join(strange)
        if reason is not None:
            # Nothing is sent: the form is not shown again, since it is not the person's own.
            view = FormPage(spec.title, f"Formuläret togs inte emot: {reason}.", Markup(""), "/")
            return await page(request, view, 403)
        body = {
            name: _as_sent(spec, name, value)
            for name, value in posted.items()
            if name not in CARRIED and value.strip()
        }
        body["message_id"] = posted.get("message_id", "")
        async with httpx.AsyncClient(timeout=30) as client:
            answer = await client.post(
                f"{service_urls[spec.service].rstrip('/')}/api/{spec.command}",
                json=body,
                headers={"Authorization": f"Bearer {signed_in.access_token}"},
            )
        problems = [] if answer.status_code == 201 else _problems(answer)
        if all(p.get("message") == DUPLICATE for p in problems):
            if not problems:
                await until_shown(models, spec.service, answer.json().get("event_ids", []))
            back = local_path(posted.get("return_to"))
            return RedirectResponse(back, status_code=303)
        view = sent_back(spec, signed_in, posted, problems)
        return await page(request, view, answer.status_code if answer.status_code >= 400 else 422)

    app.include_router(router)
