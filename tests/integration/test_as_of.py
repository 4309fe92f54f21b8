"""Views as they stood at an earlier moment (?per=) and budget versions side by side, on NATS
and PostgreSQL: what was known at a moment is read from the events' recorded times."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import quote, urlencode

import pytest

from contracts.budget.commands import RecordActuals, RegisterUnit, RenameUnit, SetFigures
from contracts.envelope import Command
from kommunplan.demo import publish_commands
from plumbing.http_identity import Access
from services.reporting.bootstrap import ReportingProcess
from services.reporting.http import create_app
from services.reporting.reports.budget_versions.builder import (
    ADOPTED,
    PUBLIC_STATUSES,
    REVISED,
    STATUSES,
)
from services.reporting.reports.month_report.read import month_report_input
from services.reporting.reports.plan.read import plan_input
from services.reporting.reports.shared.as_of import shown_moment
from services.reporting.settings import ReportingSettings
from tests.conftest import eventually
from tests.integration.test_reporting import projected_events
from tests.servers import Servers
from tests.system import Seed, get_as, ledger_sends

ACTOR = "controller"
DAY = date(2011, 1, 1)


def unit(code: str, name: str, parent: str | None) -> RegisterUnit:
    kind = "board" if parent is None else "unit"
    return RegisterUnit(
        actor=ACTOR, unit_code=code, name=name, kind=kind, parent_code=parent, effective_on=DAY
    )


def budget(status: str, revenue: str, costs: str, year: int = 2011) -> SetFigures:
    return SetFigures(
        actor=ACTOR,
        unit_code="IT",
        year=year,
        kind="budget",
        status=status,
        revenue=revenue,
        costs=costs,
    )


def actuals(revenue: str, costs: str) -> RecordActuals:
    return RecordActuals(
        actor="ledger", unit_code="IT", period="2011-01", revenue=revenue, costs=costs
    )


BEFORE: list[Command] = [
    unit("KS", "Kommunstyrelsen", None),
    unit("IT", "IT-kontor", "KS"),
    budget("adopted", "100000", "-900000"),
    actuals("10", "-100"),
]
AFTER: list[Command] = [
    RenameUnit(actor=ACTOR, unit_code="IT", name="IT-enheten", effective_on=DAY),
    # Two corrections of January sent together: both may land in one batch.
    actuals("15", "-150"),
    actuals("20", "-200"),
    budget("revised", "0", "-950000"),
    budget("proposed", "0", "-990000"),
    unit("NY", "Nya enheten", "KS"),
]


@dataclass(frozen=True)
class Moments:
    process: ReportingProcess
    between: datetime  # after BEFORE was stored, before AFTER was sent


@pytest.fixture
def reporting_seed() -> Seed:
    return ledger_sends(BEFORE)


@pytest.fixture
async def moments(
    servers: Servers, reporting: ReportingProcess, reporting_database: str
) -> Moments:
    """BEFORE read, then AFTER sent and read."""
    await asyncio.sleep(0.05)
    between = datetime.now(UTC)
    await asyncio.sleep(0.05)
    await publish_commands(servers.nats_url, AFTER, "ekonomisystem")
    await eventually(
        lambda: projected_events(reporting_database),
        until=lambda n: n == len(BEFORE) + len(AFTER),
    )
    return Moments(reporting, between)


async def test_the_plan_as_it_stood_names_the_old_name_and_only_the_units_then(
    moments: Moments,
) -> None:
    pool = moments.process.read_models
    then = await plan_input(pool, 2011, "KS", per=moments.between)
    now = await plan_input(pool, 2011, "KS")
    assert {u.code: u.name for u in then.units} == {"KS": "Kommunstyrelsen", "IT": "IT-kontor"}
    assert {u.code: u.name for u in now.units}["IT"] == "IT-enheten"
    assert "NY" in {u.code for u in now.units}
    (figure,) = then.figures
    assert (figure.status, figure.revenue, figure.costs) == (ADOPTED, 100000, -900000)


async def test_a_month_corrected_twice_in_one_batch_reads_each_moment(moments: Moments) -> None:
    models = moments.process.read_models
    then = await month_report_input(models, 2011, 1, per=moments.between)
    now = await month_report_input(models, 2011, 1)
    assert [(a.revenue, a.costs) for a in then.actuals] == [(10, -100)]
    assert [(a.revenue, a.costs) for a in now.actuals] == [(20, -200)]
    # Every version is kept, the one in between too.
    async with moments.process.pool.acquire() as conn:
        schema = await conn.fetchval(
            "SELECT 'reporting_g' || generation FROM projection_active"
            " WHERE projection = 'reporting'"
        )
        kept = await conn.fetch(
            f"SELECT revenue, known_from, known_until FROM {schema}.actuals_versions"
            " ORDER BY known_from"
        )
    assert [r["revenue"] for r in kept] == [10, 15]
    assert kept[0]["known_until"] == kept[1]["known_from"]
    assert kept[0]["known_until"] > moments.between > kept[0]["known_from"]


async def test_each_budget_version_is_kept_and_the_view_shows_the_latest_it_may(
    moments: Moments,
) -> None:
    pool = moments.process.read_models

    async def budgets(statuses: tuple[str, ...], every: bool = False) -> dict[str, Decimal]:
        data = await plan_input(pool, 2011, "KS", statuses=statuses, every_version=every)
        return {f.status: f.revenue + f.costs for f in data.figures if f.unit_code == "IT"}

    # A drafts reader sees the proposal, recorded last; the public the revision.
    assert await budgets(STATUSES) == {"proposed": Decimal(-990000)}
    assert await budgets(PUBLIC_STATUSES) == {REVISED: Decimal(-950000)}
    # The adopted budget is not lost under the later ones.
    assert await budgets((ADOPTED,)) == {ADOPTED: Decimal(-800000)}
    assert await budgets(STATUSES, every=True) == {
        "proposed": Decimal(-990000),
        ADOPTED: Decimal(-800000),
        REVISED: Decimal(-950000),
    }
    # The month report compares with the public budget: the revised, not the proposal.
    report = await month_report_input(pool, 2011, 1)
    assert [(f.status, f.costs) for f in report.figures] == [(REVISED, -950000)]


async def test_every_view_reads_the_moment_given_and_says_so(moments: Moments) -> None:
    app, per = moments.process.app, moments.between.isoformat()
    query = urlencode({"per": per})
    plan = (await get_as(app, f"/api/plan/KS/2011?{query}")).json()
    assert plan["per"] == per
    assert [n["name"] for n in plan["nodes"]] == ["Kommunstyrelsen", "IT-kontor"]
    it = plan["nodes"][1]["figures"][2]
    assert (it["status"], it["net"]) == (ADOPTED, "-800000")
    now = (await get_as(app, "/api/plan/KS/2011")).json()
    assert now["per"] is None and "IT-enheten" in [n["name"] for n in now["nodes"]]

    report = (await get_as(app, f"/api/uppfoljning/IT/2011-01?{query}")).json()
    assert report["per"] == per
    assert report["nodes"][0]["actuals_to_date"]["net"] == "-90"
    assert report["nodes"][0]["budget"]["net"] == "-800000"
    later = (await get_as(app, "/api/uppfoljning/IT/2011-01")).json()
    assert later["nodes"][0]["actuals_to_date"]["net"] == "-180"
    assert later["nodes"][0]["budget"]["net"] == "-950000"

    interim = (await get_as(app, f"/api/delarsrapport/KS/2011?{query}")).json()
    assert interim["per"] == per
    assert [n["code"] for n in interim["economy"]["nodes"]] == ["KS", "IT"]
    for path in ("/api/projekt", "/api/arsredovisning/KS/2011"):
        answer = await get_as(app, f"{path}?{query}")
        assert answer.status_code in (200, 503), answer.text  # no projects read model here
        if answer.status_code == 200:
            assert answer.json()["per"] == per

    page = await get_as(app, f"/plan/KS/2011?{query}")
    assert page.status_code == 200
    shown = shown_moment(moments.between)
    assert f"Som rapporten såg ut per {shown}" in page.text
    assert f"· per {shown}" in page.text  # the printed heading
    assert f"format=csv&amp;per={quote(per)}" in page.text or f"per={quote(per)}" in page.text
    # A form opens the same page at the end of another day.
    assert f'name="per" value="{shown[:10]}"' in page.text
    sheet = await get_as(app, f"/plan/KS/2011?{query}&format=csv")
    assert f"Per: {shown}" in sheet.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("per", "says"),
    [
        ("2011-13-01", "finns inte i kalendern"),
        ("imorgon", "går inte att läsa"),
        ("2999-01-01T00:00", "ligger i framtiden"),
    ],
)
async def test_a_bad_moment_is_422_in_swedish_on_every_view(
    moments: Moments, per: str, says: str
) -> None:
    for path in (
        "/plan/KS/2011",
        "/api/plan/KS/2011",
        "/api/uppfoljning/KS/2011-01",
        "/uppfoljning/KS/2011-01",
        "/api/mal/KS/2011",
        "/api/projekt",
        "/projekt/P1",
        "/api/delarsrapport/KS/2011",
        "/arsredovisning/KS/2011",
        "/api/plan/KS/2011/versioner",
    ):
        answer = await get_as(moments.process.app, f"{path}?{urlencode({'per': per})}")
        assert answer.status_code == 422, (path, answer.text)
        assert says in answer.json()["detail"], path


async def test_versions_side_by_side_and_one_version_asked_for(moments: Moments) -> None:
    app = moments.process.app
    public = (await get_as(app, "/api/plan/KS/2011/versioner")).json()
    assert public["statuses"] == [ADOPTED, REVISED]
    it = next(r for r in public["rows"] if r["code"] == "IT")
    assert it["versions"][ADOPTED]["net"] == "-800000"
    assert it["versions"][REVISED]["net"] == "-950000"
    assert it["changes"]["revised_minus_adopted"]["net"] == "-150000"
    drafts = (await get_as(app, "/api/plan/KS/2011/versioner", "controller")).json()
    assert drafts["statuses"] == ["proposed", ADOPTED, REVISED]
    assert (
        next(r for r in drafts["rows"] if r["code"] == "IT")["versions"]["proposed"]["net"]
        == "-990000"
    )
    then = (
        await get_as(
            app, f"/api/plan/KS/2011/versioner?{urlencode({'per': moments.between.isoformat()})}"
        )
    ).json()
    # Before the revision the revised budget was the adopted one.
    it_then = next(r for r in then["rows"] if r["code"] == "IT")
    assert it_then["versions"][REVISED]["net"] == "-800000"
    assert it_then["changes"]["revised_minus_adopted"]["net"] == "0"
    page = await get_as(app, "/plan/KS/2011/versioner")
    assert page.status_code == 200 and "Budgetversioner 2011 för Kommunstyrelsen" in page.text
    assert "-150" in page.text

    adopted = (await get_as(app, "/api/plan/KS/2011?version=beslutad")).json()
    assert adopted["version"] == "beslutad"
    assert adopted["nodes"][1]["figures"][2]["net"] == "-800000"
    month = (await get_as(app, "/api/uppfoljning/IT/2011-01?version=beslutad")).json()
    assert month["nodes"][0]["budget"]["net"] == "-800000"
    # Followed up against the decided budget, for those who may see the proposal too.
    controller = (await get_as(app, "/api/uppfoljning/IT/2011-01", "controller")).json()
    assert controller["nodes"][0]["budget"]["net"] == "-950000"
    proposal = await get_as(app, "/api/uppfoljning/IT/2011-01?version=forslag", "controller")
    assert proposal.json()["nodes"][0]["budget"]["net"] == "-990000"
    page = await get_as(app, "/uppfoljning/IT/2011-01?version=beslutad")
    assert "Budgetversion: Beslutad" in page.text

    refused = await get_as(app, "/api/plan/KS/2011?version=forslag")
    assert refused.status_code == 403 and "Förslag visas bara" in refused.json()["detail"]
    shown = await get_as(app, "/api/plan/KS/2011?version=forslag", "controller")
    assert shown.status_code == 200
    unknown = await get_as(app, "/api/uppfoljning/IT/2011-01?version=senaste")
    assert unknown.status_code == 422 and "Versionen senaste finns inte" in unknown.json()["detail"]


async def test_the_interim_report_ends_where_the_setting_says(moments: Moments) -> None:
    settings = ReportingSettings(interim_last_month=6)
    app = create_app(
        moments.process.read_models,
        Access.from_settings(settings),
        interim_last_month=settings.interim_last_month,
    )
    june = (await get_as(app, "/api/delarsrapport/KS/2011")).json()
    assert june["last_period"] == "2011-06"
    august = (await get_as(moments.process.app, "/api/delarsrapport/KS/2011")).json()
    assert august["last_period"] == "2011-08"
