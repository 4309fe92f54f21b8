"""JetStream's own state for the operators' view: each stream's last sequence and each
consumer's position, what it still has to take, and how far behind it is in seconds.

Read with reporting's NATS user, which may read streams' and consumers' info and single
messages of the services' streams, and change nothing (plumbing.nats_users)."""

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo, RawStreamMsg
from nats.js.errors import NotFoundError

from contracts.write_services import WRITE_SERVICES


@dataclass(frozen=True)
class ConsumerState:
    name: str
    delivered: int  # the stream sequence last delivered
    acknowledged: int  # the stream sequence up to which everything is acknowledged
    pending: int  # messages not yet delivered
    unacknowledged: int  # delivered, not yet acknowledged
    lag_seconds: float | None  # since the oldest message not yet acknowledged was stored


@dataclass(frozen=True)
class StreamState:
    name: str
    messages: int
    last_sequence: int
    consumers: tuple[ConsumerState, ...]
    problem: str | None = None  # why it could not be read, in Swedish


def service_streams() -> list[str]:
    """Every stream of the write services: each one's inbound, events and rejections."""
    return [
        stream
        for service in WRITE_SERVICES
        for stream in (service.inbound_stream, service.events_stream, service.rejected_stream)
    ]


async def message_at(js: JetStreamContext, stream: str, sequence: int) -> RawStreamMsg | None:
    """The stream's message at ``sequence``, or None when it is gone (or never was), or
    NATS does not answer: a journey then shows what the stores say without it."""
    with contextlib.suppress(NotFoundError, NatsError, TimeoutError):
        return await js.get_msg(stream, sequence)
    return None


async def _lag(js: JetStreamContext, stream: str, consumer: ConsumerInfo) -> float | None:
    behind = (consumer.num_pending or 0) + (consumer.num_ack_pending or 0)
    if not behind:
        return 0.0
    floor = consumer.ack_floor.stream_seq if consumer.ack_floor else 0
    subject = consumer.config.filter_subject or ">"
    try:
        oldest = await js.get_msg(stream, (floor or 0) + 1, subject, next=True)
    except NotFoundError:
        return None
    if oldest.time is None:
        return None
    return max(0.0, (datetime.now(UTC) - oldest.time).total_seconds())


async def _consumer_state(js: JetStreamContext, stream: str, info: ConsumerInfo) -> ConsumerState:
    return ConsumerState(
        name=info.name,
        delivered=int(info.delivered.stream_seq or 0) if info.delivered else 0,
        acknowledged=int(info.ack_floor.stream_seq or 0) if info.ack_floor else 0,
        pending=int(info.num_pending or 0),
        unacknowledged=int(info.num_ack_pending or 0),
        lag_seconds=await _lag(js, stream, info),
    )


async def stream_state(js: JetStreamContext, stream: str) -> StreamState:
    try:
        info = await js.stream_info(stream)
        consumers = await js.consumers_info(stream)
        states = [await _consumer_state(js, stream, c) for c in consumers]
    except NotFoundError:
        return StreamState(stream, 0, 0, (), "strömmen finns inte än")
    except (NatsError, TimeoutError) as error:  # NATS away: the view shows the rest
        return StreamState(stream, 0, 0, (), f"kunde inte läsas: {type(error).__name__}")
    return StreamState(
        name=stream,
        messages=int(info.state.messages or 0),
        last_sequence=int(info.state.last_seq or 0),
        consumers=tuple(sorted(states, key=lambda c: c.name)),
    )


async def stream_states(js: JetStreamContext, streams: Sequence[str]) -> list[StreamState]:
    return [await stream_state(js, stream) for stream in streams]
