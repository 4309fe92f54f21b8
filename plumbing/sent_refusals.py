"""What a service's target refused of the commands its process manager sent
(``<target>.rejected.<sender>``), read as a system reads its rejections: through a consumer
named after the sender.

A duplicate is a resend of a command the target already stored (after JetStream's duplicate
window): expected, noted at info. Anything else is logged as an error for an operator and not
sent again, since it would be refused the same way.
"""

import asyncio
import logging
from collections import deque

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from contracts.rejection import Rejection
from plumbing.process_manager import ProcessManager
from plumbing.readiness import WorkerStatus
from plumbing.rejections import rejection_consumer
from plumbing.requests import DUPLICATE

log = logging.getLogger(__name__)

KEPT_REFUSALS = 100


class SentRefusals:
    """The target's refusals of ``declaration``'s commands."""

    # fetch_timeout: how long each pull waits on the server; refusals are handed over as they
    # come, so a long wait costs nothing but keeps an idle process and nats-server quiet.
    def __init__(
        self, nc: Client, declaration: ProcessManager, fetch_timeout: float = 30.0
    ) -> None:
        target, sender = declaration.target, declaration.sender.name
        self._nc = nc
        self._consumer = sender
        self._stream = target.rejected_stream
        # Made as the target makes the consumer a system reads its rejections through.
        self._consumer_config = rejection_consumer(target, sender)
        self._title = target.title
        self._what = declaration.what
        self._timeout = fetch_timeout
        self.status = WorkerStatus(f"avvisat av {target.name}")
        # Since the process started: the duplicates noted, and the latest other refusals.
        self.duplicates = 0
        self.refused: deque[Rejection] = deque(maxlen=KEPT_REFUSALS)

    async def run(self, stop: asyncio.Event) -> None:
        js = self._nc.jetstream()
        self.status.standby()
        while not stop.is_set():
            try:
                await js.add_consumer(self._stream, self._consumer_config)
                break
            except NotFoundError:  # the target has not declared its streams yet
                await asyncio.sleep(1.0)
        if stop.is_set():
            return
        subscription = await js.pull_subscribe_bind(durable=self._consumer, stream=self._stream)
        self.status.working()
        try:
            while not stop.is_set():
                msgs = await self._fetch(subscription, stop)
                for msg in msgs:
                    self.note(msg.data)
                    await msg.ack()
        finally:
            await subscription.unsubscribe()

    async def _fetch(
        self, subscription: JetStreamContext.PullSubscription, stop: asyncio.Event
    ) -> list[Msg]:
        """What the target refused, waiting up to the fetch timeout; nothing once stopped
        (a pull given up on leaves its refusals unacknowledged, to be delivered again)."""
        fetching = asyncio.ensure_future(subscription.fetch(100, timeout=self._timeout))
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({fetching, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            fetching.cancel()  # nothing, when it is done
        await asyncio.wait({fetching})
        if fetching.cancelled() or isinstance(fetching.exception(), TimeoutError):
            return []
        return fetching.result()

    def note(self, data: bytes) -> None:
        try:
            rejection = Rejection.model_validate_json(data)
        except ValidationError:
            log.error("%s refused a message of %s: %r", self._title, self._consumer, data[:500])
            return
        if rejection.problems and all(
            p.field == "message_id" and p.message == DUPLICATE for p in rejection.problems
        ):
            self.duplicates += 1
            log.info(
                "%s has %s %s already; resend refused",
                self._title,
                self._what,
                rejection.message_id,
            )
            return
        self.refused.append(rejection)
        log.error(
            "%s refused %s %s; not sent again: %s",
            self._title,
            self._what,
            rejection.message_id,
            "; ".join(f"{p.field}: {p.message}" for p in rejection.problems),
        )
