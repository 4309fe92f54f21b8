"""The projects demo checked against the seed word by word: its texts, decision references,
steps, financing and goal links, and the loader sending it as the planning system
(tests.unit.projects_demo_seed reads the seed).
"""

import asyncio
import re
from decimal import Decimal

import pytest
from pydantic import SecretStr

import kommunplan.demo
from contracts.envelope import Command
from contracts.goals.commands import MakeCommitment
from contracts.projects.service import PROJECTS
from contracts.service import WriteService
from kommunplan.demo import load_projects_demo
from tests.unit.projects_demo_seed import (
    ADOPTED,
    COMMANDS,
    FINANCING,
    GOAL_LINKS,
    GOALS_CATALOGUE,
    LOST_X,
    PROJECT,
    REGISTERED,
    STATUS_CHANGES,
    STEPS,
    Seed,
    printed_passages,
    read_seed,
)


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed()


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
