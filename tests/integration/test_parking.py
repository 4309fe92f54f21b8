"""Events reporting cannot apply are parked with their reason; the projection goes on."""

import json
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts import subjects
from contracts.budget.commands import RecordActuals
from kommunplan.demo import publish_commands
from plumbing.database import Connection
from plumbing.projection import ProjectionRunner, ReceivedEvent
from services.reporting import bootstrap as reporting
from services.reporting.read_models.budget.projection import BudgetProjection
from services.reporting.read_models.catalog import PROJECTIONS
from services.reporting.read_models.sources import BUDGET
from tests.conftest import eventually
from tests.fixtures import SMALL_TREE
from tests.servers import Servers
from tests.system import (
    Prepare,
    budget_projection,
    get_as,
    ledger_sends,
    running_reporting_stack,
)


def ledger(period: str, revenue: str) -> RecordActuals:
    return RecordActuals(actor="ledger", unit_code="IT", period=period, revenue=revenue, costs="-1")


class BreakableProjection(BudgetProjection):
    """The budget projection, failing on events for a unit while ``broken`` holds it."""

    def __init__(self) -> None:
        self.broken: set[str] = set()

    async def apply(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        for event in events:
            if event.payload.get("unit_code") in self.broken:
                raise ValueError(f"cannot project {event.payload['unit_code']} yet")
        await super().apply(conn, events)


def _breakable(projection: BudgetProjection) -> Prepare:
    """Reporting with the budget's runner, first in the projections' table, over
    ``projection``, and the operator's routes."""

    def prepare(process: reporting.ReportingProcess) -> None:
        process.runners[0] = ProjectionRunner(
            process.pool, process.nc, projection, PROJECTIONS[0].source, 200, 2.0
        )
        reporting.add_operations_routes(process)

    return prepare


@pytest.fixture
async def projection() -> BreakableProjection:
    return BreakableProjection()


@pytest.fixture
async def stack(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    reporting_database: str,
    projection: BreakableProjection,
) -> AsyncIterator[reporting.ReportingProcess]:
    async with running_reporting_stack(
        servers.nats_url,
        budget_database,
        reporting_database,
        ledger_sends(SMALL_TREE),
        workers=budget_projection,
        prepare=_breakable(projection),
    ) as running:
        process = running.reporting
        await eventually(lambda: _actuals(process), until=lambda rows: rows == {})
        yield process


async def _get(process: reporting.ReportingProcess, path: str) -> httpx.Response:
    return await get_as(process.app, path, "operator")


async def _actuals(process: reporting.ReportingProcess) -> dict[str, str] | None:
    from plumbing.read_models import NotReady, ReadSession

    async def read(conn: ReadSession) -> dict[str, str]:
        rows = await conn.fetch("SELECT period, revenue FROM actuals")
        return {r["period"]: str(r["revenue"]) for r in rows}

    try:
        units = await process.read_models.read(
            lambda conn: conn.fetchval("SELECT count(*) FROM units"), (BUDGET,)
        )
        if units < len(SMALL_TREE):
            return None
        return await process.read_models.read(read, (BUDGET,))
    except NotReady:
        return None


async def _record(
    process: reporting.ReportingProcess, servers: Servers, period: str, revenue: str
) -> None:
    """The ledger's actuals for ``period``, sent and waited for until the plan has them."""
    await publish_commands(servers.nats_url, [ledger(period, revenue)], "ekonomisystem")
    await eventually(lambda: _actuals(process), until=lambda rows: rows.get(period) == revenue)


async def _parked(process: reporting.ReportingProcess) -> list[dict[str, Any]]:
    response = await _get(process, "/api/drift/parkerade")
    assert response.status_code == 200
    return list(response.json())


async def test_a_forged_event_far_ahead_in_its_stream_is_parked_and_later_events_still_show(
    stack: reporting.ReportingProcess,
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    _, js = nats_client
    await _record(stack, servers, "2011-01", "100")
    forged = await js.get_last_msg(
        subjects.BUDGET_EVENTS_STREAM, subjects.budget_event("ActualsRecorded")
    )
    message = json.loads(forged.data)
    message["envelope"].update(event_id=str(uuid.uuid4()), version=2147483647)
    message["payload"]["revenue"] = "999999"
    await js.publish(subjects.budget_event("ActualsRecorded"), json.dumps(message).encode())
    await publish_commands(servers.nats_url, [ledger("2011-01", "200")], "ekonomisystem")

    await eventually(lambda: _actuals(stack), until=lambda rows: rows == {"2011-01": "200"})
    (parked,) = await eventually(lambda: _parked(stack))
    assert parked["kind"] == "gap"
    assert parked["version"] == 2147483647
    assert "nästa i strömmen är 2" in parked["reason"]
    plan = (await _get(stack, "/api/plan/KS/2011")).json()
    assert plan["parked_events"] == 1
    assert "kunde inte läsas in" in (await _get(stack, "/plan/KS/2011")).text


async def test_a_message_that_is_no_event_at_all_is_parked_and_the_projection_goes_on(
    stack: reporting.ReportingProcess,
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    _, js = nats_client
    await js.publish(subjects.budget_event("FiguresSet"), b"\x00" * 1000)
    await js.publish(subjects.budget_event("FiguresSet"), b'{"envelope": {}, "payload": 1}')
    await publish_commands(servers.nats_url, [ledger("2011-02", "7")], "ekonomisystem")
    await eventually(lambda: _actuals(stack), until=lambda rows: rows == {"2011-02": "7"})
    parked = await _parked(stack)
    assert [p["kind"] for p in parked] == ["unreadable", "unreadable"]
    assert parked[0]["size"] == 1000


async def test_an_event_that_fails_holds_its_stream_until_replayed_after_a_fix(
    stack: reporting.ReportingProcess,
    servers: Servers,
    projection: BreakableProjection,
    budget_database: str,
) -> None:
    projection.broken.add("IT")
    await publish_commands(
        servers.nats_url,
        [ledger("2011-03", "1"), ledger("2011-03", "2"), ledger("2011-04", "3")],
        "ekonomisystem",
    )
    parked = await eventually(lambda: _parked(stack), until=lambda found: len(found) == 3)
    assert [p["kind"] for p in parked] == ["failed", "held", "held"]
    assert "cannot project IT yet" in parked[0]["reason"]
    ready = await _get(stack, "/ready")
    assert ready.status_code == 503
    assert "ingen sett" in ready.json()["checks"]["parkerade"]

    projection.broken.clear()  # the fix
    applied, still = await stack.runner(BUDGET).replay_parked()
    assert (applied, still) == (3, 0)
    assert await _actuals(stack) == {"2011-03": "2", "2011-04": "3"}
    assert (await _get(stack, "/ready")).status_code == 200


async def _last_actuals_message(js: JetStreamContext) -> dict[str, Any]:
    last = await js.get_last_msg(
        subjects.BUDGET_EVENTS_STREAM, subjects.budget_event("ActualsRecorded")
    )
    return dict(json.loads(last.data))


async def _checkpoint_reaches_the_end(
    stack: reporting.ReportingProcess, js: JetStreamContext
) -> None:

    last = (await js.stream_info(subjects.BUDGET_EVENTS_STREAM)).state.last_seq
    await eventually(
        lambda: stack.read_models.read(
            lambda conn: conn.fetchval("SELECT max(sequence) FROM tracking"), (BUDGET,)
        ),
        until=lambda sequence: sequence == last,
    )


async def test_the_same_event_again_under_a_new_sequence_is_skipped_silently(
    stack: reporting.ReportingProcess,
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    _, js = nats_client
    await _record(stack, servers, "2011-05", "5")
    again = await _last_actuals_message(js)
    # Keys in another order and the trace context dropped: still the very same event.
    again = {"payload": again["payload"], "envelope": {**again["envelope"], "traceparent": None}}
    await js.publish(subjects.budget_event("ActualsRecorded"), json.dumps(again).encode())
    await _checkpoint_reaches_the_end(stack, js)
    assert await _parked(stack) == []
    assert await _actuals(stack) == {"2011-05": "5"}


@pytest.mark.parametrize("spoil", ["event_id", "payload"])
async def test_a_repeat_with_other_content_is_parked_and_replay_still_refuses_it(
    stack: reporting.ReportingProcess,
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    spoil: str,
) -> None:
    _, js = nats_client
    await _record(stack, servers, "2011-06", "6")
    forged = await _last_actuals_message(js)
    if spoil == "event_id":
        forged["envelope"]["event_id"] = str(uuid.uuid4())
    forged["payload"]["revenue"] = "999999"
    await js.publish(subjects.budget_event("ActualsRecorded"), json.dumps(forged).encode())

    (parked,) = await eventually(lambda: _parked(stack))
    assert parked["kind"] == "repeat"
    assert parked["version"] == forged["envelope"]["version"]
    assert "redan inläst" in parked["reason"]
    expected = "denna har id" if spoil == "event_id" else "annat innehåll"
    assert expected in parked["reason"]
    assert await _actuals(stack) == {"2011-06": "6"}
    # The stream goes on behind it.
    await _record(stack, servers, "2011-07", "7")

    applied, still = await stack.runner(BUDGET).replay_parked()  # as after a "fix"
    assert (applied, still) == (0, 1)
    assert [p["kind"] for p in await _parked(stack)] == ["repeat"]
    assert await _actuals(stack) == {"2011-06": "6", "2011-07": "7"}


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [("missing", "Field required"), ("40 digits", "för stort")],
)
async def test_figures_that_do_not_read_as_their_contract_are_parked_and_others_go_on(
    stack: reporting.ReportingProcess,
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    spoil: str,
    expected: str,
) -> None:
    _, js = nats_client
    await _record(stack, servers, "2011-08", "8")
    last = await _last_actuals_message(js)
    # The next version of the same unit's year, as the budget service would number it.
    envelope = {
        **last["envelope"],
        "event_id": str(uuid.uuid4()),
        "event_type": "FiguresSet",
        "version": last["envelope"]["version"] + 1,
    }
    payload: dict[str, Any] = {
        "unit_code": "IT",
        "year": 2011,
        "kind": "budget",
        "status": "adopted",
        "costs": "-1",
        "decision": None,
    }
    if spoil == "40 digits":
        payload["revenue"] = "1" * 40
    forged = {"envelope": envelope, "payload": payload}
    await js.publish(subjects.budget_event("FiguresSet"), json.dumps(forged).encode())
    # Another stream, the unit's next year: not held behind the forged event.
    await _record(stack, servers, "2012-01", "12")

    (parked,) = await eventually(lambda: _parked(stack))
    assert (parked["kind"], parked["version"]) == ("failed", envelope["version"])
    assert "FiguresSet" in parked["reason"] and "revenue" in parked["reason"]
    assert expected in parked["reason"]
    assert await _actuals(stack) == {"2011-08": "8", "2012-01": "12"}


async def _in_reporting(stack: reporting.ReportingProcess, sql: str, *args: object) -> None:

    await stack.read_models.read(lambda session: session.execute(sql, *args), (BUDGET,))


async def _forget_applied(stack: reporting.ReportingProcess, stream_id: str, version: int) -> None:
    """As if ``version`` of ``stream_id`` had been skipped: applied up to the one before,
    with no record of where in the NATS stream that was."""
    await _in_reporting(
        stack,
        "UPDATE stream_versions SET version = $2 - 1, sequence = NULL WHERE stream_id = $1",
        stream_id,
        version,
    )
    await _in_reporting(
        stack,
        "DELETE FROM applied_events WHERE stream_id = $1 AND version >= $2",
        stream_id,
        version,
    )


async def test_an_event_skipped_before_a_gap_is_read_again_from_the_stream_not_parked(
    stack: reporting.ReportingProcess,
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    _, js = nats_client
    await _record(stack, servers, "2011-09", "1")
    await _record(stack, servers, "2011-09", "2")
    skipped = (await _last_actuals_message(js))["envelope"]
    await _forget_applied(stack, skipped["stream_id"], skipped["version"])

    await _record(stack, servers, "2011-09", "3")  # the gap: two versions after the applied one
    assert await _parked(stack) == []
    assert (await _actuals(stack) or {}).get("2011-09") == "3"


async def test_a_replay_of_a_parked_gap_applies_what_the_stream_holds_before_it(
    stack: reporting.ReportingProcess,
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    _, js = nats_client
    await _record(stack, servers, "2011-10", "1")
    await _record(stack, servers, "2011-10", "2")
    await _record(stack, servers, "2011-10", "3")
    last = await js.get_last_msg(
        subjects.BUDGET_EVENTS_STREAM, subjects.budget_event("ActualsRecorded")
    )
    envelope = json.loads(last.data)["envelope"]
    # Parked as a gap by a projection that had skipped the version before it, as one did
    # when a lost connection took deliveries with it.
    await _forget_applied(stack, envelope["stream_id"], envelope["version"] - 1)
    await _in_reporting(
        stack,
        "INSERT INTO parked (sequence, kind, reason, body, stream_id, version, event_type)"
        " VALUES ($1, 'gap', 'a gap', $2, $3, $4, 'ActualsRecorded')",
        last.seq,
        last.data,
        envelope["stream_id"],
        envelope["version"],
    )
    assert len(await _parked(stack)) == 1

    applied, still = await stack.runner(BUDGET).replay_parked()
    assert (applied, still) == (2, 0)
    assert await _parked(stack) == []
    assert (await _actuals(stack) or {}).get("2011-10") == "3"
