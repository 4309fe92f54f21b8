"""The projects process killed (kill -9) between storing a project's budget and sending budget
the project office's share: after the restart the share is sent, and budget stores it once."""

import asyncio
import json
import signal
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from contracts.budget.commands import RegisterUnit
from contracts.budget.service import BUDGET
from contracts.goals.service import GOALS
from contracts.projects.commands import RegisterProject, SetProjectBudget
from contracts.projects.service import PROJECTS
from kommunplan.demo import publish_commands
from plumbing import write_service
from plumbing.database import ensure_database
from plumbing.nats_connection import ensure_streams
from services.projects.office_share import DURABLE, message_id_for
from tests.conftest import count, eventually
from tests.fixtures import SMALL_TREE
from tests.servers import Servers
from tests.service_processes import Start, service_processes
from tests.system import running_budget

TOOL = "projektverktyg"
OFFICE = RegisterUnit(
    actor="t",
    unit_code="PROJ",
    name="Projektkontoret",
    kind="unit",
    parent_code="KS",
    effective_on="2011-01-01",
)
PROJECT = RegisterProject(
    actor=TOOL,
    project_code="kompetensplanering",
    name="Kompetensplaneringsprojektet",
    board_code="KS",
    unit_code="PROJ",
    run_by_project_office=True,
)
SHARES = "SELECT count(*) FROM events WHERE event_type = 'ProjectShareSet'"
PROJECT_BUDGETS = "SELECT count(*) FROM events WHERE event_type = 'ProjectBudgetSet'"


@pytest.fixture
async def projects_database(servers: Servers) -> str:
    return await ensure_database(servers.postgres_url, f"projects_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def start_projects(servers: Servers, projects_database: str) -> Iterator[Start]:
    with service_processes(servers.nats_url, projects_database, {TOOL: ["*"]}) as start:
        yield start


async def _rows(database_url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database_url)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def _exists(js: JetStreamContext, stream: str) -> bool:
    try:
        await js.stream_info(stream)
        return True
    except NotFoundError:
        return False


async def _sent_shares(js: JetStreamContext) -> list[dict[str, Any]]:
    """The projects' commands on BUDGET_INBOUND."""
    info = await js.stream_info(BUDGET.inbound_stream)
    subject = BUDGET.inbound_subject(PROJECTS.name, "set-project-share")
    found = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        msg = await js.get_msg(BUDGET.inbound_stream, seq)
        if msg.subject == subject:
            found.append(json.loads(msg.data or b"{}"))
    return found


async def _office_share_position(projects_database: str) -> int:
    return await count(
        projects_database,
        "SELECT coalesce(max(sequence), 0) FROM consumer_positions WHERE consumer = $1",
        DURABLE,
    )


async def _budget_set(projects_database: str, amount: str) -> asyncpg.Record:
    (row,) = await _rows(
        projects_database,
        "SELECT event_id FROM events WHERE event_type = 'ProjectBudgetSet'"
        " AND payload->>'amount' = $1",
        amount,
    )
    return row


async def _delivered_to_office_share(js: JetStreamContext, sequence: int) -> bool:
    for info in await js.consumers_info(PROJECTS.events_stream):
        if (info.name or "").startswith(f"{DURABLE}-e") and info.delivered.stream_seq >= sequence:
            return True
    return False


async def test_killing_projects_between_its_store_and_its_command_sends_the_share_once(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    projects_database: str,
    start_projects: Start,
) -> None:
    _, js = nats_client
    await ensure_streams(js, write_service.streams(GOALS))  # projects follows goals too
    async with running_budget(servers.nats_url, budget_database):
        await publish_commands(servers.nats_url, [*SMALL_TREE, OFFICE], "ekonomisystem")
        start_projects("projects-relay")
        first = start_projects("projects")
        await eventually(lambda: _exists(js, PROJECTS.inbound_stream), within=30)

        # Budget's inbound stream stops taking projects' subjects for a while: the process
        # manager has the project's budget event and cannot get its command out.
        inbound = (await js.stream_info(BUDGET.inbound_stream)).config
        taking_all = list(inbound.subjects or [])
        inbound.subjects = [BUDGET.inbound_subject("ekonomisystem", "*")]
        await js.update_stream(inbound)

        budget = SetProjectBudget(
            actor=TOOL, project_code=PROJECT.project_code, year=2011, amount=Decimal("1000000")
        )
        await publish_commands(servers.nats_url, [PROJECT, budget], TOOL, service=PROJECTS)
        await eventually(
            lambda: count(projects_database, PROJECT_BUDGETS), until=lambda n: n == 1, within=60
        )
        stored = await _budget_set(projects_database, "1000000")
        events = await eventually(
            lambda: js.stream_info(PROJECTS.events_stream),
            until=lambda info: info.state.messages == 2,
        )
        published_at = events.state.last_seq
        await eventually(lambda: _delivered_to_office_share(js, published_at), within=30)
        await asyncio.sleep(0.5)  # its first attempts to send are refused by NATS
        first.send_signal(signal.SIGKILL)
        first.wait()
        # Killed between the two: stored and handed to the process manager, not sent, and the
        # process manager's position still before it.
        assert await _office_share_position(projects_database) < published_at
        inbound.subjects = taking_all
        await js.update_stream(inbound)
        assert await _sent_shares(js) == []
        assert await count(budget_database, SHARES) == 0

        restarted = start_projects("projects")
        await eventually(lambda: count(budget_database, SHARES), until=lambda n: n == 1, within=60)
        await eventually(
            lambda: _office_share_position(projects_database),
            until=lambda p: p >= published_at,
        )
        await asyncio.sleep(2.5)  # longer than ack_wait: a redelivery would have come
        assert await count(budget_database, SHARES) == 1
        (share,) = await _rows(
            budget_database,
            "SELECT payload, metadata FROM events WHERE event_type = 'ProjectShareSet'",
        )
        payload, metadata = json.loads(share["payload"]), json.loads(share["metadata"])
        assert Decimal(payload["revenue"]) == Decimal("100000")
        assert metadata["causation_id"] == str(stored["event_id"])
        (sent,) = await _sent_shares(js)
        assert sent["message_id"] == str(message_id_for(stored["event_id"]))
        rejected = await js.stream_info(BUDGET.rejected_stream)
        assert rejected.state.messages == 0

        # Killed again as soon as the next share is on budget's inbound stream. The process
        # manager stores its position a few milliseconds after JetStream's acknowledgement,
        # so the kill mostly lands after that (the window between the two is proved with a
        # failure put there, in tests/integration/test_office_share.py); either way the
        # changed budget's share is stored once, replacing the first, and nothing is refused.
        changed = budget.model_copy(
            update={"message_id": uuid.uuid4(), "amount": Decimal("2000000")}
        )
        await publish_commands(servers.nats_url, [changed], TOOL, service=PROJECTS)
        await eventually(lambda: _sent_shares(js), until=lambda sent: len(sent) == 2, within=60)
        restarted.send_signal(signal.SIGKILL)
        restarted.wait()
        start_projects("projects")
        await eventually(lambda: count(budget_database, SHARES), until=lambda n: n == 2, within=60)
        last = (await js.stream_info(PROJECTS.events_stream)).state.last_seq
        await eventually(
            lambda: _office_share_position(projects_database), until=lambda p: p >= last
        )
        await asyncio.sleep(2.5)
        shares = await _rows(
            budget_database,
            "SELECT payload FROM events WHERE event_type = 'ProjectShareSet' ORDER BY position",
        )
        assert [Decimal(json.loads(r["payload"])["revenue"]) for r in shares] == [
            Decimal("100000"),
            Decimal("200000"),
        ]
        assert len(await _sent_shares(js)) == 2
        assert (await js.stream_info(BUDGET.rejected_stream)).state.messages == 0
