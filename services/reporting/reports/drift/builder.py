"""The operators' view: each service's readiness, locks and outbox; each sending system's
commands of the last hour and the latest refusals; each stream's consumers and their lag;
the parked events with what operators did about them. Read when asked, never kept."""

import asyncio
import functools
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from contracts.write_services import WRITE_SERVICES
from plumbing.database import Connection
from plumbing.parking import ParkedRow
from plumbing.read_models import ReadModels
from services.reporting.operations import actions, service_tables
from services.reporting.operations.jetstream import StreamState, service_streams, stream_states
from services.reporting.operations.service_tables import Backlog, LockHolder, Refusal
from services.reporting.operations.sources import REPORTING, Readiness, Sources
from services.reporting.read_models.catalog import PROJECTIONS
from services.reporting.read_models.parked import parked_events

T = TypeVar("T")

TITLE = "Drift"
HOUR = timedelta(hours=1)
EXCERPT_CHARACTERS = 300
LABELS = {projection.name: projection.label for projection in PROJECTIONS}


@dataclass(frozen=True)
class ServiceState:
    """A service: its processes' readiness, its workers' locks and its outbox (none for
    reporting, which publishes nothing); ``problem`` when its database did not answer."""

    name: str
    processes: tuple[Readiness, ...]
    locks: tuple[LockHolder, ...]
    backlog: Backlog | None
    problem: str | None

    @property
    def ready(self) -> bool:
        return self.problem is None and all(p.ready for p in self.processes)


@dataclass(frozen=True)
class Traffic:
    """A sending system's commands to a service in the last hour ("http": people)."""

    system: str
    service: str
    accepted: int
    refused: int

    @property
    def received(self) -> int:
        return self.accepted + self.refused


@dataclass(frozen=True)
class ParkedEvent:
    projection: str
    label: str
    row: ParkedRow

    @property
    def id(self) -> str:
        """How an operator names it: the projection and its stream sequence."""
        return f"{self.projection}:{self.row.sequence}"

    @property
    def excerpt(self) -> str:
        return self.row.body[:EXCERPT_CHARACTERS].decode("utf-8", errors="replace")


@dataclass(frozen=True)
class DriftView:
    moment: datetime
    services: tuple[ServiceState, ...]
    traffic: tuple[Traffic, ...]
    refusals: tuple[Refusal, ...]
    streams: tuple[StreamState, ...]
    parked_events: tuple[ParkedEvent, ...]
    actions: tuple[actions.Action, ...]
    title: str = TITLE

    @property
    def parked(self) -> int:
        return len(self.parked_events)


@dataclass(frozen=True)
class _Books:
    """What a service's database says of its work."""

    locks: list[LockHolder]
    backlog: Backlog | None = None
    accepted: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    latest: list[Refusal] = field(default_factory=list)


async def _books(conn: Connection, service: str, since: datetime) -> _Books:
    locks = await service_tables.lock_holders(conn)
    if service == REPORTING:  # it publishes nothing and takes no commands
        return _Books(locks)
    return _Books(
        locks,
        await service_tables.backlog(conn),
        await service_tables.accepted_by_system(conn, since),
        await service_tables.refused_by_system(conn, since),
        await service_tables.latest_refusals(conn, service),
    )


async def _or_problem(read: Awaitable[T]) -> tuple[T | None, str | None]:
    try:
        return await read, None
    except Exception as error:  # an operator's page shows what failed, and the rest
        return None, f"databasen kunde inte läsas: {type(error).__name__}"


def _processes(sources: Sources, service: str) -> list[str]:
    names = [service] if service == REPORTING else [service, f"{service}-relay"]
    return [name for name in names if name in sources.urls]


async def _service(sources: Sources, service: str, since: datetime) -> tuple[ServiceState, _Books]:
    readiness = await asyncio.gather(*(sources.readiness(p) for p in _processes(sources, service)))
    found, problem = await _or_problem(
        sources.read(service, functools.partial(_books, service=service, since=since))
    )
    books = found or _Books([])
    state = ServiceState(service, tuple(readiness), tuple(books.locks), books.backlog, problem)
    return state, books


def _traffic(service: str, books: _Books) -> list[Traffic]:
    return [
        Traffic(system, service, books.accepted.get(system, 0), books.refused.get(system, 0))
        for system in sorted({*books.accepted, *books.refused})
    ]


async def read_drift(models: ReadModels, sources: Sources) -> DriftView:
    """What an operator looks at: see the module's docstring."""
    now = datetime.now(UTC)
    services = [s.name for s in WRITE_SERVICES if s.name in sources.databases] + [REPORTING]
    found = [await _service(sources, service, now - HOUR) for service in services]
    refusals = sorted((r for _, books in found for r in books.latest), key=lambda r: r.refused_at)
    parked = [ParkedEvent(p, LABELS[p], row) for p, row in await parked_events(models)]
    done, _ = await _or_problem(sources.read(REPORTING, actions.latest))
    return DriftView(
        moment=now,
        services=tuple(state for state, _ in found),
        traffic=tuple(t for state, books in found for t in _traffic(state.name, books)),
        refusals=tuple(reversed(refusals[-service_tables.RECENT_REFUSALS :])),
        streams=tuple(await stream_states(sources.js, service_streams())),
        parked_events=tuple(parked),
        actions=tuple(done or ()),
    )
