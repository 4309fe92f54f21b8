"""The operators' view (/api/drift) and a message's journey (/api/drift/resa/{id}) on real
NATS and PostgreSQL: budget and reporting running, commands sent by the ledger over NATS and
by a controller over HTTP, each followed from the sender to the views; a refused one shows its
reason; a parked event replayed or skipped with who did it recorded."""

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts.budget.service import BUDGET
from plumbing.database import with_database
from services.budget.bootstrap import BudgetProcess
from services.reporting.bootstrap import ReportingProcess
from services.reporting.read_models.sources import BUDGET as BUDGET_PROJECTION
from tests.conftest import eventually
from tests.fixtures import SMALL_TREE
from tests.servers import Servers
from tests.system import applied, running_budget, running_reporting
from tests.tokens import bearer

LEDGER = "ekonomisystem"


def missing(url: str) -> str:
    return with_database(url, "no_such_database")


TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


@dataclass
class Stack:
    budget: BudgetProcess
    reporting: ReportingProcess
    js: JetStreamContext

    async def send(self, command: str, body: dict[str, Any], **headers: str) -> str:
        message_id = str(body.setdefault("message_id", str(uuid.uuid4())))
        await self.js.publish(
            BUDGET.inbound_subject(LEDGER, command),
            json.dumps(body).encode(),
            headers={"Nats-Msg-Id": message_id, **headers},
        )
        return message_id

    async def call(self, method: str, path: str, role: str | None = "operator") -> httpx.Response:
        headers = bearer(role, subject="olle.drift", name="Olle Drift") if role else None
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.reporting.app),
            base_url="http://reporting",
            headers=headers,
        ) as http:
            return await http.request(method, path)

    async def json(self, path: str) -> Any:
        response = await self.call("GET", path)
        assert response.status_code == 200, response.text
        return response.json()

    async def journey_until(self, wanted: str, step: str) -> dict[str, Any]:
        """The journey of ``wanted`` once its (first) message has reached ``step``."""

        async def journey() -> dict[str, Any] | None:
            response = await self.call("GET", f"/api/drift/resa/{wanted}")
            return response.json() if response.status_code == 200 else None

        return await eventually(
            journey,
            until=lambda j: (
                j is not None and step in [s["what"] for s in j["messages"][0]["steps"]]
            ),
        )


@pytest.fixture
async def stack(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    reporting_database: str,
) -> AsyncIterator[Stack]:
    _, js = nats_client
    async with (
        running_budget(servers.nats_url, budget_database) as budget,
        running_reporting(
            servers.nats_url,
            reporting_database,
            # Goals' database is not there: the view says so and shows the rest.
            service_databases={"budget": budget_database, "goals": missing(budget_database)},
        ) as reporting,
    ):
        running = Stack(budget, reporting, js)
        for unit in SMALL_TREE:
            await running.send(unit.command_name, json.loads(unit.model_dump_json()))
        await eventually(lambda: applied(reporting, BUDGET_PROJECTION), until=lambda n: n >= 2)
        yield running


def actuals(unit: str = "IT", **fields: Any) -> dict[str, Any]:
    return {
        "actor": "ledger",
        "unit_code": unit,
        "period": "2011-03",
        "revenue": "1000",
        "costs": "-2000",
        **fields,
    }


def steps(message: dict[str, Any]) -> dict[str, str]:
    return {s["what"]: s["detail"] for s in message["steps"]}


async def test_a_command_over_nats_is_followed_by_message_and_trace_id_to_the_views(
    stack: Stack,
) -> None:
    traceparent = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
    message_id = await stack.send("record-actuals", actuals(), traceparent=traceparent)
    journey = await stack.journey_until(message_id, "Inläst")
    (message,) = journey["messages"]
    assert message["service"] == "budget" and message["source_system"] == LEDGER
    seen = steps(message)
    assert "budget.inbound.ekonomisystem.record-actuals" in seen["Mottaget"]
    assert "ActualsRecorded" in seen["Godtaget"] and "ActualsRecorded" in seen["Lagrat"]
    assert "budget.events.ActualsRecorded" in seen["Publicerat"]
    assert "BUDGET_EVENTS nr" in seen["Publicerat"]
    assert "projektionen budget" in seen["Inläst"]
    assert all(s["at"] is not None for s in message["steps"])
    assert {"href": "/historik/IT/2011", "label": "Historiken för IT 2011"} in message["views"]
    (event,) = message["events"]
    assert (event["event_type"], event["stream_id"]) == ("ActualsRecorded", "unit-IT-2011")
    assert event["sequence"] == 3  # after the two units' events
    assert TRACE_ID in journey["trace_ids"]
    by_trace = await stack.json(f"/api/drift/resa/{TRACE_ID}")
    assert [m["message_id"] for m in by_trace["messages"]] == [message_id]
    csv = await stack.call("GET", f"/drift/resa/{message_id}?format=csv")
    assert csv.status_code == 200 and "Publicerat" in csv.text
    page = await stack.call("GET", f"/drift/resa/{message_id}")
    assert page.status_code == 200 and "budget.inbound.ekonomisystem.record-actuals" in page.text


async def test_a_command_over_http_is_followed_to_the_views(stack: Stack) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=stack.budget.app),
        base_url="http://budget",
        headers=bearer("controller", subject="anna.controller"),
    ) as http:
        response = await http.post("/api/record-actuals", json=actuals(period="2011-04"))
    assert response.status_code == 201, response.text
    message_id = response.json()["message_id"]
    journey = await stack.journey_until(message_id, "Inläst")
    (message,) = journey["messages"]
    seen = steps(message)
    assert (
        seen["Mottaget"].startswith("över HTTP av budget") and "anna.controller" in seen["Mottaget"]
    )
    assert "budget.events.ActualsRecorded" in seen["Publicerat"]
    assert message["source_system"] == "http"


async def test_a_refused_command_shows_its_reason_in_the_journey_and_the_view(stack: Stack) -> None:
    message_id = await stack.send("record-actuals", actuals(unit="NOPE"))
    accepted = await stack.send("record-actuals", actuals(period="2011-05"))
    journey = await stack.journey_until(message_id, "Avvisat")
    refused = steps(journey["messages"][0])
    assert "finns inte" in refused["Avvisat"]
    assert "budget.rejected.ekonomisystem" in refused["Avvisat"]
    await stack.journey_until(accepted, "Lagrat")
    drift = await stack.json("/api/drift")
    (ledger,) = [t for t in drift["systems"] if t["system"] == LEDGER]
    # The two units, the accepted actuals, and the refused one, within the hour.
    assert (ledger["accepted"], ledger["refused"], ledger["received"]) == (3, 1, 4)
    (refusal,) = drift["refusals"]
    assert refusal["message_id"] == message_id and refusal["system"] == LEDGER
    assert any("finns inte" in r["message"] for r in refusal["reasons"])


async def test_a_message_that_cannot_be_read_is_followed_by_its_nats_msg_id(stack: Stack) -> None:
    message_id = str(uuid.uuid4())
    await stack.js.publish(
        BUDGET.inbound_subject(LEDGER, "record-actuals"),
        b"{nope",
        headers={"Nats-Msg-Id": message_id},
    )
    journey = await stack.journey_until(message_id, "Avvisat")
    (message,) = journey["messages"]
    assert message["message_id"] == message_id and message["source_system"] == LEDGER
    assert "budget.rejected.ekonomisystem" in steps(message)["Avvisat"]


async def test_a_command_refused_over_http_is_counted_and_followed_like_one_over_nats(
    stack: Stack,
) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=stack.budget.app),
        base_url="http://budget",
        headers=bearer("controller", subject="anna.controller"),
    ) as http:
        message_id = str(uuid.uuid4())
        unknown = await http.post(
            "/api/record-actuals", json=actuals(unit="NOPE", message_id=message_id)
        )
        malformed_id = str(uuid.uuid4())
        malformed = await http.post(
            "/api/record-actuals", json=actuals(period="mars", message_id=malformed_id)
        )
        accepted = await http.post("/api/record-actuals", json=actuals(period="2011-06"))
    assert (unknown.status_code, malformed.status_code, accepted.status_code) == (422, 422, 201)
    journey = await stack.journey_until(message_id, "Avvisat")
    (message,) = journey["messages"]
    assert message["source_system"] == "http"
    seen = steps(message)
    assert seen["Mottaget"] == "över HTTP av budget, POST /api/record-actuals"
    assert "NOPE" in seen["Avvisat"] and "HTTP-svaret" in seen["Avvisat"]
    drift = await stack.json("/api/drift")
    (by_http,) = [t for t in drift["systems"] if t["system"] == "http"]
    assert (by_http["accepted"], by_http["refused"], by_http["received"]) == (1, 2, 3)
    refused = {r["message_id"]: r for r in drift["refusals"] if r["system"] == "http"}
    assert refused[message_id]["subject"] == "POST /api/record-actuals"
    assert refused[message_id]["rejection_subject"] is None
    assert any(r["field"] == "period" for r in refused[malformed_id]["reasons"])
    malformed_journey = await stack.journey_until(malformed_id, "Avvisat")
    assert "period" in steps(malformed_journey["messages"][0])["Avvisat"]
    page = await stack.call("GET", "/drift")
    assert page.status_code == 200 and "svar i HTTP-svaret" in page.text


def _settled(drift: dict[str, Any]) -> bool:
    """Budget's outbox empty and the projection's acknowledgement, sent after its batch
    commits, caught up with the events stream."""
    budget = next(s for s in drift["services"] if s["name"] == "budget")
    events = next(s for s in drift["streams"] if s["name"] == BUDGET.events_stream)
    projection = [c for c in events["consumers"] if c["name"].startswith("reporting_g")]
    return (
        budget["outbox"] is not None
        and budget["outbox"]["waiting"] == 0
        and bool(projection)
        and projection[0]["acknowledged"] == events["last_sequence"]
    )


async def test_the_view_shows_locks_outboxes_and_consumers_with_their_lag(stack: Stack) -> None:
    drift = await eventually(lambda: stack.json("/api/drift"), until=_settled)
    services = {s["name"]: s for s in drift["services"]}
    budget = services["budget"]
    assert budget["problem"] is None and budget["outbox"]["waiting"] == 0
    assert services["goals"]["problem"].startswith("databasen kunde inte läsas")
    assert services["goals"]["ready"] is False
    locks = {lock["name"]: lock for lock in budget["locks"]}
    assert locks["outbox-relay"]["holder"].startswith("kommunplan ")
    assert any(lock["holder"] for lock in services["reporting"]["locks"])
    streams = {s["name"]: s for s in drift["streams"]}
    events = streams[BUDGET.events_stream]
    assert events["last_sequence"] >= 2 and events["problem"] is None
    projection = [c for c in events["consumers"] if c["name"].startswith("reporting_g")]
    assert projection and projection[0]["acknowledged"] == events["last_sequence"]
    assert projection[0]["lag_seconds"] == 0.0
    page = await stack.call("GET", "/drift")
    assert page.status_code == 200 and "Strömmar och konsumenter" in page.text
    csv = await stack.call("GET", "/drift?format=csv")
    assert csv.status_code == 200 and "Strömmar" in csv.text and "BUDGET_EVENTS" in csv.text
    workbook = await stack.call("GET", "/drift?format=xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"


async def test_only_an_operator_may_look_and_nothing_found_is_said_in_swedish(
    stack: Stack,
) -> None:
    assert (await stack.call("GET", "/api/drift", role=None)).status_code == 401
    refused = await stack.call("GET", "/api/drift", role="reader")
    assert refused.status_code == 403 and "saknar rollen operator" in refused.text
    unknown = str(uuid.uuid4())
    missing = await stack.call("GET", f"/api/drift/resa/{unknown}")
    assert missing.status_code == 404
    assert missing.json()["detail"].startswith(f"Inget hittades för {unknown}")
    assert (await stack.call("GET", "/api/drift/resa/inte;ett-id")).status_code in (404, 422)


async def test_a_parked_event_is_replayed_or_skipped_and_who_did_it_is_shown(
    stack: Stack,
) -> None:
    await stack.js.publish(BUDGET.event_subject("Forged"), b"not an event")
    drift = await eventually(lambda: stack.json("/api/drift"), until=lambda d: d["parked"])
    (parked,) = drift["parked"]
    assert parked["kind"] == "unreadable" and parked["id"].startswith("reporting:")
    projection, sequence = parked["id"].split(":")
    replay = await stack.call("POST", f"/api/drift/parkerade/{projection}/{sequence}/spela-om")
    assert replay.status_code == 200 and replay.json()["outcome"].startswith("parkerad igen")
    reader = await stack.call(
        "POST", f"/api/drift/parkerade/{projection}/{sequence}/hoppa-over", role="reader"
    )
    assert reader.status_code == 403
    skip = await stack.call("POST", f"/api/drift/parkerade/{projection}/{sequence}/hoppa-over")
    assert skip.status_code == 200 and skip.json()["outcome"] == "överhoppad"
    gone = await stack.call("POST", f"/api/drift/parkerade/{projection}/{sequence}/hoppa-over")
    assert gone.status_code == 404 and "Ingen händelse nr" in gone.json()["detail"]
    drift = await stack.json("/api/drift")
    assert drift["parked"] == []
    done = [(a["actor"], a["actor_name"], a["action"], a["target"]) for a in drift["actions"]]
    assert done == [
        ("olle.drift", "Olle Drift", "hoppa över", parked["id"]),
        ("olle.drift", "Olle Drift", "spela om", parked["id"]),
    ]


async def test_a_rebuild_and_marking_seen_are_posted_by_an_operator_and_recorded(
    stack: Stack,
) -> None:
    await stack.js.publish(BUDGET.event_subject("Forged"), b"not an event either")
    await eventually(lambda: stack.json("/api/drift"), until=lambda d: d["parked"])
    assert (await stack.call("POST", "/api/drift/ombyggnad", role="reader")).status_code == 403
    rebuilt = await stack.call("POST", "/api/drift/ombyggnad")
    assert rebuilt.status_code == 200, rebuilt.text
    generations = {p["label"]: p["generation"] for p in rebuilt.json()["projections"]}
    # Budget's stream is rebuilt into a second generation; goals and projects have none yet.
    assert generations == {"budget": 2, "mål": None, "projekt": None}
    drift = await stack.json("/api/drift")
    # The rebuild parks what the live generation parked: the forged message again, unseen.
    (parked,) = drift["parked"]
    assert parked["seen_at"] is None
    replayed = await stack.call("POST", "/api/drift/parkerade/spela-om")
    assert replayed.status_code == 200
    assert {"projection": "reporting", "applied": 0, "still_parked": 1} in replayed.json()[
        "projections"
    ]
    seen = await stack.call("POST", "/api/drift/parkerade/sedda")
    assert seen.status_code == 200 and seen.json() == {"marked": 1}
    drift = await stack.json("/api/drift")
    assert drift["parked"][0]["seen_at"] is not None
    done = [(a["action"], a["outcome"]) for a in drift["actions"]]
    assert done == [
        ("markera sedda", "1 markerade"),
        (
            "spela om",
            "reporting: 0 inlästa, 1 kvar, reporting_goals: 0 inlästa, 0 kvar,"
            " reporting_projects: 0 inlästa, 0 kvar",
        ),
        ("bygg om", "budget: generation 2, mål: ingen ström än, projekt: ingen ström än"),
    ]


async def test_the_pages_buttons_act_and_lead_back_to_the_view(stack: Stack) -> None:
    await stack.js.publish(BUDGET.event_subject("Forged"), b"a third forgery")
    drift = await eventually(lambda: stack.json("/api/drift"), until=lambda d: d["parked"])
    (parked,) = drift["parked"]
    page = await stack.call("GET", "/drift")
    action = f"/drift/parkerade/{parked['projection']}/{parked['sequence']}/hoppa-over"
    assert f'action="{action}"' in page.text
    pressed = await stack.call("POST", action)
    assert pressed.status_code == 303 and pressed.headers["location"] == "/drift"
    assert (await stack.json("/api/drift"))["parked"] == []
