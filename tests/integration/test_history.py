"""The history of every figure: from the budget service's events to /historik, old and new."""

import asyncio
from typing import Any

import asyncpg
import httpx

from contracts.budget.commands import RecordActuals, SetFigures
from contracts.envelope import Command
from kommunplan.demo import publish_commands
from plumbing.read_models import active_generation, schema_name
from services.reporting.bootstrap import ReportingProcess
from services.reporting.read_models.budget.projection import BudgetProjection
from services.reporting.read_models.sources import BUDGET
from services.reporting.reports.history.read import unit_history
from tests.conftest import eventually
from tests.fixtures import SMALL_TREE
from tests.servers import Servers
from tests.system import get_as

SYSTEM = "ekonomisystem"


def figures(status: str, revenue: str, costs: str, year: int = 2011) -> SetFigures:
    return SetFigures(
        actor="controller",
        unit_code="IT",
        year=year,
        kind="budget",
        status=status,
        revenue=revenue,
        costs=costs,
        decision="KS 2010-11-24 § 228",
    )


def actuals(revenue: str) -> RecordActuals:
    return RecordActuals(
        actor="ledger", unit_code="IT", period="2011-03", revenue=revenue, costs="-1000"
    )


async def _get(process: ReportingProcess, path: str) -> httpx.Response:
    """As a reader, who sees drafts too (tests/integration/test_reporting_access)."""
    return await get_as(process.app, path, "reader")


async def _entries(process: ReportingProcess, year: int = 2011) -> list[dict[str, Any]]:
    response = await _get(process, f"/api/historik/IT/{year}")
    return list(response.json()["entries"]) if response.status_code == 200 else []


async def _send(servers: Servers, process: ReportingProcess, commands: list[Command]) -> None:
    """Send ``commands`` and wait until the history of 2011 and 2012 has one entry more each."""
    before = len(await _entries(process)) + len(await _entries(process, 2012))
    await publish_commands(servers.nats_url, commands, SYSTEM)
    changes = sum(1 for c in commands if not c.command_name.startswith("register"))
    await eventually(lambda: _both_years(process), until=lambda n: n == before + changes, within=30)


async def _both_years(process: ReportingProcess) -> int:
    return len(await _entries(process)) + len(await _entries(process, 2012))


async def test_a_figure_set_then_revised_shows_both_changes_with_who_from_where_and_which_message(
    reporting: ReportingProcess, servers: Servers
) -> None:
    adopted, revised = figures("adopted", "100000", "-900000"), figures("revised", "0", "-950000")
    # One publish: both changes of the same figure may land in one batch of the projection.
    await _send(servers, reporting, [*SMALL_TREE, adopted, revised])
    first, second = await _entries(reporting)
    assert (first["what"], first["status"], first["old"]) == ("Budget 2011", "adopted", None)
    assert first["new"]["net"] == "-800000" and first["new"]["tkr"]["net"] == "-800"
    assert second["old"] == first["new"]
    assert (second["new"]["revenue"], second["new"]["costs"]) == ("0", "-950000")
    assert second["status"] == "revised"
    for entry, command in ((first, adopted), (second, revised)):
        assert entry["actor"] == "controller"
        assert entry["source_system"] == SYSTEM
        assert entry["message_id"] == str(command.message_id)
        assert entry["decision"] == "KS 2010-11-24 § 228"

    page = await _get(reporting, "/historik/IT/2011")
    assert page.status_code == 200
    assert "Historik 2011 för IT-kontor" in page.text
    assert str(revised.message_id) in page.text and "reviderad" in page.text


async def test_actuals_corrected_for_a_month_show_the_old_and_the_new_amount(
    reporting: ReportingProcess, servers: Servers
) -> None:
    await _send(servers, reporting, [*SMALL_TREE, actuals("5000")])
    await _send(servers, reporting, [actuals("7000")])  # a later batch: old from the table
    first, second = await _entries(reporting)
    assert first["what"] == "Utfall 2011-03" and first["old"] is None
    assert (second["old"]["revenue"], second["new"]["revenue"]) == ("5000", "7000")
    assert second["old"]["net"] == "4000" and second["new"]["net"] == "6000"
    assert second["actor"] == "ledger"


async def test_a_proposed_figure_is_left_out_for_those_who_may_not_see_drafts(
    reporting: ReportingProcess, servers: Servers
) -> None:
    proposed = figures("proposed", "1000", "-2000", year=2012)
    adopted = figures("adopted", "1000", "-3000", year=2012)
    await _send(servers, reporting, [*SMALL_TREE, proposed, adopted])

    with_drafts = (await unit_history(reporting.read_models, "IT", 2012, drafts=True)).entries
    assert [e.new.status for e in with_drafts] == ["proposed", "adopted"]
    assert with_drafts[1].old is not None and with_drafts[1].old.costs == -2000

    (only,) = (await unit_history(reporting.read_models, "IT", 2012, drafts=False)).entries
    assert only.new.status == "adopted" and only.old is None


async def test_an_unknown_unit_is_answered_404_in_swedish(
    reporting: ReportingProcess, servers: Servers
) -> None:
    await _send(servers, reporting, [*SMALL_TREE, actuals("1")])
    for path in ("/api/historik/NOPE/2011", "/historik/NOPE/2011"):
        response = await _get(reporting, path)
        assert response.status_code == 404 and "Enheten NOPE finns inte" in response.text


async def _history_rows(database: str) -> list[tuple[Any, ...]]:
    conn = await asyncpg.connect(database)
    try:
        generation = await active_generation(conn, BudgetProjection.name)
        schema = schema_name(BudgetProjection.name, generation or 0)
        rows = await conn.fetch(f"SELECT * FROM {schema}.history ORDER BY sequence")
        return [tuple(r) for r in rows]
    finally:
        await conn.close()


async def test_a_rebuild_gives_the_same_history(
    reporting: ReportingProcess, servers: Servers, reporting_database: str
) -> None:
    await _send(servers, reporting, [*SMALL_TREE, figures("adopted", "1", "-2"), actuals("3")])
    await _send(servers, reporting, [figures("revised", "4", "-5"), actuals("6")])
    before = await _history_rows(reporting_database)
    assert len(before) == 4
    await reporting.runner(BUDGET).rebuild(asyncio.Event())
    assert await _history_rows(reporting_database) == before
