"""Controllers over HTTP: 201 with the stored event, or 422 naming the field, in Swedish.

The client carries a planner's token for every unit; what a token allows is tested in
test_budget_identity."""

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from plumbing.database import create_pool
from plumbing.http_identity import Access
from plumbing.migrations import migrate
from plumbing.postgres_eventstore import MIGRATIONS, PostgresEventStore
from plumbing.settings import ServiceSettings, WriteServiceSettings
from services.budget import bootstrap as budget_service
from services.budget.entrypoints.http import create_app
from tests.conftest import count
from tests.tokens import bearer, identity_settings


def access() -> Access:
    return Access.from_settings(ServiceSettings(**identity_settings()))


@pytest.fixture
async def client(budget_database: str) -> AsyncIterator[httpx.AsyncClient]:
    pool = await create_pool(budget_database)
    async with pool.acquire() as conn:
        await migrate(conn, MIGRATIONS)
    handler = budget_service.PARTS.handler(WriteServiceSettings(), PostgresEventStore(pool))
    app = create_app(handler, access())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://budget", headers=bearer("planner")
    ) as http:
        for body in (
            {"unit_code": "KS", "name": "Kommunstyrelsen", "kind": "board"},
            {"unit_code": "IT", "name": "IT-kontor", "kind": "unit", "parent_code": "KS"},
        ):
            response = await http.post(
                "/api/register-unit",
                json={**body, "actor": "controller", "effective_on": "2011-01-01"},
            )
            assert response.status_code == 201, response.text
        yield http
    await pool.close()


def figures(**fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "actor": "controller",
        "unit_code": "IT",
        "year": 2011,
        "kind": "budget",
        "status": "adopted",
        "revenue": "36130000",
        "costs": "-36130000",
        "decision": "KS 2010-11-24 § 228",
    }
    body.update(fields)
    return body


async def test_figures_are_stored_and_the_event_id_returned(
    client: httpx.AsyncClient, budget_database: str
) -> None:
    response = await client.post("/api/set-figures", json=figures())
    assert response.status_code == 201
    assert len(response.json()["event_ids"]) == 1
    assert (
        await count(budget_database, "SELECT count(*) FROM events WHERE event_type = 'FiguresSet'")
        == 1
    )


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (figures(unit_code="NOPE"), "unit_code", "finns inte"),
        (figures(revenue="abc"), "revenue", "inte ett tal"),
        (figures(costs=-1.1), "costs", "flyttal"),
        (figures(kind="wish"), "kind", "tillåtna värden"),
        (figures(year=20111), "year", "för stort"),
        ({k: v for k, v in figures().items() if k != "unit_code"}, "unit_code", "saknas"),
    ],
)
async def test_bad_input_gets_422_naming_the_field_in_swedish_and_stores_nothing(
    client: httpx.AsyncClient,
    budget_database: str,
    body: dict[str, object],
    field: str,
    words: str,
) -> None:
    response = await client.post("/api/set-figures", json=body)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [p["field"] for p in problems] == [field]
    assert words in problems[0]["message"]
    assert (
        await count(budget_database, "SELECT count(*) FROM events WHERE event_type = 'FiguresSet'")
        == 0
    )


async def test_the_same_message_id_twice_is_refused_the_second_time(
    client: httpx.AsyncClient, budget_database: str
) -> None:
    body = figures(message_id=str(uuid.uuid4()))
    assert (await client.post("/api/set-figures", json=body)).status_code == 201
    second = await client.post("/api/set-figures", json=body)
    assert second.status_code == 422
    assert second.json()["problems"][0]["field"] == "message_id"
    assert (
        await count(budget_database, "SELECT count(*) FROM events WHERE event_type = 'FiguresSet'")
        == 1
    )


async def test_moving_a_unit_under_its_own_child_is_refused(client: httpx.AsyncClient) -> None:
    await client.post(
        "/api/register-unit",
        json={
            "actor": "c",
            "unit_code": "SUB",
            "name": "Under IT",
            "kind": "unit",
            "parent_code": "IT",
            "effective_on": "2011-01-01",
        },
    )
    response = await client.post(
        "/api/move-unit",
        json={"actor": "c", "unit_code": "IT", "parent_code": "SUB", "effective_on": "2011-06-01"},
    )
    assert response.status_code == 422
    assert "sig själv" in response.json()["problems"][0]["message"]


async def test_the_tree_lists_renames_and_managers(client: httpx.AsyncClient) -> None:
    await client.post(
        "/api/rename-unit",
        json={"actor": "c", "unit_code": "IT", "name": "IT-kontoret", "effective_on": "2011-02-01"},
    )
    await client.post(
        "/api/appoint-manager",
        json={
            "actor": "c",
            "unit_code": "IT",
            "manager_title": "Kontorschef",
            "manager_name": "Hans Haglund",
            "effective_on": "2011-02-01",
        },
    )
    units = {u["code"]: u for u in (await client.get("/api/units")).json()}
    assert units["IT"]["name"] == "IT-kontoret"
    assert units["IT"]["manager_name"] == "Hans Haglund"
    assert units["IT"]["parent_code"] == "KS"
