"""A local OpenID Connect provider for trying the system: `kommunplan up` runs it when no
municipality's provider is configured, with a few named demo people to sign in as.

It speaks the same authorization code flow with PKCE (S256) as a real provider: a discovery
document, an authorize page, a token endpoint and its keys as JWKS. The id_token is signed
with the stack's local key (local_identity), and so is the access token, which carries the
same claims as a token from `kommunplan token`: the services trust it as they trust those.
Codes live in memory for a minute and are used once; nothing here is for production.
"""

import base64
import functools
import hashlib
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jwt
import uvicorn
from fastapi import FastAPI, Form, HTTPException, Query
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from markupsafe import escape

from kommunplan import local_identity
from plumbing.service import QuietServer

CLIENT_ID = "kommunplan-webb"
CODE_SECONDS = 60
LOCAL_NOTICE = "Lokal identitetsleverantör för att prova Kommunplan: inte kommunens inloggning."


@dataclass(frozen=True)
class Person:
    subject: str
    name: str
    roles: tuple[str, ...]
    units: tuple[str, ...]
    described: str


PEOPLE = (
    Person("anna.klf", "Anna Andersson", ("controller",), ("KLF",),
           "Controller för Kommunledningsförvaltningen (KLF)"),
    Person("nils.nat", "Nils Nilsson", ("controller",), ("NÄT",),
           "Controller för Näringsliv och tillväxt (NÄT)"),
    Person("petra.plan", "Petra Persson", ("planner",), ("*",),
           "Planerare för hela kommunen"),
    Person("olle.drift", "Olle Olsson", ("operator",), ("*",), "Driftansvarig"),
    Person("lisa.las", "Lisa Larsson", ("reader",), (), "Läsare"),
)  # fmt: skip
BY_SUBJECT = {person.subject: person for person in PEOPLE}


@dataclass(frozen=True)
class _Grant:
    person: Person
    redirect_uri: str
    challenge: str
    nonce: str | None
    expires: float


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def create_provider(issuer: str, data_dir: Path, redirect_uris: list[str]) -> FastAPI:
    """The provider at ``issuer`` (its own base URL), for the one client, kommunplan-webb,
    which may be sent back only to one of ``redirect_uris``."""
    key = local_identity.ensure_key(data_dir)
    grants: dict[str, _Grant] = {}
    app = FastAPI(title="Lokal identitetsleverantör", docs_url=None, redoc_url=None)

    def check_client(client_id: str, redirect_uri: str) -> None:
        if client_id != CLIENT_ID or redirect_uri not in redirect_uris:
            raise HTTPException(400, "okänd klient eller återadress")

    @app.get("/.well-known/openid-configuration")
    async def discovery() -> dict[str, Any]:
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "jwks_uri": f"{issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [local_identity.ALGORITHM],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "scopes_supported": ["openid", "profile"],
            "claims_supported": ["sub", "name", "roles", "units"],
        }

    @app.get("/jwks")
    async def jwks() -> dict[str, Any]:
        public = jwt.algorithms.ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": local_identity.KEY_ID, "alg": "ES256", "use": "sig"}]}

    @app.get("/authorize", response_class=HTMLResponse)
    async def authorize(
        client_id: str,
        redirect_uri: str,
        state: str,
        code_challenge: str,
        response_type: str = "code",
        code_challenge_method: str = "plain",
        nonce: str | None = None,
        scope: Annotated[str, Query()] = "",
    ) -> HTMLResponse:
        check_client(client_id, redirect_uri)
        if response_type != "code" or code_challenge_method != "S256":
            raise HTTPException(400, "endast code med PKCE (S256) stöds")
        kept = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": code_challenge,
            "nonce": nonce or "",
        }
        return HTMLResponse(_sign_in_page(kept))

    @app.post("/authorize")
    async def choose(
        person: Annotated[str, Form()],
        client_id: Annotated[str, Form()],
        redirect_uri: Annotated[str, Form()],
        state: Annotated[str, Form()],
        code_challenge: Annotated[str, Form()],
        nonce: Annotated[str, Form()] = "",
    ) -> RedirectResponse:
        check_client(client_id, redirect_uri)
        if person not in BY_SUBJECT:
            raise HTTPException(400, "okänd person")
        code = secrets.token_urlsafe(32)
        grants[code] = _Grant(
            BY_SUBJECT[person], redirect_uri, code_challenge, nonce or None,
            time.monotonic() + CODE_SECONDS,
        )  # fmt: skip
        return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", 303)

    @app.post("/token")
    async def token(
        grant_type: Annotated[str, Form()],
        code: Annotated[str, Form()],
        redirect_uri: Annotated[str, Form()],
        client_id: Annotated[str, Form()],
        code_verifier: Annotated[str, Form()],
    ) -> JSONResponse:
        grant = grants.pop(code, None)  # once only, whatever follows
        if (
            grant_type != "authorization_code"
            or grant is None
            or grant.expires < time.monotonic()
            or grant.redirect_uri != redirect_uri
            or client_id != CLIENT_ID
            or not secrets.compare_digest(_s256(code_verifier), grant.challenge)
        ):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        return JSONResponse(_tokens(key, issuer, grant), headers={"Cache-Control": "no-store"})

    return app


def _tokens(key: Any, issuer: str, grant: _Grant) -> dict[str, Any]:
    person, seconds = grant.person, 8 * 3600
    signed = functools.partial(
        local_identity.sign,
        key,
        subject=person.subject,
        roles=list(person.roles),
        units=list(person.units),
        name=person.name,
        seconds=seconds,
    )
    # The id_token tells this site who signed in; its nonce ties it to the sign-in asked for.
    extra: dict[str, Any] = {"auth_time": int(time.time())}
    extra |= {"nonce": grant.nonce} if grant.nonce else {}
    return {
        # What the services check, as they check `kommunplan token`'s.
        "access_token": signed(issuer=local_identity.ISSUER, audience=local_identity.AUDIENCE),
        "token_type": "Bearer",
        "expires_in": seconds,
        "id_token": signed(issuer=issuer, audience=CLIENT_ID, **extra),
        "scope": "openid profile",
    }


def _sign_in_page(kept: dict[str, str]) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{escape(value)}">'
        for name, value in kept.items()
    )
    people = "".join(
        f'<li><form method="post" action="/authorize">{hidden}'
        f'<button type="submit" name="person" value="{escape(p.subject)}">'
        f"Logga in som {escape(p.name)}</button> <span>{escape(p.described)}</span></form></li>"
        for p in PEOPLE
    )
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        "<title>Logga in (lokal identitetsleverantör)</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;"
        "padding:0 1rem}.local{border:2px solid #9a1c00;color:#9a1c00;padding:.4rem .6rem}"
        "li{margin:.6rem 0}button{font-size:1rem;margin-right:.6rem}</style></head><body>"
        f'<p class="local" role="note">{LOCAL_NOTICE}</p><h1>Logga in</h1>'
        "<p>Välj vem du vill vara. Rollerna och enheterna är desamma som i API:ts token.</p>"
        f'<ul class="people">{people}</ul></body></html>'
    )


def serve_in_thread(app: FastAPI, host: str, port: int) -> uvicorn.Server:
    """Serve ``app`` beside `up`'s supervision, in a thread that ends with the process."""
    # QuietServer: uvicorn's own loop would wake `up` ten times a second for it.
    server = QuietServer(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    threading.Thread(target=server.run, name="lokal-idp", daemon=True).start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return server


def start_local(data_dir: Path, host: str, port: int, reporting_url: str) -> dict[str, str]:
    """Run the local provider for the site at ``reporting_url``; reporting's settings for
    signing in with it."""
    from services.reporting.signin.sessions import CALLBACK

    issuer = f"http://{host}:{port}"
    serve_in_thread(create_provider(issuer, data_dir, [reporting_url + CALLBACK]), host, port)
    return {
        "KOMMUNPLAN_SIGNIN_ISSUER": issuer,
        "KOMMUNPLAN_SIGNIN_CLIENT_ID": CLIENT_ID,
        "KOMMUNPLAN_SIGNIN_LOCAL": "true",
    }


def provider_configured(environment: Mapping[str, str]) -> bool:
    """Whether the municipality's provider is named: then `up` runs no local one, and
    leaves the services' identity settings as given."""
    return bool(environment.get("KOMMUNPLAN_SIGNIN_ISSUER"))
