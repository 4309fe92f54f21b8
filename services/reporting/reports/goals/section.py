"""The plan's goals section ("Nämndens resultatmål och åtaganden") and its JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.goals.fields import (
    CommitmentKind,
)
from services.reporting.read_models.budget.tables import UnitName
from services.reporting.read_models.goals.tables import (
    GoalRow,
    GoalsInput,
)
from services.reporting.reports.goals.builder import (
    FOLLOW_UP_COLUMNS,
    INTRODUCTION,
    KIND_LABELS,
    SECTION_TITLE,
    _by_order,
    _Index,
    _marks,
)

# --- the plan's section ---------------------------------------------------------------------


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str


class _Footnotes:
    """Numbers the notes in the order they appear, from 1."""

    def __init__(self, index: _Index) -> None:
        self._index = index
        self.notes: list[Footnote] = []

    def of(self, item_id: str) -> tuple[int, ...]:
        numbers = []
        for note in self._index.notes.get(item_id, []):
            number = len(self.notes) + 1
            self.notes.append(Footnote(number, note.text))
            numbers.append(number)
        return tuple(numbers)


@dataclass(frozen=True)
class IndicatorEntry:
    indicator_id: str
    name: str
    follow_up: tuple[bool, ...]
    notes: tuple[int, ...]


@dataclass(frozen=True)
class CommitmentEntry:
    commitment_id: str
    kind: str
    text: str
    follow_up: tuple[bool, ...]
    notes: tuple[int, ...]
    indicators: tuple[IndicatorEntry, ...]

    @property
    def is_financial(self) -> bool:
        return self.kind == CommitmentKind.FINANCIAL.value

    @property
    def is_activity(self) -> bool:
        return self.kind == CommitmentKind.ACTIVITY.value


@dataclass(frozen=True)
class GoalEntry:
    goal_id: str
    title: str
    notes: tuple[int, ...]
    commitments: tuple[CommitmentEntry, ...]
    indicators: tuple[IndicatorEntry, ...]  # directly under the goal


@dataclass(frozen=True)
class PerspectiveEntry:
    perspective_id: str
    name: str
    depth: int  # 0 for a perspective, 1 for a sub-area under it
    goals: tuple[GoalEntry, ...]


@dataclass(frozen=True)
class UnitGoals:
    code: str
    name: str
    perspectives: tuple[PerspectiveEntry, ...]


@dataclass(frozen=True)
class GoalsSection:
    title: str
    introduction: str
    units: tuple[UnitGoals, ...]
    footnotes: tuple[Footnote, ...]
    empty: str | None  # what the section says when there is no goal to show
    columns: tuple[str, ...] = tuple(label for _, label in FOLLOW_UP_COLUMNS)


def _indicator_entries(
    index: _Index, parent_id: str, footnotes: _Footnotes
) -> tuple[IndicatorEntry, ...]:
    return tuple(
        IndicatorEntry(i.indicator_id, i.name, _marks(i.follow_up), footnotes.of(i.indicator_id))
        for i in index.indicators.get(parent_id, [])
    )


def _goal_entry(index: _Index, goal: GoalRow, footnotes: _Footnotes) -> GoalEntry:
    notes = footnotes.of(goal.goal_id)
    commitments = []
    for c in index.commitments.get(goal.goal_id, []):
        own = footnotes.of(c.commitment_id)
        indicators = _indicator_entries(index, c.commitment_id, footnotes)
        commitments.append(
            CommitmentEntry(c.commitment_id, c.kind, c.text, _marks(c.follow_up), own, indicators)
        )
    indicators = _indicator_entries(index, goal.goal_id, footnotes)
    return GoalEntry(goal.goal_id, goal.title, notes, tuple(commitments), indicators)


def _unit_goals(
    index: _Index, unit: UnitName, goals: list[GoalRow], footnotes: _Footnotes
) -> UnitGoals:
    ordered = sorted(goals, key=lambda g: (index.perspective_key(g.perspective_id), g.order))
    entries: list[PerspectiveEntry] = []
    shown: set[str] = set()
    pending: list[GoalEntry] = []
    current: tuple[str, str, int] | None = None

    def flush() -> None:
        if current is not None:
            entries.append(PerspectiveEntry(current[0], current[1], current[2], tuple(pending)))

    for goal in ordered:
        path = index.perspective_path(goal.perspective_id)
        if current is None or current[0] != goal.perspective_id:
            flush()
            pending = []
            # A sub-area's parents are headed once, before their first sub-area.
            for depth, parent in enumerate(path[:-1]):
                if parent.perspective_id not in shown:
                    shown.add(parent.perspective_id)
                    entries.append(PerspectiveEntry(parent.perspective_id, parent.name, depth, ()))
            name = path[-1].name if path else goal.perspective_id
            current = (goal.perspective_id, name, max(len(path) - 1, 0))
            shown.add(goal.perspective_id)
        pending.append(_goal_entry(index, goal, footnotes))
    flush()
    return UnitGoals(unit.code, unit.name, tuple(entries))


def build_goals_section(data: GoalsInput | None, root_name: str, year: int) -> GoalsSection:
    """The plan's goals section: per unit with goals, per perspective."""
    if data is None:
        return GoalsSection(
            SECTION_TITLE, INTRODUCTION, (), (), "Resultatmålen har ännu inte lästs in."
        )
    index = _Index(data)
    footnotes = _Footnotes(index)
    by_unit: dict[str, list[GoalRow]] = {}
    for goal in _by_order(data.goals):
        if goal.first_year <= year <= goal.last_year:
            by_unit.setdefault(goal.unit_code, []).append(goal)
    # Administrations come in the order the board adopted their goals, as the plan prints
    # them (Kommunledningsförvaltningen before Näringsliv och tillväxt), not in tree order.
    under_root = {unit.code: unit for unit in data.units}
    units = tuple(
        _unit_goals(index, under_root[code], goals, footnotes)
        for code, goals in by_unit.items()
        if code in under_root
    )
    empty = None if units else f"Inga resultatmål är registrerade för {root_name} år {year}."
    return GoalsSection(SECTION_TITLE, INTRODUCTION, units, tuple(footnotes.notes), empty)


def _indicator_json(entry: IndicatorEntry) -> dict[str, Any]:
    return {
        "indicator_id": entry.indicator_id,
        "name": entry.name,
        "follow_up": list(entry.follow_up),
        "footnotes": list(entry.notes),
    }


def goals_section_to_json(section: GoalsSection) -> dict[str, Any]:
    return {
        "title": section.title,
        "introduction": section.introduction,
        "follow_up_columns": list(section.columns),
        "units": [
            {
                "code": unit.code,
                "name": unit.name,
                "perspectives": [
                    {
                        "perspective_id": p.perspective_id,
                        "name": p.name,
                        "depth": p.depth,
                        "goals": [
                            {
                                "goal_id": g.goal_id,
                                "title": g.title,
                                "footnotes": list(g.notes),
                                "commitments": [
                                    {
                                        "commitment_id": c.commitment_id,
                                        "kind": c.kind,
                                        "label": KIND_LABELS[CommitmentKind(c.kind)],
                                        "text": c.text,
                                        "follow_up": list(c.follow_up),
                                        "footnotes": list(c.notes),
                                        "indicators": [_indicator_json(i) for i in c.indicators],
                                    }
                                    for c in g.commitments
                                ],
                                "indicators": [_indicator_json(i) for i in g.indicators],
                            }
                            for g in p.goals
                        ],
                    }
                    for p in unit.perspectives
                ],
            }
            for unit in section.units
        ],
        "footnotes": [{"number": f.number, "text": f.text} for f in section.footnotes],
        "empty": section.empty,
    }
