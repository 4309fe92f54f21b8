"""The operators' view and a message's journey in headless Chromium, signed with an operator
token from the stack's own key, and the operators' commands against the same `kommunplan up`
(found through its data folder, nothing else set)."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kommunplan import stack_state
from kommunplan.local_identity import issue_token
from tests.browser.conftest import ROOT, Stack
from tests.browser.devtools import Chromium
from tests.browser.test_pages_in_chromium import visit


def operator_token(stack: Stack) -> str:
    return issue_token(stack.data_dir, ["operator"], [], "olle.drift", "Olle Drift")


def api(stack: Stack, path: str) -> Any:
    request = urllib.request.Request(
        stack.url + path, headers={"Authorization": f"Bearer {operator_token(stack)}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def as_operator(browser: Chromium, stack: Stack) -> Iterator[Chromium]:
    """The browser sending an operator's token with every request, until the test ends."""
    headers = {"Authorization": f"Bearer {operator_token(stack)}"}
    browser.send("Network.setExtraHTTPHeaders", {"headers": headers})
    try:
        yield browser
    finally:
        browser.send("Network.setExtraHTTPHeaders", {"headers": {}})


def kommunplan(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line as an operator runs it beside the stack: only its data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMMUNPLAN_")}
    env.update({"KOMMUNPLAN_DATA_DIR": str(stack.data_dir), "PYTHONPATH": str(ROOT)})
    return subprocess.run(
        [sys.executable, "-m", "kommunplan", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(stack.data_dir).parent,
    )


@pytest.fixture(scope="module")
def budget_set(stack: Stack) -> str:
    """A planner sets the budget of a project the office runs, over HTTP to projects (at the
    address `up` noted); the message id, once budget's share of it is in the history."""
    running = stack_state.running(stack.data_dir)
    assert running is not None
    token = issue_token(stack.data_dir, ["planner"], ["*"], "pia.planerare", "Pia Planerare")
    body = {"project_code": "barn-och-ungdomsprojektet", "year": 2011, "amount": "123400"}
    request = urllib.request.Request(
        running.urls["projects"] + "/api/set-project-budget",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        message_id = str(json.loads(response.read())["message_id"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        history = api(stack, "/api/historik/PROJ/2011")["entries"]
        # A command a service sends keeps the correlation of the event that caused it.
        if any(e["message_id"] == message_id and e["caused_by_event_id"] for e in history):
            return message_id
        time.sleep(0.5)
    raise AssertionError("the office's share never reached the history")


def test_the_operators_view_shows_every_service_ready_and_the_streams(
    as_operator: Chromium, stack: Stack
) -> None:
    text = visit(as_operator, stack.url, "/drift", "drift")
    for heading in (
        "Tjänster",
        "Lås och utkorgar",
        "Avsändare senaste timmen",
        "Strömmar och konsumenter",
        "Parkerade händelser",
        "Driftåtgärder",
    ):
        assert heading in text
    drift = api(stack, "/api/drift")
    processes = {p["process"]: p for s in drift["services"] for p in s["processes"]}
    assert set(processes) == {
        "budget",
        "budget-relay",
        "goals",
        "goals-relay",
        "projects",
        "projects-relay",
        "reporting",
    }
    assert all(p["ready"] for p in processes.values()), processes
    senders = {(t["system"], t["service"]) for t in drift["systems"]}
    assert ("ekonomisystem", "budget") in senders and ("planeringssystem", "projects") in senders
    streams = {s["name"]: s for s in drift["streams"]}
    assert streams["BUDGET_EVENTS"]["last_sequence"] > 100
    assert all(s["problem"] is None for s in streams.values()), streams
    assert "BUDGET_EVENTS" in text and "ekonomisystem" in text


def test_the_office_shares_journey_shows_the_command_it_caused_in_budget(
    as_operator: Chromium, stack: Stack, budget_set: str
) -> None:
    wanted = budget_set
    journey = api(stack, f"/api/drift/resa/{wanted}")
    (projects,) = [m for m in journey["messages"] if m["service"] == "projects"]
    assert projects["source_system"] == "http" and projects["actor"] == "pia.planerare"
    (share,) = projects["caused"]
    assert share["service"] == "budget" and share["source_system"] == "projects"
    steps = {s["what"]: s["detail"] for s in share["steps"]}
    assert "budget.inbound.projects.set-project-share" in steps["Mottaget"]
    assert "ProjectShareSet" in steps["Godtaget"] and "Inläst" in steps
    text = visit(as_operator, stack.url, f"/drift/resa/{wanted}", "drift-resa-projektkontoret")
    assert "Ledde till ett kommando i budget" in text
    assert "budget.inbound.projects.set-project-share" in text


def test_the_view_is_refused_without_an_operators_token(stack: Stack) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{stack.url}/api/drift", timeout=10)
    assert refused.value.code == 401


def test_the_command_line_finds_the_running_stack_with_nothing_set(
    stack: Stack, budget_set: str
) -> None:
    status = kommunplan(stack, "status")
    assert status.returncode == 0, status.stderr
    for part in ("Tjänster", "budget-relay", "Strömmar och konsumenter", "BUDGET_EVENTS"):
        assert part in status.stdout
    parked = kommunplan(stack, "parked")
    assert parked.returncode == 0 and parked.stdout.strip().endswith("0 parkerade händelser.")
    journey = kommunplan(stack, "journey", budget_set)
    assert journey.returncode == 0, journey.stderr
    assert "Ledde till:" in journey.stdout and "set-project-share" in journey.stdout
    unknown = kommunplan(stack, "journey", "0" * 32)
    assert unknown.returncode == 1 and "Inget hittades för" in unknown.stderr
    assert "Traceback" not in unknown.stderr
