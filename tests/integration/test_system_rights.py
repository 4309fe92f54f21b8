"""Each system sends only the commands the register of systems gives it, and reads its
rejections only through the consumer the service made for it.

On a server with users (as `kommunplan up` configures its own) nats-server refuses the rest
itself; on one without, the service refuses a command not given, in Swedish, to the sender's
rejection subject, storing nothing. The register is the demo's (StackSettings.systems): the
ledger sends the budget's figures, the planning system the goals' catalogue and the project
register, the statistics system measurements, the project tool status reports; the
organisation tree and the project office's share are given to no system.
"""

import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import nats.errors
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig
from pydantic import SecretStr

from contracts.budget.commands import RecordActuals, RenameUnit, SetFigures, SetProjectShare
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from contracts.goals.service import GOALS
from contracts.projects.service import PROJECTS
from plumbing.nats_connection import ensure_streams
from plumbing.rejections import ensure_rejection_consumers
from plumbing.settings import StackSettings
from plumbing.write_service import streams
from services.budget import bootstrap as budget
from tests.conftest import count, eventually
from tests.fixtures import SMALL_TREE
from tests.integration.test_nats_permissions import refused
from tests.locked_nats import LockedNats, Session, locked_nats, session
from tests.servers import Servers
from tests.system import inbound_only, running_budget
from tests.tokens import bearer

REGISTER = StackSettings().systems
LEDGER, PLANNING, STATISTICS, TOOL = (
    "ekonomisystem",
    "planeringssystem",
    "statistiksystem",
    "projektverktyg",
)
REJECTED = BUDGET.rejected_stream
API = "$JS.API"

# A command of each kind no one gave the system: the tree, the office's share, budget figures.
NOT_GIVEN = [
    (STATISTICS, BUDGET, "rename-unit"),
    (LEDGER, BUDGET, "set-project-share"),
    (TOOL, BUDGET, "set-figures"),
    (TOOL, PROJECTS, "set-project-budget"),
    (LEDGER, BUDGET, "register-unit"),
    (PLANNING, BUDGET, "close-unit"),
    (STATISTICS, GOALS, "adopt-goal"),
]


def _body(command: str, system: str) -> dict[str, Any]:
    """What each refused command would carry, valid in every other way: a unit renamed, the
    office's 99,999,999 kr, a budget set; any other command as its bare envelope."""
    commands: dict[str, Command] = {
        "rename-unit": RenameUnit(
            actor=system, unit_code="IT", name="Statistikens IT", effective_on="2011-02-01"
        ),
        "set-project-share": SetProjectShare(
            actor=system,
            unit_code="IT",
            year=2011,
            project_code="p",
            project_budget="999999990",
            revenue="99999999",
        ),
        "set-figures": SetFigures(
            actor=system,
            unit_code="IT",
            year=2011,
            kind="budget",
            status="adopted",
            revenue="0",
            costs="-5000000",
        ),
    }
    known = commands.get(command)
    if known is not None:
        body: dict[str, Any] = json.loads(known.model_dump_json())
        return body
    return {"message_id": str(uuid.uuid4()), "actor": system}


# --- A server with users: nats-server refuses -------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LockedNats]:
    with locked_nats(Path(tmp_path_factory.mktemp("locked-nats")), REGISTER) as found:
        yield found


@pytest.fixture(scope="module")
async def declared(server: LockedNats) -> LockedNats:
    """Each write service's streams, declared by its own user."""
    for service in (BUDGET, GOALS, PROJECTS):
        async with session(server, service.name) as user:
            await ensure_streams(user.js, streams(service))
    return server


async def _stored(server: LockedNats, service: str, stream: str, subject: str) -> int:
    async with session(server, service) as owner:
        info = await owner.js.stream_info(stream, subjects_filter=subject)
        return int((info.state.subjects or {}).get(subject, 0))


@pytest.mark.parametrize(
    ("system", "service", "command"),
    NOT_GIVEN,
    ids=[f"{s}-{c}" for s, _, c in NOT_GIVEN],
)
async def test_the_server_refuses_a_command_the_register_does_not_give_the_system(
    declared: LockedNats, system: str, service: Any, command: str
) -> None:
    subject = service.inbound_subject(system, command)
    async with session(declared, system) as sender:
        await refused(sender, subject, json.dumps(_body(command, system)).encode())
    assert await _stored(declared, service.name, service.inbound_stream, subject) == 0


async def test_the_projects_service_may_send_budget_the_office_share_and_nothing_else(
    declared: LockedNats,
) -> None:
    async with session(declared, "projects") as projects:
        await refused(projects, BUDGET.inbound_subject("projects", "set-figures"))
        ack = await projects.js.publish(
            BUDGET.inbound_subject("projects", "set-project-share"), b"{}"
        )
        assert ack.stream == BUDGET.inbound_stream
        assert not projects.violated(BUDGET.inbound_subject("projects", "set-project-share"))


@pytest.mark.parametrize(
    ("system", "service", "command"),
    [
        (LEDGER, BUDGET, "record-actuals"),
        (LEDGER, BUDGET, "set-figures"),
        (PLANNING, GOALS, "adopt-goal"),
        (PLANNING, PROJECTS, "set-project-budget"),
        (STATISTICS, GOALS, "record-measurement"),
        (TOOL, PROJECTS, "report-project-status"),
    ],
)
async def test_the_server_takes_each_command_the_register_gives(
    declared: LockedNats, system: str, service: Any, command: str
) -> None:
    subject = service.inbound_subject(system, command)
    async with session(declared, system) as sender:
        ack = await sender.js.publish(subject, b"{}")
        assert ack.stream == service.inbound_stream
        assert sender.errors == []


def _as_user(server: LockedNats, user: str) -> dict[str, Any]:
    """The settings' changes that make a process ``user``'s, with the demo's register."""
    return {
        "systems": REGISTER,
        "nats_user": user,
        "nats_password": SecretStr(server.passwords[user]),
    }


def _budget_as_its_user(
    server: LockedNats, database_url: str
) -> contextlib.AbstractAsyncContextManager[budget.BudgetProcess]:
    """The budget process's inbound consumer as `up` starts it, as the budget user: it makes
    each system's consumer of rejections before it takes anything in."""
    return running_budget(server.url, database_url, inbound_only, **_as_user(server, "budget"))


def _create_request(system: str, **config: Any) -> bytes:
    wanted = {
        "name": system,
        "durable_name": system,
        "filter_subject": BUDGET.rejected_subject(system),
        "ack_policy": "explicit",
        **config,
    }
    return json.dumps({"stream_name": REJECTED, "config": wanted}).encode()


async def _bend_attempts(ledger: Session) -> None:
    """Every way a system might make, change or delete a consumer on its rejections."""
    own = BUDGET.rejected_subject(LEDGER)
    named = f"{API}.CONSUMER.CREATE.{REJECTED}.{LEDGER}.{own}"
    # A deliver subject of its own choosing: budget's events, another system's inbound.
    await refused(ledger, named, _create_request(LEDGER, deliver_subject="budget.events.Forged"))
    deliver_elsewhere = _create_request(
        LEDGER, deliver_subject=GOALS.inbound_subject(STATISTICS, "record-measurement")
    )
    await refused(ledger, named, deliver_elsewhere)
    # Without a deliver subject: a pull consumer of its own settings, or its own replaced.
    await refused(ledger, named, _create_request(LEDGER, max_ack_pending=1))
    await refused(ledger, f"{API}.CONSUMER.CREATE.{REJECTED}", _create_request(LEDGER))
    await refused(ledger, f"{API}.CONSUMER.DURABLE.CREATE.{REJECTED}.{LEDGER}")
    await refused(ledger, f"{API}.CONSUMER.DELETE.{REJECTED}.{LEDGER}")


async def test_a_system_cannot_bend_its_consumer_and_still_reads_its_rejections_through_it(
    declared: LockedNats, budget_database: str
) -> None:
    async with _budget_as_its_user(declared, budget_database):
        async with session(declared, LEDGER) as ledger:
            # Made by the service at its start; the system may look at it.
            made = await eventually(lambda: _consumer(ledger.js, LEDGER))
            assert made.config.deliver_subject is None
            assert made.config.filter_subject == BUDGET.rejected_subject(LEDGER)
            await _bend_attempts(ledger)
            # nats-py's own way of making one is refused the same way.
            with pytest.raises(nats.errors.TimeoutError):
                await ledger.js.add_consumer(
                    REJECTED,
                    ConsumerConfig(
                        name=LEDGER,
                        durable_name=LEDGER,
                        filter_subject=BUDGET.rejected_subject(LEDGER),
                        ack_policy=AckPolicy.EXPLICIT,
                        deliver_subject="budget.events.Forged",
                    ),
                    timeout=2,
                )
            # Actuals for a unit there is none of: refused to the ledger's own subject.
            refused_actuals = RecordActuals(
                actor=LEDGER, unit_code="NOPE", period="2011-03", revenue="1", costs="0"
            )
            await ledger.js.publish(
                BUDGET.inbound_subject(LEDGER, "record-actuals"),
                refused_actuals.model_dump_json().encode(),
                headers={"Nats-Msg-Id": str(refused_actuals.message_id)},
            )
        async with session(declared, LEDGER) as reader:
            own = await reader.js.pull_subscribe(
                BUDGET.rejected_subject(LEDGER), durable=LEDGER, stream=REJECTED
            )
            # Earlier tests' bare commands are refused to the ledger too: read until ours.
            wanted = str(refused_actuals.message_id)
            read: list[str | None] = []
            while wanted not in read:
                for message in await own.fetch(10, timeout=20):
                    read.append(json.loads(message.data)["message_id"])
                    await message.ack()
            assert reader.errors == []

    async with session(declared, "budget") as owner:
        kept = await owner.js.consumer_info(REJECTED, LEDGER)
        assert kept.config.deliver_subject is None
        assert kept.config.filter_subject == BUDGET.rejected_subject(LEDGER)
        assert kept.config.max_ack_pending != 1
    assert await _stored(declared, "budget", BUDGET.events_stream, "budget.events.Forged") == 0


async def _consumer(js: JetStreamContext, name: str) -> Any:
    try:
        return await js.consumer_info(REJECTED, name)
    except Exception:
        return None


# --- A server without users: the service refuses ----------------------------------------


@contextlib.asynccontextmanager
async def _budget(servers: Servers, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """Budget with the demo's register, its relay and inbound running, and the small tree
    entered by a planner over HTTP (as `up` enters the demo's); a client of its HTTP app."""
    async with (
        running_budget(servers.nats_url, database_url, systems=REGISTER) as process,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=process.app),
            base_url="http://budget",
            headers={**bearer("planner"), "content-type": "application/json"},
        ) as http,
    ):
        for unit in SMALL_TREE:
            answer = await http.post(f"/api/{unit.command_name}", content=unit.model_dump_json())
            assert answer.status_code == 201, answer.text
        yield http


async def _rejections_for(js: JetStreamContext, system: str) -> list[dict[str, Any]]:
    subject = BUDGET.rejected_subject(system)
    try:
        info = await js.stream_info(REJECTED)
    except Exception:
        return []
    found = []
    for sequence in range(info.state.first_seq, info.state.last_seq + 1):
        message = await js.get_msg(REJECTED, sequence)
        if message.subject == subject:
            found.append(json.loads(message.data or b"{}"))
    return found


@pytest.mark.parametrize(
    ("system", "command"),
    [
        (STATISTICS, "rename-unit"),
        (LEDGER, "set-project-share"),
        (TOOL, "set-figures"),
        ("projects", "set-figures"),
    ],
)
async def test_the_service_refuses_a_command_not_given_in_swedish_and_stores_nothing(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    system: str,
    command: str,
) -> None:
    _, js = nats_client
    events = "SELECT count(*) FROM events"
    async with _budget(servers, budget_database):
        before = await count(budget_database, events)
        body = _body(command, system)
        await js.publish(
            BUDGET.inbound_subject(system, command),
            json.dumps(body).encode(),
            headers={"Nats-Msg-Id": body["message_id"]},
        )
        # A command the ledger is given, after it: the consumer went on.
        after = RecordActuals(
            actor=LEDGER, unit_code="IT", period="2011-03", revenue="5", costs="-1"
        )
        await js.publish(
            BUDGET.inbound_subject(LEDGER, "record-actuals"), after.model_dump_json().encode()
        )
        await eventually(lambda: count(budget_database, events), until=lambda n: n == before + 1)
        (rejection,) = await eventually(lambda: _rejections_for(js, system))
    assert rejection["message_id"] == body["message_id"]
    (problem,) = rejection["problems"]
    assert f"'{command}'" in problem["message"] and f"'{system}'" in problem["message"]
    if command == "set-project-share":
        assert "bara emot från projekttjänsten" in problem["message"]
    else:
        assert f"systemet '{system}' får inte skicka kommandot '{command}'" in problem["message"]
    assert await count(budget_database, events) == before + 1
    # Nothing of the refused command's: only the ledger's actuals came from a system.
    from_systems = await count(
        budget_database,
        "SELECT count(*) FROM events WHERE metadata->>'source_system' <> 'http'"
        " AND event_type <> 'ActualsRecorded'",
    )
    assert from_systems == 0


async def test_a_consumer_a_system_made_with_a_deliver_subject_is_made_anew_by_the_service(
    servers: Servers, nats_client: tuple[Client, JetStreamContext], budget_database: str
) -> None:
    """Made while systems still could: the service replaces it with its own at start."""
    _, js = nats_client
    await ensure_streams(js, streams(BUDGET))
    await js.add_consumer(
        REJECTED,
        ConsumerConfig(
            name=LEDGER,
            durable_name=LEDGER,
            filter_subject=BUDGET.rejected_subject(LEDGER),
            ack_policy=AckPolicy.EXPLICIT,
            deliver_subject="budget.events.Forged",
        ),
    )
    async with _budget(servers, budget_database):
        made = await eventually(
            lambda: _consumer(js, LEDGER),
            until=lambda info: info is not None and info.config.deliver_subject is None,
        )
        assert made.config.filter_subject == BUDGET.rejected_subject(LEDGER)
        # The other systems of the register have theirs too (made one after the other); a
        # service that sends has none.
        for system in REGISTER:
            info = await eventually(lambda s=system: _consumer(js, s), until=bool)
            assert info.config.deliver_subject is None
        assert await _consumer(js, "projects") is None


async def test_making_the_consumers_again_keeps_what_a_system_acknowledged(
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    _, js = nats_client
    await ensure_streams(js, streams(BUDGET))
    await ensure_rejection_consumers(js, BUDGET, [LEDGER])
    await js.publish(BUDGET.rejected_subject(LEDGER), b"refused")
    own = await js.pull_subscribe_bind(durable=LEDGER, stream=REJECTED)
    (message,) = await own.fetch(1, timeout=10)
    await message.ack()
    await eventually(
        lambda: js.consumer_info(REJECTED, LEDGER), until=lambda i: i.num_ack_pending == 0
    )
    await ensure_rejection_consumers(js, BUDGET, [LEDGER])
    assert (await js.consumer_info(REJECTED, LEDGER)).ack_floor.stream_seq == 1
