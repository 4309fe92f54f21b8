"""The projects service on real NATS and PostgreSQL, with budget and goals running beside it:
the units it knows come from budget's published events and the result goals from goals';
every refusal names its field in Swedish and stores nothing, over HTTP (422, or 403 for who
sent it) and over NATS (a Rejection on projects.rejected.<system>)."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import nats
import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from contracts.budget.service import BUDGET
from contracts.goals.service import GOALS
from contracts.projects.service import PROJECTS
from contracts.service import WriteService
from services.projects.bootstrap import ProjectsProcess
from tests.conftest import _fresh_database, count, eventually
from tests.servers import Servers
from tests.system import running_budget, running_goals, running_projects
from tests.tokens import bearer

EVERY_UNIT, ONLY_KLF = "ekonomisystem", "lonesystem"  # as tests.system registers them

# (code, kind, parent): KS with KLF (the project office PROJ, IT, OLD) and NÄT; BUN with SKOL.
TREE = (
    ("KS", "board", None),
    ("KLF", "administration", "KS"),
    ("PROJ", "unit", "KLF"),
    ("IT", "unit", "KLF"),
    ("OLD", "unit", "KLF"),
    ("NÄT", "administration", "KS"),
    ("BUN", "board", None),
    ("SKOL", "administration", "BUN"),
)


@dataclass
class Setup:
    nc: Client
    js: JetStreamContext
    projects: ProjectsProcess
    database: str
    http: httpx.AsyncClient  # the projects service's app
    goals_http: httpx.AsyncClient
    rejections: dict[str, dict[str, Any]] = field(default_factory=dict)  # by message id

    async def stored(self, where: str = "true") -> int:
        return await count(self.database, f"SELECT count(*) FROM events WHERE {where}")

    async def rejection(self, message_id: str, within: float = 20.0) -> dict[str, Any]:
        async def seen() -> dict[str, Any] | None:
            return self.rejections.get(message_id)

        found: dict[str, Any] = await eventually(seen, within=within)
        return found


async def publish(
    js: JetStreamContext,
    service: WriteService,
    command: str,
    body: dict[str, Any],
    sender: str = EVERY_UNIT,
) -> str:
    """Send ``command`` as ``sender`` on the service's inbound subject; its message id."""
    message_id = str(uuid.uuid4())
    payload = json.dumps({"message_id": message_id, "actor": sender, **body})
    await js.publish(service.inbound_subject(sender, command), payload.encode())
    return message_id


async def call(
    http: httpx.AsyncClient, command: str, body: dict[str, Any], *roles: str, **token: Any
) -> httpx.Response:
    headers = bearer(*(roles or ("planner",)), **token)
    return await http.post(f"/api/{command}", json={"actor": "ignored", **body}, headers=headers)


def project(code: str, **fields: Any) -> dict[str, Any]:
    return {
        "project_code": code,
        "name": f"Projektet {code}",
        "board_code": "KS",
        "unit_code": "PROJ",
        "planned_start": "2011-01-01",
        "planned_end": "2013-12-31",
        **fields,
    }


def status_report(code: str = "p", **lights: str) -> dict[str, Any]:
    return {
        "project_code": code,
        "period": "2011-05",
        "reported_by": "Projektverktyget",
        **{"schedule": "green", "cost": "green", "quality": "yellow", **lights},
    }


def money(command_field: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"project_code": "p", "year": 2012, "amount": "100000", **fields}
    if command_field == "financing":
        body["source"] = "Statens folkhälsoinstitut"
    return body


@pytest.fixture(scope="module")
async def setup(servers: Servers) -> AsyncIterator[Setup]:
    """Budget's tree (OLD closed in 2010), goals' perspective and result goal ``mal``, and
    the project ``p`` of PROJ, planned for 2011-2013 and proposed."""
    nc = await nats.connect(servers.nats_url)
    js = nc.jetstream()
    for stream in await js.streams_info():
        await js.delete_stream(stream.config.name)
    databases = [await _fresh_database(servers, name) for name in ("budget", "goals", "projects")]
    async with (
        running_budget(servers.nats_url, databases[0]),
        running_goals(servers.nats_url, databases[1]) as goals,
        running_projects(servers.nats_url, databases[2]) as projects,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=projects.app), base_url="http://projects"
        ) as http,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=goals.app), base_url="http://goals"
        ) as goals_http,
    ):
        found = Setup(nc, js, projects, databases[2], http, goals_http)

        async def rejected(msg: Msg) -> None:
            rejection = json.loads(msg.data)
            found.rejections[rejection["message_id"]] = rejection

        await nc.subscribe(PROJECTS.rejected_subjects, cb=rejected)
        for code, kind, parent in TREE:
            unit = {"unit_code": code, "name": code.title(), "kind": kind, "parent_code": parent}
            await publish(js, BUDGET, "register-unit", {**unit, "effective_on": "2010-01-01"})
        await publish(js, BUDGET, "close-unit", {"unit_code": "OLD", "effective_on": "2010-06-30"})

        async def old_closed() -> bool:
            old = (await projects.service.state()).tree.units.get("OLD")
            return old is not None and old.closed_on is not None

        await eventually(old_closed)
        perspective = {"board_code": "KS", "perspective_id": "samhalle", "name": "S", "position": 1}
        response = await call(goals_http, "define-perspective", perspective)
        assert response.status_code == 201, response.text
        response = await call(goals_http, "adopt-goal", result_goal("mal"))
        assert response.status_code == 201, response.text
        response = await call(http, "register-project", project("p"))
        assert response.status_code == 201, response.text
        yield found
    await nc.close()


def result_goal(goal_id: str) -> dict[str, Any]:
    return {
        "goal_id": goal_id,
        "unit_code": "KLF",
        "perspective_id": "samhalle",
        "title": "Fler jobb",
        "first_year": 2011,
        "last_year": 2013,
    }


REFUSALS = [
    ("register-project", project("q", unit_code="NONE"), "unit_code", "finns inte"),
    ("register-project", project("q", unit_code="OLD"), "unit_code", "stängdes 2010-06-30"),
    ("register-project", project("q", board_code="KLF"), "board_code", "KLF är ingen nämnd"),
    ("register-project", project("q", unit_code="SKOL"), "unit_code", "hör till BUN"),
    ("register-project", project("p"), "project_code", "projektet p finns redan"),
    (
        "register-project",
        project("q", planned_start="2012-01-01", planned_end="2011-12-31"),
        "planned_end",
        "ligger före planned_start",
    ),
    (
        "plan-step",
        {
            "project_code": "p",
            "step": 1,
            "name": "Förstudie",
            "planned_start": "2011-06-01",
            "planned_end": "2011-05-01",
        },
        "planned_end",
        "ligger före planned_start",
    ),
    (
        "report-project-status",
        status_report(schedule="blue"),
        "schedule",
        "tillåtna värden: 'green'",
    ),
    ("set-project-budget", money("budget", year=2014), "year", "år 2014 ligger utanför"),
    ("set-project-budget", money("budget", amount="-1"), "amount", "kan inte vara negativ"),
    ("record-financing", money("financing", year=2010), "year", "utanför projektets"),
    ("record-financing", money("financing", amount="-7000000"), "amount", "negativ"),
    (
        "change-project-status",
        {"project_code": "p", "status": "ongoing", "effective_on": "2011-02-01"},
        "status",
        "ett föreslaget projekt kan inte bli pågående",
    ),
    (
        "change-project-status",
        {"project_code": "p", "status": "proposed", "effective_on": "2011-02-01"},
        "status",
        "redan föreslaget",
    ),
    ("link-goal", {"project_code": "p", "goal_id": "finns-ej"}, "goal_id", "finns inte"),
    ("link-goal", {"project_code": "none", "goal_id": "mal"}, "project_code", "finns inte"),
]
IDS = [f"{command}-{where}-{n}" for n, (command, _, where, _) in enumerate(REFUSALS)]


@pytest.mark.parametrize(("command", "body", "field_name", "words"), REFUSALS, ids=IDS)
async def test_a_refusal_names_its_field_over_http_and_over_nats_and_stores_nothing(
    setup: Setup, command: str, body: dict[str, Any], field_name: str, words: str
) -> None:
    before = await setup.stored()
    response = await call(setup.http, command, body)
    assert response.status_code == 422, response.text
    rejection = await setup.rejection(await publish(setup.js, PROJECTS, command, body))
    assert rejection["source_system"] == EVERY_UNIT
    for problems in (response.json()["problems"], rejection["problems"]):
        assert [p["field"] for p in problems] == [field_name], problems
        assert words in problems[0]["message"], problems
    assert await setup.stored() == before


async def test_a_goal_goals_has_just_stored_may_be_linked_at_once(setup: Setup) -> None:
    """Goals' relay may not have published the goal yet: projects waits a moment for it
    rather than refusing a goal that exists."""
    for n in range(3):
        response = await call(setup.goals_http, "adopt-goal", result_goal(f"nytt-{n}"))
        assert response.status_code == 201, response.text
        body = {"project_code": "p", "goal_id": f"nytt-{n}"}
        response = await call(setup.http, "link-goal", body)
        assert response.status_code == 201, response.text
    listed = await setup.http.get("/api/projects", headers=bearer("reader"))
    (p,) = [found for found in listed.json()["projects"] if found["project_code"] == "p"]
    assert {"nytt-0", "nytt-1", "nytt-2"} <= set(p["goal_ids"])


async def test_a_project_for_a_unit_budget_has_just_stored_is_accepted(setup: Setup) -> None:
    await publish(
        setup.js,
        BUDGET,
        "register-unit",
        {
            "unit_code": "NYTT",
            "name": "Nytt",
            "kind": "unit",
            "parent_code": "KLF",
            "effective_on": "2010-01-01",
        },
    )
    response = await call(setup.http, "register-project", project("nytt", unit_code="NYTT"))
    assert response.status_code == 201, response.text
    assert await setup.stored("stream_id = 'project-nytt'") == 1


async def test_a_project_goes_through_its_lifecycle_and_is_listed_as_stored(
    setup: Setup,
) -> None:
    code = "livscykel"
    steps = [
        ("register-project", project(code, project_manager="Eva")),
        ("set-project-budget", money("budget", project_code=code, year=2011, amount="1500.50")),
        ("record-financing", money("financing", project_code=code, year=2012)),
        (
            "plan-step",
            {"project_code": code, "step": 1, "name": "Förstudie", "cost_estimate": "300000"},
        ),
        (
            "change-project-status",
            {"project_code": code, "status": "decided", "effective_on": "2011-01-10"},
        ),
        (
            "change-project-status",
            {"project_code": code, "status": "ongoing", "effective_on": "2011-02-01"},
        ),
        ("link-goal", {"project_code": code, "goal_id": "mal"}),
    ]
    for command, body in steps:
        response = await call(setup.http, command, body)
        assert response.status_code == 201, (command, response.text)
    response = await call(setup.http, "report-project-status", status_report(code), "controller")
    assert response.status_code == 201, response.text
    response = await call(
        setup.http,
        "change-project-manager",
        {
            "project_code": code,
            "project_manager": "Olle",
            "effective_on": "2011-06-01",
            "acting": True,
        },
        "controller",
    )
    assert response.status_code == 201, response.text
    assert await setup.stored(f"stream_id = 'project-{code}'") == len(steps) + 2
    versions = await setup.projects.pool.fetch(
        "SELECT version FROM events WHERE stream_id = $1 ORDER BY position", f"project-{code}"
    )
    assert [r["version"] for r in versions] == list(range(1, len(steps) + 3))
    listed = await setup.http.get("/api/projects", headers=bearer("reader"))
    assert listed.status_code == 200
    (found,) = [p for p in listed.json()["projects"] if p["project_code"] == code]
    assert found["status"] == "ongoing" and found["status_changed_on"] == "2011-02-01"
    assert (found["project_manager"], found["acting_project_manager"]) == ("Eva", "Olle")
    assert [b["amount"] for b in found["budgets"]] == ["1500.50"]
    assert [f["year"] for f in found["financing"]] == [2012]
    assert [s["cost_estimate"] for s in found["steps"]] == ["300000"]
    assert found["goal_ids"] == ["mal"]
    assert [r["schedule"] for r in found["status_reports"]] == ["green"]


async def test_roles_and_scope_over_http_are_403_and_store_nothing(setup: Setup) -> None:
    before = await setup.stored()
    for command, body, roles in (
        ("register-project", project("kontroll"), ("controller",)),
        ("set-project-budget", money("budget"), ("controller",)),
        ("link-goal", {"project_code": "p", "goal_id": "mal"}, ("controller",)),
        ("report-project-status", status_report(), ("reader",)),
    ):
        response = await call(setup.http, command, body, *roles)
        assert response.status_code == 403, (command, response.text)
    response = await call(setup.http, "set-project-budget", money("budget"), units=("IT",))
    assert response.status_code == 403, response.text
    assert response.json()["problems"][0]["field"] == "project_code"
    assert await setup.stored() == before
    response = await call(setup.http, "set-project-budget", money("budget"), units=("KLF",))
    assert response.status_code == 201, response.text


async def test_a_system_writes_only_for_projects_under_its_units(setup: Setup) -> None:
    before = await setup.stored()
    message_id = await publish(
        setup.js, PROJECTS, "register-project", project("nat", unit_code="NÄT"), ONLY_KLF
    )
    rejection = await setup.rejection(message_id)
    assert rejection["problems"][0]["field"] == "unit_code"
    assert "får inte skriva för enheten NÄT" in rejection["problems"][0]["message"]
    assert await setup.stored() == before
    await publish(setup.js, PROJECTS, "report-project-status", status_report(), ONLY_KLF)
    reports = "event_type = 'ProjectStatusReported' AND stream_id = 'project-p'"
    await eventually(lambda: setup.stored(reports), until=lambda n: n >= 1)


async def test_a_message_id_used_twice_is_refused_and_stored_once(setup: Setup) -> None:
    body = status_report(period="2011-07")
    message_id = await publish(setup.js, PROJECTS, "report-project-status", body)
    where = "payload->>'period' = '2011-07'"
    await eventually(lambda: setup.stored(where), until=lambda n: n == 1)
    response = await call(
        setup.http, "report-project-status", {**body, "message_id": message_id, "period": "2011-08"}
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "message_id"
    assert await setup.stored("payload->>'period' IN ('2011-07', '2011-08')") == 1


async def test_the_same_message_sent_twice_past_jetstreams_window_is_stored_once(
    setup: Setup,
) -> None:
    message_id = str(uuid.uuid4())
    body = {"message_id": message_id, "actor": "x", **status_report(period="2011-09")}
    subject = PROJECTS.inbound_subject(EVERY_UNIT, "report-project-status")
    for _ in range(2):  # different Nats-Msg-Ids: JetStream keeps both
        await setup.js.publish(
            subject, json.dumps(body).encode(), headers={"Nats-Msg-Id": str(uuid.uuid4())}
        )
    rejection = await setup.rejection(message_id)
    assert rejection["problems"][0]["field"] == "message_id"
    # The refusal is sent before its batch commits: the first copy may be a moment behind it.
    period = "payload->>'period' = '2011-09'"
    await eventually(lambda: setup.stored(period), until=lambda n: n >= 1)
    await asyncio.sleep(0.5)  # a second copy stored would be there by now
    assert await setup.stored(period) == 1


async def test_a_message_redelivered_after_it_was_stored_is_stored_once_and_not_refused(
    setup: Setup,
) -> None:
    first = await publish(
        setup.js, PROJECTS, "report-project-status", status_report(period="2012-01")
    )
    where = "payload->>'period' IN ('2012-01', '2012-02')"
    await eventually(lambda: setup.stored(where), until=lambda n: n == 1)
    # As if JetStream lost the acknowledgement and delivered everything again.
    await setup.projects.pool.execute("UPDATE consumer_positions SET sequence = 0")
    (consumer,) = await setup.js.consumers_info(PROJECTS.inbound_stream)
    await setup.js.delete_consumer(PROJECTS.inbound_stream, consumer.name)
    await publish(setup.js, PROJECTS, "report-project-status", status_report(period="2012-02"))
    await eventually(lambda: setup.stored(where), until=lambda n: n == 2)
    await asyncio.sleep(0.5)
    assert first not in setup.rejections
    assert await setup.stored("payload->>'period' = '2012-01'") == 1


async def test_the_projects_nats_user_may_follow_budget_and_goals(setup: Setup) -> None:
    """The declaration says whom projects learns from; its follower consumers are there."""
    for owner in (BUDGET, GOALS):
        names = [c.name for c in await setup.js.consumers_info(owner.events_stream)]
        assert "projects-learns" in names, (owner.name, names)
