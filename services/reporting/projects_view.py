"""Projects as the plan lists them ("Kommunstyrelsens pågående alternativt nya projekt"), the
project register (/projekt) and the project page (/projekt/{code}).

Pure: rows in, views out, no I/O. The rows are those of the projects read models, with the
organisation tree and the project office's shares from the budget projection and the linked
result goals from the goals projection, read by services.reporting.queries. Nothing is
invented: a fact the events do not state is None and the views show nothing for it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from contracts.projects.fields import Light, ProjectStatus
from services.reporting.as_of import moment_json
from services.reporting.formatting import format_kronor, format_tkr
from services.reporting.goals_view import (
    CommitmentView,
    GoalsView,
    UnknownFilter,
    build_goals_view,
    goals_view_to_json,
)
from services.reporting.read_models.budget.tables import ShareRow, UnitName, UnitNode
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.read_models.projects.tables import (
    BudgetRow,
    FinancingRow,
    GoalLinkRow,
    ManagerRow,
    ProjectRow,
    ProjectsInput,
    StatusChangeRow,
    StatusReportRow,
    StepRow,
)

STATUS_LABELS: dict[ProjectStatus, str] = {
    ProjectStatus.PROPOSED: "föreslaget",
    ProjectStatus.DECIDED: "beslutat",
    ProjectStatus.ONGOING: "pågående",
    ProjectStatus.PAUSED: "pausat",
    ProjectStatus.COMPLETED: "avslutat",
    ProjectStatus.CANCELLED: "avbrutet",
}
LIGHT_LABELS: dict[Light, str] = {Light.GREEN: "grön", Light.YELLOW: "gul", Light.RED: "röd"}
# The plan's two lists: those under way, and those about to start.
ONGOING = (ProjectStatus.ONGOING, ProjectStatus.PAUSED)
NEW = (ProjectStatus.PROPOSED, ProjectStatus.DECIDED)
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
FIRST_YEAR, LAST_YEAR = 1990, 2100


def status_label(status: str) -> str:
    try:
        return STATUS_LABELS[ProjectStatus(status)]
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
    return f"{MONTHS[month - 1]} {year}"


def genitive(name: str) -> str:
    """Swedish genitive: "Kommunstyrelsen" → "Kommunstyrelsens"; a name ending in s, x or z
    takes none ("Kultur och fritids" stays)."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


# --- input rows, filled from the read models by another module ---------------------------


class UnknownProject(Exception):
    def __init__(self, project_code: str) -> None:
        super().__init__(project_code)
        self.project_code = project_code


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


# --- the plan's section -------------------------------------------------------------------


@dataclass(frozen=True)
class PlanProject:
    project_code: str
    name: str
    status: str
    status_label: str
    purpose: str | None  # "Syfte"
    goals_text: str | None  # "Mål"
    directive: str | None
    decision: str | None


@dataclass(frozen=True)
class ProjectsSection:
    title: str
    ongoing: tuple[PlanProject, ...]
    new: tuple[PlanProject, ...]

    @property
    def empty(self) -> bool:
        return not self.ongoing and not self.new


def section_title(root_name: str, year: int) -> str:
    return f"{genitive(root_name)} pågående alternativt nya projekt {year}–{year + 2}"


def build_projects_section(
    data: ProjectsInput | None, root_name: str, year: int
) -> ProjectsSection | None:
    """The projects of the units ``data`` holds (the plan's subtree), in registration order:
    ongoing (or paused) first, then new (proposed or decided). None without read models."""
    if data is None:
        return None

    def listed(statuses: tuple[ProjectStatus, ...]) -> tuple[PlanProject, ...]:
        return tuple(
            PlanProject(
                p.project_code,
                p.name,
                p.status,
                status_label(p.status),
                p.purpose,
                p.goals_text,
                p.directive,
                p.decision,
            )
            for p in sorted(data.projects, key=lambda p: p.order)
            if p.status in statuses
        )

    return ProjectsSection(section_title(root_name, year), listed(ONGOING), listed(NEW))


def _plan_project_json(project: PlanProject) -> dict[str, Any]:
    return {
        "project_code": project.project_code,
        "name": project.name,
        "status": project.status,
        "status_label": project.status_label,
        "purpose": project.purpose,
        "goals_text": project.goals_text,
        "directive": project.directive,
        "decision": project.decision,
    }


def projects_section_to_json(section: ProjectsSection) -> dict[str, Any]:
    return {
        "title": section.title,
        "ongoing": [_plan_project_json(p) for p in section.ongoing],
        "new": [_plan_project_json(p) for p in section.new],
    }


# --- what the register and the page share --------------------------------------------------


@dataclass(frozen=True)
class Lights:
    period: str
    schedule: str
    cost: str
    quality: str
    text: str | None
    reported_by: str
    recorded_at: datetime


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
    r = max(reports, key=lambda r: (r.period, r.order))
    return Lights(r.period, r.schedule, r.cost, r.quality, r.text, r.reported_by, r.recorded_at)


def _sum(amounts: Sequence[Decimal]) -> Decimal | None:
    return sum(amounts, Decimal(0)) if amounts else None


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
            by_label = {label: s for s, label in STATUS_LABELS.items()}
            chosen = by_label.get(status.strip().lower())
            if chosen is None:
                try:
                    chosen = ProjectStatus(status.strip().lower())
                except ValueError:
                    known = ", ".join(f"{s.value} ({label})" for s, label in STATUS_LABELS.items())
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
            parts.append(STATUS_LABELS[self.filters.status])
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


# --- the project page ---------------------------------------------------------------------


@dataclass(frozen=True)
class FinancingView:
    source: str
    amount: Decimal
    granted_on: date | None
    note: str | None


@dataclass(frozen=True)
class YearView:
    """A year's money: the budget, external financing, the project office's share."""

    year: int
    budget: Decimal | None
    decision: str | None
    financing: tuple[FinancingView, ...]
    share: ShareRow | None

    @property
    def financing_total(self) -> Decimal | None:
        return _sum([f.amount for f in self.financing])


@dataclass(frozen=True)
class TimelineEntry:
    """A step of the project's history: registered, a status change, a manager, a report."""

    on: date
    kind: str  # registered | status | manager | report
    title: str  # in Swedish
    text: str | None = None
    decision: str | None = None
    who: str | None = None
    lights: Lights | None = None
    order: int = 0


@dataclass(frozen=True)
class LinkedGoal:
    goal_id: str
    title: str | None  # None: the goals read model has no such goal (yet)
    unit_name: str | None
    year: int | None  # the year its attainment is read for
    commitments: tuple[CommitmentView, ...] = ()


@dataclass(frozen=True)
class ProjectPage:
    project: ProjectRow
    board_name: str
    unit_name: str
    managers: Managers
    status_label: str
    steps: tuple[StepRow, ...]
    years: tuple[YearView, ...]
    timeline: tuple[TimelineEntry, ...]
    goals: tuple[LinkedGoal, ...]
    latest: Lights | None
    parked: int = 0
    per: datetime | None = None  # the moment the view was read as of; None: now

    @property
    def title(self) -> str:
        return f"Projekt: {self.project.name}"

    @property
    def budget_total(self) -> Decimal | None:
        return _sum([y.budget for y in self.years if y.budget is not None])

    @property
    def financing_total(self) -> Decimal | None:
        return _sum([t for y in self.years if (t := y.financing_total) is not None])

    @property
    def steps_total(self) -> Decimal | None:
        return _sum([s.cost_estimate for s in self.steps if s.cost_estimate is not None])


def _month_end(period: str) -> date:
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])


def _timeline(
    project: ProjectRow,
    changes: Sequence[StatusChangeRow],
    managers: Sequence[ManagerRow],
    reports: Sequence[StatusReportRow],
) -> tuple[TimelineEntry, ...]:
    entries = [
        TimelineEntry(
            project.registered_at.date(),
            "registered",
            f"Registrerat i projektregistret som {status_label(project.registered_status)}",
            None,
            project.decision,
            project.registered_by,
            order=project.order,
        )
    ]
    entries.extend(
        TimelineEntry(
            c.effective_on,
            "status",
            f"Status: {status_label(c.status)}",
            c.reason,
            c.decision,
            c.actor,
            order=c.order,
        )
        for c in changes
    )
    entries.extend(
        TimelineEntry(
            m.effective_on,
            "manager",
            ("Tillförordnad projektledare: " if m.acting else "Projektledare: ")
            + m.project_manager,
            m.reason,
            order=m.order,
        )
        for m in managers
    )
    entries.extend(
        TimelineEntry(
            _month_end(r.period),
            "report",
            f"Lägesrapport {period_words(r.period)}",
            r.text,
            None,
            r.reported_by,
            Lights(r.period, r.schedule, r.cost, r.quality, r.text, r.reported_by, r.recorded_at),
            r.order,
        )
        for r in reports
    )
    # The registration states where the project's lifecycle starts, so it comes first even
    # when it was entered after decisions it records (a register filled in late).
    return (entries[0], *sorted(entries[1:], key=lambda e: (e.on, e.order)))


def _years(
    budgets: Sequence[BudgetRow], financing: Sequence[FinancingRow], shares: Sequence[ShareRow]
) -> tuple[YearView, ...]:
    years = sorted(
        {b.year for b in budgets} | {f.year for f in financing} | {s.year for s in shares}
    )
    by_year_budget = {b.year: b for b in budgets}
    by_year_share = {s.year: s for s in shares}
    views = []
    for year in years:
        budget = by_year_budget.get(year)
        views.append(
            YearView(
                year,
                None if budget is None else budget.amount,
                None if budget is None else budget.decision,
                tuple(
                    FinancingView(f.source, f.amount, f.granted_on, f.note)
                    for f in sorted(financing, key=lambda f: f.order)
                    if f.year == year
                ),
                by_year_share.get(year),
            )
        )
    return tuple(views)


def _linked_goals(
    links: Sequence[GoalLinkRow], goals: GoalsInput | None, year: int | None
) -> tuple[LinkedGoal, ...]:
    found = {g.goal_id: g for g in goals.goals} if goals is not None else {}
    units = {u.code: u for u in goals.units} if goals is not None else {}
    linked = []
    for link in sorted(links, key=lambda link: link.order):
        goal = found.get(link.goal_id)
        if goal is None or goals is None:
            linked.append(LinkedGoal(link.goal_id, None, None, None))
            continue
        # The year asked for, within the goal's years; else its last, the year it aims at.
        at = goal.last_year if year is None else min(max(year, goal.first_year), goal.last_year)
        unit = units.get(goal.unit_code, UnitName(goal.unit_code, goal.unit_code))
        view = build_goals_view(goals, unit, at)
        commitments = tuple(c for c in view.commitments if c.goal_id == goal.goal_id)
        linked.append(LinkedGoal(goal.goal_id, goal.title, unit.name, at, commitments))
    return tuple(linked)


def build_project_page(
    data: ProjectsInput, project_code: str, year: int | None = None
) -> ProjectPage:
    """Every fact of one project; ``year``: the year the linked goals' attainment is read for
    (by default each goal's last year)."""
    project = next((p for p in data.projects if p.project_code == project_code), None)
    if project is None:
        raise UnknownProject(project_code)
    names = {u.code: u.name for u in data.units}

    def mine(rows: Sequence[Any]) -> list[Any]:
        return [r for r in rows if r.project_code == project_code]

    managers: list[ManagerRow] = mine(data.managers)
    reports: list[StatusReportRow] = mine(data.status_reports)
    return ProjectPage(
        project=project,
        board_name=names.get(project.board_code, project.board_code),
        unit_name=names.get(project.unit_code, project.unit_code),
        managers=managers_of(project, managers),
        status_label=status_label(project.status),
        steps=tuple(sorted(mine(data.steps), key=lambda s: s.step)),
        years=_years(mine(data.budgets), mine(data.financing), mine(data.shares)),
        timeline=_timeline(project, mine(data.status_changes), managers, reports),
        goals=_linked_goals(mine(data.goal_links), data.goals, year),
        latest=latest_report(reports),
        parked=data.parked,
    )


# --- JSON ---------------------------------------------------------------------------------


def _money(amount: Decimal | None) -> dict[str, str] | None:
    return None if amount is None else {"amount": format_kronor(amount), "tkr": format_tkr(amount)}


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _light_json(light: str) -> dict[str, str]:
    return {"code": light, "label": light_label(light)}


def _lights_json(lights: Lights | None) -> dict[str, Any] | None:
    if lights is None:
        return None
    return {
        "period": lights.period,
        "schedule": _light_json(lights.schedule),
        "cost": _light_json(lights.cost),
        "quality": _light_json(lights.quality),
        "text": lights.text,
        "reported_by": lights.reported_by,
        "recorded_at": lights.recorded_at.isoformat(),
    }


def _managers_json(managers: Managers) -> dict[str, str | None]:
    return {"project_manager": managers.manager, "acting_project_manager": managers.acting}


def register_to_json(register: Register) -> dict[str, Any]:
    return {
        "title": register.title,
        "filters": {
            "status": None if register.filters.status is None else register.filters.status.value,
            "enhet": register.filters.unit_code,
            "ar": register.filters.year,
        },
        "projects": [
            {
                "project_code": row.project_code,
                "name": row.name,
                "unit_code": row.unit_code,
                "unit_name": row.unit_name,
                "run_by_project_office": row.run_by_project_office,
                **_managers_json(row.managers),
                "status": row.status,
                "status_label": row.status_label,
                "planned_start": _day(row.planned_start),
                "planned_end": _day(row.planned_end),
                "budget": _money(row.budget),
                "external_financing": _money(row.financing),
                "latest_status_report": _lights_json(row.latest),
            }
            for row in register.rows
        ],
        "parked_events": register.parked,
        "per": moment_json(register.per),
    }


def _goal_json(goal: LinkedGoal) -> dict[str, Any]:
    # The commitments as the goals view (/api/mal) writes them.
    view = GoalsView(goal.year or 0, "", goal.unit_name or "", goal.commitments)
    return {
        "goal_id": goal.goal_id,
        "title": goal.title,
        "unit_name": goal.unit_name,
        "year": goal.year,
        "commitments": goals_view_to_json(view)["commitments"],
    }


def project_page_to_json(page: ProjectPage) -> dict[str, Any]:
    p = page.project
    return {
        "title": page.title,
        "project_code": p.project_code,
        "name": p.name,
        "board_code": p.board_code,
        "board_name": page.board_name,
        "unit_code": p.unit_code,
        "unit_name": page.unit_name,
        "run_by_project_office": p.run_by_project_office,
        **_managers_json(page.managers),
        "steering_group": list(p.steering_group),
        "purpose": p.purpose,
        "goals_text": p.goals_text,
        "planned_start": _day(p.planned_start),
        "planned_end": _day(p.planned_end),
        "directive": p.directive,
        "decision": p.decision,
        "status": p.status,
        "status_label": page.status_label,
        "steps": [
            {
                "step": s.step,
                "name": s.name,
                "period": s.period,
                "planned_start": _day(s.planned_start),
                "planned_end": _day(s.planned_end),
                "cost_estimate": _money(s.cost_estimate),
                "description": s.description,
            }
            for s in page.steps
        ],
        "years": [
            {
                "year": y.year,
                "budget": _money(y.budget),
                "decision": y.decision,
                "external_financing": [
                    {
                        "source": f.source,
                        **(_money(f.amount) or {}),
                        "granted_on": _day(f.granted_on),
                        "note": f.note,
                    }
                    for f in y.financing
                ],
                "external_financing_total": _money(y.financing_total),
                "project_office_share": None
                if y.share is None
                else {
                    "unit_code": y.share.unit_code,
                    "project_budget": _money(y.share.project_budget),
                    "revenue": _money(y.share.revenue),
                },
            }
            for y in page.years
        ],
        "budget_total": _money(page.budget_total),
        "external_financing_total": _money(page.financing_total),
        "latest_status_report": _lights_json(page.latest),
        "timeline": [
            {
                "on": e.on.isoformat(),
                "kind": e.kind,
                "title": e.title,
                "text": e.text,
                "decision": e.decision,
                "who": e.who,
                "lights": _lights_json(e.lights),
            }
            for e in page.timeline
        ],
        "goals": [_goal_json(g) for g in page.goals],
        "parked_events": page.parked,
        "per": moment_json(page.per),
    }
