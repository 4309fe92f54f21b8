"""Commands from administrations' systems on ``budget.inbound.<system>.<command>``.

Every message ends either stored or on ``budget.rejected.<system>`` with its reasons;
none is dropped silently, and none can stop the consumer: what is wrong with a message
is refused, and only the infrastructure failing makes a batch wait and try again.
A message is screened before it is parsed (size, UTF-8, nesting, control characters)
and its system must be in the register of known systems.
"""

import asyncio
import functools
from collections.abc import Mapping

import asyncpg
from nats.aio.client import Client
from nats.aio.msg import Msg
from pydantic import ValidationError

from contracts import subjects
from contracts.budget.commands import BUDGET_COMMANDS
from contracts.rejection import Problem
from plumbing.consumer import Consumer, consume_from_position
from plumbing.eventstore import Position
from plumbing.jetstream import Publisher
from plumbing.locks import Lease
from plumbing.readiness import WorkerStatus
from plumbing.rejections import PAYLOAD_HEADROOM, encode_rejection, message_id_of
from plumbing.screening import screen
from plumbing.validation import problems_from
from services.budget.application import BudgetService, Outcome, Rejected, Request
from services.budget.domain.scope import Scope

DURABLE = "budget-inbound"
UNKNOWN_SYSTEM = (
    "systemet {system!r} är inte känt av budgettjänsten; bara system i registret över "
    "avsändare (inställningen KOMMUNPLAN_SYSTEMS) får skicka"
)


class InboundConsumer:
    def __init__(
        self,
        pool: asyncpg.Pool,
        nc: Client,
        service: BudgetService,
        systems: Mapping[str, Scope],
        batch_size: int = 500,
        ack_wait_seconds: float = 30.0,
    ) -> None:
        self._pool = pool
        self._nc = nc
        self._publisher = Publisher(nc)
        self._service = service
        self._systems = dict(systems)
        self.status = WorkerStatus("inkommande")
        self._consumer = Consumer(
            stream=subjects.BUDGET_INBOUND_STREAM,
            subject=subjects.BUDGET_INBOUND_SUBJECTS,
            durable=DURABLE,
            batch_size=batch_size,
            ack_wait_seconds=ack_wait_seconds,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Consume from just after the last stored batch; one budget process at a time."""
        await consume_from_position(
            self._pool,
            self._nc,
            self._consumer,
            functools.partial(self._service.position, DURABLE),
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

        await self._service.handle(
            [r for _, r in requests],
            position=Position(DURABLE, msgs[-1].metadata.sequence.stream, lease.epoch),
            before_commit=reject,
        )

    def _parse(self, msg: Msg) -> Request | list[Problem]:
        problems = screen(msg.data)
        if problems:
            return problems
        tokens = msg.subject.split(".")
        if len(tokens) != 4:
            return [
                Problem(
                    field="",
                    message=(
                        f"ämnet ska vara budget.inbound.<system>.<kommando>, inte {msg.subject}"
                    ),
                )
            ]
        source_system, command_name = tokens[2], tokens[3]
        scope = self._systems.get(source_system)
        if scope is None:
            return [Problem(field="", message=UNKNOWN_SYSTEM.format(system=source_system))]
        command_type = BUDGET_COMMANDS.get(command_name)
        if command_type is None:
            return [
                Problem(
                    field="",
                    message=(
                        f"okänt kommando {command_name!r}; kända: "
                        + ", ".join(sorted(BUDGET_COMMANDS))
                    ),
                )
            ]
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
            scope=scope,
        )

    async def _reject(self, rejections: list[tuple[Msg, list[Problem]]]) -> None:
        messages = []
        for msg, problems in rejections:
            source_system = msg.subject.split(".")[2] if msg.subject.count(".") >= 2 else "okänd"
            rejection = encode_rejection(
                msg.data,
                problems,
                subject=msg.subject,
                source_system=source_system,
                message_id=message_id_of(msg.data),
                max_bytes=self._nc.max_payload - PAYLOAD_HEADROOM,
            )
            # Keyed by the inbound sequence: a batch handled again does not reject twice.
            headers = {"Nats-Msg-Id": f"rejected-{msg.metadata.sequence.stream}"}
            messages.append((subjects.budget_rejected(source_system), rejection, headers))
        await self._publisher.publish(messages)
