"""The interim and annual reports' goal attainment, per perspective and by women and men.

The annual report evaluates every commitment of the year's result goals, whatever follow-up
it is marked for: the year's account leaves none out. The interim report shows those marked
for it (Delår) and says how many others the year has. Both judge with the goals view's rules
(services.reporting.reports.shared.attainment) on the values of periods up to the report's
end: a target not due by then is on track or not, never "ej uppfyllt".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from contracts.goals.fields import FollowUp
from services.reporting.read_models.budget.tables import UnitName
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.reports.goals.builder import period_key
from services.reporting.reports.goals.commitment import CommitmentView
from services.reporting.reports.goals.view import GoalsView, build_goals_view
from services.reporting.reports.period_report.builder import (
    _FOLLOW_UP_LABELS,
    GOALS_NOT_LOADED,
    ReportKind,
)
from services.reporting.reports.shared.attainment import Attainment, Occasion


@dataclass(frozen=True)
class Counts:
    met: int = 0
    partly_met: int = 0
    not_met: int = 0
    on_track: int = 0
    off_track: int = 0
    not_judged: int = 0
    not_measured: int = 0

    def plus(self, attained: Attainment) -> Counts:
        field = COUNTED[attained]
        return dataclasses.replace(self, **{field: getattr(self, field) + 1})

    def added(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f) + getattr(other, f) for f in COUNTED.values()))

    @property
    def by_attainment(self) -> tuple[tuple[Attainment, int], ...]:
        """Every attainment with its count, in the vocabulary's order."""
        return tuple((a, getattr(self, field)) for a, field in COUNTED.items())

    @property
    def total(self) -> int:
        return sum(getattr(self, field) for field in COUNTED.values())


COUNTED = {
    Attainment.MET: "met",
    Attainment.PARTLY_MET: "partly_met",
    Attainment.NOT_MET: "not_met",
    Attainment.ON_TRACK: "on_track",
    Attainment.OFF_TRACK: "off_track",
    Attainment.NOT_JUDGED: "not_judged",
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
    others: int = 0  # the year's commitments this report does not follow up
    note: str | None = None  # which commitments the report shows, and what of the others

    @property
    def overall(self) -> Counts:
        """Every perspective's commitments together."""
        total = Counts()
        for p in self.perspectives:
            total = total.added(p.total)
        return total


def _until(data: GoalsInput, end: tuple[int, int, int]) -> GoalsInput:
    """The values of periods up to ``end`` only."""
    return dataclasses.replace(
        data,
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


def _note(kind: ReportKind, shown: int, others: int, year: int) -> str:
    if kind is ReportKind.ANNUAL:
        return (
            f"Årsredovisningen bedömer årets alla {shown} åtaganden under resultatmålen {year},"
            " oavsett vilken uppföljning de är markerade för."
        )
    if others == 0:
        return f"Alla årets åtaganden följs upp i delårsrapporten ({shown})."
    return (
        f"Delårsrapporten visar de {shown} åtaganden som följs upp vid delåret (Delår);"
        f" ytterligare {others} av årets åtaganden följs upp först i årsredovisningen."
    )


def goals_section(
    data: GoalsInput | None,
    root: UnitName,
    year: int,
    end: tuple[int, int, int],
    kind: ReportKind,
) -> GoalsSection:
    label = _FOLLOW_UP_LABELS[kind.follow_up]
    if data is None:
        return GoalsSection(label, (), None, GOALS_NOT_LOADED)
    occasion = Occasion(year)
    whole_year = build_goals_view(_until(data, end), root, year, occasion=occasion)
    if kind is ReportKind.ANNUAL:
        view = whole_year
    else:
        interim = FollowUp.INTERIM.value
        view = dataclasses.replace(
            whole_year,
            commitments=tuple(c for c in whole_year.commitments if interim in c.follow_up),
        )
    others = len(whole_year.commitments) - len(view.commitments)
    grouped: dict[str, list[CommitmentView]] = {}
    for commitment in view.commitments:
        grouped.setdefault(commitment.perspective_id, []).append(commitment)
    perspectives = tuple(_perspective(found) for found in grouped.values())
    if not perspectives:
        empty = (
            f"{root.name} och enheterna under har inga åtaganden {year} som följs upp"
            f" i {kind.definite} ({label})."
        )
        if kind is ReportKind.ANNUAL:
            empty = f"{root.name} och enheterna under har inga åtaganden i resultatmålen {year}."
        elif others:
            empty += f" Årets övriga {others} åtaganden följs upp i årsredovisningen."
        return GoalsSection(label, (), view, empty, others)
    note = _note(kind, len(view.commitments), others, year)
    return GoalsSection(label, perspectives, view, None, others, note)
