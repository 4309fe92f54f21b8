"""Reading a unit's history from the active generation."""

from typing import Any

import asyncpg

from contracts.write_services import WRITE_SERVICES
from plumbing import parking
from plumbing.database import Connection
from services.reporting.history import HistoryEntry, HistoryView, build_history
from services.reporting.history_record import VALUE_FIELDS, Value
from services.reporting.plan import UnknownUnit
from services.reporting.queries import in_active_generation

_ENTRY_COLUMNS = (
    "sequence",
    "event_id",
    "event_type",
    "year",
    "item",
    "decision",
    "recorded_at",
    "actor",
    "actor_name",
    "source_system",
    "correlation_id",
)

# The senders whose commands carry the event that caused them (a process manager's).
_SERVICES = frozenset(service.name for service in WRITE_SERVICES)

_SELECT = (
    "SELECT "
    + ", ".join(
        [*_ENTRY_COLUMNS, *(f"{age}_{name}" for age in ("old", "new") for name in VALUE_FIELDS)]
    )
    + ", c.causation_id AS caused_by FROM history h LEFT JOIN caused_by c USING (event_id)"
    " WHERE h.unit_code = $1 AND h.year = $2"
)


def _value(row: Any, age: str) -> Value | None:
    values = {name: row[f"{age}_{name}"] for name in VALUE_FIELDS}
    return None if all(v is None for v in values.values()) else Value(**values)


def _caused_by(row: Any) -> Any:
    """The event of another service that led to this change, if one did. Only a command one
    of the services sent has a cause other than itself: a cause anyone else named is its
    own reference, not an event (services before this rule stored it as the cause)."""
    return row["caused_by"] if row["source_system"] in _SERVICES else None


def _entry(row: Any) -> HistoryEntry:
    new = _value(row, "new")
    assert new is not None  # every event writes a value
    return HistoryEntry(
        **{name: row[name] for name in _ENTRY_COLUMNS},
        old=_value(row, "old"),
        new=new,
        caused_by=_caused_by(row),
    )


async def unit_history(pool: asyncpg.Pool, unit_code: str, year: int, drafts: bool) -> HistoryView:
    """Every change of ``unit_code``'s figures for ``year``; ``drafts``: proposed ones too.

    Raises UnknownUnit when there is no such unit, NotReady before any read model exists.
    """

    async def read(conn: Connection) -> HistoryView:
        name = await conn.fetchval("SELECT name FROM units WHERE code = $1", unit_code)
        if name is None:
            raise UnknownUnit(unit_code)
        rows = await conn.fetch(_SELECT, unit_code, year)
        parked, _ = await parking.counts(conn)
        entries = [_entry(r) for r in rows]
        return build_history(unit_code, name, year, entries, drafts=drafts, parked=parked)

    return await in_active_generation(pool, read)
