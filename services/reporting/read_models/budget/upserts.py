"""A budget read model written by one event type: a row per key, the latest replacing,
each row known from its event's recorded time, and the history of what it replaced."""

import functools
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from contracts.budget import events as budget
from plumbing.database import Connection
from plumbing.projection import ReceivedEvent
from plumbing.read_model_tables import Table
from services.reporting.read_models.budget.history import VALUE_FIELDS, Value, history_rows
from services.reporting.read_models.writers import Row

# Constrained, not bound to the union: mypy then reads model_validate of each as that type.
F = TypeVar(
    "F",
    budget.FiguresSet,
    budget.ActualsRecorded,
    budget.ForecastMade,
    budget.FrameChanged,
    budget.NetInvestmentSet,
    budget.NarrativeWritten,
    budget.ProjectShareSet,
    budget.MonthCommentWritten,
    budget.BudgetProfileSet,
    budget.FollowUpTextWritten,
    budget.TableNoteAttached,
    budget.ReportMarkedReady,
    budget.ReportReopened,
)


@dataclass(frozen=True)
class Upsert(Generic[F]):
    """A read model written by one event type: a row per key, the latest replacing.

    ``shown`` names, per field of the history's Value, the column it comes from; its
    old value is read from the table before the upsert.
    """

    model: type[F]
    # Its rows are the table's columns in order, keys first; known_from, the event's
    # recorded time, is added here.
    written: Table[Any]
    to_row: Callable[[F, ReceivedEvent], Row]
    shown: Mapping[str, str]
    replaces: bool = True  # False: a new row per event (keyed by event id), none replaced
    # How many of the first columns make a row's key, where the table has no primary key.
    unique: int | None = None
    # How much of the key the history follows, when less than the whole: a figure's versions
    # (proposed, adopted, revised) are rows of their own, but each changes the same figure.
    history_key_length: int | None = None

    @property
    def event_type(self) -> str:
        return self.model.event_type

    @property
    def table(self) -> str:
        return self.written.name

    @property
    def key_length(self) -> int:
        return self.unique or len(self.written.key)

    @property
    def _followed(self) -> int:
        return self.history_key_length or self.key_length

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        return tuple((c.name, c.type) for c in self.written.columns)

    def _names(self, columns: Sequence[tuple[str, str]]) -> str:
        return ", ".join(name for name, _ in columns)

    def _unnest(self, columns: Sequence[tuple[str, str]], first: int = 1) -> str:
        arrays = ", ".join(f"${i}::{kind}[]" for i, (_, kind) in enumerate(columns, start=first))
        return f"unnest({arrays})"

    def _upsert(self, first: int) -> str:
        """The upsert of a round of rows, its columns' arrays from parameter ``first`` on."""
        keys = self._names(self.columns[: self.key_length])
        updates = ", ".join(
            f"{name} = EXCLUDED.{name}" for name, _ in self.columns[self.key_length :]
        )
        conflict = f"DO UPDATE SET {updates}" if self.replaces else "DO NOTHING"
        return (
            f"INSERT INTO {self.table} ({self._names(self.columns)})"
            f" SELECT * FROM {self._unnest(self.columns, first)} ON CONFLICT ({keys}) {conflict}"
        )

    @functools.cached_property
    def sql(self) -> str:
        return self._upsert(1)

    @functools.cached_property
    def _lookup_and_upsert_sql(self) -> str:
        # One statement sees the table as it was before it began, so the lookup reads the
        # values the upsert beside it replaces: one round trip where two were.
        return f"WITH upserted AS ({self._upsert(self._followed + 1)}) {self._lookup_sql}"

    @functools.cached_property
    def _lookup_sql(self) -> str:
        keys = self.columns[: self._followed]
        shown = ", ".join(f"t.{column}" for column in self.shown.values())
        # Oldest first: where several rows share the followed key, the latest is kept.
        return (
            f"SELECT {', '.join(f't.{name}' for name, _ in keys)}, {shown} FROM {self.table} t"
            f" JOIN {self._unnest(keys)} AS k({self._names(keys)}) USING ({self._names(keys)})"
            " ORDER BY t.known_from"
        )

    @functools.cached_property
    def _slots(self) -> tuple[int | None, ...]:
        # Per field of Value, the row's index holding it (None: not shown for this table).
        names = [name for name, _ in self.columns]
        return tuple(
            names.index(self.shown[field]) if field in self.shown else None
            for field in VALUE_FIELDS
        )

    def value(self, row: Row) -> Value:
        return Value._make([None if i is None else row[i] for i in self._slots])

    async def _upsert_all(self, conn: Connection, rows: Sequence[Row]) -> dict[Hashable, Value]:
        """Upsert ``rows``; return the values the read model held for their keys before."""
        before: dict[Hashable, Value] = {}
        for n, round_ in enumerate(_rounds(rows, self.key_length)):
            columns = list(map(list, zip(*round_, strict=True)))
            if n > 0 or not self.replaces:
                await conn.execute(self.sql, *columns)
                continue
            # Every key of the batch is in its first round.
            keys = list({row[: self._followed] for row in rows})
            found = await conn.fetch(
                self._lookup_and_upsert_sql, *map(list, zip(*keys, strict=True)), *columns
            )
            before = {
                tuple(r)[: self._followed]: Value(
                    **dict(zip(self.shown, tuple(r)[self._followed :], strict=True))
                )
                for r in found
            }
        return before

    async def write(self, conn: Connection, events: Sequence[ReceivedEvent]) -> list[Row]:
        """Upsert the events' rows; return their history rows.

        Each payload is read as its contract model once, here, for the row and the history
        alike; one that does not validate fails the batch, and the runner parks it.
        """
        read = [self.model.model_validate(e.payload) for e in events]
        rows = [_known_from(self.to_row(m, e), e) for m, e in zip(read, events, strict=True)]
        before = await self._upsert_all(conn, rows)
        changes = [
            (e, event, row[: self._followed], self.value(row))
            for e, event, row in zip(events, read, rows, strict=True)
        ]
        return history_rows(changes, before)


def _known_from(row: Row, event: ReceivedEvent) -> Row:
    """``row`` with the moment its event was recorded: since when it was known."""
    return (*row, event.message.envelope.recorded_at)


def _rounds(rows: Sequence[Row], key_length: int) -> list[list[Row]]:
    """``rows`` in statements in which each key appears once: the first row of every key,
    then the second, and so on, so that each row becomes a version of its own."""
    rounds: list[list[Row]] = []
    seen: dict[Hashable, int] = {}
    for row in rows:
        key = row[:key_length]
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(row)
    return rounds
