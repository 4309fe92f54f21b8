"""The read-model tables made from their declarations are the tables the hand-written DDL
made before (kept in read_model_ddl/), so generations made by either serve alike; and the
declarations' DDL runs again over a generation made by the old DDL without a change."""

from pathlib import Path

import asyncpg
import pytest

from services.reporting.read_models.budget.projection import BudgetProjection
from services.reporting.read_models.goals.projection import GoalsProjection
from services.reporting.read_models.projects.projection import ProjectsProjection

BEFORE = Path(__file__).parent / "read_model_ddl"

CASES = [
    (BudgetProjection.tables_sql, "tables.sql"),
    (GoalsProjection.tables_sql, "goals_tables.sql"),
    (ProjectsProjection.tables_sql, "projects_tables.sql"),
]

_CATALOG = """
SELECT 'column', c.relname, a.attnum::text || ' ' || a.attname || ' '
       || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' '
       || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'index', tablename, replace(indexdef, $1 || '.', '') FROM pg_indexes WHERE schemaname = $1
UNION ALL
SELECT 'constraint', c.relname, k.conname || ' ' || pg_get_constraintdef(k.oid)
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
ORDER BY 1, 2, 3
"""


async def _catalog(conn: asyncpg.Connection, schema: str, *ddl: str) -> list[tuple[str, ...]]:
    await conn.execute(f"CREATE SCHEMA {schema}")
    async with conn.transaction():
        await conn.execute(f"SET LOCAL search_path TO {schema}")
        for statements in ddl:
            await conn.execute(statements)
    return [tuple(r) for r in await conn.fetch(_CATALOG, schema)]


@pytest.mark.parametrize(("declared", "file"), CASES)
async def test_declared_tables_are_the_tables_of_before(
    reporting_database: str, declared: str, file: str
) -> None:
    before = (BEFORE / file).read_text("utf-8")
    conn = await asyncpg.connect(reporting_database)
    try:
        old = await _catalog(conn, "made_before", before)
        new = await _catalog(conn, "made_now", declared)
        # A generation made before, brought up to date at start, is left as it was.
        again = await _catalog(conn, "made_before_then_now", before, declared)
    finally:
        await conn.close()
    assert new == old
    assert again == old
