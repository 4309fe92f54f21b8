"""The interim and annual reports on NATS and PostgreSQL: the budget's commands through the
budget service, goals and projects events as their services publish them, all projected by
reporting and read through the views."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI

from contracts.budget.commands import (
    MakeForecast,
    RecordActuals,
    RegisterUnit,
    SetFigures,
    SetNetInvestment,
    WriteFollowUpText,
    WriteNarrative,
)
from contracts.budget.fields import (
    FigureKind,
    FigureStatus,
    FollowUpReport,
    NarrativeSection,
    UnitKind,
)
from contracts.envelope import Command
from contracts.goals.commands import AdoptGoal, DefinePerspective, MakeCommitment, RecordMeasurement
from contracts.goals.fields import (
    Baseline,
    CommitmentKind,
    Comparison,
    FollowUp,
    MeasureUnit,
    Target,
)
from contracts.projects.commands import RegisterProject, ReportProjectStatus
from contracts.projects.fields import Light
from plumbing.http_identity import Access
from plumbing.settings import ServiceSettings
from services.reporting.bootstrap import ReportingProcess
from services.reporting.http import create_app
from services.reporting.reports.month_report.builder import EXAMPLE_NOTICE
from services.reporting.reports.period_report.routes import interim_report
from services.reporting.reports.shared.routes import add_report
from tests.integration.test_goals_reporting import GoalsPublisher, goals_publisher
from tests.integration.test_projects_reporting import ProjectsPublisher, projects_publisher
from tests.system import Seed, get_as, in_order, ledger_sends
from tests.tokens import identity_settings

__all__ = ["goals_publisher", "projects_publisher"]  # the fixtures the seed takes

ACTOR = "controller"
EXAMPLE = "exempeldata"
DAY = date(2011, 1, 1)


def budget_commands() -> list[Command]:
    def unit(code: str, name: str, kind: UnitKind, parent: str | None) -> RegisterUnit:
        return RegisterUnit(
            actor=ACTOR, unit_code=code, name=name, kind=kind, parent_code=parent, effective_on=DAY
        )

    def budget(code: str, revenue: str, costs: str) -> SetFigures:
        return SetFigures(
            actor=ACTOR,
            unit_code=code,
            year=2011,
            kind=FigureKind.BUDGET,
            status=FigureStatus.ADOPTED,
            revenue=Decimal(revenue),
            costs=Decimal(costs),
        )

    def actuals(code: str, month: int, actor: str = ACTOR) -> RecordActuals:
        return RecordActuals(
            actor=actor,
            unit_code=code,
            period=f"2011-{month:02d}",
            revenue=Decimal(100000),
            costs=Decimal(-1000000),
        )

    def investment(code: str, kind: FigureKind, amount: str) -> SetNetInvestment:
        return SetNetInvestment(
            actor=ACTOR, unit_code=code, year=2011, kind=kind, amount=Decimal(amount)
        )

    def text(code: str, report: FollowUpReport, words: str) -> WriteFollowUpText:
        return WriteFollowUpText(actor=ACTOR, unit_code=code, year=2011, report=report, text=words)

    return [
        unit("KS", "Kommunstyrelsen", UnitKind.BOARD, None),
        unit("IT", "IT-kontor", UnitKind.UNIT, "KS"),
        unit("STAB", "Staben", UnitKind.UNIT, "KS"),
        budget("IT", "1200000", "-12000001"),
        budget("STAB", "600000", "-3600000"),
        *(actuals("IT", month) for month in range(1, 13)),
        *(actuals("STAB", month, EXAMPLE) for month in range(1, 13)),
        MakeForecast(
            actor=ACTOR,
            unit_code="IT",
            period="2011-06",
            revenue=Decimal(1200000),
            costs=Decimal(-12500000),
        ),
        investment("IT", FigureKind.BUDGET, "500000"),
        investment("STAB", FigureKind.BUDGET, "250000"),
        investment("IT", FigureKind.ACTUALS, "430000"),
        text("KS", FollowUpReport.INTERIM_REPORT, "Halvåret gick enligt plan."),
        text("IT", FollowUpReport.ANNUAL_REPORT, "Året slutade med ett litet underskott."),
        WriteNarrative(
            actor=ACTOR,
            unit_code="IT",
            year=2011,
            section=NarrativeSection.ACTIVITY_DESCRIPTION,
            text="IT-kontoret sköter kommunens IT.",
        ),
    ]


def goals_commands() -> list[Command]:
    return [
        DefinePerspective(
            actor=ACTOR, board_code="KS", perspective_id="medb", name="Medborgare", position=1
        ),
        AdoptGoal(
            actor=ACTOR,
            goal_id="g-nojd",
            unit_code="IT",
            perspective_id="medb",
            title="Nöjda användare",
            first_year=2011,
            last_year=2013,
        ),
        MakeCommitment(
            actor=ACTOR,
            commitment_id="c-nki",
            goal_id="g-nojd",
            kind=CommitmentKind.KEY_FIGURE,
            text="Nöjd kund-index minst 60",
            follow_up=[FollowUp.INTERIM, FollowUp.ANNUAL],
            target=Target(
                comparison=Comparison.AT_LEAST, value=Decimal(60), unit=MeasureUnit.INDEX
            ),
            baseline=Baseline(value=Decimal(50), period="2009"),
            by_gender=True,
        ),
        MakeCommitment(
            actor=ACTOR,
            commitment_id="c-manad",
            goal_id="g-nojd",
            kind=CommitmentKind.KEY_FIGURE,
            text="Svar inom en dag",
            follow_up=[FollowUp.MONTH],
            target=Target(
                comparison=Comparison.AT_LEAST, value=Decimal(90), unit=MeasureUnit.PERCENT
            ),
        ),
        RecordMeasurement(
            actor="statistiksystem",
            measure_id="c-nki",
            period="2011-interim",
            women=Decimal(62),
            men=Decimal(55),
            source="Användarenkäten",
        ),
    ]


def projects_commands() -> list[Command]:
    def lights(period: str, light: Light) -> ReportProjectStatus:
        return ReportProjectStatus(
            actor="projektverktyg",
            project_code="intranat",
            period=period,
            schedule=light,
            cost=Light.GREEN,
            quality=Light.GREEN,
            reported_by="Eva Ek",
        )

    return [
        RegisterProject(
            actor="projektkontoret",
            project_code="intranat",
            name="Nytt intranät",
            board_code="KS",
            unit_code="IT",
        ),
        lights("2011-05", Light.GREEN),
        lights("2011-11", Light.RED),
    ]


@pytest.fixture
def reporting_seed(goals_publisher: GoalsPublisher, projects_publisher: ProjectsPublisher) -> Seed:
    return in_order(
        ledger_sends(budget_commands()),
        goals_publisher.sends(goals_commands()),
        projects_publisher.sends(projects_commands()),
    )


async def get(process: ReportingProcess, path: str, status: int = 200) -> Any:
    response = await get_as(process.app, path)
    assert response.status_code == status, response.text
    return response.json()


async def test_the_interim_report_through_august(reporting: ReportingProcess) -> None:
    report = await get(reporting, "/api/delarsrapport/KS/2011")
    assert report["title"] == "Delårsrapport januari–augusti 2011 för Kommunstyrelsen"
    assert (report["first_period"], report["last_period"]) == ("2011-01", "2011-08")
    # The economy is the month report of August, node for node.
    august = await get(reporting, "/api/uppfoljning/KS/2011-08")
    assert report["economy"]["nodes"] == august["nodes"]
    it = next(n for n in report["economy"]["nodes"] if n["code"] == "IT")
    assert it["actuals_to_date"]["net"] == "-7200000"
    assert report["example_data"] is True and report["notice"] == EXAMPLE_NOTICE

    investments = report["net_investments"]
    assert investments["with_outcome"] is False
    assert "delårsrapporten visar årets budget" in investments["note"]
    ks = investments["units"][0]
    assert (ks["code"], ks["budget"]["amount"], ks["budget"]["source"]) == (
        "KS",
        "750000",
        "rolled_up",
    )
    assert all(unit["outcome"] is None for unit in investments["units"])

    [citizens] = report["goals"]["perspectives"]
    assert citizens["name"] == "Medborgare"
    assert [c["commitment_id"] for c in citizens["commitments"]] == ["c-nki"]
    # Due at the year's end: in August on the path from 50 (2009) toward 60 (58,3) or not.
    assert citizens["attainment"]["off_track"] == 1
    assert (citizens["women"]["on_track"], citizens["men"]["off_track"]) == (1, 1)

    [project] = report["projects"]["projects"]
    assert project["project_code"] == "intranat"
    assert project["latest_status_report"]["period"] == "2011-05"

    assert report["narratives"]["units"] == [
        {"code": "KS", "name": "Kommunstyrelsen", "depth": 0, "text": "Halvåret gick enligt plan."}
    ]


async def test_till_moves_the_periods_end(reporting: ReportingProcess) -> None:
    report = await get(reporting, "/api/delarsrapport/KS/2011?till=2011-06")
    assert report["title"] == "Delårsrapport januari–juni 2011 för Kommunstyrelsen"
    june = await get(reporting, "/api/uppfoljning/KS/2011-06")
    assert report["economy"]["nodes"] == june["nodes"]
    # The interim measurement belongs to August's delår: not yet in June.
    [citizens] = report["goals"]["perspectives"]
    assert citizens["attainment"]["not_measured"] == 1


async def test_the_annual_report_is_the_whole_year(reporting: ReportingProcess) -> None:
    report = await get(reporting, "/api/arsredovisning/KS/2011")
    assert report["title"] == "Årsredovisning 2011 för Kommunstyrelsen"
    december = await get(reporting, "/api/uppfoljning/KS/2011-12")
    assert report["economy"]["nodes"] == december["nodes"]
    units = {unit["code"]: unit for unit in report["net_investments"]["units"]}
    assert units["IT"]["outcome"]["amount"] == "430000"
    assert units["IT"]["deviation"] == "-70000"
    assert units["KS"]["deviation"] == "-320000"
    [project] = report["projects"]["projects"]
    assert project["latest_status_report"]["schedule"]["label"] == "röd"
    assert [u["text"] for u in report["narratives"]["units"]] == [
        "Året slutade med ett litet underskott."
    ]


async def test_sections_without_content_stay_and_say_so(reporting: ReportingProcess) -> None:
    report = await get(reporting, "/api/delarsrapport/STAB/2011")
    assert report["goals"]["perspectives"] == []
    assert report["goals"]["empty"].startswith("Staben och enheterna under har inga åtaganden")
    assert report["projects"]["empty"] == (
        "Inga projekt är registrerade för Staben och enheterna under år 2011."
    )
    assert report["narratives"]["empty"] == (
        "Ingen text till delårsrapporten 2011 är skriven för Staben eller enheterna under."
    )
    page = (await get_as(reporting.app, "/delarsrapport/STAB/2011")).text
    assert "Inga projekt är registrerade för Staben" in page


async def test_the_pages_in_swedish(reporting: ReportingProcess) -> None:
    interim = await get_as(reporting.app, "/delarsrapport/KS/2011")
    assert interim.status_code == 200
    assert interim.headers["content-type"].startswith("text/html")
    for words in (
        "<h1>Delårsrapport januari–augusti 2011 för Kommunstyrelsen</h1>",
        "Ekonomi t.o.m. augusti 2011",
        "Nettoinvesteringar 2011",
        "Måluppfyllelse per perspektiv",
        "Nytt intranät",
        "Halvåret gick enligt plan.",
        "Exempeldata</span>",
    ):
        assert words in interim.text
    annual = await get_as(reporting.app, "/arsredovisning/IT/2011")
    assert annual.status_code == 200
    assert "<h1>Årsredovisning 2011 för IT-kontor</h1>" in annual.text
    assert "Exempeldata" not in annual.text
    assert "Utfall 2011" in annual.text


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/delarsrapport/FINNS_EJ/2011", 404, "Enheten FINNS_EJ finns inte"),
        ("/arsredovisning/FINNS_EJ/2011", 404, "Enheten FINNS_EJ finns inte"),
        ("/api/delarsrapport/K%00S/2011", 404, "finns inte"),
        ("/api/delarsrapport/KS/1989", 422, "Året 1989 ligger utanför 1990–2100"),
        ("/api/arsredovisning/KS/2101", 422, "Året 2101 ligger utanför 1990–2100"),
        ("/api/arsredovisning/KS/tjugo", 422, "fyra siffror"),
        ("/api/delarsrapport/KS/2011?till=2010-06", 422, "ligger inte i 2011"),
        ("/delarsrapport/KS/2011?till=2011-13", 422, "Månad 13 finns inte"),
        ("/api/delarsrapport/KS/2011?till=juni", 422, "ÅÅÅÅ-MM"),
    ],
)
async def test_bad_input_is_answered_in_swedish(
    reporting: ReportingProcess, path: str, status: int, words: str
) -> None:
    response = await get_as(reporting.app, path)
    assert response.status_code == status
    assert words in response.json()["detail"]


async def test_readers_as_for_the_month_report(reporting: ReportingProcess) -> None:
    closed = Access.from_settings(ServiceSettings(**identity_settings(), open_views=False))
    app = create_app(reporting.read_models, closed)
    for path in ("/api/delarsrapport/KS/2011", "/arsredovisning/KS/2011"):
        assert (await get_as(app, path)).status_code == 401
        assert (await get_as(app, path, "reader")).status_code == 200


async def test_the_default_last_month_is_the_routes_setting(reporting: ReportingProcess) -> None:
    router = APIRouter()
    access = Access.from_settings(ServiceSettings(**identity_settings()))
    add_report(router, interim_report(interim_last_month=6), reporting.read_models, access)
    app = FastAPI()
    app.include_router(router)
    response = await get_as(app, "/api/delarsrapport/KS/2011")
    assert response.status_code == 200, response.text
    assert response.json()["last_period"] == "2011-06"
    with pytest.raises(ValueError):
        interim_report(13)
