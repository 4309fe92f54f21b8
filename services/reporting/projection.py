"""Budget events into the reporting read models."""

import functools
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from itertools import groupby
from typing import Any

from plumbing.database import Connection
from plumbing.projection import ReceivedEvent
from services.reporting.history_record import VALUE_FIELDS, Value, history_rows
from services.reporting.history_record import record as record_history

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Upsert:
    """A read model written by one event type: a row per key, the latest replacing.

    ``shown`` names, per field of the history's Value, the column it comes from; its
    old value is read from the table before the upsert.
    """

    table: str
    columns: tuple[tuple[str, str], ...]  # (name, PostgreSQL type), keys first
    key_length: int
    to_row: Callable[[ReceivedEvent], Row]
    shown: Mapping[str, str]
    replaces: bool = True  # False: a new row per event (keyed by event id), none replaced

    def _names(self, columns: Sequence[tuple[str, str]]) -> str:
        return ", ".join(name for name, _ in columns)

    def _unnest(self, columns: Sequence[tuple[str, str]]) -> str:
        arrays = ", ".join(f"${i}::{kind}[]" for i, (_, kind) in enumerate(columns, start=1))
        return f"unnest({arrays})"

    @functools.cached_property
    def sql(self) -> str:
        keys = self._names(self.columns[: self.key_length])
        updates = ", ".join(
            f"{name} = EXCLUDED.{name}" for name, _ in self.columns[self.key_length :]
        )
        conflict = f"DO UPDATE SET {updates}" if self.replaces else "DO NOTHING"
        return (
            f"INSERT INTO {self.table} ({self._names(self.columns)})"
            f" SELECT * FROM {self._unnest(self.columns)} ON CONFLICT ({keys}) {conflict}"
        )

    @functools.cached_property
    def _lookup_sql(self) -> str:
        keys = self.columns[: self.key_length]
        shown = ", ".join(f"t.{column}" for column in self.shown.values())
        return (
            f"SELECT {', '.join(f't.{name}' for name, _ in keys)}, {shown} FROM {self.table} t"
            f" JOIN {self._unnest(keys)} AS k({self._names(keys)}) USING ({self._names(keys)})"
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

    async def current(self, conn: Connection, keys: Sequence[Row]) -> dict[Hashable, Value]:
        """The values the read model holds for ``keys`` now, before the batch writes them."""
        if not self.replaces or not keys:
            return {}
        found = await conn.fetch(self._lookup_sql, *map(list, zip(*keys, strict=True)))
        return {
            tuple(r)[: self.key_length]: Value(
                **dict(zip(self.shown, tuple(r)[self.key_length :], strict=True))
            )
            for r in found
        }

    async def write(self, conn: Connection, events: Sequence[ReceivedEvent]) -> list[Row]:
        """Upsert the events' rows; return their history rows."""
        rows = [self.to_row(e) for e in events]
        # Within one statement a key may appear only once: the last row per key wins,
        # as it would applied one by one.
        latest = {row[: self.key_length]: row for row in rows}
        before = await self.current(conn, list(latest))
        await conn.execute(self.sql, *map(list, zip(*latest.values(), strict=True)))
        changes = [
            (e, row[: self.key_length], self.value(row))
            for e, row in zip(events, rows, strict=True)
        ]
        return history_rows(changes, before)


def _month_upsert(table: str) -> Upsert:
    """Actuals and forecasts alike: one row per unit and month, the latest replacing."""
    return Upsert(
        table,
        (("unit_code", "text"), ("period", "text"), ("revenue", "numeric"), ("costs", "numeric")),
        2,
        lambda e: (
            e.payload["unit_code"],
            e.payload["period"],
            Decimal(e.payload["revenue"]),
            Decimal(e.payload["costs"]),
        ),
        {"revenue": "revenue", "costs": "costs"},
    )


_UPSERTS: dict[str, Upsert] = {
    "FiguresSet": Upsert(
        "figures",
        (
            ("unit_code", "text"),
            ("year", "int"),
            ("kind", "text"),
            ("status", "text"),
            ("revenue", "numeric"),
            ("costs", "numeric"),
            ("decision", "text"),
        ),
        3,
        lambda e: (
            e.payload["unit_code"],
            e.payload["year"],
            e.payload["kind"],
            e.payload["status"],
            Decimal(e.payload["revenue"]),
            Decimal(e.payload["costs"]),
            e.payload["decision"],
        ),
        {"status": "status", "revenue": "revenue", "costs": "costs"},
    ),
    "ActualsRecorded": _month_upsert("actuals"),
    "ForecastMade": _month_upsert("forecasts"),
    "NetInvestmentSet": Upsert(
        "net_investments",
        (("unit_code", "text"), ("year", "int"), ("kind", "text"), ("amount", "numeric")),
        3,
        lambda e: (
            e.payload["unit_code"],
            e.payload["year"],
            e.payload["kind"],
            Decimal(e.payload["amount"]),
        ),
        {"amount": "amount"},
    ),
    "NarrativeWritten": Upsert(
        "narratives",
        (("unit_code", "text"), ("year", "int"), ("section", "text"), ("text", "text")),
        3,
        lambda e: (
            e.payload["unit_code"],
            e.payload["year"],
            e.payload["section"],
            e.payload["text"],
        ),
        {"text": "text"},
    ),
    "FrameChanged": Upsert(
        "frame_changes",
        (
            ("event_id", "uuid"),
            ("unit_code", "text"),
            ("year", "int"),
            ("amount", "numeric"),
            ("reasons", "text"),
            ("decision", "text"),
            ("ord", "bigint"),
        ),
        1,
        lambda e: (
            e.message.envelope.event_id,
            e.payload["unit_code"],
            e.payload["year"],
            Decimal(e.payload["amount"]),
            e.payload["reasons"],
            e.payload["decision"],
            e.sequence,
        ),
        {"amount": "amount", "text": "reasons"},
        replaces=False,
    ),
}

# Changes to the tree are few; plain statements, applied one by one in order.
_TREE: dict[str, tuple[str, Callable[[ReceivedEvent], Row]]] = {
    "UnitRegistered": (
        "INSERT INTO units (code, name, kind, parent_code, manager_title, manager_name, ord)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        lambda e: (
            e.payload["unit_code"],
            e.payload["name"],
            e.payload["kind"],
            e.payload["parent_code"],
            e.payload["manager_title"],
            e.payload["manager_name"],
            e.sequence,
        ),
    ),
    "UnitRenamed": (
        "UPDATE units SET name = $2 WHERE code = $1",
        lambda e: (e.payload["unit_code"], e.payload["name"]),
    ),
    "UnitMoved": (
        "UPDATE units SET parent_code = $2 WHERE code = $1",
        lambda e: (e.payload["unit_code"], e.payload["parent_code"]),
    ),
    "UnitClosed": (
        "UPDATE units SET closed_on = $2::date WHERE code = $1",
        lambda e: (e.payload["unit_code"], _date(e.payload["effective_on"])),
    ),
    "ManagerAppointed": (
        "UPDATE units SET manager_title = $2, manager_name = $3 WHERE code = $1",
        lambda e: (e.payload["unit_code"], e.payload["manager_title"], e.payload["manager_name"]),
    ),
}


def _date(value: str) -> date:
    return date.fromisoformat(value)


class BudgetProjection:
    name = "reporting"
    tables_sql = resources.files("services.reporting").joinpath("tables.sql").read_text("utf-8")

    async def apply(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        history: list[Row] = []
        for event_type, run in groupby(events, key=lambda e: e.event_type):
            batch = list(run)
            if event_type in _UPSERTS:
                history.extend(await _UPSERTS[event_type].write(conn, batch))
            elif event_type in _TREE:
                sql, to_args = _TREE[event_type]
                await conn.executemany(sql, [to_args(e) for e in batch])
            # Event types this projection does not read are skipped on purpose.
        await record_history(conn, history)
