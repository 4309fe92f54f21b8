"""The project office's 10 % of each project it runs, sent by projects to budget exactly once,
on real NATS and PostgreSQL: budget's own inbound consumer and event store, the process
manager reading PROJECTS_EVENTS as projects' relay publishes them."""

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from opentelemetry import trace
from pydantic import SecretStr

from contracts.budget.commands import RegisterUnit
from contracts.budget.service import BUDGET
from contracts.envelope import Envelope, EventMessage
from contracts.projects.events import ProjectBudgetSet, ProjectRegistered, ProjectStatusChanged
from contracts.projects.fields import ProjectStatus
from contracts.projects.service import PROJECTS
from kommunplan.demo import publish_commands
from plumbing import telemetry, write_service
from plumbing.database import ensure_database
from plumbing.migrations import migrate
from plumbing.nats_connection import connect, ensure_streams
from plumbing.postgres_eventstore import MIGRATIONS
from plumbing.process_manager import ProcessManagerWorker
from plumbing.readiness import WorkerState
from plumbing.sent_refusals import SentRefusals
from plumbing.service import resilient
from services.projects.office_share import DURABLE, OFFICE_SHARE, OfficeShare, message_id_for
from services.projects.settings import OfficeShareSettings
from tests.conftest import SPANS, count, eventually
from tests.fixtures import SMALL_TREE
from tests.integration.test_nats_permissions import refused
from tests.locked_nats import LockedNats, locked_nats, session
from tests.servers import Servers
from tests.system import (
    KNOWN_SYSTEMS,
    inbound_only,
    relay_only,
    running_budget,
    running_reporting,
)

OFFICE = "PROJ"
OFFICE_UNIT = RegisterUnit(
    actor="t",
    unit_code=OFFICE,
    name="Projektkontoret",
    kind="unit",
    parent_code="KS",
    effective_on="2011-01-01",
)
TENTH = OfficeShareSettings(Decimal("0.10"), OFFICE)
SHARES = "SELECT count(*) FROM events WHERE event_type = 'ProjectShareSet'"


@pytest.fixture
async def projects_database(servers: Servers) -> str:
    url = await ensure_database(servers.postgres_url, f"projects_{uuid.uuid4().hex[:12]}")
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn, MIGRATIONS)  # what the projects process migrates at start
    finally:
        await conn.close()
    return url


class ProjectsRelay:
    """Publishes projects events as projects' relay does: one stream per project, in order."""

    def __init__(self, js: JetStreamContext) -> None:
        self._js = js
        self._versions: dict[str, int] = {}

    async def publish(
        self,
        event: ProjectRegistered | ProjectBudgetSet | ProjectStatusChanged,
        headers: dict[str, str] | None = None,
        **envelope: Any,
    ) -> EventMessage:
        stream_id = f"project-{event.project_code}"
        self._versions[stream_id] = self._versions.get(stream_id, 0) + 1
        event_id = uuid.uuid4()
        now = datetime.now(UTC)
        fields: dict[str, Any] = {
            "event_id": event_id,
            "event_type": event.event_type,
            "schema_version": event.schema_version,
            "stream_id": stream_id,
            "version": self._versions[stream_id],
            "occurred_at": now,
            "recorded_at": now,
            "source_system": "projektverktyg",
            "actor": "projektverktyg",
            "correlation_id": uuid.uuid4(),
            "causation_id": uuid.uuid4(),
            **(headers or {}),
            **envelope,
        }
        message = EventMessage(envelope=Envelope(**fields), payload=event.model_dump(mode="json"))
        await self.again(message)
        return message

    async def again(self, message: EventMessage, msg_id: str | None = None) -> None:
        """``message`` on the stream (again, with another Nats-Msg-Id, as after a relay's
        duplicate window)."""
        envelope = message.envelope
        headers = {"Nats-Msg-Id": msg_id or str(envelope.event_id)}
        if envelope.traceparent:
            headers["traceparent"] = envelope.traceparent
        await self._js.publish(
            PROJECTS.event_subject(envelope.event_type),
            message.model_dump_json().encode(),
            headers=headers,
        )


def registered(code: str, by_office: bool = True) -> ProjectRegistered:
    return ProjectRegistered(
        project_code=code,
        name=f"Projektet {code}",
        board_code="KS",
        unit_code=OFFICE,
        run_by_project_office=by_office,
    )


def budget_set(code: str, amount: str, year: int = 2011) -> ProjectBudgetSet:
    return ProjectBudgetSet(project_code=code, year=year, amount=Decimal(amount))


@contextlib.asynccontextmanager
async def running_office_share(
    nats_url: str,
    projects_database: str,
    settings: OfficeShareSettings = TENTH,
    password: str | None = None,
) -> AsyncIterator[tuple[ProcessManagerWorker, SentRefusals]]:
    """The process manager and the refusals' log, as the projects process runs them (as the
    projects service's NATS user when given its password)."""
    pool = await asyncpg.create_pool(projects_database, min_size=1, max_size=4)
    user = PROJECTS.name if password is not None else None
    nc, _ = await connect(nats_url, PROJECTS.name, user, SecretStr(password or ""))
    office_share = ProcessManagerWorker(
        pool, nc, OFFICE_SHARE, OfficeShare(settings), batch_size=50, ack_wait_seconds=2.0
    )
    refusals = SentRefusals(nc, OFFICE_SHARE, fetch_timeout=0.2)
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(resilient(office_share)(stop)),
        asyncio.create_task(resilient(refusals)(stop)),
    ]
    try:
        yield office_share, refusals
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=15)
        await nc.drain()
        await pool.close()


@contextlib.asynccontextmanager
async def budget_with_office(
    servers: Servers, js: JetStreamContext, budget_database: str
) -> AsyncIterator[None]:
    """Budget with KS, IT and the project office, and the projects events stream declared."""
    await ensure_streams(js, write_service.streams(PROJECTS))
    async with running_budget(servers.nats_url, budget_database):
        await publish_commands(servers.nats_url, [*SMALL_TREE, OFFICE_UNIT], "ekonomisystem")
        await eventually(
            lambda: count(budget_database, "SELECT count(*) FROM events"),
            until=lambda n: n == 3,
        )
        yield


async def shares(budget_database: str) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(budget_database)
    try:
        rows = await conn.fetch(
            "SELECT stream_id, payload, metadata FROM events"
            " WHERE event_type = 'ProjectShareSet' ORDER BY position"
        )
    finally:
        await conn.close()
    return [
        {"stream_id": r["stream_id"], **json.loads(r["payload"]), "meta": json.loads(r["metadata"])}
        for r in rows
    ]


async def inbound_shares(js: JetStreamContext) -> int:
    info = await js.stream_info(BUDGET.inbound_stream)
    subject = BUDGET.inbound_subject("projects", "set-project-share")
    total = 0
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        with contextlib.suppress(Exception):
            if (await js.get_msg(BUDGET.inbound_stream, seq)).subject == subject:
                total += 1
    return total


async def position(projects_database: str) -> int:
    return await count(
        projects_database,
        "SELECT coalesce(max(sequence), 0) FROM consumer_positions WHERE consumer = $1",
        DURABLE,
    )


async def caught_up(js: JetStreamContext, projects_database: str) -> None:
    """Until the process manager has stored the position of the last projects event."""
    last = (await js.stream_info(PROJECTS.events_stream)).state.last_seq
    await eventually(lambda: position(projects_database), until=lambda p: p >= last)


def trace_id(traceparent: str) -> str:
    return traceparent.split("-")[1]


async def test_a_budget_of_a_project_the_office_runs_sends_budget_a_tenth_once_with_its_cause(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    projects_database: str,
) -> None:
    _, js = nats_client
    relay = ProjectsRelay(js)
    SPANS.clear()
    async with (
        budget_with_office(servers, js, budget_database),
        running_office_share(servers.nats_url, projects_database),
    ):
        await relay.publish(registered("p1"))
        await relay.publish(registered("p2", by_office=False))
        with trace.get_tracer("test").start_as_current_span("projektverktyg sends") as root:
            context = telemetry.current_trace_headers()
        cause = await relay.publish(budget_set("p1", "1000000"), headers=context)
        await relay.publish(budget_set("p2", "5000000"))
        await caught_up(js, projects_database)
        (share,) = await eventually(lambda: shares(budget_database), until=lambda s: len(s) == 1)
        await asyncio.sleep(1.0)  # anything more would have come by now
        assert len(await shares(budget_database)) == 1, "P2 is not the office's: nothing"

    assert share["stream_id"] == "unit-PROJ-2011"
    assert (share["unit_code"], share["year"], share["project_code"]) == (OFFICE, 2011, "p1")
    assert Decimal(share["project_budget"]) == Decimal("1000000")
    assert Decimal(share["revenue"]) == Decimal("100000.00")
    meta = share["meta"]
    assert meta["causation_id"] == str(cause.envelope.event_id)
    assert meta["correlation_id"] == str(cause.envelope.correlation_id)
    assert (meta["source_system"], meta["actor"]) == ("projects", "projects")
    # One trace: the projects event's, through the process manager's command into budget.
    assert trace_id(meta["traceparent"]) == trace_id(context["traceparent"])
    spans = {
        s.name: s
        for s in SPANS.get_finished_spans()
        if s.context.trace_id == root.get_span_context().trace_id
    }
    sent = spans["projects set-project-share"]
    decided = spans["budget set-project-share"]
    assert sent.parent is not None and sent.parent.span_id == root.get_span_context().span_id
    # Budget's pull loop processes the message within the trace it was sent in.
    received = spans["process BUDGET_INBOUND"]
    assert received.parent is not None and received.parent.span_id == sent.context.span_id
    assert decided.parent is not None and decided.parent.span_id == received.context.span_id
    assert await inbound_shares(js) == 1


async def test_a_changed_budget_replaces_the_share_and_the_plan_shows_the_last(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    projects_database: str,
    reporting_database: str,
) -> None:
    _, js = nats_client
    relay = ProjectsRelay(js)
    async with (
        budget_with_office(servers, js, budget_database),
        running_reporting(servers.nats_url, reporting_database),
        running_office_share(servers.nats_url, projects_database),
    ):
        await relay.publish(registered("p1"))
        await relay.publish(budget_set("p1", "1000000"))
        await relay.publish(
            ProjectStatusChanged(
                project_code="p1", status=ProjectStatus.ONGOING, effective_on=date(2011, 3, 1)
            )
        )
        await relay.publish(budget_set("p1", "2000000"))
        await relay.publish(budget_set("p1", "300000", year=2012))
        found = await eventually(lambda: shares(budget_database), until=lambda s: len(s) == 3)
        assert [(s["year"], Decimal(s["revenue"])) for s in found] == [
            (2011, Decimal("100000")),
            (2011, Decimal("200000")),
            (2012, Decimal("30000")),
        ]

        async def read_side() -> list[tuple[int, Decimal]]:
            conn = await asyncpg.connect(reporting_database)
            try:
                # The read models live in the schema of the projection's current generation.
                schema = await conn.fetchval(
                    "SELECT table_schema FROM information_schema.tables"
                    " WHERE table_name = 'project_shares' AND table_type = 'BASE TABLE'"
                    " ORDER BY table_schema DESC LIMIT 1"
                )
                if schema is None:
                    return []
                rows = await conn.fetch(
                    f'SELECT year, sum(revenue) AS revenue FROM "{schema}".project_shares'
                    " WHERE unit_code = $1 GROUP BY year ORDER BY year",
                    OFFICE,
                )
            finally:
                await conn.close()
            return [(r["year"], r["revenue"]) for r in rows]

        # Budget replaces per project and year, and the read side sums per project: 200 000,
        # not 300 000.
        assert await eventually(read_side, until=lambda r: len(r) == 2 and r[0][1] > 100000) == [
            (2011, Decimal("200000")),
            (2012, Decimal("30000")),
        ]


async def test_redelivery_replay_and_a_crash_between_send_and_position_store_each_share_once(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    projects_database: str,
) -> None:
    _, js = nats_client
    relay = ProjectsRelay(js)
    async with budget_with_office(servers, js, budget_database):
        async with running_office_share(servers.nats_url, projects_database) as (office, _):
            # The position cannot be stored once, after the commands went out (the projects
            # database failing between the two): the batch is handled again, in place.
            publish = office._publisher.publish
            failed: list[int] = []

            async def publish_then_fail(messages: Sequence[Any]) -> None:
                await publish(messages)
                if messages and not failed:
                    failed.append(len(messages))
                    raise ConnectionResetError("the projects database went away")

            office._publisher.publish = publish_then_fail  # type: ignore[method-assign]
            await relay.publish(registered("p1"))
            first = await relay.publish(budget_set("p1", "1000000"))
            await caught_up(js, projects_database)
            assert failed == [1]
            await eventually(lambda: count(budget_database, SHARES), until=lambda n: n == 1)
            # The projects event delivered again (a relay's resend after its duplicate window).
            await relay.again(first, msg_id=f"again-{first.envelope.event_id}")
            await caught_up(js, projects_database)
        assert await inbound_shares(js) == 1, "each resend is the same message, stored once"

        # Replay from the start: the position (and what it knew) reset.
        conn = await asyncpg.connect(projects_database)
        try:
            await conn.execute("DELETE FROM consumer_positions WHERE consumer = $1", DURABLE)
            await conn.execute("DELETE FROM office_share_projects")
        finally:
            await conn.close()
        async with running_office_share(servers.nats_url, projects_database) as (_, refusals):
            await caught_up(js, projects_database)
            assert await inbound_shares(js) == 1, "within JetStream's duplicate window"
            # Past JetStream's window: budget's stored message ids refuse the resends.
            config = (await js.stream_info(BUDGET.inbound_stream)).config
            config.duplicate_window = 0.5
            await js.update_stream(config)
            await asyncio.sleep(1.0)
            conn = await asyncpg.connect(projects_database)
            try:
                await conn.execute(
                    "UPDATE consumer_positions SET sequence = 0 WHERE consumer = $1", DURABLE
                )
            finally:
                await conn.close()
        async with running_office_share(servers.nats_url, projects_database) as (_, refusals):
            await caught_up(js, projects_database)
            # The two copies of the projects event lead to one message, in one batch: JetStream
            # keeps the first, and budget refuses it as a duplicate of what it stored.
            await eventually(lambda: inbound_shares(js), until=lambda n: n == 2)
            rejected = await eventually(
                lambda: js.stream_info(BUDGET.rejected_stream),
                until=lambda info: info.state.messages == 1,
            )
            assert rejected.state.messages == 1
            await asyncio.sleep(0.5)
            await eventually(lambda: refusals.duplicates, until=lambda n: n == 1)
            assert list(refusals.refused) == [], "a resend refused as a duplicate is expected"
        assert await count(budget_database, SHARES) == 1
        (share,) = await shares(budget_database)
        assert share["meta"]["causation_id"] == str(first.envelope.event_id)
        assert (
            await count(
                budget_database,
                "SELECT count(*) FROM inbound_messages WHERE message_id = $1",
                message_id_for(first.envelope.event_id),
            )
            == 1
        )


async def test_two_copies_send_once_and_the_standby_takes_over(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    projects_database: str,
) -> None:
    _, js = nats_client
    relay = ProjectsRelay(js)
    async with budget_with_office(servers, js, budget_database):
        async with running_office_share(servers.nats_url, projects_database) as (second, _):
            async with running_office_share(servers.nats_url, projects_database) as (first, _):
                await eventually(
                    lambda: sorted(s.status.state for s in (first, second)),
                    until=lambda states: (
                        states == sorted([WorkerState.WORKING, WorkerState.STANDBY])
                    ),
                )
                working_first = first.status.state is WorkerState.WORKING
                for i in range(20):
                    await relay.publish(registered(f"p{i}"))
                    await relay.publish(budget_set(f"p{i}", f"{i + 1}000000"))
                await eventually(lambda: count(budget_database, SHARES), until=lambda n: n == 20)
            # The first copy stopped: the standby, if it was one, takes over from its position.
            if working_first:
                await eventually(
                    lambda: second.status.state, until=lambda s: s is WorkerState.WORKING
                )
            for i in range(20, 30):
                await relay.publish(registered(f"p{i}"))
                await relay.publish(budget_set(f"p{i}", "10"))
            await eventually(lambda: count(budget_database, SHARES), until=lambda n: n == 30)
            await caught_up(js, projects_database)
        await asyncio.sleep(1.0)
        assert await count(budget_database, SHARES) == 30
        assert await inbound_shares(js) == 30
        found = await shares(budget_database)
        assert {s["project_code"]: Decimal(s["revenue"]) for s in found}["p25"] == Decimal("1.00")


async def test_a_refusal_that_is_not_a_duplicate_is_logged_and_not_sent_again(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    projects_database: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, js = nats_client
    relay = ProjectsRelay(js)
    nowhere = OfficeShareSettings(Decimal("0.10"), "SAKNAS")
    async with (
        budget_with_office(servers, js, budget_database),
        running_office_share(servers.nats_url, projects_database, nowhere) as (office, refusals),
    ):
        await relay.publish(registered("p1"))
        await relay.publish(budget_set("p1", "1000000"))
        (refusal,) = await eventually(lambda: list(refusals.refused))
        await caught_up(js, projects_database)
        assert office.status.state is WorkerState.WORKING
        assert refusal.problems[0].field == "unit_code"
        await asyncio.sleep(1.0)
        assert await inbound_shares(js) == 1, "sent once, not again"
    assert await count(budget_database, SHARES) == 0
    assert "refused the project office's share" in caplog.text


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[LockedNats]:
    with locked_nats(tmp_path, KNOWN_SYSTEMS) as server:
        yield server


async def test_each_service_as_its_own_nats_user_sends_and_reads_only_what_it_declares(
    locked: LockedNats, budget_database: str, projects_database: str
) -> None:
    def as_user(user: str) -> dict[str, Any]:
        return {"nats_user": user, "nats_password": SecretStr(locked.passwords[user])}

    async with (
        running_budget(locked.url, budget_database, inbound_only, **as_user("budget")),
        running_budget(locked.url, budget_database, relay_only, **as_user("budget-relay")),
    ):
        ledger = SecretStr(locked.passwords["ekonomisystem"])
        await publish_commands(locked.url, [*SMALL_TREE, OFFICE_UNIT], "ekonomisystem", ledger)
        async with session(locked, "projects-relay") as projects_relay:
            await ensure_streams(projects_relay.js, write_service.streams(PROJECTS))
            events = ProjectsRelay(projects_relay.js)
            password = locked.passwords["projects"]
            async with running_office_share(locked.url, projects_database, TENTH, password):
                await events.publish(registered("p1"))
                await events.publish(budget_set("p1", "1000000"))
                await eventually(lambda: count(budget_database, SHARES), until=lambda n: n == 1)
            # A refusal comes back to projects, and only there.
            nowhere = OfficeShareSettings(Decimal("0.10"), "SAKNAS")
            async with running_office_share(locked.url, projects_database, nowhere, password) as (
                _,
                refusals,
            ):
                await events.publish(budget_set("p1", "3000000"))
                (refusal,) = await eventually(lambda: list(refusals.refused))
                assert refusal.problems[0].field == "unit_code"
        async with session(locked, "projects") as projects:
            await refused(projects, BUDGET.inbound_subject("ekonomisystem", "record-actuals"))
            await refused(projects, BUDGET.events_subjects.replace(">", "UnitRegistered"))
        async with session(locked, "lonesystem") as payroll:
            await refused(payroll, BUDGET.inbound_subject("projects", "set-project-share"))
    assert await count(budget_database, SHARES) == 1
