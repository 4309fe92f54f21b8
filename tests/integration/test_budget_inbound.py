"""Commands over NATS: stored once, or refused to the dead-letter subject with the reason."""

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts import subjects
from services.budget.bootstrap import BudgetProcess
from tests.conftest import count, eventually
from tests.fixtures import CLOSED_UNIT, SMALL_TREE
from tests.servers import Servers
from tests.system import running_budget

SYSTEM = "ekonomisystem"
TREE = [*SMALL_TREE, *CLOSED_UNIT]


def actuals(**fields: Any) -> dict[str, Any]:
    message = {
        "message_id": str(uuid.uuid4()),
        "actor": "ledger",
        "unit_code": "IT",
        "period": "2011-03",
        "revenue": "1000.50",
        "costs": "-2000",
    }
    message.update(fields)
    return message


async def send(
    js: JetStreamContext,
    command_name: str,
    body: dict[str, Any] | bytes,
    msg_id: str | None = None,
    system: str = SYSTEM,
) -> None:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Nats-Msg-Id": msg_id} if msg_id else None
    await js.publish(subjects.budget_inbound(system, command_name), data, headers=headers)


async def rejections(js: JetStreamContext) -> list[dict[str, Any]]:
    info = await js.stream_info(subjects.BUDGET_REJECTED_STREAM)
    found = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        if info.state.messages == 0:
            break
        found.append(json.loads((await js.get_msg(subjects.BUDGET_REJECTED_STREAM, seq)).data))
    return found


@pytest.fixture
async def budget(
    servers: Servers, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> AsyncIterator[BudgetProcess]:
    async with running_budget(servers.nats_url, budget_database) as process:
        _, js = nats_client
        for command in TREE:
            await send(js, command.command_name, json.loads(command.model_dump_json()))
        await eventually(
            lambda: count(budget_database, "SELECT count(*) FROM events"), until=lambda n: n >= 4
        )
        yield process


async def stored_actuals(database: str) -> int:
    return await count(database, "SELECT count(*) FROM events WHERE event_type = 'ActualsRecorded'")


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (actuals(unit_code="NOPE"), "unit_code", "finns inte"),
        (actuals(period="2011-13"), "period", "månad 13"),
        (actuals(revenue="tolv"), "revenue", "inte ett tal"),
        (actuals(costs=-0.30000000000000004), "costs", "flyttal"),
        (actuals(revenue="10.005"), "revenue", "fler än två decimaler"),
        (actuals(unit_code="OLD", period="2011-02"), "unit_code", "stängdes 2010-12-31"),
        ({k: v for k, v in actuals().items() if k != "message_id"}, "message_id", "saknas"),
    ],
    ids=[
        "unknown-unit",
        "month-13",
        "non-numeric",
        "float",
        "rounded",
        "closed-unit",
        "no-message-id",
    ],
)
async def test_a_bad_message_is_refused_with_its_reason_and_nothing_is_stored(
    budget: BudgetProcess,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    body: dict[str, Any],
    field: str,
    words: str,
) -> None:
    _, js = nats_client
    await send(js, "record-actuals", body)
    refused = await eventually(lambda: rejections(js))
    assert len(refused) == 1
    (problem,) = refused[0]["problems"]
    assert problem["field"] == field
    assert words in problem["message"]
    assert refused[0]["source_system"] == SYSTEM
    assert json.loads(refused[0]["original"]) == body
    assert await stored_actuals(budget_database) == 0


async def test_a_good_message_is_stored_once_and_published_as_an_event(
    budget: BudgetProcess, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> None:
    _, js = nats_client
    body = actuals()
    await send(js, "record-actuals", body)
    await eventually(lambda: stored_actuals(budget_database))
    info = await eventually(lambda: _published(js, "ActualsRecorded"))
    event = json.loads(info.data)
    assert event["payload"]["revenue"] == "1000.50"
    assert event["envelope"]["source_system"] == SYSTEM
    assert event["envelope"]["causation_id"] == body["message_id"]
    assert info.headers["Nats-Msg-Id"] == event["envelope"]["event_id"]


async def _published(js: JetStreamContext, event_type: str) -> Any:
    try:
        return await js.get_last_msg(
            subjects.BUDGET_EVENTS_STREAM, subjects.budget_event(event_type)
        )
    except Exception:
        return None


async def test_the_same_message_sent_again_later_is_refused_as_a_duplicate(
    budget: BudgetProcess, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> None:
    _, js = nats_client
    body = actuals()
    await send(js, "record-actuals", body)
    await eventually(lambda: stored_actuals(budget_database))
    # A different Nats-Msg-Id gets past JetStream's window; the service still knows the id.
    await send(js, "record-actuals", body, msg_id=str(uuid.uuid4()))
    refused = await eventually(lambda: rejections(js))
    assert refused[0]["problems"][0]["field"] == "message_id"
    assert "redan" in refused[0]["problems"][0]["message"]
    assert await stored_actuals(budget_database) == 1


async def test_a_duplicate_publish_within_the_window_is_ignored_by_jetstream(
    budget: BudgetProcess, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> None:
    _, js = nats_client
    body = actuals()
    first = await js.publish(
        subjects.budget_inbound(SYSTEM, "record-actuals"),
        json.dumps(body).encode(),
        headers={"Nats-Msg-Id": body["message_id"]},
    )
    second = await js.publish(
        subjects.budget_inbound(SYSTEM, "record-actuals"),
        json.dumps(body).encode(),
        headers={"Nats-Msg-Id": body["message_id"]},
    )
    assert second.duplicate and second.seq == first.seq
    await eventually(lambda: stored_actuals(budget_database))
    assert await stored_actuals(budget_database) == 1
    assert await rejections(js) == []


async def test_an_unknown_command_is_refused_naming_the_known_ones(
    budget: BudgetProcess, nats_client: tuple[Client, JetStreamContext]
) -> None:
    _, js = nats_client
    await send(js, "record-everything", actuals())
    refused = await eventually(lambda: rejections(js))
    assert "okänt kommando" in refused[0]["problems"][0]["message"]
    assert "record-actuals" in refused[0]["problems"][0]["message"]


async def test_a_batch_with_good_and_bad_messages_stores_the_good_ones(
    budget: BudgetProcess, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> None:
    _, js = nats_client
    good = [actuals(period=f"2011-{m:02d}") for m in range(1, 13)]
    bad = [actuals(period="2011-13"), actuals(unit_code="NOPE")]
    for body in [*good[:6], *bad, *good[6:]]:
        await send(js, "record-actuals", body)
    await eventually(lambda: stored_actuals(budget_database), until=lambda n: n == 12)
    refused = await eventually(lambda: rejections(js), until=lambda found: len(found) >= 2)
    assert sorted(r["problems"][0]["field"] for r in refused) == ["period", "unit_code"]


async def test_a_message_from_a_system_nobody_knows_is_refused_and_stores_nothing(
    budget: BudgetProcess, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> None:
    _, js = nats_client
    await send(js, "record-actuals", actuals(), system="okantsystem")
    refused = await eventually(lambda: rejections(js))
    assert refused[0]["source_system"] == "okantsystem"
    assert "inte känt" in refused[0]["problems"][0]["message"]
    assert await stored_actuals(budget_database) == 0
    # The consumer goes on: the next message from a known system is stored.
    await send(js, "record-actuals", actuals())
    await eventually(lambda: stored_actuals(budget_database), until=lambda n: n == 1)


async def test_a_system_may_write_only_for_the_units_it_was_given(
    budget: BudgetProcess, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> None:
    _, js = nats_client
    # The payroll system may write under KLF only; IT sits directly under KS here.
    await send(js, "record-actuals", actuals(), system="lonesystem")
    refused = await eventually(lambda: rejections(js))
    (problem,) = refused[0]["problems"]
    assert problem["field"] == "unit_code"
    assert "får inte skriva för enheten IT" in problem["message"]
    assert await stored_actuals(budget_database) == 0


async def test_a_message_redelivered_after_it_was_stored_is_not_refused(
    budget: BudgetProcess, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> None:
    _, js = nats_client
    await send(js, "record-actuals", actuals())
    await eventually(lambda: stored_actuals(budget_database))
    # As if JetStream lost the acknowledgement and delivered the stored batch again.
    await budget.pool.execute("UPDATE consumer_positions SET sequence = 0")
    await js.delete_consumer(
        subjects.BUDGET_INBOUND_STREAM,
        (await js.consumers_info(subjects.BUDGET_INBOUND_STREAM))[0].name,
    )
    await send(js, "record-actuals", actuals(period="2011-04"))
    await eventually(lambda: stored_actuals(budget_database), until=lambda n: n == 2)
    assert await rejections(js) == []
