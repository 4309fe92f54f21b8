"""Two hostile HTTP cases on the served processes of the hostile inputs' stack (uvicorn in
front of budget and reporting, on real NATS and PostgreSQL):

- NUL in every path parameter: every route of each service's route table, with NUL and
  four other values no code can hold in each path and query parameter and after each path,
  answers 404 or 422 in Swedish, never a 500 (tests.hostile_paths; goals and projects,
  which this stack does not run, are probed in-process by
  tests/integration/test_hostile_paths.py);
- an expired token on a cached answer: a URL read twice with a token about to expire (the
  second time from reporting's kept answers) answers 401 in Swedish once the token has
  expired (the scenario of tests/integration/test_kept_answers_for_tokens.py, which also
  counts the kept answers given)."""

import httpx
from fastapi import FastAPI

from plumbing.http_identity import Access
from plumbing.settings import ServiceSettings
from services.budget.entrypoints import http as budget_http
from services.reporting import http as reporting_http
from tests.faults.hostile import HostileBench
from tests.faults.properties import wait_for
from tests.hostile_paths import answer_all, probes, summary
from tests.integration.test_kept_answers_for_tokens import URL, expired_token_on_a_kept_answer
from tests.tokens import bearer, identity_settings


def _route_tables() -> dict[str, tuple[FastAPI, bool]]:
    """Each served service's app as its bootstrap makes it, for its route table only (no
    database behind it), and whether its routes outside /api/ are pages."""
    access = Access.from_settings(ServiceSettings(**identity_settings()))
    return {
        "reporting": (reporting_http.create_app(None, access), True),  # type: ignore[arg-type]
        "budget": (budget_http.create_app(None, access), False),  # type: ignore[arg-type]
    }


async def test_nul_in_every_path_parameter(hostile_bench: HostileBench) -> None:
    stack, _ = await hostile_bench.ready()
    for service, (app, pages) in _route_tables().items():
        found, tried = probes(service, app, pages)
        async with httpx.AsyncClient(
            base_url=stack.services[service].url, headers=bearer("operator"), timeout=60
        ) as http:
            problems = await answer_all(http, found)
        print(f"{service}: {tried}")
        assert not problems, summary(service, tried, problems)


async def test_an_expired_token_on_a_cached_answer(hostile_bench: HostileBench) -> None:
    stack, _ = await hostile_bench.ready()
    async with httpx.AsyncClient(base_url=stack.services["reporting"].url, timeout=60) as http:

        async def plan_status() -> int:
            return (await http.get(URL)).status_code

        shown, status = await wait_for(plan_status, lambda s: s == 200, within=120)
        assert shown, f"{URL} answered {status}"
        print(await expired_token_on_a_kept_answer(http))
