"""Messages that have arrived are worked on while the handler waits, once each, in pieces that
leave the event loop to others between them; the server's status messages are not."""

import asyncio

from nats.aio.msg import Msg

from plumbing import read_ahead
from plumbing.read_ahead import ReadAhead


def _msg(data: bytes, headers: dict[str, str] | None = None) -> Msg:
    return Msg(_client=None, subject="s", reply="", data=data, headers=headers)  # type: ignore[arg-type]


async def test_what_arrived_is_worked_on_in_pieces_while_the_handler_waits() -> None:
    worked: list[bytes] = []

    def work(msg: Msg) -> int:
        worked.append(msg.data)
        return len(msg.data)

    ahead = ReadAhead(work)
    msgs = [_msg(b"x" * n) for n in range(1, 2 * read_ahead.PIECE + 2)]
    for msg in msgs:
        ahead.arrived(msg)
    assert ahead.done(msgs[0]) is None  # nothing before the loop has a moment

    # A handler waiting on PostgreSQL: each turn of the loop does one piece, no more.
    await asyncio.sleep(0)
    assert len(worked) == read_ahead.PIECE
    await asyncio.sleep(0)
    assert len(worked) == 2 * read_ahead.PIECE
    await asyncio.sleep(0.01)
    assert [ahead.done(m) for m in msgs] == [len(m.data) for m in msgs]
    assert worked == [m.data for m in msgs]  # each once, in the order they came


async def test_the_servers_word_and_a_message_whose_work_fails_are_left_to_the_handler() -> None:
    def work(msg: Msg) -> str:
        if msg.data == b"bad":
            raise ValueError("not an event")
        return msg.data.decode()

    ahead = ReadAhead(work)
    status, bad, good = _msg(b"", {"Status": "408"}), _msg(b"bad"), _msg(b"good")
    for msg in (status, bad, good):
        ahead.arrived(msg)
    await asyncio.sleep(0.01)
    assert ahead.done(status) is None
    assert ahead.done(bad) is None
    assert ahead.done(good) == "good"


async def test_once_closed_nothing_more_is_worked_on() -> None:
    ahead = ReadAhead(lambda msg: msg.data)
    msgs = [_msg(b"%d" % n) for n in range(3 * read_ahead.PIECE)]
    for msg in msgs:
        ahead.arrived(msg)
    await asyncio.sleep(0)
    ahead.close()
    await asyncio.sleep(0.01)
    assert [m for m in msgs if ahead.done(m) is not None] == msgs[: read_ahead.PIECE]
