"""Replaced and removed read-model rows kept as versions, once per statement, on PostgreSQL."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg
import pytest

from plumbing.migrations import migrate
from plumbing.projection import MIGRATIONS
from plumbing.read_model_versions import RECORDED_AT_SETTING, keep_versions

pytestmark = pytest.mark.asyncio

T0 = datetime(2011, 9, 1, 8, 0, tzinfo=UTC)
SCHEMA = "kept"
UPSERT = (
    "INSERT INTO kept.figures SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[],"
    " $4::timestamptz[]) ON CONFLICT (unit_code, period) DO UPDATE"
    " SET amount = EXCLUDED.amount, known_from = EXCLUDED.known_from"
)


@pytest.fixture
async def conn(reporting_database: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(reporting_database)
    await migrate(connection, MIGRATIONS)
    await connection.execute(
        f"CREATE SCHEMA {SCHEMA};"
        f" CREATE TABLE {SCHEMA}.figures (unit_code text, period text, amount numeric,"
        "  known_from timestamptz DEFAULT '-infinity', PRIMARY KEY (unit_code, period));"
        f" CREATE TABLE {SCHEMA}.notes (unit_code text, body text,"
        "  known_from timestamptz DEFAULT '-infinity');"
    )
    await keep_versions(connection, SCHEMA)
    yield connection
    await connection.close()


async def upsert(conn: asyncpg.Connection, rows: list[tuple[str, str, str, datetime]]) -> None:
    await conn.execute(
        UPSERT,
        [r[0] for r in rows],
        [r[1] for r in rows],
        [Decimal(r[2]) for r in rows],
        [r[3] for r in rows],
    )


async def versions(conn: asyncpg.Connection, table: str) -> list[tuple[object, ...]]:
    rows = await conn.fetch(
        f"SELECT * FROM {SCHEMA}.{table}_versions ORDER BY known_until, unit_code"
    )
    return [tuple(r) for r in rows]


async def test_each_row_a_statement_replaces_is_kept_until_its_replacement_was_recorded(
    conn: asyncpg.Connection,
) -> None:
    await upsert(conn, [("KLF", "2011-08", "-100.50", T0), ("NÄT", "2011-08", "7", T0)])
    later = T0 + timedelta(minutes=5)
    # One statement replaces both rows and adds a third.
    await upsert(
        conn,
        [
            ("KLF", "2011-08", "-120.25", later),
            ("NÄT", "2011-08", "8", later + timedelta(seconds=1)),
            ("KLC", "2011-08", "1", later),
        ],
    )
    assert await versions(conn, "figures") == [
        ("KLF", "2011-08", Decimal("-100.50"), T0, later),
        ("NÄT", "2011-08", Decimal("7"), T0, later + timedelta(seconds=1)),
    ]
    assert await conn.fetchval("SELECT count(*) FROM kept.figures") == 3


async def test_a_replacement_recorded_before_its_row_ends_it_where_it_began(
    conn: asyncpg.Connection,
) -> None:
    # Two transactions committing out of the order they were recorded in: the version was
    # never known, so its range is empty rather than backwards.
    await upsert(conn, [("KLF", "2011-08", "1", T0)])
    await upsert(conn, [("KLF", "2011-08", "2", T0 - timedelta(seconds=1))])
    assert await versions(conn, "figures") == [("KLF", "2011-08", Decimal("1"), T0, T0)]


async def test_removed_rows_are_kept_until_the_moment_their_event_was_recorded(
    conn: asyncpg.Connection,
) -> None:
    await upsert(conn, [("KLF", "2011-08", "1", T0), ("NÄT", "2011-08", "2", T0)])
    removed_at = T0 + timedelta(hours=1)
    async with conn.transaction():
        await conn.execute(
            "SELECT set_config($1, $2, true)", RECORDED_AT_SETTING, removed_at.isoformat()
        )
        await conn.execute("DELETE FROM kept.figures")
    assert await versions(conn, "figures") == [
        ("KLF", "2011-08", Decimal("1"), T0, removed_at),
        ("NÄT", "2011-08", Decimal("2"), T0, removed_at),
    ]


async def test_a_table_without_a_key_is_only_added_to_and_a_change_is_refused(
    conn: asyncpg.Connection,
) -> None:
    await conn.execute("INSERT INTO kept.notes VALUES ('KLF', 'först', $1)", T0)
    with pytest.raises(asyncpg.RaiseError, match=r"kept\.notes has no key"):
        await conn.execute("UPDATE kept.notes SET body = 'sedan'")
    assert await conn.fetchval("SELECT body FROM kept.notes") == "först"
    removed_at = T0 + timedelta(days=1)
    async with conn.transaction():
        await conn.execute(
            "SELECT set_config($1, $2, true)", RECORDED_AT_SETTING, removed_at.isoformat()
        )
        await conn.execute("DELETE FROM kept.notes")
    assert await versions(conn, "notes") == [("KLF", "först", T0, removed_at)]


async def test_a_generation_made_with_the_per_row_trigger_keeps_each_version_once(
    conn: asyncpg.Connection,
) -> None:
    # As an older generation was made: a trigger per row beside the table.
    await conn.execute(
        "DROP TRIGGER keep_replaced_versions ON kept.figures;"
        " DROP TRIGGER keep_removed_versions ON kept.figures;"
        " CREATE FUNCTION kept.figures_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN INSERT INTO kept.figures_versions VALUES (OLD.*, NEW.known_from);"
        " RETURN NULL; END $$;"
        " CREATE TRIGGER keep_version AFTER UPDATE OR DELETE ON kept.figures"
        " FOR EACH ROW EXECUTE FUNCTION kept.figures_keep_version();"
    )
    await keep_versions(conn, SCHEMA)  # as at every start
    await upsert(conn, [("KLF", "2011-08", "1", T0)])
    await upsert(conn, [("KLF", "2011-08", "2", T0 + timedelta(minutes=1))])
    assert await versions(conn, "figures") == [
        ("KLF", "2011-08", Decimal("1"), T0, T0 + timedelta(minutes=1))
    ]


async def test_a_statement_that_changes_a_rows_key_is_refused_rather_than_lose_its_version(
    conn: asyncpg.Connection,
) -> None:
    await upsert(conn, [("KLF", "2011-08", "1", T0)])
    with pytest.raises(asyncpg.RaiseError, match="1 rows replaced, 0 versions kept"):
        await conn.execute("UPDATE kept.figures SET unit_code = 'KS'")
    assert await conn.fetchval("SELECT unit_code FROM kept.figures") == "KLF"
    assert await versions(conn, "figures") == []
