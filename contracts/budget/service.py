"""The budget service's contract."""

from contracts.budget import commands, events
from contracts.envelope import commands_by_name, events_by_type
from contracts.service import CONTROLLER, PLANNER, WriteService

BUDGET_COMMANDS = commands_by_name(
    commands.RegisterUnit,
    commands.RenameUnit,
    commands.MoveUnit,
    commands.CloseUnit,
    commands.AppointManager,
    commands.SetFigures,
    commands.RecordActuals,
    commands.MakeForecast,
    commands.ChangeFrame,
    commands.SetNetInvestment,
    commands.WriteNarrative,
    commands.SetProjectShare,
    commands.WriteMonthComment,
    commands.SetBudgetProfile,
    commands.WriteFollowUpText,
    commands.AttachTableNote,
    commands.MarkReady,
    commands.ReopenReport,
)
BUDGET_EVENTS = events_by_type(
    events.UnitRegistered,
    events.UnitRenamed,
    events.UnitMoved,
    events.UnitClosed,
    events.ManagerAppointed,
    events.FiguresSet,
    events.ActualsRecorded,
    events.ForecastMade,
    events.FrameChanged,
    events.NetInvestmentSet,
    events.NarrativeWritten,
    events.ProjectShareSet,
    events.MonthCommentWritten,
    events.BudgetProfileSet,
    events.FollowUpTextWritten,
    events.TableNoteAttached,
    events.ReportMarkedReady,
    events.ReportReopened,
)

# A planner shapes the organisation tree; the figures and their texts, and the follow-up's
# ready-marking, are a controller's too.
_TREE = ("register-unit", "rename-unit", "move-unit", "close-unit", "appoint-manager")


def _roles(command: str) -> frozenset[str]:
    if command in _TREE:
        return frozenset({PLANNER})
    # Only the projects service sends it, over NATS, as a project office's budget changes:
    # by hand it would move the office's revenue outside the 10 % rule, so no role may.
    if command == commands.SetProjectShare.command_name:
        return frozenset()
    return frozenset({CONTROLLER, PLANNER})


BUDGET = WriteService(
    name="budget",
    title="budgettjänsten",
    commands=BUDGET_COMMANDS,
    events=BUDGET_EVENTS,
    roles={name: _roles(name) for name in BUDGET_COMMANDS},
)
