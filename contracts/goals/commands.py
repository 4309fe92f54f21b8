"""Goals commands: what planners, controllers and survey or statistics systems ask the goals
service to do."""

from contracts.envelope import Command
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


class DefinePerspective(Command, PerspectiveDefinition):
    command_name = "define-perspective"


class AdoptGoal(Command, GoalAdoption):
    """A result goal adopted for a unit of the organisation tree, for a period of years."""

    command_name = "adopt-goal"


class RewordGoal(Command, GoalRewording):
    command_name = "reword-goal"


class RetireGoal(Command, GoalRetirement):
    command_name = "retire-goal"


class MakeCommitment(Command, CommitmentFields):
    """A commitment under a result goal: a key figure with a target, an activity, or a
    financial goal."""

    command_name = "make-commitment"


class AddIndicator(Command, IndicatorFields):
    command_name = "add-indicator"


class AttachNote(Command, NoteFields):
    command_name = "attach-note"


class RecordMeasurement(Command, MeasurementFields):
    """A measured value, as a survey or statistics system reports it; replaces an earlier
    one for the same period."""

    command_name = "record-measurement"


class AssessActivity(Command, ActivityAssessment):
    command_name = "assess-activity"


GOALS_COMMANDS: dict[str, type[Command]] = {
    cls.command_name: cls
    for cls in (
        DefinePerspective,
        AdoptGoal,
        RewordGoal,
        RetireGoal,
        MakeCommitment,
        AddIndicator,
        AttachNote,
        RecordMeasurement,
        AssessActivity,
    )
}
