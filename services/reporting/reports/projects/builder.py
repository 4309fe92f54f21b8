"""Projects as the plan lists them ("Kommunstyrelsens pågående alternativt nya projekt"), the
project register (/projekt) and the project page (/projekt/{code}).

Pure: rows in, views out, no I/O. The rows are those of the projects read models, with the
organisation tree and the project office's shares from the budget projection and the linked
result goals from the goals projection, read by services.reporting.queries. Nothing is
invented: a fact the events do not state is None and the views show nothing for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contracts.projects.fields import Light, ProjectStatus
from services.reporting.read_models.budget.tables import UnitNode
from services.reporting.read_models.projects.tables import (
    ManagerRow,
    ProjectRow,
    StatusReportRow,
)
from services.reporting.vocabulary import LIGHT_LABELS, MONTH_NAMES, PROJECT_STATUS_LABELS

# The plan's two lists: those under way, and those about to start.
ONGOING = (ProjectStatus.ONGOING, ProjectStatus.PAUSED)
NEW = (ProjectStatus.PROPOSED, ProjectStatus.DECIDED)
FIRST_YEAR, LAST_YEAR = 1990, 2100


def status_label(status: str) -> str:
    try:
        return PROJECT_STATUS_LABELS[ProjectStatus(status)]
    except ValueError:
        return status


def light_label(light: str) -> str:
    try:
        return LIGHT_LABELS[Light(light)]
    except ValueError:
        return light


def period_words(period: str) -> str:
    """ "2011-03" → "mars 2011"."""
    year, month = int(period[:4]), int(period[5:7])
    return f"{MONTH_NAMES[month - 1]} {year}"


def genitive(name: str) -> str:
    """Swedish genitive: "Kommunstyrelsen" → "Kommunstyrelsens"; a name ending in s, x or z
    takes none ("Kultur och fritids" stays)."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


# --- input rows, filled from the read models by another module ---------------------------


def _group(rows: Iterable[Any], attribute: str = "project_code") -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, attribute), []).append(row)
    return grouped


def subtree(units: Sequence[UnitNode], unit_code: str) -> set[str]:
    """``unit_code`` and every unit under it (a cycle in bad data ends)."""
    children = _group(units, "parent_code")
    found: set[str] = set()
    waiting = [unit_code]
    while waiting:
        code = waiting.pop()
        if code in found:
            continue
        found.add(code)
        waiting.extend(child.code for child in children.get(code, []))
    return found


# --- what the register and the page share --------------------------------------------------


# A status report's lights (schedule, cost, quality) with its period, text and reporter: the
# report as its read model holds it.
Lights = StatusReportRow


@dataclass(frozen=True)
class Managers:
    manager: str | None
    acting: str | None  # a substitute while the manager is away


def managers_of(project: ProjectRow, changes: Sequence[ManagerRow]) -> Managers:
    """The manager: the latest who is not acting, else the one registered; the acting
    manager: one named after that, until a manager who is not acting is named again."""
    manager, acting = project.project_manager, None
    for change in sorted(changes, key=lambda c: c.order):
        if change.acting:
            acting = change.project_manager
        else:
            manager, acting = change.project_manager, None
    return Managers(manager, acting)


def latest_report(reports: Sequence[StatusReportRow]) -> Lights | None:
    if not reports:
        return None
    return max(reports, key=lambda r: (r.period, r.order))


def _sum(amounts: Sequence[Decimal]) -> Decimal | None:
    return sum(amounts, Decimal(0)) if amounts else None
