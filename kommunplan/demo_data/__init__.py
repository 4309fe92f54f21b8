"""The seed's demo as data: a JSON Lines file of commands per write service, its long texts in
a Markdown file beside it, each line validated by the service's command contract when read.

The format, the order and how each part of the seed was read are in README.md beside this file.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contracts.budget.service import BUDGET
from contracts.envelope import Command
from contracts.goals.service import GOALS
from contracts.projects.service import PROJECTS
from contracts.service import WriteService

DATA_DIR = Path(__file__).parent

PARTS: tuple[WriteService, ...] = (BUDGET, GOALS, PROJECTS)
"""In the order the services need them: the budget's tree before the goals and projects that
name its units, the goals before the projects that link to them."""

LINE_KEYS = {"command", "body"}
SENDER_KEYS = {"system", "role"}
PROSE_KEY = "prose"
HEADING = "## "


class DemoDataError(ValueError):
    """A data file the contracts refuse, or one that is not in the demo's format."""


@dataclass(frozen=True)
class DemoCommand:
    """A command of the demo and who sends it: a system over NATS, or a person with a role
    over HTTP."""

    command: Command
    system: str | None = None
    role: str | None = None
    where: str = ""  # "<file>:<line>", for messages

    def by_system(self, system: str) -> "DemoCommand":
        """The same command, sent by ``system`` over NATS instead."""
        return DemoCommand(self.command, system=system, where=self.where)


def jsonl_path(service: WriteService, directory: Path = DATA_DIR) -> Path:
    return directory / f"{service.name}.jsonl"


def prose_path(service: WriteService, directory: Path = DATA_DIR) -> Path:
    return directory / f"{service.name}.md"


def read(service: WriteService, directory: Path = DATA_DIR) -> list[DemoCommand]:
    """Every command of ``service``'s file, in its order, each validated by its contract;
    DemoDataError naming the file and line of the first that is not valid."""
    path = jsonl_path(service, directory)
    prose = read_prose(prose_path(service, directory))
    commands = []
    for number, text in _lines(path):
        where = f"{path}:{number}"
        try:
            commands.append(_command(service, json.loads(text), prose, where))
        except ValueError as error:
            raise DemoDataError(f"{where}: {_problem(error)}") from None
    return commands


def commands(service: WriteService, directory: Path = DATA_DIR) -> list[Command]:
    """The commands of ``service``'s file, without their senders."""
    return [line.command for line in read(service, directory)]


def read_prose(path: Path) -> dict[str, str]:
    """The texts of a Markdown file by their heading ("## <heading>"): each the lines under it
    up to the next heading, without the blank lines around them. What comes before the first
    heading is the file's own title and preface. No file, no texts."""
    if not path.exists():
        return {}
    texts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith(HEADING):
            heading = line.removeprefix(HEADING).strip()
            if heading in texts:
                raise DemoDataError(f"{path}:{number}: the heading {heading!r} stands twice")
            current = texts[heading] = []
        elif current is not None:
            current.append(line)
    return {heading: "\n".join(lines).strip("\n") for heading, lines in texts.items()}


def prose_references(service: WriteService, directory: Path = DATA_DIR) -> list[str]:
    """The headings ``service``'s file names, in its order, as often as it names them."""
    found = []
    for _, text in _lines(jsonl_path(service, directory)):
        body = json.loads(text).get("body", {})
        found += [v[PROSE_KEY] for v in body.values() if isinstance(v, dict) and PROSE_KEY in v]
    return found


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """The non-blank lines of ``path`` with their numbers, from 1."""
    for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if text.strip():
            yield number, text


def _command(service: WriteService, line: Any, prose: dict[str, str], where: str) -> DemoCommand:
    if not isinstance(line, dict):
        raise ValueError("a line is a JSON object")
    keys = set(line)
    senders = keys & SENDER_KEYS
    if keys - senders != LINE_KEYS or len(senders) != 1:
        raise ValueError(
            f"a line has the keys command, body and one of system or role; this one has "
            f"{', '.join(sorted(keys))}"
        )
    name = line["command"]
    contract = service.commands.get(name) if isinstance(name, str) else None
    if contract is None:
        raise ValueError(f"the {service.name} service has no command {name!r}")
    if not isinstance(line["body"], dict):
        raise ValueError("body is a JSON object: the command's fields")
    sender = line.get("system") or line.get("role")
    if not isinstance(sender, str):
        raise ValueError(f"{next(iter(senders))} is a name")
    try:
        # As JSON, the way the service reads what is sent to it.
        body = json.dumps(_with_prose(line["body"], prose), ensure_ascii=False)
        command = contract.model_validate_json(body)
    except ValidationError as error:
        raise ValueError(f"{name} refused by its contract: {_refusal(error)}") from None
    return DemoCommand(command, line.get("system"), line.get("role"), where)


def _with_prose(body: dict[str, Any], prose: dict[str, str]) -> dict[str, Any]:
    """``body`` with each {"prose": "<heading>"} replaced by the text under that heading."""
    resolved = {}
    for field, value in body.items():
        if isinstance(value, dict) and set(value) == {PROSE_KEY}:
            heading = value[PROSE_KEY]
            if heading not in prose:
                raise ValueError(f"{field}: no text under the heading {heading!r}")
            value = prose[heading]
        resolved[field] = value
    return resolved


def _refusal(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in e['loc']) or 'body'}: {e['msg']}" for e in error.errors()
    )


def _problem(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON ({error.msg}, column {error.colno})"
    return str(error)
