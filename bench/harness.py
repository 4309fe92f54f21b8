"""What the benchmarks share: a stack of their own, sending as the ledger, watching the
read model, the processes' memory and CPU, and the raw JetStream baselines.

``running_stack`` starts the stack exactly as ``kommunplan up`` does (embedded NATS with the
system's users and PostgreSQL, every service as its own process) in a temporary directory on
free ports; ``load_budget_demo`` loads the demo organisation into it.
"""

import argparse
import asyncio
import json
import logging
import math
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import asyncpg
import bcrypt
import nats
import psutil  # type: ignore[import-untyped, unused-ignore]
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext, api
from nats.js.api import AckPolicy, ConsumerConfig, PubAck
from pydantic import SecretStr

from contracts import subjects
from contracts.budget.commands import RecordActuals
from kommunplan.demo import DEMO_SYSTEM, demo_unit_count, load_demo
from kommunplan.processes import SERVICES
from kommunplan.stack import Stack, http_get_json
from plumbing.embedded import free_port
from plumbing.embedded_nats import EmbeddedNats
from plumbing.nats_config import authorization, literal
from plumbing.nats_users import SERVICE_USERS, Permissions, all_permissions, inbox_prefix
from plumbing.settings import StackSettings
from plumbing.systems import RegisterEntry, register

log = logging.getLogger("bench")

SOURCE_SYSTEM = DEMO_SYSTEM  # "ekonomisystem", the ledger
INBOUND_SUBJECT = subjects.budget_inbound(SOURCE_SYSTEM, RecordActuals.command_name)

ACK_TIMEOUT_SECONDS = 120.0
MB = 1024 * 1024


class Outgoing(Protocol):
    """A command ready to send: its id (also its Nats-Msg-Id) and its JSON."""

    @property
    def message_id(self) -> str: ...

    @property
    def body(self) -> bytes: ...


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
    js: JetStreamContext, subject: str, command: Outgoing, tally: AckTally
) -> None:
    # publish_async waits while the JetStream context already has its maximum of
    # unacknowledged publishes in flight (publish_async_max_pending): the bound on acks.
    future = await js.publish_async(
        subject, command.body, headers={"Nats-Msg-Id": command.message_id}
    )
    future.add_done_callback(tally.record)


async def publish_all(
    js: JetStreamContext, subject: str, commands: Iterable[Outgoing], tally: AckTally | None
) -> None:
    """Publish every command, at most ``publish_async_max_pending`` unacked at a time, and
    wait for the last ack. Without a tally the acks go unread (a few microseconds less per
    message): the caller then checks what the stream holds instead."""
    if tally is None:
        for command in commands:
            await js.publish_async(
                subject, command.body, headers={"Nats-Msg-Id": command.message_id}
            )
    else:
        for command in commands:
            await publish_one(js, subject, command, tally)
    await asyncio.wait_for(js.publish_async_completed(), ACK_TIMEOUT_SECONDS)


async def consume_all(
    js: JetStreamContext,
    stream: str,
    filter_subject: str,
    durable: str,
    count: int,
    batch_size: int,
) -> None:
    """Pull ``count`` messages of ``stream`` in batches, acking each message.

    Deliberately not plumbing.jetstream.pull_batches: the baseline is JetStream and its
    Python client alone, and must not change when the services' pull loop does. The
    consumer is configured like the services' (explicit acks, the same ack-pending bound).
    """
    sub = await js.pull_subscribe(
        filter_subject,
        durable=durable,
        stream=stream,
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


class PipelinedConsumer:
    """Pulls ``count`` messages of a stream while they are being published, with ``window``
    pull requests of ``batch_size`` messages always outstanding on the server.

    The pull requests are sent straight to the consumer's next-message subject and the
    messages arrive on one subscription's callback, so nothing waits per message (nats-py's
    ``fetch`` waits on a timer for each one, which costs it four times the CPU per message).
    When a request's worth of messages has arrived, its last message is acked (the consumer
    acks all, so that acks every message before it) and the next request goes out. ``done``
    is resolved once the server has confirmed the ack of the last of the ``count`` messages.
    Like ``consume_all``, JetStream and its Python client alone, for a baseline.
    """

    def __init__(
        self,
        nc: Client,
        js: JetStreamContext,
        stream: str,
        durable: str,
        count: int,
        batch_size: int,
        window: int,
    ) -> None:
        self._nc = nc
        self._js = js
        self._stream = stream
        self._durable = durable
        self._count = count
        self._batch_size = batch_size
        self._window = window
        self._requested = 0
        self.received = 0
        self.last_stream_sequence = 0
        self.done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._inbox = nc.new_inbox()
        self._next_subject = f"{api.DEFAULT_PREFIX}.CONSUMER.MSG.NEXT.{stream}.{durable}"
        self._sub: Subscription | None = None

    async def start(self, filter_subject: str) -> None:
        """Declare the consumer, subscribe, and send the first ``window`` pull requests."""
        await self._js.add_consumer(
            self._stream,
            ConsumerConfig(
                durable_name=self._durable,
                filter_subject=filter_subject,
                ack_policy=AckPolicy.ALL,
                ack_wait=30.0,
                # Unacked at most: the requests outstanding and the batch being received.
                max_ack_pending=self._batch_size * (self._window + 1),
            ),
        )
        self._sub = await self._nc.subscribe(self._inbox, cb=self._on_message)
        for _ in range(self._window):
            await self._request()

    async def stop(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()

    async def _request(self) -> None:
        # No expiry: a request waits on the server until its batch has been delivered.
        batch = min(self._batch_size, self._count - self._requested)
        if batch > 0:
            self._requested += batch
            request = json.dumps({"batch": batch}).encode()
            await self._nc.publish(self._next_subject, request, reply=self._inbox)

    async def _on_message(self, msg: Msg) -> None:
        if self.done.done():
            return
        status = msg.headers.get("Status") if msg.headers else None
        if status is not None:
            # Requests without expiry or heartbeats get a status only when they failed.
            self.done.set_exception(RuntimeError(f"a pull request ended with status {status}"))
            return
        self.received += 1
        try:
            if self.received == self._count:
                await msg.ack_sync(timeout=10.0)
                self.last_stream_sequence = msg.metadata.sequence.stream
                self.done.set_result(time.perf_counter())
            elif self.received % self._batch_size == 0:
                await msg.ack()
                await self._request()
        except Exception as error:  # the subscription's task would only log it
            self.done.set_exception(error)


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


BENCH_PROCESS = "bench"  # this process, among the stack's in the CPU and memory figures
BACKENDS_SECONDS = 5.0  # how often the RSS sampler looks for PostgreSQL's processes anew


class ProcessMonitor:
    """Samples the RSS of every process of the stack in a thread; takes CPU snapshots.

    PostgreSQL is a postmaster with a process per connection; its figure is the sum over
    them, which counts shared buffers more than once (for information only).
    """

    def __init__(self, pids: dict[str, int], postmaster: int, interval: float = 0.2) -> None:
        self._processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self._processes[BENCH_PROCESS] = psutil.Process()
        self._postmaster = psutil.Process(postmaster)
        self._interval = interval
        self.peak_rss: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._backends: list[psutil.Process] = []
        self._backends_found = -math.inf

    def _postgres(self) -> list[psutil.Process]:
        # Finding the postmaster's children reads every process of the machine (psutil's
        # parent map), and this thread shares the interpreter with what the benchmark
        # measures: found anew each sample it took 4-5 % of a rebuild's CPU. The backends
        # change only when a pool connects, so they are looked for every few seconds.
        if time.monotonic() - self._backends_found > BACKENDS_SECONDS:
            self._backends = self._postmaster.children(recursive=True)
            self._backends_found = time.monotonic()
        return [self._postmaster, *self._backends]

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

    def peak_rss_mb(self) -> dict[str, float]:
        """Each process's peak RSS so far in MB: the higher of the samples and the kernel's."""
        peaks = dict(self.peak_rss)
        for name, mark in self.high_water_marks().items():
            peaks[name] = max(peaks.get(name, 0), mark)
        return {name: round(value / MB, 1) for name, value in sorted(peaks.items())}

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


def cpu_us_per_event(
    before: dict[str, float], after: dict[str, float], events: int
) -> dict[str, Any]:
    """CPU microseconds per event of each of the stack's processes and their ``total``, and
    apart from them this process's own (``bench_cpu_us_per_event``), which only sends and
    watches."""
    used = {name: (after[name] - before[name]) * 1e6 / events for name in after}
    bench = used.pop(BENCH_PROCESS)
    per_process = {name: round(value, 1) for name, value in sorted(used.items())}
    per_process["total"] = round(sum(used.values()), 1)
    return {"cpu_us_per_event": per_process, "bench_cpu_us_per_event": round(bench, 1)}


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


def bench_register(systems: Sequence[str]) -> dict[str, RegisterEntry]:
    """The register the benchmarks send under: each system for every unit and with every
    command a system may be given (the register's older form), the organisation tree too,
    which the benchmarks send as the ledger."""
    return {system: ["*"] for system in systems}


def start_nats(
    data_dir: Path, port: int, systems: Sequence[str] = (SOURCE_SYSTEM,)
) -> tuple[EmbeddedNats, NatsUsers]:
    """NATS with the users and permissions of the services and of ``systems``, plus the
    benchmark's own user.

    The services get their users as for servers of one's own
    (KOMMUNPLAN_<SERVICE>_NATS_USER and _PASSWORD in the environment they inherit).
    """
    users = all_permissions(register(bench_register(systems)))
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


def percentile(sorted_values: Sequence[float], percent: float) -> float | None:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return round(sorted_values[rank - 1], 1)


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


def setup_logging(logger: logging.Logger) -> None:
    """Progress on stderr; SIGTERM stops a run as Ctrl-C does, so the stack is stopped."""
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    logger.setLevel(logging.INFO)
    log.setLevel(logging.INFO)
    signal.signal(signal.SIGTERM, _terminate)


@dataclass
class RunningStack:
    """A started stack with what a benchmark needs to reach and watch it."""

    stack: Stack
    nats_url: str
    database_urls: dict[str, str]
    monitor: ProcessMonitor
    users: NatsUsers


@contextmanager
def running_stack(systems: Sequence[str] = (SOURCE_SYSTEM,)) -> Iterator[RunningStack]:
    """The whole stack in a temporary directory on free ports, its processes watched;
    stopped and removed on leaving."""
    with tempfile.TemporaryDirectory(prefix="kommunplan-bench-") as tmp:
        nats_server, users = start_nats(Path(tmp), free_port(), systems)
        stack = Stack(
            StackSettings(
                data_dir=tmp,
                nats_url=nats_server.url,
                postgres_url=None,
                reporting_port=free_port(),
                ports={process: free_port() for process in SERVICES},
                http_host="127.0.0.1",
                systems=bench_register(systems),
            )
        )
        monitor: ProcessMonitor | None = None
        try:
            nats_url, database_urls = start_stack(stack)
            pids = {name: process.pid for name, process in stack.processes.items()}
            pids["nats_server"] = _nats_server_pid()
            monitor = ProcessMonitor(pids, _postmaster_pid(stack.data_dir))
            monitor.start()
            yield RunningStack(stack, nats_url, database_urls, monitor, users)
        finally:
            if monitor is not None:
                monitor.stop()
            log.info("stopping the stack")
            stack.stop()
            nats_server.stop()


async def load_budget_demo(running: RunningStack, js: JetStreamContext) -> list[str]:
    """Send the demo organisation and budget as the ledger; wait until reporting's plan shows
    it; return the open leaf units (the ones the ledger books on)."""
    sent = await load_demo(running.nats_url, SecretStr(running.users.passwords[SOURCE_SYSTEM]))
    log.info("demo: %d commands sent; waiting for them to be projected", sent)
    await wait_until_projected(running, js, sent, "the demo")
    plan = await asyncio.to_thread(
        http_get_json, f"{running.stack.url('reporting')}/api/plan/KS/2011"
    )
    if not isinstance(plan, dict) or len(plan.get("nodes", [])) < demo_unit_count():
        raise RuntimeError("the demo plan is not complete in the reporting service")
    units = await asyncio.to_thread(http_get_json, f"{running.stack.url('budget')}/api/units")
    assert isinstance(units, list)
    parents = {u["parent_code"] for u in units}
    leaves = sorted(u["code"] for u in units if u["code"] not in parents and not u["closed_on"])
    log.info("demo projected; %d leaf units: %s", len(leaves), " ".join(leaves))
    return leaves


async def wait_until_projected(
    running: RunningStack, js: JetStreamContext, messages: int, what: str, seconds: float = 120
) -> None:
    """Until budget's events stream holds ``messages`` and reporting has projected them all;
    RuntimeError when a command was refused or it takes longer than ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        running.stack.check_alive()
        held, last_seq = await stream_state(js, subjects.BUDGET_EVENTS_STREAM)
        rejected, _ = await stream_state(js, subjects.BUDGET_REJECTED_STREAM)
        if rejected:
            raise RuntimeError(f"{rejected} commands were rejected while loading {what}")
        if held >= messages:
            try:
                read_model = await ReadModel.open(running.database_urls["reporting"])
            except RuntimeError:
                read_model = None
            if read_model is not None:
                tracking = await read_model.tracking()
                await read_model.close()
                if tracking >= last_seq:
                    return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} was not projected within {seconds:.0f}s")
        await asyncio.sleep(0.2)


async def stored_problems(
    js: JetStreamContext, budget_db: asyncpg.Connection, expected: int, label: str
) -> list[str]:
    """What is wrong with budget's store after sending ``expected`` actuals in all."""
    problems = []
    stored = await budget_db.fetchval(
        "SELECT count(*) FROM events WHERE event_type = 'ActualsRecorded'"
    )
    if stored != expected:
        problems.append(f"{label}: {stored} ActualsRecorded events stored, expected {expected}")
    rejected, _ = await stream_state(js, subjects.BUDGET_REJECTED_STREAM)
    if rejected:
        problems.append(f"{label}: {rejected} messages on {subjects.BUDGET_REJECTED_STREAM}")
    return problems


async def connect_bench(
    running: RunningStack, max_in_flight: int
) -> tuple[Client, JetStreamContext]:
    """NATS as the benchmark's own user, with at most ``max_in_flight`` unacked publishes.

    One user for the commands on the ledger's subjects, the stream checks and the raw
    baseline alike, so both sides of a ratio pay the same permission checks.
    """
    nc = await nats.connect(
        running.nats_url, name="bench", **running.users.connect_options(BENCH_USER)
    )
    return nc, nc.jetstream(timeout=10, publish_async_max_pending=max_in_flight)


def add_loading_arguments(parser: argparse.ArgumentParser, stall_seconds: float) -> None:
    """The options every benchmark that loads through the services takes."""
    parser.add_argument("--max-in-flight", type=int, default=2000, help="unacked publishes")
    parser.add_argument(
        "--batch-size", type=int, default=None, help="KOMMUNPLAN_BATCH_SIZE for the services"
    )
    parser.add_argument("--stall-seconds", type=float, default=stall_seconds, help="give up after")
    parser.add_argument("--seed", type=int, default=2011)


def run_on_stack(
    bench: Callable[[RunningStack], Coroutine[Any, Any, dict[str, Any]]],
    batch_size: int | None,
    systems: Sequence[str] = (SOURCE_SYSTEM,),
) -> int:
    """Run ``bench`` on a stack of its own and print its report as JSON on stdout; the exit
    code is 1 when the report names problems, 130 when interrupted."""
    if batch_size is not None:
        # The services read their settings from the environment they inherit.
        os.environ["KOMMUNPLAN_BATCH_SIZE"] = str(batch_size)
    try:
        with running_stack(systems) as running:
            report = asyncio.run(bench(running))
    except KeyboardInterrupt:
        log.error("interrupted; stopping everything")
        return 130
    print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    return 1 if report["problems"] else 0
