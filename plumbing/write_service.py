"""Wires a write service's processes from its declaration: settings in, a running process out.

The service hands over its settings class, its domain (plumbing.decider.Domain), its HTTP
app (the kit's command routes and any views of its own) and any process managers it runs;
everything else is the same for all: the event store, the command handler with the copies of
what it learns from others, the outbox relay, the inbound consumer and the streams.
"""

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import asyncpg
from fastapi import FastAPI
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts.service import WriteService
from plumbing import logs
from plumbing.command_handler import CommandHandler
from plumbing.command_routes import keep_refusals
from plumbing.decider import Decider, Domain, S
from plumbing.eventstore import EventStore
from plumbing.followed_events import FollowedEvents
from plumbing.http_identity import Access
from plumbing.inbound import InboundConsumer
from plumbing.inbound_reading import known_systems
from plumbing.metrics import observe_pool
from plumbing.nats_connection import StreamSpec, ensure_streams
from plumbing.outbox import OutboxRelay
from plumbing.postgres_eventstore import MIGRATIONS, PostgresEventStore
from plumbing.process_manager import ProcessManager, ProcessManagerWorker, Rule
from plumbing.readiness import add_health_routes
from plumbing.sent_refusals import SentRefusals
from plumbing.service import BackgroundWorker, serve, start_process
from plumbing.settings import WriteServiceSettings
from plumbing.startup import open_database, open_nats
from plumbing.system_shares import SystemShares

DAY = 24 * 3600.0

Settings = TypeVar("Settings", bound=WriteServiceSettings)


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


@dataclass(frozen=True)
class Runs(Generic[Settings]):
    """A process manager the service process runs, with its rule made from the settings."""

    declaration: ProcessManager
    rule: Callable[[Settings], Rule]


@dataclass(frozen=True)
class WriteServiceParts(Generic[S, Settings]):
    """What a write service gives the kit besides its declaration."""

    declaration: WriteService
    settings: type[Settings]
    domain: Callable[[Settings], Domain[S]]
    app: Callable[[CommandHandler[S], Access], FastAPI]
    process_managers: Sequence[Runs[Settings]] = ()

    def handler(
        self, settings: Settings, store: EventStore, nc: Client | None = None
    ) -> CommandHandler[S]:
        """The command handler on ``store``; it follows the events of the services it learns
        from (plumbing.followed_events) through ``nc``, as the service's NATS user."""
        name = self.declaration.name

        def events_of(owner: WriteService) -> FollowedEvents:
            assert nc is not None, f"{name} learns from {owner.name}: a NATS connection is needed"
            (learns,) = [learned for learned in self.declaration.learns if learned.owner == owner]
            return FollowedEvents(nc, name, owner, [event.event_type for event in learns.events])

        decider = Decider(self.declaration, self.domain(settings), events_of)
        return CommandHandler(name, store, decider)

    def workers(self, pool: asyncpg.Pool, nc: Client, settings: Settings) -> list[BackgroundWorker]:
        """What the service process runs beside its inbound consumer: each process manager,
        and its reader of what the target refused of it."""
        return [
            worker
            for runs in self.process_managers
            for worker in (
                ProcessManagerWorker(
                    pool,
                    nc,
                    runs.declaration,
                    runs.rule(settings),
                    settings.batch_size,
                    settings.ack_wait_seconds,
                ),
                SentRefusals(nc, runs.declaration),
            )
        ]


@dataclass
class WriteProcess(Generic[S]):
    pool: asyncpg.Pool
    nc: Client
    js: JetStreamContext
    service: CommandHandler[S]
    relay: OutboxRelay
    inbound: InboundConsumer
    app: FastAPI
    workers: Sequence[BackgroundWorker] = ()

    async def close(self) -> None:
        await self.nc.drain()
        await self.pool.close()


async def build(parts: WriteServiceParts[S, Settings], settings: Settings) -> WriteProcess[S]:
    declaration = parts.declaration
    pool = await open_database(settings, MIGRATIONS)
    observe_pool(pool, declaration.name)
    nc, js = await open_nats(settings, declaration.name)
    await ensure_streams(
        js,
        [
            dataclasses.replace(s, replicas=settings.stream_replicas)
            for s in streams(declaration, settings.inbound_max_bytes)
        ],
    )
    logs.lifecycle("streams declared")
    service = parts.handler(settings, PostgresEventStore(pool), nc)
    app = parts.app(service, Access.from_settings(settings))
    keep_refusals(app, pool)
    return WriteProcess(
        pool=pool,
        nc=nc,
        js=js,
        service=service,
        relay=OutboxRelay(
            pool,
            nc,
            declaration.event_subject,
            batch_size=settings.batch_size,
            safety_poll_seconds=settings.outbox_safety_poll_seconds,
        ),
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
        app=app,
        workers=parts.workers(pool, nc, settings),
    )


async def run(parts: WriteServiceParts[Any, Settings], settings: Settings) -> None:
    """The service's HTTP routes, its inbound consumer and any workers of its own."""
    start_process(parts.declaration.name, settings)
    process = await build(parts, settings)
    workers = [process.inbound, *process.workers]
    add_health_routes(process.app, process.nc, process.pool, [w.status for w in workers])
    try:
        await serve(process.app, settings.http_host, settings.http_port, workers)
    finally:
        await process.close()


async def run_relay(parts: WriteServiceParts[Any, Settings], settings: Settings) -> None:
    """The service's outbox relay, in a process of its own.

    Apart, deciding and publishing each get a core instead of sharing one event loop
    (budget's ingest went from about 5,400 to 6,700 events/s on two cores). More than one
    may run: one relays, the others stand by (plumbing.locks.sole_worker).
    """
    name = parts.declaration.name
    start_process(f"{name}-relay", settings)
    process = await build(parts, settings)
    health = FastAPI(title=f"{name.capitalize()} outbox relay")
    relay = process.relay
    add_health_routes(health, process.nc, process.pool, [relay.status])
    try:
        await serve(health, settings.http_host, settings.http_port, [relay])
    finally:
        await process.close()
