"""A stream of its own and a durable consumer on it, pulled with plumbing's Puller: for tests
of how pulling behaves (lingering, asking anew after a reconnect)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StreamConfig

from plumbing.jetstream import PullSettings, _create_consumer
from plumbing.nats_connection import connect
from plumbing.pull_requests import Puller
from tests.servers import Servers


@asynccontextmanager
async def pulling(
    servers: Servers, stream: str, subject: str, durable: str
) -> AsyncIterator[tuple[Client, JetStreamContext, Puller]]:
    """A connection, ``stream`` taking ``subject``, and a puller of the consumer ``durable``
    from its start; the stream is removed and the connection closed afterwards."""
    nc, js = await connect(servers.nats_url, f"{durable} puller")
    try:
        await js.add_stream(StreamConfig(name=stream, subjects=[subject]))
        settings = PullSettings(stream=stream, durable=durable, subject=subject, start_sequence=1)
        await _create_consumer(js, settings)
        async with Puller(nc, stream, settings.consumer_name) as puller:
            yield nc, js, puller
    finally:
        await js.delete_stream(stream)
        await nc.close()
