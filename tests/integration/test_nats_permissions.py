"""Each NATS user may do what plumbing.nats_users allows and nothing else, on a real server
configured the way `kommunplan up` configures its own."""

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest
from nats.errors import Error as NatsError

from contracts import subjects
from contracts.budget.service import BUDGET
from plumbing.nats_connection import ensure_streams
from plumbing.nats_users import OPERATOR_USER
from plumbing.rejections import ensure_rejection_consumers
from plumbing.write_service import streams
from tests.conftest import eventually
from tests.locked_nats import LockedNats, Session, locked_nats, session

A, B = "ekonomisystem", "lonesystem"
SYSTEMS = {A: ["*"], B: ["KLF"]}
REJECTED = subjects.BUDGET_REJECTED_STREAM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LockedNats]:
    with locked_nats(Path(tmp_path_factory.mktemp("locked-nats")), SYSTEMS) as found:
        yield found


@pytest.fixture(scope="module")
async def declared(server: LockedNats) -> LockedNats:
    """The streams and each system's consumer of its rejections, made by the budget
    service's user as the service makes them, and a rejection for each system."""
    async with session(server, "budget") as budget:
        await ensure_streams(budget.js, streams(BUDGET))
        await ensure_rejection_consumers(budget.js, BUDGET, SYSTEMS)
        for system in (A, B):
            rejection = f"refused for {system}".encode()
            await budget.js.publish(subjects.budget_rejected(system), rejection)
    return server


async def _refusal(user: Session, subject: str) -> None:
    # The server's refusal may come after its answer to a flush: wait for it.
    await eventually(lambda: user.violated(subject))


async def refused(user: Session, subject: str, payload: bytes = b"{}") -> None:
    """Publish on ``subject`` (as a request, with a reply inbox) and see the server refuse it."""
    await user.nc.publish(subject, payload, reply=user.nc.new_inbox())
    await _refusal(user, subject)


async def refused_subscription(user: Session, subject: str) -> None:
    await user.nc.subscribe(subject)
    await _refusal(user, subject)


async def stored(server: LockedNats, stream: str, subject: str) -> int:
    """Messages ``stream`` holds on ``subject``, as the budget service sees them."""
    async with session(server, "budget") as budget:
        info = await budget.js.stream_info(stream, subjects_filter=subject)
        return int((info.state.subjects or {}).get(subject, 0))


async def test_anonymous_connections_and_wrong_passwords_are_refused(server: LockedNats) -> None:
    with pytest.raises(NatsError, match="Authorization Violation"):
        await nats.connect(server.url, allow_reconnect=False)
    with pytest.raises(NatsError, match="Authorization Violation"):
        await nats.connect(server.url, user=B, password=server.passwords[A], allow_reconnect=False)


async def test_a_system_sends_on_its_own_inbound_subjects_and_not_on_anothers(
    declared: LockedNats,
) -> None:
    forged = subjects.budget_inbound(A, "record-actuals")
    async with session(declared, B) as payroll:
        await refused(payroll, forged)
    async with session(declared, A) as ledger:
        ack = await ledger.js.publish(forged, b"{}")
        assert ack.stream == subjects.BUDGET_INBOUND_STREAM
        assert ledger.errors == []
    assert await stored(declared, subjects.BUDGET_INBOUND_STREAM, forged) == 1


@pytest.mark.parametrize("user", [A, B, "budget", "reporting", OPERATOR_USER])
async def test_only_the_relay_publishes_events(declared: LockedNats, user: str) -> None:
    async with session(declared, user) as forger:
        await refused(forger, subjects.budget_event("FiguresSet"))
    assert await stored(declared, subjects.BUDGET_EVENTS_STREAM, "budget.events.FiguresSet") == 0


async def test_the_relay_publishes_events(declared: LockedNats) -> None:
    async with session(declared, "budget-relay") as relay:
        ack = await relay.js.publish(subjects.budget_event("Relayed"), b"{}")
        assert ack.stream == subjects.BUDGET_EVENTS_STREAM


async def _read_own_rejections(server: LockedNats, system: str) -> list[bytes]:
    """The system's consumer on its own rejections, made by the service, read as a system
    reads it with nats-py (pull_subscribe finds it and binds to it)."""
    async with session(server, system) as own:
        subscription = await own.js.pull_subscribe(
            subjects.budget_rejected(system), durable=system, stream=REJECTED
        )
        messages = await subscription.fetch(10, timeout=10)
        for message in messages:
            await message.ack()

        async def unacknowledged() -> int:
            return int((await own.js.consumer_info(REJECTED, system)).num_ack_pending)

        await eventually(unacknowledged, until=lambda n: n == 0)
        assert own.errors == []
        return [m.data for m in messages]


async def test_a_system_reads_its_own_rejections_and_no_one_elses(declared: LockedNats) -> None:
    assert await _read_own_rejections(declared, A) == [b"refused for ekonomisystem"]
    theirs = subjects.budget_rejected(A)
    api = "$JS.API"
    async with session(declared, B) as payroll:
        # A consumer filtered to A's subject, under B's name, A's name, no name or the old form.
        await refused(payroll, f"{api}.CONSUMER.CREATE.{REJECTED}.{B}.{theirs}")
        await refused(payroll, f"{api}.CONSUMER.CREATE.{REJECTED}.{A}.{theirs}")
        await refused(payroll, f"{api}.CONSUMER.CREATE.{REJECTED}")
        await refused(payroll, f"{api}.CONSUMER.DURABLE.CREATE.{REJECTED}.{B}")
        # A's own consumer, and the stream's messages by sequence or subject.
        await refused(payroll, f"{api}.CONSUMER.MSG.NEXT.{REJECTED}.{A}")
        await refused(payroll, f"{api}.CONSUMER.INFO.{REJECTED}.{A}")
        await refused(payroll, f"{api}.STREAM.MSG.GET.{REJECTED}")
        await refused(payroll, f"{api}.DIRECT.GET.{REJECTED}.{theirs}")
        await refused(payroll, f"{api}.STREAM.INFO.{REJECTED}")
        # Listening in: on the subject itself, or on A's replies.
        await refused_subscription(payroll, theirs)
        await refused_subscription(payroll, f"_INBOX.{A}.>")
        await refused_subscription(payroll, "_INBOX.>")
        # Not even its own consumer may it make, change or delete (a system is given none).
        own = subjects.budget_rejected(B)
        await refused(payroll, f"{api}.CONSUMER.CREATE.{REJECTED}.{B}.{own}")
        await refused(payroll, f"{api}.CONSUMER.DELETE.{REJECTED}.{B}")
    assert await _read_own_rejections(declared, B) == [b"refused for lonesystem"]


@pytest.mark.parametrize("user", [A, B, "reporting", OPERATOR_USER])
async def test_streams_are_not_purged_deleted_or_changed_but_by_the_services(
    declared: LockedNats, user: str
) -> None:
    async with session(declared, user) as outsider:
        for stream in (REJECTED, subjects.BUDGET_EVENTS_STREAM, subjects.BUDGET_INBOUND_STREAM):
            for verb in ("PURGE", "DELETE", "UPDATE", "CREATE"):
                await refused(outsider, f"$JS.API.STREAM.{verb}.{stream}")
        await refused(outsider, f"$JS.API.STREAM.MSG.DELETE.{REJECTED}")
    for system in (A, B):
        assert await stored(declared, REJECTED, subjects.budget_rejected(system)) == 1


async def test_reporting_reads_the_streams_state_for_operators_and_takes_nothing(
    declared: LockedNats,
) -> None:
    async with session(declared, "reporting") as reporting:
        for stream in (REJECTED, subjects.BUDGET_INBOUND_STREAM, subjects.BUDGET_EVENTS_STREAM):
            assert (await reporting.js.stream_info(stream)).config.name == stream
            await reporting.js.consumers_info(stream)
        assert (await reporting.js.get_msg(REJECTED, 1)).data == b"refused for ekonomisystem"
        assert reporting.errors == []
        api = "$JS.API"
        # No consumer of a system's or of the commands may it make, pull from or delete.
        await refused(reporting, f"{api}.CONSUMER.MSG.NEXT.{REJECTED}.{A}")
        await refused(reporting, f"{api}.CONSUMER.DELETE.{REJECTED}.{A}")
        await refused(reporting, f"{api}.CONSUMER.DURABLE.CREATE.{REJECTED}.spy")
        inbound = subjects.BUDGET_INBOUND_STREAM
        await refused(reporting, f"{api}.CONSUMER.MSG.NEXT.{inbound}.budget-inbound")
        await refused(reporting, f"{api}.STREAM.MSG.DELETE.{inbound}")


async def _api(user: Session, subject: str) -> dict[str, object]:
    answer: dict[str, object] = json.loads((await user.nc.request(subject, b"{}", timeout=5)).data)
    return answer


async def test_operators_read_what_streams_and_consumers_hold_and_nothing_else(
    declared: LockedNats,
) -> None:
    async with session(declared, OPERATOR_USER) as operator:
        js = operator.js
        assert (await js.account_info()).streams == 3
        assert REJECTED in (await _api(operator, "$JS.API.STREAM.NAMES"))["streams"]  # type: ignore[operator]
        assert REJECTED in [s.config.name for s in await js.streams_info()]
        assert (await js.stream_info(REJECTED)).state.messages == 2
        names = await _api(operator, f"$JS.API.CONSUMER.NAMES.{REJECTED}")
        assert set(names["consumers"]) == {A, B}  # type: ignore[arg-type]
        assert {c.name for c in await js.consumers_info(REJECTED)} == {A, B}
        before = await js.consumer_info(REJECTED, A)
        assert before.name == A and before.stream_name == REJECTED
        assert operator.errors == []

        # No message on any subject of the system's, and no stream or consumer made,
        # changed, deleted or read from.
        api = "$JS.API"
        for subject in (
            subjects.budget_event("FiguresSet"),
            subjects.budget_inbound(A, "record-actuals"),
            subjects.budget_rejected(A),
            f"{api}.STREAM.CREATE.OPERATORS_OWN",
            f"{api}.STREAM.MSG.GET.{REJECTED}",
            f"{api}.CONSUMER.CREATE.{REJECTED}",
            f"{api}.CONSUMER.CREATE.{REJECTED}.peek",
            f"{api}.CONSUMER.DURABLE.CREATE.{REJECTED}.peek",
            f"{api}.CONSUMER.DELETE.{REJECTED}.{A}",
            f"{api}.CONSUMER.MSG.NEXT.{REJECTED}.{A}",
            f"$JS.ACK.{REJECTED}.{A}.1.1.1.1.0",
        ):
            await refused(operator, subject)
        await refused_subscription(operator, "budget.>")
        after = await js.consumer_info(REJECTED, A)
        assert (after.delivered, after.num_pending) == (before.delivered, before.num_pending)
    for system in (A, B):
        assert await stored(declared, REJECTED, subjects.budget_rejected(system)) == 1


def test_the_monitoring_endpoint_answers_on_the_loopback_only(declared: LockedNats) -> None:
    assert declared.monitor_url is not None
    with urllib.request.urlopen(f"{declared.monitor_url}/varz", timeout=5) as answer:
        assert json.loads(answer.read())["http_host"] == "127.0.0.1"
    with urllib.request.urlopen(f"{declared.monitor_url}/jsz?streams=true", timeout=5) as answer:
        (account,) = json.loads(answer.read())["account_details"]
    assert REJECTED in {stream["name"] for stream in account["stream_detail"]}
