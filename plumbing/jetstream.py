"""NATS JetStream: connecting, declaring streams, and the one batch pull loop of every consumer.

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
import ssl
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
    DiscardPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import NotFoundError
from pydantic import SecretStr

from plumbing.errors import InfrastructureError
from plumbing.eventstore import FencedOut
from plumbing.locks import Lease, LeaseLost
from plumbing.nats_users import inbox_prefix
from plumbing.readiness import WorkerStatus

log = logging.getLogger(__name__)


# A server that stops answering (hung, paused, its machine frozen) is given up on after
# about this many seconds without a pong, and the client connects again. nats-py's default
# (two minutes, twice) left every consumer waiting four minutes on a server that had long
# come back.
PING_INTERVAL_SECONDS = 2
MAX_OUTSTANDING_PINGS = 3


class SteadyClient(Client):
    """nats-py's client, surviving a pong that comes after its waiter gave up.

    ``flush(timeout)`` cancels its pong future when the server is slow (a /ready check
    during a pause); the pong that arrives later was set on the cancelled future, which
    raised InvalidStateError in the read loop and ended it for good: the connection then
    looked open but nothing more was read, and messages delivered meanwhile were lost.
    """

    async def _process_pong(self) -> None:
        # Pongs answer pings in order: this one is for the oldest ping, given up on or not.
        if self._pongs:
            future = self._pongs.pop(0)
            if not future.done():
                future.set_result(True)
        self._pongs_received += 1
        self._pings_outstanding = 0


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: Sequence[str]
    max_age_seconds: float = 0.0  # 0 keeps messages for good
    duplicate_window_seconds: float = 120.0
    replicas: int = 1
    # When set, a message that would take the stream beyond it is refused to its sender
    # (discard new): nothing kept is dropped to make room.
    max_bytes: int | None = None


async def connect(
    url: str,
    name: str,
    user: str | None = None,
    password: SecretStr | None = None,
    ca_file: str | None = None,
) -> tuple[Client, JetStreamContext]:
    """Connect as ``user`` (none for a server without users), verifying TLS with ``ca_file``."""
    options: dict[str, Any] = {}
    if user is not None:
        secret = password.get_secret_value() if password is not None else ""
        options.update(user=user, password=secret, inbox_prefix=inbox_prefix(user))
    if ca_file is not None:
        options["tls"] = ssl.create_default_context(cafile=ca_file)
    options.update(
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        ping_interval=PING_INTERVAL_SECONDS,
        max_outstanding_pings=MAX_OUTSTANDING_PINGS,
    )
    nc = SteadyClient()
    await nc.connect(servers=url.split(","), **options)
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
            max_bytes=spec.max_bytes if spec.max_bytes is not None else -1,
            discard=DiscardPolicy.NEW if spec.max_bytes is not None else DiscardPolicy.OLD,
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
    fetch_timeout_seconds: float = 0.5

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

    async def fetch(self, batch: int, wait: float) -> list[Msg]:
        if self._owed <= 0:
            # Twice a batch: the next batch arrives while this one is being handled.
            request = {"batch": 2 * batch, "expires": int(wait * 1_000_000_000)}
            await request_pull(self._nc, self._stream, self._durable, self._inbox, request)
            self._owed = 2 * batch
        try:
            item = await asyncio.wait_for(self._queue.get(), wait + 1.0)
        except TimeoutError:
            self._owed = 0  # the request expired without a word; ask anew
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

    def _take(self, msg: Msg) -> None:
        metadata = msg.metadata
        if metadata.sequence.consumer != self._delivered + 1:
            raise DeliveriesLost(
                f"delivery {metadata.sequence.consumer} came after {self._delivered}"
                f" (stream sequence {metadata.sequence.stream}); deliveries were lost"
            )
        self._delivered = metadata.sequence.consumer
        self.pending = metadata.num_pending


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
    await _create_consumer(nc.jetstream(), settings)
    handled = settings.start_sequence - 1
    async with _Puller(nc, settings.stream, settings.consumer_name) as puller:
        while not stop.is_set():
            lease.check()
            if keep_going is not None and not await keep_going():
                return
            try:
                msgs = await puller.fetch(settings.batch_size, settings.fetch_timeout_seconds)
            except PullError:
                raise
            except Exception as error:  # e.g. reconnecting after NATS restarted
                status.retrying(error)
                log.warning("fetch from %s failed: %r", settings.durable, error)
                await asyncio.sleep(0.5)
                continue
            fresh = [m for m in msgs if m.metadata.sequence.stream > handled]
            if fresh and not await _handle_until_done(
                fresh, handler, settings, stop, lease, status
            ):
                return
            if msgs:
                handled = max(handled, msgs[-1].metadata.sequence.stream)
                await _acknowledge(msgs[-1], settings.durable)
            status.progressed(puller.pending, moved=bool(msgs))


class PublishError(InfrastructureError):
    """JetStream did not store every message of a batch; the batch should be sent again."""


@dataclass
class _Batch:
    left: int
    done: asyncio.Event
    errors: list[str]


class Publisher:
    """Publishes batches to JetStream and waits until every message is acknowledged.

    All acknowledgements come to one inbox, told apart by their reply subject, which is
    about twice as fast as nats-py's per-message futures. Messages go out in the order
    given; send a batch again after a PublishError (Nats-Msg-Id keeps it stored once).
    """

    def __init__(self, nc: Client, timeout_seconds: float = 10.0) -> None:
        self._nc = nc
        self._timeout = timeout_seconds
        self._inbox = nc.new_inbox()
        self._batches: dict[int, _Batch] = {}
        self._next_id = 0
        self._subscription: Subscription | None = None

    async def _acknowledged(self, msg: Msg) -> None:
        batch = self._batches.get(int(msg.subject.split(".")[-2]))
        if batch is None:
            return  # a late answer for a batch given up on
        status = msg.headers.get("Status") if msg.headers else None
        if status is not None:  # 503: no stream takes this subject
            batch.errors.append(f"{status} {msg.headers.get('Description', '')}")  # type: ignore[union-attr]
        elif b'"error"' in msg.data:
            batch.errors.append(json.loads(msg.data)["error"].get("description", "error"))
        batch.left -= 1
        if batch.left == 0:
            batch.done.set()

    async def publish(self, messages: Sequence[tuple[str, bytes, dict[str, str]]]) -> None:
        if not messages:
            return
        if self._subscription is None:
            self._subscription = await self._nc.subscribe(
                f"{self._inbox}.*.*", cb=self._acknowledged
            )
        self._next_id += 1
        batch_id = self._next_id
        batch = _Batch(left=len(messages), done=asyncio.Event(), errors=[])
        self._batches[batch_id] = batch
        try:
            for i, (subject, body, headers) in enumerate(messages):
                await self._nc.publish(
                    subject, body, reply=f"{self._inbox}.{batch_id}.{i}", headers=headers
                )
            try:
                await asyncio.wait_for(batch.done.wait(), self._timeout)
            except TimeoutError:
                raise PublishError(f"{batch.left} of {len(messages)} not acknowledged") from None
        finally:
            del self._batches[batch_id]
        if batch.errors:
            raise PublishError(f"{len(batch.errors)} refused, first: {batch.errors[0]}")
