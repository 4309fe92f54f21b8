"""The seed's budget through NATS, the budget service, JetStream and the projection, to the plan."""

import asyncio
import json
from typing import Any

import asyncpg
import httpx
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts import subjects
from contracts.budget.commands import SetFigures
from kommunplan.demo import demo_commands, publish_commands
from plumbing.read_models import active_generation, schema_name
from services.reporting.bootstrap import ReportingProcess
from services.reporting.read_models.budget.projection import BudgetProjection
from services.reporting.read_models.sources import BUDGET
from services.reporting.reports.plan.read import plan_input
from tests.conftest import count, eventually
from tests.servers import Servers
from tests.system import Seed, demo_budget, get_as

TABLES = (
    "units",
    "figures",
    "frame_changes",
    "net_investments",
    "narratives",
    "actuals",
    "forecasts",
)


async def _in_active_schema(database: str, sql: str) -> list[asyncpg.Record]:
    """Run ``sql`` with ``{schema}`` standing for the active generation's schema."""
    conn = await asyncpg.connect(database)
    try:
        generation = await active_generation(conn, BudgetProjection.name)
        if generation is None:
            return []
        schema = schema_name(BudgetProjection.name, generation)
        return list(await conn.fetch(sql.format(schema=schema)))
    finally:
        await conn.close()


async def snapshot(database: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every read model row of the active generation, in a stable order."""
    return {
        table: [
            tuple(r)
            for r in await _in_active_schema(
                database, f"SELECT * FROM {{schema}}.{table} ORDER BY 1, 2, 3"
            )
        ]
        for table in TABLES
    }


async def projected_events(database: str) -> int:
    rows = await _in_active_schema(
        database, "SELECT coalesce(sum(version), 0) AS n FROM {schema}.stream_versions"
    )
    return int(rows[0]["n"]) if rows else 0


async def _checkpoint(database: str) -> int:
    rows = await _in_active_schema(database, "SELECT sequence FROM {schema}.tracking")
    return int(rows[0]["sequence"])


def revised_budget_2011(unit: str, revenue: str, costs: str) -> SetFigures:
    return SetFigures(
        actor="controller",
        unit_code=unit,
        year=2011,
        kind="budget",
        status="revised",
        revenue=revenue,
        costs=costs,
    )


@pytest.fixture
def reporting_seed() -> Seed:
    return demo_budget


async def plan(process: ReportingProcess, unit: str = "KS", year: int = 2011) -> dict[str, Any]:
    # A reader with a role sees proposals too.
    response = await get_as(process.app, f"/api/plan/{unit}/{year}", "reader")
    assert response.status_code == 200, response.text
    return dict(response.json())


def node(view: dict[str, Any], code: str) -> dict[str, Any]:
    return next(n for n in view["nodes"] if n["code"] == code)


BUDGET_Y = 2  # columns: Budget Y-1, Bokslut Y-1, Budget Y, Plan Y+1, Plan Y+2


async def test_the_board_shows_its_own_budget_fully_allocated_with_the_klc_frame(
    reporting: ReportingProcess,
) -> None:
    view = await plan(reporting)
    ks = node(view, "KS")
    budget = ks["figures"][BUDGET_Y]
    assert (budget["tkr"]["revenue"], budget["tkr"]["costs"], budget["tkr"]["net"]) == (
        "188 724",
        "-298 274",
        "-109 550",
    )
    assert budget["source"] == "own"
    # KLC has no table, but its frame of 1 118 tkr in the board's overview is its budget.
    assert budget["difference"] is None
    assert node(view, "KLC")["figures"][BUDGET_Y]["tkr"]["net"] == "-1 118"
    assert [c["tkr"]["net"] for c in ks["figures"][3:]] == ["-109 450", "-109 350"]
    assert ks["manager_name"] == "Mattias Jansson och Conny Petrén"


async def test_plan_years_exist_only_for_the_whole_board(reporting: ReportingProcess) -> None:
    view = await plan(reporting)
    assert all(
        n["figures"][3] is None and n["figures"][4] is None
        for n in view["nodes"]
        if n["code"] != "KS"
    )


async def test_net_is_computed_from_revenue_and_costs_and_differences_show_upward(
    reporting: ReportingProcess,
) -> None:
    view = await plan(reporting)
    kgm = node(view, "KGM")["figures"][BUDGET_Y]
    # Printed net -5 595, but 815 - 9 821 = -9 006: the computed net is shown...
    assert kgm["tkr"]["net"] == "-9 006"
    # ...and the parent's own costs differ from its children's by the same 3 411 tkr.
    kc = node(view, "KC")["figures"][BUDGET_Y]
    assert kc["tkr"]["costs"] == "-179 201"
    assert kc["difference"]["tkr"]["costs"] == "3 411"


async def test_a_subtree_plan_shows_the_unit_and_the_units_under_it(
    reporting: ReportingProcess,
) -> None:
    view = await plan(reporting, "KLF")
    assert [n["code"] for n in view["nodes"]] == [
        "KLF",
        "KLFL",
        "EKO",
        "IT",
        "INFO",
        "KSEK",
        "STAB",
        "PERS",
        "PROJ",
    ]
    assert node(view, "EKO")["name"] == "Ekonomi- och upphandlingskontoret"
    info = node(view, "INFO")
    assert info["frame_changes"][0]["tkr"] == "+1 340"
    assert info["manager_name"] == "Maria Magnusson"
    assert info["activity_description"].startswith("Informationskontoret ska verka")


async def test_the_html_plan_is_in_swedish_with_the_seeds_numbers(
    reporting: ReportingProcess,
) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=reporting.app), base_url="http://reporting"
    ) as http:
        page = await http.get("/plan/KS/2011")
        missing = await http.get("/plan/NOPE/2011")
    assert page.status_code == 200
    assert "Planering med budget 2011–2013 för Kommunstyrelsen" in page.text
    assert "-109 550" in page.text and "Kontorschef: Hans Haglund" in page.text
    assert missing.status_code == 404 and "finns inte" in missing.text


async def test_a_redelivered_or_republished_event_changes_nothing(
    reporting: ReportingProcess,
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    reporting_database: str,
) -> None:
    _, js = nats_client
    first = await js.get_msg(subjects.BUDGET_EVENTS_STREAM, 1)
    old_it_budget = await _figures_event(js, "IT", 2011, "budget")
    revised = revised_budget_2011("IT", "40000000", "-40000000")
    await publish_commands(servers.nats_url, [revised], "ekonomisystem")
    await eventually(
        lambda: projected_events(reporting_database), until=lambda n: n == len(demo_commands()) + 1
    )
    before = await snapshot(reporting_database)
    # The same messages again under new sequence numbers: an older budget of IT that would
    # undo the revision, and the board's registration that would violate the primary key.
    for message in (old_it_budget, first):
        await js.publish(message.subject, message.data, headers={"traceparent": "x"})
    last = (await js.stream_info(subjects.BUDGET_EVENTS_STREAM)).state.last_seq
    await eventually(lambda: _checkpoint(reporting_database), until=lambda seq: seq == last)
    assert await snapshot(reporting_database) == before
    # And a whole redelivery of the stream from the start, to a new consumer, as well.
    await reporting.runner(BUDGET).rebuild(asyncio.Event())
    assert await snapshot(reporting_database) == before


async def _figures_event(js: JetStreamContext, unit: str, year: int, kind: str) -> Any:
    info = await js.stream_info(subjects.BUDGET_EVENTS_STREAM)
    for seq in range(1, info.state.last_seq + 1):
        message = await js.get_msg(subjects.BUDGET_EVENTS_STREAM, seq)
        payload = json.loads(message.data)["payload"]
        if (payload.get("unit_code"), payload.get("year"), payload.get("kind")) == (
            unit,
            year,
            kind,
        ) and message.subject.endswith("FiguresSet"):
            return message
    raise AssertionError("no such event")


async def test_a_rebuild_gives_the_same_read_model_while_the_views_keep_serving(
    reporting: ReportingProcess,
    reporting_database: str,
    servers: Servers,
) -> None:
    before = await snapshot(reporting_database)
    rebuild = asyncio.create_task(reporting.runner(BUDGET).rebuild(asyncio.Event()))
    served = 0
    while not rebuild.done():
        data = await plan_input(reporting.read_models, 2011)
        assert len(data.units) == 17
        served += 1
        await asyncio.sleep(0.01)
    assert await rebuild == 2
    assert served > 0
    assert await snapshot(reporting_database) == before
    assert (
        await count(
            reporting_database,
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'reporting_g1'",
        )
        == 0
    )
    # The live runner follows the switch: new events land in the new generation.
    revised = revised_budget_2011("KS", "188724000", "-299000000")
    await publish_commands(servers.nats_url, [revised], "ekonomisystem")
    await eventually(
        lambda: plan(reporting),
        until=lambda view: view["nodes"][0]["figures"][BUDGET_Y]["tkr"]["net"] == "-110 276",
    )


async def test_a_rebuild_gives_way_to_a_view_still_reading_the_old_generation(
    reporting: ReportingProcess, reporting_database: str
) -> None:
    # A view that began before the switch holds one old table and then wants another:
    # dropping the old generation at once would deadlock with it.
    reader = await asyncpg.connect(reporting_database)
    try:
        async with reader.transaction(isolation="repeatable_read"):
            units = await reader.fetchval("SELECT count(*) FROM reporting_g1.units")
            rebuild = asyncio.create_task(reporting.runner(BUDGET).rebuild(asyncio.Event()))
            await eventually(
                lambda: count(reporting_database, "SELECT generation FROM projection_active"),
                until=lambda generation: generation == 2,
            )
            await asyncio.sleep(0.5)  # the drop is waiting for this reader now
            # As the plan view does last: a table made before the read models.
            parked = await reader.fetchval("SELECT count(*) FROM reporting_g1.parked")
        assert (units, parked) == (17, 0)
        assert await asyncio.wait_for(rebuild, timeout=30) == 2
    finally:
        await reader.close()
    schemas = "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'reporting_g1'"
    assert await count(reporting_database, schemas) == 0
