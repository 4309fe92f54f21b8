"""Commands from administrations' systems on ``<service>.inbound.<system>.<command>``.

Every message ends either stored or on ``<service>.rejected.<system>`` with its reasons;
none is dropped silently, and none can stop the consumer: what is wrong with a message
is refused, and only the infrastructure failing makes a batch wait and try again.
A message is screened before it is parsed (size, UTF-8, nesting, control characters);
its system must be in the register of known systems (plumbing.systems) and given the
command it sends, or it is refused before it is read.
"""

import asyncio
import functools
import logging
import time
from collections.abc import Mapping
from typing import Any

import asyncpg
from nats.aio.client import Client
from nats.aio.msg import Msg

from contracts.service import WriteService
from plumbing import outcome_telemetry, telemetry
from plumbing.command_handler import CommandHandler
from plumbing.consumer import Consumer, consume_from_position
from plumbing.delivery_sequence import stream_sequence
from plumbing.eventstore import Position
from plumbing.inbound_reading import (
    InboundReader,
    Refused,
    Sender,
    Unreadable,
    sender_and_command,
)
from plumbing.locks import Lease
from plumbing.publisher import Publisher
from plumbing.readiness import WorkerStatus
from plumbing.refusal_log import RefusalNote, note_refusals
from plumbing.rejections import (
    PAYLOAD_HEADROOM,
    encode_rejection,
    ensure_rejection_consumers,
    message_id_of,
)
from plumbing.requests import Outcome, Rejected, Request
from plumbing.system_shares import SystemShares

log = logging.getLogger(__name__)

# How often, at most, the inbound stream's room is looked at after a batch.
ROOM_CHECK_SECONDS = 5.0


class InboundConsumer:
    def __init__(
        self,
        declaration: WriteService,
        pool: asyncpg.Pool,
        nc: Client,
        service: CommandHandler[Any],
        systems: Mapping[str, Sender],
        batch_size: int = 500,
        ack_wait_seconds: float = 30.0,
        shares: SystemShares | None = None,
        max_bytes: int | None = None,
    ) -> None:
        self._declaration = declaration
        self._durable = f"{declaration.name}-inbound"
        self._shares = shares
        # What each message taken counted against its system's share, by stream sequence,
        # until its batch is stored: a batch tried again is judged as it was the first time.
        self._over_share: dict[int, int | None] = {}
        self._max_bytes = max_bytes
        self._room_checked = 0.0
        self._pool = pool
        self._nc = nc
        self._publisher = Publisher(nc)
        self._service = service
        self._systems = dict(systems)
        self._reader = InboundReader(declaration, self._systems, shares, self._share_used)
        self.status = WorkerStatus("inkommande")
        self._consumer = Consumer(
            stream=declaration.inbound_stream,
            subject=declaration.inbound_subjects,
            durable=self._durable,
            batch_size=batch_size,
            ack_wait_seconds=ack_wait_seconds,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Consume from just after the last stored batch; one service process at a time."""
        # Before anything is taken in, so each system can read whatever is refused it; a
        # consumer of a system's that is not as the service makes it is made anew.
        await ensure_rejection_consumers(
            self._nc.jetstream(),
            self._declaration,
            [name for name, sender in self._systems.items() if not sender.service],
        )
        await consume_from_position(
            self._pool,
            self._nc,
            self._consumer,
            functools.partial(self._service.position, self._durable),
            self.handle_batch,
            stop,
            self.status,
        )

    async def handle_batch(self, msgs: list[Msg], lease: Lease) -> None:
        requests: list[tuple[Msg, Request]] = []
        unreadable: list[Refused] = []
        for msg in msgs:
            request_or_problems = self._reader.read(msg)
            if isinstance(request_or_problems, Request):
                requests.append((msg, request_or_problems))
            else:
                unreadable.append(self._unreadable(msg, request_or_problems))

        async def reject(outcomes: list[Outcome]) -> None:
            # Published before the batch is stored: once its position is stored, the batch
            # is never seen again, so its rejections must already be out.
            refused = [
                Refused(msg, outcome.problems, outcome.trace_headers)
                for (msg, _), outcome in zip(requests, outcomes, strict=True)
                if isinstance(outcome, Rejected)
            ]
            await self._reject([*unreadable, *refused])

        last = stream_sequence(msgs[-1])
        await self._service.handle(
            [r for _, r in requests],
            position=Position(self._durable, last, lease.epoch),
            before_commit=reject,
        )
        self._over_share = {seq: v for seq, v in self._over_share.items() if seq > last}
        for refused in unreadable:
            system, command = sender_and_command(refused.msg.subject)
            outcome_telemetry.counted(
                self._declaration.name,
                system,
                command,
                refused.reason,
                refused.trace_headers,
                message_id_of(refused.msg.data),
                refused.problems,
            )
        await self._make_room(last)

    def _unreadable(self, msg: Msg, unreadable: Unreadable) -> Refused:
        """The refusal of a message not decided on, kept in the message's trace."""
        _, command = sender_and_command(msg.subject)
        headers = outcome_telemetry.keep(
            command, unreadable.reason, msg.headers or {}, message_id_of(msg.data)
        )
        return Refused(msg, unreadable.problems, headers, unreadable.reason)

    async def _make_room(self, handled: int) -> None:
        """Let go of handled messages when the stream runs short of room, so its byte
        limit holds back a flood and never the commands still waiting."""
        if self._max_bytes is None or time.monotonic() - self._room_checked < ROOM_CHECK_SECONDS:
            return
        self._room_checked = time.monotonic()
        js = self._nc.jetstream()
        stream = self._declaration.inbound_stream
        try:
            info = await js.stream_info(stream)
            if int(info.state.bytes or 0) > self._max_bytes // 2:
                await js.purge_stream(stream, seq=handled + 1)
                log.info("%s: handled messages up to %d let go to make room", stream, handled)
        except Exception as error:  # room is made at the next check
            log.warning("%s: could not make room: %r", stream, error)

    def _share_used(self, msg: Msg, system: str) -> int | None:
        """None when ``system`` is within its share with ``msg``, else what it has sent."""
        if self._shares is None:
            return None
        sequence = stream_sequence(msg)
        if sequence not in self._over_share:
            self._over_share[sequence] = self._shares.take(system, len(msg.data))
        return self._over_share[sequence]

    async def _reject(self, rejections: list[Refused]) -> None:
        messages = []
        notes = []
        for msg, problems, trace_headers, _ in rejections:
            source_system, _ = sender_and_command(msg.subject)
            message_id = message_id_of(msg.data)
            rejection = encode_rejection(
                msg.data,
                problems,
                subject=msg.subject,
                source_system=source_system,
                message_id=message_id,
                max_bytes=self._nc.max_payload - PAYLOAD_HEADROOM,
            )
            # Keyed by the inbound sequence: a batch handled again does not reject twice.
            # With the trace the refusal is kept in, so the sender can find it by its id.
            headers = {
                "Nats-Msg-Id": f"rejected-{stream_sequence(msg)}",
                **telemetry.well_formed(trace_headers),
            }
            rejected_on = self._declaration.rejected_subject(source_system)
            messages.append((rejected_on, rejection, headers))
            notes.append(RefusalNote.of(msg, message_id, source_system, rejected_on, problems))
        await self._publisher.publish(messages)
        await note_refusals(self._pool, notes)
