"""The budget service killed in the middle of a batch loses nothing and stores nothing twice."""

import asyncio
import json
import signal
import uuid
from collections.abc import Iterator

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts import subjects
from contracts.budget.commands import RecordActuals
from kommunplan.demo import publish_commands
from tests.conftest import count, eventually
from tests.fixtures import SMALL_TREE
from tests.servers import Servers
from tests.service_processes import Start, service_processes
from tests.system import KNOWN_SYSTEMS

# Enough that the work takes budget a couple of seconds: the kill, made at the first event
# stored, must land before the last even when this process is slow to notice.
N = 10_000


@pytest.fixture
def start_budget(servers: Servers, budget_database: str) -> Iterator[Start]:
    with service_processes(servers.nats_url, budget_database, KNOWN_SYSTEMS) as start:
        yield start


async def test_killing_the_budget_service_mid_batch_loses_nothing_and_stores_nothing_twice(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    start_budget: Start,
) -> None:
    _, js = nats_client
    start_budget("budget-relay")
    first = start_budget("budget")
    ledger = [
        RecordActuals(
            message_id=uuid.uuid4(),
            actor="ledger",
            unit_code="IT",
            period=f"{2000 + (i // 12) % 100}-{i % 12 + 1:02d}",
            revenue=str(i),
            costs=f"-{i}.50",
        )
        for i in range(N)
    ]
    await eventually(lambda: _stream_exists(js, subjects.BUDGET_INBOUND_STREAM), within=30)
    await publish_commands(servers.nats_url, [*SMALL_TREE, *ledger], "ekonomisystem")
    stored = "SELECT count(*) FROM events WHERE event_type = 'ActualsRecorded'"
    await eventually(lambda: count(budget_database, stored), until=lambda n: n > 0, within=60)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = await count(budget_database, stored)
    assert 0 < killed_at < N, "the kill must land in the middle of the work"

    start_budget("budget")
    await eventually(lambda: count(budget_database, stored), until=lambda n: n == N, within=120)
    await eventually(
        lambda: count(budget_database, "SELECT count(*) FROM outbox"),
        until=lambda n: n == 0,
        within=60,
    )
    await asyncio.sleep(2.5)  # longer than ack_wait: any redelivery would have happened
    assert await count(budget_database, stored) == N
    assert (
        await count(budget_database, "SELECT count(DISTINCT message_id) FROM inbound_messages")
        == N + 2
    )
    info = await js.stream_info(subjects.BUDGET_EVENTS_STREAM)
    assert info.state.messages == N + 2, "each stored event is published exactly once"
    rejected = await js.stream_info(subjects.BUDGET_REJECTED_STREAM)
    assert rejected.state.messages == 0, "a redelivered, already stored message is not refused"
    (consumer,) = await js.consumers_info(subjects.BUDGET_INBOUND_STREAM)
    assert consumer.name.startswith("budget-inbound-e"), "the holder's own consumer"
    assert consumer.num_pending == 0
    last = await js.get_msg(subjects.BUDGET_EVENTS_STREAM, info.state.last_seq)
    assert json.loads(last.data)["envelope"]["version"] >= 1


async def _stream_exists(js: JetStreamContext, name: str) -> bool:
    try:
        await js.stream_info(name)
        return True
    except Exception:
        return False
