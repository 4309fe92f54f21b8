"""AsyncAPI documents of the write services, generated with FastStream from the contract models.

For each declaration a FastStream NATS broker is built that only describes: a subscriber per
command on ``<name>.inbound.{system}.<command>``, a publisher per event on
``<name>.events.<Type>`` and one on ``<name>.rejected.{system}``. The broker is never
connected and its handlers are never called (they raise if they were): the inbound commands
are consumed by plumbing.inbound on the project's own pull loop (plumbing.jetstream says why).

``python -m plumbing.asyncapi`` writes contracts/asyncapi/<name>.json for every write service;
a test fails when the files and the models disagree. Each service's HTTP app also serves its
document (``add_asyncapi_routes``).
"""

import html
import json
import warnings
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any, NamedTuple

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from faststream.nats import NatsBroker
from faststream.specification import AsyncAPI
from pydantic import BaseModel, ConfigDict, create_model

from contracts.envelope import Command, Envelope, Event
from contracts.rejection import Rejection
from contracts.service import WriteService
from contracts.write_services import WRITE_SERVICES

ASYNCAPI_DIR = Path(__file__).parents[1] / "contracts" / "asyncapi"
ASYNCAPI_VERSION = "3.0.0"
SYSTEM = "system"  # the channel parameter that stands for the sending system's name
REJECTED = "rejected"
# The embedded stack's NATS; a deployment names its own servers.
SERVER_URL = "nats://127.0.0.1:4222"


class _About(NamedTuple):
    """What the document says of a channel's message beyond its schema."""

    description: str
    # Where the message carries its correlation id: a stored event's correlation id is the
    # message id of the command that caused it, so a command's and its rejection's message
    # id correlate with its events' envelopes (not a header, as FastStream assumes).
    correlation_id: str


_COMMAND_CORRELATION = "$message.payload#/message_id"
_EVENT_CORRELATION = "$message.payload#/envelope/correlation_id"


class NotAConsumer(RuntimeError):
    """Raised by a describing handler: this broker documents subjects and consumes nothing."""


def describing_handler(command_type: type[Command]) -> Any:
    async def describes_only(body: Command) -> None:
        raise NotAConsumer(
            f"{command_type.__name__} is described here; plumbing.inbound consumes it"
        )

    # FastStream reads the message schema from the annotation of the handler's parameter.
    describes_only.__annotations__["body"] = command_type
    describes_only.__name__ = command_type.__name__
    describes_only.__doc__ = _doc(command_type, command_type.command_name)
    return describes_only


def _doc(model: type[BaseModel], fallback: str) -> str:
    """A model's description, as contracts.jsonschema gives it."""
    return (model.__doc__ or fallback).strip()


def event_message(event_type: str, event: type[Event]) -> type[BaseModel]:
    """The EventMessage of one event type, with the event's fields in ``payload``."""
    return create_model(
        f"{event_type}Message",
        __config__=ConfigDict(frozen=True, extra="forbid"),
        __doc__=f"{event_type} as published on NATS: the envelope and the event's fields.",
        envelope=(Envelope, ...),
        payload=(event, ...),
    )


def description(declaration: WriteService) -> str:
    name = declaration.name
    return (
        f"Meddelandena som {declaration.title} tar emot och publicerar på NATS JetStream. "
        f"En förvaltnings system skickar kommandon på {name}.inbound.{{system}}.<kommando> "
        f"(strömmen {declaration.inbound_stream}), under sin egen NATS-användare. "
        f"Tjänsten publicerar varje lagrad händelse på {name}.events.<Typ> "
        f"(strömmen {declaration.events_stream}), i ordning per händelseström, med "
        f"Nats-Msg-Id = händelsens id. Ett avvisat meddelande läggs på "
        f"{name}.rejected.{{system}} (strömmen {declaration.rejected_stream}) "
        f"med skälen och så mycket av originalet som ryms."
    )


def _broker(declaration: WriteService) -> tuple[NatsBroker, dict[str, _About]]:
    """The describing broker, and what to say of each channel's message, by channel key."""
    broker = NatsBroker(
        SERVER_URL,
        description="NATS med JetStream (den inbäddade stackens adress)",
    )
    about: dict[str, _About] = {}
    for name, command_type in declaration.commands.items():
        about[name] = _About(_doc(command_type, name), _COMMAND_CORRELATION)
        subscriber = broker.subscriber(
            declaration.inbound_subject(f"{{{SYSTEM}}}", name),
            title=name,
            description=about[name].description,
        )
        subscriber(describing_handler(command_type))
    for event_type, event in declaration.events.items():
        about[event_type] = _About(_doc(event, event_type), _EVENT_CORRELATION)
        broker.publisher(
            declaration.event_subject(event_type),
            title=event_type,
            description=about[event_type].description,
            schema=event_message(event_type, event),
        )
    about[REJECTED] = _About(_doc(Rejection, REJECTED), _COMMAND_CORRELATION)
    broker.publisher(
        declaration.rejected_subject(f"{{{SYSTEM}}}"),
        title=REJECTED,
        description=about[REJECTED].description,
        schema=Rejection,
    )
    return broker, about


def document(declaration: WriteService) -> dict[str, Any]:
    """The AsyncAPI document of a write service, as a JSON value."""
    broker, about = _broker(declaration)
    factory = AsyncAPI(
        broker,
        title=declaration.name.capitalize(),
        version=version("kommunplan"),
        description=description(declaration),
        schema_version=ASYNCAPI_VERSION,
    )
    with warnings.catch_warnings():
        # FastStream warns when it overwrites a channel or a schema of the same name:
        # a document that lost something must not be published.
        warnings.simplefilter("error", RuntimeWarning)
        generated: dict[str, Any] = json.loads(factory.to_specification().to_json())
    _complete(generated, about)
    return generated


def _complete(generated: dict[str, Any], about: dict[str, _About]) -> None:
    """Adds what FastStream 0.7 leaves out or assumes otherwise: the channel parameter
    (its AsyncAPI 3 channels have none yet), each message's description, and where the
    message carries its correlation id."""
    messages = generated["components"]["messages"]
    for key, channel in generated["channels"].items():
        if f"{{{SYSTEM}}}" in channel["address"]:
            channel["parameters"] = {
                SYSTEM: {
                    "description": (
                        "Det sändande systemets namn, detsamma som dess NATS-användare; "
                        "det får bara skicka och läsa under sitt eget namn"
                    )
                }
            }
        for reference in channel["messages"].values():
            message = messages[reference["$ref"].rsplit("/", 1)[-1]]
            message["description"] = about[key].description
            message["correlationId"] = {"location": about[key].correlation_id}


def render(generated: dict[str, Any]) -> str:
    return json.dumps(generated, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def all_documents() -> dict[str, dict[str, Any]]:
    """File name → document, for every write service."""
    return {f"{service.name}.json": document(service) for service in WRITE_SERVICES}


def write(directory: Path = ASYNCAPI_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, generated in all_documents().items():
        path = directory / name
        path.write_text(render(generated), encoding="utf-8")
        written.append(path)
    return written


# --- Serving ----------------------------------------------------------------------------


def add_asyncapi_routes(app: FastAPI, declaration: WriteService) -> None:
    """GET /asyncapi.json (the document) and /asyncapi (a page), readable without a token.

    They describe the public contracts, as /docs does. The page is rendered here rather
    than with FastStream's get_asyncapi_html, which loads its scripts from a CDN that the
    pages' Content-Security-Policy (and a machine without the internet) would refuse.
    """
    cached: list[dict[str, Any]] = []

    def current() -> dict[str, Any]:
        if not cached:
            cached.append(document(declaration))
        return cached[0]

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_json() -> JSONResponse:
        return JSONResponse(current())

    @app.get("/asyncapi", include_in_schema=False)
    async def asyncapi_page() -> HTMLResponse:
        return HTMLResponse(page(current()))


_ACTIONS = {"receive": "tar emot", "send": "publicerar"}
_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}"
    "table{border-collapse:collapse;margin-bottom:1.5em}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
    "code{font-size:.95em}"
)


def _e(text: object) -> str:
    return html.escape(str(text))


def _resolve(generated: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in value:
        node: Any = generated
        for part in value["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        value = node
    return value


def _type_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"].rsplit("/", 1)[-1])
    if "anyOf" in schema:
        return " | ".join(_type_name(option) for option in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])
    kind = str(schema.get("type", "valfritt"))
    if kind == "array":
        return f"lista av {_type_name(schema.get('items', {}))}"
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return kind


def _rows(generated: dict[str, Any], schema: dict[str, Any], prefix: str) -> Iterator[str]:
    """A row per field; the fields of a nested model (the envelope, the payload) follow it."""
    required = set(schema.get("required", ()))
    for field, prop in schema.get("properties", {}).items():
        yield (
            f"<tr><td><code>{_e(prefix + field)}</code></td><td>{_e(_type_name(prop))}</td>"
            f"<td>{'ja' if field in required else 'nej'}</td>"
            f"<td>{_e(prop.get('description', ''))}</td></tr>"
        )
        nested = _resolve(generated, prop)
        if "properties" in nested and not prefix:
            yield from _rows(generated, nested, f"{prefix}{field}.")


def _fields(generated: dict[str, Any], payload: dict[str, Any]) -> Iterator[str]:
    yield "<table><tr><th>Fält</th><th>Typ</th><th>Krävs</th><th>Beskrivning</th></tr>"
    yield from _rows(generated, _resolve(generated, payload), "")
    yield "</table>"


def page(generated: dict[str, Any]) -> str:
    """The document as a page of channels, operations and messages with their fields."""
    info = generated["info"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="sv"><head><meta charset="utf-8">',
        f"<title>{_e(info['title'])}: AsyncAPI</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(info['title'])}: meddelanden på NATS</h1>",
        f"<p>{_e(info.get('description', ''))}</p>",
        f"<p>AsyncAPI {_e(generated['asyncapi'])}, version {_e(info['version'])}: "
        '<a href="asyncapi.json">asyncapi.json</a></p>',
        "<h2>Kanaler och operationer</h2>",
        "<table><tr><th>Operation</th><th>Riktning</th><th>Subjekt</th><th>Meddelande</th></tr>",
    ]
    operations = sorted(
        generated["operations"].items(), key=lambda item: (item[1]["action"], item[0].lower())
    )
    for key, operation in operations:
        channel = _resolve(generated, operation["channel"])
        parts.append(
            f"<tr><td>{_e(key)}</td><td>{_e(_ACTIONS.get(operation['action'], ''))}</td>"
            f"<td><code>{_e(channel['address'])}</code></td>"
            f'<td><a href="#{_e(key)}">{_e(key)}</a></td></tr>'
        )
    parts.append("</table><h2>Meddelanden</h2>")
    for key, operation in operations:
        channel = _resolve(generated, operation["channel"])
        parts.append(f'<h3 id="{_e(key)}">{_e(key)}</h3>')
        parts.append(f"<p>Subjekt: <code>{_e(channel['address'])}</code></p>")
        for parameter, about in channel.get("parameters", {}).items():
            parts.append(f"<p><code>{{{_e(parameter)}}}</code>: {_e(about['description'])}</p>")
        for reference in operation["messages"]:
            message = _resolve(generated, reference)
            if message.get("description", key) != key:
                parts.append(f"<p>{_e(message['description'])}</p>")
            parts.extend(_fields(generated, message["payload"]))
    parts.append("</body></html>")
    return "\n".join(parts)


if __name__ == "__main__":
    for path in write():
        print(path)
