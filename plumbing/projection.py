"""The projection runner: events from a JetStream stream into read models, exactly once.

Each batch is applied and its position stored in the same PostgreSQL transaction, so a
batch is either wholly applied with its checkpoint or not at all. Redelivered messages
are skipped by two guards: the stream sequence checkpoint, and each event stream's last
applied version (which also catches an event republished under a new sequence). An
applied version arriving again as another event, or with other content, is no redelivery:
it is parked as a repeat (plumbing.stream_order).

Per event stream, version n+1 is applied after n. What cannot be applied in that order,
or at all, is parked with its reason (plumbing.parking) and the runner goes on: no event
can stop a projection, and an operator replays the parked ones after a fix.

Read models live in a schema per generation. A rebuild fills a new generation from the
start of the stream while the views keep reading the active one, then switches.
"""

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import asyncpg
from nats.aio.client import Client
from nats.aio.msg import Msg

from plumbing import parking, stream_order, telemetry
from plumbing.consumer import Consumer, consume_from_position
from plumbing.database import Connection
from plumbing.delivery_sequence import stream_sequence
from plumbing.jetstream import StopConsuming
from plumbing.locks import FENCE_SQL, Lease, refuse_unless_held
from plumbing.nats_connection import wait_for_stream
from plumbing.parking import Parked
from plumbing.projection_apply import CarefulAgain, InOrder
from plumbing.projection_generations import Generations
from plumbing.read_ahead import ReadAhead
from plumbing.read_models import active_generation, schema_name
from plumbing.readiness import WorkerStatus
from plumbing.stream_order import Delivery
from plumbing.stream_order import ReceivedEvent as ReceivedEvent  # projections import it here

log = logging.getLogger(__name__)


class Projection(Protocol):
    name: str
    # DDL of the read model tables, run inside a fresh generation's schema and again in the
    # active one at start, so it must be idempotent (IF NOT EXISTS): a table added later
    # then reaches generations made before it. A table with a ``known_from`` column keeps
    # every version of its rows for views of an earlier moment (plumbing.read_model_versions).
    tables_sql: str

    async def apply(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None: ...


@dataclass(frozen=True)
class Source:
    stream: str
    subject: str


# How a batch's transaction begins, in one round trip where it was five (a fixed cost of
# every batch, which at a trickle of events is most of what PostgreSQL does):
# - the active generation, FOR SHARE: a rebuild's switch waits for this batch, and this
#   batch sees a switch;
# - the fence of the lease (plumbing.locks);
# - the generation's schema first on the search path, for the projection's statements;
# - no wait for the WAL to reach the disk: read models can be rebuilt from the stream, and
#   the checkpoint commits with them, so a commit lost in a crash is replayed from the
#   earlier checkpoint;
# - the checkpoint, its row locked FOR UPDATE: operators' replays take turns with batches.
_BATCH_START = """
SELECT (SELECT generation FROM projection_active WHERE projection = $1 FOR SHARE) AS active,
       EXISTS ({held}) AS held,
       set_config('search_path', '{schema}, public', true) AS search_path,
       set_config('synchronous_commit', 'off', true) AS synchronous_commit,
       (SELECT sequence FROM {schema}.tracking WHERE stream = $4 FOR UPDATE) AS checkpoint
"""

# How long a live batch stored is taken to say its generation is still the active one.
ACTIVE_KNOWN_SECONDS = 1.0

# What a database needs before projections can run in it, in order.
MIGRATIONS = ["plumbing.sql.leases", "plumbing.sql.projections"]


class ProjectionRunner:
    def __init__(
        self,
        pool: asyncpg.Pool,
        nc: Client,
        projection: Projection,
        source: Source,
        batch_size: int = 500,
        ack_wait_seconds: float = 30.0,
        status_name: str = "projektion",  # how /ready names it, in Swedish
    ) -> None:
        self._pool = pool
        self._nc = nc
        self._js = nc.jetstream()
        self._projection = projection
        self._source = source
        self._batch_size = batch_size
        self._ack_wait = ack_wait_seconds
        self._tracer = telemetry.tracer("plumbing.projection")
        self.status = WorkerStatus(status_name)
        # The generation the last live batch was stored in, and when (time.monotonic()).
        self._stored_live: tuple[int, float] | None = None
        self._applier = InOrder(nc, projection.apply, source.stream)
        # The next batch is read while this one is written (plumbing.read_ahead).
        self._read_ahead = ReadAhead(_read)
        self._generations = Generations(
            self._js, projection.name, projection.tables_sql, source.stream
        )

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
            await self._consume(
                generation, stop, functools.partial(self._is_active, generation), live=True
            )

    async def _consume(
        self,
        generation: int,
        stop: asyncio.Event,
        keep_going: Callable[[], Awaitable[bool]],
        *,
        live: bool,
    ) -> None:
        """Project into ``generation`` from its checkpoint; ``live``: only while it is active."""
        try:
            await consume_from_position(
                self._pool,
                self._nc,
                self._consumer(generation),
                functools.partial(self._checkpoint, generation),
                functools.partial(self._apply_batch, generation=generation, must_be_active=live),
                stop,
                self.status,
                keep_going=keep_going,
                on_arrival=self._read_ahead.arrived,
            )
        finally:
            self._read_ahead.close()

    async def rebuild(self, stop: asyncio.Event) -> int:
        """Replay the whole stream into a new generation, switch the views to it, drop the old.

        Events that cannot be applied are parked in the new generation, as they are live.
        """
        await wait_for_stream(self._js, self._source.stream, stop)
        async with self._pool.acquire() as conn:
            new = await self._generations.create(conn)

        async def not_caught_up() -> bool:
            info = await self._js.stream_info(self._source.stream)
            return int(info.state.last_seq or 0) > await self._checkpoint(new)

        while not stop.is_set():
            try:
                if not await not_caught_up():
                    break
                await self._consume(new, stop, not_caught_up, live=False)
            except Exception as error:  # NATS or PostgreSQL restarting: go on where it was
                self.status.retrying(error)
                log.warning("rebuild interrupted; going on: %r", error)
                await asyncio.sleep(1.0)
        await self._activate(new)
        return new

    async def _activate(self, new: int) -> None:
        async with self._pool.acquire() as conn:
            await self._generations.activate(conn, new)

    async def _is_active(self, generation: int) -> bool:
        # Asked before every fetch. A live batch stored a moment ago found its generation
        # active in its own transaction, as the next batch will again (or stop), so the
        # question costs a round trip only when the consumer has been quiet.
        if self._stored_live is not None:
            stored_in, at = self._stored_live
            if stored_in == generation and time.monotonic() - at < ACTIVE_KNOWN_SECONDS:
                return True
        async with self._pool.acquire() as conn:
            return await self._generations.is_active(conn, generation)

    async def _ensure_active_generation(self) -> int:
        async with self._pool.acquire() as conn:
            return await self._generations.ensure_active(conn)

    async def _apply_batch(
        self, msgs: list[Msg], lease: Lease, generation: int, *, must_be_active: bool
    ) -> None:
        deliveries = [(stream_sequence(m), m.data) for m in msgs]
        read = {stream_sequence(m): self._read_ahead.result(m) for m in msgs}
        try:
            applied = await self._store_batch(
                deliveries, read, lease, generation, must_be_active, False
            )
        except CarefulAgain:
            applied = await self._store_batch(
                deliveries, read, lease, generation, must_be_active, True
            )
        if telemetry.enabled():
            self._trace(applied, msgs)

    async def _store_batch(
        self,
        deliveries: list[Delivery],
        read: dict[int, ReceivedEvent | Parked],
        lease: Lease,
        generation: int,
        must_be_active: bool,
        careful: bool,
    ) -> list[ReceivedEvent]:
        """Apply the deliveries and store the checkpoint in one transaction; ``read``: what
        some of them were read as already.

        Not ``careful``, the batch is applied as a whole, which is fast, and raises
        _CarefulAgain if that fails for a reason of the events; ``careful``, each event
        is applied on its own and those that fail are parked.
        """
        schema = schema_name(self._projection.name, generation)
        lease.check()
        async with self._pool.acquire() as conn, conn.transaction():
            start = await conn.fetchrow(
                _BATCH_START.format(schema=schema, held=FENCE_SQL.format(name="$2", epoch="$3")),
                self._projection.name,
                lease.name,
                lease.epoch,
                self._source.stream,
            )
            assert start is not None
            if must_be_active and start["active"] != generation:
                raise StopConsuming
            refuse_unless_held(lease, start["held"])
            checkpoint = start["checkpoint"]
            fresh = [d for d in deliveries if checkpoint is None or d[0] > checkpoint]
            applied = await self._applier.apply(conn, fresh, careful, schema, read)
            await self._record_checkpoint(conn, deliveries[-1][0])
        if must_be_active:
            self._stored_live = (generation, time.monotonic())
        return applied

    def _trace(self, events: list[ReceivedEvent], msgs: list[Msg]) -> None:
        """One span per applied event, child of the publish span that sent it."""
        for event, msg in _with_messages(events, msgs):
            if not telemetry.worth_a_span(msg.headers):
                continue
            span = self._tracer.start_span(
                f"project {event.event_type}", context=telemetry.extract(msg.headers)
            )
            span.set_attribute("event.id", str(event.message.envelope.event_id))
            span.end()

    async def _record_checkpoint(self, conn: Connection, last_sequence: int) -> None:
        await conn.execute(
            "INSERT INTO tracking (stream, sequence) VALUES ($1, $2)"
            " ON CONFLICT (stream) DO UPDATE SET sequence = EXCLUDED.sequence"
            " WHERE tracking.sequence < EXCLUDED.sequence",
            self._source.stream,
            last_sequence,
        )

    # -- for operators -------------------------------------------------------------------

    async def replay_parked(self, only: Sequence[int] | None = None) -> tuple[int, int]:
        """Apply the parked events of the active generation again, after a fix: those at the
        stream sequences ``only``, or every one.

        Returns how many were applied and how many are still parked. Runs beside the live
        runner: both lock the checkpoint row, so they take turns.
        """
        async with self._operator_change() as (conn, schema):
            if conn is None:
                return 0, 0
            applied = await self._applier.apply(
                conn, await parking.take(conn, only), careful=True, durable=schema
            )
            still, _ = await parking.counts(conn)
        return len(applied), still

    async def skip_parked(self, sequence: int) -> bool:
        """Leave the parked event at ``sequence`` unapplied and off the list: an operator's
        decision. A later event of its stream looks for it in the stream again (a gap)."""
        async with self._operator_change() as (conn, _):
            return conn is not None and bool(await parking.take(conn, [sequence]))

    @contextlib.asynccontextmanager
    async def _operator_change(self) -> AsyncIterator[tuple[Connection | None, str]]:
        """A transaction in the active generation's schema (and its name), taking turns with
        the live runner (both lock the checkpoint row); None before there is a generation."""
        async with self._pool.acquire() as conn, conn.transaction():
            generation = await active_generation(conn, self._projection.name)
            if generation is None:
                yield None, ""
                return
            schema = schema_name(self._projection.name, generation)
            await conn.execute(f"SET LOCAL search_path TO {schema}")
            await conn.execute(
                "SELECT sequence FROM tracking WHERE stream = $1 FOR UPDATE", self._source.stream
            )
            yield conn, schema
            # The read models change here without the checkpoint moving: a new version of
            # the tracking row says so to whoever keeps answers until they change.
            await conn.execute(
                "UPDATE tracking SET sequence = sequence WHERE stream = $1", self._source.stream
            )


def _read(msg: Msg) -> ReceivedEvent | Parked:
    return stream_order.read_one(stream_sequence(msg), msg.data)


def _with_messages(events: list[ReceivedEvent], msgs: list[Msg]) -> list[tuple[ReceivedEvent, Msg]]:
    by_sequence = {stream_sequence(m): m for m in msgs}
    # An event read again from the stream to fill a gap came in no message of the batch.
    return [(e, by_sequence[e.sequence]) for e in events if e.sequence in by_sequence]
