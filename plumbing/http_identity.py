"""The caller of an HTTP route, as FastAPI dependencies, and how a refusal of it is answered.

401 (with ``WWW-Authenticate: Bearer``) when there is no token or it cannot be trusted, 403
when the caller is known but lacks the role; both in the shape of ``refusal``.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, Protocol

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from contracts.rejection import Problem
from plumbing.http_screening import refusal
from plumbing.identity import NO_PROVIDER, NO_TOKEN, NotAuthenticated, Principal, Role, Verifier
from plumbing.settings import ServiceSettings

_bearer = HTTPBearer(
    auto_error=False,
    description="En token från kommunens identitetsleverantör (OpenID Connect)",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class Forbidden(Exception):
    """A known caller without the right; the message says which, in Swedish."""


def forbidden(message: str) -> JSONResponse:
    return refusal([Problem(field="", message=message)], 403)


def not_authenticated(message: str) -> JSONResponse:
    response = refusal([Problem(field="", message=message)], 401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="kommunplan"'
    return response


def identity_refusal(error: NotAuthenticated | Forbidden) -> JSONResponse:
    """401 for a caller that cannot be trusted, 403 for one without the right."""
    if isinstance(error, NotAuthenticated):
        return not_authenticated(str(error))
    return forbidden(str(error))


def answer_identity_refusals(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def unknown(_: Request, error: NotAuthenticated) -> JSONResponse:
        return identity_refusal(error)

    @app.exception_handler(Forbidden)
    async def refused(_: Request, error: Forbidden) -> JSONResponse:
        return identity_refusal(error)


def lacks(role: Role) -> str:
    return f"inloggningen saknar rollen {role.value}, som krävs här"


class SessionLookup(Protocol):
    """People signed in in the browser (reporting's sessions): the principal a request's
    session names, or None; for a request that writes, only with its CSRF token."""

    async def principal(self, request: Request) -> Principal | None: ...


class Access:
    """Who may call which routes of one app: writers, readers of views, operators. A
    caller shows a token, or, where ``sessions`` is given, a signed-in session."""

    def __init__(
        self, verifier: Verifier, open_views: bool, sessions: SessionLookup | None = None
    ) -> None:
        self._verifier = verifier
        self._open_views = open_views
        self._sessions = sessions

    def with_sessions(self, sessions: SessionLookup) -> "Access":
        return Access(self._verifier, self._open_views, sessions)

    @property
    def verifier(self) -> Verifier:
        return self._verifier

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> "Access":
        return cls(Verifier.from_settings(settings), settings.open_views)

    async def _caller(
        self, request: Request, credentials: HTTPAuthorizationCredentials | None
    ) -> Principal | None:
        if credentials is None:
            if self._sessions is None:
                return None
            return await self._sessions.principal(request)
        # Off the event loop: with a JWKS URL, an unseen key is fetched over HTTP.
        return await asyncio.to_thread(self._verifier.verify, credentials.credentials)

    def authenticated(self) -> Callable[..., Awaitable[Principal]]:
        """A dependency: the caller, who must show a valid token."""

        async def caller(request: Request, credentials: Credentials) -> Principal:
            if not self._verifier.configured:
                raise NotAuthenticated(NO_PROVIDER)
            principal = await self._caller(request, credentials)
            if principal is None:
                raise NotAuthenticated(NO_TOKEN)
            return principal

        return caller

    def with_role(self, role: Role) -> Callable[..., Awaitable[Principal]]:
        """A dependency: the caller, who must have ``role``."""
        authenticated = self.authenticated()

        async def caller(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
            if not principal.has(role):
                raise Forbidden(lacks(role))
            return principal

        return caller

    def viewer(self) -> Callable[..., Awaitable[Principal | None]]:
        """A dependency for read views: the caller, or None for an anonymous reader while
        views are open. Whoever it returns may read; only a principal with a role sees
        drafts (see ``sees_drafts``)."""

        async def caller(request: Request, credentials: Credentials) -> Principal | None:
            signed_in = None
            if credentials is None and self._sessions is not None:
                signed_in = await self._sessions.principal(request)
            if credentials is None and signed_in is None and self._open_views:
                return None
            if not self._verifier.configured:
                raise NotAuthenticated(NO_PROVIDER)
            principal = signed_in or await self._caller(request, credentials)
            if principal is None:
                raise NotAuthenticated(NO_TOKEN)
            if not principal.reads and not self._open_views:
                raise Forbidden(lacks(Role.READER))
            return principal

        return caller

    async def refuse_viewer(self, request: Request) -> JSONResponse | None:
        """The answer ``viewer`` would give ``request``'s caller (401 or 403), or None when
        it may read: for an answer given before the route's dependencies run, such as a
        kept one, which must not outlive the token it was kept for."""
        try:
            await self.viewer()(request, await _bearer(request))
        except (NotAuthenticated, Forbidden) as error:
            return identity_refusal(error)
        return None


def sees_drafts(principal: Principal | None) -> bool:
    """Drafts are the organisation's own work in progress: only for a caller with a role."""
    return principal is not None and principal.reads
