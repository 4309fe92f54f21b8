"""A system overstepping its rights, the way a compromised or misconfigured sender would.

A system sending another's commands: on a whole system of processes (budget, its relay and
reporting) with a register of systems that names each one's commands, a command the
register does not give its sender is refused to the sender's rejection subject in Swedish,
naming the command and the system; nothing of it is stored and the consumer goes on.

A bent consumer: on nats-server with the users `kommunplan up` makes, a system tries to make,
change or delete the consumer through which it reads its rejections, or to give one a
deliver subject of its choosing; the server refuses each, the consumer stays as budget made
it, nothing is delivered where the system asked, and the system still reads its rejections.
"""

import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo
from pydantic import SecretStr

from contracts import subjects
from contracts.budget.commands import RecordActuals
from contracts.budget.service import BUDGET
from contracts.goals.service import GOALS
from plumbing.nats_connection import ensure_streams
from plumbing.write_service import streams
from services.budget import bootstrap as budget
from tests.conftest import eventually
from tests.faults import stack as fault_stack
from tests.faults.hostile import Hostile, HostileBench
from tests.faults.ledger import SYSTEM, Sender, connect, organisation, stream_exists
from tests.faults.properties import (
    Check,
    describe,
    last_rejection_sequence,
    query,
    rejections,
    wait_for,
)
from tests.faults.stack import ONE_OF_EACH, FaultStack
from tests.locked_nats import LockedNats, Session, locked_nats, session
from tests.system import inbound_only, running_budget

# What each system may send. The ledger is given the tree here only to build the suite's
# organisation; the demo's register gives it to no system.
LEDGER_COMMANDS = ["register-unit", "record-actuals", "make-forecast", "write-narrative"]
REGISTER: dict[str, Any] = {
    SYSTEM: {"units": ["*"], "commands": {"budget": LEDGER_COMMANDS}},
    "lonesystem": {"units": ["E01"], "commands": {"budget": ["record-actuals"]}},
    "statistiksystem": {"units": ["*"], "commands": {"goals": ["record-measurement"]}},
    "projektverktyg": {"units": ["*"], "commands": {"projects": ["report-project-status"]}},
}


def _command(command: str, system: str, **fields: object) -> bytes:
    """The command's body; the subject, not the body, names the command."""
    return json.dumps({"message_id": str(uuid.uuid4()), "actor": system, **fields}).encode()


def _foreign(case: str, system: str, command: str, **fields: object) -> Hostile:
    return Hostile(case, _command(command, system, **fields), command, system, frozenset())


FOREIGN = [
    _foreign(
        "the statistics system renaming a unit",
        "statistiksystem",
        "rename-unit",
        unit_code="E01",
        name="Omdöpt",
        effective_on="2011-02-01",
    ),
    _foreign(
        "the statistics system closing a unit",
        "statistiksystem",
        "close-unit",
        unit_code="E01",
        effective_on="2011-02-01",
    ),
    _foreign(
        "the ledger setting the project office's share",
        SYSTEM,
        "set-project-share",
        unit_code="E01",
        year=2011,
        project_code="p",
        project_budget="999999990",
        revenue="99999999",
    ),
    _foreign(
        "the project tool setting budget figures",
        "projektverktyg",
        "set-figures",
        unit_code="E01",
        year=2011,
        kind="budget",
        status="adopted",
        revenue="0",
        costs="-5000000",
    ),
    _foreign(
        "the payroll system writing a narrative",
        "lonesystem",
        "write-narrative",
        unit_code="E01",
        year=2011,
        section="activity_description",
        text="Inte lönesystemets text.",
    ),
    _foreign(
        "the projects service sending budget figures",
        "projects",
        "set-figures",
        unit_code="E01",
        year=2011,
        kind="budget",
        status="adopted",
        revenue="0",
        costs="-1",
    ),
]


# --- A system sending another's commands -------------------------------------------------


@pytest.fixture(scope="module")
async def rights_bench() -> AsyncIterator[HostileBench]:
    """The suite's processes with REGISTER, its organisation loaded by the ledger."""
    stack = FaultStack()
    # The processes read the register from the suite's stack module when started.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fault_stack, "SYSTEMS", REGISTER)
        await stack.start(list(ONE_OF_EACH))
    nc = await connect(stack.nats_url)
    bench = HostileBench(stack=stack, nc=nc)
    try:
        js = nc.jetstream()
        await wait_for(lambda: stream_exists(js, subjects.BUDGET_INBOUND_STREAM), bool, within=60)
        tree = organisation()
        await Sender(nc).send_all(tree)

        async def stored() -> int:
            rows = await query(stack.budget_database, "SELECT count(*) FROM events")
            return int(rows[0][0])

        await wait_for(stored, lambda n: n >= len(tree), quiet=60)
        yield bench
    finally:
        await bench.close()


async def _reasons(bench: HostileBench, case: Hostile, after: int) -> list[str]:
    assert bench.nc is not None
    found = []
    for rejected in await rejections(bench.nc, after=after):
        rejection = json.loads(rejected.data)
        if rejected.subject == subjects.budget_rejected(case.system) and (
            rejection.get("subject") == case.subject
        ):
            found.extend(str(p["message"]) for p in rejection["problems"])
    return found


@pytest.mark.parametrize("case", FOREIGN, ids=[c.name for c in FOREIGN])
async def test_a_system_sending_anothers_command_is_refused_in_swedish_and_nothing_is_stored(
    rights_bench: HostileBench, case: Hostile
) -> None:
    assert rights_bench.nc is not None
    before = await last_rejection_sequence(rights_bench.nc)
    checks = await rights_bench.run(case)
    reasons = await _reasons(rights_bench, case, before)
    checks.append(
        Check(
            "the reason names the command and the system",
            bool(reasons)
            and all(f"'{case.command}'" in r and f"'{case.system}'" in r for r in reasons),
            "; ".join(reasons)[:200] or "no reason",
        )
    )
    assert not describe(checks), describe(checks)


# --- A bent consumer ---------------------------------------------------------------------

LEDGER = SYSTEM
REJECTED = BUDGET.rejected_stream
OWN = BUDGET.rejected_subject(LEDGER)
API = "$JS.API"
FORGED = "budget.events.Forged"
ELSEWHERE = GOALS.inbound_subject("statistiksystem", "record-measurement")


@dataclass(frozen=True)
class Bend:
    name: str
    subject: str
    config: dict[str, Any] | None = None  # the consumer asked for; None: no body

    @property
    def body(self) -> bytes:
        if self.config is None:
            return b""
        wanted = {"name": LEDGER, "durable_name": LEDGER, "filter_subject": OWN, **self.config}
        return json.dumps({"stream_name": REJECTED, "config": wanted}).encode()


NAMED = f"{API}.CONSUMER.CREATE.{REJECTED}.{LEDGER}.{OWN}"
BENDS = [
    Bend("a deliver subject on budget's events", NAMED, {"deliver_subject": FORGED}),
    Bend("a deliver subject on another system's inbound", NAMED, {"deliver_subject": ELSEWHERE}),
    Bend("its own consumer made again, pulled, other limits", NAMED, {"max_ack_pending": 1}),
    Bend("a consumer of no name", f"{API}.CONSUMER.CREATE.{REJECTED}", {"deliver_subject": FORGED}),
    Bend("the older durable create", f"{API}.CONSUMER.DURABLE.CREATE.{REJECTED}.{LEDGER}", {}),
    Bend("its consumer deleted", f"{API}.CONSUMER.DELETE.{REJECTED}.{LEDGER}"),
]


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LockedNats]:
    with locked_nats(Path(tmp_path_factory.mktemp("rights-nats")), REGISTER) as server:
        yield server


def _budget_as_its_user(
    server: LockedNats, database_url: str
) -> contextlib.AbstractAsyncContextManager[budget.BudgetProcess]:
    """Budget's inbound consumer as its own NATS user; it makes the systems' consumers."""
    return running_budget(
        server.url,
        database_url,
        inbound_only,
        systems=REGISTER,
        nats_user="budget",
        nats_password=SecretStr(server.passwords["budget"]),
    )


async def _stored(server: LockedNats, user: str, stream: str, subject: str) -> int:
    async with session(server, user) as owner:
        info = await owner.js.stream_info(stream, subjects_filter=subject)
        return int((info.state.subjects or {}).get(subject, 0))


async def _still_read(server: LockedNats) -> Check:
    """A refusal sent now reaches the ledger through its consumer."""
    refused = RecordActuals(
        actor=LEDGER, unit_code="NOPE", period="2011-03", revenue="1", costs="0"
    )
    async with session(server, LEDGER) as ledger:
        await ledger.js.publish(
            BUDGET.inbound_subject(LEDGER, "record-actuals"),
            refused.model_dump_json().encode(),
            headers={"Nats-Msg-Id": str(refused.message_id)},
        )
        own = await ledger.js.pull_subscribe(OWN, durable=LEDGER, stream=REJECTED)
        read: list[str | None] = []
        with contextlib.suppress(Exception):
            while str(refused.message_id) not in read:
                for message in await own.fetch(10, timeout=20):
                    read.append(json.loads(message.data).get("message_id"))
                    await message.ack()
        held = str(refused.message_id) in read and ledger.errors == []
        return Check("the ledger still reads its rejections", held, f"read {read}, {ledger.errors}")


async def _made(js: JetStreamContext, name: str) -> ConsumerInfo | None:
    """The rejections consumer ``name`` once the service has made it; None until then."""
    try:
        return await js.consumer_info(REJECTED, name)
    except Exception:  # not made yet: the service makes them in the background
        return None


async def _refused_by_the_server(ledger: Session, bend: Bend) -> Check:
    await ledger.nc.publish(bend.subject, bend.body, reply=ledger.nc.new_inbox())

    async def violated() -> bool:
        return ledger.violated(bend.subject)

    held, _ = await wait_for(violated, bool, within=10, quiet=10)
    return Check("nats-server refused it", held, "; ".join(ledger.errors)[:200] or "no refusal")


@pytest.mark.parametrize("bend", BENDS, ids=[b.name for b in BENDS])
async def test_a_bent_consumer_is_refused_by_nats_server_and_the_rejections_still_reach_it(
    locked: LockedNats, budget_database: str, bend: Bend
) -> None:
    for service, user in ((BUDGET, "budget"), (GOALS, "goals")):
        async with session(locked, user) as owner:
            await ensure_streams(owner.js, streams(service))
    async with _budget_as_its_user(locked, budget_database):
        async with session(locked, "budget") as owner:
            await eventually(lambda: _made(owner.js, LEDGER))
        async with session(locked, LEDGER) as ledger:
            checks = [await _refused_by_the_server(ledger, bend)]
        async with session(locked, "budget") as owner:
            kept = (await owner.js.consumer_info(REJECTED, LEDGER)).config
        checks.append(
            Check(
                "the consumer is still the one budget made",
                kept.deliver_subject is None
                and kept.filter_subject == OWN
                and kept.max_ack_pending != 1,
                f"deliver subject {kept.deliver_subject}, filter {kept.filter_subject}",
            )
        )
        checks.append(await _still_read(locked))
    delivered = await _stored(locked, "budget", BUDGET.events_stream, FORGED)
    delivered += await _stored(locked, "goals", GOALS.inbound_stream, ELSEWHERE)
    checks.append(
        Check("nothing delivered where the system asked", delivered == 0, f"{delivered} messages")
    )
    assert not describe(checks), describe(checks)
