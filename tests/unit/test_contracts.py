"""The published contracts: schemas in sync with the models, and nothing but pydantic inside."""

import ast
import sys
from pathlib import Path

from contracts.jsonschema import SCHEMA_DIR, all_schemas, render

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
