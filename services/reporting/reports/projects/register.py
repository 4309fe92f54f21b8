"""The project register (/projekt): every project with its budget, financing and latest lights,
filtered by status, unit and year."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from contracts.projects.fields import ProjectStatus
from services.reporting.read_models.projects.tables import (
    ProjectRow,
    ProjectsInput,
)
from services.reporting.reports.projects.builder import (
    FIRST_YEAR,
    LAST_YEAR,
    Lights,
    Managers,
    _group,
    _sum,
    latest_report,
    managers_of,
    status_label,
    subtree,
)
from services.reporting.reports.shared.refusals import UnknownFilter
from services.reporting.vocabulary import PROJECT_STATUS_LABELS

# --- the register --------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    status: ProjectStatus | None = None
    unit_code: str | None = None
    year: int | None = None

    @classmethod
    def parse(cls, status: str | None, unit_code: str | None, year: str | None) -> RegisterFilters:
        """From the query's words; an unknown one is refused in Swedish (UnknownFilter).
        A status is named by its code or its Swedish label."""
        chosen = None
        if status is not None:
            by_label = {label: s for s, label in PROJECT_STATUS_LABELS.items()}
            chosen = by_label.get(status.strip().lower())
            if chosen is None:
                try:
                    chosen = ProjectStatus(status.strip().lower())
                except ValueError:
                    known = ", ".join(
                        f"{s.value} ({label})" for s, label in PROJECT_STATUS_LABELS.items()
                    )
                    raise UnknownFilter(f"status={status} finns inte; välj en av {known}") from None
        as_year = None
        if year is not None:
            text = year.strip()
            if not (text.isascii() and text.isdigit()) or not (
                FIRST_YEAR <= int(text) <= LAST_YEAR
            ):
                raise UnknownFilter(
                    f"ar={year} är inget år; ange ett år mellan {FIRST_YEAR} och {LAST_YEAR}"
                )
            as_year = int(text)
        return cls(chosen, unit_code or None, as_year)

    @property
    def query(self) -> dict[str, str]:
        """The filters as the query names them."""
        found = {}
        if self.status is not None:
            found["status"] = self.status.value
        if self.unit_code is not None:
            found["enhet"] = self.unit_code
        if self.year is not None:
            found["ar"] = str(self.year)
        return found


@dataclass(frozen=True)
class RegisterRow:
    project_code: str
    name: str
    unit_code: str
    unit_name: str
    run_by_project_office: bool
    managers: Managers
    status: str
    status_label: str
    planned_start: date | None
    planned_end: date | None
    budget: Decimal | None  # for the filter's year, or all years; None: none set
    financing: Decimal | None  # external, likewise
    latest: Lights | None


@dataclass(frozen=True)
class Register:
    rows: tuple[RegisterRow, ...]
    filters: RegisterFilters = field(default_factory=RegisterFilters)
    unit_name: str | None = None  # of the unit filter
    parked: int = 0
    per: datetime | None = None  # the moment the view was read as of; None: now

    @property
    def title(self) -> str:
        parts = ["Projektregister"]
        if self.unit_name is not None:
            parts.append(self.unit_name)
        if self.filters.status is not None:
            parts.append(PROJECT_STATUS_LABELS[self.filters.status])
        if self.filters.year is not None:
            parts.append(str(self.filters.year))
        return " – ".join(parts)


def covers(project: ProjectRow, budget_years: Iterable[int], year: int) -> bool:
    """The project's planned period or one of its budgets covers ``year``; a period with one
    end open reaches as far as the other end allows."""
    if year in budget_years:
        return True
    start, end = project.planned_start, project.planned_end
    if start is None and end is None:
        return False
    return (start is None or start.year <= year) and (end is None or year <= end.year)


def build_register(data: ProjectsInput, filters: RegisterFilters = RegisterFilters()) -> Register:
    names = {u.code: u.name for u in data.units}
    unit_name = None
    within: set[str] | None = None
    if filters.unit_code is not None:
        if filters.unit_code not in names:
            raise UnknownFilter(f"enhet={filters.unit_code} finns inte")
        unit_name = names[filters.unit_code]
        within = subtree(data.units, filters.unit_code)
    budgets = _group(data.budgets)
    financing = _group(data.financing)
    managers = _group(data.managers)
    reports = _group(data.status_reports)
    rows = []
    for p in sorted(data.projects, key=lambda p: p.order):
        if filters.status is not None and p.status != filters.status.value:
            continue
        if within is not None and p.unit_code not in within:
            continue
        its_budgets = budgets.get(p.project_code, [])
        if filters.year is not None and not covers(p, [b.year for b in its_budgets], filters.year):
            continue
        its_financing = financing.get(p.project_code, [])
        if filters.year is not None:
            its_budgets = [b for b in its_budgets if b.year == filters.year]
            its_financing = [f for f in its_financing if f.year == filters.year]
        rows.append(
            RegisterRow(
                project_code=p.project_code,
                name=p.name,
                unit_code=p.unit_code,
                unit_name=names.get(p.unit_code, p.unit_code),
                run_by_project_office=p.run_by_project_office,
                managers=managers_of(p, managers.get(p.project_code, [])),
                status=p.status,
                status_label=status_label(p.status),
                planned_start=p.planned_start,
                planned_end=p.planned_end,
                budget=_sum([b.amount for b in its_budgets]),
                financing=_sum([f.amount for f in its_financing]),
                latest=latest_report(reports.get(p.project_code, [])),
            )
        )
    return Register(tuple(rows), filters, unit_name, data.parked)
