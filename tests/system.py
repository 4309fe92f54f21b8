"""The services running inside the test's event loop, on real NATS and PostgreSQL: a write
service, reporting, and the reporting stack (budget and reporting, fed what a test starts
from and waited for until the read models hold it). Each is defined once here; a test asks
for its variant with the parameters (which workers run, changed settings, a prepared
process), not with a copy."""

import asyncio
import contextlib
import functools
import operator
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import httpx
from fastapi import FastAPI

from contracts.envelope import Command
from kommunplan.demo import load_demo, publish_commands
from plumbing.read_models import active_generation, schema_name
from plumbing.service import BackgroundWorker, resilient
from plumbing.write_service import WriteProcess
from services.budget import bootstrap as budget
from services.goals import bootstrap as goals
from services.projects import bootstrap as projects
from services.projects.settings import ProjectsSettings
from services.reporting import bootstrap as reporting
from services.reporting.read_models.budget.projection import BudgetProjection
from services.reporting.read_models.sources import BUDGET
from services.reporting.settings import ReportingSettings
from tests.conftest import eventually
from tests.tokens import bearer, identity_settings

# The ledger may write for every unit; the payroll system only under KLF.
KNOWN_SYSTEMS = {"ekonomisystem": ["*"], "lonesystem": ["KLF"]}
LEDGER = "ekonomisystem"


def settings(nats_url: str, database_url: str, **changes: Any) -> ProjectsSettings:
    """Settings every service reads its own from (the projects service's have the most),
    with ``changes`` made to them, validated as the services' own are."""
    given: dict[str, Any] = {
        "nats_url": nats_url,
        "database_url": database_url,
        "batch_size": 200,
        "ack_wait_seconds": 2.0,
        "systems": KNOWN_SYSTEMS,
        **identity_settings(),
    }
    return ProjectsSettings(**{**given, **changes})


def reporting_settings(nats_url: str, database_url: str, **changes: Any) -> ReportingSettings:
    """The reporting process's settings: the same as ``settings`` gives, with its own."""
    return ReportingSettings(**{**settings(nats_url, database_url).model_dump(), **changes})


class Closable(Protocol):
    async def close(self) -> None: ...


Process = TypeVar("Process", bound=Closable)
Write = TypeVar("Write", bound=WriteProcess[Any])


@contextlib.asynccontextmanager
async def running(process: Process, workers: Sequence[BackgroundWorker]) -> AsyncIterator[Process]:
    """``process`` with ``workers`` running (each started again when it fails, as in
    production) until the block ends; then they are stopped and the process closed."""
    stop = asyncio.Event()
    tasks = [asyncio.create_task(resilient(worker)(stop)) for worker in workers]
    try:
        yield process
    finally:
        try:
            stop.set()
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=15)
        finally:
            await process.close()


# --- A write service -------------------------------------------------------------------------


def relay_and_inbound(process: WriteProcess[Any]) -> list[BackgroundWorker]:
    return [process.relay, process.inbound]


def inbound_only(process: WriteProcess[Any]) -> list[BackgroundWorker]:
    return [process.inbound]


def relay_only(process: WriteProcess[Any]) -> list[BackgroundWorker]:
    return [process.relay]


def with_process_managers(process: WriteProcess[Any]) -> list[BackgroundWorker]:
    """Everything the service's process runs: its relay, its inbound consumer and its
    process managers (the projects office's share)."""
    return [process.relay, process.inbound, *process.workers]


WriteWorkers = Callable[[WriteProcess[Any]], list[BackgroundWorker]]


@contextlib.asynccontextmanager
async def running_write_service(
    build: Callable[[ProjectsSettings], Awaitable[Write]],
    nats_url: str,
    database_url: str,
    workers: WriteWorkers = relay_and_inbound,
    **changes: Any,
) -> AsyncIterator[Write]:
    """A write service's process (plumbing.write_service) built with the tests' settings and
    ``changes`` to them, running ``workers``."""
    process = await build(settings(nats_url, database_url, **changes))
    async with running(process, workers(process)):
        yield process


def running_budget(
    nats_url: str, database_url: str, workers: WriteWorkers = relay_and_inbound, **changes: Any
) -> contextlib.AbstractAsyncContextManager[budget.BudgetProcess]:
    return running_write_service(budget.build, nats_url, database_url, workers, **changes)


def running_goals(
    nats_url: str, database_url: str, workers: WriteWorkers = relay_and_inbound, **changes: Any
) -> contextlib.AbstractAsyncContextManager[goals.GoalsProcess]:
    return running_write_service(goals.build, nats_url, database_url, workers, **changes)


def running_projects(
    nats_url: str, database_url: str, workers: WriteWorkers = relay_and_inbound, **changes: Any
) -> contextlib.AbstractAsyncContextManager[projects.ProjectsProcess]:
    return running_write_service(projects.build, nats_url, database_url, workers, **changes)


# --- Reporting -------------------------------------------------------------------------------


def every_projection(process: reporting.ReportingProcess) -> list[BackgroundWorker]:
    return list(process.runners)


def budget_projection(process: reporting.ReportingProcess) -> list[BackgroundWorker]:
    return [process.runner(BUDGET)]


def as_built(process: reporting.ReportingProcess) -> None:
    """Nothing changed in the process before it runs."""


ReportingWorkers = Callable[[reporting.ReportingProcess], list[BackgroundWorker]]
Prepare = Callable[[reporting.ReportingProcess], None]


@contextlib.asynccontextmanager
async def running_reporting(
    nats_url: str,
    database_url: str,
    workers: ReportingWorkers = every_projection,
    prepare: Prepare = as_built,
    **changes: Any,
) -> AsyncIterator[reporting.ReportingProcess]:
    """The reporting process built with the tests' settings and ``changes`` to them,
    ``prepare``d (a projection exchanged, routes added), running ``workers``."""
    process = await reporting.build(reporting_settings(nats_url, database_url, **changes))
    prepare(process)
    async with running(process, workers(process)):
        yield process


async def applied(process: reporting.ReportingProcess, projection: str) -> int:
    """How many events a projection's active generation has applied."""
    async with process.pool.acquire() as conn:
        generation = await active_generation(conn, projection)
        if generation is None:
            return 0
        schema = schema_name(projection, generation)
        return int(
            await conn.fetchval(f"SELECT coalesce(sum(version), 0) FROM {schema}.stream_versions")
        )


# --- The reporting stack ---------------------------------------------------------------------

Sent = Mapping[str, int]
"""How many events each projection (by name) is to have applied once what was sent is in."""
Seed = Callable[[str], Awaitable[Sent]]
"""Sends what a test starts from to the NATS server at the URL given; what it sent."""


async def nothing(nats_url: str) -> Sent:
    return {}


def ledger_sends(commands: Sequence[Command]) -> Seed:
    """A seed: ``commands`` sent to budget by the ledger system."""

    async def seed(nats_url: str) -> Sent:
        await publish_commands(nats_url, list(commands), LEDGER)
        return {BudgetProjection.name: len(commands)} if commands else {}

    return seed


def in_order(*seeds: Seed) -> Seed:
    """A seed: each of ``seeds`` sent in turn; what they sent, added up per projection."""

    async def seed(nats_url: str) -> Sent:
        sent: dict[str, int] = {}
        for each in seeds:
            for projection, events in (await each(nats_url)).items():
                sent[projection] = sent.get(projection, 0) + events
        return sent

    return seed


async def demo_budget(nats_url: str) -> Sent:
    """A seed: the demo's budget, sent as `kommunplan send` sends it, all by the ledger."""
    return {BudgetProjection.name: await load_demo(nats_url)}


@dataclass(frozen=True)
class ReportingStack:
    budget: budget.BudgetProcess
    reporting: reporting.ReportingProcess


@contextlib.asynccontextmanager
async def running_reporting_stack(
    nats_url: str,
    budget_database: str,
    reporting_database: str,
    seed: Seed = nothing,
    within: float = 90,
    workers: ReportingWorkers = every_projection,
    prepare: Prepare = as_built,
) -> AsyncIterator[ReportingStack]:
    """Budget and reporting running, ``seed`` sent and applied by every projection it
    names; reporting's ``workers`` and ``prepare`` as running_reporting takes them."""
    async with (
        running_budget(nats_url, budget_database) as budget_process,
        running_reporting(nats_url, reporting_database, workers, prepare) as process,
    ):
        for projection, events in (await seed(nats_url)).items():
            await eventually(
                functools.partial(applied, process, projection),
                until=functools.partial(operator.eq, events),
                within=within,
            )
        yield ReportingStack(budget_process, process)


async def get_as(app: FastAPI, path: str, role: str | None = None) -> httpx.Response:
    """GET ``path`` from ``app`` in-process, anonymously or with a token of ``role``."""
    headers = bearer(role) if role is not None else None
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", headers=headers
    ) as http:
        return await http.get(path)
