"""The budget service's contract."""

from contracts.budget import commands, events
from contracts.envelope import commands_by_name, events_by_type
from contracts.service import WriteService

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

BUDGET = WriteService(
    name="budget", title="budgettjänsten", commands=BUDGET_COMMANDS, events=BUDGET_EVENTS
)
