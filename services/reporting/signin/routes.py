"""Signing in and out: OpenID Connect's authorization code flow with PKCE, through Authlib.

Authlib (its Starlette client) reads the provider's discovery document, makes the state,
nonce and PKCE verifier, keeps them in a short signed cookie for the one round trip, trades
the code for the tokens and checks the id_token (signature against the provider's JWKS,
issuer, audience, expiry, nonce). The session then rests on the access token, checked as
the API checks it (sessions.py), so a page grants what the API grants.
"""

import secrets
import warnings

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import escape
from starlette.middleware.sessions import SessionMiddleware

from plumbing.identity import NotAuthenticated
from services.reporting.settings import ReportingSettings
from services.reporting.signin.sessions import CALLBACK, Sessions, refused, session_until

with warnings.catch_warnings():
    # Authlib's httpx integration announces, on import, a move to a package it does not use
    # yet: nothing to act on, and not worth a line in every log.
    from authlib.deprecate import AuthlibDeprecationWarning

    # After authlib.deprecate, which asks for every such warning always, on import.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.base_client import OAuthError
    from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App

FLOW_COOKIE = "kommunplan_inloggning"
FLOW_SECONDS = 600


def local_path(wanted: str | None, default: str = "/") -> str:
    """``wanted`` if it is a path on this site, else ``default``: a sign-in or a form must
    never send the browser on to another site."""
    if wanted and wanted.startswith("/") and not wanted.startswith(("//", "/\\")):
        return wanted
    return default


def _client(settings: ReportingSettings) -> StarletteOAuth2App:
    assert settings.signin_issuer is not None
    secret = settings.signin_client_secret
    oauth = OAuth()
    oauth.register(
        "kommun",
        client_id=settings.signin_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        server_metadata_url=settings.signin_issuer.rstrip("/")
        + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": settings.signin_scope,
            "code_challenge_method": "S256",
            # A public client proves itself with PKCE alone.
            **({} if secret else {"token_endpoint_auth_method": "none"}),
        },
    )
    client = oauth.create_client("kommun")
    assert isinstance(client, StarletteOAuth2App)
    return client


def add_signin(app: FastAPI, settings: ReportingSettings, sessions: Sessions) -> None:
    """/logga-in, its answer from the provider, and /logga-ut (a form, with its CSRF)."""
    client = _client(settings)
    secret = settings.session_secret
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret.get_secret_value() if secret else secrets.token_urlsafe(32),
        session_cookie=FLOW_COOKIE,
        max_age=FLOW_SECONDS,
        same_site="lax",
        https_only=bool(settings.session_cookie_secure),
    )
    router = APIRouter(include_in_schema=False)

    def callback_url(request: Request) -> str:
        base = settings.public_url or str(request.base_url)
        return base.rstrip("/") + CALLBACK

    @router.get("/logga-in")
    async def sign_in(request: Request, till: str | None = None) -> Response:
        request.session["till"] = local_path(till)
        response: Response = await client.authorize_redirect(request, callback_url(request))
        return response

    @router.get(CALLBACK)
    async def answered(request: Request) -> Response:
        try:
            token = await client.authorize_access_token(request)
            principal = sessions.verifier.verify(token["access_token"])
        except (OAuthError, NotAuthenticated, KeyError) as error:
            return HTMLResponse(_failed(str(error)), status_code=401)
        del principal  # checked: the session rests on a token the services take
        response = RedirectResponse(local_path(request.session.pop("till", None)), 303)
        until = session_until(settings.session_hours, token.get("expires_at"))
        await sessions.start(response, request, token["access_token"], until)
        return response

    @router.post("/logga-ut")
    async def sign_out(request: Request, till: str = Form("/")) -> Response:
        signed_in = await sessions.signed_in(request)
        if signed_in is not None and await refused(request, signed_in):
            return HTMLResponse(_failed("utloggningen kom inte från den här webbplatsen"), 403)
        response = RedirectResponse(local_path(till), 303)
        await sessions.end(request, response)
        return response

    app.include_router(router)


def _failed(reason: str) -> str:
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Inloggningen'
        " misslyckades</title></head><body><h1>Inloggningen misslyckades</h1>"
        f'<p>{escape(reason)}</p><p><a href="/logga-in">Försök igen</a></p></body></html>'
    )
