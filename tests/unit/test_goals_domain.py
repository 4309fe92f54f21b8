"""The goals domain decides without I/O: which event happens, or why not, naming the field."""

from datetime import date
from typing import Any

import pytest

from contracts.budget.events import UnitClosed, UnitRegistered
from contracts.budget.tree import OrganisationTree
from contracts.envelope import Command
from contracts.goals.commands import (
    AddIndicator,
    AdoptGoal,
    AssessActivity,
    AttachNote,
    DefinePerspective,
    MakeCommitment,
    RecordMeasurement,
    RetireGoal,
    RewordGoal,
)
from contracts.goals.events import (
    ActivityAssessed,
    CommitmentMade,
    GoalAdopted,
    MeasurementRecorded,
)
from contracts.refusal import NotPermitted, Refused
from contracts.scope import Scope
from kommunplan.demo_data.goals import goals_demo_commands, goals_demo_measurements
from services.goals.domain.catalogue import CATALOGUE_STREAM, Catalogue
from services.goals.domain.decisions import decide, stream_for
from services.goals.domain.permissions import check_permission

KEY_FIGURE_TARGET = {"comparison": "at_least", "value": "60", "unit": "index"}


def unit(code: str, parent: str | None, kind: str = "unit") -> UnitRegistered:
    return UnitRegistered.model_validate(
        {
            "unit_code": code,
            "name": code.title(),
            "kind": kind,
            "parent_code": parent,
            "effective_on": "2010-01-01",
        }
    )


def organisation() -> OrganisationTree:
    tree = OrganisationTree()
    for event in (
        unit("KS", None, "board"),
        unit("KLF", "KS", "administration"),
        unit("IT", "KLF"),
        unit("NÄT", "KS", "administration"),
        unit("BUN", None, "board"),
        unit("SKOL", "BUN", "administration"),
        unit("OLD", "KLF"),
        UnitClosed.model_validate({"unit_code": "OLD", "effective_on": "2010-06-30"}),
    ):
        tree.apply(event)
    return tree


def perspective(pid: str, board: str = "KS", parent: str | None = None) -> DefinePerspective:
    return DefinePerspective(
        actor="t",
        board_code=board,
        perspective_id=pid,
        name=pid.title(),
        position=1,
        parent_id=parent,
    )


def goal(gid: str, unit_code: str = "IT", pid: str = "samhalle", first: int = 2011) -> AdoptGoal:
    return AdoptGoal(
        actor="t",
        goal_id=gid,
        unit_code=unit_code,
        perspective_id=pid,
        title=gid,
        first_year=first,
        last_year=2013,
    )


def commitment(
    cid: str, gid: str = "mal", kind: str = "key_figure", **fields: Any
) -> MakeCommitment:
    if kind == "key_figure":
        fields.setdefault("target", KEY_FIGURE_TARGET)
    return MakeCommitment.model_validate(
        {"actor": "t", "commitment_id": cid, "goal_id": gid, "kind": kind, "text": cid, **fields}
    )


def indicator(iid: str, **parent: Any) -> AddIndicator:
    return AddIndicator.model_validate({"actor": "t", "indicator_id": iid, "name": iid, **parent})


def measurement(mid: str, **values: Any) -> RecordMeasurement:
    return RecordMeasurement.model_validate(
        {"actor": "t", "measure_id": mid, "period": "2011", "source": "SCB", **values}
    )


def assessment(cid: str) -> AssessActivity:
    return AssessActivity(actor="t", commitment_id=cid, period="2011", status="done")


@pytest.fixture
def catalogue() -> Catalogue:
    """KS's perspective with a sub-area, a goal for IT with a key figure (by gender), an
    activity and an indicator under it."""
    found = Catalogue(organisation())
    for command in (
        perspective("samhalle"),
        perspective("folkhalsa", parent="samhalle"),
        perspective("skola", board="BUN"),
        goal("mal"),
        commitment("nki", by_gender=True),
        commitment("akt", kind="activity"),
        commitment("fin", kind="financial"),
        indicator("ind", commitment_id="nki"),
        indicator("ind-gender", goal_id="mal", by_gender=True),
    ):
        decide(found, command)
    return found


def refusal(catalogue: Catalogue, command: Command, scope: Scope | None = None) -> tuple[str, str]:
    before = (dict(catalogue.goals), dict(catalogue.commitments), dict(catalogue.notes))
    with pytest.raises(Refused) as refused:
        decide(catalogue, command, scope)
    assert (catalogue.goals, catalogue.commitments, catalogue.notes) == before
    (problem,) = refused.value.problems
    return problem.field, problem.message


def test_the_whole_demo_catalogue_and_its_measurements_are_accepted() -> None:
    found = Catalogue(organisation())
    commands = goals_demo_commands() + goals_demo_measurements()
    for command in commands:
        decide(found, command)
    adopted = sum(isinstance(c, AdoptGoal) for c in commands)
    assert len(found.goals) == adopted > 10
    made = sum(isinstance(c, MakeCommitment) for c in commands)
    assert len(found.commitments) == made


def test_a_key_figure_may_be_followed_without_a_target(catalogue: Catalogue) -> None:
    event = decide(catalogue, commitment("utan-mal", kind="key_figure", target=None))
    assert isinstance(event, CommitmentMade) and event.target is None


CHANGE_TARGET = {
    "comparison": "at_least",
    "value": "25",
    "unit": "percent",
    "due_year": 2011,
    "kind": "change",
    "change_basis": "percent_of_baseline",
}


def test_a_change_target_is_counted_from_a_baseline(catalogue: Catalogue) -> None:
    without = commitment("okning", target=CHANGE_TARGET)
    assert refusal(catalogue, without) == (
        "baseline",
        "ett förändringsmål räknas från ett utgångsvärde; ange baseline med minst dess period",
    )
    # The plan may name the baseline's period alone: "öka från 2009 års nivå".
    event = decide(
        catalogue, commitment("okning", target=CHANGE_TARGET, baseline={"period": "2010"})
    )
    assert isinstance(event, CommitmentMade) and event.baseline is not None
    assert event.baseline.value is None


def test_a_target_states_its_kind_fittingly() -> None:
    with pytest.raises(ValueError, match="change_basis"):
        commitment("x", target={**CHANGE_TARGET, "change_basis": None})
    with pytest.raises(ValueError, match="change_basis hör bara"):
        commitment("x", target={**KEY_FIGURE_TARGET, "change_basis": "measure_unit"})
    with pytest.raises(ValueError, match="enheten rank"):
        commitment("x", target={**KEY_FIGURE_TARGET, "kind": "rank"})
    # Stored before kinds were named: a level, or a rank where its unit is one.
    old = commitment("x", target={"comparison": "at_most", "value": "145", "unit": "rank"})
    assert old.target is not None and old.target.stated_kind.value == "rank"
    assert commitment("y").target.stated_kind.value == "level"  # type: ignore[union-attr]


def test_an_accepted_command_is_applied_so_the_next_one_sees_it(catalogue: Catalogue) -> None:
    event = decide(catalogue, goal("nytt-mal", unit_code="NÄT"))
    assert isinstance(event, GoalAdopted)
    assert catalogue.goals["nytt-mal"].unit_code == "NÄT"
    decide(catalogue, commitment("nytt-atagande", gid="nytt-mal"))
    assert stream_for(event) == CATALOGUE_STREAM


def test_measurements_and_assessments_go_on_the_measures_stream_and_leave_the_catalogue(
    catalogue: Catalogue,
) -> None:
    before = (dict(catalogue.goals), dict(catalogue.commitments), dict(catalogue.indicators))
    recorded = decide(catalogue, measurement("nki", total="63", women="61", men="65"))
    assert isinstance(recorded, MeasurementRecorded) and recorded.women == 61
    assessed = decide(catalogue, assessment("akt"))
    assert isinstance(assessed, ActivityAssessed)
    assert (stream_for(recorded), stream_for(assessed)) == ("measure-nki", "measure-akt")
    assert decide(catalogue, measurement("ind", total="4")).measure_id == "ind"  # type: ignore[attr-defined]
    assert decide(catalogue, measurement("fin", total="1.5")).total == 1.5  # type: ignore[attr-defined]
    assert (catalogue.goals, catalogue.commitments, catalogue.indicators) == before


@pytest.mark.parametrize(
    ("command", "field", "words"),
    [
        (goal("g", unit_code="NONE"), "unit_code", "finns inte"),
        (goal("g", unit_code="OLD"), "unit_code", "stängdes 2010-06-30"),
        (goal("g", pid="none"), "perspective_id", "finns inte"),
        (goal("g", pid="skola"), "perspective_id", "hör till BUN"),
        (goal("mal"), "goal_id", "används redan"),
        (goal("nki"), "goal_id", "används redan"),
        (perspective("p", parent="none"), "parent_id", "finns inte"),
        (perspective("p", board="BUN", parent="samhalle"), "parent_id", "hör till KS"),
        (perspective("p", board="NONE"), "board_code", "finns inte"),
        (perspective("p", board="KLF"), "board_code", "ingen nämnd"),
        (perspective("samhalle"), "perspective_id", "används redan"),
        (commitment("nki"), "commitment_id", "används redan"),
        (commitment("c", gid="none"), "goal_id", "finns inte"),
        (commitment("c", kind="activity", target=KEY_FIGURE_TARGET), "target", "ingen målnivå"),
        (
            commitment("c", baseline={"value": "5", "women": "4", "period": "2010"}),
            "baseline.women",
            "könsuppdelat",
        ),
        (
            commitment("c", baseline={"value": "5", "men": "4", "period": "2010"}),
            "baseline.men",
            "könsuppdelat",
        ),
        (indicator("ind", goal_id="mal"), "indicator_id", "används redan"),
        (indicator("i", commitment_id="none"), "commitment_id", "finns inte"),
        (indicator("i", goal_id="none"), "goal_id", "finns inte"),
        (
            AttachNote(actor="t", note_id="n", attached_to="none", kind="footnote", text="x"),
            "attached_to",
            "finns",
        ),
        (measurement("none", total="1"), "measure_id", "finns"),
        (measurement("akt", total="1"), "measure_id", "assess-activity"),
        (measurement("fin", total="1", women="1"), "women", "könsuppdelat"),
        (measurement("ind", men="1"), "men", "könsuppdelat"),
        (assessment("nki"), "commitment_id", "har en målnivå"),
        (assessment("none"), "commitment_id", "finns inte"),
        (RewordGoal(actor="t", goal_id="none", title="x"), "goal_id", "finns inte"),
        (RetireGoal(actor="t", goal_id="none", last_year=2012), "goal_id", "finns inte"),
        (RetireGoal(actor="t", goal_id="mal", last_year=2010), "last_year", "första år"),
    ],
)
def test_refusals_name_the_field(
    catalogue: Catalogue, command: Command, field: str, words: str
) -> None:
    found_field, message = refusal(catalogue, command)
    assert (found_field, words in message) == (field, True), message


def test_a_note_may_attach_to_a_goal_a_commitment_or_an_indicator(catalogue: Catalogue) -> None:
    for target in ("mal", "nki", "ind", "ind-gender"):
        note = AttachNote(
            actor="t", note_id=f"not-{target}", attached_to=target, kind="definition", text="x"
        )
        decide(catalogue, note)
    assert len(catalogue.notes) == 4
    assert refusal(catalogue, note)[0] == "note_id"  # the same id again


def test_a_retired_goal_takes_no_new_commitment_but_keeps_its_own(catalogue: Catalogue) -> None:
    decide(catalogue, RetireGoal(actor="t", goal_id="mal", last_year=2011))
    assert catalogue.goals["mal"].retired and catalogue.goals["mal"].last_year == 2011
    field, message = refusal(catalogue, commitment("c"))
    assert field == "goal_id" and "avslutats" in message
    decide(catalogue, RewordGoal(actor="t", goal_id="mal", title="Nytt namn"))
    assert catalogue.goals["mal"].title == "Nytt namn"
    decide(catalogue, measurement("nki", total="1"))  # measuring goes on


def test_a_goal_may_start_the_year_a_unit_closes_in_but_not_after() -> None:
    found = Catalogue(organisation())
    found.tree.apply(unit("LATE", "KLF"))
    found.tree.apply(
        UnitClosed.model_validate({"unit_code": "LATE", "effective_on": date(2011, 1, 1)})
    )
    decide(found, perspective("samhalle"))
    decide(found, goal("ok", unit_code="LATE", first=2011))
    assert refusal(found, goal("late", unit_code="LATE", first=2012))[0] == "unit_code"


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (goal("g", unit_code="NÄT"), "unit_code"),
        (perspective("p", board="BUN"), "board_code"),
        (commitment("c"), "goal_id"),
        (RewordGoal(actor="t", goal_id="mal", title="x"), "goal_id"),
        (indicator("i", commitment_id="nki"), "commitment_id"),
        (
            AttachNote(actor="t", note_id="n", attached_to="ind", kind="footnote", text="x"),
            "attached_to",
        ),
        (measurement("nki", total="1"), "measure_id"),
        (assessment("akt"), "commitment_id"),
    ],
)
def test_a_sender_writes_only_for_the_goals_of_its_units(
    catalogue: Catalogue, command: Command, field: str
) -> None:
    klf_only = Scope(frozenset({"KLF"}))
    nat_only = Scope(frozenset({"NÄT"}))
    outside = klf_only if field in ("unit_code", "board_code") else nat_only
    with pytest.raises(NotPermitted) as refused:
        decide(catalogue, command, outside)
    assert refused.value.problems[0].field == field
    assert "får inte skriva för enheten" in refused.value.problems[0].message
    inside = Scope(frozenset({"KS", "BUN"}))
    decide(catalogue, command, inside)


@pytest.mark.parametrize(
    ("roles", "command", "allowed"),
    [
        ({"planner"}, goal("g"), True),
        ({"controller"}, goal("g"), False),
        ({"controller"}, perspective("p"), False),
        ({"controller"}, measurement("nki", total="1"), True),
        ({"controller"}, assessment("akt"), True),
        ({"planner"}, measurement("nki", total="1"), True),
        ({"reader", "operator"}, measurement("nki", total="1"), False),
        (set(), assessment("akt"), False),
    ],
)
def test_the_catalogue_needs_a_planner_and_the_follow_up_a_controller_or_planner(
    roles: set[str], command: Command, allowed: bool
) -> None:
    if allowed:
        check_permission(roles, command)
    else:
        with pytest.raises(NotPermitted, match="kräver rollen"):
            check_permission(roles, command)


def test_a_copy_decides_apart_from_the_catalogue_it_was_copied_from(catalogue: Catalogue) -> None:
    twin = catalogue.copy()
    decide(twin, goal("bara-kopian"))
    decide(twin, RetireGoal(actor="t", goal_id="mal", last_year=2012))
    assert "bara-kopian" not in catalogue.goals and not catalogue.goals["mal"].retired
    assert twin.tree is catalogue.tree
