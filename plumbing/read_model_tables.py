"""A read-model table declared once: its row type names its columns, and its DDL, the
column lists its writers insert and the select lists its readers read all follow from it.

A row type is a frozen dataclass; each field is a column of the same name, its PostgreSQL
type following from the Python type (``| None``: nullable) unless ``Sql`` in the field's
``Annotated`` says otherwise (another type, another column name, a default). Columns that
are written but never read into a row (an event id that keeps a row once) are declared
beside the row as ``Column``s. Every table gets ``known_from`` here, the moment each row
was known (plumbing.read_model_versions), so no table declares it.

The DDL is idempotent (``IF NOT EXISTS``): it runs in every new generation and again in
the active one at start, so that a table or column added later reaches generations made
before it. A column with a default is also added to a table that lacks it.
"""

import dataclasses
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

R = TypeVar("R")
T = TypeVar("T")


@dataclass(frozen=True)
class Sql:
    """How a row's field is stored, where its Python type does not say it all."""

    type: str | None = None
    name: str | None = None  # the column's name, where the field's is a word SQL keeps
    default: str | None = None


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool = False
    default: str | None = None
    field: str | None = None  # the row's field holding it; None: written, not read

    def ddl(self) -> str:
        null = "" if self.nullable else " NOT NULL"
        default = "" if self.default is None else f" DEFAULT {self.default}"
        return f"{self.name} {self.type}{null}{default}"


Ord = Annotated[int, Sql("bigint", name="ord")]
"""The event's stream sequence: the order things were registered in, for stable sorting."""

BigInt = Annotated[int, Sql("bigint")]

# What each Python type is stored as.
_TYPES: dict[Any, str] = {
    str: "text",
    int: "integer",
    Decimal: "numeric",
    bool: "boolean",
    date: "date",
    datetime: "timestamptz",
    UUID: "uuid",
}

KNOWN_FROM = Column("known_from", "timestamptz", default="'-infinity'")
"""Since when a row was known: its event's recorded time; '-infinity' only for rows of a
generation made before the column existed."""

EVENT_ID = Column("event_id", "uuid")
"""The id of the event a row stands for, where a table keeps a row per event."""


def _column(name: str, hint: Any) -> Column:
    sql = Sql()
    if typing.get_origin(hint) is Annotated:
        hint, *extras = typing.get_args(hint)
        sql = next((extra for extra in extras if isinstance(extra, Sql)), sql)
    nullable = False
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        nullable, hint = len(args) < len(typing.get_args(hint)), args[0]
    kind = sql.type
    if kind is None:
        origin = typing.get_origin(hint)
        if origin is not None:  # a sequence: an array of its items' type
            kind = f"{_TYPES[typing.get_args(hint)[0]]}[]"
        else:
            kind = _TYPES[hint]
    return Column(sql.name or name, kind, nullable, sql.default, field=name)


def row_columns(row: type[Any]) -> tuple[Column, ...]:
    """The columns ``row``'s fields declare, in their order; worked out once per row type,
    as a view's every query lists them."""
    found = _ROW_COLUMNS.get(row)
    if found is None:
        hints = typing.get_type_hints(row, include_extras=True)
        found = tuple(_column(f.name, hints[f.name]) for f in dataclasses.fields(row))
        _ROW_COLUMNS[row] = found
    return found


_ROW_COLUMNS: dict[type[Any], tuple[Column, ...]] = {}


@dataclass(frozen=True)
class Table(Generic[R]):
    """A read-model table: ``row`` names what readers read; ``first`` and ``last``, the
    columns only writers write, before and after the row's; ``key``, the primary key."""

    name: str
    row: type[R] | None  # None: no row type reads it whole (``first`` names its columns)
    key: tuple[str, ...] = ()
    first: tuple[Column, ...] = ()
    last: tuple[Column, ...] = ()
    indexes: tuple[tuple[str, str], ...] = ()  # each: its name and its columns
    # Statements that bring a generation made before a change of this table in line.
    upgrades: tuple[str, ...] = ()
    versioned: bool = True  # keeps known_from, so every version of its rows
    # Fields of ``row`` the table gained after known_from, in the order gained: they stand
    # after it, where ALTER TABLE puts them in a generation made before.
    added: tuple[str, ...] = ()

    @property
    def row_columns(self) -> tuple[Column, ...]:
        return () if self.row is None else row_columns(self.row)

    @property
    def columns(self) -> tuple[Column, ...]:
        """Every column, known_from last but for the ones added after it."""
        row = self.row_columns
        late = tuple(c for name in self.added for c in row if c.field == name)
        early = tuple(c for c in row if c.field not in self.added)
        written = (*self.first, *early, *self.last)
        return (*written, KNOWN_FROM, *late) if self.versioned else (*written, *late)

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if field in (c.field, c.name))

    def names(self, fields: Sequence[str]) -> str:
        """The column names of ``fields`` (or columns), comma-separated."""
        return ", ".join(self.column(name).name for name in fields)

    @property
    def ddl(self) -> str:
        lines = [c.ddl() for c in self.columns]
        if self.key:
            lines.append(f"PRIMARY KEY ({', '.join(self.key)})")
        body = ",\n    ".join(lines)
        statements = [f"CREATE TABLE IF NOT EXISTS {self.name} (\n    {body}\n);"]
        statements.extend(
            f"ALTER TABLE {self.name} ADD COLUMN IF NOT EXISTS {c.ddl()};"
            for c in self.columns
            if c.default is not None or c.field in self.added
        )
        statements.extend(self.upgrades)
        statements.extend(
            f"CREATE INDEX IF NOT EXISTS {name} ON {self.name} ({columns});"
            for name, columns in self.indexes
        )
        return "\n".join(statements)

    def select(self, row: type[Any] | None = None, alias: str = "") -> str:
        """The select list of ``row`` (by default the table's own; another row type reads
        some of its fields), each column named as its field; ``alias``: the table's."""
        prefix = f"{alias}." if alias else ""
        listed = []
        read: Any = row or self.row
        assert read is not None
        for field in dataclasses.fields(read):
            stored = self.column(field.name)
            named = "" if stored.name == field.name else f' AS "{field.name}"'
            listed.append(f"{prefix}{stored.name}{named}")
        return ", ".join(listed)

    def rows(self, records: Sequence[Any]) -> list[R]:
        """``records``, read with ``select()``, as rows."""
        assert self.row is not None
        return rows_of(self.row, records)


def tables_ddl(tables: Sequence[Table[Any]]) -> str:
    """The DDL of ``tables``, in order: a projection's ``tables_sql``."""
    return "\n".join(table.ddl for table in tables)


def rows_of(row: type[T], records: Sequence[Any]) -> list[T]:
    """``records``, read with a table's ``select(row)``, as ``row``s. Records whose columns
    are the row's fields in their order (as ``select`` lists them) are made a row by
    position, which a view of thousands of rows pays for much less than by name."""
    if not records:
        return []
    fields = dataclasses.fields(row)  # type: ignore[arg-type]
    names = tuple(field.name for field in fields if field.init and not field.kw_only)
    if len(names) == len(fields) and tuple(records[0].keys()) == names:
        return [row(*r) for r in records]
    return [row(**dict(r)) for r in records]
