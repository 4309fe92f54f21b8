"""The goals view's page: a summary per perspective before the commitments, a table mode and
its filters as a form; the builder's counts, and the routes with the read models stood in."""

import re
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from plumbing.http_identity import Access
from plumbing.settings import ServiceSettings
from services.reporting.http import create_app
from services.reporting.read_models.budget.tables import UnitRow
from services.reporting.read_models.goals.tables import GoalsInput, MeasurementRow
from services.reporting.reports.goals import routes
from services.reporting.reports.goals.html import render_goals_html
from services.reporting.reports.goals.json import goals_view_to_json
from services.reporting.reports.goals.view import Filters, build_goals_view, parse_display
from services.reporting.reports.shared import wayfinding_page
from services.reporting.reports.shared.attainment import Attainment
from services.reporting.reports.shared.refusals import UnknownFilter
from tests.unit.test_plan_goals import UNITS, commitment, data

PAGE = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def measured_data() -> GoalsInput:
    """c2 met (2 % against at least 1 %), c4 not met (0,5 % against at least 1 %), the
    activity c3 and the key figure c1 not measured."""
    rows = data()
    extra = commitment("c4", "g-folk", 22, kind="financial", target=("at_least", "1", "percent"))
    at = datetime(2011, 12, 31, tzinfo=UTC)
    measurements = tuple(
        MeasurementRow(cid, "2011", Decimal(total), None, None, "Källa", at)
        for cid, total in (("c2", "2"), ("c4", "0.5"))
    )
    return replace(rows, commitments=(*rows.commitments, extra), measurements=measurements)


def test_the_summary_counts_each_perspectives_commitments_by_attainment() -> None:
    view = build_goals_view(measured_data(), UNITS[0], 2011)
    summary = [(s.perspective, s.total) for s in view.summary]
    assert summary == [
        ("Samhällsutveckling", 1),
        ("Tvärfrågor – Folkhälsa", 3 - 1),
        ("Tvärfrågor – Jämställdhet", 1),
    ]
    health = view.summary[1]
    assert health.count(Attainment.MET) == 1 and health.count(Attainment.NOT_MET) == 1
    assert health.count(Attainment.PARTLY_MET) == 0
    assert view.summary[2].count(Attainment.NOT_MEASURED) == 1
    overall = dict(view.overall.counts)
    assert overall == {
        Attainment.MET: 1,
        Attainment.PARTLY_MET: 0,
        Attainment.NOT_MET: 1,
        Attainment.ON_TRACK: 0,
        Attainment.OFF_TRACK: 0,
        Attainment.NOT_JUDGED: 0,
        Attainment.NOT_MEASURED: 2,
    }
    document = goals_view_to_json(view)
    assert document["summary"][-1] == {
        "perspective_id": None,
        "perspective": "Alla perspektiv",
        "commitments": 4,
        "attainment": {
            "uppfyllt": 1,
            "delvis": 0,
            "ej_uppfyllt": 1,
            "i_fas": 0,
            "inte_i_fas": 0,
            "ej_bedomt": 0,
            "ej_matt": 2,
        },
    }


def test_the_summary_follows_the_filter_and_the_form_offers_every_perspective() -> None:
    view = build_goals_view(measured_data(), UNITS[0], 2011, Filters("tvar"))
    assert [s.perspective_id for s in view.summary] == ["folk", "jam"]
    assert [pid for pid, _ in view.perspectives] == ["samhalle", "tvar", "folk", "jam"]
    assert ("folk", "Tvärfrågor – Folkhälsa") in view.perspectives


def test_a_form_sends_a_filter_not_chosen_as_empty_and_a_display_is_checked() -> None:
    assert Filters.parse("", "") == Filters()
    assert parse_display(None) == parse_display("") == "kort"
    assert parse_display("tabell") == "tabell"
    with pytest.raises(UnknownFilter, match="visning=lista finns inte"):
        parse_display("lista")


def test_the_page_has_the_summary_before_the_cards_and_the_form() -> None:
    page = render_goals_html(build_goals_view(measured_data(), UNITS[0], 2011, Filters("folk")))
    assert page.index("Måluppfyllelse per perspektiv") < page.index('<article id="atagande-c2"')
    form = re.search(r'<form class="filter-form" method="get".*?</form>', page, re.S)
    assert form is not None
    assert '<option value="folk" selected>Tvärfrågor – Folkhälsa</option>' in form.group(0)
    assert 'name="maluppfyllelse"' in form.group(0) and 'name="visning"' in form.group(0)
    assert "<script" not in page
    assert "Urval: perspektiv Tvärfrågor – Folkhälsa" in page


APP = create_app(None, Access.from_settings(ServiceSettings()))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def stood_in(monkeypatch: pytest.MonkeyPatch) -> None:
    async def goals_input(*_: Any) -> GoalsInput:
        return measured_data()

    async def no_tree(*_: Any) -> tuple[list[UnitRow], int]:
        return [], 1  # the shared header then places the page nowhere

    monkeypatch.setattr(routes, "goals_input", goals_input)
    monkeypatch.setattr(wayfinding_page, "_tree", no_tree)


async def get(path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=APP)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path, headers=headers)


async def test_the_table_mode_has_a_row_per_commitment_with_its_attainment() -> None:
    answer = await get("/mal/KLF/2011?visning=tabell", PAGE)
    assert answer.status_code == 200, answer.text
    page = answer.text
    table = re.search(r'<table class="commitments">.*?</table>', page, re.S)
    assert table is not None
    rows = re.findall(r'<tr id="atagande-(c\d)">(.*?)</tr>', table.group(0), re.S)
    assert [cid for cid, _ in rows] == ["c1", "c2", "c4", "c3"]
    attained = {cid: re.findall(r'class="status-([a-z_]+)"', row)[0] for cid, row in rows}
    assert attained == {"c1": "ej_matt", "c2": "uppfyllt", "c4": "ej_uppfyllt", "c3": "ej_matt"}
    assert "<article" not in page and "<svg" not in page
    assert '<option value="tabell" selected>' in page
    assert "visning=tabell&amp;format=csv" in page  # the downloads keep the page's choices


async def test_the_form_sends_what_it_shows_and_empty_choices_mean_all() -> None:
    everything = await get("/mal/KLF/2011?perspektiv=&maluppfyllelse=&visning=kort", PAGE)
    assert everything.status_code == 200, everything.text
    assert everything.text.count("<article") == 4
    chosen = await get("/mal/KLF/2011?perspektiv=tvar&maluppfyllelse=uppfyllt", PAGE)
    assert chosen.text.count("<article") == 1
    assert '<option value="uppfyllt" selected>uppfyllt</option>' in chosen.text
    assert '<option value="tvar" selected>Tvärfrågor</option>' in chosen.text
    refused = await get("/api/mal/KLF/2011?visning=lista")
    assert refused.status_code == 422
    assert "visning=lista finns inte" in refused.json()["detail"]
