"""NATS JetStream: the one batch pull loop of every consumer (its pull requests and a
stream's range read in plumbing.pull_requests).

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
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
)
from nats.js.errors import NotFoundError

from plumbing.delivery_sequence import stream_sequence
from plumbing.eventstore import FencedOut
from plumbing.locks import Lease, LeaseLost
from plumbing.pull_requests import Puller, PullError
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
    # and checks ``keep_going``, and how soon a request is asked anew that the server never
    # answered (this and a second more). One lost with a dropped connection is asked anew
    # at the reconnect (plumbing.pull_requests.Puller). Long, because every idle consumer's
    # request expiring and being asked again was much of an idle nats-server's work (it was
    # 5 s); a rebuild's switch to the new generation, which ``keep_going`` notices, is made
    # at once all the same when an event comes (the old generation refuses it).
    fetch_timeout_seconds: float = 30.0
    # How long a batch that is not full waits for more once its first message is in. A
    # trickle (a ledger sending 500 commands a second) otherwise makes batches of two or
    # three, each a transaction with its fixed cost in PostgreSQL: waiting this long made
    # them about four times larger, for at most this much more latency per hop.
    linger_seconds: float = 0.01

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


def _fresh(msgs: list[Msg], handled: int) -> list[Msg]:
    """The messages after the stream sequence ``handled``, each once, in stream order.

    A delivery whose ack wait ran out (its batch retried while PostgreSQL was away, say)
    is delivered again, and with the next batch already asked for, the second delivery can
    come in the same fetch as the first: a command handled twice in one batch would be
    stored once and refused once as a duplicate of itself.
    """
    fresh = []
    for msg in msgs:
        sequence = stream_sequence(msg)
        if sequence > handled:
            fresh.append(msg)
            handled = sequence
    return fresh


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
    on_arrival: Callable[[Msg], None] | None = None,
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
    ``on_arrival`` is told of each message as it arrives (plumbing.read_ahead).
    """
    js = nc.jetstream()
    await _create_consumer(js, settings)
    handled = settings.start_sequence - 1
    observed = PullTelemetry(settings.stream, settings.durable)
    async with Puller(nc, settings.stream, settings.consumer_name, on_arrival) as puller:
        while not stop.is_set():
            lease.check()
            if keep_going is not None and not await keep_going():
                return
            await observed.ask_consumer(js, settings.consumer_name)
            try:
                msgs = await puller.fetch(
                    settings.batch_size,
                    settings.fetch_timeout_seconds,
                    (stop, lease.lost),
                    settings.linger_seconds,
                )
            except PullError:
                raise
            except Exception as error:  # e.g. reconnecting after NATS restarted
                status.retrying(error)
                log.warning("fetch from %s failed: %r", settings.durable, error)
                await asyncio.sleep(0.5)
                continue
            fresh = _fresh(msgs, handled)
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
                observed.delivered()
                # The newest, which need not come last: AckAll takes every one before it.
                newest = max(msgs, key=stream_sequence)
                handled = max(handled, stream_sequence(newest))
                await _acknowledge(newest, settings.durable)
            status.progressed(puller.pending, moved=bool(msgs))
