"""What each goals command decides, given the catalogue and the organisation tree as they stand.

Every refusal names the field it is about, in Swedish, as a sender sees it.
"""

from collections.abc import Mapping
from datetime import date
from typing import TypeVar

from contracts.budget.tree import check_on_board
from contracts.envelope import Event, event_from
from contracts.goals import commands, events
from contracts.goals.fields import CommitmentKind, TargetKind
from contracts.refusal import check_not_before, refuse
from plumbing.decisions import Decisions
from services.goals.domain.catalogue import CATALOGUE_STREAM, Catalogue, Goal, measure_stream
from services.goals.domain.scope import check_scope

T = TypeVar("T")

MEASURED_KINDS = (CommitmentKind.KEY_FIGURE, CommitmentKind.FINANCIAL)

# The event a command leads to, applied to the batch's copy of the catalogue at once; raises
# Refused with the reasons when it may not happen.
decide: Decisions[Catalogue] = Decisions(check_scope)


def _unused(catalogue: Catalogue, field: str, identifier: str) -> None:
    if catalogue.used(identifier):
        raise refuse(field, f"id:t {identifier} används redan; välj ett nytt")


def _known(table: Mapping[str, T], identifier: str, field: str, what: str) -> T:
    """The entry ``identifier`` names, or a refusal naming ``field`` that ``what`` (its kind,
    in Swedish, e.g. "resultatmålet") does not exist."""
    entry = table.get(identifier)
    if entry is None:
        raise refuse(field, f"{what} {identifier} finns inte")
    return entry


def _known_goal(catalogue: Catalogue, goal_id: str, field: str = "goal_id") -> Goal:
    return _known(catalogue.goals, goal_id, field, "resultatmålet")


def _total_only(values: object, field_prefix: str, reason: str) -> None:
    """Refuse values for women and men of something not measured by gender."""
    for part in ("women", "men"):
        if getattr(values, part) is not None:
            raise refuse(f"{field_prefix}{part}", reason)


@decide.on(commands.DefinePerspective)
def _define_perspective(catalogue: Catalogue, command: commands.DefinePerspective) -> Event:
    catalogue.tree.heard_of_board(command.board_code)
    _unused(catalogue, "perspective_id", command.perspective_id)
    if command.parent_id is not None:
        parent = _known(catalogue.perspectives, command.parent_id, "parent_id", "perspektivet")
        check_on_board(
            "parent_id", f"perspektivet {command.parent_id}", parent.board_code, command.board_code
        )
    return event_from(command, events.PerspectiveDefined)


@decide.on(commands.AdoptGoal)
def _adopt_goal(catalogue: Catalogue, command: commands.AdoptGoal) -> Event:
    _unused(catalogue, "goal_id", command.goal_id)
    catalogue.tree.heard_of(command.unit_code)
    catalogue.tree.open_on(command.unit_code, date(command.first_year, 1, 1))
    perspective = _known(
        catalogue.perspectives, command.perspective_id, "perspective_id", "perspektivet"
    )
    board = catalogue.tree.board_of(command.unit_code)
    if perspective.board_code != board:
        raise refuse(
            "perspective_id",
            f"perspektivet {command.perspective_id} hör till {perspective.board_code}; "
            f"enheten {command.unit_code} hör till {board}",
        )
    return event_from(command, events.GoalAdopted)


@decide.on(commands.RewordGoal)
def _reword_goal(catalogue: Catalogue, command: commands.RewordGoal) -> Event:
    _known_goal(catalogue, command.goal_id)
    return event_from(command, events.GoalReworded)


@decide.on(commands.RetireGoal)
def _retire_goal(catalogue: Catalogue, command: commands.RetireGoal) -> Event:
    first_year = _known_goal(catalogue, command.goal_id).adopted.first_year
    check_not_before("last_year", command.last_year, first_year, "målets första år")
    return event_from(command, events.GoalRetired)


@decide.on(commands.MakeCommitment)
def _make_commitment(catalogue: Catalogue, command: commands.MakeCommitment) -> Event:
    _unused(catalogue, "commitment_id", command.commitment_id)
    if _known_goal(catalogue, command.goal_id).retired:
        raise refuse("goal_id", f"resultatmålet {command.goal_id} har avslutats")
    # A key figure may be followed without a target level: the plan has such ("the digital
    # divide shall shrink", "self-financing shall rise from its 2009 level"); it is then
    # measured and shown, and its attainment is not judged.
    if command.kind is CommitmentKind.ACTIVITY and command.target is not None:
        raise refuse("target", "en aktivitet har ingen målnivå; den bedöms med assess-activity")
    target = command.target
    if target is not None and target.stated_kind is TargetKind.CHANGE and command.baseline is None:
        raise refuse(
            "baseline",
            "ett förändringsmål räknas från ett utgångsvärde; ange baseline med minst dess period",
        )
    if command.baseline is not None and not command.by_gender:
        _total_only(
            command.baseline,
            "baseline.",
            "åtagandet mäts inte könsuppdelat (by_gender); "
            "utgångsvärdet kan inte ha värden för kvinnor och män",
        )
    return event_from(command, events.CommitmentMade)


@decide.on(commands.AddIndicator)
def _add_indicator(catalogue: Catalogue, command: commands.AddIndicator) -> Event:
    _unused(catalogue, "indicator_id", command.indicator_id)
    if command.commitment_id is not None:
        _known(catalogue.commitments, command.commitment_id, "commitment_id", "åtagandet")
    if command.goal_id is not None:
        _known_goal(catalogue, command.goal_id)
    return event_from(command, events.IndicatorAdded)


@decide.on(commands.AttachNote)
def _attach_note(catalogue: Catalogue, command: commands.AttachNote) -> Event:
    _unused(catalogue, "note_id", command.note_id)
    if catalogue.goal_of(command.attached_to) is None:
        raise refuse(
            "attached_to",
            f"{command.attached_to} är inget resultatmål, åtagande eller indikator som finns",
        )
    return event_from(command, events.NoteAttached)


@decide.on(commands.RecordMeasurement)
def _record_measurement(catalogue: Catalogue, command: commands.RecordMeasurement) -> Event:
    measure = command.measure_id
    commitment = catalogue.commitments.get(measure)
    indicator = catalogue.indicators.get(measure)
    if commitment is not None:
        if commitment.kind is CommitmentKind.ACTIVITY:
            raise refuse(
                "measure_id",
                f"åtagandet {measure} är en aktivitet; den mäts inte utan bedöms "
                "med assess-activity",
            )
        if commitment.kind not in MEASURED_KINDS:
            raise refuse(
                "measure_id", f"åtagandet {measure} är inget nyckeltal eller finansiellt mål"
            )
        by_gender = commitment.by_gender
    elif indicator is not None:
        by_gender = indicator.by_gender
    else:
        raise refuse("measure_id", f"{measure} är inget åtagande eller indikator som finns")
    if not by_gender:
        _total_only(
            command,
            "",
            f"{measure} mäts inte könsuppdelat (by_gender); "
            "ange bara total, inga värden för kvinnor och män",
        )
    return event_from(command, events.MeasurementRecorded)


@decide.on(commands.AssessActivity)
def _assess_activity(catalogue: Catalogue, command: commands.AssessActivity) -> Event:
    commitment = _known(catalogue.commitments, command.commitment_id, "commitment_id", "åtagandet")
    # What has a target level is judged by its measurements; what has none (an activity,
    # or a key figure the plan gives no level) is judged by a controller's assessment.
    if commitment.target is not None:
        raise refuse(
            "commitment_id",
            f"åtagandet {command.commitment_id} har en målnivå och bedöms mot sina mätvärden; "
            "dess värden registreras med record-measurement",
        )
    return event_from(command, events.ActivityAssessed)


def stream_for(event: Event) -> str:
    """The catalogue's stream, or the measure's own for a measurement or an assessment."""
    if isinstance(event, events.MeasurementRecorded):
        return measure_stream(event.measure_id)
    if isinstance(event, events.ActivityAssessed):
        return measure_stream(event.commitment_id)
    return CATALOGUE_STREAM
