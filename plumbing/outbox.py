"""The outbox relay: publishes stored events to the service's JetStream stream, in order."""

import asyncio
import logging
import time
from collections.abc import Callable

import asyncpg
from nats.aio.client import Client
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.trace import SpanKind

from plumbing import logs, telemetry
from plumbing.event_codec import envelope_json_sql
from plumbing.locks import HELD_SQL, Lease, sole_worker
from plumbing.metrics import instruments
from plumbing.notifications import Wakeup
from plumbing.publisher import Publisher
from plumbing.readiness import WorkerStatus

log = logging.getLogger(__name__)

# One relay per database publishes; others stand by. Publishing in position order is what
# keeps each stream's events in version order on NATS (a stream's version n+1 is only
# written after version n has committed, so it always has the higher position).

# PostgreSQL writes the EventMessage JSON (envelope + payload) itself: the payload is
# already JSON there, and the relay's process is the busier one. The envelope's fields come
# from the contract (plumbing.event_codec), so a field added there is published too.
# The queued positions are taken first and each event is then found by its key (the
# lateral LIMIT keeps the planner from joining the tables instead): joined as tables, the
# outbox was merged or hashed with every event ever stored, a walk that grows with the
# store (50 ms at 33,000 events, every batch). Reading, the relay only asks whether it
# still holds its lock, without locking the lease's row: a lock is a write, and would make
# every look at the outbox a transaction of its own waiting for the disk.
_SELECT_BATCH = """
WITH queued AS MATERIALIZED (
    SELECT position FROM outbox
    WHERE EXISTS ({fence})
    ORDER BY position
    LIMIT $1
)
SELECT o.position,
       e.event_id::text AS event_id,
       e.event_type,
       e.metadata->>'traceparent' AS traceparent,
       e.metadata->>'tracestate' AS tracestate,
       json_build_object(
           'envelope', {envelope},
           'payload', e.payload)::text AS body
FROM queued o
CROSS JOIN LATERAL (SELECT * FROM events WHERE events.position = o.position LIMIT 1) e
ORDER BY o.position
""".format(envelope=envelope_json_sql("e"), fence=HELD_SQL.format(name="$2", epoch="$3"))

# Removing what JetStream acknowledged needs no lock on the lease (only its holder reads
# rows) nor a wait for the disk: a removal lost in a crash publishes those events again,
# which Nats-Msg-Id and the consumers' version checks take as the repeats they are. Its
# own commit (set_config(..., true) is this statement's transaction) then costs the
# server a flush no more per batch.
_DELETE_RELAYED = (
    "DELETE FROM outbox WHERE position = ANY($1::bigint[]) AND EXISTS ({held})"
    " AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL".format(
        held=HELD_SQL.format(name="$2", epoch="$3")
    )
)

# The outbox is a queue: each relayed row is deleted, and stays behind, dead, in the table
# and its index until a vacuum. Autovacuum comes by once a minute (every three embedded);
# at thousands of events a second each look at the head of the queue meanwhile stepped
# over hundreds of thousands of dead entries, and at 200,000 events the relay's backend
# spent two and a half times what it spent at 20,000. So the relay vacuums the outbox
# itself after it has removed this many rows.
VACUUM_AFTER_ROWS = 10_000

LEASE = "outbox-relay"
# The append's transaction notifies this channel when it queues events (a trigger on the
# outbox, plumbing/sql/eventstore/004_outbox_notify.sql): the relay sleeps until then.
CHANNEL = "outbox"

# What waits, when the oldest was stored, and how long ago: the oldest row has the lowest
# position, found by key (joined, the outbox would be walked against every event). The
# relay's metrics and the operators' view (services.reporting.operations) both read it.
BACKLOG_SQL = """
WITH oldest AS (
    SELECT recorded_at FROM events WHERE position = (SELECT min(position) FROM outbox)
)
SELECT (SELECT count(*) FROM outbox) AS waiting,
       (SELECT recorded_at FROM oldest) AS oldest,
       extract(epoch FROM now() - (SELECT recorded_at FROM oldest))::float8 AS oldest_age
"""

# How often, at most, the backlog is counted for the metrics.
BACKLOG_SECONDS = 2.0


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        nc: Client,
        subject_for: Callable[[str], str],
        batch_size: int = 500,
        safety_poll_seconds: float = 30.0,  # WriteServiceSettings.outbox_safety_poll_seconds
        vacuum_after_rows: int = VACUUM_AFTER_ROWS,
    ) -> None:
        self._pool = pool
        self._publisher = Publisher(nc)
        self._subject_for = subject_for
        self._batch_size = batch_size
        self._safety_poll = safety_poll_seconds
        self._tracer = telemetry.tracer("plumbing.outbox")
        self.status = WorkerStatus("utkorg")
        self._counted = 0.0
        self._vacuum_after = vacuum_after_rows
        self._removed = 0  # rows removed since the outbox was last vacuumed

    async def run(self, stop: asyncio.Event) -> None:
        """Relay while this process holds the relay's lock; LeaseLost when it loses it."""
        # Its statements belong to no trace (each event's trace goes on in its publish
        # span), and it polls fifty times a second when idle: none is made a span at all.
        with suppress_instrumentation():
            await self._run(stop)

    async def _run(self, stop: asyncio.Event) -> None:
        self.status.standby()
        async with sole_worker(self._pool, LEASE, stop) as lease:
            if lease is None:
                return
            self.status.working()
            async with Wakeup(self._pool, CHANNEL, self._safety_poll) as wakeup:
                await self._relay_while_held(lease, wakeup, stop)

    async def _relay_while_held(self, lease: Lease, wakeup: Wakeup, stop: asyncio.Event) -> None:
        """Relay what is queued, then sleep until the append notifies (or the safety poll)."""
        while not stop.is_set():
            lease.check()
            # Cleared before reading: an append committed after the read wakes the wait.
            wakeup.clear()
            try:
                relayed = await self.relay_once(lease)
            except Exception as error:
                self.status.retrying(error)
                log.warning("outbox relay failed; retrying: %r", error)
                await asyncio.sleep(1.0)
                continue
            self.status.working()
            await self._count_backlog()
            if relayed < self._batch_size:
                await wakeup.wait(stop, lease.lost)

    async def _count_backlog(self) -> None:
        """kommunplan.outbox.backlog and .oldest_age, every few seconds."""
        if time.monotonic() - self._counted < BACKLOG_SECONDS:
            return
        self._counted = time.monotonic()
        row = await self._pool.fetchrow(BACKLOG_SQL)
        assert row is not None
        counters = instruments()
        counters.outbox_backlog.set(int(row["waiting"]))
        counters.outbox_oldest_age.set(float(row["oldest_age"] or 0.0))

    async def _vacuum_after_many(self, removed: int) -> None:
        self._removed += removed
        if self._vacuum_after <= 0 or self._removed < self._vacuum_after:
            return
        self._removed = 0
        try:
            # SKIP_LOCKED: never wait behind autovacuum or an operator's own.
            await self._pool.execute("VACUUM (SKIP_LOCKED) outbox")
        except asyncpg.PostgresError as error:
            # A role that may not vacuum (not the table's owner) leaves it to autovacuum.
            log.warning("the outbox is left to autovacuum: %s", error)
            self._vacuum_after = 0

    async def relay_once(self, lease: Lease) -> int:
        """Publish one batch and remove it from the outbox once JetStream acknowledged all.

        Only rows read while ``lease`` holds are published: a relay that lost its lock
        reads nothing. (One that loses it between reading and publishing sends what the
        new holder sends too; Nats-Msg-Id keeps those stored once, in the same order.)
        """
        started = time.perf_counter()
        rows = await self._pool.fetch(_SELECT_BATCH, self._batch_size, lease.name, lease.epoch)
        if not rows:
            return 0
        messages = []
        for row in rows:
            headers = {"Nats-Msg-Id": row["event_id"]}
            stored_context = {
                key: row[key] for key in ("traceparent", "tracestate") if row[key] is not None
            }
            subject = self._subject_for(row["event_type"])
            if not telemetry.worth_a_span(stored_context):
                # Not sampled: the stored context passes on unchanged, with its trace id.
                headers.update(stored_context)
                messages.append((subject, row["body"].encode(), headers))
                continue
            with self._tracer.start_as_current_span(
                f"publish {row['event_type']}",
                context=telemetry.extract(stored_context),
                kind=SpanKind.PRODUCER,
            ) as span:
                if span.is_recording():
                    span.set_attributes(
                        {
                            "messaging.system": "nats",
                            "messaging.operation.type": "send",
                            "messaging.destination.name": subject,
                            "messaging.message.id": row["event_id"],
                        }
                    )
                telemetry.inject(headers)
            messages.append((subject, row["body"].encode(), headers))
        lease.check()
        await self._publisher.publish(messages)
        await self._pool.execute(
            _DELETE_RELAYED, [r["position"] for r in rows], lease.name, lease.epoch
        )
        await self._vacuum_after_many(len(rows))
        logs.record(
            log,
            "batch",
            f"outbox: {len(rows)} published",
            message_id=rows[0]["event_id"] if len(rows) == 1 else None,
            trace_id=telemetry.trace_id_of(rows[0]["traceparent"]) if len(rows) == 1 else None,
            consumer=LEASE,
            messages=len(rows),
            first_position=rows[0]["position"],
            last_position=rows[-1]["position"],
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return len(rows)
