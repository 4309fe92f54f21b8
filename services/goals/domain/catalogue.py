"""The goals catalogue as its events built it: each board's perspectives with their sub-areas,
the result goals, their commitments and indicators, and the notes on them; and the
organisation tree as budget's events describe it, which goals only reads."""

import copy
from dataclasses import dataclass, replace

from contracts.budget.tree import OrganisationTree
from contracts.envelope import Event
from contracts.goals.events import (
    CommitmentMade,
    GoalAdopted,
    GoalRetired,
    GoalReworded,
    IndicatorAdded,
    NoteAttached,
    PerspectiveDefined,
)

CATALOGUE_STREAM = "goals"


def measure_stream(measure_id: str) -> str:
    """A measure's measurements, or an activity's assessments, on a stream of their own."""
    return f"measure-{measure_id}"


@dataclass(frozen=True)
class Goal:
    adopted: GoalAdopted
    title: str
    last_year: int
    retired: bool = False

    @property
    def unit_code(self) -> str:
        return self.adopted.unit_code


class Catalogue:
    """What the goals decisions read.

    Everything in it is immutable, so a copy shares it; the tree is a snapshot the decider
    replaces as budget's events arrive, never changed in place.
    """

    def __init__(self, tree: OrganisationTree | None = None) -> None:
        self.tree = tree if tree is not None else OrganisationTree()
        self.perspectives: dict[str, PerspectiveDefined] = {}
        self.goals: dict[str, Goal] = {}
        self.commitments: dict[str, CommitmentMade] = {}
        self.indicators: dict[str, IndicatorAdded] = {}
        self.notes: dict[str, NoteAttached] = {}

    def copy(self) -> "Catalogue":
        twin = copy.copy(self)
        for name in ("perspectives", "goals", "commitments", "indicators", "notes"):
            setattr(twin, name, dict(getattr(self, name)))
        return twin

    def apply(self, event: Event) -> None:
        match event:
            case PerspectiveDefined():
                self.perspectives[event.perspective_id] = event
            case GoalAdopted():
                self.goals[event.goal_id] = Goal(event, event.title, event.last_year)
            case GoalReworded():
                self.goals[event.goal_id] = replace(self.goals[event.goal_id], title=event.title)
            case GoalRetired():
                goal = self.goals[event.goal_id]
                self.goals[event.goal_id] = replace(goal, last_year=event.last_year, retired=True)
            case CommitmentMade():
                self.commitments[event.commitment_id] = event
            case IndicatorAdded():
                self.indicators[event.indicator_id] = event
            case NoteAttached():
                self.notes[event.note_id] = event
            # Measurements and assessments are not part of the catalogue.

    def learn_tree(self, tree: OrganisationTree) -> None:
        """Budget's organisation tree as last published, to decide against from now on."""
        self.tree = tree

    def used(self, identifier: str) -> bool:
        """Whether the id names anything already: ids are never used twice, for any kind."""
        return any(
            identifier in found
            for found in (
                self.perspectives,
                self.goals,
                self.commitments,
                self.indicators,
                self.notes,
            )
        )

    def goal_under(self, commitment_id: str | None, goal_id: str | None) -> Goal | None:
        """The goal a commitment or an indicator hangs under, when both are known."""
        if commitment_id is not None:
            commitment = self.commitments.get(commitment_id)
            goal_id = commitment.goal_id if commitment is not None else None
        return self.goals.get(goal_id) if goal_id is not None else None

    def goal_of(self, identifier: str) -> Goal | None:
        """The goal under which a goal, commitment or indicator id lies."""
        if identifier in self.goals:
            return self.goals[identifier]
        if identifier in self.commitments:
            return self.goal_under(identifier, None)
        indicator = self.indicators.get(identifier)
        if indicator is None:
            return None
        return self.goal_under(indicator.commitment_id, indicator.goal_id)
