"""Another write service's published events of some types, read to keep a copy of what it owns.

A service learns what another owns from its events, never its tables (goals keeps its own
organisation tree from budget's unit events). The copy lives in memory and is rebuilt from
the start of the owner's events stream when the process starts (that stream keeps its events
for good). Before each decision the copy is brought up to date with a no-wait fetch, so a
command sent right after the owner published what it names is decided against it: when
nothing is new, that costs one round trip.

The reading goes through one pull consumer per follower on the owner's stream, filtered to
the wanted subjects, named after the follower (``follower_consumer``), so the follower's NATS
user needs the rights on that one consumer only (a consumer of any name would let it pull
from others', such as reporting's). So one process of the follower reads at a time, as each
write service runs one: a new one, after a restart, replaces the consumer, and one that finds
its consumer gone, or a delivery missing, makes it again from where its own copy stands.

Like every consumer here, it never stops on a message's content: a message that is not an
event of the wanted types in the contract's shape is logged and passed over. Only the server
failing to answer is raised, as an infrastructure error, and the next catch-up tries again.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from contracts.envelope import Event
from contracts.service import WriteService
from plumbing.delivery_sequence import stream_sequence
from plumbing.errors import InfrastructureError
from plumbing.event_codec import UnreadableEvent, read_event
from plumbing.nats_users import follower_consumer
from plumbing.pull_requests import next_delivery, replace_consumer, request_pull

log = logging.getLogger(__name__)

# A consumer left behind by a process that died goes away by itself after this long.
INACTIVE_SECONDS = 3600.0
# How often a catch-up makes the consumer again (it was replaced or lost) before giving up.
MAX_REMAKES = 3


class FollowError(InfrastructureError):
    """The owner's stream could not be read now; the copy stays as it was."""


class FollowedEvents:
    """The events of ``event_types`` that ``declaration``'s service has published, in order."""

    def __init__(
        self,
        nc: Client,
        follower: str,
        declaration: WriteService,
        event_types: Sequence[str],
        batch_size: int = 500,
        timeout_seconds: float = 5.0,
    ) -> None:
        unknown = set(event_types) - set(declaration.events)
        if unknown:
            raise ValueError(f"{declaration.name} publishes no {sorted(unknown)}")
        self._nc = nc
        self._declaration = declaration
        self._events = {t: declaration.events[t] for t in event_types}
        self._stream = declaration.events_stream
        self._consumer = follower_consumer(follower)
        self._subjects = [declaration.event_subject(t) for t in sorted(self._events)]
        self._batch = batch_size
        self._timeout = timeout_seconds
        self._made = False
        self._last_stream_sequence = 0  # the last message of the stream seen
        self._last_delivery = 0  # the consumer's sequence of the last message it gave
        self._lock = asyncio.Lock()

    async def new_events(self) -> AsyncIterator[Event]:
        """Every wanted event published since the last call (since the start, the first time)."""
        async with self._lock:
            for _ in range(MAX_REMAKES + 1):
                if not self._made and not await self._make_consumer():
                    return  # the owner has not declared its stream yet: nothing published
                while self._made:
                    msgs, more = await self._fetch()
                    for msg in msgs:
                        self._last_stream_sequence = stream_sequence(msg)
                        event = self._event(msg)
                        if event is not None:
                            yield event
                    if not more and self._made:
                        return
            raise FollowError(f"{self._stream}: consumer {self._consumer} kept being replaced")

    async def _make_consumer(self) -> bool:
        js = self._nc.jetstream(timeout=self._timeout)
        start = self._last_stream_sequence + 1
        try:
            await replace_consumer(
                js,
                self._stream,
                ConsumerConfig(
                    name=self._consumer,
                    filter_subjects=self._subjects,
                    deliver_policy=(
                        DeliverPolicy.ALL if start == 1 else DeliverPolicy.BY_START_SEQUENCE
                    ),
                    opt_start_seq=None if start == 1 else start,
                    # The copy's position is in memory; a lost delivery shows as a gap in
                    # the consumer's sequence, after which the consumer is made again.
                    ack_policy=AckPolicy.NONE,
                    inactive_threshold=INACTIVE_SECONDS,
                    mem_storage=True,
                ),
            )
        except NotFoundError:
            return False
        self._made = True
        self._last_delivery = 0
        return True

    async def _fetch(self) -> tuple[list[Msg], bool]:
        """Whatever the consumer has now, up to a batch, and whether more may be waiting:
        one request, no waiting for more. When the consumer turns out replaced or gone, it
        is marked to be made again and the messages before that are what it returns."""
        # An inbox per request: a late answer to a request given up on never mixes in.
        queue: asyncio.Queue[Msg] = asyncio.Queue()

        async def arrived(msg: Msg) -> None:
            queue.put_nowait(msg)

        inbox = self._nc.new_inbox()
        subscription = await self._nc.subscribe(inbox, cb=arrived)
        try:
            request = {"batch": self._batch, "no_wait": True}
            await request_pull(self._nc, self._stream, self._consumer, inbox, request)
            return await self._answer(queue)
        finally:
            try:
                await subscription.unsubscribe()
            except Exception as error:  # the connection may be gone already
                log.info("unsubscribing from %s failed: %r", inbox, error)

    async def _answer(self, queue: "asyncio.Queue[Msg]") -> tuple[list[Msg], bool]:
        msgs: list[Msg] = []
        while len(msgs) < self._batch:
            try:
                msg = await asyncio.wait_for(queue.get(), self._timeout)
            except TimeoutError:
                raise FollowError(f"{self._stream} did not answer in {self._timeout}s") from None
            headers = msg.headers or {}
            status = headers.get("Status")
            if status is None and self._next_delivery(msg):
                msgs.append(msg)
                continue
            if status in ("404", "408"):  # nothing more now
                return msgs, False
            if status != "100":  # a heartbeat goes on; anything else ends this consumer
                # 409: the consumer was deleted or changed; 503: no consumer answers.
                why = f"{status} {headers.get('Description', '')}" if status else "a gap"
                log.info("consumer %s on %s: %s; made again", self._consumer, self._stream, why)
                self._made = False
                return msgs, True
        return msgs, True

    def _next_delivery(self, msg: Msg) -> bool:
        """Whether ``msg`` is the consumer's next delivery to this process.

        When it is not, another process pulled from the consumer, or a delivery was lost on
        the way; either way this process makes its consumer again.
        """
        delivered = next_delivery(msg, self._last_delivery)
        if delivered is None:
            return False
        self._last_delivery = delivered
        return True

    def _event(self, msg: Msg) -> Event | None:
        """The message's event as its contract model, or None (logged) when it is not one."""
        where = f"{self._stream} #{self._last_stream_sequence}"
        try:
            envelope, event = read_event(msg.data, self._events)
        except UnreadableEvent as error:
            log.warning("%s passed over: %s", where, error)
            return None
        if msg.subject != self._declaration.event_subject(envelope.event_type):
            log.warning("%s carries %s on %s; passed over", where, envelope.event_type, msg.subject)
            return None
        return event
