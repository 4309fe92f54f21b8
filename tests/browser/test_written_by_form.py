"""The forms the other browser tests leave out, sent as a signed-in person's browser sends
them against `up`: a planner registers a revised budget on the versions page, and a
controller assesses an activity on the goals view; each is stored by its service and shown.
Run last of the browser tests (by name), since both change what the others read."""

import contextlib
import time
import uuid
from typing import Any

import httpx

from tests.browser.test_forms_refuse import _send, signed_in


def _api(reporting_url: str, path: str) -> Any:
    return httpx.get(f"{reporting_url}{path}", timeout=30).json()


def _eventually(read: Any, until: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    found = read()
    while not until(found) and time.monotonic() < deadline:
        time.sleep(0.5)
        found = read()
    return found


def test_a_planner_registers_a_revised_budget_on_the_versions_page(reporting_url: str) -> None:
    path = "/plan/IT/2011/versioner"
    (it,) = [r for r in _api(reporting_url, f"/api{path}")["rows"] if r["code"] == "IT"]
    adopted = it["versions"]["adopted"]
    # The adopted amounts again as the revision: the board's sums stay as the others read them.
    decision = f"KS 2011-06-14 § {uuid.uuid4().int % 900 + 100}"
    with contextlib.closing(signed_in(reporting_url, "petra.plan")) as petra:
        page = _send(
            petra, reporting_url, path, "budgetbeslut", "Reviderad", status="revised",
            revenue=adopted["revenue"], costs=adopted["costs"], decision=decision,
        )  # fmt: skip
        assert "Reviderad" in page

    def revised() -> Any:
        rows = _api(reporting_url, f"/api{path}")["rows"]
        return next(r for r in rows if r["code"] == "IT")["versions"].get("revised")

    found = _eventually(revised, lambda r: r is not None)
    assert found is not None
    assert (found["revenue"], found["costs"]) == (adopted["revenue"], adopted["costs"])
    history = _api(reporting_url, "/api/historik/IT/2011")["entries"]
    assert any(e["decision"] == decision and e["who"].startswith("Petra Persson") for e in history)


def test_a_controller_assesses_an_activity_on_the_goals_view(reporting_url: str) -> None:
    comment = f"Arbetet pågår enligt plan {uuid.uuid4().hex[:6]}"
    with contextlib.closing(signed_in(reporting_url, "anna.klf")) as anna:
        page = _send(
            anna, reporting_url, "/mal/KLF/2011", "bedomning", comment,
            period="2011", status="under_way", comment=comment,
        )  # fmt: skip
        assert comment in page

    def assessed() -> list[Any]:
        view = _api(reporting_url, "/api/mal/KLF/2011")
        return [
            c["assessment"]
            for c in view["commitments"]
            if c["assessment"] and c["assessment"].get("comment") == comment
        ]

    (assessment,) = _eventually(assessed, bool)
    assert assessment["period"] == "2011"
