"""What each budget command decides, given the organisation as it stands."""

from collections.abc import Callable
from datetime import date

from contracts.budget.commands import (
    AppointManager,
    ChangeFrame,
    CloseUnit,
    MakeForecast,
    MoveUnit,
    RecordActuals,
    RegisterUnit,
    RenameUnit,
    SetBudgetProfile,
    SetFigures,
    SetNetInvestment,
    SetProjectShare,
    WriteFollowUpText,
    WriteMonthComment,
    WriteNarrative,
)
from contracts.budget.events import (
    ActualsRecorded,
    BudgetProfileSet,
    FiguresSet,
    FollowUpTextWritten,
    ForecastMade,
    FrameChanged,
    MonthCommentWritten,
    NarrativeWritten,
    NetInvestmentSet,
    ProjectShareSet,
)
from contracts.envelope import Command, Event
from contracts.refusal import refuse
from contracts.scope import Scope
from services.budget.domain.organisation import ORGANISATION_STREAM, Organisation
from services.budget.domain.scope import check_scope
from services.budget.domain.translate import event_from


def _year_start(year: int) -> date:
    return date(year, 1, 1)


def _month_start(period: str) -> date:
    return date(int(period[:4]), int(period[5:7]), 1)


def _set_figures(org: Organisation, command: Command) -> Event:
    assert isinstance(command, SetFigures)
    org.open_on(command.unit_code, _year_start(command.year))
    return event_from(command, FiguresSet)


def _month_figures(
    event_type: type[ActualsRecorded] | type[ForecastMade] | type[MonthCommentWritten],
) -> Callable[[Organisation, Command], Event]:
    def decide(org: Organisation, command: Command) -> Event:
        assert isinstance(command, RecordActuals | MakeForecast | WriteMonthComment)
        org.open_on(command.unit_code, _month_start(command.period))
        return event_from(command, event_type)

    return decide


def _per_year(
    event_type: type[FrameChanged]
    | type[NetInvestmentSet]
    | type[NarrativeWritten]
    | type[ProjectShareSet]
    | type[BudgetProfileSet]
    | type[FollowUpTextWritten],
) -> Callable[[Organisation, Command], Event]:
    def decide(org: Organisation, command: Command) -> Event:
        assert isinstance(
            command,
            ChangeFrame
            | SetNetInvestment
            | WriteNarrative
            | SetProjectShare
            | SetBudgetProfile
            | WriteFollowUpText,
        )
        org.open_on(command.unit_code, _year_start(command.year))
        return event_from(command, event_type)

    return decide


def _organisation(
    method: Callable[[Organisation, Command], Event],
) -> Callable[[Organisation, Command], Event]:
    def decide(org: Organisation, command: Command) -> Event:
        event = method(org, command)
        # Later commands in the same batch must see the tree as this one left it.
        org.apply(event)
        return event

    return decide


DECISIONS: dict[type[Command], Callable[[Organisation, Command], Event]] = {
    RegisterUnit: _organisation(lambda org, c: org.register(c)),  # type: ignore[arg-type]
    RenameUnit: _organisation(lambda org, c: org.rename(c)),  # type: ignore[arg-type]
    MoveUnit: _organisation(lambda org, c: org.move(c)),  # type: ignore[arg-type]
    CloseUnit: _organisation(lambda org, c: org.close(c)),  # type: ignore[arg-type]
    AppointManager: _organisation(lambda org, c: org.appoint(c)),  # type: ignore[arg-type]
    SetFigures: _set_figures,
    RecordActuals: _month_figures(ActualsRecorded),
    MakeForecast: _month_figures(ForecastMade),
    ChangeFrame: _per_year(FrameChanged),
    SetNetInvestment: _per_year(NetInvestmentSet),
    WriteNarrative: _per_year(NarrativeWritten),
    SetProjectShare: _per_year(ProjectShareSet),
    WriteMonthComment: _month_figures(MonthCommentWritten),
    SetBudgetProfile: _per_year(BudgetProfileSet),
    WriteFollowUpText: _per_year(FollowUpTextWritten),
}


def decide(org: Organisation, command: Command, scope: Scope | None = None) -> Event:
    """The event ``command`` leads to; raises Refused with the reasons when it may not happen.

    ``scope`` limits the units a sender may write for; None means no limit.
    """
    decision = DECISIONS.get(type(command))
    if decision is None:
        raise refuse("", f"okänt kommando {type(command).__name__}")
    if scope is not None:
        check_scope(org, command, scope)
    return decision(org, command)


def stream_for(event: Event) -> str:
    """Which stream an event belongs to: the tree, or one unit's year."""
    year = getattr(event, "year", None) or getattr(event, "period", "")[:4]
    if year:
        return f"unit-{event.unit_code}-{year}"  # type: ignore[attr-defined]
    return ORGANISATION_STREAM
