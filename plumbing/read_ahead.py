"""Work done on messages that have arrived but are not yet handed over, while the handler of
the batch before them waits for PostgreSQL.

A consumer's batch is handled in turns: Python reads the events, PostgreSQL writes them,
Python reads the next. The pull request has the next batch delivered while one is handled,
so its messages can be read (parsed, validated, digested) in the moments the handler waits,
and PostgreSQL's part and Python's overlap. The work is pure and done at most once a message:
its result is kept on the message, and the handler does what was not done ahead itself. It
runs in small pieces, giving way between them, so a handler whose answer has come waits for
at most one piece.
"""

import asyncio
import collections
import contextlib
from collections.abc import Callable
from typing import Generic, TypeVar

from nats.aio.msg import Msg

T = TypeVar("T")

_KEPT = "_kommunplan_read_ahead"
# Messages worked on between two turns of the event loop: about half a millisecond here.
PIECE = 25


class ReadAhead(Generic[T]):
    """Does ``work`` on each message that ``arrived`` is told of, in the event loop's idle
    moments; ``result`` gives what it found, or does the work then."""

    def __init__(self, work: Callable[[Msg], T]) -> None:
        self._work = work
        self._waiting: collections.deque[Msg] = collections.deque()
        self._worker: asyncio.Task[None] | None = None

    def arrived(self, msg: Msg) -> None:
        if msg.headers and "Status" in msg.headers:
            return  # the server's word about the pull request, not a message of the stream
        self._waiting.append(msg)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._work_through())

    def done(self, msg: Msg) -> T | None:
        """What the work found for ``msg``, or None when it has not been done (yet)."""
        kept: T | None = msg.__dict__.get(_KEPT)
        return kept

    def result(self, msg: Msg) -> T:
        """What the work finds for ``msg``: done ahead, or done now (and not again)."""
        kept = self.done(msg)
        if kept is None:
            kept = msg.__dict__[_KEPT] = self._work(msg)
        return kept

    def close(self) -> None:
        """Stop working ahead: the messages not yet worked on are handled without it."""
        self._waiting.clear()
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None

    async def _work_through(self) -> None:
        while self._waiting:
            for _ in range(min(PIECE, len(self._waiting))):
                msg = self._waiting.popleft()
                # Whatever goes wrong here goes wrong again, in its place, for the handler.
                with contextlib.suppress(Exception):
                    self.result(msg)
            await asyncio.sleep(0)
