"""The reports printed on A4 by Chromium, as a reader's browser prints them: every page is
numbered "Sida n av N" and no page ends with a heading whose table is on the next."""

import io
import re

from pypdf import PdfReader

from tests.browser.devtools import Chromium

HEADINGS = "[...document.querySelectorAll('h2, h3')].map(h => h.innerText.trim())"

PRINTED = [
    "/plan/KS/2011",
    "/uppfoljning/KS/2011-08",
    "/delarsrapport/KS/2011",
    "/arsredovisning/KS/2011",
]


def printed_pages(browser: Chromium, reporting_url: str, path: str) -> tuple[list[str], set[str]]:
    """The text of each printed page of ``path``, and the page's headings."""
    load = browser.load(f"{reporting_url}{path}")
    assert load.statuses.get(load.url) == 200, load.statuses
    headings = {h for h in browser.evaluate(HEADINGS) if h}
    reader = PdfReader(io.BytesIO(browser.pdf()))
    return [page.extract_text() or "" for page in reader.pages], headings


def test_every_printed_page_is_numbered_and_no_heading_is_left_at_a_page_foot(
    browser: Chromium, reporting_url: str
) -> None:
    for path in PRINTED:
        pages, headings = printed_pages(browser, reporting_url, path)
        assert len(pages) > 1, path  # long enough that numbering and breaks matter
        for number, text in enumerate(pages, start=1):
            flat = re.sub(r"\s+", " ", text)
            assert f"Sida {number} av {len(pages)}" in flat, (path, number, flat[-200:])
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            body = [line for line in lines if not line.startswith("Sida ")]
            assert body, (path, number)
            if number < len(pages):
                assert body[-1] not in headings, (path, number, body[-1])
