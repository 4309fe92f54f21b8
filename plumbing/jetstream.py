"""NATS JetStream: the one batch pull loop of every consumer, and reading a stream's range.

The ordered consumers (inbound commands, projections) use this pull loop, not FastStream's
subscribers: they need a failed batch retried in place before anything later, their position
read from and written to PostgreSQL with the batch, and a consumer per lease epoch for
fencing. FastStream 0.7.8's BatchPullStreamSubscriber hands a batch to its handler once and
fetches on: by default it terminates a failed batch (dropped); with NACK_ON_ERROR nothing
holds later messages back while the nak'd ones wait to be redelivered. PULL_LOOP.md beside
this file gives the details with FastStream's file and function names, and where FastStream
is used instead (the AsyncAPI documents, unordered side consumers).
"""

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
)
from nats.js.errors import NotFoundError

from plumbing.errors import InfrastructureError
from plumbing.eventstore import FencedOut
from plumbing.locks import Lease, LeaseLost
from plumbing.pull_telemetry import PullTelemetry
from plumbing.readiness import WorkerStatus

log = logging.getLogger(__name__)


# A consumer left behind by a process that died goes away by itself after this long.
INACTIVE_CONSUMER_SECONDS = 3600.0


class StopConsuming(Exception):
    """Raised by a batch handler to end the pull loop without acknowledging the batch."""


BatchHandler = Callable[[list[Msg]], Awaitable[None]]


@dataclass(frozen=True)
class PullSettings:
    stream: str
    durable: str
    subject: str
    start_sequence: int  # the first stream sequence not yet handled, from the caller's store
    epoch: int = 0  # the fencing epoch of the lock holder (plumbing.locks.Lease)
    batch_size: int = 500
    ack_wait_seconds: float = 30.0
    # How long a pull request waits on the server for messages. Messages are handed over as
    # they arrive, so this costs no latency; it is how often an idle consumer asks again
    # and checks ``keep_going``, and how soon a request lost with a dropped connection is
    # asked anew (this and a second more).
    fetch_timeout_seconds: float = 5.0

    @property
    def consumer_name(self) -> str:
        return f"{self.durable}-e{self.epoch}"


async def delete_consumers(js: JetStreamContext, stream: str, durable: str) -> None:
    """Remove every consumer of ``durable``: its current name and those of earlier holders."""
    for info in await js.consumers_info(stream):
        name = info.name or ""
        if name == durable or name.startswith(f"{durable}-e"):
            try:
                await js.delete_consumer(stream, name)
            except NotFoundError:
                pass


async def replace_consumer(js: JetStreamContext, stream: str, config: ConsumerConfig) -> None:
    """Make the consumer ``config`` describes on ``stream`` afresh: one of its name left
    behind (by this process, or one that died) is deleted first. Raises NotFoundError when
    there is no such stream (yet)."""
    name = config.name or config.durable_name
    if name is None:
        raise ValueError("a consumer to replace needs a name")
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(stream, name)
    await js.add_consumer(stream, config)


async def request_pull(
    nc: Client, stream: str, consumer: str, reply: str, request: dict[str, Any]
) -> None:
    """Ask ``consumer`` of ``stream`` for messages, delivered to ``reply``: a JetStream pull
    request (``batch``, with ``expires`` or ``no_wait``). Its answer ends with a status
    message (404: nothing now, 408: it expired) unless the batch filled first."""
    await nc.publish(
        f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}", json.dumps(request).encode(), reply=reply
    )


async def _create_consumer(js: JetStreamContext, settings: PullSettings) -> None:
    # Created afresh at the caller's position each time: its store, not JetStream's ack
    # floor, says what has been handled. Each holder of the worker's lock gets a consumer
    # of its own name: a former holder that has not yet noticed it lost the lock can then
    # never take messages from the new holder's consumer (an acknowledgement of a later
    # message would acknowledge them too, and they would never be handled).
    await delete_consumers(js, settings.stream, settings.durable)
    await js.add_consumer(
        settings.stream,
        ConsumerConfig(
            durable_name=settings.consumer_name,
            filter_subject=settings.subject,
            ack_policy=AckPolicy.ALL,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=settings.start_sequence,
            ack_wait=settings.ack_wait_seconds,
            max_ack_pending=max(settings.batch_size * 4, 1000),
            max_deliver=-1,
            inactive_threshold=INACTIVE_CONSUMER_SECONDS,
        ),
    )


class PullError(InfrastructureError):
    """JetStream ended a pull request with an error status (e.g. the consumer was deleted)."""


class DeliveriesLost(PullError):
    """A delivery of the consumer never reached this process (the connection dropped with
    it on the way): what came after it must not be handled before it."""


class _Puller:
    """Pulls batches from a durable consumer with plain NATS pull requests.

    nats-py's ``fetch`` waits for every single message with a timeout of its own, which
    here cost more than handling the message. This keeps one pull request open at a
    time, hands over whatever has arrived as soon as anything has, and lets the rest of
    the request's messages wait in the queue for the next call, in stream order.

    A pull request that is never answered (the server hung, or the connection dropped
    and came back without it) is given up on after its expiry and a second more, and
    asked anew. Deliveries are numbered by the consumer, one by one, redeliveries
    included; a number skipped means a delivery was lost on the way, and DeliveriesLost
    ends the pull, so the caller starts again from its stored position.
    """

    def __init__(self, nc: Client, stream: str, durable: str) -> None:
        self._nc = nc
        self._stream = stream
        self._durable = durable
        self._inbox = nc.new_inbox()
        self._queue: asyncio.Queue[Msg] = asyncio.Queue()
        self._owed = 0  # messages the open pull request may still deliver
        self._subscription: Subscription | None = None
        self._delivered = 0  # the consumer's number of the last delivery taken
        # What the server last said waits after the newest delivery; None: not known.
        self.pending: int | None = None

    async def __aenter__(self) -> "_Puller":
        self._subscription = await self._nc.subscribe(self._inbox, cb=self._arrived)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._subscription is not None:
            with contextlib.suppress(Exception):  # the connection may be gone already
                await self._subscription.unsubscribe()

    async def _arrived(self, msg: Msg) -> None:
        self._queue.put_nowait(msg)

    async def fetch(
        self, batch: int, wait: float, interrupts: Sequence[asyncio.Event] = ()
    ) -> list[Msg]:
        """What has arrived, at most ``batch``, waiting up to ``wait`` for the first;
        nothing when one of ``interrupts`` is set first (e.g. stop, a lost lease)."""
        if self._owed <= 0:
            # Twice a batch: the next batch arrives while this one is being handled.
            request = {"batch": 2 * batch, "expires": int(wait * 1_000_000_000)}
            await request_pull(self._nc, self._stream, self._durable, self._inbox, request)
            self._owed = 2 * batch
        item = await self._next(wait + 1.0, interrupts)
        if item is None:
            return []
        msgs: list[Msg] = []
        while True:
            status = item.headers.get("Status") if item.headers else None
            if status is None:
                self._take(item)
                msgs.append(item)
                self._owed -= 1  # a full batch ends the request without a status
            elif status in ("404", "408"):  # no messages now / request expired
                self._owed = 0
                if status == "404":
                    self.pending = 0
            elif status != "100":  # 100 is a heartbeat
                self._owed = 0
                raise PullError(f"{status} {item.headers.get('Description', '')}")  # type: ignore[union-attr]
            if len(msgs) >= batch or self._queue.empty():
                return msgs
            item = self._queue.get_nowait()

    async def _next(self, seconds: float, interrupts: Sequence[asyncio.Event]) -> Msg | None:
        if not self._queue.empty():
            return self._queue.get_nowait()
        getter = asyncio.ensure_future(self._queue.get())
        waiters = [asyncio.ensure_future(e.wait()) for e in interrupts]
        try:
            await asyncio.wait(
                [getter, *waiters], timeout=seconds, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for waiter in waiters:
                waiter.cancel()
            if not getter.done():
                getter.cancel()  # a get not yet resumed has taken nothing from the queue
        if getter.done() and not getter.cancelled():
            return getter.result()
        if not any(e.is_set() for e in interrupts):
            self._owed = 0  # the request expired without a word; ask anew
        return None

    def _take(self, msg: Msg) -> None:
        metadata = msg.metadata
        if next_delivery(msg, self._delivered) is None:
            raise DeliveriesLost(
                f"delivery {metadata.sequence.consumer} came after {self._delivered}"
                f" (stream sequence {metadata.sequence.stream}); deliveries were lost"
            )
        self._delivered = metadata.sequence.consumer
        self.pending = metadata.num_pending


def next_delivery(msg: Msg, last: int) -> int | None:
    """The consumer's number of ``msg`` when it is the delivery after ``last``, else None.

    A consumer numbers every delivery, redeliveries too, one after another; a number skipped
    means a delivery went elsewhere (another reader) or was lost with a dropped connection.
    """
    try:
        delivered = int(msg.metadata.sequence.consumer)
    except Exception:  # not a JetStream delivery at all
        return None
    return delivered if delivered == last + 1 else None


# A range read gives up after this many pulls in a row that brought nothing and no word.
_RANGE_SILENCE = 10


async def read_range(
    nc: Client, stream: str, consumer: str, first: int, last: int
) -> list[tuple[int, bytes]]:
    """The messages of ``stream`` from sequence ``first`` to ``last`` as (sequence, body),
    through a consumer named ``consumer`` made for the read and removed after it."""
    if last < first:
        return []
    js = nc.jetstream()
    await replace_consumer(
        js,
        stream,
        ConsumerConfig(
            durable_name=consumer,
            ack_policy=AckPolicy.NONE,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=first,
            inactive_threshold=60.0,
        ),
    )
    found: list[tuple[int, bytes]] = []
    try:
        async with _Puller(nc, stream, consumer) as puller:
            silent = 0
            while not found or found[-1][0] < last:
                msgs = await puller.fetch(500, 1.0)
                found += [(m.metadata.sequence.stream, m.data) for m in msgs]
                if not msgs and puller.pending == 0:
                    break  # the stream ends before ``last``
                silent = 0 if msgs else silent + 1
                if silent >= _RANGE_SILENCE:
                    raise PullError(f"{stream} gave nothing from {first} to {last}")
    finally:
        with contextlib.suppress(Exception):
            await js.delete_consumer(stream, consumer)
    return [(sequence, body) for sequence, body in found if sequence <= last]


async def _handle_until_done(
    msgs: list[Msg],
    handler: BatchHandler,
    settings: PullSettings,
    stop: asyncio.Event,
    lease: Lease,
    status: WorkerStatus,
) -> bool:
    """Run ``handler`` on the batch until it succeeds; False when told to stop first.

    A failed batch is retried in place rather than skipped: fetching on would deliver
    later messages before the failed ones, and the order of events matters. Handlers
    refuse or park what is wrong with a message themselves, so what fails here is the
    infrastructure, which comes back. A lost lock ends the loop (LeaseLost).
    """
    delay = 0.2
    while True:
        lease.check()
        try:
            await handler(msgs)
            status.working()
            return True
        except StopConsuming:
            return False
        except LeaseLost:
            raise
        except FencedOut as error:
            lease.lost.set()
            raise LeaseLost(str(error)) from error
        except Exception as error:
            status.retrying(error)
            log.warning("batch from %s failed; retrying: %r", settings.durable, error)
        if stop.is_set():
            return False
        await asyncio.gather(*(m.in_progress() for m in msgs), return_exceptions=True)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 5.0)


async def _acknowledge(msg: Msg, durable: str) -> None:
    # The position stored with the batch is the truth; a lost acknowledgement only means
    # a redelivery, which is recognised by its sequence and acknowledged then.
    try:
        await msg.ack()
    except Exception as error:
        log.info("acknowledgement to %s failed: %r", durable, error)


async def pull_batches(
    nc: Client,
    settings: PullSettings,
    handler: BatchHandler,
    stop: asyncio.Event,
    lease: Lease,
    status: WorkerStatus,
    keep_going: Callable[[], Awaitable[bool]] | None = None,
) -> None:
    """Fetch batches from a durable pull consumer and hand each to ``handler``, in order.

    This is for consumers that keep their position in their own store, written in the
    same transaction as the batch's effects (``start_sequence`` comes from there). That
    makes one acknowledgement per batch safe (AckAll on its last message): a failed batch
    is retried in place before anything later is fetched, and after a crash the consumer
    is recreated at the stored position, so nothing unhandled is ever acknowledged.
    Messages redelivered after they were handled (an acknowledgement lost when NATS
    restarted) are acknowledged again without reaching the handler. Only one process may
    consume at a time (``lease``, see plumbing.locks). FastStream's default policy would
    instead terminate a message whose handler raised.

    Returns when stopped or no longer wanted; raises LeaseLost when the lock is gone and
    PullError when the consumer disappeared (the caller starts again from its store).
    """
    js = nc.jetstream()
    await _create_consumer(js, settings)
    handled = settings.start_sequence - 1
    observed = PullTelemetry(settings.stream, settings.durable)
    async with _Puller(nc, settings.stream, settings.consumer_name) as puller:
        while not stop.is_set():
            lease.check()
            if keep_going is not None and not await keep_going():
                return
            await observed.ask_consumer(js, settings.consumer_name)
            try:
                msgs = await puller.fetch(
                    settings.batch_size, settings.fetch_timeout_seconds, (stop, lease.lost)
                )
            except PullError:
                raise
            except Exception as error:  # e.g. reconnecting after NATS restarted
                status.retrying(error)
                log.warning("fetch from %s failed: %r", settings.durable, error)
                await asyncio.sleep(0.5)
                continue
            fresh = [m for m in msgs if m.metadata.sequence.stream > handled]
            if fresh:
                started, spans = time.perf_counter(), observed.processing(fresh)
                with observed.receiving(len(fresh)):
                    done = await _handle_until_done(fresh, handler, settings, stop, lease, status)
                if not done:
                    return
                observed.handled(fresh, spans, time.perf_counter() - started, puller.pending)
            elif puller.pending == 0:
                observed.caught_up()
            if msgs:
                handled = max(handled, msgs[-1].metadata.sequence.stream)
                await _acknowledge(msgs[-1], settings.durable)
            status.progressed(puller.pending, moved=bool(msgs))
