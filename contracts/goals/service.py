"""The goals service's contract; it learns the organisation tree from budget's events."""

from contracts.budget.service import BUDGET
from contracts.budget.tree import TREE_EVENTS
from contracts.envelope import commands_by_name, events_by_type
from contracts.goals import commands, events
from contracts.service import Learns, WriteService, catalogue_roles

GOALS_COMMANDS = commands_by_name(
    commands.DefinePerspective,
    commands.AdoptGoal,
    commands.RewordGoal,
    commands.RetireGoal,
    commands.MakeCommitment,
    commands.AddIndicator,
    commands.AttachNote,
    commands.RecordMeasurement,
    commands.AssessActivity,
)
GOALS_EVENTS = events_by_type(
    events.PerspectiveDefined,
    events.GoalAdopted,
    events.GoalReworded,
    events.GoalRetired,
    events.CommitmentMade,
    events.IndicatorAdded,
    events.NoteAttached,
    events.MeasurementRecorded,
    events.ActivityAssessed,
)

GOALS = WriteService(
    name="goals",
    title="måltjänsten",
    commands=GOALS_COMMANDS,
    events=GOALS_EVENTS,
    learns=(Learns(BUDGET, TREE_EVENTS),),
    # Planners keep the catalogue; a controller may also follow it up.
    roles=catalogue_roles(
        GOALS_COMMANDS, follow_up=(commands.RecordMeasurement, commands.AssessActivity)
    ),
)
