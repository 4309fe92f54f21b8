"""Finding one's way in Chromium against `kommunplan up` with the demo: every page opens
with the same header, a reader can go up and down the organisation and across the views of
the same unit by following it, the month report steps to its neighbouring months, and no
page is wider than a 1,400 px window."""

from typing import Any
from urllib.parse import unquote

from tests.browser.devtools import Chromium

HEADER_LINKS = """[...document.querySelectorAll('nav.wayfinding a')].map(a => ({
    text: a.textContent.trim(), href: a.getAttribute('href'),
    current: a.getAttribute('aria-current') === 'page', rel: a.getAttribute('rel') }))"""

VIEWS = [
    "Plan",
    "Mål",
    "Månadsuppföljning",
    "Delårsrapport",
    "Årsredovisning",
    "Budgetversioner",
    "Historik",
    "Projekt",
]


def header(browser: Chromium, reporting_url: str, path: str) -> list[dict[str, Any]]:
    """Open ``path``, check that it and what it fetched loaded, and give its header's links."""
    load = browser.load(f"{reporting_url}{path}")
    assert load.statuses.get(load.url) == 200, (path, load.statuses)
    assert load.problems() == [], (path, load.problems())
    links: list[dict[str, Any]] = browser.evaluate(HEADER_LINKS)
    return links


def labelled(links: list[dict[str, Any]], text: str) -> dict[str, Any]:
    found = [link for link in links if link["text"] == text]
    assert found, (text, [link["text"] for link in links])
    return found[0]


def test_every_view_of_a_unit_reaches_every_other_and_marks_itself(
    browser: Chromium, reporting_url: str
) -> None:
    start = header(browser, reporting_url, "/plan/KLF/2011")
    views = [link for link in start if link["text"] in VIEWS]
    assert [link["text"] for link in views] == VIEWS
    for view in views:
        links = header(browser, reporting_url, view["href"])
        # Each view names the same unit's views, itself marked as the one shown.
        assert [link["text"] for link in links if link["text"] in VIEWS] == VIEWS, view
        current = [link["text"] for link in links if link["current"] and link["text"] in VIEWS]
        if view["text"] != "Projekt":
            assert current == [view["text"]], view
        assert "KLF" in unquote(view["href"]), view


def test_a_reader_goes_up_and_down_the_organisation_in_the_same_view(
    browser: Chromium, reporting_url: str
) -> None:
    links = header(browser, reporting_url, "/arsredovisning/KLF/2011")
    here = [link for link in links if link["current"] and link["text"] not in VIEWS]
    assert len(here) == 1, links
    parent = links[0]
    assert parent["href"] == "/arsredovisning/KS/2011", links
    children = [
        link
        for link in links
        if link["href"].startswith("/arsredovisning/") and link not in (parent, *here)
    ]
    assert len(children) >= 3, links
    # A child leads back up to this unit, in the same view.
    down = header(browser, reporting_url, children[0]["href"])
    assert "/arsredovisning/KLF/2011" in [link["href"] for link in down]
    top = header(browser, reporting_url, parent["href"])
    assert "/arsredovisning/KLF/2011" in [link["href"] for link in top]


def test_the_month_report_steps_to_the_previous_and_next_month(
    browser: Chromium, reporting_url: str
) -> None:
    links = header(browser, reporting_url, "/uppfoljning/KS/2011-06")
    steps = {link["rel"]: link for link in links if link["rel"]}
    assert steps["prev"]["href"] == "/uppfoljning/KS/2011-05"
    assert steps["prev"]["text"] == "← maj 2011"
    assert steps["next"]["href"] == "/uppfoljning/KS/2011-07"
    following = header(browser, reporting_url, steps["next"]["href"])
    back = {link["rel"]: link for link in following if link["rel"]}["prev"]
    assert back["href"] == "/uppfoljning/KS/2011-06"


def test_the_register_and_a_project_page_lead_into_the_organisation(
    browser: Chromium, reporting_url: str
) -> None:
    register = header(browser, reporting_url, "/projekt")
    assert any(link["href"] == "/projekt?enhet=KS" for link in register), register
    filtered = header(browser, reporting_url, "/projekt?enhet=KLF&ar=2011")
    assert labelled(filtered, "Plan")["href"] == "/plan/KLF/2011"


PAGES = [
    "/plan/KS/2011",
    "/plan/KS/2011/versioner",
    "/mal/KS/2011",
    "/uppfoljning/KS/2011-08",
    "/uppfoljning/KLF/2011-08",
    "/delarsrapport/KS/2011",
    "/delarsrapport/KLF/2011",
    "/arsredovisning/KS/2011",
    "/historik/KS/2011",
    "/projekt",
]


def test_no_page_is_wider_than_a_1400_pixel_window(browser: Chromium, reporting_url: str) -> None:
    browser.window_width(1400)
    try:
        wider = {}
        for path in PAGES:
            header(browser, reporting_url, path)
            width = browser.evaluate("document.documentElement.scrollWidth")
            if width > 1400:
                wider[path] = width
        assert wider == {}
    finally:
        browser.window_width(1280)
