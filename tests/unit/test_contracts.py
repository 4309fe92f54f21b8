"""The published contracts: schemas in sync with the models, and nothing but pydantic inside."""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from contracts.budget.service import BUDGET_COMMANDS
from contracts.jsonschema import SCHEMA_DIR, all_schemas, render
from contracts.money import AMOUNT_PATTERN
from contracts.text import MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN

CONTRACTS = Path(__file__).parents[2] / "contracts"


def test_every_published_json_schema_matches_the_models() -> None:
    expected = all_schemas()
    on_disk = {
        str(path.relative_to(SCHEMA_DIR)): path.read_text(encoding="utf-8")
        for path in SCHEMA_DIR.rglob("*.json")
    }
    assert sorted(on_disk) == sorted(expected), "run: python -m contracts.jsonschema"
    for name, schema in expected.items():
        assert on_disk[name] == render(schema), f"{name} is stale: python -m contracts.jsonschema"


def test_contracts_import_nothing_but_pydantic_and_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"pydantic", "contracts"}
    for path in CONTRACTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert roots <= allowed, f"{path.name} imports {roots - allowed}"


def test_an_amount_schema_says_string_so_senders_do_not_send_floats() -> None:
    schema = all_schemas()["budget/commands/record-actuals.json"]
    assert schema["properties"]["revenue"]["type"] == "string"
    assert "message_id" in schema["properties"]


def _strings(schema: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema of a string inside ``schema``, with where it is."""
    if isinstance(schema, dict):
        if schema.get("type") == "string":
            yield path, schema
        for key, value in schema.items():
            yield from _strings(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _strings(value, f"{path}/{index}")


def test_every_published_string_is_bounded() -> None:
    published = {n: s for n, s in all_schemas().items() if n != "rejection.json"}
    # As read (FastAPI's OpenAPI document): amounts may also come as strings in other spellings.
    read = {n: c.model_json_schema(mode="validation") for n, c in BUDGET_COMMANDS.items()}
    for name, schema in {**published, **read}.items():
        for path, string in _strings(schema, name):
            if "format" in string or "enum" in string:
                continue  # a uuid, a date or a named value bounds itself
            assert "maxLength" in string, path
            assert "pattern" in string, path


def test_free_text_excludes_control_characters_in_the_published_schemas() -> None:
    schema = all_schemas()["budget/commands/write-narrative.json"]
    assert schema["properties"]["text"]["pattern"] == MULTI_LINE_PATTERN
    assert schema["properties"]["actor"]["pattern"] == SINGLE_LINE_PATTERN
    figures = all_schemas()["budget/commands/set-figures.json"]["properties"]
    assert figures["revenue"]["pattern"] == AMOUNT_PATTERN
    assert figures["decision"]["anyOf"][0]["pattern"] == SINGLE_LINE_PATTERN
