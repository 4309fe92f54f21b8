"""A consumer that keeps its position in PostgreSQL: the one way every service consumes."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

import asyncpg
from nats.aio.client import Client
from nats.aio.msg import Msg

from plumbing.jetstream import PullSettings, pull_batches
from plumbing.locks import Lease, sole_worker
from plumbing.nats_connection import wait_for_stream
from plumbing.readiness import WorkerStatus

# Stores a batch's effects together with the batch's last sequence, checking the lease
# (plumbing.locks.fenced) in the same transaction.
FencedBatchHandler = Callable[[list[Msg], Lease], Awaitable[None]]


@dataclass(frozen=True)
class Consumer:
    """A durable consumer of ``subject`` on ``stream``; its fields are PullSettings' own."""

    stream: str
    subject: str
    durable: str
    batch_size: int = 500
    ack_wait_seconds: float = 30.0


async def consume_from_position(
    pool: asyncpg.Pool,
    nc: Client,
    consumer: Consumer,
    position: Callable[[], Awaitable[int]],
    handler: FencedBatchHandler,
    stop: asyncio.Event,
    status: WorkerStatus,
    keep_going: Callable[[], Awaitable[bool]] | None = None,
    on_arrival: Callable[[Msg], None] | None = None,
) -> bool:
    """Consume ``consumer`` from just after ``position()`` until stopped or not wanted.

    ``handler`` stores each batch's effects together with the batch's last sequence, so
    that ``position()`` is the truth. Only one process consumes at a time (the others
    wait on a lock named after the durable consumer): two would interleave batches.
    ``on_arrival`` is told of each message as it arrives (plumbing.read_ahead).
    Returns False when it stopped before it got to consume. Raises LeaseLost when the
    lock was lost, and infrastructure errors as they come: the caller starts again.
    """
    await wait_for_stream(nc.jetstream(), consumer.stream, stop)
    status.standby()
    async with sole_worker(pool, consumer.durable, stop, still_wanted=keep_going) as lease:
        if lease is None:
            return False
        status.working()
        # Read only now: the lease's epoch was raised after the previous holder's last
        # write committed, so this is where that holder stopped.
        start = await position() + 1
        # The consumer's own settings, pulled from there, as this holder of the lease.
        pull = PullSettings(**asdict(consumer), start_sequence=start, epoch=lease.epoch)
        held: Lease = lease

        async def handle(msgs: list[Msg]) -> None:
            await handler(msgs, held)

        await pull_batches(nc, pull, handle, stop, lease, status, keep_going, on_arrival)
        return True
