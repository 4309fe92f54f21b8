"""Loads the seed's budget into a running system the way an administration's system would:
commands on its own inbound subjects, through the public contracts only."""

import asyncio

from pydantic import SecretStr

from contracts import subjects
from contracts.budget.commands import RegisterUnit
from contracts.envelope import Command
from plumbing.jetstream import connect
from services.budget.demo_data import demo_commands

DEMO_SYSTEM = "ekonomisystem"


async def publish_commands(
    nats_url: str, commands: list[Command], system: str, password: SecretStr | None = None
) -> None:
    """Send as ``system``'s NATS user when given its password; otherwise without a user."""
    nc, js = await connect(nats_url, system, system if password is not None else None, password)
    try:
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


async def load_demo(nats_url: str, password: SecretStr | None = None) -> int:
    commands = demo_commands()
    await publish_commands(nats_url, commands, DEMO_SYSTEM, password)
    return len(commands)


def demo_unit_count() -> int:
    return sum(isinstance(c, RegisterUnit) for c in demo_commands())
