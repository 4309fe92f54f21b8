"""Each fault, injected mid-ingest on a stack of its own; every property checked after."""

import pytest

from tests.faults.properties import describe
from tests.faults.scenarios import SCENARIOS, Scenario, run_scenario

# Fewer than the runner sends: enough for the fault to land mid-ingest, quick enough for CI.
MESSAGES = 1000


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_every_property_holds_after_a_fault_mid_ingest(scenario: Scenario) -> None:
    outcome = await run_scenario(scenario, MESSAGES)
    assert outcome.held, f"{outcome.done}: {describe(outcome.checks)} (logs: {outcome.logs})"
