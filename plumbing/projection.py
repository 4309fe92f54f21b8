"""The projection runner: events from a JetStream stream into read models, exactly once.

Each batch is applied and its position stored in the same PostgreSQL transaction, so a
batch is either wholly applied with its checkpoint or not at all. Redelivered messages
are skipped by two guards: the stream sequence checkpoint, and each event stream's last
applied version (which also catches an event republished under a new sequence).

Read models live in a schema per generation. A rebuild fills a new generation from the
start of the stream while the views keep reading the active one, then switches.
"""

import asyncio
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import asyncpg
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.errors import NotFoundError

from contracts.envelope import EventMessage
from plumbing import telemetry
from plumbing.consumer import Consumer, consume_from_position
from plumbing.database import Connection
from plumbing.jetstream import StopConsuming, pending, wait_for_stream

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReceivedEvent:
    message: EventMessage
    sequence: int

    @property
    def event_type(self) -> str:
        return self.message.envelope.event_type

    @property
    def payload(self) -> dict[str, Any]:
        return self.message.payload


class Projection(Protocol):
    name: str
    tables_sql: str  # DDL of the read model tables, run inside a fresh generation's schema

    async def apply(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None: ...


@dataclass(frozen=True)
class Source:
    stream: str
    subject: str


def schema_name(projection: str, generation: int) -> str:
    return f"{projection}_g{generation}"


_TRACKING_SQL = """
CREATE TABLE tracking (stream text PRIMARY KEY, sequence bigint NOT NULL);
CREATE TABLE stream_versions (stream_id text PRIMARY KEY, version integer NOT NULL);
"""


async def active_generation(conn: Connection, projection: str) -> int | None:
    value = await conn.fetchval(
        "SELECT generation FROM projection_active WHERE projection = $1", projection
    )
    return int(value) if value is not None else None


class ProjectionRunner:
    def __init__(
        self,
        pool: asyncpg.Pool,
        nc: Client,
        projection: Projection,
        source: Source,
        batch_size: int = 500,
        ack_wait_seconds: float = 30.0,
    ) -> None:
        self._pool = pool
        self._nc = nc
        self._js = nc.jetstream()
        self._projection = projection
        self._source = source
        self._batch_size = batch_size
        self._ack_wait = ack_wait_seconds
        self._tracer = telemetry.tracer("plumbing.projection")

    def _consumer(self, generation: int) -> Consumer:
        return Consumer(
            stream=self._source.stream,
            subject=self._source.subject,
            durable=schema_name(self._projection.name, generation),
            batch_size=self._batch_size,
            ack_wait_seconds=self._ack_wait,
        )

    async def _checkpoint(self, generation: int) -> int:
        schema = schema_name(self._projection.name, generation)
        async with self._pool.acquire() as conn:
            checkpoint = await conn.fetchval(
                f"SELECT sequence FROM {schema}.tracking WHERE stream = $1", self._source.stream
            )
        return int(checkpoint or 0)

    async def run(self, stop: asyncio.Event) -> None:
        """Keep the active generation up to date; follow it when a rebuild switches."""
        await wait_for_stream(self._js, self._source.stream, stop)
        while not stop.is_set():
            generation = await self._ensure_active_generation()
            log.info("projecting %s into generation %d", self._projection.name, generation)
            await consume_from_position(
                self._pool,
                self._nc,
                self._consumer(generation),
                functools.partial(self._checkpoint, generation),
                functools.partial(self._apply_batch, generation=generation, must_be_active=True),
                stop,
                keep_going=functools.partial(self._is_active, generation),
            )

    async def rebuild(self, stop: asyncio.Event) -> int:
        """Replay the whole stream into a new generation, switch the views to it, drop the old."""
        await wait_for_stream(self._js, self._source.stream, stop)
        async with self._pool.acquire() as conn:
            old = await active_generation(conn, self._projection.name)
            new = await self._create_generation(conn)
        consumer = self._consumer(new)

        async def not_caught_up() -> bool:
            try:
                return await pending(self._js, consumer.stream, consumer.durable) > 0
            except NotFoundError:  # not created yet
                return True

        await consume_from_position(
            self._pool,
            self._nc,
            consumer,
            functools.partial(self._checkpoint, new),
            functools.partial(self._apply_batch, generation=new, must_be_active=False),
            stop,
            keep_going=not_caught_up,
        )
        await self._activate(new, old)
        return new

    async def _activate(self, new: int, old: int | None) -> None:
        async with self._pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO projection_active (projection, generation) VALUES ($1, $2)"
                " ON CONFLICT (projection) DO UPDATE SET generation = EXCLUDED.generation",
                self._projection.name,
                new,
            )
            if old is not None:
                await self._drop_generation(conn, old)

    async def _is_active(self, generation: int) -> bool:
        async with self._pool.acquire() as conn:
            return await active_generation(conn, self._projection.name) == generation

    async def _ensure_active_generation(self) -> int:
        async with self._pool.acquire() as conn:
            generation = await active_generation(conn, self._projection.name)
            if generation is not None:
                return generation
            generation = await self._create_generation(conn)
            await conn.execute(
                "INSERT INTO projection_active (projection, generation) VALUES ($1, $2)"
                " ON CONFLICT (projection) DO NOTHING",
                self._projection.name,
                generation,
            )
            active = await active_generation(conn, self._projection.name)
            assert active is not None
            return active

    async def _create_generation(self, conn: Connection) -> int:
        async with conn.transaction():
            generation = int(
                await conn.fetchval(
                    "INSERT INTO projection_generations (projection, generation)"
                    " SELECT $1, coalesce(max(generation), 0) + 1 FROM projection_generations"
                    " WHERE projection = $1 RETURNING generation",
                    self._projection.name,
                )
            )
            schema = schema_name(self._projection.name, generation)
            await conn.execute(f"CREATE SCHEMA {schema}")
            await conn.execute(f"SET LOCAL search_path TO {schema}")
            await conn.execute(_TRACKING_SQL)
            await conn.execute(self._projection.tables_sql)
        return generation

    async def _drop_generation(self, conn: Connection, generation: int) -> None:
        schema = schema_name(self._projection.name, generation)
        try:
            await self._js.delete_consumer(self._source.stream, schema)
        except Exception:
            log.info("consumer %s was already gone", schema)
        # Waits for a live batch still writing the old generation to finish.
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    async def _apply_batch(self, msgs: list[Msg], generation: int, *, must_be_active: bool) -> None:
        schema = schema_name(self._projection.name, generation)
        async with self._pool.acquire() as conn, conn.transaction():
            # FOR SHARE: a rebuild's switch waits for this batch, and this batch sees a switch.
            active = await conn.fetchval(
                "SELECT generation FROM projection_active WHERE projection = $1 FOR SHARE",
                self._projection.name,
            )
            if must_be_active and active != generation:
                raise StopConsuming
            await conn.execute(f"SET LOCAL search_path TO {schema}, public")
            # Read models can be rebuilt from the stream, and the checkpoint commits with
            # them: a commit lost in a crash is replayed from the earlier checkpoint. So
            # the batch need not wait for its WAL to reach the disk.
            await conn.execute("SET LOCAL synchronous_commit TO off")
            checkpoint = await conn.fetchval(
                "SELECT sequence FROM tracking WHERE stream = $1 FOR UPDATE", self._source.stream
            )
            received = [
                ReceivedEvent(EventMessage.model_validate_json(m.data), m.metadata.sequence.stream)
                for m in msgs
                if checkpoint is None or m.metadata.sequence.stream > checkpoint
            ]
            fresh = await self._not_yet_applied(conn, received)
            if telemetry.enabled():
                self._trace(fresh, msgs)
            await self._projection.apply(conn, fresh)
            await self._record_positions(conn, fresh, msgs[-1].metadata.sequence.stream)

    def _trace(self, events: list[ReceivedEvent], msgs: list[Msg]) -> None:
        """One span per applied event, child of the publish span that sent it."""
        for event, msg in _with_messages(events, msgs):
            span = self._tracer.start_span(
                f"project {event.event_type}", context=telemetry.extract(msg.headers)
            )
            span.set_attribute("event.id", str(event.message.envelope.event_id))
            span.end()

    async def _not_yet_applied(
        self, conn: Connection, received: list[ReceivedEvent]
    ) -> list[ReceivedEvent]:
        if not received:
            return []
        streams = sorted({e.message.envelope.stream_id for e in received})
        rows = await conn.fetch(
            "SELECT stream_id, version FROM stream_versions WHERE stream_id = ANY($1::text[])",
            streams,
        )
        applied = {r["stream_id"]: r["version"] for r in rows}
        fresh = []
        for event in received:
            envelope = event.message.envelope
            if envelope.version > applied.get(envelope.stream_id, 0):
                applied[envelope.stream_id] = envelope.version
                fresh.append(event)
        return fresh

    async def _record_positions(
        self, conn: Connection, fresh: list[ReceivedEvent], last_sequence: int
    ) -> None:
        latest: dict[str, int] = {}
        for event in fresh:
            latest[event.message.envelope.stream_id] = event.message.envelope.version
        if latest:
            await conn.execute(
                "INSERT INTO stream_versions (stream_id, version)"
                " SELECT * FROM unnest($1::text[], $2::int[])"
                " ON CONFLICT (stream_id) DO UPDATE SET version = EXCLUDED.version",
                list(latest),
                list(latest.values()),
            )
        await conn.execute(
            "INSERT INTO tracking (stream, sequence) VALUES ($1, $2)"
            " ON CONFLICT (stream) DO UPDATE SET sequence = EXCLUDED.sequence"
            " WHERE tracking.sequence < EXCLUDED.sequence",
            self._source.stream,
            last_sequence,
        )


def _with_messages(events: list[ReceivedEvent], msgs: list[Msg]) -> list[tuple[ReceivedEvent, Msg]]:
    by_sequence = {m.metadata.sequence.stream: m for m in msgs}
    return [(e, by_sequence[e.sequence]) for e in events]
