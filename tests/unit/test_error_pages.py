"""The views refuse bad requests in Swedish: as JSON for scripts, as a page for a browser."""

import httpx
import pytest

from plumbing.http_identity import Access
from plumbing.settings import ServiceSettings
from services.reporting.http import create_app

# No database: every request here is refused before one would be read.
APP = create_app(None, Access.from_settings(ServiceSettings()))  # type: ignore[arg-type]
PAGE = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


async def get(path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=APP)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path, headers=headers)


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/plan/KS/3000", 422, "Året är för stort (högst 2100)"),
        ("/api/plan/KS/abc", 422, "Året ska vara ett heltal"),
        ("/mal/KS/1800", 422, "Året är för litet (minst 1990)"),
        ("/api/uppfoljning/KS/2011-13", 422, "Månad 13 finns inte"),
        ("/plan/KS/2011?per=igår", 422, "Tidpunkten igår går inte att läsa"),
        ("/plan/KS/2011?version=senaste", 422, "Versionen senaste finns inte"),
        ("/api/plan/KS/2011?version=forslag", 403, "Förslag visas bara"),
        ("/plan/KS/2011?format=pdf", 422, "Formatet pdf finns inte"),
        ("/finns-inte", 404, "Sidan finns inte"),
    ],
)
async def test_a_refusal_is_json_in_swedish_for_a_script(
    path: str, status: int, message: str
) -> None:
    answer = await get(path)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/json"
    assert message in answer.json()["detail"]


async def test_a_browser_gets_a_page_that_says_what_is_wrong() -> None:
    answer = await get("/plan/KS/3000", headers=PAGE)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in answer.text
    assert "<h1>Felaktig begäran</h1>" in answer.text
    assert "Året är för stort (högst 2100)" in answer.text


async def test_the_json_api_stays_json_for_a_browser_too() -> None:
    answer = await get("/api/plan/KS/abc", headers=PAGE)
    assert answer.headers["content-type"] == "application/json"


async def test_a_hostile_parameter_is_escaped_on_the_page() -> None:
    answer = await get("/plan/KS/2011?per=<script>", headers=PAGE)
    assert answer.status_code == 422
    assert "<script>" not in answer.text and "&lt;script&gt;" in answer.text
