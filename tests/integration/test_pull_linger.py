"""A batch that is not full waits a moment for more once its first message is in, so that a
trickle of messages is handled in fewer, larger batches; one that fills is handed over at once,
and the messages stay in stream order either way."""

import asyncio

from nats.js import JetStreamContext

from tests.pulling import pulling
from tests.servers import Servers

STREAM = "TRICKLE"
SUBJECT = "trickle.>"
WAIT = 10.0


async def _publish(js: JetStreamContext, first: int, count: int) -> None:
    for n in range(first, first + count):
        await js.publish(f"trickle.{n}", str(n).encode())


async def test_a_batch_waits_for_the_rest_of_a_trickle_and_not_past_a_full_batch(
    servers: Servers,
) -> None:
    async with pulling(servers, STREAM, SUBJECT, "linger") as (_, js, puller):
        # Without lingering, what has arrived is handed over, never more than was sent; the
        # three may arrive in more than one read of the socket, so take until all are in.
        await _publish(js, 1, 3)
        await asyncio.sleep(0.3)
        first: list[bytes] = []
        while len(first) < 3:
            taken = await puller.fetch(5, WAIT)
            assert taken, "a delivery that had arrived was not handed over"
            first += [m.data for m in taken]
        assert first == [b"1", b"2", b"3"]

        # Lingering, the two that come a moment after the first three join their batch,
        # which is then full and handed over without waiting out the linger.
        await _publish(js, 4, 3)
        await asyncio.sleep(0.3)
        taking = asyncio.create_task(puller.fetch(5, WAIT, linger=WAIT))
        await asyncio.sleep(0.3)
        await _publish(js, 7, 3)
        second = await asyncio.wait_for(taking, WAIT / 2)
        assert [m.data for m in second] == [b"4", b"5", b"6", b"7", b"8"]

        # The one left over is the start of the next batch.
        third = await puller.fetch(5, WAIT)
        assert [m.data for m in third] == [b"9"]
