"""People in the browser, wired into reporting's app when a provider is named
(ReportingSettings.signin_issuer): sessions beside tokens for the views, the sign-in routes,
the sign-in bar and forms on every page, and the forms' route."""

from collections.abc import Callable
from urllib.parse import urlencode

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from plumbing.http_identity import Access, identity_refusal
from plumbing.identity import NotAuthenticated
from plumbing.read_models import ReadModels
from services.reporting.forms.page import PersonalPages
from services.reporting.forms.routes import add_forms
from services.reporting.settings import ReportingSettings
from services.reporting.signin.routes import add_signin
from services.reporting.signin.sessions import Sessions


def browser_access(
    settings: ReportingSettings, pool: asyncpg.Pool, models: ReadModels
) -> tuple[Access, Callable[[FastAPI], None]]:
    """Who may read the views (tokens, and sessions where people sign in), and what adds
    sign-in and the forms to the app made with it."""
    access = Access.from_settings(settings)
    if not settings.signin_issuer:
        return access, lambda _: None
    sessions = Sessions(pool, access.verifier, settings.session_cookie_secure)

    def add(app: FastAPI) -> None:
        add_signin(app, settings, sessions)
        send_to_sign_in(app)
        personal = PersonalPages(sessions, models, settings.signin_local)
        app.state.personal_page = personal
        add_forms(app, sessions, personal, models, settings.service_urls)

    return access.with_sessions(sessions), add


def send_to_sign_in(app: FastAPI) -> None:
    """A page that needs a signed-in person sends a browser without one to sign in, and
    back; an API caller gets the 401 it always did."""

    @app.exception_handler(NotAuthenticated)
    async def unknown(request: Request, error: NotAuthenticated) -> Response:
        wants_page = "text/html" in request.headers.get("accept", "")
        if request.method == "GET" and wants_page and not request.url.path.startswith("/api/"):
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/logga-in?{urlencode({'till': here})}", status_code=303)
        return identity_refusal(error)
