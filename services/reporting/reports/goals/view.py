"""The goals view (/mal): every commitment under a unit with its baseline, target, latest
measurement and attainment, filtered by perspective or attainment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from services.reporting.read_models.budget.tables import UnitName
from services.reporting.read_models.goals.tables import GoalRow, GoalsInput
from services.reporting.reports.goals.builder import _Index

# Named here too for the readers that knew them here before they had a module of their own.
from services.reporting.reports.goals.commitment import STATUS_WORDS as STATUS_WORDS
from services.reporting.reports.goals.commitment import CommitmentView as CommitmentView
from services.reporting.reports.goals.commitment import Measured as Measured
from services.reporting.reports.goals.commitment import TargetView as TargetView
from services.reporting.reports.goals.commitment import commitment_view
from services.reporting.reports.shared.attainment import Attainment, Occasion
from services.reporting.reports.shared.refusals import UnknownFilter
from services.reporting.reports.shared.unit_year import UnitYearView

# --- the goals view (/mal) ------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    perspective_id: str | None = None
    attainment: Attainment | None = None

    @classmethod
    def parse(cls, perspective_id: str | None, attained: str | None) -> Filters:
        # A form sends a filter not chosen as empty: the same as none.
        perspective_id = perspective_id or None
        chosen = None
        if attained:
            try:
                chosen = Attainment(attained)
            except ValueError:
                known = ", ".join(a.value for a in Attainment)
                raise UnknownFilter(
                    f"maluppfyllelse={attained} finns inte; välj en av {known}"
                ) from None
        return cls(perspective_id, chosen)


# How the page shows the commitments (?visning=): a card each, or a row each in one table.
CARDS = "kort"
TABLE = "tabell"
DISPLAYS = (CARDS, TABLE)


def parse_display(display: str | None) -> str:
    """The display ?visning= names; cards when none is named."""
    if display is None or display == "":
        return CARDS
    if display not in DISPLAYS:
        raise UnknownFilter(f"visning={display} finns inte; välj en av {', '.join(DISPLAYS)}")
    return display


@dataclass(frozen=True)
class PerspectiveSummary:
    """How many of a perspective's commitments are met, partly met, not met, not measured."""

    perspective_id: str
    perspective: str  # with its parent: "Tvärfrågor – Folkhälsa"
    counts: tuple[tuple[Attainment, int], ...]  # every attainment, in the vocabulary's order

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    def count(self, attained: Attainment) -> int:
        return dict(self.counts)[attained]


def summarise(commitments: Sequence[CommitmentView]) -> tuple[PerspectiveSummary, ...]:
    """Per perspective, in the order the commitments come, how many reach each attainment
    in total (a commitment by gender counts once, by its total)."""
    names: dict[str, str] = {}
    counted: dict[str, dict[Attainment, int]] = {}
    for c in commitments:
        names.setdefault(c.perspective_id, c.perspective)
        counts = counted.setdefault(c.perspective_id, dict.fromkeys(Attainment, 0))
        counts[c.attainment.total] += 1
    return tuple(
        PerspectiveSummary(pid, names[pid], tuple(counts.items()))
        for pid, counts in counted.items()
    )


@dataclass(frozen=True)
class GoalsView(UnitYearView):
    commitments: tuple[CommitmentView, ...]
    filters: Filters = field(default_factory=Filters)
    parked: int = 0
    per: datetime | None = None  # the moment the view was read as of; None: now
    # The perspectives a filter can choose, with their parents: (id, "Tvärfrågor – Folkhälsa").
    perspectives: tuple[tuple[str, str], ...] = ()
    display: str = CARDS

    @property
    def summary(self) -> tuple[PerspectiveSummary, ...]:
        """Per perspective, in the perspectives' order, the attainment of its commitments."""
        order = {pid: position for position, (pid, _) in enumerate(self.perspectives)}
        return tuple(
            sorted(
                summarise(self.commitments),
                key=lambda s: order.get(s.perspective_id, len(order)),
            )
        )

    @property
    def overall(self) -> PerspectiveSummary:
        """Every commitment shown, whatever its perspective."""
        counts = dict.fromkeys(Attainment, 0)
        for c in self.commitments:
            counts[c.attainment.total] += 1
        return PerspectiveSummary("", "Alla perspektiv", tuple(counts.items()))

    @property
    def title(self) -> str:
        return f"Resultatmål och måluppfyllelse {self.year} för {self.unit_name}"


def _in_perspective(index: _Index, goal: GoalRow, perspective_id: str) -> bool:
    return any(
        p.perspective_id == perspective_id for p in index.perspective_path(goal.perspective_id)
    )


def build_goals_view(
    data: GoalsInput,
    unit: UnitName,
    year: int,
    filters: Filters = Filters(),
    occasion: Occasion | None = None,
) -> GoalsView:
    """Every commitment of the subtree's goals for ``year``, in tree, perspective and goal
    order, judged at ``occasion`` (the year's end unless named); a perspective filter keeps
    its sub-areas too."""
    index = _Index(data)
    occasion = occasion or Occasion(year)
    if filters.perspective_id is not None and filters.perspective_id not in index.perspectives:
        raise UnknownFilter(f"perspektiv={filters.perspective_id} finns inte")
    units = {u.code: position for position, u in enumerate(data.units)}
    names = {u.code: u for u in data.units}
    goals = sorted(
        (g for g in data.goals if g.first_year <= year <= g.last_year and g.unit_code in units),
        key=lambda g: (units[g.unit_code], index.perspective_key(g.perspective_id), g.order),
    )
    choosable: dict[str, tuple[tuple[tuple[int, int], ...], str]] = {}
    for goal in goals:
        path = index.perspective_path(goal.perspective_id)
        for depth in range(1, len(path) + 1):
            above = path[:depth]
            label = " – ".join(p.name for p in above)
            choosable[above[-1].perspective_id] = (
                tuple((p.position, p.order) for p in above),
                label,
            )
    perspectives = tuple(
        (pid, label) for pid, (_, label) in sorted(choosable.items(), key=lambda kv: kv[1][0])
    )
    views = []
    for goal in goals:
        if filters.perspective_id is not None and not _in_perspective(
            index, goal, filters.perspective_id
        ):
            continue
        for c in index.commitments.get(goal.goal_id, []):
            view = commitment_view(index, names[goal.unit_code], goal, c, occasion)
            if filters.attainment is None or view.attainment.total is filters.attainment:
                views.append(view)
    return GoalsView(
        unit.code, unit.name, year, tuple(views), filters, data.parked, perspectives=perspectives
    )
