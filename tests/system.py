"""The services running inside the test's event loop, on real NATS and PostgreSQL."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import httpx
from fastapi import FastAPI

from plumbing.service import resilient
from plumbing.write_service import WriteProcess
from services.budget import bootstrap as budget
from services.goals import bootstrap as goals
from services.projects import bootstrap as projects
from services.projects.settings import ProjectsSettings
from services.reporting import bootstrap as reporting
from tests.tokens import bearer, identity_settings

Process = TypeVar("Process", bound=WriteProcess[Any])

# The ledger may write for every unit; the payroll system only under KLF.
KNOWN_SYSTEMS = {"ekonomisystem": ["*"], "lonesystem": ["KLF"]}


def settings(nats_url: str, database_url: str) -> ProjectsSettings:
    """Settings every service reads its own from: the projects service's have the most."""
    return ProjectsSettings(
        nats_url=nats_url,
        database_url=database_url,
        batch_size=200,
        ack_wait_seconds=2.0,
        systems=KNOWN_SYSTEMS,
        **identity_settings(),
    )


@contextlib.asynccontextmanager
async def _running(
    workers: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]],
) -> AsyncIterator[asyncio.Event]:
    stop = asyncio.Event()
    tasks = [asyncio.create_task(worker(stop)) for worker in workers]
    try:
        yield stop
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=15)


@contextlib.asynccontextmanager
async def running_budget(nats_url: str, database_url: str) -> AsyncIterator[budget.BudgetProcess]:
    process = await budget.build(settings(nats_url, database_url))
    try:
        async with _running(
            [
                resilient(process.relay),
                resilient(process.inbound),
            ]
        ):
            yield process
    finally:
        await process.close()


@contextlib.asynccontextmanager
async def _running_write_service(
    build: Callable[[ProjectsSettings], Awaitable[Process]], nats_url: str, database_url: str
) -> AsyncIterator[Process]:
    """A write service's process (plumbing.write_service) with its relay and inbound."""
    process = await build(settings(nats_url, database_url))
    try:
        async with _running([resilient(process.relay), resilient(process.inbound)]):
            yield process
    finally:
        await process.close()


def running_goals(
    nats_url: str, database_url: str
) -> contextlib.AbstractAsyncContextManager[goals.GoalsProcess]:
    return _running_write_service(goals.build, nats_url, database_url)


def running_projects(
    nats_url: str, database_url: str
) -> contextlib.AbstractAsyncContextManager[projects.ProjectsProcess]:
    return _running_write_service(projects.build, nats_url, database_url)


@contextlib.asynccontextmanager
async def running_reporting(
    nats_url: str, database_url: str
) -> AsyncIterator[reporting.ReportingProcess]:
    process = await reporting.build(settings(nats_url, database_url))
    try:
        async with _running([resilient(runner) for runner in process.runners]):
            yield process
    finally:
        await process.close()


@contextlib.asynccontextmanager
async def running_budget_and_reporting(
    nats_url: str, budget_database: str, reporting_database: str
) -> AsyncIterator[reporting.ReportingProcess]:
    """Both services, as a reader of the views sees them: the reporting process."""
    async with (
        running_budget(nats_url, budget_database),
        running_reporting(nats_url, reporting_database) as process,
    ):
        yield process


async def get_as(app: FastAPI, path: str, role: str | None = None) -> httpx.Response:
    """GET ``path`` from ``app`` in-process, anonymously or with a token of ``role``."""
    headers = bearer(role) if role is not None else None
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", headers=headers
    ) as http:
        return await http.get(path)
