"""The projects demo (kommunplan/demo_data/projects.jsonl and projects.md) checked against the
seed itself, project by project and word by word.

Before a demo text is looked up in the seed, the seed's extraction losses are undone by the
shared steps of tests.seed_text and a few more, each listed below and never loosened to let a text
pass: the page header of the communication platform's appendix taken off its pages 2-7; the
footnote mark after "Luppundersökningen" taken out; the lost letter "x" put back in a listed set
of words; the lost sign "§" put back in the three places it was printed. A demo text made of
several printed passages is looked up paragraph by paragraph; the lines of a paragraph are one
printed run.
"""

import asyncio
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from pydantic import SecretStr

import kommunplan.demo
from contracts.budget.commands import RegisterUnit
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from contracts.goals.commands import AdoptGoal, MakeCommitment
from contracts.goals.service import GOALS
from contracts.projects.commands import (
    PROJECTS_COMMANDS,
    ChangeProjectManager,
    ChangeProjectStatus,
    LinkGoal,
    PlanStep,
    RecordFinancing,
    RegisterProject,
    ReportProjectStatus,
    SetProjectBudget,
)
from contracts.projects.service import PROJECTS
from contracts.service import WriteService
from kommunplan.demo import load_projects_demo, projects_demo_count
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


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed()


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


# --- Contracts, ids and order ------------------------------------------------------------------


def test_every_command_survives_a_round_trip_through_json_into_its_contract() -> None:
    for command in COMMANDS:
        model = PROJECTS_COMMANDS[command.command_name]
        assert type(command) is model
        assert model.model_validate_json(command.model_dump_json()) == command


def test_every_command_is_sent_by_the_demo_actor() -> None:
    assert {c.actor for c in COMMANDS} == {"demo"}


def test_message_ids_are_unique_and_the_same_on_every_load() -> None:
    ids = [c.message_id for c in COMMANDS]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert ids == [c.message_id for c in projects_demo_commands()]


def test_project_codes_are_unique_readable_slugs() -> None:
    codes = [p.project_code for p in REGISTERED]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code


def test_every_project_is_registered_before_a_command_names_it() -> None:
    registered: set[str] = set()
    for command in COMMANDS:
        code = command.model_dump()["project_code"]
        if isinstance(command, RegisterProject):
            registered.add(code)
        else:
            assert code in registered, f"{command.command_name} for {code} before its register"


def test_the_demo_count_is_the_number_of_projects() -> None:
    assert projects_demo_count() == len(REGISTERED) == 11
    assert {p.project_code for p in REGISTERED} == {*SECTION_ONGOING, *SECTION_NEW, *ELSEWHERE}


def test_projects_belong_to_the_board_through_units_the_budget_demo_registers() -> None:
    parent = {unit.unit_code: unit.parent_code for unit in UNITS}
    kind = {unit.unit_code: unit.kind for unit in UNITS}
    for project in REGISTERED:
        assert project.board_code == "KS" and kind["KS"] == "board"
        unit: str | None = project.unit_code
        while unit is not None and unit != project.board_code:
            unit = parent[unit]
        assert unit == "KS", project.project_code


# --- What the seed does not state is not sent --------------------------------------------------


def test_no_budget_status_report_or_manager_change_is_sent() -> None:
    """The seed gives no project budget of its own, no status report and no manager's name."""
    assert not any(
        isinstance(c, SetProjectBudget | ReportProjectStatus | ChangeProjectManager)
        for c in COMMANDS
    )


def test_no_manager_steering_group_or_planned_date_is_registered() -> None:
    for project in REGISTERED:
        assert project.project_manager is None, project.project_code
        assert project.steering_group == [], project.project_code
        assert (project.planned_start, project.planned_end) == (None, None), project.project_code
    for step in STEPS:
        assert (step.planned_start, step.planned_end) == (None, None)


def test_the_seed_names_neither_the_substitute_nor_the_other_project_managers(seed: Seed) -> None:
    """Why no ChangeProjectManager: each manager the seed mentions is a role, not a name."""
    for unnamed in (
        "leds för närvarande av vikarierande projektledare. Ordinarie projektledare",
        "Projektledaren för Kompetensplaneringsprojektet kommer från mars månad även att leda"
        " Hel- deltidsprojektet",
        "En informatör är tjänstledig och arbetar två dagar i veckan som projektledare för"
        " E-tjänster",
        "näringslivschefen är projektchef",
        "Projektledare för detta är den verksamhetscontroller som arbetar på ekonomikontoret",
    ):
        assert unnamed in seed.text, unnamed


def test_the_only_budget_amounts_near_a_project_are_frames_without_a_split(seed: Seed) -> None:
    """Why no SetProjectBudget: Projektkontoret's frame is one sum for two purposes."""
    assert (
        "har fått ram för införandet av projektet Heltid en rättighet och deltid en möjlighet"
        " samt en ram för arbetet med jämställdhet" in seed.project_office
    )
    assert "Katrineholms Logistikcentrum (KLC) 1 118tkr" in seed.text


# --- The section's lists -----------------------------------------------------------------------

ONGOING_HEADINGS = {
    "Barn- och ungdomsprojektet": "barn-och-ungdomsprojektet",
    "Kompetensplaneringsprojektet": "kompetensplaneringsprojektet",
    "Genusmedveten styrning": "genusmedveten-styrning",
}
NEW_HEADINGS = {
    "Kommunikationsplattform": "kommunikationsplattform",
    "Ärende- och dokumenthantering": "arende-och-dokumenthantering",
    "Vision 2025": "vision-2025",
    "Hel deltid": "hel-deltid",
}
SECTION_ONGOING = tuple(ONGOING_HEADINGS.values())
SECTION_NEW = tuple(NEW_HEADINGS.values())
"""The section's "Pågående projekt" and "Nya projekt", in its order, by their codes."""
ELSEWHERE = (
    "katrineholms-logistikcentrum",
    "energieffektiviseringsprojektet",
    "e-tjanstprojektet",
    "kommunens-kvalitet-i-korthet",
)
"""Projects the rest of the document states."""


def in_order(text: str, headings: list[str]) -> bool:
    positions = [text.find(heading) for heading in headings]
    return -1 not in positions and positions == sorted(positions)


def test_the_section_has_three_ongoing_and_four_new_projects_in_the_demo(seed: Seed) -> None:
    assert in_order(seed.ongoing, list(ONGOING_HEADINGS))
    assert in_order(seed.new, list(NEW_HEADINGS))
    assert [p.project_code for p in REGISTERED][:7] == [*SECTION_ONGOING, *SECTION_NEW]


def test_ongoing_projects_are_registered_ongoing() -> None:
    for code in SECTION_ONGOING:
        assert PROJECT[code].status == "ongoing"
        assert status_of(code) == "ongoing"


def test_new_projects_are_proposed_unless_the_seed_gives_their_decision(seed: Seed) -> None:
    decided = {c.project_code for c in STATUS_CHANGES}
    assert decided == {"vision-2025", "hel-deltid"}
    for code in SECTION_NEW:
        assert PROJECT[code].status == "proposed"
        assert status_of(code) == ("decided" if code in decided else "proposed")
    assert "(2010-11-24 § 228) belsöts följande" in seed.new
    assert "beslut KS 2010-04-28 § 90 om Projektdirektiv" in seed.new


def test_every_name_occurs_in_the_seed_where_the_project_is(seed: Seed) -> None:
    where = {
        **{code: seed.ongoing for code in SECTION_ONGOING},
        **{code: seed.new for code in SECTION_NEW},
        "katrineholms-logistikcentrum": seed.text,
        "energieffektiviseringsprojektet": seed.project_office,
        "e-tjanstprojektet": seed.project_office,
        "kommunens-kvalitet-i-korthet": seed.text,
    }
    for project in REGISTERED:
        assert project.name in where[project.project_code], project.name


def test_the_projects_found_elsewhere_are_stated_as_projects(seed: Seed) -> None:
    assert "Ett mycket viktigt projekt för NÄT är Katrineholms Logistikcentrum, KLC." in seed.text
    assert (
        "Nya projekt som kommer att bedrivas vid projektkontoret är"
        " Energieffektiviseringsprojektet, E-tjänstprojektet och Ny kommunikationsplattform."
    ) in seed.project_office
    assert (
        "Kommunen har beslutat att delta i Kommunens Kvalitet i Korthet (KKiK). Projektledare"
        " för detta" in seed.text
    )
    assert status_of("katrineholms-logistikcentrum") == "ongoing"
    assert status_of("kommunens-kvalitet-i-korthet") == "decided"
    assert {status_of(c) for c in ("energieffektiviseringsprojektet", "e-tjanstprojektet")} == {
        "proposed"
    }


PROJECT_OFFICE_WORDING = {
    "barn-och-ungdomsprojektet": "Barn och ungdomsprojektet ordinarie projektledare",
    "kompetensplaneringsprojektet": "Projektledaren för Kompetensplaneringsprojektet",
    "genusmedveten-styrning": "arbetet med jämställdhetsintegreringen att fortsätta",
    "kommunikationsplattform": "Ny kommunikationsplattform",
    "hel-deltid": "ram för införandet av projektet Heltid en rättighet och deltid en möjlighet",
    "energieffektiviseringsprojektet": "Energieffektiviseringsprojektet",
    "e-tjanstprojektet": "E-tjänstprojektet",
}
"""How Projektkontoret's section names each project it runs."""


def test_the_projects_run_by_the_project_office_are_those_its_section_names(seed: Seed) -> None:
    run = {p.project_code for p in REGISTERED if p.run_by_project_office}
    assert run == set(PROJECT_OFFICE_WORDING)
    for wording in PROJECT_OFFICE_WORDING.values():
        assert wording in seed.project_office, wording
    assert "grundprincipen 10 % av projektbudget" in seed.project_office


# --- Texts, references and decisions -----------------------------------------------------------


def project_texts() -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for project in REGISTERED:
        texts += [(project.project_code, t) for t in (project.purpose, project.goals_text) if t]
    texts += [(c.project_code, c.reason) for c in STATUS_CHANGES if c.reason]
    texts += [(s.project_code, s.description) for s in STEPS if s.description]
    return texts


def test_every_text_is_printed_in_the_seed_passage_by_passage(seed: Seed) -> None:
    texts = project_texts()
    assert len(texts) >= 15
    for code, text in texts:
        for passage in printed_passages(text):
            assert passage in seed.text, f"{code}: {passage[:80]}"


def test_no_text_keeps_an_extraction_loss() -> None:
    for _, text in project_texts():
        for lost, _ in LOST_X:
            assert not re.search(rf"\b{lost}\b", text), lost
        assert not re.search(r"[a-zåäö]\d+\b", text), "a footnote number glued to a word"
    purpose = PROJECT["barn-och-ungdomsprojektet"].purpose
    assert purpose is not None and "bland unga, Luppundersökningen. Utifrån" in purpose


REFERENCE_WORDING = {
    "KS 2010-04-28 § 90": "beslut KS 2010-04-28 § 90 om Projektdirektiv",
    "KS 2010-11-24 § 228": "Vid KS sammanträde i november (2010-11-24 § 228)",
    "Dnr KS/2011:31-069": "beslutats om av kommunstyrelsen enligt beskrivning i Dnr KS/2011:31-069",
    "KS 2009 § 91, handling nr 28/2009": (
        "Kommunstyrelsen fattade 2009 (§ 91) beslut om ett direktiv (Kommunstyrelsens handling"
        " nr 28/2009)"
    ),
}
"""Each decision reference the demo sends and the seed's wording of it."""


def test_every_directive_and_decision_reference_is_printed(seed: Seed) -> None:
    references = [r for p in REGISTERED for r in (p.directive, p.decision) if r]
    references += [c.decision for c in STATUS_CHANGES if c.decision]
    assert set(references) == set(REFERENCE_WORDING)
    for reference, wording in REFERENCE_WORDING.items():
        assert wording in seed.text, wording
        for number in re.findall(r"[\d/:-]+", reference):
            assert number in wording, (reference, number)


def test_a_decided_project_is_decided_on_its_decision_s_day() -> None:
    for change in STATUS_CHANGES:
        assert change.status == "decided"
        assert change.decision is not None
        assert change.effective_on.isoformat() in change.decision


def test_hel_deltid_carries_its_directive_and_vision_2025_its_three_points() -> None:
    assert PROJECT["hel-deltid"].directive == "KS 2010-04-28 § 90"
    assert PROJECT["hel-deltid"].name == "Heltid en rättighet och deltid en möjlighet"
    [vision] = [c for c in STATUS_CHANGES if c.project_code == "vision-2025"]
    assert vision.reason is not None
    points = re.findall(r"^(\d)\. ", vision.reason, flags=re.MULTILINE)
    assert points == ["1", "2", "3"]
    assert "Gullers Grupp Informationsrådgivare AB" in vision.reason


def test_the_logistics_centre_has_both_directives_and_the_case_system_replaces_lex() -> None:
    klc = PROJECT["katrineholms-logistikcentrum"]
    assert (klc.unit_code, klc.directive) == ("NÄT", "Dnr KS/2011:31-069")
    assert klc.decision == "KS 2009 § 91, handling nr 28/2009"
    case = PROJECT["arende-och-dokumenthantering"]
    assert case.purpose is not None and "som ersättning för LEX" in case.purpose


# --- Steps -------------------------------------------------------------------------------------


def printed_step_row(seed: Seed, number: int) -> str:
    """Step ``number``'s row of the appendix's table "Tidplan och Kostnader"."""
    start = seed.appendix.index(f"Steg {number} ")
    following = seed.appendix.find(f"Steg {number + 1} ", start)
    end = following if following != -1 else seed.appendix.index("Slutsats", start)
    return seed.appendix[start:end]


def printed_amount(amount: Decimal) -> str:
    """How the seed prints kronor: thousands grouped with a space."""
    return f"{int(amount):,}".replace(",", " ")


def test_the_communication_platform_has_the_four_printed_steps(seed: Seed) -> None:
    assert [(s.project_code, s.step) for s in STEPS] == [
        ("kommunikationsplattform", n) for n in (1, 2, 3, 4)
    ]
    for step in STEPS:
        row = printed_step_row(seed, step.step)
        heading = " ".join(x for x in (f"Steg {step.step}", step.name, step.period) if x)
        assert row.startswith(heading + " "), (row[:80], heading)


def test_the_only_cost_estimate_is_step_2_s_printed_next_to_its_wording(seed: Seed) -> None:
    estimates = {s.step: s.cost_estimate for s in STEPS if s.cost_estimate is not None}
    assert estimates == {2: Decimal(300000)}
    row = printed_step_row(seed, 2)
    assert f"Extern projektledar och adminstration ca {printed_amount(estimates[2])} kr" in row
    for number in (1, 3, 4):
        assert not re.search(r"\d{3} \d{3} kr", printed_step_row(seed, number))


def test_step_2_names_its_dated_basis_and_who_prepared_it(seed: Seed) -> None:
    [step_2] = [s for s in STEPS if s.step == 2]
    assert step_2.description is not None
    assert "Datum: 2010-06-04" in step_2.description
    assert "Handläggare: Jessica Sjögren" in step_2.description
    assert seed.appendix.startswith(
        "Kommunikationsplattform Underlag för beslut om upphandling av förstudie och"
        " genomförande av förstudie för ny kommunikationsplattform i Katrineholms kommun Datum:"
        " 2010-06-04 Handläggare: Jessica Sjögren"
    )


# --- Financing ---------------------------------------------------------------------------------

AMOUNT_WORDS = {"sju miljoner": Decimal(7_000_000)}
"""The amounts the seed writes in words."""


def test_the_grant_is_recorded_once_with_its_printed_total_and_terms(seed: Seed) -> None:
    [grant] = FINANCING
    assert grant.project_code == "barn-och-ungdomsprojektet"
    assert grant.amount == AMOUNT_WORDS["sju miljoner"]
    assert "Katrineholms kommun blev beviljade, i slutet av 2008, sju miljoner" in seed.ongoing
    assert "Projektet kommer att pågå i tre år" in seed.ongoing
    assert grant.granted_on is None  # "i slutet av 2008": no day
    assert grant.year == 2009
    assert grant.note is not None
    for term in ("i slutet av 2008", "sju miljoner", "tre år", "inte fördelningen per år"):
        assert term in grant.note, term


def test_the_grant_s_source_is_the_agency_the_seed_names_and_the_note_says_how(
    seed: Seed,
) -> None:
    [grant] = FINANCING
    assert f"i dialog med {grant.source}." in seed.ongoing
    assert grant.note is not None and f"i dialog med {grant.source}" in grant.note


# --- Goal links --------------------------------------------------------------------------------

PLATFORM_GOALS = {
    "klf-ratt-kvalitet-produktivitet-och-effektivitet": (
        "Katrineholms kommun ska bedriva verksamheter av rätt kvalitet med högsta möjliga"
        " produktivitet och effektivitet"
    ),
    "klf-attraktiv-arbetsgivare": "Katrineholms kommun ska vara en attraktiv arbetsgivare",
}
"""The result goals the appendix lists, as it words them, by their id in the goals demo."""


def test_goal_links_name_goals_the_goals_demo_adopts() -> None:
    assert len(GOAL_LINKS) == 3
    for link in GOAL_LINKS:
        assert link.goal_id in ADOPTED, link.goal_id
    assert len({(g.project_code, g.goal_id) for g in GOAL_LINKS}) == len(GOAL_LINKS)


def test_the_platform_serves_the_two_result_goals_its_appendix_lists(seed: Seed) -> None:
    linked = {g.goal_id for g in GOAL_LINKS if g.project_code == "kommunikationsplattform"}
    assert linked == set(PLATFORM_GOALS)
    listed = seed.appendix[seed.appendix.index("Resultatmål En fungerande") :]
    for goal_id, wording in PLATFORM_GOALS.items():
        assert wording in listed
        assert ADOPTED[goal_id].title.startswith(wording)


def test_the_logistics_centre_serves_the_goal_whose_commitments_name_it() -> None:
    linked = {g.goal_id for g in GOAL_LINKS if g.project_code == "katrineholms-logistikcentrum"}
    assert linked == {"nat-hallbar-utveckling"}
    naming_klc = {
        c.goal_id
        for c in GOALS_CATALOGUE
        if isinstance(c, MakeCommitment) and c.text.startswith("KLC ")
    }
    assert naming_klc == linked


def test_only_those_two_projects_are_linked_to_goals() -> None:
    assert {g.project_code for g in GOAL_LINKS} == {
        "kommunikationsplattform",
        "katrineholms-logistikcentrum",
    }


# --- Loading -----------------------------------------------------------------------------------


def test_the_loader_sends_everything_as_the_planning_system_on_the_projects_subjects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[tuple[str, list[Command], str, SecretStr | None, WriteService]] = []

    async def publish(
        nats_url: str,
        commands: list[Command],
        system: str,
        password: SecretStr | None = None,
        service: WriteService = PROJECTS,
    ) -> None:
        sent.append((nats_url, commands, system, password, service))

    monkeypatch.setattr(kommunplan.demo, "publish_commands", publish)

    def password_for(system: str) -> SecretStr | None:
        return SecretStr(f"pw-{system}")

    count = asyncio.run(load_projects_demo("nats://demo:4222", password_for))

    assert count == len(COMMANDS)
    [(url, commands, system, password, service)] = sent
    assert (url, system, service) == ("nats://demo:4222", "planeringssystem", PROJECTS)
    assert password is not None and password.get_secret_value() == "pw-planeringssystem"
    assert [c.message_id for c in commands] == [c.message_id for c in COMMANDS]
    assert PROJECTS.inbound_subject(system, "register-project") == (
        "projects.inbound.planeringssystem.register-project"
    )
