"""The interim or annual report of a unit: its sections, built from the rows of the period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.reporting.read_models.budget.tables import (
    UnitName,
)
from services.reporting.reports.month_report.builder import MonthReport, period_of
from services.reporting.reports.month_report.walk import build_month_report
from services.reporting.reports.period_report.builder import (
    InvestmentsSection,
    NarrativesSection,
    PeriodReportInput,
    ReportKind,
    _investments_section,
    _narratives_section,
    _UnitWalk,
)
from services.reporting.reports.period_report.goal_attainment import GoalsSection, goals_section
from services.reporting.reports.period_report.sections import ProjectsSection, _projects_section
from services.reporting.reports.shared import tree_walk
from services.reporting.reports.shared.readiness import Readiness
from services.reporting.vocabulary import MONTH_NAMES

# --- the report -----------------------------------------------------------------------------

# The economy's figures per node, in the table's order.
ECONOMY_COLUMNS = (
    "budget",
    "budget_to_date",
    "actuals",
    "deviation",
    "forecast",
    "forecast_deviation",
)


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
    closed: bool = False  # whether the year's outcome (bokslut) exists for the unit or below
    readiness: Readiness | None = None  # which units have marked the report ready

    @property
    def not_closed_notice(self) -> str | None:
        """What an annual report of a year not closed says; None otherwise."""
        if self.kind is not ReportKind.ANNUAL or self.closed:
            return None
        reported = self.economy.reported_month
        known = (
            "inget utfall är rapporterat"
            if reported is None
            else f"utfall finns t.o.m. {MONTH_NAMES[reported - 1]}"
        )
        return (
            f"Året {self.year} är inte avslutat: bokslut saknas och {known}. Helårets resultat"
            " visas som prognos, inte som utfall."
        )

    @property
    def notices(self) -> tuple[str, ...]:
        """The economy's notices, and whether the year is closed."""
        found = list(self.economy.notices)
        if self.not_closed_notice:
            found.insert(1 if self.example_data else 0, self.not_closed_notice)
        return tuple(found)

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

    @property
    def example_columns(self) -> frozenset[str]:
        """The economy's columns with a figure resting on example data: the page marks each
        once, in its head, not in every cell."""
        return frozenset(
            column
            for column in ECONOMY_COLUMNS
            if any(
                (figure := getattr(node, column)) is not None and figure.example_data
                for node in self.economy.nodes
            )
        )


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
    goals = goals_section(data.goals, root, year, end, kind)
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
        closed=any(node.code in data.closed_units for node in economy.nodes),
    )
