"""Wires a write service's processes from its declaration: settings in, a running process out.

The service hands over how to make its command handler (its decisions) and its HTTP app
(the kit's command routes and any views of its own), and any workers of its own for its
service process (a process manager); everything else is the same for all.
"""

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import asyncpg
from fastapi import Depends, FastAPI
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts.service import WriteService
from plumbing import command_routes, telemetry
from plumbing.command_handler import CommandHandler
from plumbing.database import create_pool
from plumbing.eventstore import EventStore
from plumbing.http_identity import Access
from plumbing.inbound import InboundConsumer, known_systems
from plumbing.jetstream import StreamSpec, connect, ensure_streams
from plumbing.migrations import migrate
from plumbing.outbox import OutboxRelay
from plumbing.postgres_eventstore import MIGRATIONS, PostgresEventStore
from plumbing.readiness import add_health_routes
from plumbing.service import BackgroundWorker, serve
from plumbing.settings import ServiceSettings
from plumbing.system_shares import SystemShares

DAY = 24 * 3600.0

Handler = TypeVar("Handler", bound=CommandHandler[Any])


def streams(
    declaration: WriteService, inbound_max_bytes: int | None = None
) -> tuple[StreamSpec, ...]:
    return (
        # The event log on NATS: kept for good, so read models can always be rebuilt from it.
        StreamSpec(
            declaration.events_stream,
            [declaration.events_subjects],
            duplicate_window_seconds=3600.0,
        ),
        StreamSpec(
            declaration.inbound_stream,
            [declaration.inbound_subjects],
            max_age_seconds=30 * DAY,
            duplicate_window_seconds=600.0,
            # Commands waiting to be handled: a sender filling it is refused, not the disk.
            max_bytes=inbound_max_bytes,
        ),
        StreamSpec(
            declaration.rejected_stream,
            [declaration.rejected_subjects],
            max_age_seconds=90 * DAY,
        ),
    )


def command_app(
    declaration: WriteService,
    service: CommandHandler[Any],
    access: Access,
    check_permission: command_routes.CheckPermission,
    description: str,
    reads: Mapping[str, Callable[[], Awaitable[Any]]],
) -> FastAPI:
    """The kit's routes for the declaration's commands, and the service's own GET routes
    (path: what it answers) for anyone who may view."""
    app = command_routes.create_app(
        declaration,
        service,
        access,
        check_permission,
        title=declaration.title.capitalize(),
        description=description,
    )
    for path, read in reads.items():
        app.get(path, dependencies=[Depends(access.viewer())])(read)
    return app


@dataclass(frozen=True)
class WriteServiceParts(Generic[Handler]):
    """What a write service gives the kit besides its declaration."""

    declaration: WriteService
    # Makes the command handler from the service's event store and its NATS connection,
    # through which it follows the events of the services it learns from
    # (plumbing.followed_events); a service that learns from none needs only the store.
    handler: Callable[[EventStore, Client], Handler]
    app: Callable[[Handler, Access], FastAPI]
    # Workers of its own that the service process runs beside the inbound consumer, made
    # from the process's database pool, NATS connection and settings (projects' process
    # manager, services.projects.office_share); each runs ``resilient`` and shows in /ready.
    workers: Callable[[asyncpg.Pool, Client, ServiceSettings], Sequence[BackgroundWorker]] = (
        lambda pool, nc, settings: ()
    )


@dataclass
class WriteProcess(Generic[Handler]):
    pool: asyncpg.Pool
    nc: Client
    js: JetStreamContext
    service: Handler
    relay: OutboxRelay
    inbound: InboundConsumer
    app: FastAPI
    workers: Sequence[BackgroundWorker] = ()

    async def close(self) -> None:
        await self.nc.drain()
        await self.pool.close()


async def build(
    parts: WriteServiceParts[Handler], settings: ServiceSettings
) -> WriteProcess[Handler]:
    declaration = parts.declaration
    pool = await create_pool(settings.database_url, max_size=6)
    async with pool.acquire() as conn:
        await migrate(conn, MIGRATIONS)
    nc, js = await connect(
        settings.nats_url,
        declaration.name,
        settings.nats_user,
        settings.nats_password,
        settings.nats_ca_file,
    )
    await ensure_streams(
        js,
        [
            dataclasses.replace(s, replicas=settings.stream_replicas)
            for s in streams(declaration, settings.inbound_max_bytes)
        ],
    )
    service = parts.handler(PostgresEventStore(pool), nc)
    return WriteProcess(
        pool=pool,
        nc=nc,
        js=js,
        service=service,
        relay=OutboxRelay(pool, nc, declaration.event_subject, batch_size=settings.batch_size),
        inbound=InboundConsumer(
            declaration,
            pool,
            nc,
            service,
            known_systems(settings, declaration),
            settings.batch_size,
            settings.ack_wait_seconds,
            SystemShares(settings.system_max_bytes_per_hour),
            settings.inbound_max_bytes,
        ),
        app=parts.app(service, Access.from_settings(settings)),
        workers=parts.workers(pool, nc, settings),
    )


async def run(parts: WriteServiceParts[Any], settings: ServiceSettings) -> None:
    """The service's HTTP routes, its inbound consumer and any workers of its own."""
    telemetry.setup_tracing(parts.declaration.name)
    process = await build(parts, settings)
    workers = [process.inbound, *process.workers]
    add_health_routes(process.app, process.nc, process.pool, [w.status for w in workers])
    try:
        await serve(process.app, settings.http_host, settings.http_port, workers)
    finally:
        await process.close()


async def run_relay(parts: WriteServiceParts[Any], settings: ServiceSettings) -> None:
    """The service's outbox relay, in a process of its own.

    Apart, deciding and publishing each get a core instead of sharing one event loop
    (budget's ingest went from about 5,400 to 6,700 events/s on two cores). More than one
    may run: one relays, the others stand by (plumbing.locks.sole_worker).
    """
    name = parts.declaration.name
    telemetry.setup_tracing(f"{name}-relay")
    process = await build(parts, settings)
    health = FastAPI(title=f"{name.capitalize()} outbox relay")
    relay = process.relay
    add_health_routes(health, process.nc, process.pool, [relay.status])
    try:
        await serve(
            health, settings.http_host, settings.http_port, [relay]
        )
    finally:
        await process.close()
