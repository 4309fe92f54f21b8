"""Ingest benchmark: actuals from a ledger system into the reporting read model.

Starts a stack of its own, exactly as ``kommunplan up`` does (embedded NATS and PostgreSQL,
the budget and reporting services each as its own process), in a temporary directory on
free ports, loads the demo organisation and then measures, on this machine:

1. a sequential baseline: the same payloads published to a plain file-storage JetStream
   stream (with acks), then, once all are stored, pulled back with a pull consumer acking
   each message, with no service in between (``raw_combined_per_second``);
2. a pipelined ceiling: the same payloads published to such a stream while a consumer on a
   connection of its own pulls them at once, keeping pull requests ahead on the server and
   acking each batch's last message; timed from the first publish until the server has
   confirmed the ack of the last message (``raw_pipelined_per_second``). Publisher and
   consumer share this process's one thread, so its CPU per message bounds this figure
   (``details.raw_pipelined.bench_cpu_us_per_message``);
3. throughput: N ``RecordActuals`` commands sent the way the ledger system "ekonomisystem"
   sends them, timed from the first publish until all N are visible in the read model,
   as a ratio to the ceiling (``ratio``, the same as ``ratio_to_pipelined``; the target
   judges it) and to the sequential baseline (``ratio_to_sequential``), with the CPU
   microseconds per event each of the stack's processes used meanwhile
   (``cpu_us_per_event``, their sum as ``total``; this process's own apart, as
   ``bench_cpu_us_per_event``);
4. latency: a steady rate of commands, each timed from publish to visible in the read model
   (``latency_ms``, its p99 also as ``p99_ms``), and the cores PostgreSQL kept busy
   meanwhile (``postgres_cores_at_rate``);
5. peak resident memory of every process, and CPU seconds and cores busy per phase and
   process, to see where time goes.

One JSON object goes to stdout, progress to stderr. The exit code is 1 when a correctness
check failed (events lost, rejected or duplicated); missed targets are only reported.

    python bench/ingest.py [--events N] [--rate R] [--latency-seconds S]
    python bench/ingest.py --telemetry [--events N] [--rounds R]   (bench/telemetry_cost.py)
"""

import argparse
import asyncio
import bisect
import json
import logging
import os
import random
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import psutil  # type: ignore[import-untyped, unused-ignore]
from harness import (
    ACK_TIMEOUT_SECONDS,
    BENCH_PROCESS,
    INBOUND_SUBJECT,
    SOURCE_SYSTEM,
    AckTally,
    PipelinedConsumer,
    ReadModel,
    RunningStack,
    add_loading_arguments,
    connect_bench,
    consume_all,
    cpu_us_per_event,
    cpu_used,
    git_state,
    load_budget_demo,
    percentile,
    publish_all,
    publish_one,
    run_on_stack,
    setup_logging,
    stored_problems,
    stream_state,
    wait_until_visible,
)
from ledger_actuals import PERIODS, Actuals, last_per_key, make_commands
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    StorageType,
    StreamConfig,
)

from contracts import subjects
from contracts.budget.commands import RecordActuals
from kommunplan.processes import SERVICES
from plumbing.service import calm_collector
from plumbing.settings import ServiceSettings

log = logging.getLogger("bench.ingest")


RAW_STREAM = "BENCH_RAW"
RAW_SUBJECT = f"bench.raw.{SOURCE_SYSTEM}.{RecordActuals.command_name}"  # as long as the real one
RAW_FILTER = f"bench.raw.{SOURCE_SYSTEM}.>"

# Met when the figure is at least the target (end_to_end_eps, ratio: end to end over the
# pipelined raw ceiling), at most it (rss_mb of each service, cpu_us_per_event in total) or
# below it (p99_ms and postgres_cores_at_rate, at the latency phase's steady rate).
TARGETS = {
    "end_to_end_eps": 5000,
    "ratio": 0.3,
    "p99_ms": 100,
    "rss_mb": 300,
    "cpu_us_per_event": 120,
    "postgres_cores_at_rate": 0.2,
}


@asynccontextmanager
async def raw_stream(js: JetStreamContext) -> AsyncIterator[None]:
    """A plain file-storage stream for the raw baselines, removed on leaving."""
    await js.add_stream(
        StreamConfig(
            name=RAW_STREAM,
            subjects=[RAW_FILTER],
            storage=StorageType.FILE,
            duplicate_window=600.0,  # as the inbound stream
        )
    )
    try:
        yield
    finally:
        await js.delete_stream(RAW_STREAM)


# --- The benchmark ---------------------------------------------------------------------------


@dataclass
class Bench:
    args: argparse.Namespace
    running: RunningStack
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        log.error("MISMATCH: %s", text)
        self.problems.append(text)

    async def run(self) -> dict[str, Any]:
        nc, js = await connect_bench(self.running, self.args.max_in_flight)
        budget_db = await asyncpg.connect(self.running.database_urls["budget"])
        try:
            units = await load_budget_demo(self.running, js)
            read_model = await ReadModel.open(self.running.database_urls["reporting"])
            try:
                return await self.measure(js, budget_db, read_model, units)
            finally:
                await read_model.close()
        finally:
            await budget_db.close()
            await nc.drain()

    async def measure(
        self,
        js: JetStreamContext,
        budget_db: asyncpg.Connection,
        read_model: ReadModel,
        units: list[str],
    ) -> dict[str, Any]:
        load_before = os.getloadavg()
        rng = random.Random(self.args.seed)
        n = self.args.events
        log.info("generating %d RecordActuals commands", n)
        commands = make_commands(n, units, rng)
        latency_count = round(self.args.rate * self.args.latency_seconds)
        latency_commands = make_commands(latency_count, units, rng)
        # As the services do before they serve. The commands made above are hundreds of
        # thousands of objects that live to the end; each full collection walked them all
        # again, a fifth of this process's CPU, in the ceiling it measures (where this
        # process is the bottleneck: 55-57 µs a message, 44 once frozen) as in the
        # throughput phase (62 µs an event, 41), and by how much moved with each run.
        calm_collector()

        raw = await self.raw_baseline(js, commands)
        pipelined = await self.raw_pipelined(js, commands)
        throughput = await self.throughput(js, budget_db, read_model, commands)
        await asyncio.sleep(1.0)  # let the stack settle before the steady stream
        latency = await self.latency(js, budget_db, read_model, latency_commands, n)
        if not await read_model.still_active():
            self.problem("the reporting generation changed during the run")

        rss_mb = self.running.monitor.peak_rss_mb()

        e2e = throughput["end_to_end_events_per_second"]
        ceiling = pipelined["raw_pipelined_per_second"]
        ratio = round(e2e / ceiling, 4)
        cpu_total = throughput["cpu_us_per_event"]["total"]
        postgres_cores = latency["cores_busy"]["postgres"]
        p99 = latency["p99"]
        service_rss = max(rss_mb[service] for service in SERVICES)
        return {
            "events": n,
            "elapsed_seconds": throughput["elapsed_seconds"],
            "end_to_end_events_per_second": e2e,
            **{key: value for key, value in raw.items() if key.endswith("_per_second")},
            "raw_pipelined_per_second": ceiling,
            "ratio": ratio,
            "ratio_to_pipelined": ratio,
            "ratio_to_sequential": round(e2e / raw["raw_combined_per_second"], 4),
            "cpu_us_per_event": throughput["cpu_us_per_event"],
            "bench_cpu_us_per_event": throughput["bench_cpu_us_per_event"],
            "postgres_cores_at_rate": postgres_cores,
            "p99_ms": p99,
            "latency_ms": latency,
            "rss_mb": rss_mb,
            "targets": TARGETS,
            "targets_met": {
                "end_to_end_eps": e2e >= TARGETS["end_to_end_eps"],
                "ratio": ratio >= TARGETS["ratio"],
                "p99_ms": p99 is not None and p99 < TARGETS["p99_ms"],
                "rss_mb": service_rss <= TARGETS["rss_mb"],
                "cpu_us_per_event": cpu_total <= TARGETS["cpu_us_per_event"],
                "postgres_cores_at_rate": postgres_cores < TARGETS["postgres_cores_at_rate"],
            },
            "problems": self.problems,
            "details": {
                "leaf_units": len(units),
                "distinct_keys": len(units) * len(PERIODS),
                "payload_bytes_mean": round(sum(len(c.body) for c in commands) / n, 1),
                "batch_size": self.args.batch_size or ServiceSettings().batch_size,
                "max_in_flight": self.args.max_in_flight,
                "cpu_count": psutil.cpu_count(),
                # The machine is shared: load averages (1, 5, 15 min) before and after.
                "load_average": {"before": load_before, "after": os.getloadavg()},
                "git": git_state(),
                "raw": raw,
                "raw_pipelined": pipelined,
                "throughput": throughput,
            },
        }

    async def raw_baseline(
        self, js: JetStreamContext, commands: Sequence[Actuals]
    ) -> dict[str, Any]:
        """The same payloads through JetStream alone: publish with acks, then pull them back."""
        n = len(commands)
        async with raw_stream(js):
            log.info("raw baseline: publishing %d messages to %s", n, RAW_STREAM)
            tally = AckTally()
            cpu_before = self.running.monitor.cpu_seconds()
            started = time.perf_counter()
            await publish_all(js, RAW_SUBJECT, commands, tally)
            publish_seconds = time.perf_counter() - started
            if tally.acked != n:
                self.problem(f"raw baseline: {tally} for {n} publishes")

            log.info("raw baseline: consuming them back")
            started = time.perf_counter()
            await asyncio.wait_for(
                consume_all(
                    js,
                    RAW_STREAM,
                    RAW_FILTER,
                    "bench-raw",
                    n,
                    self.args.batch_size or ServiceSettings().batch_size,
                ),
                ACK_TIMEOUT_SECONDS,
            )
            consume_seconds = time.perf_counter() - started
            cpu = cpu_used(
                cpu_before, self.running.monitor.cpu_seconds(), publish_seconds + consume_seconds
            )
        log.info("raw baseline: publish %.2fs, consume %.2fs", publish_seconds, consume_seconds)
        return {
            "raw_publish_per_second": round(n / publish_seconds, 1),
            "raw_consume_per_second": round(n / consume_seconds, 1),
            "raw_combined_per_second": round(n / (publish_seconds + consume_seconds), 1),
            "publish_seconds": round(publish_seconds, 3),
            "consume_seconds": round(consume_seconds, 3),
            **cpu,
        }

    async def raw_pipelined(
        self, js: JetStreamContext, commands: Sequence[Actuals]
    ) -> dict[str, Any]:
        """The same payloads through JetStream alone, published and pulled back at once: the
        ceiling for anything that sends them through a stream to a consumer.

        The publisher keeps up to ``--max-in-flight`` publishes unacknowledged (as for the
        services), the consumer, on a connection of its own, keeps ``--pipeline-window`` pull
        requests of ``--pipeline-batch`` messages ahead on the server and acks each batch's
        last message. Timed from the first publish until the server has confirmed the ack of
        the last message.
        """
        n = len(commands)
        consumer_nc, consumer_js = await connect_bench(self.running, self.args.max_in_flight)
        try:
            async with raw_stream(js):
                consumer = PipelinedConsumer(
                    consumer_nc,
                    consumer_js,
                    RAW_STREAM,
                    "bench-pipelined",
                    n,
                    self.args.pipeline_batch,
                    self.args.pipeline_window,
                )
                await consumer.start(RAW_FILTER)
                log.info("raw pipelined: publishing %d messages while consuming them", n)
                cpu_before = self.running.monitor.cpu_seconds()
                started = time.perf_counter()
                # No tally of the acks: the stream's state is checked instead.
                publisher = asyncio.create_task(publish_all(js, RAW_SUBJECT, commands, None))
                published_at: list[float] = []
                publisher.add_done_callback(lambda _: published_at.append(time.perf_counter()))
                try:
                    finished = await asyncio.wait_for(consumer.done, ACK_TIMEOUT_SECONDS)
                    cpu_after = self.running.monitor.cpu_seconds()
                    await publisher
                finally:
                    if not publisher.done():
                        publisher.cancel()
                    await asyncio.gather(publisher, return_exceptions=True)
                    await consumer.stop()
                held, last_seq = await stream_state(js, RAW_STREAM)
        finally:
            await consumer_nc.drain()
        if (held, last_seq) != (n, n):
            self.problem(f"raw pipelined: the stream holds {held} messages up to {last_seq}")
        if consumer.received != n or consumer.last_stream_sequence != n:
            self.problem(
                f"raw pipelined: {consumer.received} of {n} messages consumed, the last at"
                f" stream sequence {consumer.last_stream_sequence}"
            )
        seconds = finished - started
        cpu = cpu_used(cpu_before, cpu_after, seconds)
        bench_cpu = cpu_after[BENCH_PROCESS] - cpu_before[BENCH_PROCESS]
        log.info("raw pipelined: %d messages in %.2fs (%.0f/s)", n, seconds, n / seconds)
        return {
            "raw_pipelined_per_second": round(n / seconds, 1),
            "seconds": round(seconds, 3),
            "published_seconds": round(published_at[0] - started, 3),
            "pipeline_batch": self.args.pipeline_batch,
            "pipeline_window": self.args.pipeline_window,
            # Publisher and consumer share this process's one thread: its CPU per message
            # bounds the ceiling at 1e6 / this per second, with a core to itself.
            "bench_cpu_us_per_message": round(bench_cpu * 1e6 / n, 1),
            **cpu,
        }

    async def throughput(
        self,
        js: JetStreamContext,
        budget_db: asyncpg.Connection,
        read_model: ReadModel,
        commands: Sequence[Actuals],
    ) -> dict[str, Any]:
        n = len(commands)
        initial_events, _ = await stream_state(js, subjects.BUDGET_EVENTS_STREAM)
        initial_inbound, _ = await stream_state(js, subjects.BUDGET_INBOUND_STREAM)
        log.info("throughput: publishing %d commands on %s", n, INBOUND_SUBJECT)
        tally = AckTally()
        cpu_before = self.running.monitor.cpu_seconds()
        started = time.perf_counter()
        publisher = asyncio.create_task(publish_all(js, INBOUND_SUBJECT, commands, tally))
        published_at: list[float] = []
        publisher.add_done_callback(lambda _: published_at.append(time.perf_counter() - started))
        try:
            visible = await wait_until_visible(
                js,
                read_model,
                initial_events + n,
                started,
                self.running.stack.check_alive,
                self.args.stall_seconds,
                label="throughput",
            )
        finally:
            if not publisher.done():
                publisher.cancel()
            await asyncio.gather(publisher, return_exceptions=True)
        if publisher.cancelled() or publisher.exception() is not None:
            self.problem(f"throughput: publishing did not finish: {publisher!r}")
        elapsed = visible.elapsed
        cpu_after = self.running.monitor.cpu_seconds()
        cpu = cpu_used(cpu_before, cpu_after, elapsed)
        log.info("throughput: %d events visible after %.2fs (%.0f/s)", n, elapsed, n / elapsed)

        if not visible.complete:
            self.problem(
                f"throughput: only {visible.messages - initial_events} of {n} events stored"
                f" and projected up to sequence {visible.tracking} of {visible.last_seq}"
            )
        if tally.acked != n:
            self.problem(f"throughput: publishes {tally} for {n} commands")
        inbound, _ = await stream_state(js, subjects.BUDGET_INBOUND_STREAM)
        if inbound - initial_inbound != n:
            self.problem(f"throughput: inbound stream grew by {inbound - initial_inbound}, not {n}")
        await self.check_stored(js, budget_db, n, "throughput")
        expected = last_per_key(commands)
        actual = await read_model.actuals()
        wrong = [key for key, amounts in expected.items() if actual.get(key) != amounts]
        if wrong or len(actual) != len(expected):
            self.problem(
                f"throughput: read model has {len(actual)} actuals rows for {len(expected)} keys;"
                f" {len(wrong)} keys differ from the last command sent (e.g. {wrong[:3]})"
            )
        return {
            "elapsed_seconds": round(elapsed, 3),
            "end_to_end_events_per_second": round(n / elapsed, 1),
            "timeline_seconds": {
                # Observed at the ~50 ms poll: when every command was acked by the inbound
                # stream, when the budget service had stored (and relayed) every event, and
                # when the reporting service had projected them all.
                "published": round(published_at[0], 3) if published_at else None,
                "stored_and_relayed": None
                if visible.stored_at is None
                else round(visible.stored_at, 3),
                "projected": round(elapsed, 3),
            },
            "read_model_rows": len(actual),
            **cpu,
            **cpu_us_per_event(cpu_before, cpu_after, n),
        }

    async def check_stored(
        self, js: JetStreamContext, budget_db: asyncpg.Connection, expected: int, label: str
    ) -> None:
        for problem in await stored_problems(js, budget_db, expected, label):
            self.problem(problem)

    async def latency(
        self,
        js: JetStreamContext,
        budget_db: asyncpg.Connection,
        read_model: ReadModel,
        commands: Sequence[Actuals],
        stored_before: int,
    ) -> dict[str, Any]:
        """Publish to visible, per event, at a steady rate.

        Method: the projection stores its tracking sequence in the same transaction as the
        rows of a batch, so once a poll reads tracking >= s, the event at BUDGET_EVENTS
        sequence s is visible to readers, and not before. We poll tracking every
        ``poll_ms`` and log (time the poll returned, sequence) at each change. Afterwards we
        read the stream from the phase's first sequence and map each event to its command
        through the envelope's correlation_id (the budget service sets it to the command's
        message_id). Visible time = the first poll that saw tracking >= the event's sequence,
        so a latency is overstated by at most one poll interval plus one query. Publish time
        is the event's scheduled send time (not the moment the loop got round to it), so a
        publisher running late cannot hide latency (no coordinated omission).
        """
        rate, n = self.args.rate, len(commands)
        messages, last_seq = await stream_state(js, subjects.BUDGET_EVENTS_STREAM)
        first_seq, expected_messages = last_seq + 1, messages + n
        poll = self.args.poll_ms / 1000
        # A connection of its own: asyncpg runs one query at a time per connection, and
        # wait_until_visible queries the read model meanwhile.
        poll_model = await ReadModel.open(self.running.database_urls["reporting"])
        polls: list[tuple[float, int]] = [(time.perf_counter(), await poll_model.tracking())]
        stop_polling = asyncio.Event()
        poll_until: list[int] = []  # the stream's last sequence, once everything is in

        async def poll_tracking() -> None:
            while not stop_polling.is_set():
                sequence = await poll_model.tracking()
                if sequence != polls[-1][1]:
                    polls.append((time.perf_counter(), sequence))
                if poll_until and sequence >= poll_until[0]:
                    return
                await asyncio.sleep(poll)

        log.info("latency: %d commands at %g/s", n, rate)
        scheduled: dict[str, float] = {}
        tally = AckTally()
        cpu_before = self.running.monitor.cpu_seconds()
        poller = asyncio.create_task(poll_tracking())
        started = time.perf_counter() + 0.05
        max_lag = 0.0
        try:
            for i, command in enumerate(commands):
                due = started + i / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                max_lag = max(max_lag, time.perf_counter() - due)
                scheduled[command.message_id] = due
                await publish_one(js, INBOUND_SUBJECT, command, tally)
            publish_seconds = time.perf_counter() - started
            await asyncio.wait_for(js.publish_async_completed(), ACK_TIMEOUT_SECONDS)
            visible = await wait_until_visible(
                js,
                read_model,
                expected_messages,
                started,
                self.running.stack.check_alive,
                self.args.stall_seconds,
                label="latency",
            )
            if visible.complete:
                # The poller sees what wait_until_visible saw within one interval.
                poll_until.append(visible.last_seq)
                await asyncio.wait_for(poller, 5.0)
        finally:
            stop_polling.set()
            await asyncio.gather(poller, return_exceptions=True)
            await poll_model.close()
        cpu = cpu_used(cpu_before, self.running.monitor.cpu_seconds(), visible.elapsed)
        if not visible.complete:
            self.problem(
                f"latency: events stream holds {visible.messages}, expected"
                f" {expected_messages}; projected up to {visible.tracking}"
            )
        if tally.acked != n:
            self.problem(f"latency: publishes {tally} for {n} commands")
        await self.check_stored(js, budget_db, stored_before + n, "latency")

        events = await read_events(js, first_seq, visible.last_seq)
        poll_times = [t for t, _ in polls]
        poll_sequences = [s for _, s in polls]
        latencies = []
        for sequence, message_id in events:
            published = scheduled.pop(message_id, None)
            if published is None:
                self.problem(f"latency: event {sequence} caused by unknown message {message_id}")
                continue
            index = bisect.bisect_left(poll_sequences, sequence)
            if index == len(polls):
                continue  # never seen visible; reported by the completeness check
            latencies.append((poll_times[index] - published) * 1000)
        if scheduled or len(latencies) != n:
            self.problem(f"latency: {len(latencies)} of {n} events matched to their publish")
        latencies.sort()
        log.info(
            "latency: p50 %.0f ms, p99 %.0f ms",
            percentile(latencies, 50) or 0,
            percentile(latencies, 99) or 0,
        )
        return {
            "rate": rate,
            "events": n,
            "duration_seconds": round(publish_seconds, 2),
            "achieved_rate": round(n / publish_seconds, 1),
            "publisher_max_lag_ms": round(max_lag * 1000, 1),
            "poll_ms": self.args.poll_ms,
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99),
            "max": round(latencies[-1], 1) if latencies else None,
            **cpu,
        }


async def read_events(js: JetStreamContext, first: int, last: int) -> list[tuple[int, str]]:
    """(sequence, correlation_id) of every BUDGET_EVENTS message from ``first`` to ``last``."""
    if last < first:
        return []
    sub = await js.pull_subscribe(
        subjects.BUDGET_EVENTS_SUBJECTS,
        stream=subjects.BUDGET_EVENTS_STREAM,
        config=ConsumerConfig(
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=first,
            ack_policy=AckPolicy.NONE,
            inactive_threshold=30.0,
        ),
    )
    events: list[tuple[int, str]] = []
    try:
        while not events or events[-1][0] < last:
            for msg in await sub.fetch(1000, timeout=5):
                envelope = json.loads(msg.data)["envelope"]
                events.append((msg.metadata.sequence.stream, envelope["correlation_id"]))
    finally:
        await sub.unsubscribe()
    return [event for event in events if event[0] <= last]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000, help="commands for throughput")
    parser.add_argument("--rate", type=float, default=500.0, help="events/s for latency")
    parser.add_argument("--latency-seconds", type=float, default=20.0)
    parser.add_argument("--poll-ms", type=float, default=10.0, help="latency poll interval")
    parser.add_argument(
        "--pipeline-batch", type=int, default=1000, help="messages per pull request (ceiling)"
    )
    parser.add_argument(
        "--pipeline-window", type=int, default=8, help="pull requests kept ahead (ceiling)"
    )
    parser.add_argument(
        "--telemetry",
        action="store_true",
        help="measure throughput with metrics and tracing off and on instead (telemetry_cost)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="off/on pairs with --telemetry")
    add_loading_arguments(parser, stall_seconds=60.0)
    args = parser.parse_args(argv)
    if args.events < 1 or args.rate <= 0 or args.latency_seconds <= 0:
        parser.error("--events, --rate and --latency-seconds must be positive")
    if args.pipeline_batch < 1 or args.pipeline_window < 1:
        parser.error("--pipeline-batch and --pipeline-window must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_logging(log)
    if args.telemetry:
        from telemetry_cost import measure

        report = measure(Bench, args)
        print(json.dumps(report, indent=2))
        return 0
    return run_on_stack(lambda running: Bench(args, running).run(), args.batch_size)


if __name__ == "__main__":
    sys.exit(main())
