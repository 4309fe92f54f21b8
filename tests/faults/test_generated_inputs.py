"""Generated inputs: hypothesis bodies over NATS, schemathesis over each service's HTTP API."""

import asyncio

import pytest

from tests.faults.fuzz import actuals_bodies, api_fuzz, every_message_accounted_for, generated
from tests.faults.hostile import HostileBench
from tests.faults.properties import describe

BODIES = 60
EXAMPLES = 8


async def test_every_generated_actuals_message_is_stored_or_refused_in_swedish(
    generated_bench: HostileBench,
) -> None:
    stack, nc = await generated_bench.ready()
    checks = await every_message_accounted_for(
        nc, stack.budget_database, generated(actuals_bodies(), BODIES)
    )
    assert not describe(checks), describe(checks)


@pytest.mark.parametrize("service", ["budget", "reporting"])
async def test_no_generated_request_gets_a_server_error(
    generated_bench: HostileBench, service: str
) -> None:
    stack, _ = await generated_bench.ready()
    check = await asyncio.to_thread(api_fuzz, stack.services[service].url, EXAMPLES)
    assert check.held, check.detail
