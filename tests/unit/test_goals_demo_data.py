"""The goals demo (kommunplan/demo_data/goals.jsonl and goals.md) checked against the seed
itself, figure by figure and word by word.

The seed is the PDF's extracted text. Before a demo text is looked up in it, the seed's
extraction losses are undone by one small normalisation, written out below and never loosened to
let a text pass: whitespace collapsed; on each page the page header taken off the top and the
footnotes off the bottom; footnote numbers taken out of the text; a word broken at a line or page
end joined (with the follow-up mark the table's right column left between its halves); the lost
letter "x" put back in a listed set of words; the lost subscript of "CO 2".
"""

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest

from contracts.budget.commands import RegisterUnit
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from contracts.goals.commands import (
    GOALS_COMMANDS,
    AddIndicator,
    AdoptGoal,
    AttachNote,
    DefinePerspective,
    MakeCommitment,
    RecordMeasurement,
)
from contracts.goals.fields import (
    Cadence,
    CommitmentKind,
    Comparison,
    FollowUp,
    MeasureUnit,
    NoteKind,
)
from contracts.goals.service import GOALS as GOALS_SERVICE
from kommunplan.demo import goals_demo_count
from kommunplan.demo_data import commands
from tests.seed_text import SEED, collapse
from tests.seed_text import restore as restore_words

# --- The normalisation -------------------------------------------------------------------------

SECTION_START = "Nämndens resultatmål och åtaganden Nämnden anger"
SECTION_END = "Kommunstyrelsens pågående alternativt nya projekt"
NARRATIVE_MARK = "utvecklingen av kommunens e-tjänster 3"
"""The page of Kommunledningsförvaltningen's narrative that carries footnotes 3 and 4."""

FOOTNOTES_PER_PAGE: tuple[tuple[int, ...], ...] = (
    (7,),
    (8, 9, 10, 11, 12, 13, 14, 15),
    (),
    (16, 17),
    (),
    (),
)
"""The footnotes printed at the bottom of each page of the goals section."""
NARRATIVE_FOOTNOTES = (3, 4)

PAGE_HEADERS = ("Kommunledningsförvaltningen ", "Förvaltningen näringsliv och tillvät ")
"""Repeated at the top of every page after the section's first."""

FOLLOW_UP_MARK_AFTER_BROKEN_WORD = re.compile(r"(\w-) (?:X|Långsiktig)$")
BROKEN_WORD = re.compile(r"(\w)- (?!och |samt |eller )(\w)")
"""A word broken at a line end; "bygde- och sockenråd" is a compound left open, not a break."""
BROKEN_WORDS_IN_SECTION = 3  # kommunlednings- förvaltningens, kollek- tivtrafik, befolkning- en

LOST_X: tuple[tuple[str, str], ...] = (
    ("Inde", "Index"),
    ("läsbarhetsinde", "läsbarhetsindex"),
    ("Läsbarhetsinde", "Läsbarhetsindex"),
    ("tillvät", "tillväxt"),
    ("Befolkningstillvät", "Befolkningstillväxt"),
    ("eterna", "externa"),
    ("eploateringen", "exploateringen"),
    ("Koldioid", "Koldioxid"),
    ("tets", "texts"),
    ("se", "sex"),
)
"""Whole words of the goals section and its footnotes that lost their "x"."""
LOST_SUBSCRIPT = (("CO 2", "CO2"),)


def restore(text: str) -> str:
    text = restore_words(text, LOST_X)
    for lost, word in LOST_SUBSCRIPT:
        text = text.replace(lost, word)
    return text


def footnote_start(page: str, number: int) -> int:
    """Where footnote ``number`` begins: its last occurrence before a capital letter (the
    reference mark in the text comes before the footnote)."""
    starts = [m.start() for m in re.finditer(rf"(?<= ){number} (?=[A-ZÅÄÖ])", page)]
    assert starts, f"footnote {number} not found"
    return starts[-1]


def reference_mark(body: str, number: int) -> re.Match[str]:
    marks = list(re.finditer(rf" {number}(?=[ ,]|$)", body))
    assert len(marks) == 1, f"footnote mark {number}: {len(marks)} in the text"
    return marks[0]


@dataclass(frozen=True)
class Page:
    body: str
    """With the footnotes and the header taken off, the reference marks still in."""
    footnotes: dict[int, str]


def split_page(text: str, numbers: tuple[int, ...], header: bool) -> Page:
    page = collapse(text)
    footnotes: dict[int, str] = {}
    if numbers:
        starts = [footnote_start(page, number) for number in numbers]
        assert starts == sorted(starts), f"footnotes {numbers} out of order"
        for number, start, end in zip(numbers, starts, [*starts[1:], len(page)], strict=True):
            footnotes[number] = page[start + len(str(number)) + 1 : end].strip()
        page = page[: starts[0]].strip()
    if header:
        assert page.startswith(PAGE_HEADERS), page[:60]
        page = next(page.removeprefix(h) for h in PAGE_HEADERS if page.startswith(h))
    return Page(page, footnotes)


def remove_marks(body: str, numbers: tuple[int, ...]) -> str:
    for number in numbers:
        mark = reference_mark(body, number)
        body = body[: mark.start()] + body[mark.end() :]
    return body


@dataclass(frozen=True)
class Seed:
    pages: tuple[Page, ...]
    text: str
    """The section's text, normalised, without its footnotes."""
    footnotes: dict[int, str]
    """Every footnote of the section and 3, 4 of the narrative, normalised."""
    klf: str
    nat: str
    """The text of each administration's part of the table."""


def read_seed() -> Seed:
    if not SEED.exists():
        pytest.skip(f"the seed {SEED} is not on this machine (KOMMUNPLAN_SEED names it)")
    raw = SEED.read_text(encoding="utf-8")
    start = raw.index(SECTION_START)
    end = raw.index(SECTION_END, start)
    texts = [line for line in raw[start:end].split("\n") if line.strip()]
    assert len(texts) == len(FOOTNOTES_PER_PAGE)
    pages = tuple(
        split_page(text, numbers, header=index > 0)
        for index, (text, numbers) in enumerate(zip(texts, FOOTNOTES_PER_PAGE, strict=True))
    )
    bodies = []
    for page, numbers in zip(pages, FOOTNOTES_PER_PAGE, strict=True):
        body = remove_marks(page.body, numbers)
        bodies.append(FOLLOW_UP_MARK_AFTER_BROKEN_WORD.sub(r"\1", body))
    joined, broken = BROKEN_WORD.subn(r"\1\2", " ".join(bodies))
    assert broken == BROKEN_WORDS_IN_SECTION
    for lost, _ in LOST_X:
        assert re.search(rf"\b{lost}\b", raw[start:end]), f"{lost!r} is not in the section"
    text = restore(joined)

    [narrative_line] = [line for line in raw.split("\n") if NARRATIVE_MARK in line]
    narrative = split_page(narrative_line, NARRATIVE_FOOTNOTES, header=False)
    footnotes = {n: restore(t) for p in (*pages, narrative) for n, t in p.footnotes.items()}

    klf_start = text.index("Kommunledningsförvaltningen Uppföljning")
    nat_start = text.index("Förvaltningen näringsliv och tillväxt Uppföljning")
    return Seed(pages, text, footnotes, text[klf_start:nat_start], text[nat_start:])


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed()


# --- The demo ----------------------------------------------------------------------------------


def goals_demo_commands() -> list[Command]:
    return [c for c in commands(GOALS_SERVICE) if not isinstance(c, RecordMeasurement)]


def goals_demo_measurements() -> list[Command]:
    return [c for c in commands(GOALS_SERVICE) if isinstance(c, RecordMeasurement)]


CATALOGUE = goals_demo_commands()
MEASUREMENTS = goals_demo_measurements()
UNITS = [c for c in commands(BUDGET) if isinstance(c, RegisterUnit)]
PERSPECTIVES = [c for c in CATALOGUE if isinstance(c, DefinePerspective)]
GOALS = [c for c in CATALOGUE if isinstance(c, AdoptGoal)]
COMMITMENTS = [c for c in CATALOGUE if isinstance(c, MakeCommitment)]
INDICATORS = [c for c in CATALOGUE if isinstance(c, AddIndicator)]
NOTES = [c for c in CATALOGUE if isinstance(c, AttachNote)]
RECORDED = [c for c in MEASUREMENTS if isinstance(c, RecordMeasurement)]
COMMITMENT = {c.commitment_id: c for c in COMMITMENTS}
PERSPECTIVE_NAME = {p.perspective_id: p.name for p in PERSPECTIVES}
ADMINISTRATION_TEXT = {"KLF": "klf", "NÄT": "nat"}


def notes_of(commitment_id: str) -> list[AttachNote]:
    return [note for note in NOTES if note.attached_to == commitment_id]


def note_number(note: AttachNote) -> int:
    """The printed footnote number, which every note id carries ("klf-fotnot-7-e-tjanster")."""
    found = re.search(r"-fotnot-(\d+)-", note.note_id)
    assert found is not None, note.note_id
    return int(found.group(1))


def note_for(number: int) -> AttachNote:
    [note] = [n for n in NOTES if note_number(n) == number]
    return note


def printed_value(value: Decimal) -> str:
    """How the seed prints a number: a decimal comma."""
    return format(value, "f").replace(".", ",")


def by_gender_wording(text: str) -> bool:
    return "män och kvinnor" in text or "kvinnor och män" in text


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


# --- Words ------------------------------------------------------------------------------------


def printed_items(goal: AdoptGoal) -> list[str]:
    """The goal's commitment texts and indicator names in the demo's order, indicators with
    their "(varannan månad)" as printed."""
    items: list[str] = []
    for command in CATALOGUE:
        if isinstance(command, MakeCommitment) and command.goal_id == goal.goal_id:
            items.append(command.text)
        if isinstance(command, AddIndicator) and command.commitment_id in {
            c.commitment_id for c in COMMITMENTS if c.goal_id == goal.goal_id
        }:
            every_second = command.cadence is Cadence.EVERY_SECOND_MONTH
            items.append(command.name + (" (varannan månad)" if every_second else ""))
    return items


def test_every_commitment_and_indicator_is_printed_in_order_under_its_goal(seed: Seed) -> None:
    for unit_code, part_name in ADMINISTRATION_TEXT.items():
        part: str = getattr(seed, part_name)
        position = 0
        for goal in [g for g in GOALS if g.unit_code == unit_code]:
            goal_start = part.index(f"Resultatmål {goal.title} Åtagande", position)
            position = goal_start
            for item in printed_items(goal):
                found = part.find(item, position)
                assert found >= 0, f"{goal.goal_id}: {item!r} not printed after its goal"
                position = found + len(item)
            next_goal = part.find("Resultatmål", goal_start + len("Resultatmål"))
            assert next_goal == -1 or next_goal >= position, f"{goal.goal_id} runs into the next"


def test_the_whole_table_is_transcribed(seed: Seed) -> None:
    """Everything printed between the labels is a goal, a commitment or an indicator: the
    printed table with every demo text taken out leaves only labels and follow-up headers."""
    rest = seed.text[seed.text.index("Kommunledningsförvaltningen Uppföljning") :]
    texts = sorted(
        [f"{g.title}" for g in GOALS]
        + [item for g in GOALS for item in printed_items(g)]
        + list(PERSPECTIVE_NAME.values()),
        key=len,
        reverse=True,
    )
    for text in texts:
        rest = rest.replace(text, " ")
    labels = (
        "Kommunledningsförvaltningen",
        "Förvaltningen näringsliv och tillväxt",
        "Uppföljning",
        "Månad",
        "Delår",
        "Årligen",
        "Långsiktig",
        "Resultatmål",
        "Åtagande",
        "Aktivitet:",
        "Indikator:",
        "Nyckeltal:",
        "Finansiellt mål",
        "-",
    )
    for label in labels:
        rest = rest.replace(label, " ")
    assert collapse(rest) == ""


def test_every_footnote_is_a_note_with_its_printed_text(seed: Seed) -> None:
    numbers = [n for page in FOOTNOTES_PER_PAGE for n in page] + list(NARRATIVE_FOOTNOTES)
    assert sorted(seed.footnotes) == sorted(numbers)
    texts = [note.text for note in NOTES]
    assert len(NOTES) == len(numbers)
    for number, text in seed.footnotes.items():
        assert note_for(number).text == text, number
    assert len(set(texts)) == len(texts) - 3  # 7 repeats 3, 10 repeats 9, 17 repeats 16


def test_each_footnote_is_attached_to_the_commitment_its_mark_stands_in(seed: Seed) -> None:
    for page, numbers in zip(seed.pages, FOOTNOTES_PER_PAGE, strict=True):
        body = restore(page.body)
        for number in numbers:
            mark = reference_mark(body, number)
            before = " ".join(body[: mark.start()].split()[-2:])
            after = re.match(r"[,.]?\s*\S+", body[mark.end() :])
            around = body[: mark.start()].split()[-1] + (after.group() if after else "")
            text = COMMITMENT[note_for(number).attached_to].text
            assert before in text or around in text, (number, before, around)


def test_the_narrative_footnotes_go_with_what_they_explain() -> None:
    e_services, it_office = note_for(3), note_for(4)
    assert "e-tjänster" in COMMITMENT[e_services.attached_to].text
    assert COMMITMENT[e_services.attached_to].goal_id == "klf-tillgangliga-verksamheter"
    assert it_office.attached_to in {m.measure_id for m in RECORDED}
    assert "förvaltningarnas syn" in COMMITMENT[it_office.attached_to].text


def test_definitions_define_and_footnotes_annotate() -> None:
    definitions = {note_number(n) for n in NOTES if n.kind is NoteKind.DEFINITION}
    assert definitions == {3, 7, 8, 11, 12, 14, 16, 17}


# --- Kinds, genders, follow-ups ---------------------------------------------------------------


def test_the_financial_goals_are_the_commitments_the_seed_labels_so(seed: Seed) -> None:
    financial = {c.text for c in COMMITMENTS if c.kind is CommitmentKind.FINANCIAL}
    labelled = {c.text for c in COMMITMENTS if f"{c.text} Finansiellt mål" in seed.klf}
    assert financial == labelled
    assert len(financial) == seed.text.count("Finansiellt mål") == 4


def test_activities_carry_no_target_and_no_baseline() -> None:
    for commitment in COMMITMENTS:
        if commitment.kind is CommitmentKind.ACTIVITY:
            assert commitment.target is None and commitment.baseline is None
            assert not commitment.by_gender


def test_by_gender_where_the_seed_measures_women_and_men_apart() -> None:
    assert {c.commitment_id for c in COMMITMENTS if c.by_gender} == {
        "klf-oro-for-brott",
        "klf-trygga-ute-en-ensam-sen-kvall",
        "klf-digitala-klyftan",
    }
    for commitment in COMMITMENTS:
        if commitment.by_gender:
            assert by_gender_wording(commitment.text)
    for indicator in INDICATORS:
        assert indicator.by_gender == by_gender_wording(indicator.name), indicator.name
    assert sum(i.by_gender for i in INDICATORS) == 1


def test_only_the_follow_ups_the_text_still_shows_are_sent(seed: Seed) -> None:
    sent = {(c.commitment_id, tuple(c.follow_up)) for c in COMMITMENTS if c.follow_up} | {
        (i.indicator_id, tuple(i.follow_up)) for i in INDICATORS if i.follow_up
    }
    assert sent == {
        ("nat-lissabon-indikatorerna", (FollowUp.LONG_TERM,)),
        ("nat-antal-lotsarenden", (FollowUp.MONTH, FollowUp.INTERIM, FollowUp.ANNUAL)),
    }
    assert "Uppföljning Månad Delår Årligen Indikator: Antal lotsärenden" in seed.nat
    lissabon = seed.pages[4].body
    assert lissabon.startswith("tivtrafik") and lissabon.endswith("befolkning- Långsiktig")


def test_cadences_are_the_ones_the_seed_prints(seed: Seed) -> None:
    for indicator in INDICATORS:
        printed_every_second = f"{indicator.name} (varannan månad)" in seed.nat
        assert (indicator.cadence is Cadence.EVERY_SECOND_MONTH) == printed_every_second
        if indicator.cadence is Cadence.MONTHLY:
            assert indicator.name == "Användning av kommunens e-tjänster"
    monthly = [i for i in INDICATORS if i.cadence is Cadence.MONTHLY]
    assert len(monthly) == 2
    assert "mäta användningen av kommunens e-tjänster 1 gång per månad" in SEED.read_text()
    assert sum(i.cadence is Cadence.EVERY_SECOND_MONTH for i in INDICATORS) == 4


def test_the_lissabon_indicators_are_all_there(seed: Seed) -> None:
    lissabon = [i for i in INDICATORS if i.commitment_id == "nat-lissabon-indikatorerna"]
    names = [
        i.name + (" (varannan månad)" if i.cadence is Cadence.EVERY_SECOND_MONTH else "")
        for i in lissabon
    ]
    printed = re.search(r"Lissabon-indikatorerna: (.*?) Resultatmål Fler jobb", seed.nat)
    assert printed is not None
    assert " ".join(names) == printed.group(1)
    assert len(lissabon) == 12


def test_an_indicator_unit_only_where_its_name_says_it() -> None:
    for indicator in INDICATORS:
        expected = (
            MeasureUnit.PERCENT
            if indicator.name.startswith("Andel")
            else MeasureUnit.COUNT
            if indicator.name.startswith("Antal")
            else MeasureUnit.KRONOR
            if "kronor" in indicator.name
            else None
        )
        assert indicator.unit == expected, indicator.name


# --- Figures -----------------------------------------------------------------------------------

NUMBER_WORDS = {Decimal(1): "en", Decimal(3): "tre", Decimal(4): "fyra"}
COMPARISON_WORDING = {
    Comparison.AT_LEAST: (r"eller högre|minst|uppgå till|ska vara|ska öka|öka med|målvärde"),
    Comparison.MORE_THAN: r"högre än",
    Comparison.LESS_THAN: r"mindre än",
    Comparison.AT_MOST: r"inte ta mer än|plats",
}
UNIT_WORDING = {
    MeasureUnit.PERCENT: r"{value} (procent|%)|{value}%",
    MeasureUnit.INDEX: r"(Index|medelvärde).{{0,40}}{value}|Index, målvärde {value}",
    MeasureUnit.COUNT: r"{value}",
    MeasureUnit.RANK: r"plats {value}",
}
TARGET_WORDING = re.compile(
    r"\b(\d+|en|tre|fyra) (procent|%)|\d%|eller högre|minst|målvärde|målnivå|ska vara \d+"
)
"""A commitment printed with any of these has a target level; without, it has none."""


def value_pattern(value: Decimal) -> str:
    forms = [re.escape(printed_value(value))]
    if value in NUMBER_WORDS:
        forms.append(NUMBER_WORDS[value])
    return r"\b(?:" + "|".join(forms) + r")\b"


def near(text: str, first: str, second: str, distance: int = 40) -> bool:
    return any(
        re.search(second, text[max(0, m.start() - distance) : m.end() + distance])
        for m in re.finditer(first, text)
    )


def test_a_commitment_has_a_target_exactly_where_the_seed_prints_a_level() -> None:
    for commitment in COMMITMENTS:
        printed = TARGET_WORDING.search(commitment.text) is not None
        assert (commitment.target is not None) == printed, commitment.text


def test_every_target_is_the_number_next_to_its_wording() -> None:
    targets = [c for c in COMMITMENTS if c.target is not None]
    assert len(targets) == 21
    for commitment in targets:
        target, text = commitment.target, commitment.text
        assert target is not None
        value = value_pattern(target.value)
        assert re.search(UNIT_WORDING[target.unit].format(value=value), text), text
        if (target.value, target.unit) == (Decimal(100), MeasureUnit.PERCENT):
            # "till 100 procent", "målnivå är 100%": a share can be no more than the whole.
            assert target.comparison is Comparison.AT_LEAST, text
        else:
            assert near(text, value, COMPARISON_WORDING[target.comparison]), text
        if target.due_year is not None:
            assert near(text, value, rf"\b{target.due_year}\b"), text


def test_the_targets_read_as_the_seed_means_them() -> None:
    def level(commitment_id: str) -> tuple[Comparison, Decimal, MeasureUnit, int | None]:
        target = COMMITMENT[commitment_id].target
        assert target is not None
        return target.comparison, target.value, target.unit, target.due_year

    assert level("klf-nki-verksamhetslokaler") == (
        Comparison.AT_LEAST,
        Decimal(60),
        MeasureUnit.INDEX,
        None,
    )
    assert level("klf-oro-for-brott") == (
        Comparison.LESS_THAN,
        Decimal(61),
        MeasureUnit.PERCENT,
        None,
    )
    assert level("klf-trygga-ute-en-ensam-sen-kvall") == (
        Comparison.MORE_THAN,
        Decimal(66),
        MeasureUnit.PERCENT,
        None,
    )
    assert level("klf-hallbar-utveckling-e-tjanster") == (
        Comparison.AT_LEAST,
        Decimal(30),
        MeasureUnit.COUNT,
        2011,
    )
    assert level("nat-svenskt-naringslivs-ranking") == (
        Comparison.AT_MOST,
        Decimal(145),
        MeasureUnit.RANK,
        2013,
    )
    assert level("nat-nojd-kund-index") == (
        Comparison.AT_LEAST,
        Decimal(70),
        MeasureUnit.INDEX,
        2011,
    )
    assert level("klf-yttackning-bredband") == (
        Comparison.AT_LEAST,
        Decimal(25),
        MeasureUnit.PERCENT,
        2011,
    )
    assert level("klf-nojd-medarbetar-index") == (
        Comparison.AT_LEAST,
        Decimal(68),
        MeasureUnit.INDEX,
        None,
    )
    assert level("klf-avskrivningar") == (Comparison.AT_MOST, Decimal(3), MeasureUnit.PERCENT, None)


def period_wording(period: str) -> str:
    months = {"06": "juni"}
    if "-" in period:
        year, month = period.split("-")
        return f"{months[month]} {year}"
    return period


def test_every_baseline_is_printed_with_its_period_and_source() -> None:
    baselines = [c for c in COMMITMENTS if c.baseline is not None]
    assert {c.commitment_id for c in baselines} == {
        "nat-svenskt-naringslivs-ranking",
        "nat-nojd-kund-index",
        "klf-yttackning-bredband",
    }
    for commitment in baselines:
        baseline = commitment.baseline
        assert baseline is not None and baseline.source is not None
        printed = " ".join([commitment.text, *(n.text for n in notes_of(commitment.commitment_id))])
        value = value_pattern(baseline.value)
        assert near(printed, value, re.escape(period_wording(baseline.period))), printed
        assert baseline.source in printed


EVIDENCE: dict[tuple[str, str], tuple[dict[str, Decimal], tuple[str, ...]]] = {
    ("nat-nojd-kund-index", "2009"): ({"total": Decimal(63)}, ("NKI 63 i mätningen 2009",)),
    ("nat-svenskt-naringslivs-ranking", "2010"): (
        {"total": Decimal(225)},
        ("plats 225 i rankingen 2010",),
    ),
    ("klf-yttackning-bredband", "2010-06"): (
        {"total": Decimal(2)},
        ("I juni 2010 har Katrineholm 2 % täckt enligt länsstyrelsens sammanställning",),
    ),
    ("klf-digitala-klyftan", "2009"): (
        {"total": Decimal(89), "men": Decimal(91), "women": Decimal(88)},
        (
            "Under våren 2009 hade 89 procent av alla",
            "Bland männen har 91 procent",
            "För kvinnor är motsvarande siffra 88 procent",
        ),
    ),
    ("klf-alla-kontor-forvaltningarnas-syn", "2010"): (
        {"total": Decimal("2.05")},
        ("IT-kontoret har i 2010-års utvärdering ett medelvärde om 2,05",),
    ),
    ("klf-alla-kontor-forvaltningarnas-syn", "2009"): (
        {"total": Decimal("2.6")},
        ("2009-års utvärdering där kontoret hade ett medelvärde på 2,6",),
    ),
}
"""Every value the seed states, with the words it is printed in."""


def test_no_measurement_exists_that_the_seed_does_not_state() -> None:
    recorded = {(m.measure_id, m.period) for m in RECORDED}
    assert recorded == set(EVIDENCE)
    assert len(RECORDED) == len(EVIDENCE)
    for measurement in RECORDED:
        values, _ = EVIDENCE[(measurement.measure_id, measurement.period)]
        sent = {
            name: getattr(measurement, name)
            for name in ("total", "women", "men")
            if getattr(measurement, name) is not None
        }
        assert sent == values, measurement.measure_id


def test_every_measured_value_is_printed_with_its_period(seed: Seed) -> None:
    seed_text = " ".join([seed.text, *seed.footnotes.values()])
    for (measure_id, period), (values, phrases) in EVIDENCE.items():
        printed = " ".join([COMMITMENT[measure_id].text, *(n.text for n in notes_of(measure_id))])
        for phrase in phrases:
            assert phrase in seed_text, phrase
            assert phrase in printed, f"{phrase!r} is not what {measure_id} prints"
        assert period_wording(period)[-4:] in phrases[0]
        for name, value in values.items():
            [phrase] = [p for p in phrases if re.search(value_pattern(value), p)]
            if name == "men":
                assert "männen" in phrase
            if name == "women":
                assert "kvinnor" in phrase


def test_gender_values_only_for_what_is_measured_by_gender() -> None:
    for measurement in RECORDED:
        if measurement.women is not None or measurement.men is not None:
            assert COMMITMENT[measurement.measure_id].by_gender


def test_measured_commitments_are_key_figures() -> None:
    for measurement in RECORDED:
        assert COMMITMENT[measurement.measure_id].kind is CommitmentKind.KEY_FIGURE


def test_the_baselines_are_also_recorded_where_the_seed_states_them() -> None:
    recorded = {(m.measure_id, m.period): m.total for m in RECORDED}
    for commitment in COMMITMENTS:
        if commitment.baseline is not None:
            key = (commitment.commitment_id, commitment.baseline.period)
            assert recorded[key] == commitment.baseline.value


def test_measurement_sources_are_the_seeds(seed: Seed) -> None:
    seed_text = " ".join([seed.text, *seed.footnotes.values()])
    for measurement in RECORDED:
        source = measurement.source
        if "fotnot" in source:
            assert source.endswith("fotnot 13")
            assert "Planering med budget 2011-2013 för kommunstyrelsen" in SEED.read_text()
        elif "utvärdering" in source:
            assert "IT-kontoret har i 2010-års utvärdering" in seed_text
        else:
            assert source in seed_text, source
