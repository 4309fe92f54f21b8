"""While a batch is handled the next one is already asked for, so that a consumer with a
backlog (a rebuild, a catch-up after a pause) never waits on the server between batches, and
the messages still come in stream order with more than one request open."""

import json

from nats.aio.msg import Msg

from plumbing.nats_connection import connect
from tests.pulling import pulling
from tests.servers import Servers

STREAM = "AHEAD"
SUBJECT = "ahead.>"
BATCH = 5
WAIT = 10.0


async def test_the_next_batch_is_asked_for_before_this_one_is_handed_over(
    servers: Servers,
) -> None:
    watcher, _ = await connect(servers.nats_url, "pull request watcher")
    asked: list[int] = []

    async def note(msg: Msg) -> None:
        asked.append(json.loads(msg.data)["batch"])

    try:
        await watcher.subscribe(f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.>", cb=note)
        await watcher.flush()
        async with pulling(servers, STREAM, SUBJECT, "ahead") as (nc, js, puller):
            for n in range(1, 10 * BATCH + 1):
                await js.publish(f"ahead.{n}", str(n).encode())
            handed: list[bytes] = []
            for _ in range(8):
                taken = await puller.fetch(BATCH, WAIT, linger=WAIT)
                assert len(taken) == BATCH, "a backlog hands over full batches"
                handed += [m.data for m in taken]
                # As the handler would now: the requests made so far reach the watcher.
                await nc.flush()
                await watcher.flush()
                on_its_way = sum(asked) - len(handed)
                assert on_its_way >= BATCH, (
                    f"after {len(handed)} handed over, {sum(asked)} asked for in all"
                )
            assert handed == [str(n).encode() for n in range(1, 8 * BATCH + 1)]
            # Never more than two batches beyond what was handed over.
            assert sum(asked) - len(handed) <= 2 * BATCH
    finally:
        await watcher.close()
