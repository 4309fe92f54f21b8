"""Budget events into the budget's read models, with the history of every figure."""

from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar

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
    ReportMarkedReady,
    ReportReopened,
    UnitClosed,
    UnitMoved,
    UnitRegistered,
    UnitRenamed,
)
from plumbing.database import Connection
from plumbing.projection import ReceivedEvent
from plumbing.read_model_tables import Table, tables_ddl
from services.reporting.read_models import sources
from services.reporting.read_models.budget import tables
from services.reporting.read_models.budget.history import HISTORY
from services.reporting.read_models.budget.history import record as record_history
from services.reporting.read_models.budget.notes import NOTE_UPSERT
from services.reporting.read_models.budget.upserts import Upsert
from services.reporting.read_models.writers import (
    Row,
    Statement,
    Writer,
    by_event_type,
    write_in_order,
)
from services.reporting.vocabulary import MONTH_ABBREVIATIONS

Month = TypeVar("Month", ActualsRecorded, ForecastMade)
Readiness = TypeVar("Readiness", ReportMarkedReady, ReportReopened)

TABLES: tuple[Table[Any], ...] = (
    tables.UNITS,
    tables.FIGURES,
    tables.FRAME_CHANGES,
    tables.NET_INVESTMENTS,
    tables.NARRATIVES,
    tables.ACTUALS,
    tables.FORECASTS,
    HISTORY,
    tables.PROJECT_SHARES,
    tables.CAUSED_BY,
    tables.MONTH_COMMENTS,
    tables.BUDGET_PROFILES,
    tables.NOTES,
    tables.READY_MARKS,
)

DEFAULT_EXAMPLE_ACTORS = ("exempeldata",)
"""Whose events are example data unless the settings say otherwise (ServiceSettings)."""


def _example(actors: Collection[str]) -> Callable[[ReceivedEvent], bool]:
    """Whether an event was sent by one of ``actors``: example data, not the municipality's."""
    return lambda e: e.message.envelope.actor in actors


def _month_upsert(
    model: type[Month], table: Table[tables.MonthRow], actors: Collection[str]
) -> Upsert[Month]:
    """Actuals and forecasts alike: one row per unit and month, the latest replacing; each
    row says whether it is example data."""
    example = _example(actors)
    return Upsert(
        model,
        table,
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


def _month_comments(actors: Collection[str]) -> Upsert[MonthCommentWritten]:
    example = _example(actors)
    return Upsert(
        MonthCommentWritten,
        tables.MONTH_COMMENTS,
        lambda c, e: (c.unit_code, c.period, c.comment, c.measures, _comment_text(c), example(e)),
        {"text": "summary"},
    )


def _budget_profiles(actors: Collection[str]) -> Upsert[BudgetProfileSet]:
    example = _example(actors)
    return Upsert(
        BudgetProfileSet,
        tables.BUDGET_PROFILES,
        lambda p, e: (p.unit_code, p.year, *p.monthly_percent, _profile_text(p), example(e)),
        {"text": "summary"},
    )


_FIGURES = Upsert(
    FiguresSet,
    tables.FIGURES,
    lambda f, e: (
        f.unit_code,
        f.year,
        f.kind,
        f.status,
        f.revenue,
        f.costs,
        f.decision,
        f.stated_net,
        e.sequence,
    ),
    {"status": "status", "revenue": "revenue", "costs": "costs"},
    unique=4,  # each status a version of its own: proposed, adopted and revised side by side
    history_key_length=3,
)

_NET_INVESTMENTS = Upsert(
    NetInvestmentSet,
    tables.NET_INVESTMENTS,
    lambda n, _: (n.unit_code, n.year, n.kind, n.amount),
    {"amount": "amount"},
)

_NARRATIVES = Upsert(
    NarrativeWritten,
    tables.NARRATIVES,
    lambda n, _: (n.unit_code, n.year, n.section, n.text),
    {"text": "text"},
)

# A unit's text for the interim or the annual report: a section of the year's texts too.
_FOLLOW_UP_TEXTS = Upsert(
    FollowUpTextWritten,
    tables.NARRATIVES,
    lambda t, _: (t.unit_code, t.year, t.report, t.text),
    {"text": "text"},
)

READY = "ready"
REOPENED = "reopened"


def _ready_marks(model: type[Readiness], state: str) -> Upsert[Readiness]:
    """A unit's follow-up marked ready, or opened again: the latest stands."""
    return Upsert(
        model,
        tables.READY_MARKS,
        lambda r, e: (
            r.unit_code,
            r.report,
            r.period,
            state,
            e.message.envelope.actor,
            e.message.envelope.actor_name,
            e.message.envelope.recorded_at,
        ),
        {"status": "state"},
    )


# The project office's revenue from a project for a year, the later share replacing.
_PROJECT_SHARES = Upsert(
    ProjectShareSet,
    tables.PROJECT_SHARES,
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
    f"INSERT INTO {tables.CAUSED_BY.name} ({tables.CAUSED_BY.names(['event_id', 'causation_id'])})"
    " SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT (event_id) DO NOTHING"
)


class _WithCause:
    """A writer whose events also keep their cause."""

    def __init__(self, writer: Upsert[ProjectShareSet]) -> None:
        self.writer = writer

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
    tables.FRAME_CHANGES,
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


def _unit_update(columns: str) -> str:
    """Set ``columns`` ($2, $3, …) of the unit whose code is $1."""
    names = columns.split(", ")
    sets = ", ".join(f"{name} = ${i}" for i, name in enumerate(names, start=2))
    return f"UPDATE {tables.UNITS.name} SET {sets} WHERE code = $1"


_REGISTERED_COLUMNS = tables.UNITS.names(
    ["code", "name", "kind", "parent_code", "manager_title", "manager_name", "order", "opened_on"]
)

_TREE = (
    Statement(
        UnitRegistered,
        f"INSERT INTO {tables.UNITS.name} ({_REGISTERED_COLUMNS})"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        lambda u, e: (
            u.unit_code,
            u.name,
            u.kind,
            u.parent_code,
            u.manager_title,
            u.manager_name,
            e.sequence,
            u.effective_on,
        ),
    ),
    Statement(UnitRenamed, _unit_update("name"), lambda u, _: (u.unit_code, u.name)),
    Statement(UnitMoved, _unit_update("parent_code"), lambda u, _: (u.unit_code, u.parent_code)),
    Statement(
        UnitClosed,
        f"UPDATE {tables.UNITS.name} SET closed_on = $2::date WHERE code = $1",
        lambda u, _: (u.unit_code, u.effective_on),
    ),
    Statement(
        ManagerAppointed,
        _unit_update("manager_title, manager_name"),
        lambda m, _: (m.unit_code, m.manager_title, m.manager_name),
    ),
)


def _writers_for(example_actors: Collection[str]) -> dict[str, Writer]:
    return by_event_type(
        [
            _FIGURES,
            _month_upsert(ActualsRecorded, tables.ACTUALS, example_actors),
            _month_upsert(ForecastMade, tables.FORECASTS, example_actors),
            _NET_INVESTMENTS,
            _NARRATIVES,
            _FOLLOW_UP_TEXTS,
            _FRAME_CHANGES,
            _WithCause(_PROJECT_SHARES),
            _month_comments(example_actors),
            _budget_profiles(example_actors),
            NOTE_UPSERT,
            _ready_marks(ReportMarkedReady, READY),
            _ready_marks(ReportReopened, REOPENED),
            *_TREE,
        ]
    )


class BudgetProjection:
    """``example_actors``: the actors whose actuals, forecasts, comments and profiles are
    example data; each such row is marked so."""

    name = sources.BUDGET
    tables_sql = tables_ddl(TABLES)
    # The default's, for a subclass that does not call __init__.
    _writers = _writers_for(DEFAULT_EXAMPLE_ACTORS)

    def __init__(self, example_actors: Collection[str] = DEFAULT_EXAMPLE_ACTORS) -> None:
        self._writers = _writers_for(frozenset(example_actors))

    async def apply(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        await record_history(conn, await write_in_order(conn, self._writers, events))
