"""The reporting stack the integration tests read: the budget and reporting services on real
NATS and PostgreSQL, fed the commands a test starts from and waited for until every event
they make is in the read models."""

import contextlib
from collections.abc import AsyncIterator, Sequence

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts.envelope import Command
from kommunplan.demo import publish_commands
from services.reporting.bootstrap import ReportingProcess
from tests.conftest import eventually
from tests.integration.test_reporting import projected_events
from tests.servers import Servers
from tests.system import running_budget_and_reporting


@contextlib.asynccontextmanager
async def seeded_reporting(
    servers: Servers,
    budget_database: str,
    reporting_database: str,
    commands: Sequence[Command] = (),
    within: float = 60,
) -> AsyncIterator[ReportingProcess]:
    """Budget and reporting running, ``commands`` sent as the ledger and projected."""
    async with running_budget_and_reporting(
        servers.nats_url, budget_database, reporting_database
    ) as process:
        if commands:
            await publish_commands(servers.nats_url, list(commands), "ekonomisystem")
            await eventually(
                lambda: projected_events(reporting_database),
                until=lambda n: n == len(commands),
                within=within,
            )
        yield process


@pytest.fixture
async def reporting(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    reporting_database: str,
) -> AsyncIterator[ReportingProcess]:
    """Budget and reporting running, nothing sent yet."""
    async with seeded_reporting(servers, budget_database, reporting_database) as process:
        yield process
