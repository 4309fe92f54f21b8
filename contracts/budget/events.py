"""Budget events, version 1: facts the budget service has stored."""

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
from contracts.envelope import Event


class UnitRegistered(Event, UnitRegistration):
    event_type = "UnitRegistered"


class UnitRenamed(Event, UnitRenaming):
    event_type = "UnitRenamed"


class UnitMoved(Event, UnitMove):
    event_type = "UnitMoved"


class UnitClosed(Event, UnitClosing):
    event_type = "UnitClosed"


class ManagerAppointed(Event, ManagerAppointment):
    event_type = "ManagerAppointed"


class FiguresSet(Event, YearFigures):
    """Budget, plan or closed-year actuals for a unit (any node of the tree) and year."""

    event_type = "FiguresSet"


class ActualsRecorded(Event, MonthFigures):
    """Booked outcome for a month, as the ledger system reports it; replaces earlier ones."""

    event_type = "ActualsRecorded"


class ForecastMade(Event, MonthFigures):
    """Expected full-year outcome, made in the month of ``period``."""

    event_type = "ForecastMade"


class FrameChanged(Event, FrameChangeFields):
    event_type = "FrameChanged"


class NetInvestmentSet(Event, NetInvestmentFields):
    event_type = "NetInvestmentSet"


class NarrativeWritten(Event, NarrativeFields):
    event_type = "NarrativeWritten"


class FollowUpTextWritten(Event, FollowUpTextFields):
    """A unit's text for a year's interim or annual report; replaces the earlier one."""

    event_type = "FollowUpTextWritten"


class ProjectShareSet(Event, ProjectShareFields):
    """The project office's revenue from one project for a year; replaces the earlier one."""

    event_type = "ProjectShareSet"


class MonthCommentWritten(Event, MonthCommentFields):
    """A unit's comment and measures for a month; replaces an earlier one for that month."""

    event_type = "MonthCommentWritten"


class BudgetProfileSet(Event, BudgetProfileFields):
    """How a unit's budget for a year is spread over the months; replaces an earlier one."""

    event_type = "BudgetProfileSet"


BUDGET_EVENTS: dict[str, type[Event]] = {
    cls.event_type: cls
    for cls in (
        UnitRegistered,
        UnitRenamed,
        UnitMoved,
        UnitClosed,
        ManagerAppointed,
        FiguresSet,
        ActualsRecorded,
        ForecastMade,
        FrameChanged,
        NetInvestmentSet,
        NarrativeWritten,
        ProjectShareSet,
        MonthCommentWritten,
        BudgetProfileSet,
        FollowUpTextWritten,
    )
}
