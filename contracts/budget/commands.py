"""Budget commands: what controllers and administrations' systems ask the budget service to do."""

from contracts.budget import fields, notes
from contracts.envelope import Command


class RegisterUnit(Command, fields.UnitRegistration):
    command_name = "register-unit"


class RenameUnit(Command, fields.UnitRenaming):
    command_name = "rename-unit"


class MoveUnit(Command, fields.UnitMove):
    command_name = "move-unit"


class CloseUnit(Command, fields.UnitClosing):
    command_name = "close-unit"


class AppointManager(Command, fields.ManagerAppointment):
    command_name = "appoint-manager"


class SetFigures(Command, fields.YearFigures):
    command_name = "set-figures"


class RecordActuals(Command, fields.MonthFigures):
    command_name = "record-actuals"


class MakeForecast(Command, fields.MonthFigures):
    command_name = "make-forecast"


class ChangeFrame(Command, fields.FrameChangeFields):
    command_name = "change-frame"


class SetNetInvestment(Command, fields.NetInvestmentFields):
    command_name = "set-net-investment"


class WriteNarrative(Command, fields.NarrativeFields):
    command_name = "write-narrative"


class WriteFollowUpText(Command, fields.FollowUpTextFields):
    command_name = "write-follow-up-text"


class SetProjectShare(Command, fields.ProjectShareFields):
    command_name = "set-project-share"


class WriteMonthComment(Command, fields.MonthCommentFields):
    command_name = "write-month-comment"


class SetBudgetProfile(Command, fields.BudgetProfileFields):
    command_name = "set-budget-profile"


class AttachTableNote(Command, notes.NoteFields):
    command_name = "attach-table-note"


class MarkReady(Command, fields.ReadinessFields):
    """Mark a unit's month report, interim report or annual report ready for its parent."""

    command_name = "mark-ready"


class ReopenReport(Command, fields.ReadinessFields):
    """Open a unit's follow-up marked ready again, to change it."""

    command_name = "reopen-report"
