"""Who may read what in reporting: the adopted plan openly (by default), drafts only with a
role, the operations views only as an operator; and the pages forbid scripts and framing."""

from typing import Any

import httpx
import pytest

from contracts.budget.commands import SetFigures
from plumbing.http_identity import Access
from plumbing.settings import ServiceSettings
from services.reporting.bootstrap import ReportingProcess
from services.reporting.http import create_app
from tests.fixtures import SMALL_TREE
from tests.system import Seed, ledger_sends
from tests.tokens import bearer, identity_settings

BUDGET_2011, PLAN_2012 = 2, 3


def figures(year: int, kind: str, status: str, revenue: int) -> SetFigures:
    return SetFigures(
        actor="t",
        unit_code="IT",
        year=year,
        kind=kind,
        status=status,
        revenue=revenue,
        costs=-1,
    )


@pytest.fixture
def reporting_seed() -> Seed:
    return ledger_sends(
        [
            *SMALL_TREE,
            figures(2011, "budget", "adopted", 100),
            figures(2012, "plan", "proposed", 200),
        ]
    )


def _client(process: ReportingProcess, **app_options: Any) -> httpx.AsyncClient:
    app = create_app(process.read_models, **app_options) if app_options else process.app
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reporting")


async def _plan(http: httpx.AsyncClient, headers: dict[str, str] | None = None) -> Any:
    response = await http.get("/api/plan/KS/2011", headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


def _net(view: dict[str, Any], code: str, column: int) -> str | None:
    node = next(n for n in view["nodes"] if n["code"] == code)
    cell = node["figures"][column]
    return None if cell is None else str(cell["net"])


async def test_drafts_are_hidden_from_an_anonymous_reader_in_json_html_and_totals(
    reporting: ReportingProcess,
) -> None:
    async with _client(reporting) as http:
        public = await _plan(http)
        page = await http.get("/plan/KS/2011")
    assert _net(public, "IT", BUDGET_2011) == _net(public, "KS", BUDGET_2011) == "99"
    assert _net(public, "IT", PLAN_2012) is None and _net(public, "KS", PLAN_2012) is None
    assert page.status_code == 200 and "förslag" not in page.text


async def test_drafts_are_shown_to_a_reader_and_rolled_up(reporting: ReportingProcess) -> None:
    async with _client(reporting) as http:
        view = await _plan(http, bearer("reader"))
        page = await http.get("/plan/KS/2011", headers=bearer("controller", units=("IT",)))
    assert _net(view, "IT", PLAN_2012) == _net(view, "KS", PLAN_2012) == "199"
    assert "förslag" in page.text


async def test_a_bad_token_is_refused_even_where_views_are_open(
    reporting: ReportingProcess,
) -> None:
    async with _client(reporting) as http:
        response = await http.get("/api/plan/KS/2011", headers=bearer("reader", seconds=-120))
    assert response.status_code == 401


async def test_closed_views_need_a_reader(reporting: ReportingProcess) -> None:
    access = Access.from_settings(ServiceSettings(**identity_settings(), open_views=False))
    async with _client(reporting, access=access) as http:
        assert (await http.get("/api/plan/KS/2011")).status_code == 401
        assert (await http.get("/plan/KS/2011")).status_code == 401
        assert (await http.get("/api/plan/KS/2011", headers=bearer("janitor"))).status_code == 403
        assert _net(await _plan(http, bearer("operator")), "KS", PLAN_2012) == "199"


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), (bearer("reader"), 403), (bearer("planner"), 403), (bearer("operator"), 200)],
    ids=["anonymous", "reader", "planner", "operator"],
)
async def test_the_operations_view_is_for_operators(
    reporting: ReportingProcess, headers: dict[str, str], status: int
) -> None:
    async with _client(reporting) as http:
        response = await http.get("/api/drift/parkerade", headers=headers)
    assert response.status_code == status, response.text
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_html_views_forbid_scripts_and_framing(reporting: ReportingProcess) -> None:
    async with _client(reporting) as http:
        page = await http.get("/plan/KS/2011")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert "style-src 'unsafe-inline'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"


async def test_the_history_hides_drafts_from_an_anonymous_reader(
    reporting: ReportingProcess,
) -> None:
    async with _client(reporting) as http:
        public = (await http.get("/api/historik/IT/2012")).json()["entries"]
        shown = (await http.get("/api/historik/IT/2012", headers=bearer("reader"))).json()
        page = await http.get("/historik/IT/2012")
    assert public == [] and [e["status"] for e in shown["entries"]] == ["proposed"]
    assert page.status_code == 200 and "content-security-policy" in page.headers
