from collections.abc import AsyncIterator

import pytest

from tests.faults.hostile import HostileBench


@pytest.fixture(scope="session")
async def hostile_bench() -> AsyncIterator[HostileBench]:
    """One stack for every hostile input (a fresh one only after an input stops it)."""
    bench = HostileBench()
    yield bench
    await bench.close()


@pytest.fixture(scope="session")
async def generated_bench() -> AsyncIterator[HostileBench]:
    """A stack of its own: generated commands may close or move the units they hit."""
    bench = HostileBench()
    yield bench
    await bench.close()
