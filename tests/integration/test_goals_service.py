"""The goals service on real NATS and PostgreSQL, with budget running beside it: the units it
knows come from budget's published events; every refusal names its field in Swedish and
stores nothing, over HTTP (422) and over NATS (a Rejection on goals.rejected.<system>)."""

import functools
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import nats
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts.budget.service import BUDGET
from contracts.goals.service import GOALS
from services.goals.bootstrap import GoalsProcess
from tests.conftest import _fresh_database, count, eventually
from tests.servers import Servers
from tests.system import running_budget, running_goals
from tests.tokens import bearer

LEDGER, PAYROLL = "ekonomisystem", "lonesystem"  # every unit; only under KLF (tests.system)
TARGET = {"comparison": "at_least", "value": "60", "unit": "index"}


@dataclass
class System:
    nc: Client
    js: JetStreamContext
    goals: GoalsProcess
    goals_database: str
    http: httpx.AsyncClient
    budget_database: str


def unit(code: str, parent: str | None, kind: str = "unit") -> dict[str, Any]:
    return {
        "unit_code": code,
        "name": code.title(),
        "kind": kind,
        "parent_code": parent,
        "effective_on": "2010-01-01",
    }


async def send(
    js: JetStreamContext, service: str, command: str, body: dict[str, Any], system: str = LEDGER
) -> dict[str, Any]:
    message = {"message_id": str(uuid.uuid4()), "actor": "system", **body}
    await js.publish(f"{service}.inbound.{system}.{command}", json.dumps(message).encode())
    return message


async def goals_events(system: System) -> int:
    return await count(system.goals_database, "SELECT count(*) FROM events")


async def rejection_of(
    system: System, message_id: str, source: str = LEDGER, within: float = 20.0
) -> dict[str, Any]:
    """The Rejection the goals service put on ``source``'s subject for ``message_id``."""

    async def find() -> dict[str, Any] | None:
        subject = GOALS.rejected_subject(source)
        try:
            info = await system.js.stream_info(GOALS.rejected_stream)
        except Exception:
            return None
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            try:
                msg = await system.js.get_msg(GOALS.rejected_stream, seq)
            except Exception:
                continue
            found: dict[str, Any] = json.loads(msg.data)
            if msg.subject == subject and found["message_id"] == message_id:
                return found
        return None

    found: dict[str, Any] = await eventually(find, within=within)
    return found


async def post(system: System, command: str, body: dict[str, Any], role: str = "planner") -> Any:
    return await system.http.post(
        f"/api/{command}", json={"actor": "x", **body}, headers=bearer(role)
    )


@pytest.fixture(scope="module")
async def system(servers: Servers) -> AsyncIterator[System]:
    """Budget with KS (KLF, IT, NÄT) and BUN, and OLD closed in 2010; goals with KS's
    perspective, a goal for IT with a key figure (by gender), an activity and an indicator."""
    nc = await nats.connect(servers.nats_url)
    js = nc.jetstream()
    for stream in await js.streams_info():
        await js.delete_stream(stream.config.name)
    budget_database = await _fresh_database(servers, "budget")
    goals_database = await _fresh_database(servers, "goals")
    async with (
        running_budget(servers.nats_url, budget_database),
        running_goals(servers.nats_url, goals_database) as goals,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=goals.app), base_url="http://goals"
        ) as http,
    ):
        for body in (
            unit("KS", None, "board"),
            unit("KLF", "KS", "administration"),
            unit("IT", "KLF"),
            unit("NÄT", "KS", "administration"),
            unit("BUN", None, "board"),
            unit("OLD", "KLF"),
        ):
            await send(js, "budget", "register-unit", body)
        closed = {"unit_code": "OLD", "effective_on": "2010-06-30"}
        await send(js, "budget", "close-unit", closed)

        async def tree_known() -> bool:
            old = (await goals.service.state()).tree.units.get("OLD")
            return old is not None and old.closed_on is not None

        await eventually(tree_known)
        found = System(nc, js, goals, goals_database, http, budget_database)
        for command, body in (
            ("define-perspective", perspective("samhalle")),
            ("define-perspective", perspective("skola", board="BUN")),
            ("adopt-goal", goal("mal")),
            ("make-commitment", commitment("nki", by_gender=True)),
            ("make-commitment", commitment("akt", kind="activity")),
            ("add-indicator", {"indicator_id": "ind", "goal_id": "mal", "name": "Antal"}),
        ):
            response = await post(found, command, body)
            assert response.status_code == 201, response.text
        yield found
    await nc.close()


def perspective(pid: str, board: str = "KS", **fields: Any) -> dict[str, Any]:
    return {"board_code": board, "perspective_id": pid, "name": pid, "position": 1, **fields}


def goal(gid: str, unit_code: str = "IT", **fields: Any) -> dict[str, Any]:
    return {
        "goal_id": gid,
        "unit_code": unit_code,
        "perspective_id": "samhalle",
        "title": "Bra verksamhetslokaler",
        "first_year": 2011,
        "last_year": 2013,
        **fields,
    }


def commitment(cid: str, kind: str = "key_figure", **fields: Any) -> dict[str, Any]:
    if kind == "key_figure":
        fields.setdefault("target", TARGET)
    return {"commitment_id": cid, "goal_id": "mal", "kind": kind, "text": cid, **fields}


def measurement(mid: str, **values: Any) -> dict[str, Any]:
    return {"measure_id": mid, "period": "2011", "source": "SCB", **values}


def note(attached_to: str) -> dict[str, Any]:
    return {"note_id": "fotnot", "attached_to": attached_to, "kind": "footnote", "text": "x"}


def assessment(cid: str) -> dict[str, Any]:
    return {"commitment_id": cid, "period": "2011", "status": "done"}


REFUSALS = [
    ("adopt-goal", goal("g", unit_code="NONE"), "unit_code", "finns inte"),
    ("adopt-goal", goal("g", unit_code="OLD"), "unit_code", "stängdes"),
    ("adopt-goal", goal("g", perspective_id="none"), "perspective_id", "finns inte"),
    ("adopt-goal", goal("g", perspective_id="skola"), "perspective_id", "hör till BUN"),
    ("adopt-goal", goal("mal"), "goal_id", "används redan"),
    ("define-perspective", perspective("p", parent_id="none"), "parent_id", "finns inte"),
    ("define-perspective", perspective("samhalle"), "perspective_id", "används redan"),
    ("make-commitment", commitment("nki"), "commitment_id", "används redan"),
    ("make-commitment", commitment("c", goal_id="none"), "goal_id", "finns inte"),
    ("make-commitment", commitment("c", kind="activity", target=TARGET), "target", "ingen"),
    (
        "make-commitment",
        commitment("c", baseline={"value": "5", "women": "4", "period": "2010"}),
        "baseline.women",
        "könsuppdelat",
    ),
    (
        "make-commitment",
        commitment("c", target={"value": "60", "unit": "index"}),
        "target.comparison",
        "saknas",
    ),
    (
        "add-indicator",
        {"indicator_id": "i", "commitment_id": "x", "name": "n"},
        "commitment_id",
        "finns inte",
    ),
    (
        "add-indicator",
        {"indicator_id": "i", "goal_id": "none", "name": "n"},
        "goal_id",
        "finns inte",
    ),
    (
        "add-indicator",
        {"indicator_id": "ind", "goal_id": "mal", "name": "n"},
        "indicator_id",
        "används",
    ),
    ("attach-note", note("none"), "attached_to", "finns"),
    ("record-measurement", measurement("none", total="1"), "measure_id", "finns"),
    ("record-measurement", measurement("akt", total="1"), "measure_id", "assess-activity"),
    ("record-measurement", measurement("ind", women="1"), "women", "könsuppdelat"),
    ("assess-activity", assessment("nki"), "commitment_id", "har en målnivå"),
    ("reword-goal", {"goal_id": "none", "title": "x"}, "goal_id", "finns inte"),
    ("retire-goal", {"goal_id": "none", "last_year": 2012}, "goal_id", "finns inte"),
    ("retire-goal", {"goal_id": "mal", "last_year": 2010}, "last_year", "första år"),
]
IDS = [f"{command}-{field}-{n}" for n, (command, _, field, _) in enumerate(REFUSALS)]


@pytest.mark.parametrize(("command", "body", "field", "words"), REFUSALS, ids=IDS)
async def test_over_http_a_refusal_is_a_422_naming_the_field_and_stores_nothing(
    system: System, command: str, body: dict[str, Any], field: str, words: str
) -> None:
    before = await goals_events(system)
    response = await post(system, command, body)
    assert response.status_code == 422, response.text
    problems = response.json()["problems"]
    assert [p["field"] for p in problems] == [field], problems
    assert words in problems[0]["message"], problems
    assert await goals_events(system) == before


@pytest.mark.parametrize(("command", "body", "field", "words"), REFUSALS, ids=IDS)
async def test_over_nats_a_refusal_is_a_rejection_naming_the_field_and_stores_nothing(
    system: System, command: str, body: dict[str, Any], field: str, words: str
) -> None:
    before = await goals_events(system)
    sent = await send(system.js, "goals", command, body)
    rejection = await rejection_of(system, sent["message_id"])
    assert [p["field"] for p in rejection["problems"]] == [field], rejection
    assert words in rejection["problems"][0]["message"]
    assert rejection["source_system"] == LEDGER
    assert await goals_events(system) == before


async def test_a_goal_sent_right_after_budget_published_its_unit_is_accepted(
    system: System,
) -> None:
    published = await system.nc.subscribe(BUDGET.event_subject("UnitRegistered"))
    await send(system.js, "budget", "register-unit", unit("NYTT", "KLF"))
    event = json.loads((await published.next_msg(timeout=20)).data)
    await published.unsubscribe()
    assert event["payload"]["unit_code"] == "NYTT"
    # No waiting for goals to learn of it: it catches up with budget's events as it decides.
    response = await post(system, "adopt-goal", goal("nytt-mal", unit_code="NYTT"))
    assert response.status_code == 201, response.text
    listed = await system.http.get("/api/goals", headers=bearer("reader"))
    assert listed.status_code == 200
    assert "nytt-mal" in {g["goal_id"] for g in listed.json()["goals"]}


async def test_a_goal_sent_as_soon_as_budget_has_stored_its_unit_is_accepted(
    system: System,
) -> None:
    """Budget's relay may not have published the unit yet: goals waits a moment for it
    rather than refusing a unit that exists."""
    for n in range(5):
        code = f"NY{n}"
        await send(system.js, "budget", "register-unit", unit(code, "KLF"))
        stored = f"SELECT count(*) FROM events WHERE payload->>'unit_code' = '{code}'"
        await eventually(
            functools.partial(count, system.budget_database, stored), until=lambda c: c == 1
        )
        response = await post(system, "adopt-goal", goal(f"ny-{n}", unit_code=code))
        assert response.status_code == 201, response.text


async def test_a_message_id_used_twice_is_refused_and_stored_once(system: System) -> None:
    body = measurement("nki", total="63", women="61", men="65")
    sent = await send(system.js, "goals", "record-measurement", body, system=PAYROLL)
    stored = "SELECT count(*) FROM events WHERE stream_id = 'measure-nki'"
    await eventually(lambda: count(system.goals_database, stored), until=lambda n: n == 1)
    again = {k: v for k, v in sent.items() if k != "actor"}
    response = await post(system, "record-measurement", {**again, "period": "2012"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "message_id"
    assert await count(system.goals_database, stored) == 1


async def test_the_same_message_sent_twice_past_jetstreams_window_is_stored_once(
    system: System,
) -> None:
    body = json.dumps({"message_id": str(uuid.uuid4()), "actor": "x", **assessment("akt")})
    subject = GOALS.inbound_subject(LEDGER, "assess-activity")
    # Different Nats-Msg-Ids: JetStream keeps both; the service stores the first and
    # refuses the second as a duplicate.
    for _ in range(2):
        await system.js.publish(subject, body.encode(), headers={"Nats-Msg-Id": str(uuid.uuid4())})
    stored = "SELECT count(*) FROM events WHERE event_type = 'ActivityAssessed'"
    await eventually(lambda: count(system.goals_database, stored), until=lambda n: n == 1)
    rejection = await rejection_of(system, json.loads(body)["message_id"])
    assert rejection["problems"][0]["field"] == "message_id"
    assert await count(system.goals_database, stored) == 1


async def test_a_message_redelivered_after_it_was_stored_is_stored_once_and_not_refused(
    system: System,
) -> None:
    first = await send(system.js, "goals", "record-measurement", measurement("ind", total="7"))
    stored = "SELECT count(*) FROM events WHERE stream_id = 'measure-ind'"
    await eventually(lambda: count(system.goals_database, stored), until=lambda n: n == 1)
    # As if JetStream lost the acknowledgement and delivered everything again.
    await system.goals.pool.execute("UPDATE consumer_positions SET sequence = 0")
    (consumer,) = await system.js.consumers_info(GOALS.inbound_stream)
    await system.js.delete_consumer(GOALS.inbound_stream, consumer.name)
    await send(
        system.js, "goals", "record-measurement", measurement("ind", period="2012", total="8")
    )
    await eventually(lambda: count(system.goals_database, stored), until=lambda n: n == 2)
    with pytest.raises(AssertionError):
        await rejection_of(system, first["message_id"], within=2.0)


async def test_a_system_writes_only_for_its_own_units(system: System) -> None:
    before = await goals_events(system)
    sent = await send(system.js, "goals", "adopt-goal", goal("nat-mal", unit_code="NÄT"), PAYROLL)
    rejection = await rejection_of(system, sent["message_id"], PAYROLL)
    assert rejection["problems"][0]["field"] == "unit_code"
    assert "får inte skriva för enheten NÄT" in rejection["problems"][0]["message"]
    assert await goals_events(system) == before
    # Within KLF it may: a measurement of IT's key figure.
    sent = await send(
        system.js,
        "goals",
        "record-measurement",
        measurement("nki", period="2013", total="1"),
        PAYROLL,
    )
    stored = (
        "SELECT count(*) FROM events"
        " WHERE stream_id = 'measure-nki' AND payload->>'period' = '2013'"
    )
    await eventually(lambda: count(system.goals_database, stored), until=lambda n: n == 1)


async def test_roles_over_http(system: System) -> None:
    response = await post(system, "adopt-goal", goal("kontroll"), role="controller")
    assert response.status_code == 403
    response = await post(
        system,
        "record-measurement",
        measurement("ind", period="2012", total="3"),
        role="controller",
    )
    assert response.status_code == 201, response.text
