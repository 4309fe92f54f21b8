"""The command handler on the event store in memory: what it stores, what it refuses, and how
it decides again when another writer came first."""

import uuid
from collections.abc import Sequence
from datetime import date

from contracts.budget.commands import RegisterUnit, SetFigures
from contracts.budget.service import BUDGET_EVENTS
from contracts.rejection import Problem
from plumbing.command_handler import CommandHandler
from plumbing.event_codec import read_event, stored_metadata
from plumbing.eventstore import InboundMessage, NewEvent, Position, StoredEvent
from plumbing.memory_eventstore import InMemoryEventStore
from plumbing.requests import DUPLICATE, Accepted, AlreadyStored, Rejected, Request
from plumbing.settings import WriteServiceSettings
from services.budget import bootstrap as budget
from services.budget.domain.organisation import Organisation

BOARD = RegisterUnit(
    actor="anna",
    unit_code="KS",
    name="Kommunstyrelsen",
    kind="board",
    effective_on=date(2011, 1, 1),
)


def unit(code: str) -> RegisterUnit:
    return RegisterUnit(
        actor="anna",
        unit_code=code,
        name=f"Enheten {code}",
        kind="unit",
        parent_code="KS",
        effective_on=date(2011, 1, 1),
    )


def handler(store: InMemoryEventStore) -> CommandHandler[Organisation]:
    return budget.PARTS.handler(WriteServiceSettings(), store)


async def test_an_accepted_command_is_stored_with_its_envelope_and_message_id() -> None:
    store = InMemoryEventStore()
    (outcome,) = await handler(store).handle(
        [
            Request(
                BOARD, "ekonomisystem", {"traceparent": "00-" + "1" * 32 + "-" + "2" * 16 + "-01"}
            )
        ]
    )
    assert isinstance(outcome, Accepted)
    (stored,) = store.events
    assert (stored.stream_id, stored.version, stored.event_id) == (
        "organisation",
        1,
        outcome.event_ids[0],
    )
    envelope, event = read_event(stored, BUDGET_EVENTS)
    assert (envelope.source_system, envelope.actor) == ("ekonomisystem", "anna")
    assert envelope.causation_id == envelope.correlation_id == BOARD.message_id
    assert envelope.traceparent is not None and envelope.traceparent.startswith("00-1111")
    assert event.unit_code == "KS"  # type: ignore[attr-defined]
    assert stored.metadata["message_id"] == str(BOARD.message_id)


async def test_a_message_id_sent_again_is_refused_and_a_redelivery_is_recognised() -> None:
    store = InMemoryEventStore()
    handling = handler(store)
    await handling.handle([Request(BOARD, "ekonomisystem", sequence=1)])
    again, copy = await handling.handle(
        [Request(BOARD, "ekonomisystem", sequence=1), Request(BOARD, "ekonomisystem", sequence=2)]
    )
    assert isinstance(again, AlreadyStored)
    assert copy == Rejected([Problem(field="message_id", message=DUPLICATE)])
    assert len(store.events) == 1


async def test_a_batch_sees_what_the_commands_before_it_decided() -> None:
    store = InMemoryEventStore()
    figures = SetFigures.model_validate(
        {
            "actor": "anna",
            "unit_code": "IT",
            "year": 2011,
            "kind": "budget",
            "status": "adopted",
            "revenue": "0",
            "costs": "-100",
        }
    )
    outcomes = await handler(store).handle(
        [Request(c, "http") for c in (BOARD, unit("IT"), figures)]
    )
    assert [type(o) for o in outcomes] == [Accepted, Accepted, Accepted]
    assert [(e.stream_id, e.version) for e in store.events] == [
        ("organisation", 1),
        ("organisation", 2),
        ("unit-IT-2011", 1),
    ]


class AnotherWriterFirst(InMemoryEventStore):
    """A store to which another process appends a unit just before this one's first batch."""

    def __init__(self, theirs: NewEvent) -> None:
        super().__init__()
        self._theirs: NewEvent | None = theirs

    async def append(
        self,
        events: Sequence[NewEvent],
        messages: Sequence[InboundMessage] = (),
        position: Position | None = None,
    ) -> list[StoredEvent]:
        if self._theirs is not None and events:
            theirs, self._theirs = self._theirs, None
            await super().append([theirs])
        return await super().append(events, messages, position)


async def test_a_conflict_with_another_writer_is_decided_again_against_what_it_stored() -> None:
    store = InMemoryEventStore()
    await handler(store).handle([Request(BOARD, "http")])
    (board,) = store.events
    theirs = NewEvent(
        uuid.uuid4(),
        "organisation",
        2,
        "UnitRegistered",
        1,
        {
            **board.payload,
            "unit_code": "KLF",
            "kind": "administration",
            "parent_code": "KS",
            "name": "Kommunledningsförvaltningen",
        },
        stored_metadata(
            {
                "occurred_at": BOARD.occurred_at,
                "source_system": "http",
                "actor": "bertil",
                "correlation_id": uuid.uuid4(),
                "causation_id": uuid.uuid4(),
            }
        ),
    )
    racing = AnotherWriterFirst(theirs)
    racing.events, racing._versions = list(store.events), dict(store._versions)
    (outcome,) = await handler(racing).handle([Request(unit("IT"), "http")])
    assert isinstance(outcome, Accepted)
    assert [(e.stream_id, e.version, e.payload["unit_code"]) for e in racing.events] == [
        ("organisation", 1, "KS"),
        ("organisation", 2, "KLF"),
        ("organisation", 3, "IT"),
    ]


class CountedLookUps(InMemoryEventStore):
    """A store that counts its round trips for stream versions."""

    def __init__(self) -> None:
        super().__init__()
        self.looked_up: list[list[str]] = []

    async def stream_versions(self, stream_ids: Sequence[str]) -> dict[str, int]:
        self.looked_up.append(list(stream_ids))
        return await super().stream_versions(stream_ids)


def figures(code: str, year: int) -> SetFigures:
    return SetFigures.model_validate(
        {
            "actor": "anna",
            "unit_code": code,
            "year": year,
            "kind": "budget",
            "status": "adopted",
            "revenue": "0",
            "costs": "-100",
        }
    )


async def test_the_streams_a_batch_is_first_to_touch_are_looked_up_in_one_round_trip() -> None:
    store = CountedLookUps()
    handling = handler(store)
    await handling.handle([Request(c, "http") for c in (BOARD, unit("IT"), unit("HR"))])
    store.looked_up.clear()
    batch = [figures(code, year) for code in ("IT", "HR") for year in (2011, 2012)]
    outcomes = await handling.handle([Request(c, "http") for c in [*batch, figures("IT", 2011)]])
    assert [type(o) for o in outcomes] == [Accepted] * 5
    # Four streams new to the batch, one look-up; the fifth command's stream is one of them.
    assert store.looked_up == [["unit-HR-2011", "unit-HR-2012", "unit-IT-2011", "unit-IT-2012"]]
    numbered = [(e.stream_id, e.version) for e in store.events[3:]]
    assert numbered == [
        ("unit-IT-2011", 1),
        ("unit-IT-2012", 1),
        ("unit-HR-2011", 1),
        ("unit-HR-2012", 1),
        ("unit-IT-2011", 2),
    ]
    # The next batch knows them all: no round trip.
    await handling.handle([Request(figures("HR", 2012), "http")])
    assert store.looked_up == [["unit-HR-2011", "unit-HR-2012", "unit-IT-2011", "unit-IT-2012"]]
    assert (store.events[-1].stream_id, store.events[-1].version) == ("unit-HR-2012", 2)


async def test_each_event_of_a_batch_gets_an_id_of_its_own_made_as_uuid4_makes_them() -> None:
    store = InMemoryEventStore()
    outcomes = await handler(store).handle(
        [Request(BOARD, "ekonomisystem")]
        + [Request(unit(f"E{n}"), "ekonomisystem") for n in range(50)]
    )
    ids = [event_id for o in outcomes if isinstance(o, Accepted) for event_id in o.event_ids]
    assert len(ids) == len(set(ids)) == 51
    assert [e.event_id for e in store.events] == ids
    assert {(i.version, i.variant) for i in ids} == {(4, uuid.RFC_4122)}
