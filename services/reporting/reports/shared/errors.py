"""Refusals of the views in Swedish: pydantic's checks of a path or query parameter
translated, an address no view can have (plumbing.http_screening), and, for a browser
asking for a page, an HTML page instead of JSON."""

from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import Scope

from plumbing.http_failures import UNREADABLE_TEXT, UNREADABLE_TEXT_ERRORS, log_unreadable
from plumbing.read_models import NotReady
from plumbing.validation import message_for
from services.reporting.reports.shared.pages import PAGES
from services.reporting.reports.shared.refusals import NotFound, UnknownFilter

NOT_READY = "Rapporterna byggs fortfarande; försök igen strax"

# What a parameter is called in a sentence; the rest go by their own name.
_PARAMETERS = {"year": "Året", "unit_code": "Enhetskoden", "period": "Perioden"}

_TITLES = {
    404: "Finns inte",
    422: "Felaktig begäran",
    503: "Inte klart än",
}


@dataclass(frozen=True)
class ErrorPage:
    status: int
    message: str
    parked: int = 0

    @property
    def title(self) -> str:
        return _TITLES.get(self.status, "Något gick fel")


def validation_message(errors: Sequence[Any]) -> str:
    """pydantic's errors of a request's parameters as one Swedish sentence each."""
    sentences = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("path", "query")]
        name = location[-1] if location else ""
        sentences.append(f"{_PARAMETERS.get(name, name)} {message_for(error)}".strip())
    return "; ".join(sentences)


def _wants_page(request: Request) -> bool:
    # A browser opening a page; scripts and the JSON API keep JSON.
    accept = request.headers.get("accept", "")
    return not request.url.path.startswith("/api/") and "text/html" in accept


# Starlette's own refusals, which carry their English phrase.
_OWN = {404: "Sidan finns inte", 405: "Metoden är inte tillåten här"}


def _in_swedish(request: Request, status: int, detail: str) -> str:
    if detail == HTTPStatus(status).phrase:
        return _OWN.get(status, f"Begäran kunde inte besvaras ({status})")
    per = request.query_params.get("per")
    if status == 404 and per:
        # What is missing was missing then; it may be there now.
        return f"{detail} (per {per})"
    return detail


def _answer(request: Request, status: int, message: str, headers: Any = None) -> Response:
    if _wants_page(request):
        page = PAGES.get_template("error.html").render(view=ErrorPage(status, message))
        return HTMLResponse(page, status_code=status, headers=headers)
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def refused_address(scope: Scope, status: int, message: str) -> Response:
    """The answer to an address refused before any view (plumbing.http_screening)."""
    return _answer(Request(scope), status, message[:1].upper() + message[1:])


def answer_in_swedish(app: FastAPI) -> None:
    """Every refusal of ``app``'s views in Swedish, as a page for a browser."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        return _answer(request, 422, validation_message(error.errors()))

    @app.exception_handler(HTTPException)
    async def refused(request: Request, error: HTTPException) -> Response:
        detail = error.detail if isinstance(error.detail, str) else str(error.detail)
        message = _in_swedish(request, error.status_code, detail)
        return _answer(request, error.status_code, message, getattr(error, "headers", None))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        return _answer(request, 404, _in_swedish(request, 404, error.message))

    @app.exception_handler(UnknownFilter)
    async def unknown_filter(request: Request, error: UnknownFilter) -> Response:
        return _answer(request, 422, str(error))

    @app.exception_handler(NotReady)
    async def not_ready(request: Request, error: NotReady) -> Response:
        return _answer(request, 503, NOT_READY)

    async def unreadable(request: Request, error: Exception) -> Response:
        # Text the screening let through and PostgreSQL still could not take.
        log_unreadable(request, error)
        return _answer(request, 422, UNREADABLE_TEXT[:1].upper() + UNREADABLE_TEXT[1:])

    for kind in UNREADABLE_TEXT_ERRORS:
        app.add_exception_handler(kind, unreadable)
