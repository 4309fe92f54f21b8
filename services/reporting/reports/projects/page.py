"""A project's page (/projekt/{code}): its facts, roles, steps, money per year, timeline and
linked goals."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services.reporting.read_models.budget.tables import ShareRow, UnitName
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
from services.reporting.read_models.senders import SenderRow
from services.reporting.reports.goals.view import CommitmentView, build_goals_view
from services.reporting.reports.projects.builder import (
    Lights,
    Managers,
    _sum,
    latest_report,
    managers_of,
    period_words,
    status_label,
)
from services.reporting.reports.shared.refusals import UnknownProject
from services.reporting.reports.shared.senders import sender_in_words

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
    attainment_year: int | None = None  # the year the linked goals' attainment is read for
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


def _sent_by(senders: Mapping[int, SenderRow], order: int, account: str) -> str:
    """Who sent the event at ``order``, in words; its account where the sender is not kept."""
    sender = senders.get(order)
    if sender is None:
        return account
    return sender_in_words(sender.actor, sender.actor_name, sender.source_system)


def _reported_by(senders: Mapping[int, SenderRow], report: StatusReportRow) -> str:
    """The reporter the report names, and the system or person who sent it where another."""
    sent = _sent_by(senders, report.order, report.reported_by)
    return report.reported_by if sent == report.reported_by else f"{report.reported_by} ({sent})"


def _timeline(
    project: ProjectRow,
    changes: Sequence[StatusChangeRow],
    managers: Sequence[ManagerRow],
    reports: Sequence[StatusReportRow],
    senders: Mapping[int, SenderRow],
) -> tuple[TimelineEntry, ...]:
    entries = [
        TimelineEntry(
            project.registered_at.date(),
            "registered",
            f"Registrerat i projektregistret som {status_label(project.registered_status)}",
            None,
            project.decision,
            _sent_by(senders, project.order, project.registered_by),
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
            _sent_by(senders, c.order, c.actor),
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
            _reported_by(senders, r),
            r,
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
        timeline=_timeline(project, mine(data.status_changes), managers, reports, data.senders),
        goals=_linked_goals(mine(data.goal_links), data.goals, year),
        latest=latest_report(reports),
        attainment_year=year,
        parked=data.parked,
    )
