"""Wires the reporting service: a projection runner per entry of the projections' table
(read_models.catalog) and the views, over one pool."""

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
from fastapi import Depends, FastAPI
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from plumbing.http_identity import Access
from plumbing.identity import Role
from plumbing.metrics import instruments, observe_pool
from plumbing.projection import MIGRATIONS, ProjectionRunner
from plumbing.read_models import ReadModels, ReadSession
from plumbing.readiness import add_health_routes
from plumbing.service import serve, start_process
from plumbing.startup import open_database, open_nats
from services.reporting.http import create_app
from services.reporting.operations import actions
from services.reporting.operations.operator import Operator
from services.reporting.operations.sources import Sources
from services.reporting.read_models.catalog import PROJECTIONS
from services.reporting.read_models.parked import parked_counts
from services.reporting.reports.catalog import reports
from services.reporting.reports.shared.routes import view_prefixes
from services.reporting.settings import ReportingSettings
from services.reporting.signin.wiring import browser_access
from services.reporting.view_cache import ViewCache


@dataclass
class ReportingProcess:
    pool: asyncpg.Pool
    nc: Client
    js: JetStreamContext
    runners: list[ProjectionRunner]  # in the order of read_models.catalog.PROJECTIONS
    app: FastAPI
    sources: Sources
    access: Access

    def runner(self, projection: str) -> ProjectionRunner:
        """The runner of ``projection`` (a name of read_models.sources)."""
        names = [entry.name for entry in PROJECTIONS]
        return self.runners[names.index(projection)]

    @property
    def read_models(self) -> ReadModels:
        return ReadModels(self.pool)

    async def close(self) -> None:
        await self.sources.close()
        await self.nc.drain()
        await self.pool.close()


def _runners(pool: asyncpg.Pool, nc: Client, settings: ReportingSettings) -> list[ProjectionRunner]:
    return [
        ProjectionRunner(
            pool,
            nc,
            entry.projection(settings),
            entry.source,
            settings.batch_size,
            settings.ack_wait_seconds,
            status_name=entry.status_name,
        )
        for entry in PROJECTIONS
    ]


async def build(settings: ReportingSettings) -> ReportingProcess:
    pool = await open_database(settings, [*MIGRATIONS, actions.MIGRATIONS])
    nc, js = await open_nats(settings, "reporting")
    runners = _runners(pool, nc, settings)
    models = ReadModels(pool)
    sources = Sources(pool, js, settings.service_databases, settings.service_urls)
    operator = Operator(
        models,
        sources,
        {entry.name: runner for entry, runner in zip(PROJECTIONS, runners, strict=True)},
        # Runners of their own: the live ones keep projecting (and /ready their state).
        functools.partial(_rebuild_all, js, functools.partial(_runners, pool, nc, settings)),
        settings.trace_url,
    )
    cache = None
    if settings.view_cache_bytes:
        views = view_prefixes(reports(settings.interim_last_month))
        names = [entry.name for entry in PROJECTIONS]
        cache = ViewCache(models, names, settings.view_cache_bytes, views)
    access, add_people = browser_access(settings, pool, models)
    app = create_app(
        models,
        access,
        interim_last_month=settings.interim_last_month,
        cache=cache,
        operator=operator,
    )
    add_people(app)
    return ReportingProcess(
        pool=pool, nc=nc, js=js, runners=runners, app=app, sources=sources, access=access
    )


async def _nothing_parked_unseen(models: ReadModels) -> str | None:
    parked, unseen = await parked_counts(models)
    if unseen:
        return (
            f"{unseen} av {parked} parkerade händelser har ingen sett; "
            "se kommunplan parked (och --seen när de är omhändertagna)"
        )
    return None


def add_operations_routes(process: ReportingProcess) -> None:
    """/health and /ready, which also says when parked events wait unseen."""
    add_health_routes(
        process.app,
        process.nc,
        process.pool,
        [runner.status for runner in process.runners],
        {"parkerade": functools.partial(_nothing_parked_unseen, process.read_models)},
        metrics_refresh=[functools.partial(_parked_gauges, process.read_models)],
        # Reporting's port is the one the public reaches (docker-compose.yml); its metrics
        # name the systems that send and what they send, which is the operators' to see.
        metrics_guard=[Depends(process.access.with_role(Role.OPERATOR))],
    )


# Counted afresh whenever /metrics is read, so Prometheus sees them as they are; between
# reads as often as an OTLP exporter sends by default (once a minute). It was every 15 s,
# which woke an idle process and its database for nothing.
PARKED_METRIC_SECONDS = 60.0


async def _parked_gauges(models: ReadModels) -> None:
    """kommunplan.parked.events per projection, all and not yet seen."""
    gauge = instruments().parked
    for projection in PROJECTIONS:
        try:
            parked, unseen = await models.read(ReadSession.parked_counts, (projection.name,))
        except Exception:  # not ready yet, or the database away: counted next time
            continue
        gauge.set(parked, {"projection": projection.name, "seen": "all"})
        gauge.set(unseen, {"projection": projection.name, "seen": "unseen"})


async def _count_parked(models: ReadModels) -> None:
    """The parked events' gauges, every PARKED_METRIC_SECONDS."""
    while True:
        await _parked_gauges(models)
        await asyncio.sleep(PARKED_METRIC_SECONDS)


async def run(settings: ReportingSettings) -> None:
    start_process("reporting", settings)
    process = await build(settings)
    observe_pool(process.pool, "reporting")
    add_operations_routes(process)
    parked = asyncio.create_task(_count_parked(process.read_models), name="parked metric")
    try:
        await serve(process.app, settings.http_host, settings.http_port, process.runners)
    finally:
        parked.cancel()
        await process.close()


async def _has_stream(js: JetStreamContext, stream: str) -> bool:
    try:
        await js.stream_info(stream)
    except NotFoundError:
        return False
    return True


async def _rebuild_all(
    js: JetStreamContext, runners: Callable[[], list[ProjectionRunner]]
) -> list[tuple[str, int | None]]:
    """Rebuild the read models from each stream (budget, goals, projects), one after the
    other, while the views keep serving. Returns each projection's label and new generation
    (None: its stream does not exist yet, so there is nothing to rebuild)."""
    rebuilt: list[tuple[str, int | None]] = []
    for entry, runner in zip(PROJECTIONS, runners(), strict=True):
        generation = None
        if await _has_stream(js, entry.source.stream):
            generation = await runner.rebuild(asyncio.Event())
        rebuilt.append((entry.label, generation))
    return rebuilt


async def rebuild(settings: ReportingSettings) -> list[tuple[str, int | None]]:
    """The read models rebuilt by a process of its own (see _rebuild_all)."""
    process = await build(settings)
    try:
        return await _rebuild_all(process.js, lambda: process.runners)
    finally:
        await process.close()
