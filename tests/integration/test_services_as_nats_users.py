"""budget, budget-relay and reporting each as its own NATS user on a server that refuses
everything else: systems' commands reach the plan, and a refusal reaches its own system."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import SecretStr

from contracts import subjects
from contracts.budget.commands import RecordActuals
from kommunplan.demo import publish_commands
from plumbing.service import resilient
from plumbing.settings import ServiceSettings
from services.budget import bootstrap as budget
from services.reporting import bootstrap as reporting
from services.reporting.read_models.sources import BUDGET
from tests.conftest import eventually
from tests.fixtures import SMALL_TREE
from tests.integration.test_reporting import projected_events, snapshot
from tests.locked_nats import LockedNats, locked_nats, session
from tests.system import KNOWN_SYSTEMS, settings

LEDGER, PAYROLL = "ekonomisystem", "lonesystem"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LockedNats]:
    with locked_nats(Path(tmp_path_factory.mktemp("locked-nats")), KNOWN_SYSTEMS) as found:
        yield found


def as_user(server: LockedNats, database_url: str, user: str) -> ServiceSettings:
    password = SecretStr(server.passwords[user])
    return settings(server.url, database_url).model_copy(
        update={"nats_user": user, "nats_password": password}
    )


@contextlib.asynccontextmanager
async def running(
    server: LockedNats, budget_database: str, reporting_database: str
) -> AsyncIterator[None]:
    """Each process as `kommunplan up` starts it: its own connection as its own user."""
    inbound = await budget.build(as_user(server, budget_database, "budget"))
    relay = await budget.build(as_user(server, budget_database, "budget-relay"))
    projection = await reporting.build(as_user(server, reporting_database, "reporting"))
    workers = [
        resilient(inbound.inbound),
        resilient(relay.relay),
        resilient(projection.runner(BUDGET)),
    ]
    stop = asyncio.Event()
    tasks = [asyncio.create_task(worker(stop)) for worker in workers]
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=15)
        for process in (inbound, relay, projection):
            await process.close()


async def test_commands_from_systems_reach_the_plan_and_a_refusal_its_own_system(
    server: LockedNats, budget_database: str, reporting_database: str
) -> None:
    actuals = RecordActuals(
        actor=LEDGER, unit_code="IT", period="2011-03", revenue="3012000", costs="-3011500.50"
    )
    # The payroll system may write only under KLF.
    outside = RecordActuals(actor=PAYROLL, unit_code="IT", period="2011-03", revenue="1", costs="0")
    async with running(server, budget_database, reporting_database):
        ledger_password = SecretStr(server.passwords[LEDGER])
        await publish_commands(server.url, [*SMALL_TREE, actuals], LEDGER, ledger_password)
        payroll_password = SecretStr(server.passwords[PAYROLL])
        await publish_commands(server.url, [outside], PAYROLL, payroll_password)
        await eventually(lambda: projected_events(reporting_database), until=lambda n: n == 3)

    before = await snapshot(reporting_database)
    assert [tuple(r[:4]) for r in before["actuals"]] == [
        ("IT", "2011-03", Decimal("3012000"), Decimal("-3011500.50"))
    ]
    # `kommunplan rebuild`, as the reporting user, replays the same read models.
    await reporting.rebuild(as_user(server, reporting_database, "reporting"))
    assert await snapshot(reporting_database) == before
    async with session(server, PAYROLL) as payroll:
        own = await payroll.js.pull_subscribe(
            subjects.budget_rejected(PAYROLL),
            durable=PAYROLL,
            stream=subjects.BUDGET_REJECTED_STREAM,
        )
        (rejection,) = await own.fetch(1, timeout=10)
        await rejection.ack()
        assert json.loads(rejection.data)["message_id"] == str(outside.message_id)
        assert payroll.errors == []
