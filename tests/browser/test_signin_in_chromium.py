"""A controller signs in through `up`'s local OpenID provider in headless Chromium, writes
the month's comment on the month report, sees it there and in the history, is refused in
Swedish for a bad value with what was typed kept, is refused a unit outside their units,
proposes a budget that only the signed-in see, and signs out."""

import time
import uuid
from collections.abc import Iterator

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.devtools import Chromium

MONTH = "/uppfoljning/KLF/2011-08"
COMMENT_FORM = "document.querySelector('form[action=\"/skriv/manadskommentar\"]')"


@pytest.fixture
def clean_browser(browser: Chromium) -> Iterator[Chromium]:
    """The browser, with no session left behind for the other modules' pages."""
    yield browser
    browser.send("Network.clearBrowserCookies")


def after(browser: Chromium, action: str, timeout: float = 30.0) -> str:
    """Run ``action`` (JavaScript that navigates: a click, a submit) and wait until the
    next page has loaded; its rendered text."""
    before = browser.evaluate("performance.timeOrigin")
    browser.evaluate(action)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            now = browser.evaluate(
                "document.readyState === 'complete' ? performance.timeOrigin : null"
            )
        except Exception:  # the old page's context went away mid-question
            continue
        if now is not None and now != before:
            return browser.text()
    raise AssertionError(f"no new page after {action}")


def shown(browser: Chromium, page: str, text: str, seconds: float = 30.0) -> str:
    """``page``, reloaded until it shows ``text`` or ``seconds`` have passed: a form's answer
    waits a few seconds for the view to take the write in, which a loaded machine may pass."""
    deadline = time.monotonic() + seconds
    while text not in page and time.monotonic() < deadline:
        page = after(browser, "location.reload()")
    return page


def fill(form: str, **values: str) -> str:
    """JavaScript that sets ``values`` in ``form`` (an expression) and submits it as the
    person would, with its button."""
    sets = "".join(f"f.elements[{name!r}].value = {value!r};" for name, value in values.items())
    submit = "f.querySelector('button[type=submit]').click();"
    return f"(() => {{ const f = {form}; f.closest('details').open = true; {sets} {submit} }})()"


def test_a_controller_signs_in_writes_is_refused_and_signs_out(
    clean_browser: Chromium, reporting_url: str
) -> None:
    browser = clean_browser
    browser.load(f"{reporting_url}{MONTH}")
    text = browser.text()
    assert "Logga in" in text and "lokala identitetsleverantören" in text
    assert browser.evaluate(f"{COMMENT_FORM} === null"), "a form for someone not signed in"

    provider = after(browser, "document.querySelector('.signin a').click()")
    assert "Lokal identitetsleverantör" in provider and "Anna Andersson" in provider
    page = after(browser, "document.querySelector('button[value=\"anna.klf\"]').click()")
    assert browser.evaluate("location.pathname") == MONTH
    assert "Inloggad som Anna Andersson" in page

    # The month's comment, written on the page, is on the page and in the history.
    comment = f"Vakanser under sommaren ({uuid.uuid4().hex[:8]})"
    page = after(browser, fill(COMMENT_FORM, comment=comment, measures="Rekrytering pågår."))
    browser.screenshot(SCREENSHOTS / "inloggad-manadskommentar.png")
    assert browser.evaluate("location.pathname") == MONTH
    page = shown(browser, page, comment)
    assert comment in page
    history = after(browser, f"location.href = '{reporting_url}/historik/KLF/2011'")
    assert "Kommentar och åtgärder 2011-08" in history
    assert "Anna Andersson (anna.klf)" in history

    # The month marked ready: on the page, on the parent's, and in the history.
    browser.load(f"{reporting_url}{MONTH}")
    page = after(
        browser, "document.querySelector('form[action=\"/skriv/klarmarkera\"] button').click()"
    )
    page = shown(browser, page, "Kommunledningsförvaltningen: klar (Anna Andersson")
    assert "Kommunledningsförvaltningen: klar (Anna Andersson" in page
    assert browser.evaluate("document.querySelector('form[action=\"/skriv/oppna-igen\"]') !== null")
    browser.load(f"{reporting_url}/uppfoljning/KS/2011-08")
    assert "Kommunledningsförvaltningen\tklar (Anna Andersson" in browser.text()
    history = after(browser, f"location.href = '{reporting_url}/historik/KLF/2011'")
    assert "Klarmarkerad: månadsuppföljningen 2011-08" in history

    # A measurement of a key figure, on the goals view.
    browser.load(f"{reporting_url}/mal/KLF/2011")
    measurement = "document.querySelector('form[action=\"/skriv/matvarde\"]')"
    source = f"Enkät {uuid.uuid4().hex[:6]}"
    # Typed as a Swede writes it, with a decimal comma.
    page = after(browser, fill(measurement, period="2011-08", total="64,5", source=source))
    browser.screenshot(SCREENSHOTS / "inloggad-matvarde.png")
    assert browser.evaluate("location.pathname") == "/mal/KLF/2011"
    page = shown(browser, page, source)
    assert source in page and "64,5" in page

    # Too long a comment: the service's reason in Swedish beside the field, the text kept.
    browser.load(f"{reporting_url}{MONTH}")
    typed = "x" * 5001
    refused = after(browser, fill(COMMENT_FORM, comment=typed, measures="Behåll detta"))
    browser.screenshot(SCREENSHOTS / "inloggad-avvisad.png")
    assert "högst 5000 tecken" in refused
    assert browser.evaluate(f"{COMMENT_FORM}.elements['comment'].value") == typed
    assert browser.evaluate(f"{COMMENT_FORM}.elements['measures'].value") == "Behåll detta"

    # A unit outside her units: the service refuses it, as it would over the API.
    browser.load(f"{reporting_url}{MONTH}")
    outside = after(browser, fill(COMMENT_FORM, unit_code="NÄT", comment="Fel enhet"))
    assert "får inte skriva för enheten NÄT" in outside

    # A proposal is a draft: shown to the signed-in, and to no one once signed out.
    versions = f"{reporting_url}/plan/KLF/2011/versioner"
    browser.load(versions)
    proposal = "document.querySelector('form[action=\"/skriv/budgetforslag\"]')"
    page = after(browser, fill(proposal, revenue="1000000", costs="-61000000"))
    deadline = time.monotonic() + 20
    while "Förslag" not in page and time.monotonic() < deadline:
        page = after(browser, "location.reload()")
    assert "Förslag" in page and "-60 000" in page

    signed_out = after(browser, "document.querySelector('.signout button').click()")
    assert "Logga in" in signed_out and "Inloggad som" not in signed_out
    browser.load(versions)
    page = browser.text()
    browser.screenshot(SCREENSHOTS / "utloggad-budgetversioner.png")
    assert "Förslag" not in page and "-60 000" not in page
    assert browser.evaluate(f"{proposal} === null")
