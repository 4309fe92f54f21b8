"""The views a reader opens, in headless Chromium against `kommunplan up` with the demo:
each shows its key figures as the JSON API of the same stack gives them, loads without a
failed request, console error or uncaught exception, and is saved as a full-page PNG. The
plan asked for as it stood before the demo was loaded is refused in Swedish instead."""

import json
import re
import urllib.error
import urllib.request
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from services.reporting.reports.shared.as_of import shown_moment
from services.reporting.reports.shared.formatting import format_signed_tkr
from tests.browser.conftest import SCREENSHOTS, Stack
from tests.browser.devtools import Chromium, PageLoad

# From the seed plan the demo is built from: Kommunstyrelsen's net cost, budget 2011, in tkr.
SEED_KS_NET_BUDGET_2011 = "-109 550"
# ... its plan years, as printed ("Nettokostnad ... -109 450-109 350"), and the plan's date.
SEED_KS_NET_PLAN_2012_2013 = ["-109 450", "-109 350"]
SEED_PLAN_DATE = "2011-03-22"


def api(reporting_url: str, path: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{reporting_url}{path}", timeout=10) as response:
        value: dict[str, Any] = json.loads(response.read())
    return value


def api_refusal(reporting_url: str, path: str) -> tuple[int, dict[str, Any]]:
    """The status and JSON body of a request the API refuses."""
    try:
        urllib.request.urlopen(f"{reporting_url}{path}", timeout=10)
    except urllib.error.HTTPError as refused:
        body: dict[str, Any] = json.loads(refused.read())
        return refused.code, body
    raise AssertionError(f"{path} was answered, not refused")


def open_page(browser: Chromium, reporting_url: str, path: str, name: str) -> tuple[PageLoad, str]:
    """Open ``path``, save it as ``name``.png, and give what happened while it loaded and
    its rendered text."""
    load = browser.load(f"{reporting_url}{path}")
    browser.screenshot(SCREENSHOTS / f"{name}.png")
    # Spaces that do not break read as spaces: the figures are compared as text.
    return load, re.sub("[\u00a0\u202f]", " ", browser.text())


def visit(browser: Chromium, reporting_url: str, path: str, name: str) -> str:
    """Open ``path``, save it as ``name``.png, check that nothing failed or logged an error
    while it loaded, and give its rendered text."""
    load, text = open_page(browser, reporting_url, path, name)
    assert load.statuses.get(load.url) == 200, load.statuses
    assert load.problems() == [], "\n".join(load.problems())
    return text


def rows(text: str, label: str) -> list[list[str]]:
    """The cells after ``label`` of every rendered table row that starts with it."""
    found = []
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) > 1 and cells[0].strip() == label:
            found.append([cell.strip() for cell in cells[1:]])
    return found


def in_order(wanted: list[list[str]], found: list[list[str]]) -> bool:
    """Whether every row in ``wanted`` is in ``found``, in the same order (others may be
    between them)."""
    remaining = iter(found)
    return all(any(row[: len(expected)] == expected for row in remaining) for expected in wanted)


def kronor(amount: str) -> str:
    """Whole kronor as the views print them: groups of three digits apart by a space."""
    return f"{Decimal(amount):,.0f}".replace(",", " ")


def test_the_plan_shows_each_units_net_cost_per_year(browser: Chromium, reporting_url: str) -> None:
    plan = api(reporting_url, "/api/plan/KS/2011")
    text = visit(browser, reporting_url, "/plan/KS/2011", "plan-KS-2011")

    assert plan["title"] in text
    board = plan["nodes"][0]
    assert board["code"] == "KS"
    budget_2011 = [c["kind"] == "budget" and c["year"] == 2011 for c in plan["columns"]].index(True)
    assert board["figures"][budget_2011]["tkr"]["net"] == SEED_KS_NET_BUDGET_2011
    # Every unit's net cost row, one cell per column, blank where the plan has no figure.
    wanted = [
        [figure["tkr"]["net"] if figure else "" for figure in node["figures"]]
        for node in plan["nodes"]
        if any(node["figures"])
    ]
    assert len(wanted) > 1
    found = rows(text, "Nettokostnad")
    assert found[0][: len(wanted[0])] == wanted[0]
    assert in_order(wanted, found), (wanted, found)
    for node in plan["nodes"]:
        assert node["name"] in text


def test_an_anonymous_reader_sees_the_adopted_plan_years_and_the_cover(
    browser: Chromium, reporting_url: str
) -> None:
    plan = api(reporting_url, "/api/plan/KS/2011")
    text = visit(browser, reporting_url, "/plan/KS/2011", "plan-KS-2011-anonym")

    plans = [c["kind"] == "plan" for c in plan["columns"]]
    board = plan["nodes"][0]
    assert [f["tkr"]["net"] for f, p in zip(board["figures"], plans, strict=True) if p] == (
        SEED_KS_NET_PLAN_2012_2013
    )
    assert rows(text, "Nettokostnad")[0][-2:] == SEED_KS_NET_PLAN_2012_2013
    assert "ej beslutat, visas inte" not in text
    assert plan["cover"]["date"] == SEED_PLAN_DATE
    assert f"Datum: {SEED_PLAN_DATE}" in text
    assert "Status: Beslutad" in text
    assert f"Beslut: {plan['cover']['decision']}" in text


def _assert_month_report(text: str, report: dict[str, Any]) -> None:
    assert report["title"] in text
    assert report["notice"] in text
    # Each unit's net cost: the year's budget, the budget to date, then the actuals to date.
    wanted = [
        [
            node["budget"]["tkr"]["net"],
            node["budget_to_date"]["tkr"]["net"],
            node["actuals_to_date"]["tkr"]["net"],
        ]
        for node in report["nodes"]
        if node["budget"] and node["actuals_to_date"]
    ]
    assert wanted
    assert in_order(wanted, rows(text, "Nettokostnad")), (wanted, rows(text, "Nettokostnad"))
    for node in report["nodes"]:
        assert node["name"] in text


def test_the_month_report_of_the_board_shows_actuals_to_date(
    browser: Chromium, reporting_url: str
) -> None:
    report = api(reporting_url, "/api/uppfoljning/KS/2011-08")
    text = visit(browser, reporting_url, "/uppfoljning/KS/2011-08", "uppfoljning-KS-2011-08")

    assert report["nodes"][0]["budget"]["tkr"]["net"] == SEED_KS_NET_BUDGET_2011
    assert len(report["nodes"]) > 1
    _assert_month_report(text, report)


def test_the_month_report_of_a_unit_shows_its_actuals_and_comment(
    browser: Chromium, reporting_url: str
) -> None:
    report = api(reporting_url, "/api/uppfoljning/IT/2011-08")
    text = visit(browser, reporting_url, "/uppfoljning/IT/2011-08", "uppfoljning-IT-2011-08")

    assert [node["code"] for node in report["nodes"]] == ["IT"]
    _assert_month_report(text, report)
    comment = report["nodes"][0]["comment"]
    assert comment["comment"] in text
    assert comment["measures"] in text


def test_the_goals_view_shows_every_goal_and_the_latest_measurements(
    browser: Chromium, reporting_url: str
) -> None:
    goals = api(reporting_url, "/api/mal/KS/2011")
    text = visit(browser, reporting_url, "/mal/KS/2011", "mal-KS-2011")

    assert goals["title"] in text
    commitments = goals["commitments"]
    assert commitments
    for title in {commitment["goal"] for commitment in commitments}:
        assert title in text
    for unit in {commitment["unit_name"] for commitment in commitments}:
        assert unit in text
    measured = [c for c in commitments if c["latest"] and c["latest"]["total"]]
    assert measured
    for commitment in measured:
        assert commitment["latest"]["total"]["text"] in text
        assert commitment["attainment"]["total"]["label"] in text


def test_the_project_register_lists_every_project(browser: Chromium, reporting_url: str) -> None:
    register = api(reporting_url, "/api/projekt")
    text = visit(browser, reporting_url, "/projekt", "projekt")

    assert register["title"] in text
    projects = register["projects"]
    assert len(projects) > 1
    for project in projects:
        assert project["name"] in text
        assert project["status_label"] in text
        assert project["unit_name"] in text
    financed = [p["external_financing"] for p in projects if p["external_financing"]]
    assert financed
    for money in financed:
        assert kronor(money["amount"]) in text


def test_a_project_page_shows_its_facts_steps_and_goals(
    browser: Chromium, reporting_url: str
) -> None:
    code = "kommunikationsplattform"
    project = api(reporting_url, f"/api/projekt/{code}")
    text = visit(browser, reporting_url, f"/projekt/{code}", f"projekt-{code}")

    assert project["title"] in text
    for fact in ("board_name", "unit_name", "status_label"):
        assert project[fact] in text
    assert project["steps"]
    for step in project["steps"]:
        assert step["name"] in text
        if step["cost_estimate"]:
            assert kronor(step["cost_estimate"]["amount"]) in text
    assert project["goals"]
    for goal in project["goals"]:
        assert goal["title"] in text


def without_marks(cells: list[str]) -> list[str]:
    """Cells with the "Exempeldata" mark an amount resting on example data carries dropped."""
    return [cell.replace("Exempeldata", "").strip() for cell in cells]


def _assert_period_report(text: str, report: dict[str, Any]) -> None:
    assert report["title"] in text
    if report["notice"]:
        assert report["notice"] in text
    # Each unit's net cost: the year's budget, the budget to date, the actuals to date.
    nodes = [n for n in report["economy"]["nodes"] if n["budget"] and n["actuals_to_date"]]
    assert len(nodes) > 1
    for node in nodes:
        wanted = [
            node["budget"]["tkr"]["net"],
            node["budget_to_date"]["tkr"]["net"],
            node["actuals_to_date"]["tkr"]["net"],
        ]
        found = [without_marks(cells)[:3] for cells in rows(text, node["name"])]
        assert wanted in found, (node["name"], wanted, found)
    # Attainment per perspective (each attainment and all), or why there is none.
    goals = report["goals"]
    perspectives = goals["perspectives"]
    assert bool(perspectives) != bool(goals["empty"]), goals
    if goals["empty"]:
        assert goals["empty"] in text
    for p in perspectives:
        counted = ["Åtaganden", *(str(p["attainment"][k]) for k in (*goals["labels"], "total"))]
        assert counted in rows(text, p["name"]), (counted, rows(text, p["name"]))
    projects = report["projects"]["projects"]
    assert projects
    for project in projects:
        assert project["name"] in text
        assert project["status_label"] in text


def test_the_interim_report_shows_the_economy_attainment_and_projects(
    browser: Chromium, reporting_url: str
) -> None:
    report = api(reporting_url, "/api/delarsrapport/KS/2011")
    text = visit(browser, reporting_url, "/delarsrapport/KS/2011", "delarsrapport-KS-2011")

    assert report["kind"] == "interim" and report["economy"]["nodes"][0]["code"] == "KS"
    assert report["economy"]["nodes"][0]["budget"]["tkr"]["net"] == SEED_KS_NET_BUDGET_2011
    _assert_period_report(text, report)


def test_the_annual_report_shows_the_economy_attainment_and_projects(
    browser: Chromium, reporting_url: str
) -> None:
    report = api(reporting_url, "/api/arsredovisning/KS/2011")
    text = visit(browser, reporting_url, "/arsredovisning/KS/2011", "arsredovisning-KS-2011")

    assert report["kind"] == "annual" and report["last_period"] == "2011-12"
    # Actuals January–August: the year is not closed, and budget to date runs to August.
    assert report["closed"] is False and report["economy"]["reported_month"] == 8
    board = report["economy"]["nodes"][0]
    assert board["budget_to_date"]["tkr"]["net"] != board["budget"]["tkr"]["net"]
    assert "Året 2011 är inte avslutat" in text and "Utfall t.o.m. december" not in text
    _assert_period_report(text, report)


def test_the_versions_view_shows_each_version_and_the_change_between(
    browser: Chromium, reporting_url: str
) -> None:
    view = api(reporting_url, "/api/plan/KS/2011/versioner")
    text = visit(browser, reporting_url, "/plan/KS/2011/versioner", "plan-KS-2011-versioner")

    assert view["title"] in text
    statuses = view["statuses"]
    assert statuses
    board = view["rows"][0]
    assert board["code"] == "KS"
    assert board["versions"][statuses[0]]["tkr"]["net"] == SEED_KS_NET_BUDGET_2011
    assert len(view["rows"]) > 1
    for row in view["rows"]:
        # Each version's net, and after the first the change from the one before it.
        wanted = []
        for i, status in enumerate(statuses):
            amounts = row["versions"][status]
            wanted.append("–" if amounts is None else amounts["tkr"]["net"])
            if i > 0:
                change = row["changes"][f"{status}_minus_{statuses[i - 1]}"]
                wanted.append("–" if change is None else format_signed_tkr(Decimal(change["net"])))
        assert wanted in rows(text, row["name"]), (row["name"], wanted, rows(text, row["name"]))


def test_the_plan_as_it_stood_after_the_demo_was_loaded_is_the_plan_now(
    browser: Chromium, reporting_url: str
) -> None:
    moment = datetime.now(UTC)  # the stack is up: the demo was loaded before this
    query = urlencode({"per": moment.isoformat()})
    now = api(reporting_url, "/api/plan/KS/2011")
    then = api(reporting_url, f"/api/plan/KS/2011?{query}")
    text = visit(browser, reporting_url, f"/plan/KS/2011?{query}", "plan-KS-2011-per")

    assert then["per"] == moment.isoformat() and now["per"] is None
    # Nothing was recorded after the moment: the same figures, goals and projects.
    for part in ("nodes", "columns", "goals", "projects"):
        assert then[part] == now[part], part
    assert f"Som rapporten såg ut per {shown_moment(moment)}" in text
    assert then["title"] in text
    wanted = [
        [figure["tkr"]["net"] if figure else "" for figure in node["figures"]]
        for node in then["nodes"]
        if any(node["figures"])
    ]
    assert len(wanted) > 1
    assert in_order(wanted, rows(text, "Nettokostnad")), (wanted, rows(text, "Nettokostnad"))


def test_the_plan_as_it_stood_before_the_demo_was_loaded_says_the_unit_was_not_there(
    browser: Chromium, stack: Stack
) -> None:
    path = f"/plan/KS/2011?{urlencode({'per': stack.before_load.isoformat()})}"
    status, refusal = api_refusal(stack.url, f"/api{path}")
    moment = stack.before_load.isoformat()
    assert (status, refusal) == (404, {"detail": f"Enheten KS finns inte (per {moment})"})

    load, text = open_page(browser, stack.url, path, "plan-KS-2011-per-fore-demo")
    assert load.statuses.get(load.url) == 404, load.statuses
    # A page in Swedish, not the JSON: the browser asked for HTML.
    assert "Finns inte" in text and "Enheten KS finns inte" in text and "Till planen" in text
    # The page's own 404, as Chromium logs it, and nothing else.
    refused = {
        f"HTTP 404: {load.url}",
        "console error: Failed to load resource: the server responded with a status of"
        f" 404 (Not Found) ({load.url})",
    }
    others = [problem for problem in load.problems() if problem not in refused]
    assert others == [], "\n".join(others)
    assert f"HTTP 404: {load.url}" in load.problems()
