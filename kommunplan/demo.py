"""Loads the seed's budget into a running system the way an administration's system would:
commands on its own inbound subjects, through the public contracts only."""

import asyncio

import nats

from contracts import subjects
from contracts.budget.commands import RegisterUnit
from contracts.envelope import Command
from services.budget.demo_data import demo_commands

DEMO_SYSTEM = "ekonomisystem"


async def publish_commands(nats_url: str, commands: list[Command], system: str) -> None:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        acks = []
        for command in commands:
            acks.append(
                await js.publish_async(
                    subjects.budget_inbound(system, command.command_name),
                    command.model_dump_json().encode(),
                    headers={"Nats-Msg-Id": str(command.message_id)},
                )
            )
        await asyncio.gather(*acks)
    finally:
        await nc.drain()


async def load_demo(nats_url: str) -> int:
    commands = demo_commands()
    await publish_commands(nats_url, commands, DEMO_SYSTEM)
    return len(commands)


def demo_unit_count() -> int:
    return sum(isinstance(c, RegisterUnit) for c in demo_commands())

