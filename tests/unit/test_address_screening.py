"""An address no code can hold is refused before any route sees it; Swedish letters and the
usual escapes pass; text PostgreSQL still refuses is the request's fault (422), not a 500."""

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Scope

from plumbing.http_failures import answer_failures
from plumbing.http_identity import Access
from plumbing.http_screening import address_problem, screen_requests
from plumbing.settings import ServiceSettings
from services.reporting.http import create_app
from services.reporting.reports.shared.errors import answer_in_swedish

PAGE = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def scope(raw_path: bytes, query: bytes = b"") -> Scope:
    return {"type": "http", "path": "", "raw_path": raw_path, "query_string": query}


@pytest.mark.parametrize(
    ("raw_path", "query"),
    [
        (b"/plan/KS/2011", b""),
        (b"/plan/N%C3%84T/2011", b""),  # NÄT
        (b"/api/mal/KS/2011", b"perspektiv=ks-samhallsutveckling&maluppfyllelse=ej_matt"),
        (b"/plan/KS/2011", b"per=2011-09-15T12:00+02:00"),
        (b"/plan/KS/2011", b"per=2011-09-15T12%3A00%2B02%3A00"),
        (b"/projekt/100%25", b""),  # an escaped percent sign is only a percent sign
        (b"/projekt/%zz", b""),  # not an escape at all: the route says whether it exists
        (b"/projekt/%F0%9F%92%B0", b""),  # a character beyond U+FFFF, encoded whole
    ],
)
def test_an_address_of_printable_text_passes(raw_path: bytes, query: bytes) -> None:
    assert address_problem(scope(raw_path, query)) is None


@pytest.mark.parametrize(
    ("raw_path", "found"),
    [
        (b"/plan/%00/2011", "styrtecknet %00 (U+0000)"),
        (b"/plan/K%09S/2011", "styrtecknet %09 (U+0009)"),
        (b"/plan/KS%7F/2011", "styrtecknet %7F (U+007F)"),
        (b"/projekt/%C0%AF", "byten %C0 (inte giltig UTF-8)"),
        (b"/projekt/%ED%A0%80", "byten %ED (inte giltig UTF-8)"),
        (b"/projekt/ok%C3", "byten %C3 (inte giltig UTF-8)"),
    ],
)
def test_a_path_no_code_can_hold_is_not_found(raw_path: bytes, found: str) -> None:
    assert address_problem(scope(raw_path)) == (
        404,
        f"sidan finns inte: adressen innehåller {found}, "
        "som ingen enhets-, projekt- eller periodkod innehåller",
    )


@pytest.mark.parametrize("query", [b"per=%00", b"status=x%0Ay", b"enhet=%FF", b"a=1&per=\x01"])
def test_a_query_no_parameter_can_hold_is_refused(query: bytes) -> None:
    problem = address_problem(scope(b"/api/projekt", query))
    assert problem is not None
    status, message = problem
    assert status == 422
    assert message.startswith("parametrarna efter ? innehåller ")


def test_without_a_raw_path_the_decoded_path_is_screened() -> None:
    assert address_problem({"type": "http", "path": "/plan/\x00/2011"}) is not None
    assert address_problem({"type": "http", "path": "/plan/\ud800/2011"}) is not None
    assert address_problem({"type": "http", "path": "/plan/NÄT/2011"}) is None


async def _get(app: FastAPI, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        return await http.get(path, headers=headers)


async def test_a_write_service_refuses_the_address_before_the_caller_is_asked_who_it_is() -> None:
    app = FastAPI()
    screen_requests(app)
    reached = []

    @app.get("/api/units/{code}")
    async def units(code: str) -> str:
        reached.append(code)
        return code

    answer = await _get(app, "/api/units/%00")
    assert answer.status_code == 404
    assert answer.json()["fel"] == "Begäran kunde inte tas emot"
    assert "styrtecknet %00" in answer.json()["problems"][0]["message"]
    assert reached == []
    assert (await _get(app, "/api/units/N%C3%84T")).json() == "NÄT"


async def test_a_browser_gets_the_swedish_error_page_for_a_path_no_view_can_have() -> None:
    app = create_app(None, Access.from_settings(ServiceSettings()))  # type: ignore[arg-type]
    page = await _get(app, "/uppfoljning/%00/2011-08", PAGE)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in page.text and "<h1>Finns inte</h1>" in page.text
    assert "Sidan finns inte: adressen innehåller styrtecknet %00 (U+0000)" in page.text
    assert "content-security-policy" in page.headers
    script = await _get(app, "/api/uppfoljning/KS/2011-08?per=%00", PAGE)
    assert script.status_code == 422
    assert script.json()["detail"].startswith("Parametrarna efter ? innehåller styrtecknet %00")


def _failing(error: Exception, reporting: bool) -> FastAPI:
    app = FastAPI()
    answer_failures(app)
    if reporting:
        answer_in_swedish(app)

    @app.get("/plan/{unit_code}")
    async def fails(unit_code: str) -> None:
        raise error

    return app


@pytest.mark.parametrize(
    "error",
    [
        asyncpg.exceptions.CharacterNotInRepertoireError("invalid byte sequence"),
        asyncpg.exceptions.UntranslatableCharacterError("has no equivalent in encoding"),
    ],
)
async def test_text_postgresql_refuses_is_the_requests_fault_not_a_500(error: Exception) -> None:
    answer = await _get(_failing(error, reporting=False), "/plan/KS")
    assert answer.status_code == 422
    assert "inte kan läsas som text" in answer.json()["problems"][0]["message"]
    page = await _get(_failing(error, reporting=True), "/plan/KS", PAGE)
    assert page.status_code == 422
    assert "Begäran innehåller tecken som inte kan läsas som text" in page.text
