"""A kept answer is given only while the token it was kept for would still be let in: once
the token has expired, the same URL answers 401 in Swedish, as a new URL does."""

from collections.abc import Callable

import httpx

from plumbing.identity import LEEWAY_SECONDS, NotAuthenticated, Verifier
from plumbing.settings import ServiceSettings
from services.reporting.bootstrap import ReportingProcess
from tests.conftest import eventually
from tests.integration.test_view_cache import cache_of, reporting_seed
from tests.tokens import identity_settings, token

__all__ = ["reporting_seed"]  # what the cache's own tests start from

URL = "/api/plan/KS/2011"
# How long the token is let in after it is issued: the verifier allows clocks
# LEEWAY_SECONDS apart, so the token's own expiry lies that much earlier.
# Long enough for two reads on a loaded machine (the expiry is cut to a whole second).
VALID_FOR_SECONDS = 8


def expiring_token(role: str) -> str:
    """A token of ``role`` the verifier lets in for VALID_FOR_SECONDS from now, no longer."""
    return token(role, seconds=VALID_FOR_SECONDS - LEEWAY_SECONDS)


def _let_in(verifier: Verifier, issued: str) -> bool:
    try:
        verifier.verify(issued)
    except NotAuthenticated:
        return False
    return True


async def until_expired(issued: str) -> None:
    """Until the services' verifier refuses ``issued`` for having expired."""
    verifier = Verifier.from_settings(ServiceSettings(**identity_settings()))
    await eventually(lambda: _let_in(verifier, issued), until=lambda ok: not ok, within=30)


async def expired_token_on_a_kept_answer(
    http: httpx.AsyncClient, url: str = URL, given: Callable[[], int] | None = None
) -> str:
    """Read ``url`` twice with a token about to expire (the second time, where ``given``
    counts them, from the kept answers), then again once it has: 401 in Swedish, and
    nothing given from the kept answers. What was done, for the suite's output."""
    issued = expiring_token("controller")
    headers = {"Authorization": f"Bearer {issued}"}
    first = await http.get(url, headers=headers)
    assert first.status_code == 200, first.text
    before = given() if given else 0
    second = await http.get(url, headers=headers)
    assert second.status_code == 200, second.text
    assert second.content == first.content
    if given is not None:
        assert given() == before + 1, "the second read was not given from the kept answers"
    await until_expired(issued)
    third = await http.get(url, headers=headers)
    assert third.status_code == 401, f"{third.status_code} {third.text[:200]}"
    assert third.headers["www-authenticate"].startswith("Bearer")
    assert [p["message"] for p in third.json()["problems"]] == ["token har gått ut"]
    if given is not None:
        assert given() == before + 1, "an answer was given from the kept ones after expiry"
    return f"{url} read twice with a token valid {VALID_FOR_SECONDS} s, then refused with 401"


async def test_an_expired_token_gets_401_on_a_url_it_read_while_valid(
    reporting: ReportingProcess,
) -> None:
    process = reporting
    cache = cache_of(process)
    transport = httpx.ASGITransport(app=process.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as http:
        await expired_token_on_a_kept_answer(http, given=lambda: cache.given)


async def test_a_valid_token_and_an_anonymous_reader_still_get_kept_answers(
    reporting: ReportingProcess,
) -> None:
    process = reporting
    cache = cache_of(process)
    transport = httpx.ASGITransport(app=process.app)
    headers = {"Authorization": f"Bearer {token('reader')}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as http:
        for sent in (headers, {}):
            assert (await http.get(URL, headers=sent)).status_code == 200
            given = cache.given
            kept = await http.get(URL, headers=sent)
            assert kept.status_code == 200
            assert cache.given == given + 1
            # The security headers are added to a kept answer too.
            assert kept.headers["x-content-type-options"] == "nosniff"
