"""Asking a JetStream consumer for messages: plain pull requests, the puller that hands over
whatever has arrived in stream order and notices a delivery lost on the way, and reading a
range of a stream. plumbing.jetstream's pull loop and plumbing.followed_events pull with these.
"""

import asyncio
import contextlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from plumbing.delivery_sequence import sequences, stream_sequence
from plumbing.errors import InfrastructureError


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


class PullError(InfrastructureError):
    """JetStream ended a pull request with an error status (e.g. the consumer was deleted)."""


class DeliveriesLost(PullError):
    """A delivery of the consumer never reached this process (the connection dropped with
    it on the way): what came after it must not be handled before it."""


class Puller:
    """Pulls batches from a durable consumer with plain NATS pull requests.

    nats-py's ``fetch`` waits for every single message with a timeout of its own, which
    here cost more than handling the message. This keeps two batches asked for (a second
    request is made while the first still has a batch to deliver; the server answers them
    in turn), hands over whatever has arrived as soon as anything has, and lets the rest
    wait in the queue for the next call, in stream order.

    A pull request that may have been lost with the connection is asked anew as soon as
    the client has connected again (a SteadyClient says when), and one that is never
    answered (the server hung) after its expiry and a second more. Deliveries are
    numbered by the consumer, one by one, redeliveries included; a number skipped means a
    delivery was lost on the way, and DeliveriesLost ends the pull, so the caller starts
    again from its stored position.
    """

    def __init__(
        self,
        nc: Client,
        stream: str,
        durable: str,
        on_arrival: Callable[[Msg], None] | None = None,
    ) -> None:
        """``on_arrival`` is told of every message as it arrives, before it is handed over
        (plumbing.read_ahead)."""
        self._nc = nc
        self._on_arrival = on_arrival
        self._stream = stream
        self._durable = durable
        self._inbox = nc.new_inbox()
        self._queue: asyncio.Queue[Msg] = asyncio.Queue()
        self._owed = 0  # messages the open pull requests may still deliver
        self._subscription: Subscription | None = None
        self._delivered = 0  # the consumer's number of the last delivery taken
        # Set when the client connects again after the open pull request was made.
        self._reconnected: asyncio.Event | None = None
        # What the server last said waits after the newest delivery; None: not known.
        self.pending: int | None = None

    async def __aenter__(self) -> "Puller":
        self._subscription = await self._nc.subscribe(self._inbox, cb=self._arrived)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._subscription is not None:
            with contextlib.suppress(Exception):  # the connection may be gone already
                await self._subscription.unsubscribe()

    async def _arrived(self, msg: Msg) -> None:
        self._queue.put_nowait(msg)
        if self._on_arrival is not None:
            self._on_arrival(msg)

    async def fetch(
        self,
        batch: int,
        wait: float,
        interrupts: Sequence[asyncio.Event] = (),
        linger: float = 0.0,
    ) -> list[Msg]:
        """What has arrived, at most ``batch``, waiting up to ``wait`` for the first and then
        up to ``linger`` for the batch to fill; nothing when one of ``interrupts`` is set
        first (e.g. stop, a lost lease)."""
        if self._reconnected is not None and self._reconnected.is_set():
            self._owed = 0  # the open requests may have gone with the old connection
        if self._owed <= batch:
            if self._owed <= 0:  # every request made before has ended
                self._reconnected = _reconnected(self._nc)
            # Topped up to two batches, so the next batch arrives while this one is handled.
            # One request of two batches, asked anew only when it had ended, left every
            # other batch of a backlog handled with nothing on its way, and the next waiting
            # on the server: in a rebuild a third of the events went unread until handled.
            more = 2 * batch - self._owed
            request = {"batch": more, "expires": int(wait * 1_000_000_000)}
            await request_pull(self._nc, self._stream, self._durable, self._inbox, request)
            self._owed += more
        reconnected = () if self._reconnected is None else (self._reconnected,)
        item = await self._next(wait + 1.0, (*interrupts, *reconnected))
        if item is None:
            return []
        msgs: list[Msg] = []
        until = asyncio.get_running_loop().time() + linger
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
            if len(msgs) >= batch:
                return msgs
            if self._queue.empty():
                # Only while the open request may still bring more: after its end (404,
                # 408, an error) nothing comes until it is asked anew.
                waited = await self._more(until) if msgs and self._owed > 0 else None
                if waited is None:
                    return msgs
                item = waited
                continue
            item = self._queue.get_nowait()

    async def _more(self, until: float) -> Msg | None:
        """The next delivery if it arrives before the loop's time ``until``, else None; the
        request stays open either way."""
        left = until - asyncio.get_running_loop().time()
        if left <= 0:
            return None
        try:
            return await asyncio.wait_for(self._queue.get(), left)
        except TimeoutError:
            return None

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
        place = sequences(msg)
        if next_delivery(msg, self._delivered) is None:
            raise DeliveriesLost(
                f"delivery {place.consumer} came after {self._delivered}"
                f" (stream sequence {place.stream}); deliveries were lost"
            )
        self._delivered = place.consumer
        self.pending = place.pending


def _reconnected(nc: Client) -> asyncio.Event | None:
    """What is set when ``nc`` connects again from now on; None for a client that does not
    say (nats-py's own: its lost request is then asked anew only after the expiry)."""
    reconnected = getattr(nc, "reconnected", None)
    return reconnected() if callable(reconnected) else None


def next_delivery(msg: Msg, last: int) -> int | None:
    """The consumer's number of ``msg`` when it is the delivery after ``last``, else None.

    A consumer numbers every delivery, redeliveries too, one after another; a number skipped
    means a delivery went elsewhere (another reader) or was lost with a dropped connection.
    """
    try:
        delivered = sequences(msg).consumer
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
        async with Puller(nc, stream, consumer) as puller:
            silent = 0
            while not found or found[-1][0] < last:
                msgs = await puller.fetch(500, 1.0)
                found += [(stream_sequence(m), m.data) for m in msgs]
                if not msgs and puller.pending == 0:
                    break  # the stream ends before ``last``
                silent = 0 if msgs else silent + 1
                if silent >= _RANGE_SILENCE:
                    raise PullError(f"{stream} gave nothing from {first} to {last}")
    finally:
        with contextlib.suppress(Exception):
            await js.delete_consumer(stream, consumer)
    return [(sequence, body) for sequence, body in found if sequence <= last]
