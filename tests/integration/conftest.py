"""The reporting stack as the integration tests take it: budget and reporting running, fed
``reporting_seed``. A module whose tests start from something sent overrides
``reporting_seed``; its tests then take ``reporting`` (the reporting process) or
``reporting_stack`` (both processes)."""

from collections.abc import AsyncIterator

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from services.reporting.bootstrap import ReportingProcess
from tests.servers import Servers
from tests.system import ReportingStack, Seed, nothing, running_reporting_stack


@pytest.fixture
def reporting_seed() -> Seed:
    return nothing


@pytest.fixture
async def reporting_stack(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    reporting_database: str,
    reporting_seed: Seed,
) -> AsyncIterator[ReportingStack]:
    async with running_reporting_stack(
        servers.nats_url, budget_database, reporting_database, reporting_seed
    ) as stack:
        yield stack


@pytest.fixture
def reporting(reporting_stack: ReportingStack) -> ReportingProcess:
    return reporting_stack.reporting
