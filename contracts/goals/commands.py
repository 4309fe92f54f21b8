"""Goals commands: what planners, controllers and survey or statistics systems ask the goals
service to do."""

from contracts.envelope import Command
from contracts.goals import fields


class DefinePerspective(Command, fields.PerspectiveDefinition):
    command_name = "define-perspective"


class AdoptGoal(Command, fields.GoalAdoption):
    """A result goal adopted for a unit of the organisation tree, for a period of years."""

    command_name = "adopt-goal"


class RewordGoal(Command, fields.GoalRewording):
    command_name = "reword-goal"


class RetireGoal(Command, fields.GoalRetirement):
    command_name = "retire-goal"


class MakeCommitment(Command, fields.CommitmentFields):
    """A commitment under a result goal: a key figure with a target, an activity, or a
    financial goal."""

    command_name = "make-commitment"


class AddIndicator(Command, fields.IndicatorFields):
    command_name = "add-indicator"


class AttachNote(Command, fields.NoteFields):
    command_name = "attach-note"


class RecordMeasurement(Command, fields.MeasurementFields):
    """A measured value, as a survey or statistics system reports it; replaces an earlier
    one for the same period."""

    command_name = "record-measurement"


class AssessActivity(Command, fields.ActivityAssessment):
    command_name = "assess-activity"
