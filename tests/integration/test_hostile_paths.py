"""Bytes no code can hold (NUL, other control characters, bytes that are not UTF-8) in a
path or query parameter of any route of any service: 404 or 422 in Swedish, never a 500,
on budget, goals, projects and reporting running on real NATS and PostgreSQL with every
read model built, so a request let through would reach the database."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import nats
import pytest
from fastapi import FastAPI

from contracts.budget.commands import RegisterUnit
from kommunplan.demo import publish_commands
from plumbing.readiness import add_health_routes
from plumbing.write_service import WriteProcess
from services.reporting.bootstrap import add_operations_routes
from tests.conftest import _fresh_database, eventually
from tests.hostile_paths import answer_all, by_route, probes, summary
from tests.servers import Servers
from tests.system import running_budget, running_goals, running_projects, running_reporting
from tests.tokens import bearer

TREE = [
    RegisterUnit(
        actor="t", unit_code="KS", name="Kommunstyrelsen", kind="board", effective_on="2011-01-01"
    ),
]
# One view of each read model: all three answer only once their projection has a generation.
VIEWS = ("/api/plan/KS/2011", "/api/mal/KS/2011", "/api/projekt")


def _with_health_routes(process: WriteProcess[Any]) -> FastAPI:
    """The app as the service serves it (plumbing.write_service.run)."""
    workers = [process.inbound, *process.workers]
    add_health_routes(process.app, process.nc, process.pool, [w.status for w in workers])
    return process.app


async def _every_view_answers(app: FastAPI) -> bool:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as http:
        return all([(await http.get(view)).status_code == 200 for view in VIEWS])


@pytest.fixture(scope="module")
async def apps(servers: Servers) -> AsyncIterator[dict[str, FastAPI]]:
    """Every service's HTTP app as served, with reporting's read models all built."""
    nc = await nats.connect(servers.nats_url)
    js = nc.jetstream()
    for stream in await js.streams_info():
        await js.delete_stream(stream.config.name)
    await nc.close()
    databases = {
        name: await _fresh_database(servers, name)
        for name in ("budget", "goals", "projects", "reporting")
    }
    async with (
        running_budget(servers.nats_url, databases["budget"]) as budget,
        running_goals(servers.nats_url, databases["goals"]) as goals,
        running_projects(servers.nats_url, databases["projects"]) as projects,
        running_reporting(servers.nats_url, databases["reporting"]) as reporting,
    ):
        add_operations_routes(reporting)
        await publish_commands(servers.nats_url, list(TREE), "ekonomisystem")
        await eventually(lambda: _every_view_answers(reporting.app), within=60)
        yield {
            "reporting": reporting.app,
            "budget": _with_health_routes(budget),
            "goals": _with_health_routes(goals),
            "projects": _with_health_routes(projects),
        }


async def _refused(app: FastAPI, service: str, pages: bool = False) -> None:
    found, tried = probes(service, app, pages)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=bearer("operator")
    ) as http:
        problems = await answer_all(http, found)
    print(f"{service}: {tried}")
    assert not problems, summary(service, tried, problems)


async def test_reporting_answers_404_or_422_in_swedish_to_hostile_bytes_in_any_parameter(
    apps: dict[str, FastAPI],
) -> None:
    found, tried = probes("reporting", apps["reporting"], pages=True)
    # The route table was read, included routers too.
    assert {"/plan/{unit_code}/{year}", "/api/projekt/{project_code}"} <= set(by_route(found))
    assert tried.path_parameters >= 30, tried  # 14 routes with two, 2 with one
    await _refused(apps["reporting"], "reporting", pages=True)


@pytest.mark.parametrize("service", ["budget", "goals", "projects"])
async def test_a_write_service_answers_404_or_422_in_swedish_to_hostile_bytes_in_a_path(
    apps: dict[str, FastAPI], service: str
) -> None:
    await _refused(apps[service], service)
