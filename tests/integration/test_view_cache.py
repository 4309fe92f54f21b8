"""Answers kept until the read models change, on NATS and PostgreSQL: never stale, never
another reader's."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.budget.commands import RegisterUnit, SetFigures
from contracts.envelope import Command
from kommunplan.demo import publish_commands
from services.reporting.bootstrap import ReportingProcess
from services.reporting.read_models.sources import BUDGET
from services.reporting.view_cache import ViewCache
from tests.conftest import eventually
from tests.integration.test_reporting import projected_events
from tests.servers import Servers
from tests.system import Seed, get_as, ledger_sends

DAY = date(2011, 1, 1)


def budget(status: str, costs: str) -> SetFigures:
    return SetFigures(
        actor="controller",
        unit_code="IT",
        year=2011,
        kind="budget",
        status=status,
        revenue=Decimal(0),
        costs=Decimal(costs),
    )


TREE: list[Command] = [
    RegisterUnit(
        actor="controller",
        unit_code="KS",
        name="KS",
        kind="board",
        parent_code=None,
        effective_on=DAY,
    ),
    RegisterUnit(
        actor="controller",
        unit_code="IT",
        name="IT",
        kind="unit",
        parent_code="KS",
        effective_on=DAY,
    ),
    budget("adopted", "-1000"),
]


@pytest.fixture
def reporting_seed() -> Seed:
    return ledger_sends(TREE)


def cache_of(process: ReportingProcess) -> ViewCache:
    cache = process.app.state.view_cache
    assert isinstance(cache, ViewCache)
    return cache


async def net(process: ReportingProcess, role: str | None = None) -> str:
    answer = await get_as(process.app, "/api/plan/KS/2011", role)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["nodes"][1]["figures"][2]["net"])


async def test_a_kept_answer_is_given_until_an_event_changes_the_read_models(
    reporting: ReportingProcess, servers: Servers, reporting_database: str
) -> None:
    process, database = reporting, reporting_database
    cache = cache_of(process)
    assert await net(process) == "-1000"
    built, given = cache.built, cache.given
    assert await net(process) == "-1000"
    assert (cache.built, cache.given) == (built, given + 1)

    await publish_commands(servers.nats_url, [budget("revised", "-2000")], "ekonomisystem")
    await eventually(lambda: projected_events(database), until=lambda n: n == len(TREE) + 1)
    assert await net(process) == "-2000"  # built again, not the kept -1000
    assert cache.built == built + 1


async def test_readers_do_not_share_answers(
    reporting: ReportingProcess, servers: Servers, reporting_database: str
) -> None:
    process, database = reporting, reporting_database
    await publish_commands(servers.nats_url, [budget("proposed", "-3000")], "ekonomisystem")
    await eventually(lambda: projected_events(database), until=lambda n: n == len(TREE) + 1)
    assert await net(process, "controller") == "-3000"  # who may see drafts
    assert await net(process) == "-1000"  # the public, right after: not the kept proposal
    assert await net(process, "controller") == "-3000"


async def test_a_replay_of_parked_events_is_a_change_too(
    reporting: ReportingProcess,
) -> None:
    process = reporting
    cache = cache_of(process)
    before = await cache.state()
    await process.runner(BUDGET).replay_parked()
    assert await cache.state() != before
