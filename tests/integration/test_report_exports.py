"""The interim and annual reports and the budget versions as CSV and Excel, on real NATS and
PostgreSQL: budget, goals and projects through reporting; each file holds what the view's
JSON says, exactly, and a file read as of an earlier moment says which."""

import asyncio
import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest

from contracts.budget.commands import SetFigures
from contracts.budget.fields import FigureKind, FigureStatus
from contracts.envelope import Command
from kommunplan.demo import publish_commands
from services.reporting.read_models.budget.projection import BudgetProjection
from services.reporting.reports.month_report.builder import EXAMPLE_NOTICE
from services.reporting.reports.shared.as_of import shown_moment
from services.reporting.reports.shared.table_export import (
    CSV_MEDIA_TYPE,
    CSV_TKR_NOTE,
    INTEGER_FORMAT,
    TKR_FORMAT,
    TKR_NOTE,
)
from tests.conftest import eventually
from tests.integration.test_exports import (
    LINES,
    comma,
    csv_rows,
    fetch,
    links_its_downloads,
    refused_in_swedish,
    section,
    sheets,
    table,
    tkr,
    unknown_unit,
)
from tests.integration.test_period_report import (
    goals_publisher,
    projects_publisher,
    reporting_seed,
)
from tests.integration.test_projects_reporting import ProjectsPublisher, Stack
from tests.servers import Servers
from tests.system import ReportingStack, applied, get_as

# The period report's fixtures: its budget, goals and projects sent and read.
__all__ = ["goals_publisher", "projects_publisher", "reporting_seed"]

ECONOMY_COLUMNS = (
    "budget",
    "budget_to_date",
    "actuals_to_date",
    "deviation",
    "deviation_percent",
    "forecast",
    "forecast_deviation",
)
SHEETS = [
    "Ekonomi t.o.m. augusti 2011",
    "Nettoinvesteringar 2011",
    "Måluppfyllelse per perspektiv",
    "Åtaganden",
    "Projekt",
    "Verksamhetens text",
]


def version(unit: str, status: FigureStatus, revenue: str, costs: str) -> SetFigures:
    return SetFigures(
        actor="controller",
        unit_code=unit,
        year=2011,
        kind=FigureKind.BUDGET,
        status=status,
        revenue=Decimal(revenue),
        costs=Decimal(costs),
    )


# After the adopted budget of budget_commands(): a revision of IT and a new proposal for both.
LATER: list[Command] = [
    version("IT", FigureStatus.REVISED, "1300000", "-12500000.50"),
    version("IT", FigureStatus.PROPOSED, "1300000", "-13000000"),
    version("STAB", FigureStatus.PROPOSED, "600000", "-3700000"),
]


@dataclass(frozen=True)
class Reports:
    stack: Stack
    between: datetime  # after the adopted budget was read, before the later versions were sent


@pytest.fixture
async def reports(
    servers: Servers, reporting_stack: ReportingStack, projects_publisher: ProjectsPublisher
) -> Reports:
    """The period report's seed read, then LATER's versions sent and read."""
    process = reporting_stack.reporting
    first = await applied(process, BudgetProjection.name)
    await asyncio.sleep(0.05)
    between = datetime.now(UTC)
    await asyncio.sleep(0.05)
    await publish_commands(servers.nats_url, LATER, "ekonomisystem")
    await eventually(
        lambda: applied(process, BudgetProjection.name),
        until=lambda n: n == first + len(LATER),
        within=60,
    )
    stack = Stack(process, reporting_stack.budget, projects_publisher)
    return Reports(stack, between)


async def public_csv(stack: Stack, path: str, file_name: str) -> list[list[str]]:
    """A file read anonymously: the budget's public versions only, whatever the reader's
    role would add."""
    response = await get_as(stack.reporting.app, path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == CSV_MEDIA_TYPE
    assert f'filename="{file_name}"' in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def economy_line(node: dict[str, Any], part: str) -> list[str]:
    """A node's line of the economy as the JSON has it, in the file's columns: amounts in
    tkr as the page shows them, the percent as it is."""
    return [
        (comma if column == "deviation_percent" else tkr)(node[column] and node[column][part])
        for column in ECONOMY_COLUMNS
    ]


def investment_line(unit: dict[str, Any], with_outcome: bool) -> list[str]:
    line = [unit["code"], unit["name"], tkr(unit["budget"] and unit["budget"]["amount"])]
    if with_outcome:
        line += [tkr(unit["outcome"] and unit["outcome"]["amount"]), tkr(unit["deviation"])]
    return line


def attainment_lines(goals: dict[str, Any]) -> list[list[str]]:
    """Per perspective the commitments' counts, and women's and men's where measured so, then
    all perspectives together: each attainment in the order the JSON names them, and the sum."""
    keys = [*goals["labels"], "total"]
    lines = []
    for p in goals["perspectives"]:
        for of, key in (("Åtaganden", "attainment"), ("Kvinnor", "women"), ("Män", "men")):
            counts = p[key]
            if counts is not None:
                lines.append([p["name"], of] + [str(counts[n]) for n in keys])
    if goals["perspectives"]:
        lines.append(["Alla perspektiv", "Åtaganden"] + [str(goals["attainment"][n]) for n in keys])
    return lines


def project_line(project: dict[str, Any]) -> list[str]:
    latest = project["latest_status_report"]
    lights = (
        ["Ingen lägesrapport", "", "", "", ""]
        if latest is None
        else [
            latest["period"],
            latest["schedule"]["label"],
            latest["cost"]["label"],
            latest["quality"]["label"],
            latest["text"] or "",
        ]
    )
    return [
        project["project_code"],
        project["name"],
        project["unit_name"],
        project["status_label"],
        *lights,
    ]


def expected_notices(report: dict[str, Any]) -> list[list[str]]:
    # The example data's, months not reported, a year not closed, a percent left out.
    found = list(report["notices"])
    investments = report["net_investments"]
    found += [investments["note"], investments["empty"]]
    found += [report[key]["empty"] for key in ("goals", "projects", "narratives")]
    return [[words] for words in found if words]


async def test_the_interim_report_downloads_every_section(reports: Reports) -> None:
    stack = reports.stack
    report = (await fetch(stack, "/api/delarsrapport/KS/2011")).json()
    rows = await csv_rows(stack, "/delarsrapport/KS/2011?format=csv", "delarsrapport-KS-2011.csv")
    assert rows[0] == [report["title"], "Enhet: KS Kommunstyrelsen", "Period: 2011-01–2011-08"]
    assert report["example_data"] and report["net_investments"]["note"]
    notices = expected_notices(report)
    assert rows[1 : 2 + len(notices)] == [[CSV_TKR_NOTE], *notices]

    # The economy is the month report of August, line for line, as its own file has it.
    economy = section(rows, SHEETS[0])
    # Read anonymously, as the reports read the budget: the public versions only.
    month = await public_csv(
        stack, "/uppfoljning/KS/2011-08?format=csv", "manadsuppfoljning-KS-2011-08.csv"
    )
    assert economy == section(month, "Månadsuppföljning")
    for node in report["economy"]["nodes"]:
        for label, part in LINES:
            line = next(r for r in economy if r[0] == node["code"] and r[2] == label)
            assert line[3:10] == economy_line(node, part)

    investments = report["net_investments"]
    assert rows[rows.index([SHEETS[1]]) + 1] == ["Enhetskod", "Enhet", "Budget 2011 (tkr)"]
    assert section(rows, SHEETS[1]) == [investment_line(u, False) for u in investments["units"]]
    assert section(rows, SHEETS[2]) == attainment_lines(report["goals"])
    commitments = [c for p in report["goals"]["perspectives"] for c in p["commitments"]]
    listed = section(rows, SHEETS[3])
    assert [r[4] for r in listed] == [c["text"] for c in commitments]
    assert [r[19:22] for r in listed] == [
        [(c["attainment"][of] or {}).get("label", "") for of in ("total", "women", "men")]
        for c in commitments
    ]
    assert section(rows, SHEETS[4]) == [project_line(p) for p in report["projects"]["projects"]]
    assert section(rows, SHEETS[5]) == [
        [u["code"], u["name"], u["text"]] for u in report["narratives"]["units"]
    ]

    workbook = await sheets(
        stack, "/delarsrapport/KS/2011?format=xlsx", "delarsrapport-KS-2011.xlsx"
    )
    assert list(workbook) == SHEETS
    first = workbook[SHEETS[0]]
    assert [first.cell(row, 1).value for row in range(4, 6)] == [TKR_NOTE, EXAMPLE_NOTICE]
    _, cells = table(first)
    for node in report["economy"]["nodes"]:
        net = next(r for r in cells if r[0] == node["code"] and r[2] == "Nettokostnad")
        assert Decimal(str(net[5])) == Decimal(node["actuals_to_date"]["net"])
    sheet = workbook[SHEETS[1]]
    _, cells = table(sheet)
    assert [(r[0], Decimal(str(r[2]))) for r in cells] == [
        (u["code"], Decimal(u["budget"]["amount"])) for u in investments["units"]
    ]
    assert sheet.cell(int(str(sheet.freeze_panes)[1:]), 3).number_format == TKR_FORMAT
    sheet = workbook[SHEETS[2]]
    _, cells = table(sheet)
    assert [[str(c) for c in r] for r in cells] == attainment_lines(report["goals"])
    assert sheet.cell(int(str(sheet.freeze_panes)[1:]), 3).number_format == INTEGER_FORMAT

    await refused_in_swedish(stack, "/delarsrapport/KS/2011?format=pdf")
    await unknown_unit(stack, "/delarsrapport/NOPE/2011?format=csv")
    await links_its_downloads(
        stack, "/delarsrapport/KS/2011", "/delarsrapport/KS/2011?till=2011-08&amp;"
    )


async def test_the_interim_reports_last_month_and_moment_stay_in_its_files(
    reports: Reports,
) -> None:
    stack = reports.stack
    june = "/delarsrapport/KS/2011?till=2011-06"
    report = (await fetch(stack, "/api/delarsrapport/KS/2011?till=2011-06")).json()
    rows = await csv_rows(stack, f"{june}&format=csv", "delarsrapport-KS-2011.csv")
    assert rows[0] == [report["title"], "Enhet: KS Kommunstyrelsen", "Period: 2011-01–2011-06"]
    economy = section(rows, "Ekonomi t.o.m. juni 2011")
    for node in report["economy"]["nodes"]:
        line = next(r for r in economy if r[0] == node["code"] and r[2] == "Nettokostnad")
        assert line[3:10] == economy_line(node, "net")
    await links_its_downloads(stack, june, f"{june}&amp;")

    # As it stood before the later budget versions: the adopted budget alone.
    per = urlencode({"per": reports.between.isoformat()})
    then = (await fetch(stack, f"/api/delarsrapport/KS/2011?{per}")).json()
    now_budget = report["economy"]["nodes"][0]["budget"]["net"]
    assert then["economy"]["nodes"][0]["budget"]["net"] != now_budget
    rows = await csv_rows(
        stack, f"/delarsrapport/KS/2011?{per}&format=csv", "delarsrapport-KS-2011.csv"
    )
    assert rows[0][-1] == f"Per: {shown_moment(reports.between)}"
    ks = next(r for r in section(rows, "Ekonomi t.o.m. augusti 2011") if r[2] == "Nettokostnad")
    assert ks[3] == tkr(then["economy"]["nodes"][0]["budget"]["net"])
    await links_its_downloads(
        stack,
        f"/delarsrapport/KS/2011?{per}",
        f"/delarsrapport/KS/2011?till=2011-08&amp;{per}&amp;",
    )


async def test_the_annual_report_downloads_outcome_and_deviation(reports: Reports) -> None:
    stack = reports.stack
    report = (await fetch(stack, "/api/arsredovisning/KS/2011")).json()
    rows = await csv_rows(stack, "/arsredovisning/KS/2011?format=csv", "arsredovisning-KS-2011.csv")
    assert rows[0] == [report["title"], "Enhet: KS Kommunstyrelsen", "Period: 2011-01–2011-12"]
    investments = report["net_investments"]
    title = "Nettoinvesteringar 2011"
    assert rows[rows.index([title]) + 1] == [
        "Enhetskod",
        "Enhet",
        "Budget 2011 (tkr)",
        "Utfall 2011 (tkr)",
        "Avvikelse (tkr)",
    ]
    assert section(rows, title) == [investment_line(u, True) for u in investments["units"]]
    assert any(u["outcome"] for u in investments["units"])
    assert section(rows, "Projekt") == [project_line(p) for p in report["projects"]["projects"]]
    assert section(rows, "Verksamhetens text") == [
        [u["code"], u["name"], u["text"]] for u in report["narratives"]["units"]
    ]

    workbook = await sheets(
        stack, "/arsredovisning/KS/2011?format=xlsx", "arsredovisning-KS-2011.xlsx"
    )
    assert list(workbook)[:2] == ["Ekonomi t.o.m. december 2011", title]
    _, cells = table(workbook[title])
    for cell_row, unit in zip(cells, investments["units"], strict=True):
        outcome, deviation = unit["outcome"], unit["deviation"]
        assert (
            cell_row[3] is None
            if outcome is None
            else (Decimal(str(cell_row[3])) == Decimal(outcome["amount"]))
        )
        assert (
            cell_row[4] is None
            if deviation is None
            else (Decimal(str(cell_row[4])) == Decimal(deviation))
        )

    await refused_in_swedish(stack, "/arsredovisning/KS/2011?format=pdf")
    await unknown_unit(stack, "/arsredovisning/NOPE/2011?format=xlsx")
    await links_its_downloads(stack, "/arsredovisning/KS/2011", "/arsredovisning/KS/2011?")


async def test_empty_sections_stay_and_the_file_says_why(reports: Reports) -> None:
    stack = reports.stack
    report = (await fetch(stack, "/api/delarsrapport/STAB/2011")).json()
    rows = await csv_rows(
        stack, "/delarsrapport/STAB/2011?format=csv", "delarsrapport-STAB-2011.csv"
    )
    notices = expected_notices(report)
    assert [report["goals"]["empty"]] in notices and [report["projects"]["empty"]] in notices
    assert rows[1 : 2 + len(notices)] == [[CSV_TKR_NOTE], *notices]
    for title in ("Måluppfyllelse per perspektiv", "Åtaganden", "Projekt", "Verksamhetens text"):
        assert section(rows, title) == []


def version_lines(view: dict[str, Any]) -> list[list[str]]:
    """The versions view's rows as the file has them: each version, then its change."""
    statuses = view["statuses"]
    expected = []
    for row in view["rows"]:
        line = [row["code"], row["name"]]
        for i, status in enumerate(statuses):
            amounts = row["versions"][status]
            line += [tkr(amounts and amounts[p]) for _, p in LINES]
            if i > 0:
                change = row["changes"][f"{status}_minus_{statuses[i - 1]}"]
                line += [tkr(change and change[p]) for _, p in LINES]
        expected.append(line)
    return expected


async def test_the_budget_versions_download_side_by_side(reports: Reports) -> None:
    stack = reports.stack
    path = "/plan/KS/2011/versioner"
    name = "budgetversioner-KS-2011"
    # A reader with a role sees the proposal too, first.
    drafts = (await fetch(stack, f"/api{path}")).json()
    assert drafts["statuses"] == ["proposed", "adopted", "revised"]
    rows = await csv_rows(stack, f"{path}?format=csv", f"{name}.csv")
    assert rows[0] == [drafts["title"], "Enhet: KS Kommunstyrelsen", "Period: 2011"]
    assert len(rows[rows.index(["Budgetversioner"]) + 1]) == 2 + 3 * 5
    assert section(rows, "Budgetversioner") == version_lines(drafts)

    workbook = await sheets(stack, f"{path}?format=xlsx", f"{name}.xlsx")
    assert list(workbook) == ["Budgetversioner"]
    sheet = workbook["Budgetversioner"]
    _, cells = table(sheet)
    assert [r[0] for r in cells] == [row["code"] for row in drafts["rows"]]
    for cell_row, row in zip(cells, drafts["rows"], strict=True):
        # Net of the proposal, and of the revision, exact.
        for column, status in ((4, "proposed"), (13, "revised")):
            assert Decimal(str(cell_row[column])) == Decimal(row["versions"][status]["net"])
    assert sheet.cell(int(str(sheet.freeze_panes)[1:]), 3).number_format == TKR_FORMAT

    # The public sees the adopted and the revised budget and the change between them.
    public = (await get_as(stack.reporting.app, f"/api{path}")).json()
    assert public["statuses"] == ["adopted", "revised"]
    rows = await public_csv(stack, f"{path}?format=csv", f"{name}.csv")
    assert rows[rows.index(["Budgetversioner"]) + 1][2:] == [
        "Beslutad: intäkter (tkr)",
        "Beslutad: kostnader (tkr)",
        "Beslutad: nettokostnad (tkr)",
        "Reviderad: intäkter (tkr)",
        "Reviderad: kostnader (tkr)",
        "Reviderad: nettokostnad (tkr)",
        "Förändring beslutad–reviderad: intäkter (tkr)",
        "Förändring beslutad–reviderad: kostnader (tkr)",
        "Förändring beslutad–reviderad: nettokostnad (tkr)",
    ]
    assert section(rows, "Budgetversioner") == version_lines(public)
    it = next(r for r in section(rows, "Budgetversioner") if r[0] == "IT")
    assert it[-2:] == ["-499,9995", "-399,9995"]  # tkr, exact to the öre

    # As it stood before the later versions, and the file says when.
    per = urlencode({"per": reports.between.isoformat()})
    then = (await fetch(stack, f"/api{path}?{per}")).json()
    # A unit without a revision has the adopted budget as its revised one.
    for row in then["rows"]:
        versions = row["versions"]
        assert versions["proposed"] is None and versions["revised"] == versions["adopted"]
    rows = await csv_rows(stack, f"{path}?{per}&format=csv", f"{name}.csv")
    assert rows[0][-1] == f"Per: {shown_moment(reports.between)}"
    assert section(rows, "Budgetversioner") == version_lines(then)

    await refused_in_swedish(stack, f"{path}?format=pdf")
    await unknown_unit(stack, "/plan/NOPE/2011/versioner?format=csv")
    await links_its_downloads(stack, path, f"{path}?")
    await links_its_downloads(stack, f"{path}?{per}", f"{path}?{per}&amp;")
