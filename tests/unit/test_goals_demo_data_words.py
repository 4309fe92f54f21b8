"""The goals demo checked against the seed word by word: every commitment, indicator and footnote
printed where the demo puts it, and the kinds, genders, follow-ups, cadences and units the seed
gives (tests.unit.goals_demo_seed reads the seed).
"""

import re

import pytest

from contracts.goals.commands import (
    AddIndicator,
    AdoptGoal,
    MakeCommitment,
)
from contracts.goals.fields import (
    Cadence,
    CommitmentKind,
    FollowUp,
    MeasureUnit,
    NoteKind,
)
from tests.seed_text import SEED, collapse
from tests.unit.goals_demo_seed import (
    ADMINISTRATION_TEXT,
    CATALOGUE,
    COMMITMENT,
    COMMITMENTS,
    FOOTNOTES_PER_PAGE,
    GOALS,
    INDICATORS,
    NARRATIVE_FOOTNOTES,
    NOTES,
    PERSPECTIVE_NAME,
    RECORDED,
    Seed,
    by_gender_wording,
    note_for,
    note_number,
    read_seed,
    reference_mark,
    restore,
)


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed()


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


def test_the_follow_ups_the_text_still_shows_are_kept(seed: Seed) -> None:
    indicators = {(i.indicator_id, tuple(i.follow_up)) for i in INDICATORS if i.follow_up}
    assert indicators == {
        ("nat-antal-lotsarenden", (FollowUp.MONTH, FollowUp.INTERIM, FollowUp.ANNUAL)),
    }
    lissabon = next(c for c in COMMITMENTS if c.commitment_id == "nat-lissabon-indikatorerna")
    assert FollowUp.LONG_TERM in lissabon.follow_up
    assert all(
        FollowUp.LONG_TERM not in c.follow_up and FollowUp.MONTH not in c.follow_up
        for c in COMMITMENTS
        if c is not lissabon
    )
    assert "Uppföljning Månad Delår Årligen Indikator: Antal lotsärenden" in seed.nat
    page = seed.pages[4].body
    assert page.startswith("tivtrafik") and page.endswith("befolkning- Långsiktig")


def test_the_rest_of_the_follow_ups_follow_the_documented_rule() -> None:
    """README.md beside goals.jsonl: every commitment is followed up annually; in the interim
    report too the financial goals and the commitments with values during the year (an
    indicator measured monthly or every second month, or followed up in the interim report)."""
    during_the_year = {
        i.commitment_id
        for i in INDICATORS
        if i.commitment_id is not None
        and (
            i.cadence in (Cadence.MONTHLY, Cadence.EVERY_SECOND_MONTH)
            or FollowUp.INTERIM in i.follow_up
        )
    }
    for c in COMMITMENTS:
        assert FollowUp.ANNUAL in c.follow_up, c.commitment_id
        interim = c.kind is CommitmentKind.FINANCIAL or c.commitment_id in during_the_year
        assert (FollowUp.INTERIM in c.follow_up) == interim, c.commitment_id
    assert sum(FollowUp.INTERIM in c.follow_up for c in COMMITMENTS) == 9


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
