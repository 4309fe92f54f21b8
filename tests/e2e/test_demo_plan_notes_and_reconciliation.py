"""The demo's plan of 2011, freshly loaded: the seed's notes 1, 2, 5 and 6 and the board's
"preliminärt" under their tables, and the seed's inconsistencies shown at the units where they
are, in the JSON and the CSV."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.browser.running_stack import running_up


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], str]]:
    with running_up(tmp_path_factory.mktemp("kommunplan-plan-notes")) as url:
        with httpx.Client(base_url=url, timeout=60) as client:
            view = client.get("/api/plan/KS/2011").json()
            csv = client.get("/plan/KS/2011?format=csv").content.decode("utf-8-sig")
        yield view, csv


def _nodes(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["code"]: node for node in view["nodes"]}


def test_the_seeds_notes_are_under_their_tables(plan: tuple[dict[str, Any], str]) -> None:
    view, csv = plan
    nodes = _nodes(view)
    notes = {
        (code, n["table"], n["column"]): n["text"]
        for code, node in nodes.items()
        for n in node["notes"]
    }
    assert notes[("KS", "figures", "Plan 2012")].startswith(
        "Ett antagande är gjort om att Katrineholms Logistikcentrums avskrivningar"
    )
    assert notes[("KS", "net_investments", "Budget 2011")] == (
        "Eventuella ombudgeteringar från år 2010 är ej inräknade."
    )
    assert notes[("KS", "net_investments", None)].startswith("Preliminärt:")
    summed = "Beloppen är en summering av Personalkontoret och lönekontoret för år 2010."
    assert notes[("PERS", "figures", "Budget 2010")] == summed
    assert notes[("PERS", "figures", "Bokslut 2010")] == summed
    numbers = [n["number"] for node in view["nodes"] for n in node["notes"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(n["sender"] == "ekonomisystem" for node in view["nodes"] for n in node["notes"])
    assert "\r\nNoter\r\n" in csv and "Preliminärt:" in csv and summed in csv


def test_the_seeds_inconsistencies_are_flagged_at_their_units(
    plan: tuple[dict[str, Any], str],
) -> None:
    view, csv = plan
    labels = [column["label"] for column in view["columns"]]
    flagged = {
        (node["code"], labels[i]): (cell["stated_net"]["tkr"], cell["stated_difference"]["tkr"])
        for node in view["nodes"]
        for i, cell in enumerate(node["figures"])
        if cell is not None and cell["stated_difference"] is not None
    }
    assert flagged == {
        ("NÄT", "Bokslut 2010"): ("-6 669", "-1"),
        ("KGM", "Budget 2011"): ("-5 595", "3 411"),
        ("KLFL", "Bokslut 2010"): ("-4 884", "1"),
        ("INFO", "Budget 2011"): ("-6 187", "-50"),
    }
    checks = {
        node["code"]: node["frame_check"]
        for node in view["nodes"]
        if node["frame_check"] is not None and node["frame_check"]["difference"] is not None
    }
    assert list(checks) == ["KLF"]
    assert (checks["KLF"]["total"]["tkr"], checks["KLF"]["budget_growth"]["tkr"]) == (
        "2 831",
        "2 832",
    )
    klc = _nodes(view)["KLC"]["figures"][labels.index("Budget 2011")]
    assert klc["stated_net"]["tkr"] == "-1 118" and klc["stated_difference"] is None
    board = _nodes(view)["KS"]["figures"][labels.index("Budget 2011")]
    assert board["difference"] is None  # KLC's frame makes the board's budget fully allocated
    assert "KGM;Kommungemensamt;Avvikelse: angiven nettokostnad mot intäkter + kostnader" in csv
    assert "KLF;Kommunledningsförvaltningen;-1;Ej avstämt" in csv  # in tkr, as the page
