"""Goals events, version 1: facts the goals service has stored."""

from contracts.envelope import Event
from contracts.goals.fields import (
    ActivityAssessment,
    CommitmentFields,
    GoalAdoption,
    GoalRetirement,
    GoalRewording,
    IndicatorFields,
    MeasurementFields,
    NoteFields,
    PerspectiveDefinition,
)


class PerspectiveDefined(Event, PerspectiveDefinition):
    event_type = "PerspectiveDefined"


class GoalAdopted(Event, GoalAdoption):
    event_type = "GoalAdopted"


class GoalReworded(Event, GoalRewording):
    event_type = "GoalReworded"


class GoalRetired(Event, GoalRetirement):
    event_type = "GoalRetired"


class CommitmentMade(Event, CommitmentFields):
    event_type = "CommitmentMade"


class IndicatorAdded(Event, IndicatorFields):
    event_type = "IndicatorAdded"


class NoteAttached(Event, NoteFields):
    event_type = "NoteAttached"


class MeasurementRecorded(Event, MeasurementFields):
    """A value for a period; a later one for the same measure and period replaces it."""

    event_type = "MeasurementRecorded"


class ActivityAssessed(Event, ActivityAssessment):
    event_type = "ActivityAssessed"


GOALS_EVENTS: dict[str, type[Event]] = {
    cls.event_type: cls
    for cls in (
        PerspectiveDefined,
        GoalAdopted,
        GoalReworded,
        GoalRetired,
        CommitmentMade,
        IndicatorAdded,
        NoteAttached,
        MeasurementRecorded,
        ActivityAssessed,
    )
}
