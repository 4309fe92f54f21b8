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
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import asyncpg
from nats.aio.client import Client
from nats.aio.msg import Msg

from plumbing import parking, stream_order, telemetry
from plumbing.consumer import Consumer, consume_from_position
from plumbing.database import Connection
from plumbing.errors import is_infrastructure
from plumbing.jetstream import StopConsuming, delete_consumers, read_range, wait_for_stream
from plumbing.locks import Lease, fenced
from plumbing.parking import PARKED_SQL, Parked, ParkedKind
from plumbing.read_model_versions import keep_versions, per_schema
from plumbing.read_models import active_generation, schema_name
from plumbing.readiness import WorkerStatus
from plumbing.stream_order import STREAM_ORDER_SQL, Delivery, StreamPositions
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


# How often dropping a replaced generation gives way to readers before leaving it.
DROP_ATTEMPTS = 300

# What a database needs before projections can run in it, in order.
MIGRATIONS = ["plumbing.sql.leases", "plumbing.sql.projections"]

_TRACKING_SQL = (
    "CREATE TABLE IF NOT EXISTS tracking (stream text PRIMARY KEY, sequence bigint NOT NULL);"
    + STREAM_ORDER_SQL
    + PARKED_SQL
)


class _CarefulAgain(Exception):
    """A batch failed to apply as a whole; it is applied again one event at a time."""


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
        await consume_from_position(
            self._pool,
            self._nc,
            self._consumer(generation),
            functools.partial(self._checkpoint, generation),
            functools.partial(self._apply_batch, generation=generation, must_be_active=live),
            stop,
            self.status,
            keep_going=keep_going,
        )

    async def rebuild(self, stop: asyncio.Event) -> int:
        """Replay the whole stream into a new generation, switch the views to it, drop the old.

        Events that cannot be applied are parked in the new generation, as they are live.
        """
        await wait_for_stream(self._js, self._source.stream, stop)
        async with self._pool.acquire() as conn:
            new = await self._create_generation(conn)

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
        """Switch the views to ``new`` and drop the generations before it."""
        async with self._pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO projection_active (projection, generation) VALUES ($1, $2)"
                " ON CONFLICT (projection) DO UPDATE SET generation = EXCLUDED.generation",
                self._projection.name,
                new,
            )
            # Every earlier one, not only the last: one left in use by a rebuild before goes too.
            replaced = await conn.fetch(
                "SELECT generation FROM projection_generations"
                " WHERE projection = $1 AND generation < $2 ORDER BY generation",
                self._projection.name,
                new,
            )
            for row in replaced:
                await self._drop_generation(conn, int(row["generation"]))

    async def _is_active(self, generation: int) -> bool:
        async with self._pool.acquire() as conn:
            return await active_generation(conn, self._projection.name) == generation

    async def _ensure_active_generation(self) -> int:
        async with self._pool.acquire() as conn:
            generation = await active_generation(conn, self._projection.name)
            if generation is not None:
                # A generation made before a table existed gets it now.
                async with conn.transaction():
                    await conn.execute(
                        f"SET LOCAL search_path TO {schema_name(self._projection.name, generation)}"
                    )
                    await conn.execute(_TRACKING_SQL)
                    await conn.execute(self._projection.tables_sql)
                    await keep_versions(conn, schema_name(self._projection.name, generation))
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
            await keep_versions(conn, schema)
        return generation

    async def _drop_generation(self, conn: Connection, generation: int) -> None:
        schema = schema_name(self._projection.name, generation)
        try:
            await delete_consumers(self._js, self._source.stream, schema)
        except Exception:
            log.info("consumers of %s were already gone", schema)
        # A view or a batch that began before the switch may still read the old tables,
        # taking their locks one by one while the drop takes them all: waiting on each
        # other would deadlock. So the drop gives way (a short lock timeout) and tries
        # again, and those readers never wait on it for long.
        for _ in range(DROP_ATTEMPTS):
            try:
                async with conn.transaction():
                    await conn.execute("SET LOCAL lock_timeout = '200ms'")
                    await conn.execute(f"DROP SCHEMA IF EXISTS {per_schema(schema)} CASCADE")
                    await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                return
            except (asyncpg.LockNotAvailableError, asyncpg.DeadlockDetectedError):
                await asyncio.sleep(0.1)
        log.warning("%s is still in use; the next rebuild drops it", schema)

    async def _apply_batch(
        self, msgs: list[Msg], lease: Lease, generation: int, *, must_be_active: bool
    ) -> None:
        deliveries = [(m.metadata.sequence.stream, m.data) for m in msgs]
        try:
            applied = await self._store_batch(deliveries, lease, generation, must_be_active, False)
        except _CarefulAgain:
            applied = await self._store_batch(deliveries, lease, generation, must_be_active, True)
        if telemetry.enabled():
            self._trace(applied, msgs)

    async def _store_batch(
        self,
        deliveries: list[Delivery],
        lease: Lease,
        generation: int,
        must_be_active: bool,
        careful: bool,
    ) -> list[ReceivedEvent]:
        """Apply the deliveries and store the checkpoint in one transaction.

        Not ``careful``, the batch is applied as a whole, which is fast, and raises
        _CarefulAgain if that fails for a reason of the events; ``careful``, each event
        is applied on its own and those that fail are parked.
        """
        schema = schema_name(self._projection.name, generation)
        async with self._pool.acquire() as conn, conn.transaction():
            # FOR SHARE: a rebuild's switch waits for this batch, and this batch sees a switch.
            active = await conn.fetchval(
                "SELECT generation FROM projection_active WHERE projection = $1 FOR SHARE",
                self._projection.name,
            )
            if must_be_active and active != generation:
                raise StopConsuming
            await fenced(conn, lease)
            await conn.execute(f"SET LOCAL search_path TO {schema}, public")
            # Read models can be rebuilt from the stream, and the checkpoint commits with
            # them: a commit lost in a crash is replayed from the earlier checkpoint. So
            # the batch need not wait for its WAL to reach the disk.
            await conn.execute("SET LOCAL synchronous_commit TO off")
            checkpoint = await conn.fetchval(
                "SELECT sequence FROM tracking WHERE stream = $1 FOR UPDATE", self._source.stream
            )
            fresh = [d for d in deliveries if checkpoint is None or d[0] > checkpoint]
            applied = await self._apply(conn, fresh, careful, schema)
            await self._record_checkpoint(conn, deliveries[-1][0])
        return applied

    async def _apply(
        self, conn: Connection, deliveries: list[Delivery], careful: bool, durable: str
    ) -> list[ReceivedEvent]:
        """Apply what may be applied, in stream order, park the rest; return the applied.

        A gap is first looked for in the NATS stream: the missing events are there unless
        the gap's own version is false, and they are applied before it.
        """
        received, parked = stream_order.read(deliveries)
        positions = await StreamPositions.load(conn, received)
        in_order = stream_order.in_order(received, positions, parked)
        found = await self._missing_from_stream(conn, parked, durable)
        if found:
            log.warning(
                "%s: %d events missing before a gap read again from %s",
                durable,
                len(found),
                self._source.stream,
            )
            every = dict([*found, *deliveries])  # by sequence
            received, parked = stream_order.read(sorted(every.items()))
            positions = await StreamPositions.load(conn, received)
            in_order = stream_order.in_order(received, positions, parked)
            # Those parked as gaps before (a replay) are applied now.
            await parking.release(conn, [sequence for sequence, _ in found])
        if careful:
            applied = await self._apply_one_by_one(conn, in_order, parked)
        else:
            try:
                await self._projection.apply(conn, in_order)
            except Exception as error:
                if is_infrastructure(error):
                    raise
                log.warning("batch failed to apply (%r); applying one event at a time", error)
                raise _CarefulAgain from error
            applied = in_order
        await parking.park(conn, parked)
        await stream_order.record_applied(conn, applied)
        return applied

    async def _missing_from_stream(
        self, conn: Connection, parked: list[Parked], durable: str
    ) -> list[Delivery]:
        """The events missing before the gaps among ``parked``, as the NATS stream has them."""
        wanted = await stream_order.gaps(conn, parked)
        if wanted is None:
            return []
        deliveries = await read_range(
            self._nc,
            self._source.stream,
            f"{durable}-gap",
            wanted.first_sequence,
            wanted.last_sequence,
        )
        events, _ = stream_order.read(deliveries)
        return [(e.sequence, b) for e, b in _with_bodies(events, deliveries) if wanted.wants(e)]

    async def _apply_one_by_one(
        self, conn: Connection, events: list[ReceivedEvent], parked: list[Parked]
    ) -> list[ReceivedEvent]:
        applied: list[ReceivedEvent] = []
        waiting: dict[str, int] = {}  # stream → version of the event it waits behind
        for event in events:
            envelope = event.message.envelope
            if envelope.stream_id in waiting:
                parked.append(stream_order.held(event, waiting[envelope.stream_id]))
                continue
            try:
                async with conn.transaction():
                    await self._projection.apply(conn, [event])
            except Exception as error:
                if is_infrastructure(error):
                    raise
                waiting[envelope.stream_id] = envelope.version
                reason = parking.describe(error)
                parked.append(stream_order.parked_event(event, ParkedKind.FAILED, reason))
                continue
            applied.append(event)
        return applied

    def _trace(self, events: list[ReceivedEvent], msgs: list[Msg]) -> None:
        """One span per applied event, child of the publish span that sent it."""
        for event, msg in _with_messages(events, msgs):
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

    async def replay_parked(self) -> tuple[int, int]:
        """Apply the parked events of the active generation again, after a fix.

        Returns how many were applied and how many are still parked. Runs beside the live
        runner: both lock the checkpoint row, so they take turns.
        """
        async with self._pool.acquire() as conn, conn.transaction():
            generation = await active_generation(conn, self._projection.name)
            if generation is None:
                return 0, 0
            await conn.execute(
                f"SET LOCAL search_path TO {schema_name(self._projection.name, generation)}"
            )
            await conn.execute(
                "SELECT sequence FROM tracking WHERE stream = $1 FOR UPDATE", self._source.stream
            )
            applied = await self._apply(
                conn,
                await parking.take_all(conn),
                careful=True,
                durable=schema_name(self._projection.name, generation),
            )
            # The read models change here without the checkpoint moving: a new version of
            # the tracking row says so to whoever keeps answers until they change.
            await conn.execute(
                "UPDATE tracking SET sequence = sequence WHERE stream = $1", self._source.stream
            )
            still, _ = await parking.counts(conn)
        return len(applied), still


def _with_bodies(
    events: list[ReceivedEvent], deliveries: list[Delivery]
) -> list[tuple[ReceivedEvent, bytes]]:
    bodies = dict(deliveries)
    return [(e, bodies[e.sequence]) for e in events]


def _with_messages(events: list[ReceivedEvent], msgs: list[Msg]) -> list[tuple[ReceivedEvent, Msg]]:
    by_sequence = {m.metadata.sequence.stream: m for m in msgs}
    # An event read again from the stream to fill a gap came in no message of the batch.
    return [(e, by_sequence[e.sequence]) for e in events if e.sequence in by_sequence]
