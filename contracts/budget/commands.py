"""Budget commands: what controllers and administrations' systems ask the budget service to do."""

from contracts.budget.fields import (
    BudgetProfileFields,
    FollowUpTextFields,
    FrameChangeFields,
    ManagerAppointment,
    MonthCommentFields,
    MonthFigures,
    NarrativeFields,
    NetInvestmentFields,
    ProjectShareFields,
    UnitClosing,
    UnitMove,
    UnitRegistration,
    UnitRenaming,
    YearFigures,
)
from contracts.envelope import Command


class RegisterUnit(Command, UnitRegistration):
    command_name = "register-unit"


class RenameUnit(Command, UnitRenaming):
    command_name = "rename-unit"


class MoveUnit(Command, UnitMove):
    command_name = "move-unit"


class CloseUnit(Command, UnitClosing):
    command_name = "close-unit"


class AppointManager(Command, ManagerAppointment):
    command_name = "appoint-manager"


class SetFigures(Command, YearFigures):
    command_name = "set-figures"


class RecordActuals(Command, MonthFigures):
    command_name = "record-actuals"


class MakeForecast(Command, MonthFigures):
    command_name = "make-forecast"


class ChangeFrame(Command, FrameChangeFields):
    command_name = "change-frame"


class SetNetInvestment(Command, NetInvestmentFields):
    command_name = "set-net-investment"


class WriteNarrative(Command, NarrativeFields):
    command_name = "write-narrative"


class WriteFollowUpText(Command, FollowUpTextFields):
    command_name = "write-follow-up-text"


class SetProjectShare(Command, ProjectShareFields):
    command_name = "set-project-share"


class WriteMonthComment(Command, MonthCommentFields):
    command_name = "write-month-comment"


class SetBudgetProfile(Command, BudgetProfileFields):
    command_name = "set-budget-profile"


BUDGET_COMMANDS: dict[str, type[Command]] = {
    cls.command_name: cls
    for cls in (
        RegisterUnit,
        RenameUnit,
        MoveUnit,
        CloseUnit,
        AppointManager,
        SetFigures,
        RecordActuals,
        MakeForecast,
        ChangeFrame,
        SetNetInvestment,
        WriteNarrative,
        SetProjectShare,
        WriteMonthComment,
        SetBudgetProfile,
        WriteFollowUpText,
    )
}
