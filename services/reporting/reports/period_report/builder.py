"""The interim report ("Delårsrapport", January to a month of the year) and the annual report
("Årsredovisning", the whole year) of a unit and the units under it.

Pure: rows in, report out, no I/O. Each report has five sections:

1. the economy at the period's last month, exactly as the month report computes it
   (services.reporting.month_report), rolled up the tree;
2. net investments: the year's budget and, in the annual report, the outcome (the read
   model's kind ``actuals`` for the year); the events carry no monthly outcome of
   investments, so the interim report shows the budget and says so;
3. goal attainment per perspective, for the commitments followed up in this report (Delår
   or Årligen), counted with the goals view's rules (services.reporting.goals_view) on the
   measurements and assessments of periods up to the report's end;
4. the projects of the subtree with their latest status report up to the period's end;
5. the texts the units wrote for this report (budget's write-follow-up-text, report
   interim_report or annual_report).

A section with nothing to show stays, and says why in Swedish.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from contracts.budget.fields import FollowUpReport
from contracts.goals.fields import FollowUp
from services.reporting.read_models.budget.tables import (
    NarrativeRow,
    NetInvestmentRow,
    UnitName,
    UnitRow,
)
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.read_models.projects.tables import ProjectRow, ProjectsInput
from services.reporting.reports.goals.builder import (
    FOLLOW_UP_COLUMNS,
    CommitmentView,
    GoalsView,
    build_goals_view,
    goals_view_to_json,
    period_key,
)
from services.reporting.reports.month_report.builder import (
    EXAMPLE_NOTICE,
    MONTH_NAMES,
    MonthReport,
    MonthReportInput,
    build_month_report,
    month_report_to_json,
    period_of,
)
from services.reporting.reports.plan.builder import Source
from services.reporting.reports.projects.json import register_to_json
from services.reporting.reports.projects.register import (
    Register,
    RegisterFilters,
    RegisterRow,
    build_register,
    covers,
)
from services.reporting.reports.shared import tree_walk
from services.reporting.reports.shared.as_of import moment_json
from services.reporting.reports.shared.attainment import Attainment
from services.reporting.reports.shared.formatting import format_kronor, format_tkr

DEFAULT_INTERIM_LAST_MONTH = 8
GOALS_NOT_LOADED = "Resultatmålen har ännu inte lästs in."
PROJECTS_NOT_LOADED = "Projekten har ännu inte lästs in."


class ReportKind(StrEnum):
    INTERIM = "interim"
    ANNUAL = "annual"

    @property
    def label(self) -> str:
        """The report's name as a heading starts: "Delårsrapport"."""
        return _LABELS[self]

    @property
    def definite(self) -> str:
        """The report's name in running text, definite form: "delårsrapporten"."""
        return _DEFINITE[self]

    @property
    def follow_up(self) -> FollowUp:
        """The follow-up cadence of the commitments this report reports on."""
        return _FOLLOW_UPS[self]

    @property
    def narrative_section(self) -> FollowUpReport:
        return _NARRATIVES[self]


_LABELS = {ReportKind.INTERIM: "Delårsrapport", ReportKind.ANNUAL: "Årsredovisning"}
_DEFINITE = {ReportKind.INTERIM: "delårsrapporten", ReportKind.ANNUAL: "årsredovisningen"}
_FOLLOW_UPS = {ReportKind.INTERIM: FollowUp.INTERIM, ReportKind.ANNUAL: FollowUp.ANNUAL}
_NARRATIVES = {
    ReportKind.INTERIM: FollowUpReport.INTERIM_REPORT,
    ReportKind.ANNUAL: FollowUpReport.ANNUAL_REPORT,
}
_FOLLOW_UP_LABELS = dict(FOLLOW_UP_COLUMNS)

# --- input --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodReportInput:
    """The month report's rows for the period's last month, and what the other sections read;
    goals or projects None where their read model has not been built yet."""

    economy: MonthReportInput
    net_investments: Sequence[NetInvestmentRow] = ()
    narratives: Sequence[NarrativeRow] = ()
    goals: GoalsInput | None = None
    projects: ProjectsInput | None = None


# --- net investments and narratives, per unit of the subtree -------------------------------


@dataclass(frozen=True)
class InvestmentFigure:
    """A node's own amount, or the sum of its children's; ``difference`` is own minus
    children where both exist and differ."""

    value: Decimal
    source: Source
    difference: Decimal | None = None


@dataclass(frozen=True)
class UnitPart:
    """What the investments and narratives sections show of one unit."""

    code: str
    name: str
    depth: int
    budget: InvestmentFigure | None
    outcome: InvestmentFigure | None
    narrative: str | None

    @property
    def deviation(self) -> Decimal | None:
        """Outcome minus budget, where both exist."""
        if self.budget is None or self.outcome is None:
            return None
        return self.outcome.value - self.budget.value

    @property
    def has_investments(self) -> bool:
        return self.budget is not None or self.outcome is not None


def _investment(own: Decimal | None, below: Sequence[InvestmentFigure]) -> InvestmentFigure | None:
    children = sum((f.value for f in below), Decimal(0)) if below else None
    if own is None:
        return None if children is None else InvestmentFigure(children, "rolled_up")
    gap = None if children is None or children == own else own - children
    return InvestmentFigure(own, "own", gap)


class _UnitWalk:
    def __init__(self, data: PeriodReportInput, year: int, kind: ReportKind) -> None:
        self.year = year
        amounts = {(i.unit_code, i.kind): i.amount for i in data.net_investments if i.year == year}
        self.budgets = {code: a for (code, k), a in amounts.items() if k == "budget"}
        # Outcome is the year's closed books: only the annual report has it.
        self.outcomes = (
            {code: a for (code, k), a in amounts.items() if k == "actuals"}
            if kind is ReportKind.ANNUAL
            else {}
        )
        section = kind.narrative_section.value
        self.narratives = {
            n.unit_code: n.text for n in data.narratives if n.year == year and n.section == section
        }

    def node(self, unit: UnitRow, depth: int, kept: list[UnitPart]) -> UnitPart:
        return UnitPart(
            code=unit.code,
            name=unit.name,
            depth=depth,
            budget=_investment(
                self.budgets.get(unit.code), [c.budget for c in kept if c.budget is not None]
            ),
            outcome=_investment(
                self.outcomes.get(unit.code), [c.outcome for c in kept if c.outcome is not None]
            ),
            narrative=self.narratives.get(unit.code),
        )

    def left_out(self, unit: UnitRow, part: UnitPart) -> bool:
        closed = unit.closed_on is not None and unit.closed_on < date(self.year, 1, 1)
        return closed and not part.has_investments and part.narrative is None


@dataclass(frozen=True)
class InvestmentsSection:
    units: tuple[UnitPart, ...]  # those with a budget or an outcome, in tree order
    with_outcome: bool  # whether the report has an outcome column at all
    note: str | None  # what the section says about the outcome
    empty: str | None


@dataclass(frozen=True)
class NarrativesSection:
    title: str
    units: tuple[UnitPart, ...]  # those with a text, in tree order
    empty: str | None


def _investments_section(
    parts: Sequence[UnitPart], kind: ReportKind, root_name: str, year: int
) -> InvestmentsSection:
    shown = tuple(p for p in parts if p.has_investments)
    with_outcome = kind is ReportKind.ANNUAL
    note = None
    if not with_outcome:
        note = (
            "Nettoinvesteringarnas utfall rapporteras bara för helår, i bokslutet; "
            "delårsrapporten visar årets budget."
        )
    elif shown and all(p.outcome is None for p in shown):
        note = (
            f"Utfallet för nettoinvesteringarna {year} är inte rapporterat;"
            " avsnittet visar budgeten."
        )
    empty = None
    if not shown:
        empty = f"Inga nettoinvesteringar är budgeterade för {root_name} år {year}."
    return InvestmentsSection(shown, with_outcome, note, empty)


def _narratives_section(
    parts: Sequence[UnitPart], kind: ReportKind, root_name: str, year: int
) -> NarrativesSection:
    shown = tuple(p for p in parts if p.narrative is not None)
    empty = None
    if not shown:
        empty = (
            f"Ingen text till {kind.definite} {year} är skriven för {root_name}"
            " eller enheterna under."
        )
    return NarrativesSection(f"Verksamhetens text till {kind.definite}", shown, empty)


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


# --- the report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodReport:
    kind: ReportKind
    year: int
    last_month: int
    economy: MonthReport  # as the month report of the last month
    investments: InvestmentsSection
    goals: GoalsSection
    projects: ProjectsSection
    narratives: NarrativesSection
    parked: int = 0
    per: datetime | None = None  # the moment the view was read as of; None: now

    @property
    def root(self) -> UnitName:
        return UnitName(self.economy.root.code, self.economy.root.name)

    @property
    def first_period(self) -> str:
        return period_of(self.year, 1)

    @property
    def last_period(self) -> str:
        return period_of(self.year, self.last_month)

    @property
    def period_words(self) -> str:
        """ "januari–augusti 2011"; the annual report's is the year alone."""
        if self.kind is ReportKind.ANNUAL:
            return str(self.year)
        months = MONTH_NAMES[0]
        if self.last_month > 1:
            months = f"{months}–{MONTH_NAMES[self.last_month - 1]}"
        return f"{months} {self.year}"

    @property
    def title(self) -> str:
        return f"{self.kind.label} {self.period_words} för {self.root.name}"

    @property
    def example_data(self) -> bool:
        return self.economy.example_data


def build_period_report(
    data: PeriodReportInput, unit_code: str, year: int, kind: ReportKind, last_month: int = 12
) -> PeriodReport:
    """The report of ``kind`` for January–``last_month`` of ``year`` (the annual report's is
    always December) of ``unit_code`` and everything under it. Raises UnknownUnit."""
    if kind is ReportKind.ANNUAL:
        last_month = 12
    economy = build_month_report(data.economy, unit_code, year, last_month)
    root_unit = next(u for u in data.economy.units if u.code == unit_code)
    root = UnitName(root_unit.code, root_unit.name)
    walk = _UnitWalk(data, year, kind)
    parts = tree_walk.walk(
        root_unit, tree_walk.children_of(data.economy.units), walk.node, walk.left_out
    )
    # The interim period (delår) ends with August, after its months; the year after December.
    end = (year, 13, 0) if kind is ReportKind.ANNUAL else (year, last_month, 1)
    goals = _goals_section(data.goals, root, year, end, kind)
    projects = _projects_section(data.projects, root, year, period_of(year, last_month))
    parked = economy.parked
    parked += 0 if data.goals is None else data.goals.parked
    parked += 0 if data.projects is None else data.projects.parked
    return PeriodReport(
        kind=kind,
        year=year,
        last_month=last_month,
        economy=economy,
        investments=_investments_section(parts, kind, root.name, year),
        goals=goals,
        projects=projects,
        narratives=_narratives_section(parts, kind, root.name, year),
        parked=parked,
    )


# --- JSON -----------------------------------------------------------------------------------


def _investment_json(figure: InvestmentFigure | None) -> dict[str, Any] | None:
    if figure is None:
        return None
    return {
        "source": figure.source,
        "amount": format_kronor(figure.value),
        "tkr": format_tkr(figure.value),
        "difference": None if figure.difference is None else format_kronor(figure.difference),
    }


def _counts_json(counts: Counts | None) -> dict[str, int] | None:
    if counts is None:
        return None
    return {
        "met": counts.met,
        "partly_met": counts.partly_met,
        "not_met": counts.not_met,
        "not_measured": counts.not_measured,
        "total": counts.total,
    }


def _goals_json(report: PeriodReport) -> dict[str, Any]:
    section = report.goals
    perspectives = []
    for p in section.perspectives:
        # The commitments as the goals view (/api/mal) writes them.
        listed = GoalsView(report.year, report.root.code, report.root.name, p.commitments)
        perspectives.append(
            {
                "perspective_id": p.perspective_id,
                "name": p.name,
                "attainment": _counts_json(p.total),
                "women": _counts_json(p.women),
                "men": _counts_json(p.men),
                "commitments": goals_view_to_json(listed)["commitments"],
            }
        )
    return {
        "follow_up": report.kind.follow_up.value,
        "follow_up_label": section.follow_up,
        "perspectives": perspectives,
        "empty": section.empty,
    }


def period_report_to_json(report: PeriodReport) -> dict[str, Any]:
    """Amounts as exact kronor strings with their tkr; the economy's nodes as the month report
    writes them (/api/uppfoljning)."""
    economy = month_report_to_json(report.economy)
    investments = report.investments
    projects = report.projects
    return {
        "title": report.title,
        "kind": report.kind.value,
        "unit_code": report.root.code,
        "year": report.year,
        "first_period": report.first_period,
        "last_period": report.last_period,
        "example_data": report.example_data,
        "notice": EXAMPLE_NOTICE if report.example_data else None,
        "economy": {"period": economy["period"], "nodes": economy["nodes"]},
        "net_investments": {
            "with_outcome": investments.with_outcome,
            "note": investments.note,
            "empty": investments.empty,
            "units": [
                {
                    "code": p.code,
                    "name": p.name,
                    "depth": p.depth,
                    "budget": _investment_json(p.budget),
                    "outcome": _investment_json(p.outcome),
                    "deviation": None if p.deviation is None else format_kronor(p.deviation),
                }
                for p in investments.units
            ],
        },
        "goals": _goals_json(report),
        "projects": {
            "projects": []
            if projects.register is None
            else register_to_json(projects.register)["projects"],
            "empty": projects.empty,
        },
        "narratives": {
            "section": report.kind.narrative_section.value,
            "title": report.narratives.title,
            "units": [
                {"code": p.code, "name": p.name, "depth": p.depth, "text": p.narrative}
                for p in report.narratives.units
            ],
            "empty": report.narratives.empty,
        },
        "parked_events": report.parked,
        "per": moment_json(report.per),
    }
