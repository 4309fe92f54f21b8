"""Everything the services recorded of a message, looked up by its message id or trace id:
its events in each service's store (and those of the commands they led to in other
services, followed by causation), its refusals, when and where each was received, and
where reporting took each event in."""

import contextlib
import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from nats.js.api import RawStreamMsg

from contracts.write_services import WRITE_SERVICES
from plumbing.database import Connection
from plumbing.parking import ParkedRow
from plumbing.read_models import NotReady, ReadModels, ReadSession
from services.reporting.operations import service_tables
from services.reporting.operations.jetstream import message_at
from services.reporting.operations.service_tables import Received, Refusal, StoredEvent
from services.reporting.operations.sources import Sources
from services.reporting.read_models.catalog import PROJECTIONS, Reads
from services.reporting.read_models.parked import parked_events

T = TypeVar("T")

# Commands caused by commands caused by …: the office share is one step; a few more allowed.
MAX_CAUSED_STEPS = 4
SERVICES = {service.name: service for service in WRITE_SERVICES}


@dataclass(frozen=True)
class Applied:
    sequence: int | None  # in the events stream
    applied_at: datetime | None


@dataclass(frozen=True)
class Found:
    """What was recorded of the messages found, across the services."""

    events: list[StoredEvent]
    refusals: list[Refusal]
    received: dict[tuple[str, str], Received]  # by (service, message id)
    inbound: dict[tuple[str, int], RawStreamMsg]  # by (service, inbound sequence)
    published: dict[str, RawStreamMsg]  # by event id
    applied: dict[str, Applied]  # by event id
    waiting: set[str]  # event ids still in an outbox
    parked: dict[tuple[str, int], ParkedRow]  # by (stream id, version)
    problems: list[str]  # services that could not be read, in Swedish


def projection_of(service: str) -> Reads | None:
    stream = SERVICES[service].events_stream
    return next((p for p in PROJECTIONS if p.source.stream == stream), None)


async def _matching(
    conn: Connection, service: str, wanted: str
) -> tuple[list[StoredEvent], list[Refusal]]:
    return (
        await service_tables.events_of(conn, service, wanted),
        await service_tables.refusals_of(conn, service, wanted),
    )


async def _books(
    conn: Connection, message_ids: list[str], event_ids: list[str]
) -> tuple[dict[str, Received], set[str]]:
    return (
        await service_tables.received(conn, message_ids),
        await service_tables.waiting_in_outbox(conn, event_ids),
    )


async def _or_note(
    sources: Sources, service: str, read: Callable[[Connection], Awaitable[T]], found: Found
) -> T | None:
    try:
        return await sources.read(service, read)
    except Exception as error:  # the rest of the journey is still shown
        found.problems.append(f"{service}: databasen kunde inte läsas ({type(error).__name__})")
        return None


async def _events(sources: Sources, wanted: str, found: Found) -> None:
    """The events of ``wanted`` in every service, then those they caused, step by step."""
    for service in sources.services:
        matching = functools.partial(_matching, service=service, wanted=wanted)
        events, refusals = await _or_note(sources, service, matching, found) or ([], [])
        found.events.extend(events)
        found.refusals.extend(refusals)
    for _ in range(MAX_CAUSED_STEPS):
        known = {e.event_id for e in found.events}
        correlations = sorted({e.meta("correlation_id") or "" for e in found.events})
        new: dict[str, StoredEvent] = {}
        for service in sources.services:
            caused = functools.partial(
                service_tables.caused_by,
                service=service,
                correlations=correlations,
                causes=sorted(known),
            )
            for event in await _or_note(sources, service, caused, found) or []:
                if event.event_id not in known:
                    new[event.event_id] = event
        if not new:
            return
        found.events.extend(new.values())


async def _bookkeeping(sources: Sources, found: Found) -> None:
    """When and from where each message was received, and what still waits in an outbox."""
    for refusal in found.refusals:
        if refusal.sequence is None:
            continue  # refused over HTTP: never in the inbound stream
        inbound = SERVICES[refusal.service].inbound_stream
        msg = await message_at(sources.js, inbound, refusal.sequence)
        if msg is not None:
            found.inbound[(refusal.service, refusal.sequence)] = msg
    for service in sources.services:
        mine = [e for e in found.events if e.service == service]
        if not mine:
            continue
        message_ids = sorted({e.meta("message_id") or "" for e in mine})
        books = functools.partial(
            _books, message_ids=message_ids, event_ids=[e.event_id for e in mine]
        )
        received, waiting = await _or_note(sources, service, books, found) or ({}, set())
        found.waiting.update(waiting)
        inbound = SERVICES[service].inbound_stream
        for message_id, row in received.items():
            found.received[(service, message_id)] = row
            if row.sequence is not None:
                msg = await message_at(sources.js, inbound, row.sequence)
                if msg is not None:
                    found.inbound[(service, row.sequence)] = msg


async def _applied(models: ReadModels, sources: Sources, found: Found) -> None:
    """Where reporting took each event in (its stream sequence, when), and what it parked."""
    for _, row in await parked_events(models):
        if row.stream_id is not None and row.version is not None:
            found.parked[(row.stream_id, row.version)] = row
    for service in {e.service for e in found.events}:
        reads = projection_of(service)
        events = [e for e in found.events if e.service == service]
        if reads is None:
            continue

        async def read(session: ReadSession, events: Sequence[StoredEvent] = events) -> None:
            rows = await session.fetch(
                "SELECT a.event_id::text AS event_id, a.sequence, a.applied_at"
                " FROM applied_events a JOIN unnest($1::text[], $2::int[]) AS w(stream_id, version)"
                " USING (stream_id, version)",
                [e.stream_id for e in events],
                [e.version for e in events],
            )
            for r in rows:
                found.applied[r["event_id"]] = Applied(r["sequence"], r["applied_at"])

        with contextlib.suppress(NotReady):
            await models.read(read, (reads.name,))
        for event in events:
            applied = found.applied.get(event.event_id)
            if applied is not None and applied.sequence is not None:
                stream = SERVICES[service].events_stream
                msg = await message_at(sources.js, stream, applied.sequence)
                if msg is not None:
                    found.published[event.event_id] = msg


async def find(models: ReadModels, sources: Sources, wanted: str) -> Found:
    found = Found([], [], {}, {}, {}, {}, set(), {}, [])
    await _events(sources, wanted, found)
    await _bookkeeping(sources, found)
    await _applied(models, sources, found)
    return found
