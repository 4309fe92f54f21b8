"""The anonymous public plan in headless Chromium: the seed's notes numbered under their
tables with the figures they refer to carrying the number, the differences shown at the
units where the seed's figures do not add up, and a table of contents whose links reach the
sections, all kept when the page is printed."""

from typing import Any

from tests.browser.devtools import Chromium
from tests.browser.test_pages_in_chromium import visit

NOTES = """(() => [...document.querySelectorAll('ol.table-notes li')].map(li => ({
  number: li.value,
  id: li.id,
  text: li.textContent.trim(),
  unit: li.closest('section').id,
  after: li.parentElement.previousElementSibling.className,
  refs: [...document.querySelectorAll(`a[href="#${li.id}"]`)].map(
    a => a.closest('th, td, h3').firstChild.textContent.trim()),
  shown: li.getClientRects().length > 0,
})))()"""

DIFFERENCES = """(() => Object.fromEntries([...document.querySelectorAll(
  'tr.stated-difference, tr.frame-check')].map(row => [
    row.closest('section').id + ' ' + row.className,
    [...row.querySelectorAll('td')].map(td => td.textContent.replace(/\\s+/g, ' ').trim()),
  ])))()"""

CONTENTS = """(() => [...document.querySelectorAll('nav.contents a')].map(a => ({
  href: a.getAttribute('href'),
  title: a.textContent.trim(),
  target: document.querySelector(a.getAttribute('href')) !== null,
})))()"""


def _by_number(notes: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {note["number"]: note for note in notes}


def test_the_notes_are_numbered_under_their_tables(browser: Chromium, reporting_url: str) -> None:
    text = visit(browser, reporting_url, "/plan/KS/2011", "plan-KS-2011-noter")
    notes = _by_number(browser.evaluate(NOTES))
    assert sorted(notes) == [1, 2, 3, 4, 5]
    assert all(note["id"] == f"not-{n}" and note["shown"] for n, note in notes.items())
    klc, carry_over, preliminary, budget_2010, actuals_2010 = (notes[n] for n in range(1, 6))
    assert klc["unit"] == "enhet-KS" and klc["after"] == "figures"
    assert "Katrineholms Logistikcentrums avskrivningar" in klc["text"]
    assert klc["refs"] == ["Plan 2012"]
    assert carry_over["unit"] == "enhet-KS" and carry_over["after"] == "net-investments"
    assert carry_over["text"].startswith("Eventuella ombudgeteringar från år 2010")
    assert carry_over["refs"] == ["Budget 2011"]
    assert preliminary["text"].startswith("Preliminärt:")
    assert preliminary["refs"] == ["Nettoinvesteringar"]
    summed = "Beloppen är en summering av Personalkontoret och lönekontoret för år 2010."
    for note, column in ((budget_2010, "Budget 2010"), (actuals_2010, "Bokslut 2010")):
        assert note["unit"] == "enhet-PERS" and note["after"] == "figures"
        assert note["text"].startswith(summed) and "(ekonomisystem)" in note["text"]
        assert note["refs"] == [column]
    assert "ej beslutat" not in text


def test_the_units_show_where_their_figures_do_not_add_up(
    browser: Chromium, reporting_url: str
) -> None:
    visit(browser, reporting_url, "/plan/KS/2011", "plan-KS-2011-avstamning")
    rows = browser.evaluate(DIFFERENCES)
    stated = "difference stated-difference"
    # Budget 2010, Bokslut 2010, Budget 2011, Plan 2012, Plan 2013: the difference in its column.
    assert rows[f"enhet-NÄT {stated}"] == ["", "-1", "", "", ""]
    assert rows[f"enhet-KGM {stated}"] == ["", "", "3 411", "", ""]
    assert rows[f"enhet-KLFL {stated}"] == ["", "1", "", "", ""]
    assert rows[f"enhet-INFO {stated}"] == ["", "", "-50", "", ""]
    frame = rows["enhet-KLF difference frame-check"]
    assert frame[0] == "-1"
    assert "+2 831 tkr" in frame[1] and "+2 832 tkr" in frame[1]
    # No other unit of the seed's is flagged. The project office's revenue follows the
    # projects' budgets, which the operators' test on the same stack changes.
    assert {row for row in rows if not row.startswith("enhet-PROJ ")} == {
        f"enhet-NÄT {stated}",
        f"enhet-KGM {stated}",
        f"enhet-KLFL {stated}",
        f"enhet-INFO {stated}",
        "enhet-KLF difference frame-check",
    }


def test_the_table_of_contents_links_reach_the_sections(
    browser: Chromium, reporting_url: str
) -> None:
    visit(browser, reporting_url, "/plan/KS/2011", "plan-KS-2011-innehall")
    entries = browser.evaluate(CONTENTS)
    hrefs = [entry["href"] for entry in entries]
    assert hrefs[:3] == ["#enhet-KS", "#enhet-NÄT", "#enhet-KC"]
    assert "#enhet-PERS" in hrefs and hrefs[-2:] == ["#resultatmal", "#projekt"]
    assert all(entry["target"] for entry in entries), entries
    reached = browser.evaluate(
        """(() => { document.querySelector('nav.contents a[href="#enhet-PERS"]').click();
        return [location.hash, Math.round(document.getElementById('enhet-PERS')
          .getBoundingClientRect().top)]; })()"""
    )
    assert reached[0] == "#enhet-PERS"
    assert abs(reached[1]) < 5


def test_the_notes_differences_and_contents_are_kept_in_print(
    browser: Chromium, reporting_url: str
) -> None:
    visit(browser, reporting_url, "/plan/KS/2011", "plan-KS-2011-utskrift")
    browser.send("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.evaluate(
            """(() => ['nav.contents', 'ol.table-notes', 'tr.stated-difference',
              'tr.frame-check', 'sup.note-ref'].map(
              s => [...document.querySelectorAll(s)].every(e => e.getClientRects().length > 0)
                && document.querySelectorAll(s).length > 0))()"""
        )
        assert shown == [True] * 5
        assert browser.pdf().startswith(b"%PDF")
    finally:
        browser.send("Emulation.setEmulatedMedia", {"media": ""})
