"""A form's post that is not the signed-in person's own doing is refused, and nothing is
stored: without the session's CSRF token, with another session's, from another site, and
with an actor of its own. Signed in through `up`'s local provider as a browser would be."""

import contextlib
import html
import re
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

MONTH = "/uppfoljning/KLF/2011-08"


def signed_in(reporting_url: str, person: str = "anna.klf") -> httpx.Client:
    """A client signed in as ``person``: the code flow, as a browser follows it."""
    client = httpx.Client(timeout=30)
    to_provider = client.get(f"{reporting_url}/logga-in")
    assert to_provider.status_code == 302
    authorize = to_provider.headers["location"]
    page = client.get(authorize).text
    kept = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.split("<li>")[1]))
    chosen = {name: html.unescape(value) for name, value in kept.items()} | {"person": person}
    back = client.post(authorize.split("?")[0], data=chosen)
    assert back.status_code == 303
    answered = client.get(back.headers["location"])
    assert answered.status_code == 303, answered.text
    return client


def hidden_fields(client: httpx.Client, url: str, form: str) -> dict[str, str]:
    """The hidden fields of the first ``form`` (its name in /skriv/) on the page at ``url``."""
    page = client.get(url).text
    fields = page.split(f'action="/skriv/{form}"')[1].split("</form>")[0]
    found = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', fields)
    return {name: html.unescape(value) for name, value in found}


def month_form(client: httpx.Client, reporting_url: str) -> dict[str, str]:
    """The hidden fields of the month report's first comment form (KLF's)."""
    return hidden_fields(client, f"{reporting_url}{MONTH}", "manadskommentar")


@pytest.fixture
def anna(reporting_url: str) -> Iterator[httpx.Client]:
    with contextlib.closing(signed_in(reporting_url)) as client:
        yield client


def comments(reporting_url: str) -> str:
    return httpx.get(f"{reporting_url}/api/historik/KLF/2011", timeout=30).text


def test_posts_that_are_not_the_persons_own_are_refused_and_store_nothing(
    anna: httpx.Client, reporting_url: str
) -> None:
    own = {"Origin": reporting_url}
    form = month_form(anna, reporting_url)
    attempts = {}
    with contextlib.closing(signed_in(reporting_url, "anna.klf")) as other:
        others = month_form(other, reporting_url)
        attempts["utan kontrolltecken"] = ({k: v for k, v in form.items() if k != "csrf"}, own)
        attempts["en annan inloggnings kontrolltecken"] = (form | {"csrf": others["csrf"]}, own)
    attempts["från en annan webbplats"] = (form, {"Origin": "http://annan.example"})
    attempts["utan ursprung"] = (form, {})
    attempts["med en annan aktör"] = (form | {"actor": "mallory"}, own)
    for reason, (fields, headers) in attempts.items():
        text = f"Ska inte sparas: {reason} {uuid.uuid4().hex[:8]}"
        fields = fields | {"message_id": str(uuid.uuid4()), "comment": text}
        answer = anna.post(f"{reporting_url}/skriv/manadskommentar", data=fields, headers=headers)
        assert answer.status_code == 403, (reason, answer.status_code)
        assert "togs inte emot" in answer.text
        attempts[reason] = (fields, headers)

    # Then one the person sends as the page has it: once it is in the history, none of the
    # refused ones can still be on their way.
    accepted = f"Sparas {uuid.uuid4().hex[:8]}"
    sent = form | {"comment": accepted}
    answer = anna.post(f"{reporting_url}/skriv/manadskommentar", data=sent, headers=own)
    assert answer.status_code == 303
    again = anna.post(f"{reporting_url}/skriv/manadskommentar", data=sent, headers=own)
    assert again.status_code == 303  # the same message id: stored once
    deadline = time.monotonic() + 30
    while sent["message_id"] not in comments(reporting_url) and time.monotonic() < deadline:
        time.sleep(0.5)
    history = comments(reporting_url)
    assert history.count(sent["message_id"]) == 1
    assert '"actor":"anna.klf"' in history
    for fields, _ in attempts.values():
        assert fields["message_id"] not in history


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(reporting_url: str) -> None:
    with contextlib.closing(signed_in(reporting_url)) as client:
        form = month_form(client, reporting_url)
        cookie = client.cookies["kommunplan_session"]
        out = client.post(
            f"{reporting_url}/logga-ut",
            data={"csrf": form["csrf"], "till": MONTH},
            headers={"Origin": reporting_url},
        )
        assert out.status_code == 303
    with httpx.Client(timeout=30, cookies={"kommunplan_session": cookie}) as copy:
        page = copy.get(f"{reporting_url}{MONTH}").text
        assert "Inloggad som" not in page and 'action="/skriv/' not in page
        refused = copy.post(
            f"{reporting_url}/skriv/manadskommentar",
            data=form | {"comment": "efter utloggning"},
            headers={"Origin": reporting_url},
        )
        assert refused.status_code == 401


def test_a_page_that_needs_a_signed_in_person_sends_a_browser_to_sign_in(
    reporting_url: str,
) -> None:
    page = httpx.get(f"{reporting_url}/drift", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 303
    assert page.headers["location"] == "/logga-in?till=%2Fdrift"
    assert httpx.get(f"{reporting_url}/api/drift", timeout=30).status_code == 401


def _send(
    client: httpx.Client,
    reporting_url: str,
    path: str,
    form: str,
    showing: str | None = None,
    **typed: str,
) -> str:
    """Fill ``form`` on the page at ``path`` as the page has it, send it, and give the page
    the browser is sent back to: once it is ``showing`` that text, or after 30 s (the form's
    answer waits a few seconds for the view to take the write in; a loaded machine may need
    more, as a person would reload)."""
    hidden = hidden_fields(client, f"{reporting_url}{path}", form)
    sent = client.post(
        f"{reporting_url}/skriv/{form}",
        data=hidden | typed,
        headers={"Origin": reporting_url},
    )
    assert sent.status_code == 303, sent.text
    location = f"{reporting_url}{sent.headers['location']}"
    page = client.get(location).text
    deadline = time.monotonic() + 30
    while showing is not None and showing not in page and time.monotonic() < deadline:
        time.sleep(0.5)
        page = client.get(location).text
    return page


def test_a_planner_writes_a_project_status_report_on_the_projects_page(
    reporting_url: str,
) -> None:
    text = f"Leveransen är försenad {uuid.uuid4().hex[:6]}"
    typed = {"period": "2011-09", "schedule": "yellow", "cost": "green", "quality": "green"}
    with contextlib.closing(signed_in(reporting_url, "petra.plan")) as petra:
        page = _send(
            petra, reporting_url, "/projekt/kommunikationsplattform", "lagesrapport", text,
            text=text, reported_by="Petra Persson", **typed,
        )  # fmt: skip
        assert text in page


def test_an_operator_signed_in_sees_the_operators_view_and_its_actions_need_the_token(
    reporting_url: str,
) -> None:
    with contextlib.closing(signed_in(reporting_url, "olle.drift")) as olle:
        page = olle.get(f"{reporting_url}/drift")
        assert page.status_code == 200 and "Inloggad som Olle Olsson" in page.text
        # A replay without the session's CSRF token is no one's: refused before it is looked up.
        refused = olle.post(
            f"{reporting_url}/drift/parkerade/budget/1/spela-om",
            headers={"Origin": reporting_url},
        )
        assert refused.status_code == 401
    with contextlib.closing(signed_in(reporting_url, "lisa.las")) as lisa:
        assert lisa.get(f"{reporting_url}/drift").status_code == 403


def test_a_controller_writes_the_interim_text_marks_it_ready_and_opens_it_again(
    anna: httpx.Client, reporting_url: str
) -> None:
    interim = "/delarsrapport/KLF/2011"
    text = f"Delåret följer planen {uuid.uuid4().hex[:6]}"
    assert text in _send(anna, reporting_url, interim, "uppfoljningstext", text, text=text)
    ready = "Kommunledningsförvaltningen: klar (Anna Andersson"
    assert ready in _send(anna, reporting_url, interim, "klarmarkera", ready)
    reopened = "Kommunledningsförvaltningen: öppnad igen, inte klar (Anna Andersson"
    assert reopened in _send(anna, reporting_url, interim, "oppna-igen", reopened)
    history = anna.get(f"{reporting_url}/historik/KLF/2011").text
    assert "Klarmarkerad: delårsrapporten 2011" in history
    assert "Öppnad igen: delårsrapporten 2011" in history
