"""Budget events into the reporting read models."""

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from importlib import resources
from itertools import groupby
from typing import Any

from plumbing.database import Connection
from plumbing.projection import ReceivedEvent

Row = tuple[Any, ...]


def _month_upsert(table: str) -> tuple[str, int, Callable[[ReceivedEvent], Row]]:
    """Actuals and forecasts alike: one row per unit and month, the latest replacing."""
    return (
        f"INSERT INTO {table} (unit_code, period, revenue, costs)"
        " SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[])"
        " ON CONFLICT (unit_code, period) DO UPDATE SET revenue = EXCLUDED.revenue,"
        " costs = EXCLUDED.costs",
        2,
        lambda e: (
            e.payload["unit_code"],
            e.payload["period"],
            Decimal(e.payload["revenue"]),
            Decimal(e.payload["costs"]),
        ),
    )


# Upserts keyed by the table's primary key; within one statement a key may appear only
# once, so a run of events is reduced to the last row per key first (the last one wins,
# as it would applied one by one).
_UPSERTS: dict[str, tuple[str, int, Callable[[ReceivedEvent], Row]]] = {
    "FiguresSet": (
        "INSERT INTO figures (unit_code, year, kind, status, revenue, costs, decision)"
        " SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::numeric[],"
        " $6::numeric[], $7::text[])"
        " ON CONFLICT (unit_code, year, kind) DO UPDATE SET status = EXCLUDED.status,"
        " revenue = EXCLUDED.revenue, costs = EXCLUDED.costs, decision = EXCLUDED.decision",
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
    ),
    "ActualsRecorded": _month_upsert("actuals"),
    "ForecastMade": _month_upsert("forecasts"),
    "NetInvestmentSet": (
        "INSERT INTO net_investments (unit_code, year, kind, amount)"
        " SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::numeric[])"
        " ON CONFLICT (unit_code, year, kind) DO UPDATE SET amount = EXCLUDED.amount",
        3,
        lambda e: (
            e.payload["unit_code"],
            e.payload["year"],
            e.payload["kind"],
            Decimal(e.payload["amount"]),
        ),
    ),
    "NarrativeWritten": (
        "INSERT INTO narratives (unit_code, year, section, text)"
        " SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])"
        " ON CONFLICT (unit_code, year, section) DO UPDATE SET text = EXCLUDED.text",
        3,
        lambda e: (
            e.payload["unit_code"],
            e.payload["year"],
            e.payload["section"],
            e.payload["text"],
        ),
    ),
    "FrameChanged": (
        "INSERT INTO frame_changes (event_id, unit_code, year, amount, reasons, decision, ord)"
        " SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::numeric[], $5::text[],"
        " $6::text[], $7::bigint[]) ON CONFLICT (event_id) DO NOTHING",
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
        for event_type, run in groupby(events, key=lambda e: e.event_type):
            batch = list(run)
            if event_type in _UPSERTS:
                sql, key_length, to_row = _UPSERTS[event_type]
                rows = list({row[:key_length]: row for row in map(to_row, batch)}.values())
                await conn.execute(sql, *map(list, zip(*rows, strict=True)))
            elif event_type in _TREE:
                sql, to_args = _TREE[event_type]
                await conn.executemany(sql, [to_args(e) for e in batch])
            # Event types this projection does not read are skipped on purpose.
