"""Following another write service's events: in order, from the start, a no-wait catch-up,
past what is not an event; and, on a server with users, as goals may and no further."""

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from contracts.budget.events import FiguresSet, UnitRegistered, UnitRenamed
from contracts.budget.service import BUDGET
from contracts.budget.tree import TREE_EVENTS
from contracts.envelope import Event
from contracts.goals.service import GOALS
from plumbing.followed_events import FollowedEvents
from plumbing.nats_connection import ensure_streams
from plumbing.nats_users import follower_consumer
from plumbing.write_service import streams
from tests.integration.test_nats_permissions import refused
from tests.locked_nats import LockedNats, locked_nats, session

TREE_TYPES = [event.event_type for event in TREE_EVENTS]


def message(event: Event, version: int = 1, **envelope: Any) -> bytes:
    now = datetime.now(UTC).isoformat()
    return json.dumps(
        {
            "envelope": {
                "event_id": str(uuid.uuid4()),
                "event_type": event.event_type,
                "schema_version": event.schema_version,
                "stream_id": "organisation",
                "version": version,
                "occurred_at": now,
                "recorded_at": now,
                "source_system": "http",
                "actor": "test",
                "correlation_id": str(uuid.uuid4()),
                "causation_id": str(uuid.uuid4()),
                **envelope,
            },
            "payload": event.model_dump(mode="json"),
        }
    ).encode()


def registered(code: str, parent: str | None = None) -> UnitRegistered:
    return UnitRegistered.model_validate(
        {
            "unit_code": code,
            "name": f"Enhet {code}",
            "kind": "board" if parent is None else "unit",
            "parent_code": parent,
            "effective_on": "2011-01-01",
        }
    )


async def publish(js: JetStreamContext, event: Event, **envelope: Any) -> None:
    await js.publish(BUDGET.event_subject(event.event_type), message(event, **envelope))


async def drained(follower: FollowedEvents) -> list[Event]:
    return [event async for event in follower.new_events()]


async def test_events_come_in_order_from_the_start_and_what_is_not_one_is_passed_over(
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    nc, js = nats_client
    follower = FollowedEvents(nc, "goals", BUDGET, TREE_TYPES, batch_size=3)
    assert await drained(follower) == []  # budget has not declared its stream yet
    await ensure_streams(js, streams(BUDGET))
    await publish(js, registered("KS"))
    figures = FiguresSet.model_validate(
        {
            "unit_code": "KS",
            "year": 2011,
            "kind": "budget",
            "status": "adopted",
            "revenue": 1,
            "costs": -2,
        }
    )
    await publish(js, figures)  # not a tree event: the consumer's filter leaves it out
    await js.publish(BUDGET.event_subject("UnitRenamed"), b"not json")
    await js.publish(BUDGET.event_subject("UnitMoved"), message(registered("X")))  # wrong shape
    await publish(js, registered("KLF", "KS"), schema_version=2)  # no upcaster for it
    for code in ("KLF", "IT", "STAB"):
        await publish(js, registered(code, "KS"))
    first = await drained(follower)
    assert [e.unit_code for e in first if isinstance(e, UnitRegistered)] == [
        "KS",
        "KLF",
        "IT",
        "STAB",
    ]
    assert await drained(follower) == []
    renamed = UnitRenamed.model_validate(
        {"unit_code": "IT", "name": "IT-kontoret", "effective_on": date(2011, 5, 1)}
    )
    await publish(js, renamed)
    assert await drained(follower) == [renamed]


async def test_a_consumer_gone_is_made_again_from_where_the_copy_stood(
    nats_client: tuple[Client, JetStreamContext],
) -> None:
    nc, js = nats_client
    await ensure_streams(js, streams(BUDGET))
    await publish(js, registered("KS"))
    follower = FollowedEvents(nc, "goals", BUDGET, TREE_TYPES)
    assert len(await drained(follower)) == 1
    await js.delete_consumer(BUDGET.events_stream, follower_consumer("goals"))
    await publish(js, registered("KLF", "KS"))
    assert [e.unit_code for e in await drained(follower)] == ["KLF"]  # type: ignore[attr-defined]
    assert await drained(follower) == []
    # A process started later (after a restart) takes the consumer over from the start.
    again = FollowedEvents(nc, "goals", BUDGET, TREE_TYPES)
    assert [e.unit_code for e in await drained(again)] == ["KS", "KLF"]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LockedNats]:
    with locked_nats(Path(tmp_path_factory.mktemp("locked-nats")), {"ekonomisystem": ["*"]}) as s:
        yield s


async def test_goals_follows_budgets_tree_as_its_own_user_and_reaches_no_further(
    server: LockedNats,
) -> None:
    async with session(server, "budget-relay") as relay:
        await ensure_streams(relay.js, streams(BUDGET))
        await publish(relay.js, registered("KS"))
    async with session(server, "goals") as goals:
        follower = FollowedEvents(goals.nc, GOALS.name, BUDGET, TREE_TYPES)
        assert [e.unit_code for e in await drained(follower)] == ["KS"]  # type: ignore[attr-defined]
        assert goals.errors == []
        stream, own = BUDGET.events_stream, follower_consumer(GOALS.name)
        api = "$JS.API"
        # Another consumer (reporting's, say), one of its own under another name, the
        # stream's messages by sequence, or its events as they are published.
        await refused(goals, f"{api}.CONSUMER.MSG.NEXT.{stream}.reporting")
        await refused(goals, f"{api}.CONSUMER.CREATE.{stream}.other")
        await refused(goals, f"{api}.CONSUMER.CREATE.{stream}")
        await refused(goals, f"{api}.CONSUMER.DELETE.{stream}.reporting")
        await refused(goals, f"{api}.STREAM.MSG.GET.{stream}")
        await refused(goals, f"{api}.STREAM.PURGE.{stream}")
        await refused(goals, f"{api}.CONSUMER.CREATE.{BUDGET.inbound_stream}.{own}")
