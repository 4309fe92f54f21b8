"""Who is signed in in the browser: a session kept in reporting's database, named by an
HttpOnly, SameSite cookie, and read back as the same Principal an API token gives.

The session keeps the person's access token from the identity provider and checks it with
the services' own Verifier on every request: the roles and units on a page are those the
token gives in the API, and a token that has expired ends the session with it. Only a hash
of the cookie's value is stored, so reading the table opens no session.
"""

import asyncio
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
from starlette.requests import Request
from starlette.responses import Response

from plumbing.identity import NotAuthenticated, Principal, Verifier

COOKIE = "kommunplan_session"
CALLBACK = "/inloggning/svar"  # where the provider sends the browser back with its code
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class SignedIn:
    """A signed-in person: who (from the access token), the token the forms send with their
    commands, and the session's CSRF token, which every form carries back."""

    principal: Principal
    access_token: str
    csrf: str


def _hash(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


class Sessions:
    def __init__(self, pool: asyncpg.Pool, verifier: Verifier, secure: bool | None) -> None:
        """``secure``: whether the cookie is sent over TLS only; None: when the request
        that starts the session came over https."""
        self._pool = pool
        self._verifier = verifier
        self._secure = secure

    @property
    def verifier(self) -> Verifier:
        return self._verifier

    async def start(
        self, response: Response, request: Request, access_token: str, until: datetime
    ) -> None:
        """Start a session for ``access_token`` until ``until`` and set its cookie."""
        value = secrets.token_urlsafe(32)
        async with self._pool.acquire() as conn:
            # Sessions over for a day are of no use to anyone: cleared as new ones start.
            await conn.execute(
                "DELETE FROM signin_sessions WHERE expires_at < now() - interval '1 day'"
                " OR ended_at < now() - interval '1 day'"
            )
            await conn.execute(
                "INSERT INTO signin_sessions (id_hash, access_token, csrf, expires_at)"
                " VALUES ($1, $2, $3, $4)",
                _hash(value),
                access_token,
                secrets.token_urlsafe(32),
                until,
            )
        secure = request.url.scheme == "https" if self._secure is None else self._secure
        response.set_cookie(
            COOKIE,
            value,
            max_age=max(1, int((until - datetime.now(UTC)).total_seconds())),
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
        )

    async def signed_in(self, request: Request) -> SignedIn | None:
        """The person ``request``'s cookie names, or None: no cookie, an ended or expired
        session, or a token the services would no longer take. Read once per request."""
        if "signed_in" in request.state._state:
            found: SignedIn | None = request.state.signed_in
            return found
        found = await self._look_up(request.cookies.get(COOKIE))
        request.state.signed_in = found
        return found

    async def _look_up(self, value: str | None) -> SignedIn | None:
        if not value:
            return None
        async with self._pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT access_token, csrf FROM signin_sessions WHERE id_hash = $1"
                " AND ended_at IS NULL AND expires_at > now()",
                _hash(value),
            )
        if row is None:
            return None
        try:
            principal = await asyncio.to_thread(self._verifier.verify, row["access_token"])
        except NotAuthenticated:
            return None
        return SignedIn(principal, row["access_token"], row["csrf"])

    async def end(self, request: Request, response: Response) -> None:
        """Sign out: the session ends here, whatever copy of the cookie is left anywhere."""
        value = request.cookies.get(COOKIE)
        if value:
            async with self._pool.acquire() as conn:
                await conn.execute(
                    "UPDATE signin_sessions SET ended_at = now()"
                    " WHERE id_hash = $1 AND ended_at IS NULL",
                    _hash(value),
                )
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")

    async def principal(self, request: Request) -> Principal | None:
        """For plumbing.http_identity.Access: the signed-in person, for a request that
        cannot write (GET), or for one that carries the session's CSRF token from its own
        origin (guard); anyone else is no one."""
        signed_in = await self.signed_in(request)
        if signed_in is None:
            return None
        if request.method not in SAFE_METHODS and await refused(request, signed_in):
            return None
        return signed_in.principal


def session_until(hours: float, token_expires_at: float | None) -> datetime:
    """A session lasts ``hours``, and never beyond its access token."""
    until = datetime.now(UTC) + timedelta(hours=hours)
    if token_expires_at:
        until = min(until, datetime.fromtimestamp(token_expires_at, UTC))
    return until


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


async def refused(request: Request, signed_in: SignedIn) -> str | None:
    """Why a form posted with ``request`` is not the signed-in person's own doing, in
    Swedish, or None when it is: it must come from a page of this site (its Origin) and
    carry the session's CSRF token, which no other site or session can read."""
    if request.headers.get("origin") != own_origin(request):
        return "formuläret skickades inte från en sida på den här webbplatsen"
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, signed_in.csrf):
        return "formulärets kontrolltecken saknas eller hör till en annan inloggning"
    return None
