"""Budget events, version 1: facts the budget service has stored."""

from contracts.budget import fields, notes
from contracts.envelope import Event


class UnitRegistered(Event, fields.UnitRegistration):
    event_type = "UnitRegistered"


class UnitRenamed(Event, fields.UnitRenaming):
    event_type = "UnitRenamed"


class UnitMoved(Event, fields.UnitMove):
    event_type = "UnitMoved"


class UnitClosed(Event, fields.UnitClosing):
    event_type = "UnitClosed"


class ManagerAppointed(Event, fields.ManagerAppointment):
    event_type = "ManagerAppointed"


class FiguresSet(Event, fields.YearFigures):
    """Budget, plan or closed-year actuals for a unit (any node of the tree) and year."""

    event_type = "FiguresSet"


class ActualsRecorded(Event, fields.MonthFigures):
    """Booked outcome for a month, as the ledger system reports it; replaces earlier ones."""

    event_type = "ActualsRecorded"


class ForecastMade(Event, fields.MonthFigures):
    """Expected full-year outcome, made in the month of ``period``."""

    event_type = "ForecastMade"


class FrameChanged(Event, fields.FrameChangeFields):
    event_type = "FrameChanged"


class NetInvestmentSet(Event, fields.NetInvestmentFields):
    event_type = "NetInvestmentSet"


class NarrativeWritten(Event, fields.NarrativeFields):
    event_type = "NarrativeWritten"


class FollowUpTextWritten(Event, fields.FollowUpTextFields):
    """A unit's text for a year's interim or annual report; replaces the earlier one."""

    event_type = "FollowUpTextWritten"


class ProjectShareSet(Event, fields.ProjectShareFields):
    """The project office's revenue from one project for a year; replaces the earlier one."""

    event_type = "ProjectShareSet"


class MonthCommentWritten(Event, fields.MonthCommentFields):
    """A unit's comment and measures for a month; replaces an earlier one for that month."""

    event_type = "MonthCommentWritten"


class BudgetProfileSet(Event, fields.BudgetProfileFields):
    """How a unit's budget for a year is spread over the months; replaces an earlier one."""

    event_type = "BudgetProfileSet"


class TableNoteAttached(Event, notes.NoteFields):
    """A note on a unit's table, column or figure; replaces an earlier one of the same id."""

    event_type = "TableNoteAttached"


class ReportMarkedReady(Event, fields.ReadinessFields):
    """A unit's follow-up was marked ready for its parent unit (klarmarkerad)."""

    event_type = "ReportMarkedReady"


class ReportReopened(Event, fields.ReadinessFields):
    """A unit's follow-up marked ready was opened again."""

    event_type = "ReportReopened"
