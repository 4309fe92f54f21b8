"""The event store port (plumbing.eventstore): one suite of contract tests, run against every
implementation, the PostgreSQL store on a real server and the store in memory."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import asyncpg
import pytest

from plumbing.database import create_pool
from plumbing.eventstore import (
    ConcurrencyError,
    DuplicateMessageError,
    EventStore,
    FencedOut,
    InboundMessage,
    NewEvent,
    Position,
)
from plumbing.memory_eventstore import InMemoryEventStore
from plumbing.migrations import migrate
from plumbing.postgres_eventstore import MIGRATIONS, PostgresEventStore
from tests.conftest import count


def event(stream: str, version: int) -> NewEvent:
    return NewEvent(uuid.uuid4(), stream, version, "Happened", 1, {"n": str(version)}, {})


@dataclass
class Implementation:
    store: EventStore
    take_lease: Callable[[str], Awaitable[int]]  # the next epoch of a consumer's lock


async def _take_lease(database_url: str, name: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return int(
            await conn.fetchval(
                "INSERT INTO worker_leases (name, epoch) VALUES ($1, 1) ON CONFLICT (name)"
                " DO UPDATE SET epoch = worker_leases.epoch + 1 RETURNING epoch",
                name,
            )
        )
    finally:
        await conn.close()


class EventStoreContract:
    """What every implementation of the port does; a subclass gives its ``implementation``."""

    async def test_events_are_read_back_in_version_order_with_positions(
        self, implementation: Implementation
    ) -> None:
        store = implementation.store
        await store.append([event("a", 1), event("a", 2)])
        await store.append([event("a", 3)])
        stored = await store.read_stream("a")
        assert [e.version for e in stored] == [1, 2, 3]
        assert [e.payload["n"] for e in stored] == ["1", "2", "3"]
        assert stored[0].position < stored[1].position < stored[2].position
        assert all(e.recorded_at is not None for e in stored)
        assert await store.stream_versions(["a", "b"]) == {"a": 3}
        assert [e.version for e in await store.read_stream("a", after_version=2)] == [3]

    async def test_the_streams_of_a_prefix_are_read_in_the_order_stored(
        self, implementation: Implementation
    ) -> None:
        store = implementation.store
        await store.append([event("project-a", 1), event("other", 1), event("project-b", 1)])
        (first, _, last) = await store.append(
            [event("project-a", 2), event("other", 2), event("project-b", 2)]
        )
        found = await store.read_streams("project-")
        assert [(e.stream_id, e.version) for e in found] == [
            ("project-a", 1),
            ("project-b", 1),
            ("project-a", 2),
            ("project-b", 2),
        ]
        after = await store.read_streams("project-", first.position)
        assert [e.position for e in after] == [last.position]

    async def test_two_writers_of_the_same_version_one_gets_a_conflict_and_nothing_is_lost(
        self, implementation: Implementation
    ) -> None:
        store = implementation.store
        await store.append([event("s", 1)])
        results = await asyncio.gather(
            store.append([event("s", 2)]), store.append([event("s", 2)]), return_exceptions=True
        )
        assert sum(isinstance(r, ConcurrencyError) for r in results) == 1
        assert sum(isinstance(r, list) for r in results) == 1
        assert [e.version for e in await store.read_stream("s")] == [1, 2]

    async def test_a_conflicting_batch_stores_none_of_its_events_nor_its_messages(
        self, implementation: Implementation
    ) -> None:
        store = implementation.store
        await store.append([event("x", 1)])
        message_id = uuid.uuid4()
        with pytest.raises(ConcurrencyError):
            await store.append([event("y", 1), event("x", 1)], [InboundMessage(message_id)])
        assert await store.stream_versions(["x", "y"]) == {"x": 1}
        assert await store.known_messages([message_id]) == {}

    async def test_a_message_id_is_stored_once_and_a_second_append_with_it_stores_nothing(
        self, implementation: Implementation
    ) -> None:
        store = implementation.store
        message_id = uuid.uuid4()
        await store.append([event("m", 1)], [InboundMessage(message_id, sequence=7)])
        with pytest.raises(DuplicateMessageError):
            await store.append([event("m", 2)], [InboundMessage(message_id)])
        assert await store.known_messages([message_id, uuid.uuid4()]) == {message_id: 7}
        assert await store.stream_versions(["m"]) == {"m": 1}

    async def test_a_consumer_whose_lock_was_taken_over_stores_nothing(
        self,
        implementation: Implementation,
    ) -> None:
        store = implementation.store
        first = await implementation.take_lease("inbound")
        await store.append(
            [event("f", 1)], [InboundMessage(uuid.uuid4(), 1)], Position("inbound", 1, first)
        )
        second = await implementation.take_lease("inbound")
        refused = uuid.uuid4()
        with pytest.raises(FencedOut):
            await store.append(
                [event("f", 2)], [InboundMessage(refused, 2)], Position("inbound", 2, first)
            )
        with pytest.raises(FencedOut):
            await store.append([], [], Position("inbound", 3, first))
        assert await store.position("inbound") == 1
        assert await store.stream_versions(["f"]) == {"f": 1}
        assert await store.known_messages([refused]) == {}
        await store.append([event("f", 2)], [], Position("inbound", 2, second))
        assert await store.position("inbound") == 2

    async def test_a_position_never_moves_back(self, implementation: Implementation) -> None:
        store = implementation.store
        epoch = await implementation.take_lease("inbound")
        assert await store.position("inbound") == 0
        await store.append([], [], Position("inbound", 10, epoch))
        await store.append([event("p", 1)], [], Position("inbound", 0, epoch))
        assert await store.position("inbound") == 10
        assert await store.stream_versions(["p"]) == {"p": 1}


class TestPostgresEventStore(EventStoreContract):
    @pytest.fixture
    async def implementation(self, budget_database: str) -> AsyncIterator[Implementation]:
        pool = await create_pool(budget_database)
        async with pool.acquire() as conn:
            await migrate(conn, MIGRATIONS)
        yield Implementation(
            PostgresEventStore(pool), lambda name: _take_lease(budget_database, name)
        )
        await pool.close()

    async def test_every_stored_event_waits_in_the_outbox(
        self, implementation: Implementation, budget_database: str
    ) -> None:
        """PostgreSQL's own: the outbox is written in the same statement as the events."""
        stored = await implementation.store.append([event("o", 1), event("o", 2)])
        assert await count(budget_database, "SELECT count(*) FROM outbox") == 2
        conn = await asyncpg.connect(budget_database)
        try:
            positions = [r["position"] for r in await conn.fetch("SELECT position FROM outbox")]
        finally:
            await conn.close()
        assert sorted(positions) == [e.position for e in stored]


class TestInMemoryEventStore(EventStoreContract):
    @pytest.fixture
    def implementation(self) -> Implementation:
        store = InMemoryEventStore()

        async def take_lease(name: str) -> int:
            return store.take_lease(name)

        return Implementation(store, take_lease)
