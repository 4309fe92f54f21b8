"""Projects in reporting, on real NATS and PostgreSQL: the seed's projects
(kommunplan/demo_data/projects.jsonl) published as the projects service publishes its events, the
budget through the budget service and the goals as the goals service publishes them; the
plan's projects section, the register, the project page, and the project office's share of
project budgets in the budget figures."""

import asyncio
import dataclasses
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts.budget.commands import SetProjectShare
from contracts.budget.service import BUDGET
from contracts.envelope import Command, Envelope, Event, EventMessage
from contracts.projects.commands import (
    ChangeProjectManager,
    ChangeProjectStatus,
    LinkGoal,
    PlanStep,
    RecordFinancing,
    RegisterProject,
    ReportProjectStatus,
    SetProjectBudget,
)
from contracts.projects.events import (
    FinancingRecorded,
    GoalLinked,
    ProjectBudgetSet,
    ProjectManagerChanged,
    ProjectRegistered,
    ProjectStatusChanged,
    ProjectStatusReported,
    StepPlanned,
)
from contracts.projects.fields import Light, ProjectStatus
from contracts.projects.service import PROJECTS
from kommunplan.demo_data import projects as projects_demo
from kommunplan.demo_data.goals import goals_demo_commands, goals_demo_measurements
from plumbing.nats_connection import ensure_streams
from plumbing.read_models import active_generation, schema_name
from plumbing.write_service import streams
from services.budget.bootstrap import BudgetProcess
from services.reporting.bootstrap import ReportingProcess, add_operations_routes
from services.reporting.read_models import sources
from services.reporting.read_models.projects.projection import ProjectsProjection
from tests.conftest import eventually
from tests.integration.test_goals_reporting import GoalsPublisher, goals_publisher
from tests.system import (
    ReportingStack,
    Seed,
    Sent,
    demo_budget,
    get_as,
    in_order,
)

__all__ = ["goals_publisher"]  # the fixture the seed takes, shared with the goals tests

COMMAND_EVENTS: dict[type[Command], type[Event]] = {
    RegisterProject: ProjectRegistered,
    ChangeProjectStatus: ProjectStatusChanged,
    ChangeProjectManager: ProjectManagerChanged,
    PlanStep: StepPlanned,
    SetProjectBudget: ProjectBudgetSet,
    RecordFinancing: FinancingRecorded,
    ReportProjectStatus: ProjectStatusReported,
    LinkGoal: GoalLinked,
}

PROJECTS_TABLES = (
    "projects",
    "project_status_changes",
    "project_managers",
    "project_steps",
    "project_budgets",
    "project_financing",
    "project_status_reports",
    "project_goal_links",
)

BUDGET_Y = 2  # columns: Budget Y-1, Bokslut Y-1, Budget Y, Plan Y+1, Plan Y+2
DEMO = {p.code: p for p in projects_demo.PROJECTS}


class ProjectsPublisher:
    """Publishes projects events as the projects service's relay does: each command's event
    read through its contract, in an envelope, on a stream per project in version order."""

    def __init__(self, js: JetStreamContext) -> None:
        self.js = js
        self.versions: dict[str, int] = {}
        self.published: list[EventMessage] = []

    def event(self, command: Command) -> EventMessage:
        model = COMMAND_EVENTS[type(command)]
        fields = command.model_dump(include=set(model.model_fields))
        event = model.model_validate(fields)
        stream_id = f"project-{fields['project_code']}"
        version = self.versions.get(stream_id, 0) + 1
        self.versions[stream_id] = version
        envelope = Envelope(
            event_id=uuid.uuid4(),
            event_type=model.event_type,
            schema_version=model.schema_version,
            stream_id=stream_id,
            version=version,
            occurred_at=command.occurred_at,
            recorded_at=datetime.now(UTC),
            source_system="planeringssystem",
            actor=command.actor,
            correlation_id=command.message_id,
            causation_id=command.message_id,
        )
        return EventMessage(envelope=envelope, payload=event.model_dump(mode="json"))

    async def publish(self, commands: Sequence[Command]) -> list[EventMessage]:
        messages = [self.event(command) for command in commands]
        for message in messages:
            await self.js.publish(
                PROJECTS.event_subject(message.envelope.event_type),
                message.model_dump_json().encode(),
                headers={"Nats-Msg-Id": str(message.envelope.event_id)},
            )
            self.published.append(message)
        return messages

    def sends(self, commands: Sequence[Command]) -> Seed:
        """A seed of the reporting stack: ``commands``' events, for the projects projection."""

        async def seed(nats_url: str) -> Sent:
            return {ProjectsProjection.name: len(await self.publish(commands))}

        return seed


async def checkpoint(process: ReportingProcess) -> int:
    async with process.pool.acquire() as conn:
        generation = await active_generation(conn, ProjectsProjection.name)
        schema = schema_name(ProjectsProjection.name, generation or 0)
        return int(await conn.fetchval(f"SELECT sequence FROM {schema}.tracking") or 0)


async def snapshot(process: ReportingProcess) -> dict[str, list[tuple[Any, ...]]]:
    async with process.pool.acquire() as conn:
        generation = await active_generation(conn, ProjectsProjection.name)
        assert generation is not None
        schema = schema_name(ProjectsProjection.name, generation)
        return {
            table: [
                tuple(r) for r in await conn.fetch(f"SELECT * FROM {schema}.{table} ORDER BY 1, 2")
            ]
            for table in PROJECTS_TABLES
        }


def extra_commands() -> list[Command]:
    """What the seed does not state, for the views to show: a budget, a manager and his
    substitute, two status reports."""
    child = projects_demo.CHILD_AND_YOUTH
    return [
        SetProjectBudget(
            actor="projektkontoret",
            project_code=projects_demo.COMMUNICATION_PLATFORM,
            year=2011,
            amount=Decimal(300000),
        ),
        ChangeProjectManager(
            actor="projektkontoret",
            project_code=child,
            project_manager="Exempel Projektledare",
            effective_on=date(2010, 1, 1),
        ),
        ChangeProjectManager(
            actor="projektkontoret",
            project_code=child,
            project_manager="Exempel Vikarie",
            effective_on=date(2011, 1, 15),
            acting=True,
            reason="Föräldraledighet",
        ),
        ReportProjectStatus(
            actor="projektverktyg",
            project_code=child,
            period="2011-01",
            schedule=Light.GREEN,
            cost=Light.GREEN,
            quality=Light.GREEN,
            reported_by="Exempel Vikarie",
        ),
        ReportProjectStatus(
            actor="projektverktyg",
            project_code=child,
            period="2011-02",
            schedule=Light.YELLOW,
            cost=Light.GREEN,
            quality=Light.RED,
            text="Aktiviteterna i samverkan är försenade.",
            reported_by="Exempel Vikarie",
        ),
    ]


class Stack:
    def __init__(
        self, reporting: ReportingProcess, budget: BudgetProcess, publisher: ProjectsPublisher
    ) -> None:
        self.reporting = reporting
        self.budget = budget
        self.publisher = publisher

    async def get(self, path: str, status: int = 200) -> dict[str, Any]:
        response = await get_as(self.reporting.app, path, "reader")
        assert response.status_code == status, response.text
        return dict(response.json())

    async def html(self, path: str) -> str:
        response = await get_as(self.reporting.app, path, "reader")
        assert response.status_code == 200, response.text
        return response.text

    async def set_share(self, revenue: str, causation: uuid.UUID, project_budget: str) -> None:
        """As projects' process manager sends it: over NATS as the projects service, with
        the causing event as its cause (budget keeps a service's cause, nobody else's)."""
        command = SetProjectShare(
            actor="projects",
            unit_code="PROJ",
            year=2011,
            project_code=projects_demo.COMMUNICATION_PLATFORM,
            project_budget=Decimal(project_budget),
            revenue=Decimal(revenue),
            causation_id=causation,
            correlation_id=causation,
        )
        subject = BUDGET.inbound_subject(PROJECTS.name, command.command_name)
        await self.publisher.js.publish(subject, command.model_dump_json().encode())


@pytest.fixture
async def projects_publisher(nats_client: tuple[Client, JetStreamContext]) -> ProjectsPublisher:
    """The projects service's relay, as far as reporting sees it, its stream declared."""
    _, js = nats_client
    await ensure_streams(js, streams(PROJECTS))
    return ProjectsPublisher(js)


@pytest.fixture
def reporting_seed(goals_publisher: GoalsPublisher, projects_publisher: ProjectsPublisher) -> Seed:
    """The demo's budget, goals and projects, and a few changes to the projects."""
    return in_order(
        demo_budget,
        goals_publisher.sends(goals_demo_commands() + goals_demo_measurements()),
        projects_publisher.sends(projects_demo.projects_demo_commands() + extra_commands()),
    )


@pytest.fixture
def stack(reporting_stack: ReportingStack, projects_publisher: ProjectsPublisher) -> Stack:
    return Stack(reporting_stack.reporting, reporting_stack.budget, projects_publisher)


def listed(section: dict[str, Any], part: str) -> list[str]:
    return [p["project_code"] for p in section[part]]


async def test_the_plans_section_lists_the_seeds_projects_one_by_one(stack: Stack) -> None:
    section = (await stack.get("/api/plan/KS/2011"))["projects"]
    assert section["title"] == "Kommunstyrelsens pågående alternativt nya projekt 2011–2013"
    # The seed's own lists come first, in its order; what the rest of the document states
    # follows in registration order.
    ongoing, new = listed(section, "ongoing"), listed(section, "new")
    assert ongoing == [*projects_demo.SECTION_ONGOING, projects_demo.LOGISTICS_CENTRE]
    assert new == [
        *projects_demo.SECTION_NEW,
        projects_demo.ENERGY_EFFICIENCY,
        projects_demo.E_SERVICES,
        projects_demo.QUALITY_IN_BRIEF,
    ]
    for entry in section["ongoing"] + section["new"]:
        demo = DEMO[entry["project_code"]]
        assert entry["name"] == demo.name
        assert entry["purpose"] == demo.purpose
        assert entry["goals_text"] == demo.goals_text
        assert entry["directive"] == demo.directive
        assert entry["decision"] == demo.decision
    statuses = {p["project_code"]: p["status"] for p in section["ongoing"] + section["new"]}
    assert statuses[projects_demo.VISION_2025] == ProjectStatus.DECIDED
    assert statuses[projects_demo.FULL_TIME] == ProjectStatus.DECIDED
    assert statuses[projects_demo.COMMUNICATION_PLATFORM] == ProjectStatus.PROPOSED

    child = section["ongoing"][0]
    assert child["name"] == "Barn- och ungdomsprojektet"
    assert child["purpose"].startswith("Katrineholms kommun blev beviljade, i slutet av 2008")
    assert "skapa förutsättningar för en god hälsa" in child["goals_text"]
    assert section["new"][3]["directive"] == "KS 2010-04-28 § 90"

    # Kommunledningsförvaltningen's plan: its units' projects only, not NÄT's.
    klf = (await stack.get("/api/plan/KLF/2011"))["projects"]
    assert klf["title"].startswith("Kommunledningsförvaltningens pågående alternativt nya projekt")
    assert projects_demo.LOGISTICS_CENTRE not in listed(klf, "ongoing")
    assert listed(klf, "ongoing") == list(projects_demo.SECTION_ONGOING)
    it = (await stack.get("/api/plan/IT/2011"))["projects"]
    assert (it["ongoing"], it["new"]) == ([], [])

    html = await stack.html("/plan/KS/2011")
    assert html.index("Nämndens resultatmål och åtaganden") < html.index(
        "Kommunstyrelsens pågående alternativt nya projekt 2011–2013"
    )
    assert "Projektdirektiv: KS 2010-04-28 § 90" in html
    assert "Inga pågående eller nya projekt." in await stack.html("/plan/IT/2011")


async def test_the_register_filters_by_status_unit_and_year(stack: Stack) -> None:
    everything = await stack.get("/api/projekt")
    assert [p["project_code"] for p in everything["projects"]] == list(DEMO)

    def codes(view: dict[str, Any]) -> list[str]:
        return [p["project_code"] for p in view["projects"]]

    ongoing = [code for code, p in DEMO.items() if p.status == ProjectStatus.ONGOING]
    assert codes(await stack.get("/api/projekt?status=ongoing")) == ongoing
    assert codes(await stack.get("/api/projekt?status=pågående")) == ongoing
    assert codes(await stack.get("/api/projekt?status=decided")) == [
        projects_demo.VISION_2025,
        projects_demo.FULL_TIME,
        projects_demo.QUALITY_IN_BRIEF,
    ]
    assert codes(await stack.get("/api/projekt?status=completed")) == []
    office = [code for code, p in DEMO.items() if p.unit_code == "PROJ"]
    assert codes(await stack.get("/api/projekt?enhet=PROJ")) == office
    assert codes(await stack.get("/api/projekt?enhet=NÄT")) == [projects_demo.LOGISTICS_CENTRE]
    assert codes(await stack.get("/api/projekt?enhet=KS")) == list(DEMO)
    assert codes(await stack.get("/api/projekt?enhet=KLF&status=ongoing")) == list(
        projects_demo.SECTION_ONGOING
    )
    # No project of the seed has a planned period: only the budget set here covers a year.
    assert codes(await stack.get("/api/projekt?ar=2011")) == [projects_demo.COMMUNICATION_PLATFORM]
    assert codes(await stack.get("/api/projekt?ar=2012")) == []

    child = everything["projects"][0]
    assert child["unit_name"] == "Projektkontoret"
    assert child["project_manager"] == "Exempel Projektledare"
    assert child["acting_project_manager"] == "Exempel Vikarie"
    assert child["status_label"] == "pågående"
    assert (child["planned_start"], child["planned_end"], child["budget"]) == (None, None, None)
    assert child["external_financing"]["amount"] == "7000000"
    latest = child["latest_status_report"]
    assert latest["period"] == "2011-02"
    assert [latest[k]["label"] for k in ("schedule", "cost", "quality")] == ["gul", "grön", "röd"]

    html = await stack.html("/projekt?enhet=PROJ")
    assert "Projektregister – Projektkontoret" in html
    assert "7 000 000" in html
    assert 'kvalitet <span class="light light-red">' in html


async def test_the_project_page_shows_every_fact_with_steps_money_timeline_and_goals(
    stack: Stack,
) -> None:
    platform = await stack.get(f"/api/projekt/{projects_demo.COMMUNICATION_PLATFORM}")
    demo = DEMO[projects_demo.COMMUNICATION_PLATFORM]
    assert (platform["name"], platform["purpose"], platform["goals_text"]) == (
        demo.name,
        demo.purpose,
        demo.goals_text,
    )
    assert (platform["board_name"], platform["unit_name"]) == (
        "Kommunstyrelsen",
        "Informationskontor",
    )
    assert platform["run_by_project_office"] is True
    # Nothing invented: the seed names no manager, no steering group, no dates.
    assert (platform["project_manager"], platform["steering_group"]) == (None, [])
    assert (platform["planned_start"], platform["planned_end"]) == (None, None)
    steps = {s["step"]: s for s in platform["steps"]}
    assert sorted(steps) == [1, 2, 3, 4]
    assert steps[2]["cost_estimate"] == {"amount": "300000", "tkr": "300"}
    assert steps[2]["period"] == "hösten 2010/våren 2011"
    assert steps[1]["cost_estimate"] is None
    (year,) = platform["years"]
    assert (year["year"], year["budget"]["amount"], year["external_financing"]) == (
        2011,
        "300000",
        [],
    )
    goals = {g["goal_id"]: g for g in platform["goals"]}
    assert sorted(goals) == [
        "klf-attraktiv-arbetsgivare",
        "klf-ratt-kvalitet-produktivitet-och-effektivitet",
    ]
    for goal in goals.values():
        assert goal["title"] and goal["commitments"]
        for commitment in goal["commitments"]:
            assert commitment["attainment"]["total"]["label"] in {
                "uppfyllt",
                "delvis uppfyllt",
                "ej uppfyllt",
                "ej mätt",
            }
    # The same commitments and attainment as the goals view for the goal's last year.
    view = await stack.get(f"/api/mal/KLF/{goal['year']}")
    for goal in goals.values():
        for commitment in goal["commitments"]:
            same = next(
                c for c in view["commitments"] if c["commitment_id"] == commitment["commitment_id"]
            )
            assert commitment["attainment"] == same["attainment"]

    child = await stack.get(f"/api/projekt/{projects_demo.CHILD_AND_YOUTH}")
    (grant_year,) = child["years"]
    assert grant_year["year"] == 2009 and grant_year["budget"] is None
    (grant,) = grant_year["external_financing"]
    assert (grant["source"], grant["amount"]) == ("Statens Folkhälsoinstitut", "7000000")
    assert child["external_financing_total"]["amount"] == "7000000"
    assert [e["kind"] for e in child["timeline"]][1:] == ["manager", "manager", "report", "report"]
    report = child["timeline"][-1]
    assert (report["on"], report["who"], report["text"]) == (
        "2011-02-28",
        "Exempel Vikarie (planeringssystem)",  # the reporter it names, and who sent it
        "Aktiviteterna i samverkan är försenade.",
    )
    assert report["lights"]["quality"]["label"] == "röd"
    assert child["timeline"][2]["title"] == "Tillförordnad projektledare: Exempel Vikarie"

    vision = await stack.get(f"/api/projekt/{projects_demo.VISION_2025}")
    registered, decided = vision["timeline"]
    assert registered["title"] == "Registrerat i projektregistret som föreslaget"
    assert (decided["on"], decided["title"], decided["decision"]) == (
        "2010-11-24",
        "Status: beslutat",
        "KS 2010-11-24 § 228",
    )
    assert decided["text"]

    html = await stack.html(f"/projekt/{projects_demo.COMMUNICATION_PLATFORM}")
    assert "Steg 2 Förstudie" in html and "300 000" in html
    assert "Resultatmål som projektet bidrar till" in html


async def test_a_project_share_changes_the_offices_revenue_by_exactly_the_share(
    stack: Stack,
) -> None:
    def office(view: dict[str, Any]) -> dict[str, Any]:
        cell = next(n for n in view["nodes"] if n["code"] == "PROJ")["figures"][BUDGET_Y]
        return dict(cell)

    before = office(await stack.get("/api/plan/KS/2011"))
    assert before["project_shares"] is None
    budget_set = next(
        m for m in stack.publisher.published if m.envelope.event_type == "ProjectBudgetSet"
    )
    cause = budget_set.envelope.event_id

    async def shares_of(view_revenue: str) -> dict[str, Any]:
        return await eventually(
            lambda: stack.get("/api/plan/KS/2011"),
            until=lambda view: office(view)["revenue"] == view_revenue,
            within=30,
        )

    await stack.set_share("30000", cause, "300000")
    first = office(await shares_of(str(Decimal(before["revenue"]) + 30000)))
    assert first["costs"] == before["costs"]
    assert Decimal(first["net"]) == Decimal(before["net"]) + 30000
    assert first["project_shares"]["amount"] == "30000"

    # A second share for the same project and year replaces the first.
    await stack.set_share("45000", cause, "450000")
    second = office(await shares_of(str(Decimal(before["revenue"]) + 45000)))
    assert second["project_shares"]["amount"] == "45000"

    history = await stack.get("/api/historik/PROJ/2011")
    shares = [e for e in history["entries"] if e["event_type"] == "ProjectShareSet"]
    assert [(e["old"], e["new"]["revenue"]) for e in shares] == [
        (None, "30000"),
        (
            {
                "revenue": "30000",
                "project_budget": "300000",
                "tkr": {"revenue": "30", "project_budget": "300"},
            },
            "45000",
        ),
    ]
    assert {e["caused_by_event_id"] for e in shares} == {str(cause)}
    assert shares[0]["what"] == f"Projektandel 2011, projekt {projects_demo.COMMUNICATION_PLATFORM}"
    html = await stack.html("/historik/PROJ/2011")
    assert f"orsak: händelse {cause}" in html

    page = await stack.get(f"/api/projekt/{projects_demo.COMMUNICATION_PLATFORM}")
    assert page["years"][0]["project_office_share"]["revenue"]["amount"] == "45000"


async def test_redelivery_and_rebuild_change_nothing(stack: Stack) -> None:
    process = stack.reporting
    before = await snapshot(process)
    register = await stack.get("/api/projekt")
    page = await stack.get(f"/api/projekt/{projects_demo.CHILD_AND_YOUTH}")
    section = (await stack.get("/api/plan/KS/2011"))["projects"]

    # The same events again, as a relay retrying after a lost ack would send them (past the
    # deduplication window: no message ids).
    for message in stack.publisher.published[:20]:
        await stack.publisher.js.publish(
            PROJECTS.event_subject(message.envelope.event_type),
            message.model_dump_json().encode(),
        )
    info = await stack.publisher.js.stream_info(PROJECTS.events_stream)
    await eventually(lambda: checkpoint(process), until=lambda n: n == info.state.last_seq)
    assert await snapshot(process) == before
    assert await stack.get("/api/projekt") == register

    generation = await process.runner(sources.PROJECTS).rebuild(asyncio.Event())
    assert generation == 2
    assert await snapshot(process) == before
    assert await stack.get("/api/projekt") == register
    assert await stack.get(f"/api/projekt/{projects_demo.CHILD_AND_YOUTH}") == page
    assert (await stack.get("/api/plan/KS/2011"))["projects"] == section

    # On an app of its own: the stack's has served requests, and takes no more middleware.
    operated = dataclasses.replace(process, app=FastAPI())
    add_operations_routes(operated)
    ready = await get_as(operated.app, "/ready")
    assert "projektion projekt" in ready.json()["workers"]
    assert ready.json()["checks"]["parkerade"] == "ok"


async def test_unknown_projects_and_filters_are_answered_in_swedish(stack: Stack) -> None:
    missing = await stack.get("/api/projekt/finns-inte", 404)
    assert missing["detail"] == "Projektet finns-inte finns inte"
    response = await get_as(stack.reporting.app, "/projekt/finns-inte", "reader")
    assert response.status_code == 404
    for query, message in (
        ("status=klar", "status=klar finns inte; välj en av proposed (föreslaget), "),
        ("enhet=XYZ", "enhet=XYZ finns inte"),
        ("ar=elva", "ar=elva är inget år; ange ett år mellan 1990 och 2100"),
    ):
        refused = await stack.get(f"/api/projekt?{query}", 422)
        assert refused["detail"].startswith(message), refused
        html = await get_as(stack.reporting.app, f"/projekt?{query}", "reader")
        assert html.status_code == 422
