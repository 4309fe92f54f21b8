"""Every service's /docs works without the internet: the page loads Swagger UI from the
service itself, its policy lets exactly that run, and each command in the OpenAPI document
has a Swedish description and an example body its model accepts."""

import base64
import hashlib
import re
from typing import Any

import pytest
from fastapi import FastAPI

from contracts.write_services import WRITE_SERVICES
from plumbing.command_examples import EXAMPLES
from plumbing.http_identity import Access
from plumbing.settings import ServiceSettings, WriteServiceSettings
from plumbing.write_service import WriteServiceParts
from services.budget import bootstrap as budget
from services.goals import bootstrap as goals
from services.projects import bootstrap as projects
from services.reporting.http import create_app as reporting_app
from tests.system import get_as
from tests.tokens import identity_settings

PARTS: dict[str, WriteServiceParts[Any, Any]] = {
    "budget": budget.PARTS,
    "goals": goals.PARTS,
    "projects": projects.PARTS,
}
_ASSET = re.compile(r'(?:src|href)="([^"]*)"')
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _write_app(name: str) -> FastAPI:
    parts = PARTS[name]
    settings = WriteServiceSettings(**identity_settings())
    # The routes reach the handler only when a command is sent; none is here.
    return parts.app(None, Access.from_settings(settings))  # type: ignore[arg-type]


def _apps() -> dict[str, FastAPI]:
    apps = {name: _write_app(name) for name in PARTS}
    apps["reporting"] = reporting_app(None, Access.from_settings(ServiceSettings()))  # type: ignore[arg-type]
    return apps


APPS = pytest.mark.parametrize("name", [*PARTS, "reporting"])


@APPS
async def test_the_docs_page_loads_swagger_ui_from_the_service_itself(name: str) -> None:
    app = _apps()[name]
    page = await get_as(app, "/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assets = _ASSET.findall(page.text)
    assert {a.rsplit(".", 1)[-1] for a in assets} == {"js", "css", "png"}
    for asset in assets:
        assert asset.startswith("/docs/assets/"), asset
        answer = await get_as(app, asset)
        assert answer.status_code == 200, asset
        assert answer.content
    kinds = {a.rsplit(".", 1)[-1]: (await get_as(app, a)).headers["content-type"] for a in assets}
    assert "javascript" in kinds["js"] and kinds["css"].startswith("text/css")
    assert "SwaggerUIBundle" in (await get_as(app, "/docs/assets/swagger-ui-bundle.js")).text
    assert "url: '/openapi.json'" in page.text
    assert "//" not in "".join(assets)  # no other site, not even scheme-relative
    assert (await get_as(app, "/redoc")).status_code == 404


@APPS
async def test_the_docs_page_policy_allows_its_own_files_and_its_one_inline_script(
    name: str,
) -> None:
    page = await get_as(_apps()[name], "/docs")
    policies = page.headers.get_list("content-security-policy")
    assert len(policies) == 1
    directives = {
        key: value
        for key, _, value in (part.strip().partition(" ") for part in policies[0].split(";"))
    }
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    script_src = directives["script-src"].split()
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    for script in _INLINE_SCRIPT.findall(page.text):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src
    assert directives["connect-src"] == "'self'"
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_another_page_still_gets_the_strict_policy() -> None:
    page = await get_as(_write_app("budget"), "/asyncapi")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy


@pytest.mark.parametrize("service", WRITE_SERVICES, ids=lambda s: s.name)
async def test_every_command_has_a_description_and_an_example(service: Any) -> None:
    document = (await get_as(_write_app(service.name), "/openapi.json")).json()
    for name, command_type in service.commands.items():
        operation = document["paths"][f"/api/{name}"]["post"]
        assert operation.get("description"), name
        examples = operation["requestBody"]["content"]["application/json"]["examples"]
        (example,) = examples.values()
        assert example["value"] == EXAMPLES[name].body
        assert "actor" not in example["value"]  # the token names the actor
        command_type.model_validate({**example["value"], "actor": "kontrollant"})


def test_there_is_an_example_for_each_command_and_no_other() -> None:
    names = {name for service in WRITE_SERVICES for name in service.commands}
    assert set(EXAMPLES) == names
