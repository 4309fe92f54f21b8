"""The interim and annual reports' goal attainment per perspective and their projects."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from contracts.goals.fields import FollowUp
from services.reporting.read_models.budget.tables import (
    UnitName,
)
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.read_models.projects.tables import ProjectRow, ProjectsInput
from services.reporting.reports.goals.builder import period_key
from services.reporting.reports.goals.view import CommitmentView, GoalsView, build_goals_view
from services.reporting.reports.period_report.builder import (
    _FOLLOW_UP_LABELS,
    GOALS_NOT_LOADED,
    PROJECTS_NOT_LOADED,
    ReportKind,
)
from services.reporting.reports.projects.register import (
    Register,
    RegisterFilters,
    RegisterRow,
    build_register,
    covers,
)
from services.reporting.reports.shared.attainment import Attainment

# --- goal attainment ------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    met: int = 0
    partly_met: int = 0
    not_met: int = 0
    not_measured: int = 0

    def plus(self, attained: Attainment) -> Counts:
        field = _COUNTED[attained]
        return dataclasses.replace(self, **{field: getattr(self, field) + 1})

    @property
    def total(self) -> int:
        return self.met + self.partly_met + self.not_met + self.not_measured


_COUNTED = {
    Attainment.MET: "met",
    Attainment.PARTLY_MET: "partly_met",
    Attainment.NOT_MET: "not_met",
    Attainment.NOT_MEASURED: "not_measured",
}


@dataclass(frozen=True)
class PerspectiveAttainment:
    perspective_id: str
    name: str  # with its parent: "Tvärfrågor – Folkhälsa"
    total: Counts
    women: Counts | None  # None when no commitment of it is measured by gender
    men: Counts | None
    commitments: tuple[CommitmentView, ...]


@dataclass(frozen=True)
class GoalsSection:
    follow_up: str  # the cadence's Swedish label: "Delår"
    perspectives: tuple[PerspectiveAttainment, ...]
    view: GoalsView | None  # the goals view the counts come from
    empty: str | None


def _until(data: GoalsInput, follow_up: FollowUp, end: tuple[int, int, int]) -> GoalsInput:
    """The commitments of ``follow_up`` with the values of periods up to ``end`` only."""
    return dataclasses.replace(
        data,
        commitments=[c for c in data.commitments if follow_up.value in c.follow_up],
        measurements=[m for m in data.measurements if period_key(m.period) <= end],
        measurement_history=[m for m in data.measurement_history if period_key(m.period) <= end],
        assessments=[a for a in data.assessments if period_key(a.period) <= end],
    )


def _perspective(commitments: Sequence[CommitmentView]) -> PerspectiveAttainment:
    total, women, men = Counts(), Counts(), Counts()
    by_gender = False
    for c in commitments:
        total = total.plus(c.attainment.total)
        if c.attainment.women is not None and c.attainment.men is not None:
            by_gender = True
            women = women.plus(c.attainment.women)
            men = men.plus(c.attainment.men)
    first = commitments[0]
    return PerspectiveAttainment(
        first.perspective_id,
        first.perspective,
        total,
        women if by_gender else None,
        men if by_gender else None,
        tuple(commitments),
    )


def _goals_section(
    data: GoalsInput | None, root: UnitName, year: int, end: tuple[int, int, int], kind: ReportKind
) -> GoalsSection:
    label = _FOLLOW_UP_LABELS[kind.follow_up]
    if data is None:
        return GoalsSection(label, (), None, GOALS_NOT_LOADED)
    view = build_goals_view(_until(data, kind.follow_up, end), root, year)
    grouped: dict[str, list[CommitmentView]] = {}
    for commitment in view.commitments:
        grouped.setdefault(commitment.perspective_id, []).append(commitment)
    perspectives = tuple(_perspective(found) for found in grouped.values())
    empty = None
    if not perspectives:
        empty = (
            f"{root.name} och enheterna under har inga åtaganden {year} som följs upp"
            f" i {kind.definite} ({label})."
        )
    return GoalsSection(label, perspectives, view, empty)


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
