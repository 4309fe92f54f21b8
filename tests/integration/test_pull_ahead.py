"""While a batch is handled the next one is already asked for, so that a consumer with a
backlog (a rebuild, a catch-up after a pause) never waits on the server between batches, and
the messages still come in stream order with more than one request open."""

import json

from nats.aio.msg import Msg

from plumbing.nats_connection import connect
from tests.conftest import eventually
from tests.pulling import pulling
from tests.servers import Servers

STREAM = "AHEAD"
SUBJECT = "ahead.>"
BATCH = 5
WAIT = 10.0


async def test_the_next_batch_is_asked_for_before_this_one_is_handed_over(
    servers: Servers,
) -> None:
    # The consumer's pull requests as a watcher on the server's API subject sees them: a
    # moment after they are made, since the server forwards them on a connection of its own.
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
                # As the handler would now: the next batch is already asked for.
                await nc.flush()
                wanted = len(handed) + BATCH
                total = await eventually(
                    lambda: sum(asked), until=lambda total, wanted=wanted: total >= wanted
                )
                # Never more than two batches beyond what was handed over.
                assert total <= len(handed) + 2 * BATCH
            assert handed == [str(n).encode() for n in range(1, 8 * BATCH + 1)]
    finally:
        await watcher.close()
