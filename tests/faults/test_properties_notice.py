"""The properties are worth something only if they fail when something is wrong: checked
here against a healthy ingest and expectations that are wrong on purpose."""

import uuid
from collections.abc import AsyncIterator

import pytest
from nats.aio.client import Client

from contracts import subjects
from contracts.budget.commands import RecordActuals
from tests.faults.hostile import HostileBench
from tests.faults.ledger import SYSTEM, Sender, actuals
from tests.faults.properties import (
    HttpWatch,
    latest_values,
    no_server_errors,
    one_event_per_command,
    settle,
    store_order,
    stored_never_rejected,
    wait_for,
)
from tests.faults.stack import FaultStack

MESSAGES = 400


@pytest.fixture(scope="module")
async def ingested() -> AsyncIterator[tuple[FaultStack, Client, list[RecordActuals]]]:
    bench = HostileBench()
    stack, nc = await bench.ready()
    sent = actuals(MESSAGES)
    await Sender(nc).send_all(sent)
    await settle(stack, sent)
    yield stack, nc, sent
    await bench.close()


async def test_a_healthy_ingest_keeps_every_property(
    ingested: tuple[FaultStack, Client, list[RecordActuals]],
) -> None:
    stack, _, sent = ingested
    checks = [
        *await latest_values(stack, sent),
        await store_order(stack, sent),
        await one_event_per_command(stack, sent),
    ]
    assert all(c.held for c in checks), checks


async def test_two_commands_swapped_in_a_stream_break_the_order_and_the_last_values(
    ingested: tuple[FaultStack, Client, list[RecordActuals]],
) -> None:
    stack, _, sent = ingested
    # The last two values of one key: the stored order and the last value both differ.
    first, second = [
        i for i, c in enumerate(sent) if c.unit_code == "E03" and c.period == "2011-07"
    ][-2:]
    swapped = list(sent)
    swapped[first], swapped[second] = sent[second], sent[first]
    latest_in_store, latest_in_view = await latest_values(stack, swapped)
    assert not latest_in_store.held
    assert not latest_in_view.held
    assert not (await store_order(stack, swapped)).held


async def test_a_command_missing_or_added_breaks_the_count(
    ingested: tuple[FaultStack, Client, list[RecordActuals]],
) -> None:
    stack, _, sent = ingested
    assert not (await one_event_per_command(stack, sent[:-1])).held
    extra = sent[-1].model_copy()
    assert not (await one_event_per_command(stack, [*sent, extra])).held


async def test_a_single_500_is_noticed(
    ingested: tuple[FaultStack, Client, list[RecordActuals]],
) -> None:
    stack, _, _ = ingested
    watch = HttpWatch(stack)
    watch.record("budget", "/ready", 503)
    assert no_server_errors(watch).held
    watch.record("budget", "/api/units", 500)
    assert not no_server_errors(watch).held


async def test_a_stored_message_sent_again_under_a_new_nats_id_shows_as_stored_and_rejected(
    ingested: tuple[FaultStack, Client, list[RecordActuals]],
) -> None:
    stack, nc, sent = ingested
    assert (await stored_never_rejected(stack, nc, sent)).held
    again = sent[0]
    # A new Nats-Msg-Id gets past JetStream's deduplication; the budget service refuses it.
    await Sender(nc).publish(
        subjects.budget_inbound(SYSTEM, again.command_name),
        again.model_dump_json().encode(),
        str(uuid.uuid4()),
    )
    seen, _ = await wait_for(
        lambda: stored_never_rejected(stack, nc, sent), lambda check: not check.held, quiet=30
    )
    assert seen
