"""What each budget command decides, given the organisation as it stands."""

from collections.abc import Callable
from datetime import date

from contracts.budget import commands, events
from contracts.envelope import Event, event_from
from plumbing.decisions import Decisions
from services.budget.domain.organisation import ORGANISATION_STREAM, Organisation
from services.budget.domain.scope import check_scope


def _year_start(year: int) -> date:
    return date(year, 1, 1)


def _month_start(period: str) -> date:
    return date(int(period[:4]), int(period[5:7]), 1)


# The event a command leads to, applied to the batch's copy of the organisation at once (later
# commands in the same batch see the tree as it left it); raises Refused with the reasons when
# it may not happen. ``scope`` limits the units a sender may write for; None means no limit.
decide: Decisions[Organisation] = Decisions(check_scope)
decide.add(commands.RegisterUnit, Organisation.register)
decide.add(commands.RenameUnit, Organisation.rename)
decide.add(commands.MoveUnit, Organisation.move)
decide.add(commands.CloseUnit, Organisation.close)
decide.add(commands.AppointManager, Organisation.appoint)


@decide.on(commands.SetFigures)
def _set_figures(org: Organisation, command: commands.SetFigures) -> Event:
    org.open_on(command.unit_code, _year_start(command.year))
    return event_from(command, events.FiguresSet)


MonthCommand = commands.RecordActuals | commands.MakeForecast | commands.WriteMonthComment
YearCommand = (
    commands.ChangeFrame
    | commands.SetNetInvestment
    | commands.WriteNarrative
    | commands.SetProjectShare
    | commands.SetBudgetProfile
    | commands.WriteFollowUpText
    | commands.AttachTableNote
    | commands.MarkReady
    | commands.ReopenReport
)


def _for_a_month(event_type: type[Event]) -> Callable[[Organisation, MonthCommand], Event]:
    """What a unit records for a month: the unit must be open in it."""

    def decision(org: Organisation, command: MonthCommand) -> Event:
        org.open_on(command.unit_code, _month_start(command.period))
        return event_from(command, event_type)

    return decision


def _for_a_year(event_type: type[Event]) -> Callable[[Organisation, YearCommand], Event]:
    """What a unit records for a year: the unit must be open at its start."""

    def decision(org: Organisation, command: YearCommand) -> Event:
        org.open_on(command.unit_code, _year_start(command.year))
        return event_from(command, event_type)

    return decision


# What a unit records for a month or for a year, and the event that records it.
_MONTHLY: tuple[tuple[type[MonthCommand], type[Event]], ...] = (
    (commands.RecordActuals, events.ActualsRecorded),
    (commands.MakeForecast, events.ForecastMade),
    (commands.WriteMonthComment, events.MonthCommentWritten),
)
_YEARLY: tuple[tuple[type[YearCommand], type[Event]], ...] = (
    (commands.ChangeFrame, events.FrameChanged),
    (commands.SetNetInvestment, events.NetInvestmentSet),
    (commands.WriteNarrative, events.NarrativeWritten),
    (commands.SetProjectShare, events.ProjectShareSet),
    (commands.SetBudgetProfile, events.BudgetProfileSet),
    (commands.WriteFollowUpText, events.FollowUpTextWritten),
    (commands.AttachTableNote, events.TableNoteAttached),
    (commands.MarkReady, events.ReportMarkedReady),
    (commands.ReopenReport, events.ReportReopened),
)
for month_command, month_event in _MONTHLY:
    decide.add(month_command, _for_a_month(month_event))
for year_command, year_event in _YEARLY:
    decide.add(year_command, _for_a_year(year_event))


def stream_for(event: Event) -> str:
    """Which stream an event belongs to: the tree, or one unit's year."""
    # Read from the fields themselves: a missing attribute of a pydantic model is looked
    # for among its private ones and then raised and caught, 3 µs an event on every actual.
    fields = event.__dict__
    year = fields.get("year") or fields.get("period", "")[:4]
    if year:
        return f"unit-{fields['unit_code']}-{year}"
    return ORGANISATION_STREAM
