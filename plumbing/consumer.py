"""A consumer that keeps its position in PostgreSQL: the one way every service consumes."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg
from nats.aio.client import Client

from plumbing.jetstream import BatchHandler, PullSettings, pull_batches, wait_for_stream
from plumbing.locks import sole_worker


@dataclass(frozen=True)
class Consumer:
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
    handler: BatchHandler,
    stop: asyncio.Event,
    keep_going: Callable[[], Awaitable[bool]] | None = None,
) -> bool:
    """Consume ``consumer`` from just after ``position()`` until stopped or not wanted.

    ``handler`` stores each batch's effects together with the batch's last sequence, so
    that ``position()`` is the truth. Only one process consumes at a time (the others
    wait on a lock named after the durable consumer): two would interleave batches.
    Returns False when it stopped before it got to consume.
    """
    await wait_for_stream(nc.jetstream(), consumer.stream, stop)
    async with sole_worker(pool, consumer.durable, stop, still_wanted=keep_going) as mine:
        if not mine:
            return False
        pull = PullSettings(
            stream=consumer.stream,
            durable=consumer.durable,
            subject=consumer.subject,
            start_sequence=await position() + 1,
            batch_size=consumer.batch_size,
            ack_wait_seconds=consumer.ack_wait_seconds,
        )
        await pull_batches(nc, pull, handler, stop, keep_going)
        return True
