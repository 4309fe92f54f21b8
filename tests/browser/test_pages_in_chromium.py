"""The views a reader opens, in headless Chromium against `kommunplan up` with the demo:
each shows its key figures as the JSON API of the same stack gives them, loads without a
failed request, console error or uncaught exception, and is saved as a full-page PNG."""

import json
import re
import urllib.request
from decimal import Decimal
from typing import Any

from tests.browser.conftest import SCREENSHOTS
from tests.browser.devtools import Chromium

# From the seed plan the demo is built from: Kommunstyrelsen's net cost, budget 2011, in tkr.
SEED_KS_NET_BUDGET_2011 = "-109 550"


def api(reporting_url: str, path: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{reporting_url}{path}", timeout=10) as response:
        value: dict[str, Any] = json.loads(response.read())
    return value


def visit(browser: Chromium, reporting_url: str, path: str, name: str) -> str:
    """Open ``path``, save it as ``name``.png, check that nothing failed or logged an error
    while it loaded, and give its rendered text."""
    load = browser.load(f"{reporting_url}{path}")
    browser.screenshot(SCREENSHOTS / f"{name}.png")
    assert load.statuses.get(load.url) == 200, load.statuses
    assert load.problems() == [], "\n".join(load.problems())
    # Spaces that do not break read as spaces: the figures are compared as text.
    return re.sub("[\u00a0\u202f]", " ", browser.text())


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
