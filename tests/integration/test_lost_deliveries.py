"""A delivery lost on its way to the pull loop ends the pull before anything after it is
handled, so the consumer starts again from its stored position and no message is skipped."""

import asyncio
import json

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StreamConfig

from plumbing.jetstream import PullSettings, _create_consumer
from plumbing.nats_connection import SteadyClient
from plumbing.pull_requests import DeliveriesLost, Puller

STREAM = "LOSSES"
SUBJECT = "losses.>"


async def _stream_of(js: JetStreamContext, count: int) -> None:
    await js.add_stream(StreamConfig(name=STREAM, subjects=[SUBJECT]))
    for i in range(count):
        await js.publish(f"losses.{i}", str(i).encode())


async def _steal_one(nc: Client, consumer: str) -> None:
    """Another reader takes the consumer's next delivery, as a dropped connection would."""
    inbox = nc.new_inbox()
    subscription = await nc.subscribe(inbox)
    await nc.publish(
        f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.{consumer}",
        json.dumps({"batch": 1, "expires": 1_000_000_000}).encode(),
        reply=inbox,
    )
    stolen = await subscription.next_msg(timeout=5)
    await subscription.unsubscribe()
    assert stolen.data == b"0", "the thief took the first message"


async def test_a_delivery_taken_elsewhere_ends_the_pull_before_later_ones_are_handed_over(
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    nc, js = nats_client
    await _stream_of(js, 10)
    settings = PullSettings(stream=STREAM, durable="losses", subject=SUBJECT, start_sequence=1)
    await _create_consumer(js, settings)
    await _steal_one(nc, settings.consumer_name)
    async with Puller(nc, STREAM, settings.consumer_name) as puller:
        with pytest.raises(DeliveriesLost, match="delivery 2 came after 0"):
            await puller.fetch(5, 10.0)  # returns as soon as the delivery is in


async def test_deliveries_that_all_arrive_are_handed_over_in_order_with_what_waits(
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    nc, js = nats_client
    await _stream_of(js, 10)
    settings = PullSettings(stream=STREAM, durable="losses", subject=SUBJECT, start_sequence=3)
    await _create_consumer(js, settings)
    async with Puller(nc, STREAM, settings.consumer_name) as puller:
        taken: list[bytes] = []
        while len(taken) < 8:
            taken += [m.data for m in await puller.fetch(3, 1.0)]
        assert taken == [str(i).encode() for i in range(2, 10)]
        assert puller.pending == 0


async def test_a_pong_that_comes_after_its_waiter_gave_up_leaves_the_connection_reading() -> None:
    nc = SteadyClient()
    given_up: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    given_up.cancel()
    waiting: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    nc._pongs = [given_up, waiting]
    await nc._process_pong()  # the pong of the ping given up on
    assert not waiting.done(), "a pong answers the oldest ping, not the next one"
    await nc._process_pong()
    assert waiting.result() is True
    await nc._process_pong()  # an unexpected one more changes nothing and raises nothing
