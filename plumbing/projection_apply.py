"""Received events applied to a projection in each event stream's order.

What arrives out of order waits (parked as a gap) for what comes before it, which is first
looked for in the NATS stream; what cannot be applied is parked with its reason. A batch is
applied as a whole, and if that fails because of its events, one event at a time.
"""

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

from nats.aio.client import Client

from plumbing import parking, stream_order
from plumbing.database import Connection
from plumbing.errors import is_infrastructure
from plumbing.parking import Parked, ParkedKind
from plumbing.pull_requests import read_range
from plumbing.stream_order import Delivery, ReceivedEvent, StreamPositions

log = logging.getLogger(__name__)

ApplyEvents = Callable[[Connection, Sequence[ReceivedEvent]], Awaitable[None]]


class CarefulAgain(Exception):
    """A batch failed to apply as a whole; it is applied again one event at a time."""


class InOrder:
    """Applies deliveries of ``stream`` with ``apply_events`` in each event stream's order."""

    def __init__(self, nc: Client, apply_events: ApplyEvents, stream: str) -> None:
        self._nc = nc
        self._apply_events = apply_events
        self._stream = stream

    async def apply(
        self,
        conn: Connection,
        deliveries: list[Delivery],
        careful: bool,
        durable: str,
        known: Mapping[int, ReceivedEvent | Parked] | None = None,
    ) -> list[ReceivedEvent]:
        """Apply what may be applied, in stream order, park the rest; return the applied.
        ``known``: what some deliveries were read as already (stream_order.read).

        A gap is first looked for in the NATS stream: the missing events are there unless
        the gap's own version is false, and they are applied before it.
        """
        received, parked = stream_order.read(deliveries, known)
        positions = await StreamPositions.load(conn, received)
        in_order = stream_order.in_order(received, positions, parked)
        found = await self._missing_from_stream(conn, parked, durable)
        if found:
            log.warning(
                "%s: %d events missing before a gap read again from %s",
                durable,
                len(found),
                self._stream,
            )
            every = dict([*found, *deliveries])  # by sequence
            received, parked = stream_order.read(sorted(every.items()), known)
            positions = await StreamPositions.load(conn, received)
            in_order = stream_order.in_order(received, positions, parked)
            # Those parked as gaps before (a replay) are applied now.
            await parking.release(conn, [sequence for sequence, _ in found])
        if careful:
            applied = await self._apply_one_by_one(conn, in_order, parked)
        else:
            try:
                await self._apply_events(conn, in_order)
            except Exception as error:
                if is_infrastructure(error):
                    raise
                log.warning("batch failed to apply (%r); applying one event at a time", error)
                raise CarefulAgain from error
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
            self._stream,
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
                    await self._apply_events(conn, [event])
            except Exception as error:
                if is_infrastructure(error):
                    raise
                waiting[envelope.stream_id] = envelope.version
                reason = parking.describe(error)
                parked.append(stream_order.parked_event(event, ParkedKind.FAILED, reason))
                continue
            applied.append(event)
        return applied


def _with_bodies(
    events: list[ReceivedEvent], deliveries: list[Delivery]
) -> list[tuple[ReceivedEvent, bytes]]:
    bodies = dict(deliveries)
    return [(e, bodies[e.sequence]) for e in events]
