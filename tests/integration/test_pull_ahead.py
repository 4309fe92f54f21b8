"""While a batch is handled the next one is already asked for, so that a consumer with a
backlog (a rebuild, a catch-up after a pause) never waits on the server between batches, and
the messages still come in stream order with more than one request open."""

import asyncio
import contextlib
import json

from nats.aio.msg import Msg

from plumbing.nats_connection import connect
from tests.pulling import pulling
from tests.servers import Servers

STREAM = "AHEAD"
SUBJECT = "ahead.>"
BATCH = 5
WAIT = 10.0


class AskedFor:
    """The messages the consumer's pull requests have asked for so far, as a watcher on the
    server's API subject sees them (a moment after they are made: the server forwards them
    on a connection of its own)."""

    def __init__(self) -> None:
        self.total = 0
        self._changed = asyncio.Event()

    async def note(self, msg: Msg) -> None:
        self.total += json.loads(msg.data)["batch"]
        self._changed.set()

    async def at_least(self, count: int, seconds: float = 2.0) -> int:
        deadline = asyncio.get_running_loop().time() + seconds
        while self.total < count:
            self._changed.clear()
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        return self.total


async def test_the_next_batch_is_asked_for_before_this_one_is_handed_over(
    servers: Servers,
) -> None:
    watcher, _ = await connect(servers.nats_url, "pull request watcher")
    asked = AskedFor()
    try:
        await watcher.subscribe(f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.>", cb=asked.note)
        await watcher.flush()
        async with pulling(servers, STREAM, SUBJECT, "ahead") as (nc, js, puller):
            for n in range(1, 10 * BATCH + 1):
                await js.publish(f"ahead.{n}", str(n).encode())
            handed: list[bytes] = []
            for _ in range(8):
                taken = await puller.fetch(BATCH, WAIT, linger=WAIT)
                assert len(taken) == BATCH, "a backlog hands over full batches"
                handed += [m.data for m in taken]
                # As the handler would now: the next batch is already asked for.
                await nc.flush()
                total = await asked.at_least(len(handed) + BATCH)
                assert total >= len(handed) + BATCH, (
                    f"after {len(handed)} handed over, {total} asked for in all"
                )
                # Never more than two batches beyond what was handed over.
                assert total <= len(handed) + 2 * BATCH
            assert handed == [str(n).encode() for n in range(1, 8 * BATCH + 1)]
    finally:
        await watcher.close()
