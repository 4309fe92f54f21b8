"""Goal attainment in the interim and annual reports of 2011 for KS, in headless Chromium
against `kommunplan up` with the demo: attainment per perspective, a target due in 2013 never
"ej uppfyllt" in 2011, and the interim report within a 1,400 pixel window."""

from typing import Any

from tests.browser.devtools import Chromium
from tests.browser.test_pages_in_chromium import api, rows, visit

# The seed's "plats 145 i ranking 2013 (en höjning från plats 225 i rankingen 2010)".
RANKING = "nat-svenskt-naringslivs-ranking"


def _commitments(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        c["commitment_id"]: c for p in report["goals"]["perspectives"] for c in p["commitments"]
    }


def test_the_annual_report_shows_attainment_per_perspective(
    browser: Chromium, reporting_url: str
) -> None:
    report = api(reporting_url, "/api/arsredovisning/KS/2011")
    everything = api(reporting_url, "/api/mal/KS/2011")
    text = visit(browser, reporting_url, "/arsredovisning/KS/2011", "maluppfyllelse-KS-2011")

    # Every commitment of the year is evaluated, perspective by perspective.
    goals = report["goals"]
    assert goals["others"] == 0 and goals["empty"] is None
    assert set(_commitments(report)) == {c["commitment_id"] for c in everything["commitments"]}
    assert goals["attainment"]["total"] == len(everything["commitments"])
    for perspective in goals["perspectives"]:
        counts = perspective["attainment"]
        cells = [str(counts[k]) for k in (*goals["labels"], "total")]
        assert ["Åtaganden", *cells] in rows(text, perspective["name"]), perspective["name"]
    # By women and men where a perspective has a commitment measured so.
    by_gender = [p for p in goals["perspectives"] if p["women"] is not None]
    assert by_gender and all(p["men"] is not None for p in by_gender)
    assert "Kvinnor" in text and "Män" in text
    for label in ("Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "I fas", "Inte i fas", "Ej mätt"):
        assert label in text


def test_a_target_due_in_2013_is_not_failed_in_2011(browser: Chromium, reporting_url: str) -> None:
    report = api(reporting_url, "/api/arsredovisning/KS/2011")
    ranking = _commitments(report)[RANKING]
    assert ranking["target"]["kind"] == "rank" and ranking["target"]["due_year"] == 2013
    assert ranking["attainment"]["total"]["code"] != "ej_uppfyllt"
    visit(browser, reporting_url, "/arsredovisning/KS/2011", "maluppfyllelse-KS-2011-ranking")
    row = browser.evaluate(f"document.getElementById('atagande-{RANKING}').innerText")
    assert "bäst plats 145 år 2013" in row
    assert ranking["attainment"]["total"]["label"] in row
    assert "ej uppfyllt" not in row


def test_the_interim_report_fits_a_1400_pixel_window(browser: Chromium, reporting_url: str) -> None:
    browser.window_width(1400)
    try:
        report = api(reporting_url, "/api/delarsrapport/KS/2011")
        text = visit(browser, reporting_url, "/delarsrapport/KS/2011", "delarsrapport-KS-1400")
        width = browser.evaluate("document.documentElement.scrollWidth")
        assert width <= 1400, width
        # The example data is marked in the column heads, once each, not in every cell.
        marks = browser.evaluate("document.querySelectorAll('table.economy tbody .example').length")
        assert marks == 0
        assert (
            browser.evaluate("document.querySelectorAll('table.economy thead .example').length") > 0
        )
        # Those followed up at the interim are shown, and how many others the year has.
        assert report["goals"]["others"] > 0 and report["goals"]["note"] in text
    finally:
        browser.window_width(1280)
