"""A system flooding its inbound subject: refused by NATS at the stream's byte limit or on
its rejection subject over its share, nothing of it stored, and the others still taken in."""

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from nats.js.errors import APIError

from contracts import subjects
from contracts.budget.commands import RecordActuals
from tests.faults.ledger import Sender, connect, organisation, stream_exists
from tests.faults.properties import rejections, stored_actuals_count, wait_for
from tests.faults.stack import FaultStack

STREAM_BYTES = 4 * 1024**2
SHARE_BYTES = 1024**2
FLOOD = 40
BODY_BYTES = 400 * 1024  # within what a message may be, so only the limits refuse it


@pytest.fixture
async def stack(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FaultStack]:
    monkeypatch.setenv("KOMMUNPLAN_INBOUND_MAX_BYTES", str(STREAM_BYTES))
    monkeypatch.setenv("KOMMUNPLAN_SYSTEM_MAX_BYTES_PER_HOUR", str(SHARE_BYTES))
    running = FaultStack()
    try:
        await running.start([("budget", "budget"), ("budget-relay", "budget-relay")])
        yield running
    finally:
        running.stop()


def _padded(i: int) -> bytes:
    """Actuals with a narrative-sized comment of junk: a large message to its service."""
    body = RecordActuals(
        actor="x", unit_code="E01", period="2011-01", revenue=Decimal(i), costs=Decimal(0)
    ).model_dump_json()
    return body[:-1].encode() + b', "filler": "' + b"a" * BODY_BYTES + b'"}'


async def test_a_system_flooding_its_inbound_subject_is_refused_and_others_go_on(
    stack: FaultStack,
) -> None:
    nc = await connect(stack.nats_url)
    try:
        js = nc.jetstream()
        ready, _ = await wait_for(
            lambda: stream_exists(js, subjects.BUDGET_INBOUND_STREAM), bool, within=60
        )
        assert ready
        await Sender(nc).send_all(organisation())
        before = await stored_actuals_count(stack)
        refused_by_nats = 0
        for i in range(FLOOD):
            try:
                await js.publish(
                    subjects.budget_inbound("ekonomisystem", "record-actuals"), _padded(i)
                )
            except APIError as error:
                assert "maximum bytes" in str(error)
                refused_by_nats += 1
            info = await js.stream_info(subjects.BUDGET_INBOUND_STREAM)
            assert int(info.state.bytes) <= STREAM_BYTES, "the stream keeps no more than its limit"
        taken = FLOOD - refused_by_nats

        async def refused() -> int:
            return sum(r.subject.endswith(".ekonomisystem") for r in await rejections(nc))

        done, count = await wait_for(refused, lambda n: n >= taken, within=60)
        assert done, f"{count} of the {taken} taken refused on the rejection subject"
        assert await stored_actuals_count(stack) == before, "nothing of the flood is stored"

        # The ledger has used its share for the hour; another system's is its own.
        other = RecordActuals(
            message_id=uuid.uuid4(),
            actor="lön",
            unit_code="E01",
            period="2011-02",
            revenue=Decimal(7),
            costs=Decimal(-7),
        )
        await Sender(nc).send(other, system="lonesystem")
        stored, _ = await wait_for(lambda: stored_actuals_count(stack), lambda n: n == before + 1)
        assert stored, "another system's message is still taken in"
    finally:
        await nc.close()
