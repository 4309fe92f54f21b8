"""What the ledger system sends: a small tree, then actuals over about 200 keys, several
values per key in sequence, each sent once by one sender in order."""

import asyncio
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import PubAck

from contracts import subjects
from contracts.budget.commands import RecordActuals, RegisterUnit
from contracts.budget.fields import UnitKind
from contracts.envelope import Command

SYSTEM = "ekonomisystem"
UNITS = [f"E{n:02d}" for n in range(10)]
PERIODS = [f"{2011 + m // 12}-{m % 12 + 1:02d}" for m in range(20)]
KEYS = [(unit, period) for unit in UNITS for period in PERIODS]
# A month no ingest writes, for the one command that shows the consumers still move.
SPARE_PERIOD = "2012-12"
OPENED = date(2011, 1, 1)

Key = tuple[str, str]


def organisation() -> list[Command]:
    board = RegisterUnit(
        actor="ekonomisystem",
        unit_code="KS",
        name="Kommunstyrelsen",
        kind=UnitKind.BOARD,
        effective_on=OPENED,
    )
    units = [
        RegisterUnit(
            actor="ekonomisystem",
            unit_code=code,
            name=f"Enhet {code}",
            kind=UnitKind.UNIT,
            parent_code="KS",
            effective_on=OPENED,
        )
        for code in UNITS
    ]
    return [board, *units]


def actuals(count: int, first_value: int = 1_000_000) -> list[RecordActuals]:
    """``count`` actuals cycling over KEYS; every revenue is unique, so it names its command."""
    return [
        RecordActuals(
            actor="ekonomisystem",
            unit_code=KEYS[i % len(KEYS)][0],
            period=KEYS[i % len(KEYS)][1],
            revenue=Decimal(first_value + i),
            costs=-Decimal(i) - Decimal("0.50"),
        )
        for i in range(count)
    ]


def key_of(command: RecordActuals) -> Key:
    return command.unit_code, command.period


def stream_of(command: RecordActuals) -> str:
    return f"unit-{command.unit_code}-{command.period[:4]}"


def figures(command: RecordActuals) -> tuple[Decimal, Decimal]:
    return command.revenue, command.costs


async def _expected_while_servers_restart(error: Exception) -> None:
    """Connection errors are what the faults cause; the properties judge the outcome."""


async def connect(nats_url: str) -> Client:
    return await nats.connect(
        nats_url,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.2,
        connect_timeout=2,
        error_cb=_expected_while_servers_restart,
    )


async def stream_exists(js: JetStreamContext, name: str) -> bool:
    try:
        await js.stream_info(name)
        return True
    except Exception:
        return False


class Sender:
    """One sender in order: a message goes out only once the previous one is stored by
    JetStream. A failed publish is repeated with the same Nats-Msg-Id, which JetStream
    stores once, so every command is sent once however often it is repeated."""

    def __init__(self, nc: Client) -> None:
        self._js = nc.jetstream()
        self.sent = 0

    async def publish(
        self, subject: str, body: bytes, message_id: str, attempts: int = 1_000
    ) -> PubAck:
        for _ in range(attempts - 1):
            try:
                return await self._js.publish(
                    subject, body, timeout=2, headers={"Nats-Msg-Id": message_id}
                )
            except Exception:
                # Reconnecting, or no stream yet: the same message again, after a pause.
                await asyncio.sleep(0.2)
        return await self._js.publish(subject, body, timeout=2, headers={"Nats-Msg-Id": message_id})

    async def send(self, command: Command, system: str = SYSTEM) -> PubAck:
        ack = await self.publish(
            subjects.budget_inbound(system, command.command_name),
            command.model_dump_json().encode(),
            str(command.message_id),
        )
        self.sent += 1
        return ack

    async def send_all(self, commands: Sequence[Command], system: str = SYSTEM) -> None:
        for command in commands:
            await self.send(command, system)
