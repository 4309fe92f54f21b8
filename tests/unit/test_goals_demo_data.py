"""The goals demo (kommunplan/demo_data/goals.jsonl and goals.md) checked against its contracts
and the seed itself: valid commands, readable ids, everything defined before it is named, and the
perspectives and result goals as the seed prints them (tests.unit.goals_demo_seed reads the seed).
"""

import re
from collections import Counter

import pytest

from contracts.envelope import Command
from contracts.goals.commands import (
    AddIndicator,
    AdoptGoal,
    AttachNote,
    DefinePerspective,
    MakeCommitment,
    RecordMeasurement,
)
from contracts.goals.service import GOALS_COMMANDS
from kommunplan.demo import goals_demo_count
from tests.unit.goals_demo_seed import (
    ADMINISTRATION_TEXT,
    CATALOGUE,
    GOALS,
    MEASUREMENTS,
    PERSPECTIVE_NAME,
    PERSPECTIVES,
    RECORDED,
    UNITS,
    Seed,
    goals_demo_commands,
    goals_demo_measurements,
    read_seed,
)


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed()


# --- Contracts and ids -------------------------------------------------------------------------


def test_every_command_survives_a_round_trip_through_json_into_its_contract() -> None:
    for command in [*CATALOGUE, *MEASUREMENTS]:
        model = GOALS_COMMANDS[command.command_name]
        assert type(command) is model
        assert model.model_validate_json(command.model_dump_json()) == command


def test_the_catalogue_holds_no_measurement_and_the_measurements_nothing_else() -> None:
    assert not any(isinstance(c, RecordMeasurement) for c in CATALOGUE)
    assert len(RECORDED) == len(MEASUREMENTS) > 0


def test_every_command_is_sent_by_the_demo_actor() -> None:
    assert {c.actor for c in [*CATALOGUE, *MEASUREMENTS]} == {"demo"}


def test_message_ids_are_unique_and_the_same_on_every_load() -> None:
    ids = [c.message_id for c in [*CATALOGUE, *MEASUREMENTS]]
    assert len(ids) == len(set(ids))
    again = [c.message_id for c in [*goals_demo_commands(), *goals_demo_measurements()]]
    assert ids == again


def own_ids(command: Command) -> list[str]:
    """The id a catalogue command introduces."""
    if isinstance(command, DefinePerspective):
        return [command.perspective_id]
    if isinstance(command, AdoptGoal):
        return [command.goal_id]
    if isinstance(command, MakeCommitment):
        return [command.commitment_id]
    if isinstance(command, AddIndicator):
        return [command.indicator_id]
    if isinstance(command, AttachNote):
        return [command.note_id]
    return []


def test_every_id_is_a_unique_readable_slug() -> None:
    ids = [i for c in CATALOGUE for i in own_ids(c)]
    assert len(ids) == len(CATALOGUE)
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for identifier in ids:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", identifier), identifier
        assert identifier.startswith(("ks-", "klf-", "nat-")), identifier


def test_everything_is_defined_before_it_is_referred_to() -> None:
    known: set[str] = set()
    for command in CATALOGUE:
        if isinstance(command, DefinePerspective) and command.parent_id is not None:
            assert command.parent_id in known
        if isinstance(command, AdoptGoal):
            assert command.perspective_id in known
        if isinstance(command, MakeCommitment):
            assert command.goal_id in known
        if isinstance(command, AddIndicator):
            assert (command.commitment_id or command.goal_id) in known
        if isinstance(command, AttachNote):
            assert command.attached_to in known
        known.update(own_ids(command))
    for measurement in RECORDED:
        assert measurement.measure_id in known


def test_goals_are_for_the_administrations_the_budget_demo_registers() -> None:
    kinds = {unit.unit_code: unit.kind for unit in UNITS}
    assert {g.unit_code for g in GOALS} == {"KLF", "NÄT"}
    assert all(kinds[g.unit_code] == "administration" for g in GOALS)
    assert {p.board_code for p in PERSPECTIVES} == {"KS"}
    assert kinds["KS"] == "board"


def test_every_goal_is_for_2011_to_2013_without_a_decision_the_seed_does_not_give() -> None:
    assert {(g.first_year, g.last_year, g.decision) for g in GOALS} == {(2011, 2013, None)}


def test_the_demo_count_is_the_number_of_goals() -> None:
    assert goals_demo_count() == len(GOALS) == 19


# --- Perspectives and goals --------------------------------------------------------------------

EXPECTED_GOALS_PER_PERSPECTIVE = {
    ("KLF", "Samhällsutveckling"): 2,
    ("KLF", "Fritid och kultur"): 1,
    ("KLF", "Folkhälsa"): 1,
    ("KLF", "Jämställdhet"): 2,
    ("KLF", "Tillgänglighet"): 1,
    ("KLF", "Kommunövergripande interna funktioner"): 3,
    ("NÄT", "Samhällsutveckling"): 8,
    ("NÄT", "Fritid och kultur"): 1,
}
"""Counted in the seed: the "Resultatmål" under each perspective heading of each part."""


def test_the_board_has_four_perspectives_in_order_and_three_cross_cutting_sub_areas() -> None:
    top = [(p.position, p.name) for p in PERSPECTIVES if p.parent_id is None]
    assert top == [
        (1, "Samhällsutveckling"),
        (2, "Fritid och kultur"),
        (3, "Tvärfrågor"),
        (4, "Kommunövergripande interna funktioner"),
    ]
    [cross] = [p for p in PERSPECTIVES if p.name == "Tvärfrågor"]
    subs = [(p.position, p.name) for p in PERSPECTIVES if p.parent_id == cross.perspective_id]
    assert subs == [(1, "Folkhälsa"), (2, "Jämställdhet"), (3, "Tillgänglighet")]


def test_goals_per_administration_and_perspective_are_as_the_seed_counts_them() -> None:
    counted = Counter((g.unit_code, PERSPECTIVE_NAME[g.perspective_id]) for g in GOALS)
    assert counted == EXPECTED_GOALS_PER_PERSPECTIVE
    assert Counter(g.unit_code for g in GOALS) == {"KLF": 10, "NÄT": 9}


def test_the_seed_prints_as_many_result_goals_per_administration(seed: Seed) -> None:
    assert len(re.findall(r"\bResultatmål\b", seed.klf)) == 10
    assert len(re.findall(r"\bResultatmål\b", seed.nat)) == 9


def test_every_goal_title_is_printed_as_a_result_goal_under_its_perspective(seed: Seed) -> None:
    headings = "|".join(re.escape(name) for name in PERSPECTIVE_NAME.values())
    for goal in GOALS:
        part = getattr(seed, ADMINISTRATION_TEXT[goal.unit_code])
        printed = f"Resultatmål {goal.title} Åtagande"
        assert part.count(printed) == 1, goal.title
        before = part[: part.index(printed)]
        *_, heading = re.findall(rf"({headings}) Resultatmål", before + printed)
        assert heading == PERSPECTIVE_NAME[goal.perspective_id], goal.title
