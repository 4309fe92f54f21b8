import asyncio
import inspect
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import asyncpg
import nats
import pytest
from hypothesis import settings
from nats.aio.client import Client
from nats.js import JetStreamContext
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from plumbing.database import ensure_database
from tests.servers import Servers, real_servers

SPANS = InMemorySpanExporter()

# CI explores the same generated inputs on every run, so what lands does not hang on luck;
# a run anywhere else explores new ones, which is how new cases are found.
settings.register_profile("repeatable", derandomize=True, database=None)
if os.environ.get("KOMMUNPLAN_REPEATABLE_TESTS"):
    settings.load_profile("repeatable")


def pytest_configure(config: pytest.Config) -> None:
    # Once per session: OpenTelemetry allows one global provider.
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(SPANS))
    trace.set_tracer_provider(provider)


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    with real_servers() as found:
        yield found


@pytest.fixture
async def nats_client(servers: Servers) -> AsyncIterator[tuple[Client, JetStreamContext]]:
    """A connection to a JetStream with no streams left over from other tests."""
    nc = await nats.connect(servers.nats_url)
    js = nc.jetstream()
    for name in await js.streams_info():
        await js.delete_stream(name.config.name)
    yield nc, js
    await nc.drain()


async def _fresh_database(servers: Servers, prefix: str) -> str:
    return await ensure_database(servers.postgres_url, f"{prefix}_{uuid.uuid4().hex[:12]}")


@pytest.fixture
async def budget_database(servers: Servers) -> str:
    return await _fresh_database(servers, "budget")


@pytest.fixture
async def reporting_database(servers: Servers) -> str:
    return await _fresh_database(servers, "reporting")


async def count(database_url: str, sql: str, *args: object) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return int(await conn.fetchval(sql, *args))
    finally:
        await conn.close()


async def eventually(
    check: Callable[[], Any],
    until: Callable[[Any], bool] = bool,
    within: float = 20.0,
) -> Any:
    """Call ``check()`` (sync or async) until ``until`` holds for its result; return it."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if until(result):
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {within}s; last value: {result!r}")
        await asyncio.sleep(0.05)
