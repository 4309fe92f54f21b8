"""Running one service process: its HTTP app and its background workers, until told to stop."""

import asyncio
import contextlib
import functools
import gc
import logging
import signal
import time
from collections.abc import Callable, Coroutine, Sequence
from email.utils import formatdate
from types import FrameType
from typing import Any, Protocol

import uvicorn
from fastapi import FastAPI
from uvicorn.server import ServerState

from plumbing import logs, telemetry
from plumbing.readiness import WorkerStatus
from plumbing.settings import ServiceSettings

log = logging.getLogger(__name__)

Worker = Callable[[asyncio.Event], Coroutine[Any, Any, Any]]


class BackgroundWorker(Protocol):
    """A loop a service runs beside its HTTP app, telling /ready how it fares."""

    status: WorkerStatus

    async def run(self, stop: asyncio.Event) -> None: ...


MAX_RESTART_DELAY_SECONDS = 10.0


def start_process(name: str, settings: ServiceSettings) -> None:
    """The process's JSON log lines, tracing and metrics (at start-up, before any pool or
    connection is made, so they are instrumented), and its first lifecycle line."""
    logs.setup_logging(name, settings.log_level)
    telemetry.setup(name, settings.trace_sample_ratio, enabled=settings.telemetry)
    logs.lifecycle("start", port=settings.http_port)


class _DatedWhenRead(ServerState):
    """uvicorn's state shared by its connections, whose default headers carry the date of
    the moment they are read, so that nothing need renew it while no request comes."""

    def __init__(self) -> None:
        self._dated = False
        self._others: list[tuple[bytes, bytes]] = []
        self._second = -1
        self._date = b""
        super().__init__()

    @property
    def default_headers(self) -> list[tuple[bytes, bytes]]:
        if not self._dated:
            return self._others
        now = int(time.time())
        if now != self._second:
            self._second, self._date = now, formatdate(now, usegmt=True).encode()
        return [(b"date", self._date), *self._others]

    @default_headers.setter
    def default_headers(self, headers: list[tuple[bytes, bytes]]) -> None:
        # uvicorn's on_tick sets them with the date of then when its date header is on.
        self._dated = any(name == b"date" for name, _ in headers)
        self._others = [(name, value) for name, value in headers if name != b"date"]


class QuietServer(uvicorn.Server):
    """uvicorn's server, sleeping until it is told to stop, where uvicorn's own looks at its
    clock and its exit flag ten times a second: the date header is made when a response
    is (``_DatedWhenRead``), and setting ``should_exit`` (a signal, a worker that crashed,
    another thread) wakes it. Every wakeup of an idle process costs (bench/idle_cpu.py)."""

    def __init__(self, config: uvicorn.Config) -> None:
        self._exit_flag = False
        self._woken: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None
        super().__init__(config)
        self.server_state = _DatedWhenRead()

    @property
    def should_exit(self) -> bool:
        return self._exit_flag

    @should_exit.setter
    def should_exit(self, value: bool) -> None:
        self._exit_flag = value
        if value and self._woken is not None:
            loop, event = self._woken
            # Safe from a signal handler and from another thread alike.
            with contextlib.suppress(RuntimeError):  # the loop has closed already
                loop.call_soon_threadsafe(event.set)

    async def main_loop(self) -> None:
        event = asyncio.Event()
        self._woken = (asyncio.get_running_loop(), event)
        # Once, for the default headers; the date in them is made when they are read.
        if await self.on_tick(0):
            return
        while not await self.on_tick(1):  # 1: not a tick that renews the headers
            await event.wait()
            event.clear()


async def _sleep_unless_stopped(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def resilient(worker: BackgroundWorker) -> Worker:
    """``worker`` run again whenever it ends or fails before ``stop``, with backoff.

    NATS or PostgreSQL restarting, a lost lock or a vanished consumer end a worker's
    run; it then starts again from its stored position instead of taking the process
    down. Its status shows an operator (/ready) while it keeps failing.
    """
    status = worker.status

    async def run(stop: asyncio.Event) -> None:
        delay = 0.5
        while not stop.is_set():
            try:
                await worker.run(stop)
                delay = 0.5
            except Exception as error:
                status.retrying(error)
                log.warning("%s failed; starting again in %.1f s: %r", status.name, delay, error)
                await _sleep_unless_stopped(stop, delay)
                delay = min(delay * 2, MAX_RESTART_DELAY_SECONDS)
                continue
            if not stop.is_set():
                await _sleep_unless_stopped(stop, delay)

    return run


# Objects made before the young generation is collected (CPython: 700). A batch of
# messages or a view makes tens of thousands: at the default the collector ran some thirty
# times a second under load and took a fifth of the services' CPU per ingested event.
YOUNG_OBJECTS_PER_COLLECTION = 20_000


def calm_collector() -> None:
    """Collect cycles less often, and never look again at what the process built to serve.

    What a process made before it serves (modules, the contracts' validators, the app and
    its templates, what it read at start) lives as long as it does, yet every full
    collection walked it all again: 20 ms per pass in reporting, set off every few views,
    and a fifth of budget's and reporting's CPU per ingested event (bench/ingest.py: 1.4 s
    and 1.9 s of 7.3 s and 8.7 s over 60,000 events, 0.2 s each once frozen). What comes
    later is freed by reference counting as it goes; its cycles are still found, in
    larger and so fewer rounds.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION, 50, 100)


async def serve(app: FastAPI, host: str, port: int, workers: Sequence[BackgroundWorker]) -> None:
    """Serve ``app`` and run ``workers``, each ``resilient``; SIGINT/SIGTERM stop them all,
    then this returns.

    A worker that still crashes stops the process, so a supervisor restarts it whole
    instead of leaving it half-working.
    """
    calm_collector()
    stop = asyncio.Event()
    server = _Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    tasks = [
        asyncio.create_task(resilient(worker)(stop), name=worker.status.name) for worker in workers
    ]
    http = asyncio.create_task(server.serve(), name="http")
    announce = asyncio.create_task(_announce_ready(server, port), name="announce")

    def crashed(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None and not stop.is_set():
            log.error("%s stopped: %r; shutting down", task.get_name(), task.exception())
            server.should_exit = True

    for task in tasks:
        task.add_done_callback(crashed)
    await http
    announce.cancel()
    stop.set()
    done, running = await asyncio.wait(tasks, timeout=10)
    for task in running:
        task.cancel()
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            logs.lifecycle("stop", logging.ERROR, error=repr(task.exception()))
            raise task.exception()  # type: ignore[misc]
    if not server.stopping:
        logs.lifecycle("stop")


class _Server(QuietServer):
    """uvicorn's server, saying when a signal stops it: uvicorn raises the signal again once
    it has shut down, which ends the process before anything after ``serve`` runs."""

    stopping = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if not self.stopping:
            self.stopping = True
            # Written from the event loop, not inside the signal handler.
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().call_soon_threadsafe(
                    functools.partial(logs.lifecycle, "stop", signal=signal.Signals(sig).name)
                )
        super().handle_exit(sig, frame)


async def _announce_ready(server: uvicorn.Server, port: int) -> None:
    # uvicorn has only its ``started`` flag to say it listens, no event to wait on.
    while not server.started:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    logs.lifecycle("ready", port=port)
