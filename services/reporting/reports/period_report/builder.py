"""The interim report ("Delårsrapport", January to a month of the year) and the annual report
("Årsredovisning", the whole year) of a unit and the units under it.

Pure: rows in, report out, no I/O. Each report has five sections:

1. the economy at the period's last month, exactly as the month report computes it
   (services.reporting.month_report), rolled up the tree;
2. net investments: the year's budget and, in the annual report, the outcome (the read
   model's kind ``actuals`` for the year); the events carry no monthly outcome of
   investments, so the interim report shows the budget and says so;
3. goal attainment per perspective and in all, by women and men where measured so: in the
   annual report for every commitment of the year, in the interim report for those followed
   up at the interim (Delår), saying how many others there are; judged with the goals
   view's rules on the measurements and assessments of periods up to the report's end
   (period_report.goal_attainment);
4. the projects of the subtree with their latest status report up to the period's end;
5. the texts the units wrote for this report (budget's write-follow-up-text, report
   interim_report or annual_report).

A month without actuals is missing, never zero (the month report's last reported month). The
year is closed when its outcome, the bokslut (figures of kind ``actuals`` for the year, as
"Bokslut 2010" is stored), exists for the report's unit or a unit below it; an annual report
of a year not closed says so, and its year end is the forecast, labelled as one.

A section with nothing to show stays, and says why in Swedish.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from contracts.budget.fields import FollowUpReport
from contracts.goals.fields import FollowUp
from services.reporting.read_models.budget.tables import (
    NarrativeRow,
    NetInvestmentRow,
    UnitRow,
)
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.read_models.projects.tables import ProjectsInput
from services.reporting.reports.goals.builder import FOLLOW_UP_COLUMNS
from services.reporting.reports.month_report.builder import (
    MonthReportInput,
)
from services.reporting.reports.plan.view import Source

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
    closed_units: frozenset[str] = frozenset()  # units with the year's outcome (bokslut)


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
