"""The interim and annual reports' projects."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from services.reporting.read_models.budget.tables import (
    UnitName,
)
from services.reporting.read_models.projects.tables import ProjectRow, ProjectsInput
from services.reporting.reports.period_report.builder import (
    PROJECTS_NOT_LOADED,
)
from services.reporting.reports.projects.register import (
    Register,
    RegisterFilters,
    RegisterRow,
    build_register,
    covers,
)

# --- projects -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectsSection:
    register: Register | None
    empty: str | None

    @property
    def rows(self) -> tuple[RegisterRow, ...]:
        return () if self.register is None else self.register.rows


def _in_year(project: ProjectRow, budget_years: Sequence[int], year: int) -> bool:
    """Kept unless its planned period and budgets put it wholly outside ``year``; a project
    that states neither is kept."""
    if not budget_years and project.planned_start is None and project.planned_end is None:
        return True
    return covers(project, budget_years, year)


def _projects_section(
    data: ProjectsInput | None, root: UnitName, year: int, last_period: str
) -> ProjectsSection:
    if data is None:
        return ProjectsSection(None, PROJECTS_NOT_LOADED)
    reported = [r for r in data.status_reports if r.period <= last_period]
    budget_years: dict[str, list[int]] = {}
    for budget in data.budgets:
        budget_years.setdefault(budget.project_code, []).append(budget.year)
    kept = [p for p in data.projects if _in_year(p, budget_years.get(p.project_code, []), year)]
    if any(unit.code == root.code for unit in data.units):
        register = build_register(
            dataclasses.replace(data, projects=kept, status_reports=reported),
            RegisterFilters(unit_code=root.code),
        )
    else:
        register = Register(())
    empty = None
    if not register.rows:
        empty = f"Inga projekt är registrerade för {root.name} och enheterna under år {year}."
    return ProjectsSection(register, empty)
