"""The demo's data files (kommunplan/demo_data): every line of every file validated by its
service's contract, every text it names found, a bad line refused with its file and line, the
files shipped with the package, and the loader sending them in their order by their senders."""

import asyncio
import json
import tomllib
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

import pytest
from pydantic import SecretStr

import kommunplan.demo
from contracts.budget.service import BUDGET
from contracts.envelope import Command
from contracts.goals.service import GOALS
from contracts.projects.service import PROJECTS
from contracts.service import WriteService
from kommunplan.demo import (
    DEMO_SYSTEM,
    GOALS_PLANNING_SYSTEM,
    GOALS_STATISTICS_SYSTEM,
    PLANNER_ROLE,
    PROJECTS_PLANNING_SYSTEM,
    Planner,
    load_demo,
    load_goals_demo,
    send,
)
from kommunplan.demo_data import (
    DATA_DIR,
    PARTS,
    DemoCommand,
    DemoDataError,
    jsonl_path,
    prose_path,
    prose_references,
    read,
    read_prose,
)

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
SENDERS = {
    BUDGET.name: {(None, PLANNER_ROLE), (DEMO_SYSTEM, None)},
    GOALS.name: {(GOALS_PLANNING_SYSTEM, None), (GOALS_STATISTICS_SYSTEM, None)},
    PROJECTS.name: {(PROJECTS_PLANNING_SYSTEM, None)},
}
"""Who sends each service's demo: its systems over NATS, and a planner over HTTP."""


def test_the_parts_are_the_three_write_services_in_the_order_they_need() -> None:
    assert [service.name for service in PARTS] == ["budget", "goals", "projects"]


@pytest.mark.parametrize("service", PARTS, ids=lambda s: s.name)
def test_every_line_is_a_command_of_its_service_valid_by_its_contract(
    service: WriteService,
) -> None:
    lines = read(service)
    assert lines
    for line in lines:
        assert type(line.command) is service.commands[line.command.command_name], line.where
        assert line.command.actor == "demo", line.where
    assert {(line.system, line.role) for line in lines} == SENDERS[service.name]


@pytest.mark.parametrize("service", PARTS, ids=lambda s: s.name)
def test_every_text_is_named_once_and_every_name_has_its_text(service: WriteService) -> None:
    named = prose_references(service)
    texts = read_prose(prose_path(service))
    assert Counter(named) == Counter(list(texts)), service.name
    assert all(text.strip() for text in texts.values())


def test_message_ids_are_fixed_and_unique_across_the_files() -> None:
    first = [line.command.message_id for service in PARTS for line in read(service)]
    assert len(first) == len(set(first))
    assert first == [line.command.message_id for service in PARTS for line in read(service)]


def test_no_line_fixes_when_its_command_happened() -> None:
    """Each load's commands happen when it sends them, as the contract's default says."""
    for service in PARTS:
        for text in jsonl_path(service).read_text(encoding="utf-8").splitlines():
            assert "occurred_at" not in json.loads(text)["body"], text[:80]


def test_the_package_ships_every_data_file() -> None:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    for path in DATA_DIR.iterdir():
        if path.suffix != ".py" and path.is_file():
            assert any(fnmatch(path.name, pattern) for pattern in patterns), path.name


# --- Refused lines ----------------------------------------------------------------------------

FIGURES = {
    "message_id": "7d2f3c6e-6a37-4a55-9d3e-2f4c0f6f3a10",
    "actor": "demo",
    "unit_code": "KS",
    "year": 2011,
    "kind": "budget",
    "status": "adopted",
    "revenue": "100",
    "costs": "-200",
}


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def written(directory: Path, *lines: str, prose: str | None = None) -> Path:
    jsonl_path(BUDGET, directory).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if prose is not None:
        prose_path(BUDGET, directory).write_text(prose, encoding="utf-8")
    return directory


GOOD = line(command="set-figures", system=DEMO_SYSTEM, body=FIGURES)


def narrative(heading: str) -> str:
    """A line writing KS's changes of 2011 with the text under ``heading``."""
    body = {"actor": "demo", "unit_code": "KS", "year": 2011, "section": "activity_changes"}
    return line(command="write-narrative", system="x", body={**body, "text": {"prose": heading}})


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ('{"command": "set-figures",', "not JSON"),
        ('["set-figures"]', "a line is a JSON object"),
        (line(command="set-figures", body=FIGURES), "one of system or role"),
        (
            line(command="set-figures", system="x", role="planner", body=FIGURES),
            "one of system or role",
        ),
        (line(command="adopt-goal", system="x", body=FIGURES), "no command 'adopt-goal'"),
        (
            line(command="set-figures", system="x", body={**FIGURES, "revenue": 1.5}),
            "set-figures refused by its contract: revenue",
        ),
        (
            line(command="set-figures", system="x", body={**FIGURES, "colour": "red"}),
            "set-figures refused by its contract: colour",
        ),
        (narrative("KS: saknas"), "text: no text under the heading 'KS: saknas'"),
    ],
)
def test_a_bad_line_is_refused_naming_its_file_and_line(
    tmp_path: Path, bad: str, problem: str
) -> None:
    directory = written(tmp_path, GOOD, "", bad)
    with pytest.raises(DemoDataError) as refused:
        read(BUDGET, directory)
    message = str(refused.value)
    assert message.startswith(f"{jsonl_path(BUDGET, directory)}:3: "), message
    assert problem in message, message


def test_a_text_is_read_from_under_its_heading(tmp_path: Path) -> None:
    prose = "# Texter\n\nFörord.\n\n## KS: förändringar\n\nFörst.\nSedan.\n\nSist.\n\n## Annat\n"
    directory = written(tmp_path, narrative("KS: förändringar"), prose=prose)
    [found] = read(BUDGET, directory)
    assert found.command.model_dump()["text"] == "Först.\nSedan.\n\nSist."


def test_a_heading_twice_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    directory = written(tmp_path, GOOD, prose="## KS\n\nEtt.\n\n## KS\n\nTvå.\n")
    with pytest.raises(DemoDataError, match=r"budget\.md:5: the heading 'KS' stands twice"):
        read(BUDGET, directory)


# --- Sending ----------------------------------------------------------------------------------

Sent = list[tuple[str, str, list[str]]]  # how (NATS system or HTTP), who, command names


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Sent:
    found: Sent = []

    async def publish(
        nats_url: str,
        commands: list[Command],
        system: str,
        password: SecretStr | None = None,
        service: WriteService = BUDGET,
    ) -> None:
        assert password is not None and password.get_secret_value() == f"pw-{system}"
        found.append((f"nats:{service.name}", system, [c.command_name for c in commands]))

    async def post(planner: Planner, commands: list[Command]) -> None:
        found.append(("http", planner.url, [c.command_name for c in commands]))

    monkeypatch.setattr(kommunplan.demo, "publish_commands", publish)
    monkeypatch.setattr(kommunplan.demo, "post_commands", post)
    return found


def password_for(system: str) -> SecretStr:
    return SecretStr(f"pw-{system}")


def names(service: WriteService, system: str | None, role: str | None) -> list[str]:
    return [
        line.command.command_name
        for line in read(service)
        if (line.system, line.role) == (system, role)
    ]


def test_the_budget_tree_goes_to_the_planner_first_then_the_rest_to_the_ledger(sent: Sent) -> None:
    planner = Planner("http://budget", "token")
    count = asyncio.run(load_demo("nats://demo", password_for(DEMO_SYSTEM), planner))
    assert sent == [
        ("http", "http://budget", names(BUDGET, None, PLANNER_ROLE)),
        ("nats:budget", DEMO_SYSTEM, names(BUDGET, DEMO_SYSTEM, None)),
    ]
    assert count == len(sent[1][2])


def test_without_a_planner_the_ledger_sends_the_whole_budget_in_order(sent: Sent) -> None:
    count = asyncio.run(load_demo("nats://demo", password_for(DEMO_SYSTEM)))
    everything = [line.command.command_name for line in read(BUDGET)]
    assert sent == [("nats:budget", DEMO_SYSTEM, everything)]
    assert count == len(everything)


def test_the_goals_go_as_the_planning_system_then_the_values_as_statistics(sent: Sent) -> None:
    count = asyncio.run(load_goals_demo("nats://demo", password_for))
    assert sent == [
        ("nats:goals", GOALS_PLANNING_SYSTEM, names(GOALS, GOALS_PLANNING_SYSTEM, None)),
        ("nats:goals", GOALS_STATISTICS_SYSTEM, names(GOALS, GOALS_STATISTICS_SYSTEM, None)),
    ]
    assert count == len(read(GOALS))


def test_a_line_a_person_enters_is_not_sent_without_someone_to_enter_it(sent: Sent) -> None:
    [tree, *_] = read(BUDGET)
    assert tree.role == PLANNER_ROLE
    with pytest.raises(ValueError, match="no one given to enter register-unit as planner"):
        asyncio.run(send(BUDGET, [tree], "nats://demo", password_for))
    assert sent == []


def test_a_run_of_one_system_is_one_batch_and_the_order_is_kept(sent: Sent) -> None:
    lines = read(GOALS)
    measurement = lines[-1]
    shuffled = [measurement, *lines[:2], DemoCommand(measurement.command, measurement.system)]
    asyncio.run(send(GOALS, shuffled, "nats://demo", password_for))
    assert [(who, len(commands)) for _, who, commands in sent] == [
        (GOALS_STATISTICS_SYSTEM, 1),
        (GOALS_PLANNING_SYSTEM, 2),
        (GOALS_STATISTICS_SYSTEM, 1),
    ]
