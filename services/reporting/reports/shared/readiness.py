"""Which units have marked a follow-up ready for their parent (klarmarkering): the report's
own unit and each unit right under it, with who marked it and when. Read beside a report's
own rows, at the same moment, and shown on its page."""

from collections.abc import Sequence
from dataclasses import dataclass

from services.reporting.read_models.budget.tables import ReadyRow, UnitRow
from services.reporting.reports.shared.as_of import shown_moment

READY = "ready"


@dataclass(frozen=True)
class UnitReadiness:
    code: str
    name: str
    ready: bool
    marked: ReadyRow | None  # the latest marking or reopening, if any

    @property
    def words(self) -> str:
        """ "klar (Anna Andersson, 2011-09-05 10:12)", "öppnad igen (…)" or "inte klar"."""
        if self.marked is None:
            return "inte klar"
        who = self.marked.actor_name or self.marked.actor
        state = "klar" if self.ready else "öppnad igen, inte klar"
        return f"{state} ({who}, {shown_moment(self.marked.marked_at)})"


@dataclass(frozen=True)
class Readiness:
    report: str  # month_report, interim_report or annual_report
    period: str  # YYYY-MM, or the year
    unit: UnitReadiness  # the report's own unit
    children: tuple[UnitReadiness, ...]

    @property
    def ready_children(self) -> int:
        return sum(1 for child in self.children if child.ready)


def readiness(
    report: str, period: str, unit_code: str, units: Sequence[UnitRow], rows: Sequence[ReadyRow]
) -> Readiness | None:
    """The readiness of ``unit_code`` and its children; None for a unit not in the tree."""
    by_unit = {row.unit_code: row for row in rows}
    named = {unit.code: unit for unit in units}
    if unit_code not in named:
        return None

    def of(unit: UnitRow) -> UnitReadiness:
        row = by_unit.get(unit.code)
        return UnitReadiness(unit.code, unit.name, row is not None and row.state == READY, row)

    children = [u for u in units if u.parent_code == unit_code and u.closed_on is None]
    children.sort(key=lambda u: u.order)
    return Readiness(report, period, of(named[unit_code]), tuple(of(u) for u in children))
