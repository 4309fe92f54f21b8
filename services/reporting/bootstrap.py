"""Wires the reporting service: a projection runner per event stream (budget, goals,
projects) and the views, over one pool."""

import asyncio
import functools
from dataclasses import dataclass

import asyncpg
from fastapi import FastAPI
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from contracts import subjects
from plumbing import parking, telemetry
from plumbing.database import create_pool
from plumbing.http_identity import Access
from plumbing.jetstream import connect
from plumbing.migrations import migrate
from plumbing.projection import MIGRATIONS, ProjectionRunner, Source
from plumbing.readiness import add_health_routes
from plumbing.service import serve
from plumbing.settings import ServiceSettings
from services.reporting.goals_projection import GOALS_EVENTS, GoalsProjection
from services.reporting.http import create_app
from services.reporting.projection import BudgetProjection
from services.reporting.projects_projection import PROJECTS_EVENTS, ProjectsProjection
from services.reporting.queries import PROJECTIONS, mark_parked_seen, parked_counts, parked_events
from services.reporting.view_cache import ViewCache

BUDGET_EVENTS = Source(subjects.BUDGET_EVENTS_STREAM, subjects.BUDGET_EVENTS_SUBJECTS)
# The stream each of ReportingProcess.runners reads, in that order.
SOURCES = (BUDGET_EVENTS, GOALS_EVENTS, PROJECTS_EVENTS)


@dataclass
class ReportingProcess:
    pool: asyncpg.Pool
    nc: Client
    js: JetStreamContext
    runner: ProjectionRunner  # budget's events
    goals_runner: ProjectionRunner  # goals' events
    projects_runner: ProjectionRunner  # projects' events
    app: FastAPI

    @property
    def runners(self) -> list[ProjectionRunner]:
        """In the order of queries.PROJECTIONS and of SOURCES."""
        return [self.runner, self.goals_runner, self.projects_runner]

    async def close(self) -> None:
        await self.nc.drain()
        await self.pool.close()


async def build(settings: ServiceSettings) -> ReportingProcess:
    pool = await create_pool(settings.database_url, max_size=6)
    async with pool.acquire() as conn:
        await migrate(conn, MIGRATIONS)
    nc, js = await connect(
        settings.nats_url,
        "reporting",
        settings.nats_user,
        settings.nats_password,
        settings.nats_ca_file,
    )
    runner = ProjectionRunner(
        pool,
        nc,
        BudgetProjection(settings.example_actors),
        BUDGET_EVENTS,
        settings.batch_size,
        settings.ack_wait_seconds,
    )
    goals_runner = ProjectionRunner(
        pool,
        nc,
        GoalsProjection(),
        GOALS_EVENTS,
        settings.batch_size,
        settings.ack_wait_seconds,
        status_name="projektion mål",
    )
    projects_runner = ProjectionRunner(
        pool,
        nc,
        ProjectsProjection(),
        PROJECTS_EVENTS,
        settings.batch_size,
        settings.ack_wait_seconds,
        status_name="projektion projekt",
    )
    cache = None
    if settings.view_cache_bytes:
        names = [name for name, _ in PROJECTIONS]
        cache = ViewCache(pool, names, settings.view_cache_bytes)
    app = create_app(
        pool,
        Access.from_settings(settings),
        interim_last_month=settings.interim_last_month,
        cache=cache,
    )
    return ReportingProcess(
        pool=pool,
        nc=nc,
        js=js,
        runner=runner,
        goals_runner=goals_runner,
        projects_runner=projects_runner,
        app=app,
    )


async def _nothing_parked_unseen(pool: asyncpg.Pool) -> str | None:
    parked, unseen = await parked_counts(pool)
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
        {"parkerade": functools.partial(_nothing_parked_unseen, process.pool)},
    )


async def run(settings: ServiceSettings) -> None:
    telemetry.setup_tracing("reporting")
    process = await build(settings)
    add_operations_routes(process)
    try:
        await serve(process.app, settings.http_host, settings.http_port, process.runners)
    finally:
        await process.close()


async def _has_stream(js: JetStreamContext, stream: str) -> bool:
    try:
        await js.stream_info(stream)
    except NotFoundError:
        return False
    return True


async def rebuild(settings: ServiceSettings) -> list[tuple[str, int | None]]:
    """Rebuild the read models from each stream (budget, goals, projects), one after the other,
    while the views keep serving. Returns each projection's label and new generation (None:
    its stream does not exist yet, so there is nothing to rebuild)."""
    process = await build(settings)
    try:
        rebuilt: list[tuple[str, int | None]] = []
        for runner, source, (_, label) in zip(process.runners, SOURCES, PROJECTIONS, strict=True):
            if await _has_stream(process.js, source.stream):
                rebuilt.append((label, await runner.rebuild(asyncio.Event())))
            else:
                rebuilt.append((label, None))
        return rebuilt
    finally:
        await process.close()


async def parked(settings: ServiceSettings, *, replay: bool, seen: bool) -> list[str]:
    """For an operator: replay the parked events (after a fix), mark them seen, list them.

    Returns the lines to print, in Swedish.
    """
    process = await build(settings)
    try:
        lines = []
        if replay:
            for runner, (_, label) in zip(process.runners, PROJECTIONS, strict=True):
                applied, still = await runner.replay_parked()
                lines.append(
                    f"Omspelning ({label}): {applied} händelser inlästa,"
                    f" {still} fortfarande parkerade."
                )
        if seen:
            marked = await mark_parked_seen(process.pool)
            lines.append(f"{marked} parkerade händelser markerade som sedda.")
        labels = dict(PROJECTIONS)
        rows = await parked_events(process.pool)
        lines.extend(_parked_line(labels[projection], row) for projection, row in rows)
        lines.append(f"{len(rows)} parkerade händelser.")
        return lines
    finally:
        await process.close()


def _parked_line(label: str, row: parking.ParkedRow) -> str:
    where = f"{row.stream_id} v{row.version} {row.event_type}" if row.stream_id else "oläsbar"
    seen = "sedd" if row.seen_at else "ny"
    return f"#{row.sequence} {label} [{row.kind.value}, {seen}] {where}: {row.reason}"
