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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
from nats.aio.client import Client
from nats.aio.msg import Msg
from pydantic import ValidationError

from contracts.rejection import Problem
from contracts.scope import EVERY_UNIT, Scope
from contracts.service import WriteService
from contracts.write_services import WRITE_SERVICES
from plumbing.command_handler import CommandHandler
from plumbing.consumer import Consumer, consume_from_position
from plumbing.eventstore import Position
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
from plumbing.screening import screen
from plumbing.settings import WriteServiceSettings
from plumbing.system_shares import OVER_SHARE, SystemShares
from plumbing.systems import register, reserved_for, service_senders
from plumbing.validation import problems_from

log = logging.getLogger(__name__)

# How often, at most, the inbound stream's room is looked at after a batch.
ROOM_CHECK_SECONDS = 5.0

UNKNOWN_SYSTEM = (
    "systemet {system!r} är inte känt av {service}; bara system i registret över "
    "avsändare (inställningen KOMMUNPLAN_SYSTEMS) får skicka"
)


NOT_GRANTED = (
    "systemet {system!r} får inte skicka kommandot {command!r} till {service}; {granted} "
    "(registret över avsändare, inställningen KOMMUNPLAN_SYSTEMS)"
)
ONLY_FROM_SERVICE = (
    "kommandot {command!r} tar {service} bara emot från {sender}, inte från systemet {system!r}"
)


@dataclass(frozen=True)
class Sender:
    """Who may send a service commands over NATS: for which units, and which commands."""

    scope: Scope
    commands: frozenset[str]
    # One of our own services (a declaration's ``sends_to``), not an administration's
    # system: the service makes no consumer of refusals for it (it makes its own).
    service: bool = False


def known_systems(
    settings: WriteServiceSettings,
    declaration: WriteService,
    services: Iterable[WriteService] = WRITE_SERVICES,
) -> dict[str, Sender]:
    """The register's systems, each with the ``declaration``'s commands given to it, and each
    service that declares it sends ``declaration`` commands (its ``sends_to``), for every
    unit and only the commands it declares (``sends_commands``): a service decides for the
    whole municipality, and no system may take its name
    (plumbing.nats_users.check_system_name)."""
    known = tuple(services)
    senders = {
        name: Sender(rights.scope, rights.commands_of(declaration.name))
        for name, rights in register(settings.systems, known).items()
    }
    for name, (_, commands) in service_senders(declaration, known).items():
        senders[name] = Sender(Scope(frozenset({EVERY_UNIT})), commands, service=True)
    return senders


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
        unreadable: list[tuple[Msg, list[Problem]]] = []
        for msg in msgs:
            request_or_problems = self._parse(msg)
            if isinstance(request_or_problems, Request):
                requests.append((msg, request_or_problems))
            else:
                unreadable.append((msg, request_or_problems))

        async def reject(outcomes: list[Outcome]) -> None:
            # Published before the batch is stored: once its position is stored, the batch
            # is never seen again, so its rejections must already be out.
            refused = [
                (msg, outcome.problems)
                for (msg, _), outcome in zip(requests, outcomes, strict=True)
                if isinstance(outcome, Rejected)
            ]
            await self._reject([*unreadable, *refused])

        last = msgs[-1].metadata.sequence.stream
        await self._service.handle(
            [r for _, r in requests],
            position=Position(self._durable, last, lease.epoch),
            before_commit=reject,
        )
        self._over_share = {seq: v for seq, v in self._over_share.items() if seq > last}
        await self._make_room(last)

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
        sequence = msg.metadata.sequence.stream
        if sequence not in self._over_share:
            self._over_share[sequence] = self._shares.take(system, len(msg.data))
        return self._over_share[sequence]

    def _parse(self, msg: Msg) -> Request | list[Problem]:
        problems = screen(msg.data)
        if problems:
            return problems
        tokens = msg.subject.split(".")
        name = self._declaration.name
        if len(tokens) != 4:
            return [
                Problem(
                    field="",
                    message=(
                        f"ämnet ska vara {name}.inbound.<system>.<kommando>, inte {msg.subject}"
                    ),
                )
            ]
        source_system, command_name = tokens[2], tokens[3]
        sender = self._systems.get(source_system)
        if sender is None:
            return [
                Problem(
                    field="",
                    message=UNKNOWN_SYSTEM.format(
                        system=source_system, service=self._declaration.title
                    ),
                )
            ]
        commands = self._declaration.commands
        command_type = commands.get(command_name)
        if command_type is None:
            return [
                Problem(
                    field="",
                    message=(
                        f"okänt kommando {command_name!r}; kända: " + ", ".join(sorted(commands))
                    ),
                )
            ]
        if command_name not in sender.commands:
            return [Problem(field="", message=self._not_granted(source_system, command_name))]
        sent = self._share_used(msg, source_system)
        if sent is not None:
            assert self._shares is not None
            message = OVER_SHARE.format(
                system=source_system,
                sent=sent,
                service=self._declaration.title,
                share=self._shares.share_bytes,
            )
            return [Problem(field="", message=message)]
        try:
            command = command_type.model_validate_json(msg.data)
        except ValidationError as error:
            return problems_from(error.errors())
        if "message_id" not in command.model_fields_set:
            return [
                Problem(
                    field="message_id",
                    message=(
                        "fältet saknas; varje meddelande behöver ett eget UUID "
                        "så att det bara lagras en gång"
                    ),
                )
            ]
        return Request(
            command=command,
            source_system=source_system,
            trace_headers=dict(msg.headers or {}),
            sequence=msg.metadata.sequence.stream,
            scope=sender.scope,
            from_service=sender.service,
        )

    def _not_granted(self, system: str, command: str) -> str:
        service = self._declaration
        only_from = reserved_for(service).get(command)
        if only_from is not None:
            return ONLY_FROM_SERVICE.format(
                command=command, service=service.title, sender=only_from.title, system=system
            )
        granted = sorted(self._systems[system].commands)
        return NOT_GRANTED.format(
            system=system,
            command=command,
            service=service.title,
            granted=(
                "det får skicka " + ", ".join(granted)
                if granted
                else "det får inte skicka något hit"
            ),
        )

    async def _reject(self, rejections: list[tuple[Msg, list[Problem]]]) -> None:
        messages = []
        notes = []
        for msg, problems in rejections:
            source_system = msg.subject.split(".")[2] if msg.subject.count(".") >= 2 else "okänd"
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
            headers = {"Nats-Msg-Id": f"rejected-{msg.metadata.sequence.stream}"}
            rejected_on = self._declaration.rejected_subject(source_system)
            messages.append((rejected_on, rejection, headers))
            notes.append(RefusalNote.of(msg, message_id, source_system, rejected_on, problems))
        await self._publisher.publish(messages)
        await note_refusals(self._pool, notes)
