"""Every view of the demo, as JSON and as CSV, the same as the checked-in snapshot.

A change meant to leave the views as they are (a reshaping of the code) must keep these
equal; a change meant to alter a view records the new snapshot with
``KOMMUNPLAN_UPDATE_SNAPSHOTS=1`` and shows the difference in its commit. What differs from
run to run (ids, recorded moments, trace context) is replaced by a placeholder first.
"""

import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.browser.running_stack import running_up

SNAPSHOTS = Path(__file__).parent / "snapshots"
# Where a view that differs is written, to compare with its snapshot.
DIFFERING = Path(__file__).resolve().parents[2] / "test-output" / "snapshots"
UPDATE = bool(os.environ.get("KOMMUNPLAN_UPDATE_SNAPSHOTS"))

UNITS = ("KS", "KLF", "NÄT", "IT")
PROJECT_VIEWS = ("/projekt?format=csv",)

# What is new in every run: generated ids, the moments events were recorded and read, and
# the trace context.
_VARIES = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<id>"),
    (
        re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?"),
        "<tid>",
    ),
    (re.compile(r"00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), "<traceparent>"),
    (re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\b"), "<klockslag>"),
]


def _days_of_the_run(started: datetime) -> set[str]:
    """The dates the demo was recorded on, in UTC and in Swedish time: a view that shows when
    something was recorded as a bare date (a project's registration) shows one of them."""
    now = datetime.now(UTC)
    return {
        moment.astimezone(zone).date().isoformat()
        for moment in (started, now)
        for zone in (UTC, ZoneInfo("Europe/Stockholm"))
    }


def _steady(text: str, days: set[str]) -> str:
    for pattern, placeholder in _VARIES:
        text = pattern.sub(placeholder, text)
    for day in days:
        text = text.replace(day, "<idag>")
    return text


def _paths(projects: list[str]) -> list[str]:
    views = []
    for unit in UNITS:
        views += [
            f"/api/plan/{unit}/2011",
            f"/plan/{unit}/2011?format=csv",
            f"/api/mal/{unit}/2011",
            f"/mal/{unit}/2011?format=csv",
            f"/api/uppfoljning/{unit}/2011-08",
            f"/uppfoljning/{unit}/2011-08?format=csv",
            f"/api/delarsrapport/{unit}/2011",
            f"/delarsrapport/{unit}/2011?format=csv",
            f"/api/arsredovisning/{unit}/2011",
            f"/arsredovisning/{unit}/2011?format=csv",
            f"/api/plan/{unit}/2011/versioner",
            f"/plan/{unit}/2011/versioner?format=csv",
            f"/api/historik/{unit}/2011",
            f"/historik/{unit}/2011?format=csv",
        ]
    views += ["/api/projekt", "/projekt?format=csv"]
    for code in projects:
        views += [f"/api/projekt/{code}", f"/projekt/{code}?format=csv"]
    return views


def _file_name(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9ÄÖÅäöå_-]+", "_", path.strip("/")) + ".txt"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, datetime]]:
    """Reporting's address, and when the demo began to be recorded."""
    started = datetime.now(UTC)
    with running_up(tmp_path_factory.mktemp("kommunplan-snapshots")) as url:
        yield url, started


def _read(client: httpx.Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    # As bytes, lines ending as the view ends them (CSV with CR LF).
    if path.startswith("/api/"):
        return json.dumps(response.json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return response.content.decode("utf-8-sig")


def test_every_view_of_the_demo_is_as_its_snapshot(demo: tuple[str, datetime]) -> None:
    url, started = demo
    days = _days_of_the_run(started)
    with httpx.Client(base_url=url, timeout=60) as client:
        projects = [p["project_code"] for p in client.get("/api/projekt").json()["projects"]]
        paths = _paths(projects)
        differing = []
        for path in paths:
            text = _steady(_read(client, path), days)
            snapshot = SNAPSHOTS / _file_name(path)
            if UPDATE:
                snapshot.write_bytes(text.encode())
            elif not snapshot.exists() or snapshot.read_bytes().decode() != text:
                differing.append(path)
                DIFFERING.mkdir(parents=True, exist_ok=True)
                (DIFFERING / snapshot.name).write_bytes(text.encode())
    assert len(paths) > 60
    assert not differing, (
        f"{len(differing)} of {len(paths)} views differ from tests/e2e/snapshots "
        f"(each as it is now in test-output/snapshots; record anew with"
        f" KOMMUNPLAN_UPDATE_SNAPSHOTS=1 if meant): {differing}"
    )
