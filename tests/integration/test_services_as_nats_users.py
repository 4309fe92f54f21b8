"""budget, budget-relay and reporting each as its own NATS user on a server that refuses
everything else: systems' commands reach the plan, and a refusal reaches its own system."""

import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from contracts import subjects
from contracts.budget.commands import RecordActuals
from kommunplan.demo import publish_commands
from services.reporting import bootstrap as reporting
from tests.conftest import eventually
from tests.fixtures import SMALL_TREE
from tests.integration.test_reporting import projected_events, snapshot
from tests.locked_nats import LockedNats, locked_nats, session
from tests.system import (
    KNOWN_SYSTEMS,
    budget_projection,
    inbound_only,
    relay_only,
    reporting_settings,
    running_budget,
    running_reporting,
)

LEDGER, PAYROLL = "ekonomisystem", "lonesystem"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LockedNats]:
    with locked_nats(Path(tmp_path_factory.mktemp("locked-nats")), KNOWN_SYSTEMS) as found:
        yield found


def as_user(server: LockedNats, user: str) -> dict[str, Any]:
    """The settings' changes that make a process ``user``'s."""
    return {"nats_user": user, "nats_password": SecretStr(server.passwords[user])}


@contextlib.asynccontextmanager
async def running(
    server: LockedNats, budget_database: str, reporting_database: str
) -> AsyncIterator[None]:
    """Each process as `kommunplan up` starts it: its own connection as its own user."""
    async with (
        running_budget(server.url, budget_database, inbound_only, **as_user(server, "budget")),
        running_budget(server.url, budget_database, relay_only, **as_user(server, "budget-relay")),
        running_reporting(
            server.url, reporting_database, budget_projection, **as_user(server, "reporting")
        ),
    ):
        yield


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
    await reporting.rebuild(
        reporting_settings(server.url, reporting_database, **as_user(server, "reporting"))
    )
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
