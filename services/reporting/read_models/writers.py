"""What every projection of reporting writes with: a writer per event type, a statement per
event for the few events that change a tree, a goal or a project, and the loop that hands
each run of a batch to its writer.

Each event is read as its contract model; one that does not validate fails to apply and the
runner parks it (plumbing.projection).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import groupby
from typing import Any, Generic, Protocol, TypeVar

from contracts.envelope import Event
from plumbing.database import Connection
from plumbing.projection import ReceivedEvent
from plumbing.read_model_tables import KNOWN_FROM, Table, tables_ddl
from plumbing.read_model_versions import applying_event_of
from services.reporting.read_models.senders import SenderRow, record_senders

Row = tuple[Any, ...]
E = TypeVar("E", bound=Event)


class Writer(Protocol):
    """Writes one event type's batch into the read models; returns its history rows."""

    @property
    def event_type(self) -> str: ...

    async def write(self, conn: Connection, events: Sequence[ReceivedEvent]) -> list[Row]: ...


@dataclass(frozen=True)
class Statement(Generic[E]):
    """A change to the tree, a goal or a project: few, so a plain statement per event,
    applied in order, each known from its event's recorded time."""

    model: type[E]
    sql: str
    to_args: Callable[[E, ReceivedEvent], Row]

    @property
    def event_type(self) -> str:
        return self.model.event_type

    async def write(self, conn: Connection, events: Sequence[ReceivedEvent]) -> list[Row]:
        for e in events:
            await applying_event_of(conn, e.message.envelope.recorded_at)
            await conn.execute(self.sql, *self.to_args(self.model.model_validate(e.payload), e))
        await applying_event_of(conn, None)
        return []  # a statement's change has no history of its own


def insert_sql(table: Table[Any], *, kept: Sequence[str] = (), replaces: bool = True) -> str:
    """Insert a row of ``table`` from its columns in order ($1, $2, …; known_from comes from
    the event being applied), a row of the same key replaced but for the ``kept`` columns
    (the first registration's order, say), or (not ``replaces``) left as it is."""
    columns = [c.name for c in table.columns if c.name != "known_from"]
    kept_columns = [table.column(name).name for name in kept]
    replaced = [n for n in columns if replaces and n not in (*table.key, *kept_columns)]
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in replaced)
    return (
        f"INSERT INTO {table.name} ({', '.join(columns)})"
        f" VALUES ({', '.join(f'${i}' for i in range(1, len(columns) + 1))})"
        f" ON CONFLICT ({', '.join(table.key)}) "
        + (f"DO UPDATE SET {updates}" if updates else "DO NOTHING")
    )


def inserted(
    model: type[E], table: Table[Any], *, kept: Sequence[str] = (), replaces: bool = True
) -> Statement[E]:
    """The statement that inserts each ``model`` event as a row of ``table`` (``insert_sql``
    with ``kept`` and ``replaces``; ``event_values``)."""
    return Statement(model, insert_sql(table, kept=kept, replaces=replaces), event_values(table))


def event_values(table: Table[Any]) -> Callable[[Event, ReceivedEvent], Row]:
    """The values of ``table``'s columns as ``insert_sql`` lists them, each from the event's
    field of the same name: an enum as its value, a sequence as a list of them. Three come
    from where the event was stored rather than from what it says: ``order`` (its column
    ``ord``), its stream sequence, and ``event_id`` and ``recorded_at``, its envelope's."""
    names = [c.field or c.name for c in table.columns if c.name != KNOWN_FROM.name]

    def values(event: Event, received: ReceivedEvent) -> Row:
        return tuple(_column_value(name, event, received) for name in names)

    return values


def _column_value(name: str, event: Event, received: ReceivedEvent) -> Any:
    if name in ("order", "ord"):
        return received.sequence
    if name in ("event_id", "recorded_at"):
        return getattr(received.message.envelope, name)
    return _stored(getattr(event, name))


def _stored(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_stored(item) for item in value]
    return value


def by_event_type(writers: Sequence[Writer]) -> dict[str, Writer]:
    return {writer.event_type: writer for writer in writers}


async def write_in_order(
    conn: Connection, writers: Mapping[str, Writer], events: Sequence[ReceivedEvent]
) -> list[Row]:
    """Each run of one event type in ``events`` written by its writer, in order; returns
    their history rows. An event type no writer takes (a later one unknown to this version,
    or one the projection does not read) is skipped on purpose."""
    history: list[Row] = []
    for event_type, run in groupby(events, key=lambda e: e.event_type):
        writer = writers.get(event_type)
        if writer is not None:
            history.extend(await writer.write(conn, list(run)))
    return history


class WrittenProjection:
    """A projection whose events each go, in order, to the writer of their type; a
    subclass names the projection, its tables and where it keeps who sent each event it
    writes (one more of its tables, created with them):

    ``class GoalsProjection(WrittenProjection, name=..., tables=..., senders=...)``, with
    its writers by event type."""

    name: str
    tables_sql: str
    writers: Mapping[str, Writer]
    senders: Table[SenderRow]

    def __init_subclass__(
        cls, *, name: str, tables: Sequence[Table[Any]], senders: Table[SenderRow]
    ) -> None:
        super().__init_subclass__()
        cls.name = name
        cls.tables_sql = tables_ddl((*tables, senders))
        cls.senders = senders

    async def apply(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        await write_in_order(conn, self.writers, events)
        written = [e for e in events if e.event_type in self.writers]
        await record_senders(conn, self.senders, written)
