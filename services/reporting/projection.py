"""Budget events into the reporting read models."""

import functools
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import groupby
from typing import Any, Generic, Protocol, TypeVar

from contracts.budget.events import (
    ActualsRecorded,
    BudgetProfileSet,
    FiguresSet,
    FollowUpTextWritten,
    ForecastMade,
    FrameChanged,
    ManagerAppointed,
    MonthCommentWritten,
    NarrativeWritten,
    NetInvestmentSet,
    ProjectShareSet,
    UnitClosed,
    UnitMoved,
    UnitRegistered,
    UnitRenamed,
)
from contracts.envelope import Event
from plumbing.database import Connection
from plumbing.projection import ReceivedEvent
from plumbing.read_model_versions import applying_event_of
from services.reporting.history_record import VALUE_FIELDS, Value, history_rows
from services.reporting.history_record import record as record_history

Row = tuple[Any, ...]

# Constrained, not bound to the union: mypy then reads model_validate of each as that type.
F = TypeVar(
    "F",
    FiguresSet,
    ActualsRecorded,
    ForecastMade,
    FrameChanged,
    NetInvestmentSet,
    NarrativeWritten,
    ProjectShareSet,
    MonthCommentWritten,
    BudgetProfileSet,
    FollowUpTextWritten,
)
E = TypeVar("E", bound=Event)
Month = TypeVar("Month", ActualsRecorded, ForecastMade)


class Writer(Protocol):
    """Writes one event type's batch into the read models; returns its history rows."""

    @property
    def event_type(self) -> str: ...

    async def write(self, conn: Connection, events: Sequence[ReceivedEvent]) -> list[Row]: ...


@dataclass(frozen=True)
class Upsert(Generic[F]):
    """A read model written by one event type: a row per key, the latest replacing.

    ``shown`` names, per field of the history's Value, the column it comes from; its
    old value is read from the table before the upsert.
    """

    model: type[F]
    table: str
    # (name, PostgreSQL type), keys first; known_from, the event's recorded time, follows.
    own_columns: tuple[tuple[str, str], ...]
    key_length: int
    to_row: Callable[[F, ReceivedEvent], Row]
    shown: Mapping[str, str]
    replaces: bool = True  # False: a new row per event (keyed by event id), none replaced
    # How much of the key the history follows, when less than the whole: a figure's versions
    # (proposed, adopted, revised) are rows of their own, but each changes the same figure.
    history_key_length: int | None = None

    @property
    def event_type(self) -> str:
        return self.model.event_type

    @property
    def _followed(self) -> int:
        return self.history_key_length or self.key_length

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        return (*self.own_columns, ("known_from", "timestamptz"))

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

    async def current(self, conn: Connection, keys: Sequence[Row]) -> dict[Hashable, Value]:
        """The values the read model holds for ``keys`` now, before the batch writes them."""
        if not self.replaces or not keys:
            return {}
        found = await conn.fetch(self._lookup_sql, *map(list, zip(*keys, strict=True)))
        return {
            tuple(r)[: self._followed]: Value(
                **dict(zip(self.shown, tuple(r)[self._followed :], strict=True))
            )
            for r in found
        }

    async def write(self, conn: Connection, events: Sequence[ReceivedEvent]) -> list[Row]:
        """Upsert the events' rows; return their history rows.

        Each payload is read as its contract model once, here, for the row and the history
        alike; one that does not validate fails the batch, and the runner parks it.
        """
        read = [self.model.model_validate(e.payload) for e in events]
        rows = [_known_from(self.to_row(m, e), e) for m, e in zip(read, events, strict=True)]
        before = await self.current(conn, list({row[: self._followed] for row in rows}))
        for round_ in _rounds(rows, self.key_length):
            await conn.execute(self.sql, *map(list, zip(*round_, strict=True)))
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
        return []  # the tree has no history of its own


DEFAULT_EXAMPLE_ACTORS = ("exempeldata",)
"""Whose events are example data unless the settings say otherwise (ServiceSettings)."""


def _example(actors: Collection[str]) -> Callable[[ReceivedEvent], bool]:
    """Whether an event was sent by one of ``actors``: example data, not the municipality's."""
    return lambda e: e.message.envelope.actor in actors


def _month_upsert(
    model: type[Month], table: str, actors: Collection[str] = DEFAULT_EXAMPLE_ACTORS
) -> Upsert[Month]:
    """Actuals and forecasts alike: one row per unit and month, the latest replacing; each
    row says whether it is example data."""
    example = _example(actors)
    return Upsert(
        model,
        table,
        (
            ("unit_code", "text"),
            ("period", "text"),
            ("revenue", "numeric"),
            ("costs", "numeric"),
            ("example_data", "boolean"),
        ),
        2,
        lambda m, e: (m.unit_code, m.period, m.revenue, m.costs, example(e)),
        {"revenue": "revenue", "costs": "costs"},
    )


def _comment_text(comment: MonthCommentWritten) -> str:
    """The comment and its measures as one text, for the history."""
    if comment.measures is None:
        return comment.comment
    return f"{comment.comment}\n\nÅtgärder: {comment.measures}"


def _profile_text(profile: BudgetProfileSet) -> str:
    """The profile as the history shows it: "jan 8 %, feb 8 %, …"."""
    return ", ".join(
        f"{month} {format(percent, 'f').replace('.', ',')} %"
        for month, percent in zip(MONTH_ABBREVIATIONS, profile.monthly_percent, strict=True)
    )


# A numeric column per month (unnest cannot carry an array per row): percent_01 … percent_12.
PROFILE_COLUMNS = tuple(f"percent_{month:02d}" for month in range(1, 13))

MONTH_ABBREVIATIONS = (
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"
)  # fmt: skip


def _month_comments(actors: Collection[str]) -> Upsert[MonthCommentWritten]:
    example = _example(actors)
    return Upsert(
        MonthCommentWritten,
        "month_comments",
        (
            ("unit_code", "text"),
            ("period", "text"),
            ("comment", "text"),
            ("measures", "text"),
            ("summary", "text"),
            ("example_data", "boolean"),
        ),
        2,
        lambda c, e: (c.unit_code, c.period, c.comment, c.measures, _comment_text(c), example(e)),
        {"text": "summary"},
    )


def _budget_profiles(actors: Collection[str]) -> Upsert[BudgetProfileSet]:
    example = _example(actors)
    return Upsert(
        BudgetProfileSet,
        "budget_profiles",
        (
            ("unit_code", "text"),
            ("year", "int"),
            *((column, "numeric") for column in PROFILE_COLUMNS),
            ("summary", "text"),
            ("example_data", "boolean"),
        ),
        2,
        lambda p, e: (p.unit_code, p.year, *p.monthly_percent, _profile_text(p), example(e)),
        {"text": "summary"},
    )


_FIGURES = Upsert(
    FiguresSet,
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
    4,  # each status a version of its own: proposed, adopted and revised side by side
    lambda f, _: (f.unit_code, f.year, f.kind, f.status, f.revenue, f.costs, f.decision),
    {"status": "status", "revenue": "revenue", "costs": "costs"},
    history_key_length=3,
)

_NET_INVESTMENTS = Upsert(
    NetInvestmentSet,
    "net_investments",
    (("unit_code", "text"), ("year", "int"), ("kind", "text"), ("amount", "numeric")),
    3,
    lambda n, _: (n.unit_code, n.year, n.kind, n.amount),
    {"amount": "amount"},
)

_NARRATIVES = Upsert(
    NarrativeWritten,
    "narratives",
    (("unit_code", "text"), ("year", "int"), ("section", "text"), ("text", "text")),
    3,
    lambda n, _: (n.unit_code, n.year, n.section, n.text),
    {"text": "text"},
)

# A unit's text for the interim or the annual report: a section of the year's texts too.
_FOLLOW_UP_TEXTS = Upsert(
    FollowUpTextWritten,
    "narratives",
    _NARRATIVES.own_columns,
    3,
    lambda t, _: (t.unit_code, t.year, t.report, t.text),
    {"text": "text"},
)

# The project office's revenue from a project for a year, the later share replacing.
_PROJECT_SHARES = Upsert(
    ProjectShareSet,
    "project_shares",
    (
        ("unit_code", "text"),
        ("year", "int"),
        ("project_code", "text"),
        ("project_budget", "numeric"),
        ("revenue", "numeric"),
        ("event_id", "uuid"),
    ),
    3,
    lambda p, e: (
        p.unit_code,
        p.year,
        p.project_code,
        p.project_budget,
        p.revenue,
        e.message.envelope.event_id,
    ),
    {"revenue": "revenue", "amount": "project_budget"},
)

# What caused an event another service's event led to (a share: the projects event), for
# the history to name; the envelope's causation id.
_CAUSED_BY_SQL = (
    "INSERT INTO caused_by (event_id, causation_id)"
    " SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT (event_id) DO NOTHING"
)


@dataclass(frozen=True)
class _WithCause:
    """A writer whose events also keep their cause."""

    writer: Upsert[ProjectShareSet]

    @property
    def event_type(self) -> str:
        return self.writer.event_type

    async def write(self, conn: Connection, events: Sequence[ReceivedEvent]) -> list[Row]:
        history = await self.writer.write(conn, events)
        envelopes = [e.message.envelope for e in events]
        await conn.execute(
            _CAUSED_BY_SQL,
            [envelope.event_id for envelope in envelopes],
            [envelope.causation_id for envelope in envelopes],
        )
        return history


_FRAME_CHANGES = Upsert(
    FrameChanged,
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
    lambda f, e: (
        e.message.envelope.event_id,
        f.unit_code,
        f.year,
        f.amount,
        f.reasons,
        f.decision,
        e.sequence,
    ),
    {"amount": "amount", "text": "reasons"},
    replaces=False,
)

_TREE = (
    Statement(
        UnitRegistered,
        "INSERT INTO units (code, name, kind, parent_code, manager_title, manager_name, ord)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        lambda u, e: (
            u.unit_code,
            u.name,
            u.kind,
            u.parent_code,
            u.manager_title,
            u.manager_name,
            e.sequence,
        ),
    ),
    Statement(
        UnitRenamed,
        "UPDATE units SET name = $2 WHERE code = $1",
        lambda u, _: (u.unit_code, u.name),
    ),
    Statement(
        UnitMoved,
        "UPDATE units SET parent_code = $2 WHERE code = $1",
        lambda u, _: (u.unit_code, u.parent_code),
    ),
    Statement(
        UnitClosed,
        "UPDATE units SET closed_on = $2::date WHERE code = $1",
        lambda u, _: (u.unit_code, u.effective_on),
    ),
    Statement(
        ManagerAppointed,
        "UPDATE units SET manager_title = $2, manager_name = $3 WHERE code = $1",
        lambda m, _: (m.unit_code, m.manager_title, m.manager_name),
    ),
)


def _writers_for(example_actors: Collection[str]) -> dict[str, Writer]:
    writers: tuple[Writer, ...] = (
        _FIGURES,
        _month_upsert(ActualsRecorded, "actuals", example_actors),
        _month_upsert(ForecastMade, "forecasts", example_actors),
        _NET_INVESTMENTS,
        _NARRATIVES,
        _FOLLOW_UP_TEXTS,
        _FRAME_CHANGES,
        _WithCause(_PROJECT_SHARES),
        _month_comments(example_actors),
        _budget_profiles(example_actors),
        *_TREE,
    )
    return {writer.event_type: writer for writer in writers}


class BudgetProjection:
    """``example_actors``: the actors whose actuals, forecasts, comments and profiles are
    example data; each such row is marked so."""

    name = "reporting"
    tables_sql = resources.files("services.reporting").joinpath("tables.sql").read_text("utf-8")
    # The default's, for a subclass that does not call __init__.
    _writers = _writers_for(DEFAULT_EXAMPLE_ACTORS)

    def __init__(self, example_actors: Collection[str] = DEFAULT_EXAMPLE_ACTORS) -> None:
        self._writers = _writers_for(frozenset(example_actors))

    async def apply(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        history: list[Row] = []
        for event_type, run in groupby(events, key=lambda e: e.event_type):
            writer = self._writers.get(event_type)
            # Event types this projection does not read are skipped on purpose.
            if writer is not None:
                history.extend(await writer.write(conn, list(run)))
        await record_history(conn, history)
