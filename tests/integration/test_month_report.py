"""The month report on NATS and PostgreSQL: commands to budget, events to reporting, the views."""

import asyncio
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts import subjects
from contracts.budget.commands import (
    MakeForecast,
    RecordActuals,
    RegisterUnit,
    SetBudgetProfile,
    SetFigures,
    WriteMonthComment,
)
from contracts.envelope import Command
from services.reporting.bootstrap import ReportingProcess
from services.reporting.read_models.sources import BUDGET
from services.reporting.reports.month_report.builder import EXAMPLE_NOTICE
from tests.integration.test_reporting import snapshot
from tests.system import Seed, get_as, ledger_sends

ACTOR = "controller"
EXAMPLE = "exempeldata"
DAY = date(2011, 1, 1)

# Profile of Staben: less in July, summing to 100.
PROFILE = ["9", "9", "9", "9", "9", "9", "1", "9", "9", "9", "9", "9"]


def commands() -> list[Command]:
    def unit(code: str, name: str, kind: str, parent: str | None) -> RegisterUnit:
        return RegisterUnit(
            actor=ACTOR, unit_code=code, name=name, kind=kind, parent_code=parent, effective_on=DAY
        )

    def budget(code: str, revenue: str, costs: str) -> SetFigures:
        return SetFigures(
            actor=ACTOR,
            unit_code=code,
            year=2011,
            kind="budget",
            status="adopted",
            revenue=revenue,
            costs=costs,
        )

    def actuals(code: str, period: str, revenue: str, costs: str, actor: str = ACTOR) -> Command:
        return RecordActuals(
            actor=actor, unit_code=code, period=period, revenue=revenue, costs=costs
        )

    return [
        unit("KS", "Kommunstyrelsen", "board", None),
        unit("IT", "IT-kontor", "unit", "KS"),
        unit("STAB", "Staben", "unit", "KS"),
        budget("IT", "1200000", "-12000001"),
        budget("STAB", "600000", "-3600000"),
        actuals("IT", "2011-01", "100000", "-1000000"),
        actuals("IT", "2011-02", "100000", "-900000"),
        actuals("IT", "2011-02", "100000", "-1100000"),  # the ledger corrects February
        actuals("IT", "2011-03", "120000", "-1050000"),
        actuals("IT", "2011-04", "1", "-1"),  # after March: not in March's report
        actuals("STAB", "2011-01", "50000", "-280000", EXAMPLE),
        actuals("STAB", "2011-02", "50000", "-300000", EXAMPLE),
        actuals("STAB", "2011-03", "50000", "-310000", EXAMPLE),
        MakeForecast(
            actor=ACTOR, unit_code="IT", period="2011-01", revenue="1200000", costs="-12500000"
        ),
        MakeForecast(
            actor=ACTOR, unit_code="IT", period="2011-03", revenue="1250000", costs="-12300000"
        ),
        SetBudgetProfile(actor=EXAMPLE, unit_code="STAB", year=2011, monthly_percent=PROFILE),
        WriteMonthComment(
            actor=ACTOR,
            unit_code="IT",
            period="2011-03",
            comment="Licenserna blev dyrare än budgeterat.",
            measures="Avtalen omförhandlas.",
        ),
    ]


@pytest.fixture
def reporting_seed() -> Seed:
    return ledger_sends(commands())


async def report(process: ReportingProcess, unit: str, period: str = "2011-03") -> dict[str, Any]:
    response = await get_as(process.app, f"/api/uppfoljning/{unit}/{period}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def node(view: dict[str, Any], code: str) -> dict[str, Any]:
    return next(n for n in view["nodes"] if n["code"] == code)


def amounts(figure: dict[str, Any]) -> tuple[str, str, str]:
    return figure["revenue"], figure["costs"], figure["net"]


async def test_a_leaf_figure_by_figure(reporting: ReportingProcess) -> None:
    view = await report(reporting, "IT")
    assert [n["code"] for n in view["nodes"]] == ["IT"]
    it = view["nodes"][0]
    assert amounts(it["budget"]) == ("1200000", "-12000001", "-10800001")
    # Twelfths: 3/12 of the year, each rounded once to the öre.
    assert amounts(it["budget_to_date"]) == ("300000.00", "-3000000.25", "-2700000.25")
    assert it["periodisation"] == "twelfths"
    # January, the corrected February and March; April is not counted.
    assert amounts(it["actuals_to_date"]) == ("320000", "-3150000", "-2830000")
    assert amounts(it["deviation"]) == ("20000.00", "-149999.75", "-129999.75")
    assert it["deviation"]["tkr"]["net"] == "-130"
    assert it["deviation_percent"] == {"revenue": "6.7", "costs": "-5.0", "net": "-4.8"}
    assert it["forecast_period"] == "2011-03"
    assert amounts(it["forecast"]) == ("1250000", "-12300000", "-11050000")
    assert amounts(it["forecast_deviation"]) == ("50000", "-299999", "-249999")
    assert it["comment"] == {
        "comment": "Licenserna blev dyrare än budgeterat.",
        "measures": "Avtalen omförhandlas.",
        "example_data": False,
    }
    assert it["example_data"] is False and view["notice"] is None
    # In February the first forecast is the latest, and there is no comment.
    february = (await report(reporting, "IT", "2011-02"))["nodes"][0]
    assert amounts(february["actuals_to_date"]) == ("200000", "-2100000", "-1900000")
    assert february["forecast_period"] == "2011-01"
    assert february["comment"] is None


async def test_the_parent_sums_its_children_and_marks_example_data(
    reporting: ReportingProcess,
) -> None:
    view = await report(reporting, "KS")
    assert [n["code"] for n in view["nodes"]] == ["KS", "IT", "STAB"]
    stab = node(view, "STAB")
    assert stab["periodisation"] == "profile"
    # 27 % of Staben's year by its profile.
    assert amounts(stab["budget_to_date"]) == ("162000.00", "-972000.00", "-810000.00")
    assert amounts(stab["actuals_to_date"]) == ("150000", "-890000", "-740000")
    assert stab["example_data"] is True
    assert stab["budget_to_date"]["example_data"] is True  # the profile is example data
    assert stab["actuals_to_date"]["example_data"] is True
    assert stab["budget"]["example_data"] is False
    ks = node(view, "KS")
    assert ks["budget"]["source"] == "rolled_up"
    assert amounts(ks["budget"]) == ("1800000", "-15600001", "-13800001")
    assert amounts(ks["budget_to_date"]) == ("462000.00", "-3972000.25", "-3510000.25")
    assert amounts(ks["actuals_to_date"]) == ("470000", "-4040000", "-3570000")
    assert amounts(ks["deviation"]) == ("8000.00", "-67999.75", "-59999.75")
    assert ks["deviation_percent"] == {"revenue": "1.7", "costs": "-1.7", "net": "-1.7"}
    assert amounts(ks["forecast"]) == ("1250000", "-12300000", "-11050000")
    assert ks["actuals_to_date"]["example_data"] is True
    assert ks["comment"] is None
    assert view["example_data"] is True and view["notice"] == EXAMPLE_NOTICE

    page = await get_as(reporting.app, "/uppfoljning/KS/2011-03")
    assert page.status_code == 200
    text = page.text
    assert "Månadsuppföljning mars 2011 för Kommunstyrelsen" in text
    assert EXAMPLE_NOTICE in text and ">Exempeldata</span>" in text
    assert "Budget t.o.m. mars" in text and "-3 510" in text and "-1,7 %" in text
    assert "Avtalen omförhandlas." in text

    # The year month by month for the charts: the table's figures where they meet.
    trend = view["trend"]
    assert [m["actuals_to_date_net"] for m in trend["months"][:4]] == [
        "-1130000",
        "-2380000",
        "-3570000",
        None,
    ]
    assert trend["months"][2]["budget_to_date_net"] == "-3510000.25"
    assert trend["months"][11]["budget_to_date_net"] == "-13800001.00"
    assert trend["forecast_net"] == "-11050000"
    charts = re.findall(r"<svg.*?</svg>", text, re.DOTALL)
    assert len(charts) == 2 and all('role="img"' in chart for chart in charts)
    trend_chart, deviation_chart = charts
    assert "Utfall t.o.m. månaden: jan -1 130, feb -2 380, mar -3 570." in trend_chart
    assert "Prognos helår: dec -11 050." in trend_chart
    assert 'data-label="IT-kontor" data-value="-129999.75"' in deviation_chart
    assert 'data-label="Staben" data-value="70000.00"' in deviation_chart


async def test_the_plan_links_the_latest_month_with_actuals(reporting: ReportingProcess) -> None:
    page = await get_as(reporting.app, "/plan/KS/2011")
    assert '<a href="/uppfoljning/KS/2011-04">Månadsuppföljning</a>' in page.text
    later = await get_as(reporting.app, "/plan/KS/2012")
    assert '<a href="/uppfoljning/KS/2012-01">Månadsuppföljning</a>' in later.text


async def test_the_history_lists_comments_and_profiles(reporting: ReportingProcess) -> None:
    it = (await get_as(reporting.app, "/api/historik/IT/2011", "reader")).json()
    assert "Kommentar och åtgärder 2011-03" in [e["what"] for e in it["entries"]]
    stab = (await get_as(reporting.app, "/api/historik/STAB/2011", "reader")).json()
    profile = next(e for e in stab["entries"] if e["event_type"] == "BudgetProfileSet")
    assert profile["what"] == "Budgetprofil 2011" and profile["actor"] == EXAMPLE
    assert profile["new"]["text"].startswith("jan 9 %, feb 9 %")


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/uppfoljning/NOPE/2011-03", 404, "Enheten NOPE finns inte"),
        ("/api/uppfoljning/KS/2011-13", 422, "ÅÅÅÅ-MM"),
        ("/api/uppfoljning/KS/2011-00", 422, "ÅÅÅÅ-MM"),
        ("/api/uppfoljning/KS/2011-3", 422, "ÅÅÅÅ-MM"),
        ("/api/uppfoljning/KS/abcd-01", 422, "ÅÅÅÅ-MM"),
        ("/uppfoljning/KS/2011-3", 422, "ÅÅÅÅ-MM"),
        ("/api/uppfoljning/KS/1989-05", 422, "1990–2100"),
        ("/api/uppfoljning/KS/2101-01", 422, "1990–2100"),
    ],
)
async def test_bad_input_is_answered_in_swedish(
    reporting: ReportingProcess, path: str, status: int, words: str
) -> None:
    response = await get_as(reporting.app, path)
    assert response.status_code == status
    assert words in response.json()["detail"]


async def test_a_redelivery_changes_nothing(
    reporting: ReportingProcess,
    nats_client: tuple[Client, JetStreamContext],
    reporting_database: str,
) -> None:
    _, js = nats_client
    before = await report(reporting, "KS")
    tables = await snapshot(reporting_database)
    # The first February actuals again, which would undo the correction if applied.
    info = await js.stream_info(subjects.BUDGET_EVENTS_STREAM)
    for seq in range(1, info.state.last_seq + 1):
        message = await js.get_msg(subjects.BUDGET_EVENTS_STREAM, seq)
        if message.subject.endswith(("ActualsRecorded", "BudgetProfileSet", "MonthCommentWritten")):
            await js.publish(message.subject, message.data)
    await reporting.runner(BUDGET).rebuild(asyncio.Event())
    assert await snapshot(reporting_database) == tables
    after = await report(reporting, "KS")
    assert after == before
    assert Decimal(node(after, "IT")["actuals_to_date"]["costs"]) == Decimal("-3150000")


async def test_the_report_downloads_as_csv_and_excel(reporting: ReportingProcess) -> None:
    as_csv = await get_as(reporting.app, "/uppfoljning/IT/2011-03?format=csv")
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert "manadsuppfoljning-IT-2011-03.csv" in as_csv.headers["content-disposition"]
    text = as_csv.content.decode("utf-8")
    assert text.startswith("\ufeffMånadsuppföljning mars 2011 för IT-kontor;")
    # In tkr, as the page shows them, exact to the öre.
    assert "IT;IT-kontor;Kostnader;-12000,001;-3000,00025;-3150;" in text

    as_xlsx = await get_as(reporting.app, "/uppfoljning/KS/2011-03?format=xlsx")
    assert as_xlsx.status_code == 200
    assert as_xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert as_xlsx.content.startswith(b"PK")

    for path, status, words in [
        ("/uppfoljning/KS/2011-03?format=pdf", 422, "välj html, csv eller xlsx"),
        ("/uppfoljning/NOPE/2011-03?format=csv", 404, "Enheten NOPE finns inte"),
        ("/uppfoljning/KS/2011-13?format=xlsx", 422, "ÅÅÅÅ-MM"),
    ]:
        response = await get_as(reporting.app, path)
        assert response.status_code == status
        assert words in response.json()["detail"]
