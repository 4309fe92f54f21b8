"""People in the browser, wired into reporting's app when a provider is named
(ReportingSettings.signin_issuer): sessions beside tokens for the views, the sign-in routes,
the sign-in bar and forms on every page, and the forms' route."""

from collections.abc import Callable

import asyncpg
from fastapi import FastAPI

from plumbing.http_identity import Access
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
        personal = PersonalPages(sessions, models, settings.signin_local)
        app.state.personal_page = personal
        add_forms(app, sessions, personal, models, settings.service_urls)

    return access.with_sessions(sessions), add
