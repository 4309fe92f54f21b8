"""The goals view, the project register, a project's page and the plan's goals and projects
sections as they stood at an earlier moment (?per=), on NATS and PostgreSQL: a goal reworded,
a key figure measured, a project's status changed, a status report and a new project, all
recorded after the moment, are not seen as of it and are seen now."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from contracts.envelope import Command
from contracts.goals.commands import RecordMeasurement, RewordGoal
from contracts.projects.commands import ChangeProjectStatus, RegisterProject, ReportProjectStatus
from contracts.projects.fields import Light, ProjectStatus
from kommunplan.demo_data import projects as projects_demo
from kommunplan.demo_data.budget import unit_commands
from kommunplan.demo_data.goals import goals_demo_commands, goals_demo_measurements
from plumbing.read_models import active_generation, schema_name
from services.reporting.bootstrap import ReportingProcess
from services.reporting.read_models.goals.projection import GoalsProjection
from services.reporting.read_models.projects.projection import ProjectsProjection
from services.reporting.reports.shared.as_of import shown_moment
from tests.conftest import eventually
from tests.integration.test_goals_reporting import GoalsPublisher, goals_applied, goals_publisher
from tests.integration.test_projects_reporting import (
    DEMO,
    ProjectsPublisher,
    extra_commands,
    projects_publisher,
)
from tests.system import Seed, applied, get_as, in_order, ledger_sends

__all__ = ["goals_publisher", "projects_publisher"]  # the fixtures the seed takes

GOAL = "nat-fler-jobb"
OLD_TITLE = "Fler jobb"
NEW_TITLE = "Fler arbetstillfällen i hela kommunen"
NKI = "nat-nojd-kund-index"  # under GOAL: at least 70 by 2011, from 63 in 2009
VISION = projects_demo.VISION_2025  # decided in the seed
CHILD = projects_demo.CHILD_AND_YOUTH  # last status report in extra_commands: 2011-02
LATE = "bredband-pa-landsbygden"

GOALS_AFTER: list[Command] = [
    RewordGoal(actor="planerare", goal_id=GOAL, title=NEW_TITLE),
    RecordMeasurement.model_validate(
        {
            "actor": "statistik",
            "measure_id": NKI,
            "period": "2011",
            "total": "72",
            "source": "Nöjd-Kund-Index",
        }
    ),
]
PROJECTS_AFTER: list[Command] = [
    ChangeProjectStatus(
        actor="projektkontoret",
        project_code=VISION,
        status=ProjectStatus.ONGOING,
        effective_on=date(2011, 2, 1),
        decision="KS 2011-01-26 § 12",
    ),
    ReportProjectStatus(
        actor="projektverktyg",
        project_code=CHILD,
        period="2011-03",
        schedule=Light.GREEN,
        cost=Light.GREEN,
        quality=Light.YELLOW,
        text="Samverkan är i gång igen.",
        reported_by="Exempel Vikarie",
    ),
    RegisterProject(
        actor="projektkontoret",
        project_code=LATE,
        name="Bredband på landsbygden",
        board_code="KS",
        unit_code="PROJ",
        purpose="Bredband till hushåll och företag utanför tätorterna.",
    ),
]


@dataclass(frozen=True)
class Moments:
    process: ReportingProcess
    between: datetime  # after the seed was applied, before anything later was sent

    async def get(self, path: str, per: bool = False, status: int = 200) -> dict[str, Any]:
        response = await get_as(self.process.app, self.at(path, per), "reader")
        assert response.status_code == status, (path, response.text)
        return dict(response.json())

    async def html(self, path: str, per: bool = False) -> str:
        response = await get_as(self.process.app, self.at(path, per), "reader")
        assert response.status_code == 200, (path, response.text)
        return response.text

    def at(self, path: str, per: bool) -> str:
        if not per:
            return path
        joiner = "&" if "?" in path else "?"
        return f"{path}{joiner}{urlencode({'per': self.between.isoformat()})}"


@pytest.fixture
def reporting_seed(goals_publisher: GoalsPublisher, projects_publisher: ProjectsPublisher) -> Seed:
    return in_order(
        ledger_sends(unit_commands()),
        goals_publisher.sends(goals_demo_commands() + goals_demo_measurements()),
        projects_publisher.sends(projects_demo.projects_demo_commands() + extra_commands()),
    )


@pytest.fixture
async def moments(
    reporting: ReportingProcess,
    goals_publisher: GoalsPublisher,
    projects_publisher: ProjectsPublisher,
) -> Moments:
    """The seed read, then the goals' and projects' later changes sent and read."""
    goals_sent = await goals_applied(reporting)
    projects_sent = await applied(reporting, ProjectsProjection.name)

    await asyncio.sleep(0.05)
    between = datetime.now(UTC)
    await asyncio.sleep(0.05)

    # The publishers stamp each event's recorded time as they make it: after the moment.
    goals_sent += await goals_publisher.publish(GOALS_AFTER)
    projects_sent += len(await projects_publisher.publish(PROJECTS_AFTER))
    await eventually(lambda: goals_applied(reporting), until=lambda n: n == goals_sent)
    await eventually(
        lambda: applied(reporting, ProjectsProjection.name), until=lambda n: n == projects_sent
    )
    return Moments(reporting, between)


def commitment(view: dict[str, Any], commitment_id: str) -> dict[str, Any]:
    return next(c for c in view["commitments"] if c["commitment_id"] == commitment_id)


def attainment(entry: dict[str, Any]) -> str:
    return str(entry["attainment"]["total"]["label"])


def codes(register: dict[str, Any]) -> list[str]:
    return [p["project_code"] for p in register["projects"]]


def row(register: dict[str, Any], project_code: str) -> dict[str, Any]:
    return next(p for p in register["projects"] if p["project_code"] == project_code)


async def test_the_goals_view_shows_the_wording_and_measurement_known_then(
    moments: Moments,
) -> None:
    then = await moments.get("/api/mal/KS/2011", per=True)
    now = await moments.get("/api/mal/KS/2011")
    assert then["per"] == moments.between.isoformat() and now["per"] is None

    nki_then, nki_now = commitment(then, NKI), commitment(now, NKI)
    assert nki_then["goal"] == OLD_TITLE
    assert nki_now["goal"] == NEW_TITLE
    # The latest measurement then was the baseline year's: 2011 was not measured yet.
    assert (nki_then["latest"]["period"], nki_then["latest"]["total"]["text"]) == ("2009", "63")
    assert [m["period"] for m in nki_then["history"]] == ["2009"]
    assert attainment(nki_then) == "ej mätt"
    assert (nki_now["latest"]["period"], nki_now["latest"]["total"]["text"]) == ("2011", "72")
    assert [m["period"] for m in nki_now["history"]] == ["2009", "2011"]
    assert attainment(nki_now) == "uppfyllt"
    # Every other commitment of the goal is reworded alike, and nothing else changed.
    assert {c["commitment_id"] for c in then["commitments"]} == {
        c["commitment_id"] for c in now["commitments"]
    }
    assert {c["goal"] for c in then["commitments"] if c["goal"] in (OLD_TITLE, NEW_TITLE)} == {
        OLD_TITLE
    }

    # A filter by attainment filters by the attainment of the moment read.
    met_then = await moments.get("/api/mal/KS/2011?maluppfyllelse=uppfyllt", per=True)
    met_now = await moments.get("/api/mal/KS/2011?maluppfyllelse=uppfyllt")
    assert NKI not in [c["commitment_id"] for c in met_then["commitments"]]
    assert NKI in [c["commitment_id"] for c in met_now["commitments"]]

    page = await moments.html("/mal/KS/2011", per=True)
    assert f"Som rapporten såg ut per {shown_moment(moments.between)}" in page
    assert NEW_TITLE not in page and OLD_TITLE in page
    assert NEW_TITLE in await moments.html("/mal/KS/2011")


async def test_the_register_shows_the_projects_statuses_and_reports_known_then(
    moments: Moments,
) -> None:
    then = await moments.get("/api/projekt", per=True)
    now = await moments.get("/api/projekt")
    assert then["per"] == moments.between.isoformat() and now["per"] is None
    # Registered after the moment: not in the register as it stood then.
    assert codes(then) == list(DEMO)
    assert codes(now) == [*DEMO, LATE]

    assert (row(then, VISION)["status"], row(then, VISION)["status_label"]) == (
        ProjectStatus.DECIDED,
        "beslutat",
    )
    assert row(now, VISION)["status"] == ProjectStatus.ONGOING
    report_then = row(then, CHILD)["latest_status_report"]
    report_now = row(now, CHILD)["latest_status_report"]
    assert report_then["period"] == "2011-02"
    assert [report_then[k]["label"] for k in ("schedule", "cost", "quality")] == [
        "gul",
        "grön",
        "röd",
    ]
    assert report_now["period"] == "2011-03"
    assert [report_now[k]["label"] for k in ("schedule", "cost", "quality")] == [
        "grön",
        "grön",
        "gul",
    ]

    ongoing_then = codes(await moments.get("/api/projekt?status=ongoing", per=True))
    ongoing_now = codes(await moments.get("/api/projekt?status=ongoing"))
    assert VISION not in ongoing_then
    assert ongoing_now == [c for c in DEMO if c in {*ongoing_then, VISION}]

    page = await moments.html("/projekt", per=True)
    assert f"Som rapporten såg ut per {shown_moment(moments.between)}" in page
    assert "Bredband på landsbygden" not in page
    assert "Bredband på landsbygden" in await moments.html("/projekt")


async def test_a_project_page_shows_its_lifecycle_and_reports_up_to_then(
    moments: Moments,
) -> None:
    vision_then = await moments.get(f"/api/projekt/{VISION}", per=True)
    vision_now = await moments.get(f"/api/projekt/{VISION}")
    assert vision_then["per"] == moments.between.isoformat()
    assert (vision_then["status"], vision_now["status"]) == (
        ProjectStatus.DECIDED,
        ProjectStatus.ONGOING,
    )
    assert [e["title"] for e in vision_then["timeline"]] == [
        "Registrerat i projektregistret som föreslaget",
        "Status: beslutat",
    ]
    started = vision_now["timeline"][-1]
    assert (started["on"], started["title"], started["decision"]) == (
        "2011-02-01",
        "Status: pågående",
        "KS 2011-01-26 § 12",
    )
    assert vision_now["timeline"][:-1] == vision_then["timeline"]

    child_then = await moments.get(f"/api/projekt/{CHILD}", per=True)
    child_now = await moments.get(f"/api/projekt/{CHILD}")
    reports_then = [e["on"] for e in child_then["timeline"] if e["kind"] == "report"]
    reports_now = [e["on"] for e in child_now["timeline"] if e["kind"] == "report"]
    assert reports_then == ["2011-01-31", "2011-02-28"]
    assert reports_now == [*reports_then, "2011-03-31"]

    missing = await moments.get(f"/api/projekt/{LATE}", per=True, status=404)
    # Missing then, though there now: the refusal names the moment.
    per = moments.between.isoformat()
    assert missing["detail"] == f"Projektet {LATE} finns inte (per {per})"
    assert (await moments.get(f"/api/projekt/{LATE}"))["name"] == "Bredband på landsbygden"
    page = await moments.html(f"/projekt/{VISION}", per=True)
    assert f"Som rapporten såg ut per {shown_moment(moments.between)}" in page
    assert "Status: pågående" not in page


async def test_the_plans_goals_and_projects_sections_agree_with_the_moment(
    moments: Moments,
) -> None:
    then = await moments.get("/api/plan/KS/2011", per=True)
    now = await moments.get("/api/plan/KS/2011")

    def title(plan: dict[str, Any]) -> str:
        return str(
            next(
                g["title"]
                for u in plan["goals"]["units"]
                for p in u["perspectives"]
                for g in p["goals"]
                if g["goal_id"] == GOAL
            )
        )

    assert (title(then), title(now)) == (OLD_TITLE, NEW_TITLE)

    def section(plan: dict[str, Any]) -> dict[str, dict[str, str]]:
        projects = plan["projects"]
        return {
            part: {p["project_code"]: p["status"] for p in projects[part]}
            for part in ("ongoing", "new")
        }

    was, became = section(then), section(now)
    # Decided then, so among the new projects; ongoing now.
    assert was["new"][VISION] == ProjectStatus.DECIDED and VISION not in was["ongoing"]
    assert became["ongoing"][VISION] == ProjectStatus.ONGOING and VISION not in became["new"]
    assert LATE not in was["new"] and became["new"][LATE] == ProjectStatus.PROPOSED
    assert list(became["ongoing"]) == [c for c in DEMO if c in {*was["ongoing"], VISION}]
    assert list(became["new"]) == [*(c for c in was["new"] if c != VISION), LATE]

    page = await moments.html("/plan/KS/2011", per=True)
    assert f"Som rapporten såg ut per {shown_moment(moments.between)}" in page
    assert "Bredband på landsbygden" not in page and NEW_TITLE not in page


async def test_each_earlier_version_is_kept_until_the_change_was_recorded(
    moments: Moments,
) -> None:
    async with moments.process.pool.acquire() as conn:

        async def replaced(projection: str, table: str, key: str, value: str) -> list[Any]:
            """The versions of a row replaced after the moment."""
            generation = await active_generation(conn, projection)
            assert generation is not None
            schema = schema_name(projection, generation)
            return list(
                await conn.fetch(
                    f"SELECT * FROM {schema}.{table}_versions WHERE {key} = $1"
                    " AND known_until > $2",
                    value,
                    moments.between,
                )
            )

        (goal,) = await replaced(GoalsProjection.name, "goals", "goal_id", GOAL)
        (vision,) = await replaced(ProjectsProjection.name, "projects", "project_code", VISION)
    assert goal["title"] == OLD_TITLE and goal["known_from"] < moments.between
    assert vision["status"] == ProjectStatus.DECIDED and vision["known_from"] < moments.between
