"""The projects demo (kommunplan/demo_data/projects.jsonl and projects.md) checked against its
contracts and the seed itself: valid commands in an order the service can apply, nothing sent that
the seed does not state, and the projects of the seed's lists (tests.unit.projects_demo_seed reads
the seed).
"""

import re
from collections import Counter

import pytest

from contracts.projects.commands import (
    ChangeProjectManager,
    RegisterProject,
    ReportProjectStatus,
    SetProjectBudget,
)
from contracts.projects.service import PROJECTS_COMMANDS
from kommunplan.demo import projects_demo_count
from tests.unit.projects_demo_seed import (
    COMMANDS,
    PROJECT,
    REGISTERED,
    STATUS_CHANGES,
    STEPS,
    UNITS,
    Seed,
    projects_demo_commands,
    read_seed,
    status_of,
)


@pytest.fixture(scope="module")
def seed() -> Seed:
    return read_seed()


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
