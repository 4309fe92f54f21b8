"""JSON Schema of every published message, generated from the models.

``python -m contracts.jsonschema`` writes them to contracts/schemas/; a test fails when
the files and the models disagree, so the published schemas cannot drift.
"""

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from contracts.envelope import EventMessage
from contracts.rejection import Rejection
from contracts.write_services import WRITE_SERVICES

SCHEMA_DIR = Path(__file__).parent / "schemas"


def _schema(model: type[BaseModel], title: str, description: str) -> dict[str, Any]:
    schema = model.model_json_schema(mode="serialization")
    schema["title"] = title
    schema["description"] = description
    return schema


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, for every event, command and the shared wrappers."""
    schemas: dict[str, dict[str, Any]] = {}
    for service in WRITE_SERVICES:
        for event_type, event in service.events.items():
            path = f"{service.name}/events/{event_type}.v{event.schema_version}.json"
            schemas[path] = _schema(event, event_type, (event.__doc__ or event_type).strip())
        for name, command in service.commands.items():
            schemas[f"{service.name}/commands/{name}.json"] = _schema(
                command, command.__name__, (command.__doc__ or name).strip()
            )
    schemas["event-message.json"] = _schema(
        EventMessage, "EventMessage", "An event on NATS: envelope and payload"
    )
    schemas["rejection.json"] = _schema(Rejection, "Rejection", "A refused inbound message")
    return schemas


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write(directory: Path = SCHEMA_DIR) -> list[Path]:
    written = []
    for name, schema in all_schemas().items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write():
        print(path)
