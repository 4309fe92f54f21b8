"""Every view's tables as CSV and Excel, on real NATS and PostgreSQL: the seed's budget, goals
and projects through reporting; each file holds what the view's JSON says, exactly."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from kommunplan.demo_data import projects as projects_demo
from services.reporting.reports.shared.table_export import (
    CSV_MEDIA_TYPE,
    TKR_FORMAT,
    XLSX_MEDIA_TYPE,
)
from tests.integration.test_goals_reporting import goals_publisher
from tests.integration.test_projects_reporting import (
    Stack,
    projects_publisher,
    reporting_seed,
    stack,
)
from tests.system import get_as

# The fixtures of the projects' tests: reporting with the demo's budget, goals and projects.
__all__ = ["goals_publisher", "projects_publisher", "reporting_seed", "stack"]

PLATFORM = projects_demo.COMMUNICATION_PLATFORM
LINES = (("Intäkter", "revenue"), ("Kostnader", "costs"), ("Nettokostnad", "net"))


async def fetch(stack: Stack, path: str) -> httpx.Response:
    response = await get_as(stack.reporting.app, path, "reader")
    assert response.status_code == 200, response.text
    return response


async def csv_rows(stack: Stack, path: str, file_name: str) -> list[list[str]]:
    response = await fetch(stack, path)
    assert response.headers["content-type"] == CSV_MEDIA_TYPE
    assert f'filename="{file_name}"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


async def sheets(stack: Stack, path: str, file_name: str) -> dict[str, Worksheet]:
    response = await fetch(stack, path)
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    assert f'filename="{file_name}"' in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    found: dict[str, Worksheet] = {}
    for name in book.sheetnames:
        sheet = book[name]
        assert isinstance(sheet, Worksheet)
        found[name] = sheet
    return found


def section(rows: list[list[str]], title: str) -> list[list[str]]:
    """The rows of a CSV section below its headers, up to the blank line that ends it."""
    start = rows.index([title]) + 2
    end = rows.index([], start) if [] in rows[start:] else len(rows)
    return rows[start:end]


def table(sheet: Worksheet) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """A sheet's headers and rows: the headers are the row the panes are frozen below."""
    header = int(str(sheet.freeze_panes)[1:]) - 1
    headers = [cell.value for cell in sheet[header]]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=header + 1)]
    return headers, rows


def comma(amount: str | None) -> str:
    return "" if amount is None else amount.replace(".", ",")


def tkr(kronor: str | None) -> str:
    """Kronor from the JSON as a file of a page in tkr writes them: in tkr, exact, with a
    decimal comma and no trailing zeros."""
    if kronor is None:
        return ""
    digits = f"{Decimal(kronor).scaleb(-3).normalize():f}"
    return "0" if digits == "-0" else digits.replace(".", ",")


async def refused_in_swedish(stack: Stack, path: str) -> None:
    response = await get_as(stack.reporting.app, path, "reader")
    assert response.status_code == 422
    assert response.json()["detail"] == "Formatet pdf finns inte; välj html, csv eller xlsx (Excel)"


async def unknown_unit(stack: Stack, path: str) -> None:
    response = await get_as(stack.reporting.app, path, "reader")
    assert response.status_code == 404
    assert response.json()["detail"] == "Enheten NOPE finns inte"


async def links_its_downloads(stack: Stack, page: str, path: str) -> None:
    html = (await fetch(stack, page)).text
    for format, words in (("csv", "Ladda ned som CSV"), ("xlsx", "Ladda ned som Excel")):
        assert f'<a href="{path}format={format}" download>{words}</a>' in html


async def test_the_plan_downloads_its_tables(stack: Stack) -> None:
    view = (await fetch(stack, "/api/plan/KS/2011")).json()
    rows = await csv_rows(stack, "/plan/KS/2011?format=csv", "plan-KS-2011.csv")
    assert rows[0] == [view["title"], "Enhet: KS Kommunstyrelsen", "Period: 2011–2013"]
    figures = section(rows, "Budget och plan")
    # Every node's three lines, in tkr as the page, exact to the krona of the JSON.
    for node in view["nodes"]:
        for label, part in (
            ("Intäkter", "revenue"),
            ("Kostnader", "costs"),
            ("Nettokostnad", "net"),
        ):
            line = next(r for r in figures if r[0] == node["code"] and r[2] == label)
            assert line[3:] == [tkr(f and f[part]) for f in node["figures"]]
    ks = view["nodes"][0]
    gap = next(r for r in figures if r[0] == "KS" and r[2].startswith("Ej fördelat"))
    # Bokslut 2010's rows and the printed total differ; Budget 2011 is fully allocated (KLC).
    assert gap[4] == tkr(ks["figures"][1]["difference"]["net"])
    assert gap[5] == tkr(None) and ks["figures"][2]["difference"] is None
    projects = section(rows, view["projects"]["title"])
    assert [r[1] for r in projects] == [p["project_code"] for p in view["projects"]["ongoing"]] + [
        p["project_code"] for p in view["projects"]["new"]
    ]

    workbook = await sheets(stack, "/plan/KS/2011?format=xlsx", "plan-KS-2011.xlsx")
    assert list(workbook)[:3] == ["Budget och plan", "Nettoinvesteringar", "Ramförändringar 2011"]
    assert len(workbook) == 3 + 1 + 2 + 1  # the notes, the goals, their footnotes, the projects
    assert list(workbook)[3] == "Noter"
    headers, cells = table(workbook["Budget och plan"])
    assert headers[3:] == [c["label"] + " (tkr)" for c in view["columns"]]
    net = next(r for r in cells if r[0] == "KS" and r[2] == "Nettokostnad")
    assert Decimal(str(net[5])) == Decimal(ks["figures"][2]["net"])
    sheet = workbook["Budget och plan"]
    assert sheet.cell(int(str(sheet.freeze_panes)[1:]), 6).number_format == TKR_FORMAT

    await refused_in_swedish(stack, "/plan/KS/2011?format=pdf")
    await unknown_unit(stack, "/plan/NOPE/2011?format=csv")
    await links_its_downloads(stack, "/plan/KS/2011", "/plan/KS/2011?")


async def test_the_goals_download_with_their_filters(stack: Stack) -> None:
    view = (await fetch(stack, "/api/mal/KS/2011")).json()
    rows = await csv_rows(stack, "/mal/KS/2011?format=csv", "mal-KS-2011.csv")
    listed = section(rows, "Åtaganden och måluppfyllelse")
    assert [r[4] for r in listed] == [c["text"] for c in view["commitments"]]
    for line, c in zip(listed, view["commitments"], strict=True):
        latest = c["latest"]
        total = latest and latest["total"] and latest["total"]["value"]
        assert line[13] == comma(total)
        assert line[19] == c["attainment"]["total"]["label"]

    # Nothing of 2011 is measured in the demo: every commitment is "ej mätt", so a perspective
    # makes the choice narrower.
    chosen = "perspektiv=ks-samhallsutveckling&maluppfyllelse=ej_matt"
    filtered = (await fetch(stack, f"/api/mal/KS/2011?{chosen}")).json()["commitments"]
    assert 0 < len(filtered) < len(view["commitments"])
    workbook = await sheets(stack, f"/mal/KS/2011?{chosen}&format=xlsx", "mal-KS-2011.xlsx")
    assert list(workbook) == ["Åtaganden och måluppfyllelse", "Mätvärden över tid"]
    sheet = workbook["Åtaganden och måluppfyllelse"]
    assert sheet["A4"].value == "Urval: perspektiv ks-samhallsutveckling, måluppfyllelse ej mätt."
    _, cells = table(sheet)
    assert [r[4] for r in cells] == [c["text"] for c in filtered]
    for cell_row, c in zip(cells, filtered, strict=True):
        baseline = c["baseline"] and c["baseline"]["total"]
        if baseline:
            assert Decimal(str(cell_row[6])) == Decimal(baseline["value"])
    assert any(c["baseline"] for c in filtered)

    await refused_in_swedish(stack, "/mal/KS/2011?format=pdf")
    # The links name the filters in alphabetical order.
    linked = "&amp;".join(sorted(chosen.split("&")))
    await links_its_downloads(stack, f"/mal/KS/2011?{chosen}", f"/mal/KS/2011?{linked}&amp;")


async def test_the_register_downloads_in_kronor_with_its_filters(stack: Stack) -> None:
    view = (await fetch(stack, "/api/projekt")).json()
    rows = await csv_rows(stack, "/projekt?format=csv", "projektregister.csv")
    assert rows[0] == ["Projektregister", "Enhet: alla enheter", "Period: alla år"]
    listed = section(rows, "Projektregister")
    assert [r[0] for r in listed] == [p["project_code"] for p in view["projects"]]
    for line, p in zip(listed, view["projects"], strict=True):
        assert line[9] == comma(p["budget"] and p["budget"]["amount"])

    ongoing = (await fetch(stack, "/api/projekt?status=ongoing")).json()["projects"]
    workbook = await sheets(
        stack, "/projekt?status=ongoing&format=xlsx", "projektregister-ongoing.xlsx"
    )
    headers, cells = table(workbook["Projektregister"])
    assert headers[:2] == ["Projektkod", "Projekt"]
    assert [r[0] for r in cells] == [p["project_code"] for p in ongoing]

    await refused_in_swedish(stack, "/projekt?format=pdf")
    await links_its_downloads(stack, "/projekt?status=ongoing", "/projekt?status=ongoing&amp;")


async def test_a_project_downloads_its_facts_steps_money_and_history(stack: Stack) -> None:
    page = (await fetch(stack, f"/api/projekt/{PLATFORM}")).json()
    name = f"projekt-{PLATFORM}"
    rows = await csv_rows(stack, f"/projekt/{PLATFORM}?format=csv", f"{name}.csv")
    facts = dict((r[0], r[1]) for r in section(rows, "Projektet"))
    assert facts["Projekt"] == page["name"] and facts["Ansvarig enhet"] == page["unit_name"]
    assert [r[1] for r in section(rows, "Historik")] == [e["title"] for e in page["timeline"]]

    workbook = await sheets(stack, f"/projekt/{PLATFORM}?ar=2011&format=xlsx", f"{name}-2011.xlsx")
    assert list(workbook) == [
        "Projektet",
        "Steg",
        "Budget och finansiering",
        "Extern finansiering",
        "Historik",
        "Resultatmål",
    ]
    _, steps = table(workbook["Steg"])
    assert [r[0] for r in steps] == [s["step"] for s in page["steps"]]
    for step, s in zip(steps, page["steps"], strict=True):
        cost = s["cost_estimate"]
        assert (
            (step[5] is None) if cost is None else Decimal(str(step[5])) == Decimal(cost["amount"])
        )

    await refused_in_swedish(stack, f"/projekt/{PLATFORM}?format=pdf")
    await links_its_downloads(stack, f"/projekt/{PLATFORM}", f"/projekt/{PLATFORM}?")


async def test_the_history_downloads_every_change(stack: Stack) -> None:
    view = (await fetch(stack, "/api/historik/KS/2011")).json()
    assert view["entries"]
    rows = await csv_rows(stack, "/historik/KS/2011?format=csv", "historik-KS-2011.csv")
    listed = section(rows, "Historik")
    assert [r[1] for r in listed] == [e["what"] for e in view["entries"]]
    for line, entry in zip(listed, view["entries"], strict=True):
        new = entry["new"] or {}
        assert line[8:10] == [tkr(new.get("revenue")), tkr(new.get("costs"))]
        assert line[16] == entry["message_id"]

    workbook = await sheets(stack, "/historik/KS/2011?format=xlsx", "historik-KS-2011.xlsx")
    _, cells = table(workbook["Historik"])
    assert len(cells) == len(view["entries"])
    figure = next(i for i, e in enumerate(view["entries"]) if "revenue" in (e["new"] or {}))
    assert isinstance(cells[figure][0], datetime)
    assert Decimal(str(cells[figure][8])) == Decimal(view["entries"][figure]["new"]["revenue"])

    await refused_in_swedish(stack, "/historik/KS/2011?format=pdf")
    await unknown_unit(stack, "/historik/NOPE/2011?format=xlsx")
    await links_its_downloads(stack, "/historik/KS/2011", "/historik/KS/2011?")
