"""Every version of every read-model row, so a view can show what was known at a moment.

A read-model table with a ``known_from`` column keeps each row as it was before an event
replaced it in ``<table>_versions``, with ``known_until``: when the replacing event was
recorded (a trigger per statement, made here for each table; the moment a row was known
from is filled in by plumbing/sql/projections/002_read_model_versions.sql). Beside each
generation's schema, ``<schema>_per`` holds a view per such table, with the table's name
and columns, showing the rows known at the moment in ``kommunplan.per``. A reader that puts
those schemas first on its search path (``read_as_of``) runs its queries unchanged and gets
that moment: nothing is replayed per request.

A table without ``known_from`` (a lookup keyed by event id, say) is read as it is.
"""

from datetime import datetime

from plumbing.database import Connection

RECORDED_AT_SETTING = "kommunplan.recorded_at"
PER_SETTING = "kommunplan.per"
_VERSIONS = "_versions"
# When a version was known: from known_from up to, not including, known_until (a version
# replaced by an event recorded before it, out of order, was never known).
_KNOWN = "tstzrange(known_from, greatest(known_from, known_until), '[)')"


def per_schema(schema: str) -> str:
    """The schema of ``schema``'s as-of views."""
    return f"{schema}_per"


async def keep_versions(conn: Connection, schema: str) -> None:
    """Make every table of ``schema`` with ``known_from`` keep its versions, and (re)make
    its as-of view; idempotent, run in a generation's transaction whenever its tables are."""
    tables = await conn.fetch(
        "SELECT c.table_name FROM information_schema.columns c"
        " JOIN information_schema.tables t USING (table_schema, table_name)"
        " WHERE c.table_schema = $1 AND c.column_name = 'known_from'"
        " AND t.table_type = 'BASE TABLE' AND c.table_name NOT LIKE $2"
        " ORDER BY c.table_name",
        schema,
        f"%{_VERSIONS}",
    )
    views = per_schema(schema)
    await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {views}")
    for row in tables:
        await _keep_versions_of(conn, schema, views, row["table_name"])


async def _columns(conn: Connection, schema: str, table: str) -> list[tuple[str, str]]:
    rows = await conn.fetch(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped"
        " ORDER BY a.attnum",
        schema,
        table,
    )
    return [(r["attname"], r["type"]) for r in rows]


async def _keep_versions_of(conn: Connection, schema: str, views: str, table: str) -> None:
    versions = f"{table}{_VERSIONS}"
    await conn.execute(
        f"CREATE TABLE IF NOT EXISTS {schema}.{versions} (LIKE {schema}.{table});"
        f" ALTER TABLE {schema}.{versions} ADD COLUMN IF NOT EXISTS known_until timestamptz;"
    )
    columns = await _columns(conn, schema, table)
    # A column the table gained after its versions table was made: older versions lack it.
    for name, kind in columns:
        await conn.execute(
            f'ALTER TABLE {schema}.{versions} ADD COLUMN IF NOT EXISTS "{name}" {kind}'
        )
    # The moment is filled in only where the row does not name it: a writer of many events
    # in one statement names it in every row, and then no trigger function runs at all.
    await conn.execute(
        f"CREATE OR REPLACE TRIGGER known_from BEFORE INSERT ON {schema}.{table} FOR EACH ROW"
        " WHEN (NEW.known_from IS NULL OR NEW.known_from = '-infinity')"
        " EXECUTE FUNCTION public.read_model_known_from();"
        f" CREATE OR REPLACE TRIGGER known_from_kept BEFORE UPDATE ON {schema}.{table}"
        " FOR EACH ROW WHEN (NEW.known_from IS NOT DISTINCT FROM OLD.known_from)"
        " EXECUTE FUNCTION public.read_model_known_from();"
    )
    await _keep_versions_of_statements(conn, schema, table, [name for name, _ in columns])
    # Of a row's many versions few were known at any one moment: the range index finds
    # those without reading the others.
    await conn.execute(
        f"CREATE INDEX IF NOT EXISTS {versions}_known ON {schema}.{versions} USING gist ({_KNOWN})"
    )
    names = ", ".join(f'"{name}"' for name, _ in columns)
    per = f"current_setting('{PER_SETTING}')::timestamptz"
    await conn.execute(
        f"DROP VIEW IF EXISTS {views}.{table};"
        f" CREATE VIEW {views}.{table} AS"
        f" SELECT {names} FROM {schema}.{table} WHERE known_from <= {per}"
        f" UNION ALL SELECT {names} FROM {schema}.{versions} WHERE {_KNOWN} @> {per}"
    )


_KEEP_VERSIONS = "_keep_versions"


async def _keep_versions_of_statements(
    conn: Connection, schema: str, table: str, columns: list[str]
) -> None:
    """Make each statement that replaces or removes rows of ``table`` keep them in its
    versions table, all at once.

    A trigger per row ran its insert once per replaced row, and every ledger actual that
    corrects a month replaces one: an upsert replacing 336 rows took 37.7 µs a row that
    way and 32.7 this way. Once per statement it is one insert of all the statement's
    replaced rows (its transition tables), each paired with its replacement by the table's
    key to learn when it was replaced. A table without a key (the history) is only ever
    added to, and a statement replacing its rows is refused. (Generations made before this
    had the per-row trigger ``keep_version``, calling ``<table>_keep_version()``; both are
    replaced here.)
    """
    key = await _key_of(conn, schema, table)
    function = f"{schema}.{table}{_KEEP_VERSIONS}"
    names = ", ".join(f'"{name}"' for name in columns)
    old = ", ".join(f'o."{name}"' for name in columns)
    if key is None:
        # Its rows are only ever added (the history): none is replaced, and without a key a
        # replaced row could not be paired with its replacement.
        replaced = f"   RAISE EXCEPTION '{schema}.{table} has no key: its rows are only added';"
    else:
        pairs = " AND ".join(f'o."{name}" = n."{name}"' for name in key)
        # A replaced row without its pair would lose a version: never silently. (A removed
        # row needs no pair, so only here is anything counted.)
        replaced = (
            f"   INSERT INTO {schema}.{table}{_VERSIONS} ({names}, known_until)"
            # Never a range that ends before it begins (003_read_model_version_ranges.sql).
            f"   SELECT {old}, greatest(n.known_from, o.known_from)"
            f"   FROM replaced o JOIN replacing n ON {pairs};"
            "   GET DIAGNOSTICS kept = ROW_COUNT;"
            "   IF kept <> (SELECT count(*) FROM replaced) THEN"
            f"    RAISE EXCEPTION '{schema}.{table}: % rows replaced, % versions kept',"
            "     (SELECT count(*) FROM replaced), kept;"
            "   END IF;"
        )
    # The join of two transition tables is planned without statistics; a nested loop over a
    # batch of hundreds of rows costs more than the per-row trigger did, so it is hashed.
    await conn.execute(
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql"
        " SET enable_nestloop = off SET enable_mergejoin = off AS $$"
        " DECLARE kept bigint;"
        " BEGIN"
        "  IF TG_OP = 'UPDATE' THEN"
        f"{replaced}"
        "  ELSE"
        f"   INSERT INTO {schema}.{table}{_VERSIONS} ({names}, known_until)"
        f"   SELECT {old}, greatest(current_setting('{RECORDED_AT_SETTING}')::timestamptz,"
        "    o.known_from) FROM replaced o;"
        "  END IF;"
        "  RETURN NULL;"
        " END $$"
    )
    await conn.execute(
        f"DROP TRIGGER IF EXISTS keep_version ON {schema}.{table};"
        f" DROP FUNCTION IF EXISTS {schema}.{table}_keep_version();"
        f" CREATE OR REPLACE TRIGGER keep_replaced_versions AFTER UPDATE ON {schema}.{table}"
        " REFERENCING OLD TABLE AS replaced NEW TABLE AS replacing"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        f" CREATE OR REPLACE TRIGGER keep_removed_versions AFTER DELETE ON {schema}.{table}"
        " REFERENCING OLD TABLE AS replaced"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
    )


async def _key_of(conn: Connection, schema: str, table: str) -> list[str] | None:
    """The columns that tell ``table``'s rows apart: its primary key, or else the narrowest
    unique index over plain columns that are never NULL; None when it has neither."""
    rows = await conn.fetch(
        "SELECT array_agg(a.attname ORDER BY k.n) AS columns, bool_and(a.attnotnull) AS not_null"
        " FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indrelid"
        " JOIN pg_namespace s ON s.oid = c.relnamespace"
        " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
        " WHERE s.nspname = $1 AND c.relname = $2 AND i.indisunique"
        " AND i.indpred IS NULL AND i.indexprs IS NULL"
        " GROUP BY i.indexrelid, i.indisprimary"
        " ORDER BY i.indisprimary DESC, count(*)",
        schema,
        table,
    )
    return next((list(r["columns"]) for r in rows if r["not_null"]), None)


async def read_moment(conn: Connection, per: datetime) -> None:
    """This transaction reads the read models as they stood at ``per`` (``read_as_of``)."""
    await conn.execute("SELECT set_config($1, $2, true)", PER_SETTING, per.isoformat())


async def read_as_of(conn: Connection, schemas: list[str], per: datetime | None) -> None:
    """Point this transaction's search path at ``schemas`` (then public), as they stand
    now or, with ``per`` (set by ``read_moment``), as they stood at that moment."""
    path = list(schemas)
    if per is not None:
        path = [per_schema(schema) for schema in schemas] + path
    # public last: where the generations are named, so the path can be pointed again.
    await conn.execute(f"SET LOCAL search_path TO {', '.join([*path, 'public'])}")


async def applying_event_of(conn: Connection, recorded_at: datetime | None) -> None:
    """Rows written from now on in this transaction were known from ``recorded_at``; None
    when the writer names the moment in its rows itself."""
    moment = "" if recorded_at is None else recorded_at.isoformat()
    await conn.execute("SELECT set_config($1, $2, true)", RECORDED_AT_SETTING, moment)
