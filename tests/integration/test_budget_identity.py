"""Every HTTP write is made by a known identity with the right to make it, and it is the
identity, never the body, that is stored as the actor."""

import contextlib
import json
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import asyncpg
import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts import subjects
from plumbing.database import create_pool
from plumbing.http_identity import Access
from plumbing.identity import Verifier
from plumbing.migrations import migrate
from plumbing.postgres_eventstore import MIGRATIONS, PostgresEventStore
from plumbing.settings import ServiceSettings, WriteServiceSettings
from services.budget import bootstrap as budget_service
from services.budget.entrypoints.http import create_app
from tests.conftest import count, eventually
from tests.servers import Servers
from tests.system import running_budget
from tests.tokens import KEY_ID, bearer, identity_settings, signing_key, token

TREE = [
    {"unit_code": "KS", "name": "Kommunstyrelsen", "kind": "board"},
    {
        "unit_code": "KLF",
        "name": "Kommunledningsförvaltningen",
        "kind": "administration",
        "parent_code": "KS",
    },
    {"unit_code": "IT", "name": "IT-kontor", "kind": "unit", "parent_code": "KLF"},
    {
        "unit_code": "NAT",
        "name": "Näringsliv och tillväxt",
        "kind": "administration",
        "parent_code": "KS",
    },
]


def actuals(unit: str = "IT", **fields: object) -> dict[str, object]:
    return {"unit_code": unit, "period": "2011-03", "revenue": "100", "costs": "-50", **fields}


async def app_client(
    database: str, access: Access, **client: Any
) -> tuple[asyncpg.Pool, httpx.AsyncClient]:
    pool = await create_pool(database)
    async with pool.acquire() as conn:
        await migrate(conn, MIGRATIONS)
    handler = budget_service.PARTS.handler(WriteServiceSettings(), PostgresEventStore(pool))
    app = create_app(handler, access)
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://budget", **client
    )
    return pool, http


@contextlib.asynccontextmanager
async def budget_over_http(database: str, access: Access) -> AsyncIterator[httpx.AsyncClient]:
    pool, http = await app_client(database, access)
    try:
        for unit in TREE:
            response = await http.post(
                "/api/register-unit",
                json={**unit, "effective_on": "2011-01-01"},
                headers=bearer("planner"),
            )
            assert response.status_code == 201, response.text
        yield http
    finally:
        await http.aclose()
        await pool.close()


def with_tokens(open_views: bool = True) -> Access:
    return Access.from_settings(ServiceSettings(**identity_settings(), open_views=open_views))


@pytest.fixture
async def client(budget_database: str) -> AsyncIterator[httpx.AsyncClient]:
    async with budget_over_http(budget_database, with_tokens()) as http:
        yield http


async def stored_actuals(database: str) -> int:
    return await count(database, "SELECT count(*) FROM events WHERE event_type = 'ActualsRecorded'")


def refused_as(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["fel"] == "Begäran kunde inte tas emot"
    assert words in body["problems"][0]["message"]


def unsigned(*roles: str) -> str:
    """The token of ``token(*roles)`` with its signature taken off and "alg": "none"."""
    claims = jwt.decode(token(*roles), options={"verify_signature": False})
    return jwt.encode(claims, None, algorithm="none")


STRANGER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({}, "saknar inloggning"),
        ({"Authorization": "Basic YWRtaW46YWRtaW4="}, "saknar inloggning"),
        (bearer("controller", seconds=-120), "gått ut"),
        (bearer("controller", audience="another-system"), "aud"),
        (bearer("controller", key=STRANGER), "signatur"),
        ({"Authorization": f"Bearer {unsigned('controller')}"}, "algoritm"),
    ],
    ids=["none", "basic", "expired", "audience", "signature", "alg-none"],
)
async def test_a_write_without_a_trusted_token_is_refused_with_401_and_nothing_stored(
    client: httpx.AsyncClient, budget_database: str, headers: dict[str, str], words: str
) -> None:
    response = await client.post("/api/record-actuals", json=actuals(), headers=headers)
    refused_as(response, 401, words)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert await stored_actuals(budget_database) == 0


async def test_with_no_identity_provider_every_write_is_refused(budget_database: str) -> None:
    pool, http = await app_client(budget_database, Access(Verifier(None), open_views=True))
    async with http:
        response = await http.post("/api/record-actuals", json=actuals(), headers=bearer("planner"))
        refused_as(response, 401, "ingen identitetsleverantör")
        assert (await http.get("/api/units")).status_code == 200
    await pool.close()


@pytest.mark.parametrize(
    ("path", "body", "roles", "units", "words"),
    [
        ("/api/record-actuals", actuals(), ("reader",), ("*",), "kräver rollen"),
        ("/api/record-actuals", actuals(), ("operator",), ("*",), "kräver rollen"),
        ("/api/record-actuals", actuals("NAT"), ("controller",), ("KLF",), "får inte skriva"),
        (
            "/api/register-unit",
            {
                "unit_code": "NEW",
                "name": "Ny",
                "kind": "unit",
                "parent_code": "IT",
                "effective_on": "2011-01-01",
            },
            ("controller",),
            ("*",),
            "kräver rollen planner",
        ),
        (
            "/api/rename-unit",
            {"unit_code": "NAT", "name": "NoT", "effective_on": "2011-02-01"},
            ("planner",),
            ("KLF",),
            "får inte skriva",
        ),
    ],
    ids=["reader", "operator", "outside-units", "controller-registers", "planner-outside"],
)
async def test_a_write_outside_the_role_or_the_units_is_refused_with_403_and_nothing_stored(
    client: httpx.AsyncClient,
    budget_database: str,
    path: str,
    body: dict[str, object],
    roles: tuple[str, ...],
    units: tuple[str, ...],
    words: str,
) -> None:
    before = await count(budget_database, "SELECT count(*) FROM events")
    response = await client.post(path, json=body, headers=bearer(*roles, units=units))
    refused_as(response, 403, words)
    assert await count(budget_database, "SELECT count(*) FROM events") == before


async def test_a_controller_writes_for_a_unit_under_its_own_and_is_the_stored_actor(
    client: httpx.AsyncClient, budget_database: str
) -> None:
    headers = bearer("controller", units=("KLF",), subject="sven.k", name="Sven Karlsson")
    response = await client.post(
        "/api/record-actuals", json=actuals("IT", actor="someone.else"), headers=headers
    )
    assert response.status_code == 201, response.text
    (event_id,) = response.json()["event_ids"]
    conn = await asyncpg.connect(budget_database)
    try:
        metadata = json.loads(
            await conn.fetchval("SELECT metadata FROM events WHERE event_id = $1", event_id)
        )
    finally:
        await conn.close()
    assert (metadata["actor"], metadata["actor_name"]) == ("sven.k", "Sven Karlsson")
    assert metadata["source_system"] == "http"


async def test_the_documentation_does_not_ask_for_an_actor(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    schema = document["components"]["schemas"]["RecordActuals"]
    assert "actor" not in schema["required"]
    assert "bearer" in json.dumps(document["components"]["securitySchemes"]).lower()


async def test_reading_the_units_needs_a_role_only_when_views_are_closed(
    budget_database: str,
) -> None:
    async with budget_over_http(budget_database, with_tokens(open_views=False)) as http:
        assert (await http.get("/api/units")).status_code == 401
        refused_as(await http.get("/api/units", headers=bearer("janitor")), 403, "reader")
        assert (await http.get("/api/units", headers=bearer("reader"))).status_code == 200


async def test_api_documentation_pages_carry_the_security_headers(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/docs")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"


async def test_the_envelope_on_nats_names_the_identity(
    servers: Servers, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> None:
    _, js = nats_client
    async with running_budget(servers.nats_url, budget_database) as budget:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=budget.app), base_url="http://budget"
        ) as http:
            response = await http.post(
                "/api/register-unit",
                json={**TREE[0], "effective_on": "2011-01-01", "actor": "not me"},
                headers=bearer("planner", subject="p.lind", name="Pia Lind"),
            )
        assert response.status_code == 201, response.text

        async def first() -> Any:
            try:
                return await js.get_msg(subjects.BUDGET_EVENTS_STREAM, 1)
            except Exception:
                return None

        message = await eventually(first)
    envelope = json.loads(message.data)["envelope"]
    assert (envelope["actor"], envelope["actor_name"]) == ("p.lind", "Pia Lind")


@contextlib.contextmanager
def serving_jwks() -> Iterator[str]:
    """The provider's JWKS on a local HTTP server, as a provider publishes it."""
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(signing_key().public_key(), as_dict=True)
    document = json.dumps({"keys": [{**jwk, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]})

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(document.encode())

        def log_message(self, *_: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Keys)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    finally:
        server.shutdown()
        thread.join()


async def test_keys_are_taken_from_the_providers_jwks(budget_database: str) -> None:
    with serving_jwks() as url:
        settings = {**identity_settings(), "identity_public_key": None, "identity_jwks_url": url}
        access = Access.from_settings(ServiceSettings(**settings))
        async with budget_over_http(budget_database, access) as http:
            response = await http.post(
                "/api/record-actuals", json=actuals(), headers=bearer("controller")
            )
            assert response.status_code == 201, response.text
            stranger = bearer("controller", key=STRANGER)
            response = await http.post("/api/record-actuals", json=actuals(), headers=stranger)
            assert response.status_code == 401
