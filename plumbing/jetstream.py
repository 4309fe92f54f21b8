"""NATS JetStream: connecting, declaring streams, and the one batch pull loop of every consumer."""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: Sequence[str]
    max_age_seconds: float = 0.0  # 0 keeps messages for good
    duplicate_window_seconds: float = 120.0
    replicas: int = 1


async def connect(url: str, name: str) -> tuple[Client, JetStreamContext]:
    nc = await nats.connect(
        servers=url.split(","), name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5
    )
    return nc, nc.jetstream(timeout=10)


async def ensure_streams(js: JetStreamContext, specs: Sequence[StreamSpec]) -> None:
    for spec in specs:
        config = StreamConfig(
            name=spec.name,
            subjects=list(spec.subjects),
            storage=StorageType.FILE,
            max_age=spec.max_age_seconds,
            duplicate_window=spec.duplicate_window_seconds,
            num_replicas=spec.replicas,
        )
        try:
            await js.stream_info(spec.name)
            await js.update_stream(config)
        except NotFoundError:
            await js.add_stream(config)


async def wait_for_stream(js: JetStreamContext, name: str, stop: asyncio.Event) -> None:
    """Wait until the owning service has declared ``name`` (it may start after us)."""
    while not stop.is_set():
        try:
            await js.stream_info(name)
            return
        except NotFoundError:
            log.info("waiting for stream %s", name)
            await asyncio.sleep(0.5)


class StopConsuming(Exception):
    """Raised by a batch handler to end the pull loop without acknowledging the batch."""


BatchHandler = Callable[[list[Msg]], Awaitable[None]]


@dataclass(frozen=True)
class PullSettings:
    stream: str
    durable: str
    subject: str
    start_sequence: int  # the first stream sequence not yet handled, from the caller's store
    batch_size: int = 500
    ack_wait_seconds: float = 30.0
    fetch_timeout_seconds: float = 0.5


async def _subscribe(
    js: JetStreamContext, settings: PullSettings
) -> JetStreamContext.PullSubscription:
    # Created afresh at the caller's position each time: its store, not JetStream's ack
    # floor, says what has been handled.
    try:
        await js.delete_consumer(settings.stream, settings.durable)
    except NotFoundError:
        pass
    config = ConsumerConfig(
        durable_name=settings.durable,
        ack_policy=AckPolicy.ALL,
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
        opt_start_seq=settings.start_sequence,
        ack_wait=settings.ack_wait_seconds,
        max_ack_pending=max(settings.batch_size * 4, 1000),
        max_deliver=-1,
    )
    return await js.pull_subscribe(
        settings.subject, durable=settings.durable, stream=settings.stream, config=config
    )


async def _handle_until_done(
    msgs: list[Msg], handler: BatchHandler, settings: PullSettings, stop: asyncio.Event
) -> bool:
    """Run ``handler`` on the batch until it succeeds; False when told to stop first.

    A failed batch is retried in place rather than skipped: fetching on would deliver
    later messages before the failed ones, and the order of events matters.
    """
    delay = 0.2
    while True:
        try:
            await handler(msgs)
            return True
        except StopConsuming:
            return False
        except Exception:
            log.exception("batch of %d from %s failed; retrying", len(msgs), settings.durable)
        if stop.is_set():
            return False
        await asyncio.gather(*(m.in_progress() for m in msgs), return_exceptions=True)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 5.0)


async def pull_batches(
    js: JetStreamContext,
    settings: PullSettings,
    handler: BatchHandler,
    stop: asyncio.Event,
    keep_going: Callable[[], Awaitable[bool]] | None = None,
) -> None:
    """Fetch batches from a durable pull consumer and hand each to ``handler``, in order.

    This is for consumers that keep their position in their own store, written in the
    same transaction as the batch's effects (``start_sequence`` comes from there). That
    makes one acknowledgement per batch safe (AckAll on its last message): a failed batch
    is retried in place before anything later is fetched, and after a crash the consumer
    is recreated at the stored position, so nothing unhandled is ever acknowledged. Only
    one process may consume at a time (see plumbing.locks.sole_worker). FastStream's
    default policy would instead terminate a message whose handler raised.
    """
    sub = await _subscribe(js, settings)
    try:
        while not stop.is_set():
            if keep_going is not None and not await keep_going():
                return
            try:
                msgs = await sub.fetch(settings.batch_size, timeout=settings.fetch_timeout_seconds)
            except TimeoutError:  # nats' own TimeoutError derives from it
                continue
            except Exception as error:  # e.g. reconnecting, or the consumer was removed
                log.warning("fetch from %s failed: %r", settings.durable, error)
                await asyncio.sleep(0.5)
                continue
            if not msgs:
                continue
            if not await _handle_until_done(msgs, handler, settings, stop):
                return
            await msgs[-1].ack()
    finally:
        await sub.unsubscribe()


async def pending(js: JetStreamContext, stream: str, durable: str) -> int:
    """Messages not yet delivered plus delivered but unacknowledged."""
    info = await js.consumer_info(stream, durable)
    return int(info.num_pending or 0) + int(info.num_ack_pending or 0)
