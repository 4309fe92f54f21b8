"""`up`'s local OpenID provider speaks the code flow with PKCE as a real one does: it sends
back only to its client's address, takes a code once and only with the verifier of its
challenge, and signs an id_token for the client and an access token the services take."""

import base64
import hashlib
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import jwt
from fastapi.testclient import TestClient

from kommunplan import local_identity
from kommunplan.local_provider import CLIENT_ID, create_provider
from plumbing.identity import Verifier, _FixedKey

ISSUER = "http://127.0.0.1:8010"
BACK = "http://127.0.0.1:8000/inloggning/svar"


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _code(client: TestClient, challenge: str, person: str = "anna.klf") -> str:
    chosen = client.post(
        "/authorize",
        data={
            "person": person,
            "client_id": CLIENT_ID,
            "redirect_uri": BACK,
            "state": "s1",
            "code_challenge": challenge,
            "nonce": "n1",
        },
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    query = parse_qs(urlparse(chosen.headers["location"]).query)
    assert query["state"] == ["s1"]
    return query["code"][0]


def _token(client: TestClient, code: str, verifier: str) -> tuple[int, dict[str, str]]:
    answer = client.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": BACK,
            "client_id": CLIENT_ID,
            "code_verifier": verifier,
        },
    )
    body: dict[str, str] = answer.json()
    return answer.status_code, body


def test_the_code_flow_with_pkce_gives_tokens_once_and_only_to_the_verifier(
    tmp_path: Path,
) -> None:
    client = TestClient(create_provider(ISSUER, tmp_path, [BACK]))
    discovery = client.get("/.well-known/openid-configuration").json()
    assert discovery["issuer"] == ISSUER
    assert discovery["code_challenge_methods_supported"] == ["S256"]

    asked = {"client_id": CLIENT_ID, "redirect_uri": BACK, "state": "s1"}
    plain = client.get("/authorize", params=asked | {"code_challenge": "x"})
    assert plain.status_code == 400  # no PKCE with S256, no sign-in
    elsewhere = asked | {"redirect_uri": "http://annan.example/", "code_challenge": "x"}
    assert (
        client.get("/authorize", params=elsewhere | {"code_challenge_method": "S256"}).status_code
        == 400
    )
    page = client.get(
        "/authorize", params=asked | {"code_challenge": "x", "code_challenge_method": "S256"}
    )
    assert "Anna Andersson" in page.text and "Lokal identitetsleverantör" in page.text

    verifier = secrets.token_urlsafe(48)
    code = _code(client, _challenge(verifier))
    assert _token(client, code, secrets.token_urlsafe(48))[0] == 400
    assert _token(client, code, verifier)[0] == 400  # a code tried once is spent

    code = _code(client, _challenge(verifier))
    status, tokens = _token(client, code, verifier)
    assert status == 200
    assert _token(client, code, verifier)[0] == 400

    keys = jwt.PyJWKSet.from_dict(client.get("/jwks").json())
    identity = jwt.decode(
        tokens["id_token"],
        keys.keys[0].key,
        algorithms=["ES256"],
        audience=CLIENT_ID,
        issuer=ISSUER,
    )
    assert identity["sub"] == "anna.klf" and identity["nonce"] == "n1"

    key = local_identity.ensure_key(tmp_path).public_key()
    services = Verifier(_FixedKey(key), local_identity.ISSUER, local_identity.AUDIENCE)
    principal = services.verify(tokens["access_token"])
    assert (principal.subject, principal.roles, principal.units) == (
        "anna.klf",
        frozenset({"controller"}),
        frozenset({"KLF"}),
    )
