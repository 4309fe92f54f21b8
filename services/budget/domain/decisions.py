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


decide.add(commands.RecordActuals, _for_a_month(events.ActualsRecorded))
decide.add(commands.MakeForecast, _for_a_month(events.ForecastMade))
decide.add(commands.WriteMonthComment, _for_a_month(events.MonthCommentWritten))
decide.add(commands.ChangeFrame, _for_a_year(events.FrameChanged))
decide.add(commands.SetNetInvestment, _for_a_year(events.NetInvestmentSet))
decide.add(commands.WriteNarrative, _for_a_year(events.NarrativeWritten))
decide.add(commands.SetProjectShare, _for_a_year(events.ProjectShareSet))
decide.add(commands.SetBudgetProfile, _for_a_year(events.BudgetProfileSet))
decide.add(commands.WriteFollowUpText, _for_a_year(events.FollowUpTextWritten))
decide.add(commands.AttachTableNote, _for_a_year(events.TableNoteAttached))
decide.add(commands.MarkReady, _for_a_year(events.ReportMarkedReady))
decide.add(commands.ReopenReport, _for_a_year(events.ReportReopened))


def stream_for(event: Event) -> str:
    """Which stream an event belongs to: the tree, or one unit's year."""
    year = getattr(event, "year", None) or getattr(event, "period", "")[:4]
    if year:
        return f"unit-{event.unit_code}-{year}"  # type: ignore[attr-defined]
    return ORGANISATION_STREAM
