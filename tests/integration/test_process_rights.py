"""Rights through a process, and ids that are the service's own, on real NATS and PostgreSQL
with budget, projects (with the project office's share) and reporting running.

A planner may move the project office's revenue through the 10 % rule only with the office's
unit in scope: without it, registering a project the office runs or setting its budget is a
403 in Swedish and budget's figures for the office do not move. Whatever causation or
correlation id a caller puts in a command, the stored event's are the message id the service
received, the caller's are kept as its references, and the history shows the real message;
only the office share, sent by the projects service, keeps the causing event as its cause.
"""

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import nats
import pytest
from nats.js import JetStreamContext

from contracts.budget.commands import RegisterUnit
from contracts.budget.service import BUDGET
from contracts.goals.service import GOALS
from kommunplan.demo import publish_commands
from plumbing.nats_connection import ensure_streams
from plumbing.write_service import streams
from services.budget.bootstrap import BudgetProcess
from services.projects import bootstrap as projects
from services.projects.office_share import message_id_for
from services.reporting.bootstrap import ReportingProcess
from tests.conftest import _fresh_database, count, eventually
from tests.servers import Servers
from tests.system import (
    get_as,
    running_budget,
    running_projects,
    running_reporting,
    with_process_managers,
)
from tests.tokens import bearer

OFFICE = "PROJ"  # the project office, as the settings name it by default
LEDGER = "ekonomisystem"  # registered for every unit (tests.system)


def unit(code: str, kind: str, parent: str | None) -> RegisterUnit:
    return RegisterUnit(
        actor="t",
        unit_code=code,
        name=code.title(),
        kind=kind,
        parent_code=parent,
        effective_on="2010-01-01",
    )


# KS with the administration KLF (IT under it) and the project office PROJ beside it: a
# planner for KLF may write for IT, not for the office.
TREE = [
    unit("KS", "board", None),
    unit("KLF", "administration", "KS"),
    unit("IT", "unit", "KLF"),
    unit(OFFICE, "unit", "KS"),
]


@dataclass
class System:
    js: JetStreamContext
    budget: BudgetProcess
    projects: projects.ProjectsProcess
    reporting: ReportingProcess
    budget_database: str
    projects_database: str

    async def post(
        self, app: Any, command: str, body: dict[str, Any], role: str, **token: Any
    ) -> httpx.Response:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://service"
        ) as http:
            return await http.post(
                f"/api/{command}", json={"actor": "ignored", **body}, headers=bearer(role, **token)
            )

    async def to_projects(self, command: str, body: dict[str, Any], **token: Any) -> httpx.Response:
        return await self.post(self.projects.app, command, body, "planner", **token)

    async def to_budget(
        self, command: str, body: dict[str, Any], role: str = "controller"
    ) -> httpx.Response:
        return await self.post(self.budget.app, command, body, role)

    async def history(self, unit_code: str, year: int = 2011) -> list[dict[str, Any]]:
        response = await get_as(self.reporting.app, f"/api/historik/{unit_code}/{year}", "reader")
        if response.status_code != 200:  # the unit is not in the read models yet
            return []
        return list(response.json()["entries"])

    async def history_entry(self, unit_code: str, event_id: str) -> dict[str, Any]:
        async def entry() -> dict[str, Any] | None:
            found = [e for e in await self.history(unit_code) if e["event_id"] == event_id]
            return found[0] if found else None

        found: dict[str, Any] = await eventually(entry, within=30)
        return found


async def stored(database: str, where: str, *args: object) -> list[dict[str, Any]]:
    """The events ``where`` holds for, oldest first: id, type, payload and metadata."""
    conn = await asyncpg.connect(database)
    try:
        rows = await conn.fetch(
            "SELECT event_id, event_type, payload, metadata FROM events"
            f" WHERE {where} ORDER BY position",
            *args,
        )
    finally:
        await conn.close()
    return [
        {
            "event_id": str(r["event_id"]),
            "event_type": r["event_type"],
            **json.loads(r["payload"]),
            "meta": json.loads(r["metadata"]),
        }
        for r in rows
    ]


async def office_shares(system: System, project_code: str) -> list[dict[str, Any]]:
    """The office's shares of ``project_code`` budget has stored."""
    return await stored(
        system.budget_database,
        "event_type = 'ProjectShareSet' AND payload->>'unit_code' = $1"
        " AND payload->>'project_code' = $2",
        OFFICE,
        project_code,
    )


@pytest.fixture(scope="module")
async def system(servers: Servers) -> AsyncIterator[System]:
    nc = await nats.connect(servers.nats_url)
    js = nc.jetstream()
    for info in await js.streams_info():
        await js.delete_stream(info.config.name)
    await ensure_streams(js, streams(GOALS))  # projects follows goals, which is not running
    budget_db, projects_db, reporting_db = [
        await _fresh_database(servers, name) for name in ("budget", "projects", "reporting")
    ]
    async with (
        running_budget(servers.nats_url, budget_db) as budget,
        running_projects(servers.nats_url, projects_db, with_process_managers) as projects_process,
        running_reporting(servers.nats_url, reporting_db) as reporting,
    ):
        await publish_commands(servers.nats_url, TREE, LEDGER)

        async def tree_known() -> bool:
            units = (await projects_process.service.state()).tree.units
            return all(u.unit_code in units for u in TREE)

        await eventually(tree_known, within=30)
        yield System(js, budget, projects_process, reporting, budget_db, projects_db)
    await nc.close()


def project(code: str, unit_code: str, **fields: Any) -> dict[str, Any]:
    return {
        "project_code": code,
        "name": f"Projektet {code}",
        "board_code": "KS",
        "unit_code": unit_code,
        "run_by_project_office": True,
        **fields,
    }


def project_budget(code: str, amount: str, year: int = 2011, **fields: Any) -> dict[str, Any]:
    return {"project_code": code, "year": year, "amount": amount, **fields}


KLF_ONLY = {"units": ("KLF",)}
KLF_AND_OFFICE = {"units": ("KLF", OFFICE)}


async def test_a_planner_outside_the_offices_scope_moves_none_of_its_revenue(
    system: System,
) -> None:
    # Registering a project the office runs: 403, in Swedish, naming the office.
    response = await system.to_projects("register-project", project("klf-egen", "KLF"), **KLF_ONLY)
    assert response.status_code == 403, response.text
    (problem,) = response.json()["problems"]
    assert problem["field"] == "run_by_project_office"
    assert "drivs av projektkontoret" in problem["message"]
    assert f"får inte skriva för enheten {OFFICE}" in problem["message"]
    never = "SELECT count(*) FROM events WHERE stream_id = 'project-klf-egen'"
    assert await count(system.projects_database, never) == 0

    # One the office runs, registered by a planner for every unit: its budget, 70 000 000 kr
    # (7 000 000 kr for the office), is not the KLF planner's to set.
    response = await system.to_projects("register-project", project("kontoret", "IT"))
    assert response.status_code == 201, response.text
    response = await system.to_projects(
        "set-project-budget", project_budget("kontoret", "70000000"), **KLF_ONLY
    )
    assert response.status_code == 403, response.text
    (problem,) = response.json()["problems"]
    assert problem["field"] == "project_code"
    assert f"enheten {OFFICE} (projektkontoret) intäkter" in problem["message"]
    assert "den får skriva för KLF med underliggande enheter" in problem["message"]

    # What does not move the office's revenue stays the KLF planner's.
    response = await system.to_projects(
        "register-project", project("klf-eget", "KLF", run_by_project_office=False), **KLF_ONLY
    )
    assert response.status_code == 201, response.text
    response = await system.to_projects(
        "record-financing",
        {**project_budget("kontoret", "500000"), "source": "Statens folkhälsoinstitut"},
        **KLF_ONLY,
    )
    assert response.status_code == 201, response.text

    # With the office in scope the budget is set, and its share is the only one budget has:
    # the office share sends in the order of projects' events, so a share of the refused
    # budget would have come before it.
    response = await system.to_projects(
        "set-project-budget", project_budget("kontoret", "1000000"), **KLF_AND_OFFICE
    )
    assert response.status_code == 201, response.text
    (share,) = await eventually(lambda: office_shares(system, "kontoret"), within=30)
    assert share["year"] == 2011
    assert Decimal(share["project_budget"]) == Decimal("1000000")
    assert Decimal(share["revenue"]) == Decimal("100000.00")
    budgets = "event_type = 'ProjectBudgetSet' AND stream_id = 'project-kontoret'"
    assert [e["amount"] for e in await stored(system.projects_database, budgets)] == ["1000000"]
    entries = await eventually(
        lambda: system.history(OFFICE),
        until=lambda found: any(e["item"] == "kontoret" for e in found),
        within=30,
    )
    assert [e["new"]["revenue"] for e in entries if e["item"] == "kontoret"] == ["100000.00"]


async def test_the_office_share_carries_the_causing_event_through_a_forged_reference(
    system: System,
) -> None:
    """The planner's own causation and correlation ids stay its references in projects;
    the share projects sends names the ProjectBudgetSet as its cause, in its correlation."""
    response = await system.to_projects("register-project", project("kedjan", OFFICE))
    assert response.status_code == 201, response.text
    forged_cause, forged_correlation = str(uuid.uuid4()), str(uuid.uuid4())
    body = project_budget(
        "kedjan", "2500000", causation_id=forged_cause, correlation_id=forged_correlation
    )
    response = await system.to_projects("set-project-budget", body)
    assert response.status_code == 201, response.text
    message_id = response.json()["message_id"]
    (event_id,) = response.json()["event_ids"]

    (budget_set,) = await stored(system.projects_database, "event_id = $1", uuid.UUID(event_id))
    meta = budget_set["meta"]
    assert (meta["message_id"], meta["causation_id"], meta["correlation_id"]) == (
        message_id,
        message_id,
        message_id,
    )
    assert (meta["sender_causation_id"], meta["sender_correlation_id"]) == (
        forged_cause,
        forged_correlation,
    )

    (share,) = await eventually(lambda: office_shares(system, "kedjan"), within=30)
    assert Decimal(share["revenue"]) == Decimal("250000.00")
    meta = share["meta"]
    assert meta["source_system"] == "projects"
    assert meta["causation_id"] == event_id, "the causing event, as the design has it"
    assert meta["correlation_id"] == message_id
    assert meta["message_id"] == str(message_id_for(uuid.UUID(event_id)))
    assert "sender_causation_id" not in meta and "sender_correlation_id" not in meta

    entry = await system.history_entry(OFFICE, share["event_id"])
    assert entry["caused_by_event_id"] == event_id
    assert entry["message_id"] == message_id
    assert forged_cause not in json.dumps(entry) and forged_correlation not in json.dumps(entry)


def actuals(period: str, **ids: str) -> dict[str, Any]:
    return {"unit_code": "IT", "period": period, "revenue": "1200", "costs": "-1100.50", **ids}


def forged() -> dict[str, str]:
    return {"causation_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4())}


async def assert_ids_are_the_services(
    system: System, unit_code: str, message_id: str, ids: dict[str, str]
) -> None:
    """The event stored for ``message_id``: its cause and correlation are that message, the
    sender's ``ids`` its references only, and the history shows the message and no cause."""

    async def of_message() -> list[dict[str, Any]]:
        return await stored(system.budget_database, "metadata->>'message_id' = $1", message_id)

    (event,) = await eventually(of_message, within=30)
    meta = event["meta"]
    assert (meta["causation_id"], meta["correlation_id"]) == (message_id, message_id)
    assert (meta["sender_causation_id"], meta["sender_correlation_id"]) == (
        ids["causation_id"],
        ids["correlation_id"],
    )
    entry = await system.history_entry(unit_code, event["event_id"])
    assert entry["message_id"] == message_id
    assert entry["caused_by_event_id"] is None
    shown = json.dumps(entry)
    assert ids["causation_id"] not in shown and ids["correlation_id"] not in shown


async def test_a_forged_causation_id_over_http_is_the_callers_reference_only(
    system: System,
) -> None:
    ids = forged()
    response = await system.to_budget("record-actuals", actuals("2011-03", **ids))
    assert response.status_code == 201, response.text
    await assert_ids_are_the_services(system, "IT", response.json()["message_id"], ids)

    # The office's share is taken only from the projects service, never by hand.
    ids = forged()
    share = {
        "unit_code": "IT",
        "year": 2011,
        "project_code": "for-hand",
        "project_budget": "1000",
        "revenue": "100",
        **ids,
    }
    response = await system.to_budget("set-project-share", share, role="planner")
    assert response.status_code == 403, response.text
    assert "set-project-share kräver rollen ingen roll" in response.text


async def test_a_forged_causation_id_over_nats_is_the_systems_reference_only(
    system: System,
) -> None:
    ids = forged()
    message_id = str(uuid.uuid4())
    body = {"message_id": message_id, "actor": LEDGER, **actuals("2011-04", **ids)}
    await system.js.publish(
        BUDGET.inbound_subject(LEDGER, "record-actuals"), json.dumps(body).encode()
    )
    await assert_ids_are_the_services(system, "IT", message_id, ids)
