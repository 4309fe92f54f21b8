"""Wires the reporting service: the projection runner and the views, over one pool."""

import asyncio
import functools
from dataclasses import dataclass

import asyncpg
from fastapi import FastAPI
from nats.aio.client import Client
from nats.js import JetStreamContext

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
from services.reporting.http import create_app
from services.reporting.projection import BudgetProjection
from services.reporting.queries import in_active_generation, parked_counts, parked_events

BUDGET_EVENTS = Source(subjects.BUDGET_EVENTS_STREAM, subjects.BUDGET_EVENTS_SUBJECTS)


@dataclass
class ReportingProcess:
    pool: asyncpg.Pool
    nc: Client
    js: JetStreamContext
    runner: ProjectionRunner
    app: FastAPI

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
        pool, nc, BudgetProjection(), BUDGET_EVENTS, settings.batch_size, settings.ack_wait_seconds
    )
    app = create_app(pool, Access.from_settings(settings))
    return ReportingProcess(pool=pool, nc=nc, js=js, runner=runner, app=app)


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
        [process.runner.status],
        {"parkerade": functools.partial(_nothing_parked_unseen, process.pool)},
    )


async def run(settings: ServiceSettings) -> None:
    telemetry.setup_tracing("reporting")
    process = await build(settings)
    runner = process.runner
    add_operations_routes(process)
    try:
        await serve(
            process.app,
            settings.http_host,
            settings.http_port,
            [runner],
        )
    finally:
        await process.close()


async def rebuild(settings: ServiceSettings) -> int:
    """Rebuild the read models from the budget stream while the views keep serving."""
    process = await build(settings)
    try:
        return await process.runner.rebuild(asyncio.Event())
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
            applied, still = await process.runner.replay_parked()
            lines.append(f"Omspelning: {applied} händelser inlästa, {still} fortfarande parkerade.")
        if seen:
            marked = await in_active_generation(process.pool, parking.mark_seen)
            lines.append(f"{marked} parkerade händelser markerade som sedda.")
        rows = await parked_events(process.pool)
        lines.extend(_parked_line(row) for row in rows)
        lines.append(f"{len(rows)} parkerade händelser.")
        return lines
    finally:
        await process.close()


def _parked_line(row: parking.ParkedRow) -> str:
    where = f"{row.stream_id} v{row.version} {row.event_type}" if row.stream_id else "oläsbar"
    seen = "sedd" if row.seen_at else "ny"
    return f"#{row.sequence} [{row.kind.value}, {seen}] {where}: {row.reason}"
