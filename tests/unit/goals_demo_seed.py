"""The seed's goals section and the goals demo (kommunplan/demo_data/goals.jsonl and goals.md),
as the goals demo tests (tests/unit/test_goals_demo_data*.py) check the one against the other.

The seed is the PDF's extracted text. Before a demo text is looked up in it, the seed's
extraction losses are undone by one small normalisation, written out below and never loosened to
let a text pass: whitespace collapsed; on each page the page header taken off the top and the
footnotes off the bottom; footnote numbers taken out of the text; a word broken at a line or page
end joined (with the follow-up mark the table's right column left between its halves); the lost
letter "x" put back in a listed set of words; the lost subscript of "CO 2".
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from contracts.budget.commands import RegisterUnit
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from contracts.goals.commands import (
    AddIndicator,
    AdoptGoal,
    AttachNote,
    DefinePerspective,
    MakeCommitment,
    RecordMeasurement,
)
from contracts.goals.service import GOALS as GOALS_SERVICE
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
