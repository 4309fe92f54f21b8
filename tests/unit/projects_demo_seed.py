"""The seed and the projects demo (kommunplan/demo_data/projects.jsonl and projects.md), as the
projects demo tests (tests/unit/test_projects_demo_data*.py) check the one against the other.

Before a demo text is looked up in the seed, the seed's extraction losses are undone by the
shared steps of tests.seed_text and a few more, each listed below and never loosened to let a text
pass: the page header of the communication platform's appendix taken off its pages 2-7; the
footnote mark after "Luppundersökningen" taken out; the lost letter "x" put back in a listed set
of words; the lost sign "§" put back in the three places it was printed. A demo text made of
several printed passages is looked up paragraph by paragraph; the lines of a paragraph are one
printed run.
"""

import re
from dataclasses import dataclass

from contracts.budget.commands import RegisterUnit
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from contracts.goals.commands import AdoptGoal
from contracts.goals.service import GOALS
from contracts.projects.commands import (
    ChangeProjectStatus,
    LinkGoal,
    PlanStep,
    RecordFinancing,
    RegisterProject,
)
from contracts.projects.service import PROJECTS
from kommunplan.demo_data import commands
from tests.seed_text import collapse, read_seed_text, restore

# --- The normalisation -------------------------------------------------------------------------

APPENDIX_PAGE_HEADER = re.compile(
    r"KOMMUNLEDNINGSFÖRVALTNINGEN Informationskontoret Datum 2010-06-04 [2-7] \(7\) "
)
APPENDIX_PAGES_WITH_HEADER = 6

FOOTNOTE_MARKS = (("Luppundersökningen 18.", "Luppundersökningen."),)

LOST_X: tuple[tuple[str, str], ...] = (
    ("eempel", "exempel"),
    ("eempelvis", "exempelvis"),
    ("etra", "extra"),
    ("uppvätvillkor", "uppväxtvillkor"),
    ("Etern", "Extern"),
    ("Etranätlösning", "Extranätlösning"),
    ("tillvät", "tillväxt"),
)
"""Whole words of the project texts that lost their "x"."""

LOST_PARAGRAPH_SIGN: tuple[tuple[str, str], ...] = (
    ("fattade 2009 ( 91)", "fattade 2009 (§ 91)"),
    ("(2010-11-24 228)", "(2010-11-24 § 228)"),
    ("beslut KS 2010-04-28 90 om", "beslut KS 2010-04-28 § 90 om"),
)
"""Where the seed printed "§" before a paragraph number and the extraction lost it."""


def normalise(raw: str) -> str:
    text, headers = APPENDIX_PAGE_HEADER.subn("", collapse(raw))
    assert headers == APPENDIX_PAGES_WITH_HEADER
    for printed, meant in (*FOOTNOTE_MARKS, *LOST_PARAGRAPH_SIGN):
        assert text.count(printed) == 1, printed
        text = text.replace(printed, meant)
    for lost, _ in LOST_X:
        assert re.search(rf"\b{lost}\b", text), f"{lost!r} is not in the seed"
    return restore(text, LOST_X)


@dataclass(frozen=True)
class Seed:
    text: str
    """The whole seed, normalised."""
    ongoing: str
    new: str
    """The section's two lists: "Pågående projekt ..." and "Nya projekt ..." up to the appendix."""
    project_office: str
    """Projektkontoret's section and its frame change in the administration's overview."""
    appendix: str


def read_seed() -> Seed:
    text = normalise(read_seed_text())
    section = text.index("Kommunstyrelsens pågående alternativt nya projekt 2011-2013 Pågående")
    new = text.index("Nya projekt Kommunikationsplattform", section)
    appendix = text.index("Kommunikationsplattform Underlag för beslut", new)
    office = text.index("Kontorschef: Anna Johansson Projektkontoret")
    office_end = text.index("Nämndens resultatmål och åtaganden Nämnden anger", office)
    frame = re.search(r"Projektkontoret \+1 443 tkr .*?jämställdhet\.", text)
    assert frame is not None
    return Seed(
        text=text,
        ongoing=text[section:new],
        new=text[new:appendix],
        project_office=text[office:office_end] + " " + frame.group(0),
        appendix=text[appendix:],
    )


def printed_passages(text: str) -> list[str]:
    """A demo text's printed passages: its paragraphs, each one printed run."""
    return [collapse(paragraph) for paragraph in text.split("\n\n")]


# --- The demo ----------------------------------------------------------------------------------


def projects_demo_commands() -> list[Command]:
    return commands(PROJECTS)


COMMANDS = projects_demo_commands()
REGISTERED = [c for c in COMMANDS if isinstance(c, RegisterProject)]
STATUS_CHANGES = [c for c in COMMANDS if isinstance(c, ChangeProjectStatus)]
STEPS = [c for c in COMMANDS if isinstance(c, PlanStep)]
FINANCING = [c for c in COMMANDS if isinstance(c, RecordFinancing)]
GOAL_LINKS = [c for c in COMMANDS if isinstance(c, LinkGoal)]
PROJECT = {p.project_code: p for p in REGISTERED}
GOALS_CATALOGUE = commands(GOALS)
UNITS = [c for c in commands(BUDGET) if isinstance(c, RegisterUnit)]
ADOPTED = {g.goal_id: g for g in GOALS_CATALOGUE if isinstance(g, AdoptGoal)}


def status_of(code: str) -> str:
    """The project's status after every lifecycle step the demo sends."""
    changes = [c for c in STATUS_CHANGES if c.project_code == code]
    return changes[-1].status if changes else PROJECT[code].status
