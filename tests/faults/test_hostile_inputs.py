"""Hostile inputs over NATS and HTTP: refused in Swedish, small enough to refuse, and the
consumer goes on."""

import pytest

from tests.faults.hostile import Hostile, HostileBench, cases
from tests.faults.properties import describe

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_a_hostile_input_is_refused_in_swedish_and_the_consumer_goes_on(
    hostile_bench: HostileBench, case: Hostile
) -> None:
    checks = await hostile_bench.run(case)
    assert not describe(checks), describe(checks)
