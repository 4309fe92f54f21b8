"""Ingest benchmark: actuals from a ledger system into the reporting read model.

Starts a stack of its own, exactly as ``kommunplan up`` does (embedded NATS and PostgreSQL,
the budget and reporting services each as its own process), in a temporary directory on
free ports, loads the demo organisation and then measures, on this machine:

1. throughput: N ``RecordActuals`` commands sent the way the ledger system "ekonomisystem"
   sends them, timed from the first publish until all N are visible in the read model;
2. a baseline: the same payloads published to a plain JetStream stream and consumed back
   with a pull consumer, with no service in between;
3. latency: a steady rate of commands, each timed from publish to visible in the read model;
4. peak resident memory of every process (and CPU seconds per phase, to see where time goes).

One JSON object goes to stdout, progress to stderr. The exit code is 1 when a correctness
check failed (events lost, rejected or duplicated); missed targets are only reported.

    python bench/ingest.py [--events N] [--rate R] [--latency-seconds S]
"""

import argparse
import asyncio
import bisect
import json
import logging
import math
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import bcrypt
import nats
import psutil  # type: ignore[import-untyped, unused-ignore]
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    PubAck,
    StorageType,
    StreamConfig,
)
from pydantic import SecretStr

from contracts import subjects
from contracts.budget.commands import RecordActuals
from kommunplan.demo import DEMO_SYSTEM, demo_unit_count, load_demo
from kommunplan.processes import SERVICES
from kommunplan.stack import Stack, http_get_json
from plumbing.embedded import EmbeddedNats, free_port
from plumbing.nats_users import (
    SERVICE_USERS,
    Permissions,
    all_permissions,
    authorization,
    inbox_prefix,
    literal,
)
from plumbing.settings import ServiceSettings, StackSettings

log = logging.getLogger("bench.ingest")

SOURCE_SYSTEM = DEMO_SYSTEM  # "ekonomisystem", the ledger
INBOUND_SUBJECT = subjects.budget_inbound(SOURCE_SYSTEM, RecordActuals.command_name)
ACTOR = "ekonomisystem-import"
PERIODS = tuple(f"{year}-{month:02d}" for year in (2011, 2012) for month in range(1, 13))

RAW_STREAM = "BENCH_RAW"
RAW_SUBJECT = f"bench.raw.{SOURCE_SYSTEM}.{RecordActuals.command_name}"  # as long as the real one
RAW_FILTER = f"bench.raw.{SOURCE_SYSTEM}.>"

TARGETS = {"end_to_end_eps": 5000, "ratio": 0.3, "p99_ms": 500, "rss_mb": 300}

ACK_TIMEOUT_SECONDS = 120.0
MB = 1024 * 1024


# --- Commands --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actuals:
    """One RecordActuals command as the ledger sends it: its id, its key, its JSON."""

    message_id: str
    unit_code: str
    period: str
    revenue: Decimal
    costs: Decimal
    body: bytes

    @property
    def key(self) -> tuple[str, str]:
        return self.unit_code, self.period


def _amount(rng: random.Random, max_kronor: int) -> Decimal:
    return Decimal(rng.randrange(0, max_kronor * 100)).scaleb(-2)  # exact, to the öre


def make_commands(count: int, units: Sequence[str], rng: random.Random) -> list[Actuals]:
    """``count`` commands cycling through every (unit, month) key; the last per key wins."""
    keys = [(unit, period) for period in PERIODS for unit in units]
    commands = []
    for i in range(count):
        unit, period = keys[i % len(keys)]
        revenue, costs = _amount(rng, 5_000_000), -_amount(rng, 8_000_000)
        command = RecordActuals(
            message_id=uuid4(),
            actor=ACTOR,
            unit_code=unit,
            period=period,
            revenue=str(revenue),  # type: ignore[arg-type]  # strings are how amounts travel
            costs=str(costs),  # type: ignore[arg-type]
        )
        commands.append(
            Actuals(
                str(command.message_id),
                unit,
                period,
                revenue,
                costs,
                command.model_dump_json().encode(),
            )
        )
    return commands


def last_per_key(commands: Sequence[Actuals]) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    return {c.key: (c.revenue, c.costs) for c in commands}


# --- Publishing ------------------------------------------------------------------------------


@dataclass
class AckTally:
    acked: int = 0
    duplicates: int = 0
    errors: int = 0
    first_error: str | None = None

    def record(self, future: "asyncio.Future[PubAck]") -> None:
        error = future.exception() if not future.cancelled() else asyncio.CancelledError()
        if error is not None:
            self.errors += 1
            self.first_error = self.first_error or repr(error)
        elif future.result().duplicate:
            self.duplicates += 1
        else:
            self.acked += 1


async def publish_one(
    js: JetStreamContext, subject: str, command: Actuals, tally: AckTally
) -> None:
    # publish_async waits while the JetStream context already has its maximum of
    # unacknowledged publishes in flight (publish_async_max_pending): the bound on acks.
    future = await js.publish_async(
        subject, command.body, headers={"Nats-Msg-Id": command.message_id}
    )
    future.add_done_callback(tally.record)


async def publish_all(
    js: JetStreamContext, subject: str, commands: Sequence[Actuals], tally: AckTally
) -> None:
    for command in commands:
        await publish_one(js, subject, command, tally)
    await asyncio.wait_for(js.publish_async_completed(), ACK_TIMEOUT_SECONDS)


async def consume_all(js: JetStreamContext, count: int, batch_size: int) -> None:
    """Pull ``count`` messages back from the raw stream in batches, acking each message.

    Deliberately not plumbing.jetstream.pull_batches: the baseline is JetStream and its
    Python client alone, and must not change when the services' pull loop does. The
    consumer is configured like the services' (explicit acks, the same ack-pending bound).
    """
    sub = await js.pull_subscribe(
        RAW_FILTER,
        durable="bench-raw",
        stream=RAW_STREAM,
        config=ConsumerConfig(
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=30.0,
            max_ack_pending=max(batch_size * 4, 1000),
        ),
    )
    received = 0
    try:
        while received < count:
            try:
                msgs = await sub.fetch(batch_size, timeout=0.5)
            except TimeoutError:  # nats' own TimeoutError derives from it
                continue
            for msg in msgs:
                await msg.ack()
            received += len(msgs)
    finally:
        await sub.unsubscribe()


# --- Observing the system ---------------------------------------------------------------------


async def stream_state(js: JetStreamContext, stream: str) -> tuple[int, int]:
    """(messages held, last sequence) of a stream."""
    state = (await js.stream_info(stream)).state
    return int(state.messages), int(state.last_seq)


class ReadModel:
    """The reporting service's active generation, read the way its views read it."""

    def __init__(self, conn: asyncpg.Connection, schema: str) -> None:
        self.conn = conn
        self.schema = schema
        self._tracking_sql = f"SELECT sequence FROM {schema}.tracking WHERE stream = $1"

    @classmethod
    async def open(cls, url: str) -> "ReadModel":
        conn = await asyncpg.connect(url)
        generation = await conn.fetchval(
            "SELECT generation FROM projection_active WHERE projection = 'reporting'"
        )
        if generation is None:
            await conn.close()
            raise RuntimeError("the reporting service has no active generation yet")
        return cls(conn, f"reporting_g{generation}")

    async def tracking(self) -> int:
        """Last BUDGET_EVENTS sequence whose batch has committed into the read model."""
        value = await self.conn.fetchval(self._tracking_sql, subjects.BUDGET_EVENTS_STREAM)
        return int(value) if value is not None else 0

    async def actuals(self) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
        rows = await self.conn.fetch(
            f"SELECT unit_code, period, revenue, costs FROM {self.schema}.actuals"
        )
        return {(r["unit_code"], r["period"]): (r["revenue"], r["costs"]) for r in rows}

    async def still_active(self) -> bool:
        generation = await self.conn.fetchval(
            "SELECT generation FROM projection_active WHERE projection = 'reporting'"
        )
        return f"reporting_g{generation}" == self.schema

    async def close(self) -> None:
        await self.conn.close()


@dataclass
class Visibility:
    """How waiting for the read model ended, with when each stage was reached."""

    complete: bool
    elapsed: float  # until everything was visible, or until we gave up
    stored_at: float | None  # the events stream held all expected events
    messages: int
    tracking: int
    last_seq: int


async def wait_until_visible(
    js: JetStreamContext,
    read_model: ReadModel,
    expected_messages: int,
    started: float,
    check_alive: Callable[[], None],
    stall_seconds: float,
    poll_seconds: float = 0.05,
    label: str = "",
) -> Visibility:
    """Poll until BUDGET_EVENTS holds ``expected_messages`` and the projection's tracking
    sequence has reached the stream's last sequence (both read at the same poll)."""
    stored_at: float | None = None
    progress, progress_at = (-1, -1), time.perf_counter()
    reported = progress_at
    while True:
        check_alive()
        messages, last_seq = await stream_state(js, subjects.BUDGET_EVENTS_STREAM)
        tracking = await read_model.tracking()
        now = time.perf_counter()
        if stored_at is None and messages >= expected_messages:
            stored_at = now - started
        if messages >= expected_messages and tracking >= last_seq:
            return Visibility(True, now - started, stored_at, messages, tracking, last_seq)
        if (messages, tracking) != progress:
            progress, progress_at = (messages, tracking), now
        elif now - progress_at > stall_seconds:
            log.error("%s: no progress for %.0fs; giving up", label, stall_seconds)
            return Visibility(False, now - started, stored_at, messages, tracking, last_seq)
        if now - reported >= 2.0:
            reported = now
            log.info(
                "%s: %.1fs events stream %d/%d, projected up to sequence %d of %d",
                label,
                now - started,
                messages,
                expected_messages,
                tracking,
                last_seq,
            )
        await asyncio.sleep(poll_seconds)


# --- Processes: memory and CPU ---------------------------------------------------------------


def _postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postgres" / "postmaster.pid").read_text().splitlines()[0])


def _nats_server_pid() -> int:
    for child in psutil.Process().children():
        if child.name() == "nats-server":
            return int(child.pid)
    raise RuntimeError("nats-server is not a child of this process")


class ProcessMonitor:
    """Samples the RSS of every process of the stack in a thread; takes CPU snapshots.

    PostgreSQL is a postmaster with a process per connection; its figure is the sum over
    them, which counts shared buffers more than once (for information only).
    """

    def __init__(self, pids: dict[str, int], postmaster: int, interval: float = 0.2) -> None:
        self._processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self._processes["bench"] = psutil.Process()
        self._postmaster = psutil.Process(postmaster)
        self._interval = interval
        self.peak_rss: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _postgres(self) -> list[psutil.Process]:
        return [self._postmaster, *self._postmaster.children(recursive=True)]

    def _sample(self) -> None:
        rss = {}
        for name, process in self._processes.items():
            rss[name] = process.memory_info().rss
        total = 0
        for process in self._postgres():
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        rss["postgres_sum"] = total
        for name, value in rss.items():
            self.peak_rss[name] = max(self.peak_rss.get(name, 0), value)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._sample()
            except psutil.Error:
                pass  # a process is going away; the run will notice
            self._stop.wait(self._interval)

    def start(self) -> None:
        self._sample()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)

    def high_water_marks(self) -> dict[str, int]:
        """The kernel's own peak RSS (VmHWM) of each single process, in bytes."""
        marks = {}
        for name, process in self._processes.items():
            status = Path(f"/proc/{process.pid}/status").read_text()
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    marks[name] = int(line.split()[1]) * 1024
        return marks

    def cpu_seconds(self) -> dict[str, float]:
        """User + system CPU seconds used so far by each process."""
        seconds = {}
        for name, process in self._processes.items():
            times = process.cpu_times()
            seconds[name] = times.user + times.system
        times = self._postmaster.cpu_times()
        # Exited backends are counted in the postmaster's children_* times.
        total = times.user + times.system + times.children_user + times.children_system
        for process in self._postmaster.children(recursive=True):
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        seconds["postgres"] = total
        return seconds


def cpu_used(before: dict[str, float], after: dict[str, float], wall: float) -> dict[str, Any]:
    used = {name: after[name] - before[name] for name in after}
    return {
        "cpu_seconds": {name: round(value, 2) for name, value in used.items()},
        "cores_busy": {name: round(value / wall, 2) for name, value in used.items()},
    }


# The benchmark's own user on its NATS: it declares and reads the raw baseline's stream,
# which no user of the system may. The system's users are those `kommunplan up` makes.
BENCH_USER = "bench"


@dataclass(frozen=True)
class NatsUsers:
    passwords: dict[str, str]

    def connect_options(self, user: str) -> dict[str, Any]:
        return {
            "user": user,
            "password": self.passwords[user],
            "inbox_prefix": inbox_prefix(user),
        }


def start_nats(data_dir: Path, port: int) -> tuple[EmbeddedNats, NatsUsers]:
    """NATS with the system's users and permissions, plus the benchmark's own user.

    The services get their users as for servers of one's own
    (KOMMUNPLAN_<SERVICE>_NATS_USER and _PASSWORD in the environment they inherit).
    """
    users = all_permissions([SOURCE_SYSTEM])
    users[BENCH_USER] = Permissions(publish=(">",), subscribe=(">",))
    passwords = {user: secrets.token_urlsafe(24) for user in users}
    hashes = {
        user: literal(bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode())
        for user, password in passwords.items()
    }
    config = data_dir / "nats.conf"
    config.write_text(authorization(hashes, users), encoding="utf-8")
    for service in SERVICE_USERS:
        prefix = f"KOMMUNPLAN_{service.upper().replace('-', '_')}_NATS_"
        os.environ[prefix + "USER"] = service
        os.environ[prefix + "PASSWORD"] = passwords[service]
    server = EmbeddedNats(data_dir / "nats", port, config)
    server.start()
    return server, NatsUsers(passwords)


# --- The benchmark ---------------------------------------------------------------------------


@dataclass
class Bench:
    args: argparse.Namespace
    stack: Stack
    nats_url: str
    database_urls: dict[str, str]
    monitor: ProcessMonitor
    users: NatsUsers
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        log.error("MISMATCH: %s", text)
        self.problems.append(text)

    async def run(self) -> dict[str, Any]:
        # One user for the commands on the ledger's subjects, the stream checks and the raw
        # baseline alike, so both sides of the ratio pay the same permission checks.
        nc = await nats.connect(
            self.nats_url, name="bench", **self.users.connect_options(BENCH_USER)
        )
        js = nc.jetstream(timeout=10, publish_async_max_pending=self.args.max_in_flight)
        budget_db = await asyncpg.connect(self.database_urls["budget"])
        try:
            units = await self.load_demo(js)
            read_model = await ReadModel.open(self.database_urls["reporting"])
            try:
                return await self.measure(js, budget_db, read_model, units)
            finally:
                await read_model.close()
        finally:
            await budget_db.close()
            await nc.drain()

    async def load_demo(self, js: JetStreamContext) -> list[str]:
        sent = await load_demo(self.nats_url, SecretStr(self.users.passwords[SOURCE_SYSTEM]))
        log.info("demo: %d commands sent; waiting for them to be projected", sent)
        deadline = time.monotonic() + 120
        while True:
            self.stack.check_alive()
            messages, last_seq = await stream_state(js, subjects.BUDGET_EVENTS_STREAM)
            rejected, _ = await stream_state(js, subjects.BUDGET_REJECTED_STREAM)
            if rejected:
                raise RuntimeError(f"{rejected} demo commands were rejected")
            if messages >= sent:
                try:
                    read_model = await ReadModel.open(self.database_urls["reporting"])
                except RuntimeError:
                    read_model = None
                if read_model is not None:
                    tracking = await read_model.tracking()
                    await read_model.close()
                    if tracking >= last_seq:
                        break
            if time.monotonic() > deadline:
                raise RuntimeError("the demo was not projected within 120s")
            await asyncio.sleep(0.2)
        plan = await asyncio.to_thread(
            http_get_json, f"{self.stack.url('reporting')}/api/plan/KS/2011"
        )
        if not isinstance(plan, dict) or len(plan.get("nodes", [])) < demo_unit_count():
            raise RuntimeError("the demo plan is not complete in the reporting service")
        units = await asyncio.to_thread(http_get_json, f"{self.stack.url('budget')}/api/units")
        assert isinstance(units, list)
        parents = {u["parent_code"] for u in units}
        leaves = sorted(u["code"] for u in units if u["code"] not in parents and not u["closed_on"])
        log.info("demo projected; %d leaf units: %s", len(leaves), " ".join(leaves))
        return leaves

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

        raw = await self.raw_baseline(js, commands)
        throughput = await self.throughput(js, budget_db, read_model, commands)
        await asyncio.sleep(1.0)  # let the stack settle before the steady stream
        latency = await self.latency(js, budget_db, read_model, latency_commands, n)
        if not await read_model.still_active():
            self.problem("the reporting generation changed during the run")

        marks = self.monitor.high_water_marks()
        peaks = dict(self.monitor.peak_rss)
        for name, mark in marks.items():
            peaks[name] = max(peaks.get(name, 0), mark)
        rss_mb = {name: round(value / MB, 1) for name, value in sorted(peaks.items())}

        e2e = throughput["end_to_end_events_per_second"]
        ratio = e2e / raw["raw_combined_per_second"]
        p99 = latency["p99"]
        service_rss = max(rss_mb[service] for service in SERVICES)
        return {
            "events": n,
            "elapsed_seconds": throughput["elapsed_seconds"],
            "end_to_end_events_per_second": e2e,
            **{key: value for key, value in raw.items() if key.endswith("_per_second")},
            "ratio": round(ratio, 4),
            "latency_ms": latency,
            "rss_mb": rss_mb,
            "targets": TARGETS,
            "targets_met": {
                "end_to_end_eps": e2e >= TARGETS["end_to_end_eps"],
                "ratio": ratio >= TARGETS["ratio"],
                "p99_ms": p99 is not None and p99 <= TARGETS["p99_ms"],
                "rss_mb": service_rss <= TARGETS["rss_mb"],
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
                "throughput": throughput,
            },
        }

    async def raw_baseline(
        self, js: JetStreamContext, commands: Sequence[Actuals]
    ) -> dict[str, Any]:
        """The same payloads through JetStream alone: publish with acks, then pull them back."""
        n = len(commands)
        await js.add_stream(
            StreamConfig(
                name=RAW_STREAM,
                subjects=[RAW_FILTER],
                storage=StorageType.FILE,
                duplicate_window=600.0,  # as the inbound stream
            )
        )
        try:
            log.info("raw baseline: publishing %d messages to %s", n, RAW_STREAM)
            tally = AckTally()
            cpu_before = self.monitor.cpu_seconds()
            started = time.perf_counter()
            await publish_all(js, RAW_SUBJECT, commands, tally)
            publish_seconds = time.perf_counter() - started
            if tally.acked != n:
                self.problem(f"raw baseline: {tally} for {n} publishes")

            log.info("raw baseline: consuming them back")
            started = time.perf_counter()
            await asyncio.wait_for(
                consume_all(js, n, self.args.batch_size or ServiceSettings().batch_size),
                ACK_TIMEOUT_SECONDS,
            )
            consume_seconds = time.perf_counter() - started
            cpu = cpu_used(
                cpu_before, self.monitor.cpu_seconds(), publish_seconds + consume_seconds
            )
        finally:
            await js.delete_stream(RAW_STREAM)
        log.info("raw baseline: publish %.2fs, consume %.2fs", publish_seconds, consume_seconds)
        return {
            "raw_publish_per_second": round(n / publish_seconds, 1),
            "raw_consume_per_second": round(n / consume_seconds, 1),
            "raw_combined_per_second": round(n / (publish_seconds + consume_seconds), 1),
            "publish_seconds": round(publish_seconds, 3),
            "consume_seconds": round(consume_seconds, 3),
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
        cpu_before = self.monitor.cpu_seconds()
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
                self.stack.check_alive,
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
        cpu = cpu_used(cpu_before, self.monitor.cpu_seconds(), elapsed)
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
        }

    async def check_stored(
        self, js: JetStreamContext, budget_db: asyncpg.Connection, expected: int, label: str
    ) -> None:
        stored = await budget_db.fetchval(
            "SELECT count(*) FROM events WHERE event_type = 'ActualsRecorded'"
        )
        if stored != expected:
            self.problem(f"{label}: {stored} ActualsRecorded events stored, expected {expected}")
        rejected, _ = await stream_state(js, subjects.BUDGET_REJECTED_STREAM)
        if rejected:
            self.problem(f"{label}: {rejected} messages on {subjects.BUDGET_REJECTED_STREAM}")

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
        poll_model = await ReadModel.open(self.database_urls["reporting"])
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
        cpu_before = self.monitor.cpu_seconds()
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
                self.stack.check_alive,
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
        cpu = cpu_used(cpu_before, self.monitor.cpu_seconds(), visible.elapsed)
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
            _percentile(latencies, 50) or 0,
            _percentile(latencies, 99) or 0,
        )
        return {
            "rate": rate,
            "events": n,
            "duration_seconds": round(publish_seconds, 2),
            "achieved_rate": round(n / publish_seconds, 1),
            "publisher_max_lag_ms": round(max_lag * 1000, 1),
            "poll_ms": self.args.poll_ms,
            "p50": _percentile(latencies, 50),
            "p95": _percentile(latencies, 95),
            "p99": _percentile(latencies, 99),
            "max": round(latencies[-1], 1) if latencies else None,
            **cpu,
        }


def _percentile(sorted_values: Sequence[float], percent: float) -> float | None:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return round(sorted_values[rank - 1], 1)


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


# --- Starting and stopping the stack ---------------------------------------------------------


def start_stack(stack: Stack) -> tuple[str, dict[str, str]]:
    """Servers, databases and service processes, as ``kommunplan up`` starts them."""
    log.info("starting NATS and PostgreSQL in %s", stack.data_dir)
    nats_url, database_urls = stack.start(wait_seconds=60)
    log.info("services are up: %s", ", ".join(stack.url(s) for s in SERVICES))
    return nats_url, database_urls


def git_state() -> dict[str, Any]:
    """Which code was measured: the commit, and whether tracked files differ from it."""
    here = Path(__file__).resolve().parent

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=here, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        return {
            "commit": git("rev-parse", "--short", "HEAD"),
            "modified_files": git("status", "--porcelain", "--untracked-files=no").splitlines(),
        }
    except (OSError, subprocess.CalledProcessError):
        return {}


def _terminate(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000, help="commands for throughput")
    parser.add_argument("--rate", type=float, default=500.0, help="events/s for latency")
    parser.add_argument("--latency-seconds", type=float, default=20.0)
    parser.add_argument("--poll-ms", type=float, default=10.0, help="latency poll interval")
    parser.add_argument("--max-in-flight", type=int, default=2000, help="unacked publishes")
    parser.add_argument(
        "--batch-size", type=int, default=None, help="KOMMUNPLAN_BATCH_SIZE for the services"
    )
    parser.add_argument("--stall-seconds", type=float, default=60.0, help="give up after")
    parser.add_argument("--seed", type=int, default=2011)
    args = parser.parse_args(argv)
    if args.events < 1 or args.rate <= 0 or args.latency_seconds <= 0:
        parser.error("--events, --rate and --latency-seconds must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    log.setLevel(logging.INFO)
    signal.signal(signal.SIGTERM, _terminate)
    if args.batch_size is not None:
        # The services read their settings from the environment they inherit.
        os.environ["KOMMUNPLAN_BATCH_SIZE"] = str(args.batch_size)

    with tempfile.TemporaryDirectory(prefix="kommunplan-bench-") as tmp:
        nats_server, users = start_nats(Path(tmp), free_port())
        stack = Stack(
            StackSettings(
                data_dir=tmp,
                nats_url=nats_server.url,
                postgres_url=None,
                reporting_port=free_port(),
                ports={process: free_port() for process in SERVICES},
                http_host="127.0.0.1",
            )
        )
        monitor: ProcessMonitor | None = None
        try:
            nats_url, database_urls = start_stack(stack)
            pids = {name: process.pid for name, process in stack.processes.items()}
            pids["nats_server"] = _nats_server_pid()
            monitor = ProcessMonitor(pids, _postmaster_pid(stack.data_dir))
            monitor.start()
            bench = Bench(args, stack, nats_url, database_urls, monitor, users)
            report = asyncio.run(bench.run())
        except KeyboardInterrupt:
            log.error("interrupted; stopping everything")
            return 130
        finally:
            if monitor is not None:
                monitor.stop()
            log.info("stopping the stack")
            stack.stop()
            nats_server.stop()
    print(json.dumps(report, indent=2))
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
