"""The register of systems: its two forms, what it refuses, what the services and
nats-server make of it, and that `kommunplan up`'s demo sends nothing its register does not
give."""

import asyncio
import json
import re
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

import kommunplan.demo
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from contracts.goals.service import GOALS
from contracts.projects.service import PROJECTS
from contracts.scope import Scope
from contracts.service import WriteService
from kommunplan.demo import (
    TREE_CHANGES,
    Planner,
    load_demo,
    load_example_data,
    load_goals_demo,
    load_projects_demo,
)
from kommunplan.nats_access import prepare
from plumbing.inbound_reading import known_systems
from plumbing.nats_users import all_permissions, service_permissions, system_permissions
from plumbing.settings import StackSettings, WriteServiceSettings
from plumbing.systems import grantable, register

TREE = {"register-unit", "rename-unit", "move-unit", "close-unit"}
LEDGER = {
    "units": ["*"],
    "commands": {"budget": ["record-actuals", "make-forecast"]},
}


# --- Reading the register ----------------------------------------------------------------


def test_the_older_form_gives_every_command_a_system_may_have_of_every_service() -> None:
    rights = register({"lonesystem": ["KLF"]})["lonesystem"]
    assert rights.scope == Scope(frozenset({"KLF"}))
    assert rights.commands_of("budget") == set(BUDGET.commands) - {"set-project-share"}
    assert rights.commands_of("goals") == set(GOALS.commands)
    assert rights.commands_of("projects") == set(PROJECTS.commands)


def test_the_new_form_gives_the_commands_named_and_nothing_of_the_services_not_named() -> None:
    rights = register({"ekonomisystem": LEDGER})["ekonomisystem"]
    assert rights.units == {"*"}
    assert rights.commands_of("budget") == {"record-actuals", "make-forecast"}
    assert rights.commands_of("goals") == set() and rights.commands_of("projects") == set()


def test_a_star_gives_every_command_of_that_service_but_the_office_share() -> None:
    rights = register({"x": {"units": ["KLF"], "commands": {"budget": ["*"]}}})["x"]
    assert rights.commands_of("budget") == grantable(BUDGET)
    assert "set-project-share" not in grantable(BUDGET) and TREE <= grantable(BUDGET)
    assert grantable(GOALS) == set(GOALS.commands)


def test_a_system_without_commands_may_send_nothing() -> None:
    rights = register({"x": {"units": ["*"]}})["x"]
    assert all(rights.commands_of(s.name) == set() for s in (BUDGET, GOALS, PROJECTS))


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (
            {"units": ["*"], "commands": {"budget": ["set-project-share"]}},
            "kan inte få kommandot 'set-project-share' till budget: det tar budgettjänsten "
            "bara emot från projekttjänsten",
        ),
        ({"units": ["*"], "commands": {"budget": ["*", "set-project-share"]}}, "projekttjänsten"),
        ({"units": ["*"], "commands": {"lön": ["record-actuals"]}}, "okänd tjänst 'lön'"),
        ({"units": ["*"], "commands": {"goals": ["record-actuals"]}}, "okänt kommando"),
        ({"units": ["*"], "comands": {}}, "Extra inputs"),
        ({"commands": {}}, "units"),
    ],
)
def test_a_register_the_services_cannot_honour_is_refused_when_the_settings_are_read(
    entry: object, reason: str
) -> None:
    with pytest.raises(ValidationError, match=reason):
        WriteServiceSettings(systems={"x": entry})  # type: ignore[dict-item]


def test_the_register_is_read_from_its_setting_in_either_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "KOMMUNPLAN_SYSTEMS", json.dumps({"ekonomisystem": LEDGER, "lonesystem": ["KLF"]})
    )
    rights = register(WriteServiceSettings().systems)
    assert rights["ekonomisystem"].commands_of("budget") == {"record-actuals", "make-forecast"}
    assert rights["lonesystem"].commands_of("budget") == grantable(BUDGET)
    monkeypatch.setenv(
        "KOMMUNPLAN_SYSTEMS", json.dumps({"x": {"units": [], "commands": {"y": []}}})
    )
    with pytest.raises(ValidationError, match="okänd tjänst 'y'"):
        WriteServiceSettings()


# --- What the services make of it --------------------------------------------------------


def test_each_service_knows_each_system_with_its_own_commands_and_projects_with_the_share() -> None:
    settings = WriteServiceSettings(systems={"ekonomisystem": LEDGER, "lonesystem": ["KLF"]})
    budget = known_systems(settings, BUDGET)
    assert budget["ekonomisystem"].commands == {"record-actuals", "make-forecast"}
    assert budget["lonesystem"].scope == Scope(frozenset({"KLF"}))
    assert budget["projects"].commands == {"set-project-share"} and budget["projects"].service
    assert not budget["ekonomisystem"].service
    goals = known_systems(settings, GOALS)
    assert goals["ekonomisystem"].commands == set() and "projects" not in goals


# --- What nats-server makes of it --------------------------------------------------------


def test_a_system_publishes_only_on_the_subjects_of_its_own_commands() -> None:
    publish = system_permissions(
        "ekonomisystem", register({"ekonomisystem": LEDGER})["ekonomisystem"]
    ).publish
    inbound = [p for p in publish if ".inbound." in p]
    assert inbound == [
        "budget.inbound.ekonomisystem.make-forecast",
        "budget.inbound.ekonomisystem.record-actuals",
    ]
    assert not any(p.endswith(">") and ".inbound." in p for p in publish)


def test_a_system_may_read_pull_from_and_acknowledge_its_consumers_but_not_make_or_delete_one() -> (
    None
):
    rights = register({"lonesystem": ["KLF"]})["lonesystem"]
    api = [p for p in system_permissions("lonesystem", rights).publish if p.startswith("$JS")]
    assert set(api) == {
        f"{prefix}.{service.rejected_stream}.lonesystem{tail}"
        for service in (BUDGET, GOALS, PROJECTS)
        for prefix, tail in (
            ("$JS.API.CONSUMER.INFO", ""),
            ("$JS.API.CONSUMER.MSG.NEXT", ""),
            ("$JS.ACK", ".>"),
        )
    }
    assert not any(verb in p for p in api for verb in ("CREATE", "DELETE", "UPDATE", "PURGE"))


def test_a_write_service_makes_the_consumers_on_its_own_rejections_and_on_no_other() -> None:
    for service in (BUDGET, GOALS, PROJECTS):
        publish = service_permissions(service.name).publish
        makes = [p for p in publish if p.startswith("$JS.API.CONSUMER.CREATE") and "REJECTED" in p]
        own = [p for p in makes if f".{service.rejected_stream}." in p]
        assert own == [
            f"$JS.API.CONSUMER.CREATE.{service.rejected_stream}.*.{service.name}.rejected.*"
        ]
        # Projects makes its own consumer of budget's refusals of its share, and that only.
        others = set(makes) - set(own)
        expected = (
            {"$JS.API.CONSUMER.CREATE.BUDGET_REJECTED.projects.budget.rejected.projects"}
            if service is PROJECTS
            else set()
        )
        assert others == expected
        assert f"$JS.API.CONSUMER.DELETE.{service.rejected_stream}.*" in publish
    for relay in ("budget-relay", "goals-relay", "projects-relay"):
        publish = service_permissions(relay).publish
        assert not any("CONSUMER" in p and "REJECTED" in p for p in publish)
    # Reporting reads the rejection streams and their consumers for the operators' view:
    # their state and single messages, never a consumer made, deleted or pulled from.
    on_rejections = [p for p in service_permissions("reporting").publish if "REJECTED" in p]
    reads = re.compile(
        r"\$JS\.API\.(STREAM\.INFO|CONSUMER\.LIST|CONSUMER\.INFO|STREAM\.MSG\.GET)\."
    )
    assert on_rejections and all(reads.match(p) for p in on_rejections), on_rejections


def test_up_writes_each_systems_commands_into_the_servers_configuration(tmp_path: Path) -> None:
    access = prepare(tmp_path, {"ekonomisystem": LEDGER, "statistiksystem": {"units": ["*"]}})
    config = access.config_file.read_text(encoding="utf-8")
    assert '"budget.inbound.ekonomisystem.record-actuals"' in config
    assert "budget.inbound.ekonomisystem.>" not in config
    assert "inbound.statistiksystem" not in config
    assert set(all_permissions(register({"ekonomisystem": LEDGER}))) >= {"ekonomisystem"}
    with pytest.raises(RuntimeError, match="okänt kommando"):
        prepare(tmp_path, {"x": {"units": ["*"], "commands": {"budget": ["nope"]}}})


# --- The demo's register -----------------------------------------------------------------


def test_the_demos_register_gives_no_system_the_tree_nor_the_office_share() -> None:
    rights = register(StackSettings().systems)
    assert set(rights) == {"ekonomisystem", "planeringssystem", "statistiksystem", "projektverktyg"}
    for system, given in rights.items():
        assert not (TREE | {"set-project-share", "appoint-manager"}) & given.commands_of(
            "budget"
        ), system
    assert rights["statistiksystem"].commands == {"goals": {"record-measurement"}}
    assert rights["projektverktyg"].commands == {"projects": {"report-project-status"}}
    assert set(rights["ekonomisystem"].commands) == {"budget"}
    assert set(rights["planeringssystem"].commands) == {"goals", "projects"}


def test_the_demo_sends_over_nats_only_what_its_register_gives_and_the_tree_as_a_planner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[tuple[str, str, str]] = []  # service, system, command
    entered: list[str] = []

    async def publish(
        nats_url: str,
        commands: list[Command],
        system: str,
        password: SecretStr | None = None,
        service: WriteService = BUDGET,
    ) -> None:
        sent.extend((service.name, system, c.command_name) for c in commands)

    async def post(planner: Planner, commands: list[Command]) -> None:
        entered.extend(c.command_name for c in commands)

    monkeypatch.setattr(kommunplan.demo, "publish_commands", publish)
    monkeypatch.setattr(kommunplan.demo, "post_commands", post)

    def password_for(system: str) -> SecretStr | None:
        return None

    async def load_everything() -> None:
        await load_demo("nats://demo", None, Planner("http://budget", "token"))
        await load_goals_demo("nats://demo", password_for)
        await load_projects_demo("nats://demo", password_for)
        await load_example_data("nats://demo", password_for)

    asyncio.run(load_everything())
    rights = register(StackSettings().systems)
    not_given = [
        (service, system, command)
        for service, system, command in sent
        if command not in rights[system].commands_of(service)
    ]
    assert sent and not_given == []
    # The tree went to the planner, every bit of it, and none over NATS.
    assert entered and set(entered) <= {t.command_name for t in TREE_CHANGES}
    assert not any(command in TREE for _, _, command in sent)
