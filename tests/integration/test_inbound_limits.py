"""What a system can store: the inbound stream's byte limit, and each system's share."""

import contextlib
import json
from decimal import Decimal

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import APIError

from contracts.budget.commands import RecordActuals
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from kommunplan.demo import publish_commands
from plumbing.nats_connection import ensure_streams
from plumbing.write_service import streams
from services.budget import bootstrap as budget
from tests.conftest import count, eventually
from tests.fixtures import SMALL_TREE
from tests.servers import Servers
from tests.system import running_budget

SHARE_BYTES = 20_000
STREAM_BYTES = 1024**2


def _actuals(n: int, unit: str = "IT") -> list[Command]:
    return [
        RecordActuals(
            actor="ledger",
            unit_code=unit,
            period=f"2011-{1 + i % 12:02d}",
            revenue=Decimal(i),
            costs=Decimal(-1),
        )
        for i in range(n)
    ]


def _budget(
    servers: Servers, database: str
) -> contextlib.AbstractAsyncContextManager[budget.BudgetProcess]:
    return running_budget(
        servers.nats_url,
        database,
        systems={"ekonomisystem": ["*"], "andrasystem": ["*"]},
        system_max_bytes_per_hour=SHARE_BYTES,
        inbound_max_bytes=STREAM_BYTES,
    )


async def _refusals(js: JetStreamContext, system: str) -> list[str]:
    info = await js.stream_info(BUDGET.rejected_stream)
    found = []
    for sequence in range(int(info.state.first_seq or 1), int(info.state.last_seq or 0) + 1):
        msg = await js.get_msg(BUDGET.rejected_stream, sequence)
        if msg.subject == BUDGET.rejected_subject(system):
            found += [p["message"] for p in json.loads(msg.data or b"{}")["problems"]]
    return found


async def _stored(database: str) -> int:
    return await count(database, "SELECT count(*) FROM events WHERE event_type = 'ActualsRecorded'")


async def test_a_system_over_its_share_is_refused_with_the_reason_and_others_go_on(
    servers: Servers, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> None:
    _, js = nats_client
    async with _budget(servers, budget_database):
        await publish_commands(servers.nats_url, [*SMALL_TREE], "andrasystem")
        flood = _actuals(200)
        await publish_commands(servers.nats_url, flood, "ekonomisystem")

        async def outcome() -> tuple[int, list[str]]:
            return await _stored(budget_database), await _refusals(js, "ekonomisystem")

        accepted, refusals = await eventually(
            outcome, until=lambda found: found[0] + len(found[1]) == len(flood)
        )
        assert 0 < accepted < len(flood)
        assert all(
            "mer än sin andel" in r and f"andel på {SHARE_BYTES} byte" in r for r in refusals
        ), "nothing else was wrong with the flood"

        # Another system's share is its own: it is still taken in.
        await publish_commands(servers.nats_url, _actuals(1), "andrasystem")
        await eventually(lambda: _stored(budget_database), until=lambda n: n == accepted + 1)
        assert await _refusals(js, "andrasystem") == []


async def test_a_message_beyond_the_streams_byte_limit_is_refused_to_its_sender(
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    _, js = nats_client
    await ensure_streams(js, streams(BUDGET, STREAM_BYTES))
    body = b"x" * (100 * 1024)
    subject = BUDGET.inbound_subject("ekonomisystem", "record-actuals")
    for _ in range(STREAM_BYTES // len(body)):
        await js.publish(subject, body)
    with pytest.raises(APIError, match="maximum bytes"):
        await js.publish(subject, body)
    info = await js.stream_info(BUDGET.inbound_stream)
    assert int(info.state.bytes or 0) <= STREAM_BYTES, "nothing beyond the limit is kept"
