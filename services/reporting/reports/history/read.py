"""Reading a unit's history from the budget's read models."""

from typing import Any

from contracts.write_services import WRITE_SERVICES
from plumbing.read_models import ReadModels, ReadSession
from services.reporting.read_models.budget.history import (
    ENTRY_COLUMNS,
    VALUE_FIELDS,
    Value,
    history_of,
)
from services.reporting.read_models.budget.queries import unit_name
from services.reporting.read_models.goals.measurement_history import measurements_of_year
from services.reporting.read_models.projects.status_report_history import status_reports_of_year
from services.reporting.read_models.sources import BUDGET, GOALS_WITH_UNITS, PROJECTS_WITH_UNITS
from services.reporting.reports.history.builder import HistoryEntry, HistoryView, build_history
from services.reporting.reports.history.follow_ups import follow_up_entries
from services.reporting.reports.shared.refusals import UnknownUnit

# The senders whose commands carry the event that caused them (a process manager's).
_SERVICES = frozenset(service.name for service in WRITE_SERVICES)


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
        **{name: row[name] for name in ENTRY_COLUMNS},
        old=_value(row, "old"),
        new=new,
        caused_by=_caused_by(row),
    )


async def unit_history(models: ReadModels, unit_code: str, year: int, drafts: bool) -> HistoryView:
    """Every change of ``unit_code``'s figures for ``year``; ``drafts``: proposed ones too.

    Raises UnknownUnit when there is no such unit, NotReady before any read model exists.
    """

    async def read(session: ReadSession) -> HistoryView:
        name = await unit_name(session, unit_code)
        if name is None:
            raise UnknownUnit(unit_code)
        entries = [_entry(r) for r in await history_of(session, unit_code, year)]
        parked, _ = await session.parked_counts()
        measurements = (
            await measurements_of_year(session, unit_code, year)
            if await session.use(GOALS_WITH_UNITS)
            else []
        )
        reports = (
            await status_reports_of_year(session, unit_code, year)
            if await session.use(PROJECTS_WITH_UNITS)
            else []
        )
        follow_ups = follow_up_entries(measurements, reports)
        return build_history(
            unit_code, name, year, entries, drafts=drafts, parked=parked, follow_ups=follow_ups
        )

    return await models.read(read, (BUDGET,))
