"""A pull request that may have gone with a dropped connection is asked anew as soon as the
client has connected again, not when its long expiry has passed."""

import asyncio
import time

from tests.pulling import pulling
from tests.servers import Servers

STREAM = "RECONNECTS"
SUBJECT = "reconnects.>"
LONG_WAIT = 60.0


async def test_a_pull_is_asked_anew_once_the_client_has_connected_again(servers: Servers) -> None:
    async with pulling(servers, STREAM, SUBJECT, "again") as (nc, js, puller):
        waiting = asyncio.create_task(puller.fetch(10, LONG_WAIT))
        await asyncio.sleep(0.5)  # the request is on the server
        started = time.monotonic()
        reconnects = nc.stats["reconnects"]
        nc._transport.close()  # type: ignore[union-attr]  # the connection drops
        assert await asyncio.wait_for(waiting, 20) == []
        assert nc.stats["reconnects"] == reconnects + 1
        await js.publish("reconnects.one", b"1")
        taken = await asyncio.wait_for(puller.fetch(10, LONG_WAIT), 20)
        assert [m.data for m in taken] == [b"1"]
        assert time.monotonic() - started < LONG_WAIT / 2
