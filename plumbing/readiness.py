"""What a process tells an operator: /health (it lives) and /ready (it can do its work).

Each background worker keeps a WorkerStatus; /ready also asks NATS and PostgreSQL
themselves, so a worker that is idle but cut off still shows as not ready.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import asyncpg
from fastapi import FastAPI, params
from fastapi.responses import JSONResponse
from nats.aio.client import Client

from plumbing import telemetry
from plumbing.http_failures import answer_failures
from plumbing.http_telemetry import TracedRequests
from plumbing.metrics import add_metrics_route

# A batch retried for longer than this means the worker is stuck, not just unlucky.
STALLED_AFTER_SECONDS = 30.0
# Work waiting this long with nothing handled means the worker is stuck, however calm it
# looks (a pull never answered, a server that hangs).
NO_PROGRESS_SECONDS = 15.0


class WorkerState(StrEnum):
    STARTING = "startar"
    STANDBY = "i reserv"
    WORKING = "arbetar"
    RETRYING = "försöker igen"


@dataclass
class WorkerStatus:
    """The state of one background worker, as it last reported it."""

    name: str
    state: WorkerState = WorkerState.STARTING
    problem: str | None = None
    since: float = field(default_factory=time.monotonic)
    # Messages known to wait after the last one taken (None: not known), and when the
    # worker last took or finished any.
    pending: int | None = None
    progress_at: float = field(default_factory=time.monotonic)

    def _set(self, state: WorkerState, problem: str | None = None) -> None:
        if state is not self.state:
            self.since = time.monotonic()
        self.state = state
        self.problem = problem

    def standby(self) -> None:
        self._set(WorkerState.STANDBY)

    def working(self) -> None:
        self._set(WorkerState.WORKING)

    def retrying(self, error: BaseException) -> None:
        self._set(WorkerState.RETRYING, f"{type(error).__name__}: {error}"[:500])

    def progressed(self, pending: int | None, moved: bool) -> None:
        """After a pull: what waits now, and whether anything was taken (``moved``)."""
        self.working()
        self.pending = pending
        if moved or not pending:
            self.progress_at = time.monotonic()

    def trouble(self, now: float | None = None) -> str | None:
        """What is wrong, in Swedish, or None when the worker is doing fine."""
        now = now if now is not None else time.monotonic()
        waited = now - self.since
        if self.state is WorkerState.RETRYING and waited >= STALLED_AFTER_SECONDS:
            return f"har försökt igen i {waited:.0f} s: {self.problem}"
        still = now - self.progress_at
        if self.state is not WorkerState.STANDBY and self.pending and still >= NO_PROGRESS_SECONDS:
            return f"{self.pending} meddelanden väntar, men inget har hanterats på {still:.0f} s"
        return None


# An extra check of a service's own: None when fine, otherwise what is wrong, in Swedish.
Check = Callable[[], Awaitable[str | None]]


async def _database_trouble(pool: asyncpg.Pool) -> str | None:
    try:
        await asyncio.wait_for(pool.fetchval("SELECT 1"), timeout=2.0)
    except Exception as error:
        return f"PostgreSQL svarar inte: {type(error).__name__}"
    return None


async def _nats_trouble(nc: Client) -> str | None:
    if not nc.is_connected:
        return "förbindelsen med NATS är bruten"
    try:
        # A round trip: a server that hangs still looks connected until pings time out.
        await nc.flush(timeout=2)
    except Exception as error:
        return f"NATS svarar inte: {type(error).__name__}"
    return None


async def readiness(
    nc: Client, pool: asyncpg.Pool, workers: Sequence[WorkerStatus], checks: dict[str, Check]
) -> dict[str, str]:
    """Every check by name: "ok" or what is wrong."""
    results: dict[str, str | None] = {
        "nats": await _nats_trouble(nc),
        "postgresql": await _database_trouble(pool),
    }
    for worker in workers:
        results[worker.name] = worker.trouble()
    for name, check in checks.items():
        try:
            results[name] = await asyncio.wait_for(check(), timeout=2.0)
        except Exception as error:
            results[name] = f"kontrollen misslyckades: {type(error).__name__}"
    return {name: problem or "ok" for name, problem in results.items()}


def add_health_routes(
    app: FastAPI,
    nc: Client,
    pool: asyncpg.Pool,
    workers: Sequence[WorkerStatus] = (),
    checks: dict[str, Check] | None = None,
    metrics_refresh: Sequence[Callable[[], Awaitable[None]]] = (),
    metrics_guard: Sequence[params.Depends] = (),
) -> None:
    """GET /health: 200 while the process lives. GET /ready: 200 or 503 with each check.
    GET /metrics: the process's metrics (plumbing.metrics), ``metrics_refresh`` run first,
    for whoever ``metrics_guard`` lets in.

    Also answers a request that fails for NATS or PostgreSQL with 503 (plumbing.http_failures),
    and traces and logs every request (plumbing.http_telemetry).
    """
    answer_failures(app)
    add_metrics_route(app, metrics_refresh, metrics_guard)
    app.add_middleware(TracedRequests)
    telemetry.instrument_app(app)

    @app.get("/health", tags=["drift"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", tags=["drift"])
    async def ready() -> JSONResponse:
        results = await readiness(nc, pool, workers, checks or {})
        is_ready = all(value == "ok" for value in results.values())
        states = {w.name: w.state.value for w in workers}
        return JSONResponse(
            status_code=200 if is_ready else 503,
            content={"ready": is_ready, "checks": results, "workers": states},
        )
