"""Goals events, version 1: facts the goals service has stored."""

from contracts.envelope import Event
from contracts.goals import fields


class PerspectiveDefined(Event, fields.PerspectiveDefinition):
    event_type = "PerspectiveDefined"


class GoalAdopted(Event, fields.GoalAdoption):
    event_type = "GoalAdopted"


class GoalReworded(Event, fields.GoalRewording):
    event_type = "GoalReworded"


class GoalRetired(Event, fields.GoalRetirement):
    event_type = "GoalRetired"


class CommitmentMade(Event, fields.CommitmentFields):
    event_type = "CommitmentMade"


class IndicatorAdded(Event, fields.IndicatorFields):
    event_type = "IndicatorAdded"


class NoteAttached(Event, fields.NoteFields):
    event_type = "NoteAttached"


class MeasurementRecorded(Event, fields.MeasurementFields):
    """A value for a period; a later one for the same measure and period replaces it."""

    event_type = "MeasurementRecorded"


class ActivityAssessed(Event, fields.ActivityAssessment):
    event_type = "ActivityAssessed"
