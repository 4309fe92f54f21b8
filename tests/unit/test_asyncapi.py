"""The AsyncAPI documents: in sync with the contract models, complete, and served by each app."""

import json
from typing import Any

import pytest

from contracts.budget.service import BUDGET
from contracts.envelope import Envelope
from contracts.jsonschema import SCHEMA_DIR
from contracts.service import WriteService
from contracts.write_services import WRITE_SERVICES
from plumbing.asyncapi import (
    ASYNCAPI_DIR,
    SYSTEM,
    NotAConsumer,
    all_documents,
    describing_handler,
    document,
    render,
)
from plumbing.http_identity import Access
from plumbing.memory_eventstore import InMemoryEventStore
from plumbing.settings import WriteServiceSettings
from services.budget import bootstrap as budget
from services.budget.entrypoints.http import create_app
from tests.system import get_as
from tests.tokens import identity_settings

SERVICES = pytest.mark.parametrize("service", WRITE_SERVICES, ids=lambda s: s.name)


def _resolve(doc: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in value:
        node: Any = doc
        for part in value["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        value = node
    return value


def _operations_by_address(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        _resolve(doc, operation["channel"])["address"]: operation
        for operation in doc["operations"].values()
    }


def _payload(doc: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    (reference,) = operation["messages"]
    return _resolve(doc, _resolve(doc, reference)["payload"])


def _published(path: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / path).read_text(encoding="utf-8"))
    return schema


def test_every_published_asyncapi_document_matches_the_contracts() -> None:
    expected = all_documents()
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in ASYNCAPI_DIR.glob("*.json")}
    assert sorted(on_disk) == sorted(expected), "run: python -m plumbing.asyncapi"
    for name, doc in expected.items():
        assert on_disk[name] == render(doc), f"{name} is stale: python -m plumbing.asyncapi"


def test_generating_twice_gives_the_same_text() -> None:
    assert render(document(BUDGET)) == render(document(BUDGET))


@SERVICES
def test_every_command_event_and_the_rejection_subject_is_in_the_document(
    service: WriteService,
) -> None:
    doc = document(service)
    assert doc["asyncapi"] == "3.0.0"
    assert doc["info"]["title"] == service.name.capitalize()
    operations = _operations_by_address(doc)
    system = f"{{{SYSTEM}}}"
    for name in service.commands:
        assert operations[service.inbound_subject(system, name)]["action"] == "receive"
    for event_type in service.events:
        assert operations[service.event_subject(event_type)]["action"] == "send"
    assert operations[service.rejected_subject(system)]["action"] == "send"
    assert len(operations) == len(service.commands) + len(service.events) + 1


@SERVICES
def test_a_command_message_has_the_fields_of_its_published_json_schema(
    service: WriteService,
) -> None:
    doc = document(service)
    operations = _operations_by_address(doc)
    for name in service.commands:
        payload = _payload(doc, operations[service.inbound_subject(f"{{{SYSTEM}}}", name)])
        published = _published(f"{service.name}/commands/{name}.json")
        assert sorted(payload["properties"]) == sorted(published["properties"]), name
        assert sorted(payload["required"]) == sorted(published["required"]), name


@SERVICES
def test_an_event_message_shows_the_envelope_and_the_event_fields(service: WriteService) -> None:
    doc = document(service)
    operations = _operations_by_address(doc)
    for event_type, event in service.events.items():
        message = _payload(doc, operations[service.event_subject(event_type)])
        assert sorted(message["properties"]) == ["envelope", "payload"]
        envelope = _resolve(doc, message["properties"]["envelope"])
        assert sorted(envelope["properties"]) == sorted(Envelope.model_fields)
        payload = _resolve(doc, message["properties"]["payload"])
        published = _published(f"{service.name}/events/{event_type}.v{event.schema_version}.json")
        assert sorted(payload["properties"]) == sorted(published["properties"]), event_type


@SERVICES
def test_the_rejection_is_described_with_its_problems(service: WriteService) -> None:
    doc = document(service)
    operation = _operations_by_address(doc)[service.rejected_subject(f"{{{SYSTEM}}}")]
    rejection = _payload(doc, operation)
    assert sorted(rejection["properties"]) == sorted(_published("rejection.json")["properties"])


def test_a_channel_for_every_sending_system_names_its_parameter() -> None:
    doc = document(BUDGET)
    for channel in doc["channels"].values():
        if "{" in channel["address"]:
            assert set(channel["parameters"]) == {SYSTEM}
        else:
            assert "parameters" not in channel


async def test_the_describing_handlers_refuse_to_consume() -> None:
    handler = describing_handler(BUDGET.commands["register-unit"])
    with pytest.raises(NotAConsumer):
        await handler(None)


def _budget_app() -> Any:
    settings = WriteServiceSettings(**identity_settings())
    handler = budget.PARTS.handler(settings, InMemoryEventStore())
    return create_app(handler, Access.from_settings(settings))


async def test_the_budget_app_serves_its_document_without_a_token() -> None:
    response = await get_as(_budget_app(), "/asyncapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == document(BUDGET)


async def test_the_budget_app_serves_its_document_as_a_page_without_a_token() -> None:
    response = await get_as(_budget_app(), "/asyncapi")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src" not in response.headers["content-security-policy"]
    page = response.text
    assert "<script" not in page
    assert "Kanaler och operationer" in page
    assert "budget.inbound.{system}.register-unit" in page
    assert "budget.rejected.{system}" in page
    assert "payload.unit_code" in page  # an event's own fields, under the envelope's
