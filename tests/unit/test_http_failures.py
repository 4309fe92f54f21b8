"""A request that fails for the infrastructure is told to come back, not shown a traceback."""

import asyncpg
import httpx
from fastapi import FastAPI

from plumbing.http_failures import answer_failures


def _app(error: Exception) -> FastAPI:
    app = FastAPI()
    answer_failures(app)

    @app.get("/fails")
    async def fails() -> None:
        raise error

    return app


async def _get(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        return await http.get("/fails")


async def test_a_lost_database_connection_answers_503_with_retry_after_in_swedish() -> None:
    response = await _get(_app(asyncpg.ConnectionDoesNotExistError("connection was closed")))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "tillfälligt otillgänglig" in response.json()["fel"]


async def test_a_fault_of_the_code_answers_500_without_a_traceback() -> None:
    response = await _get(_app(KeyError("unit_code")))
    assert response.status_code == 500
    assert response.json() == {"fel": "Ett internt fel inträffade"}


async def test_a_connection_left_in_a_broken_state_answers_503() -> None:
    error = asyncpg.exceptions.InternalClientError("cannot switch to state 15")
    assert (await _get(_app(error))).status_code == 503
