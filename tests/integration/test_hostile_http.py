"""Hostile bodies get 413 or 422 in Swedish from the budget service, never a 500."""

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from plumbing.screening import MAX_MESSAGE_BYTES
from tests.conftest import count
from tests.integration import test_budget_http

# The budget app over HTTP with units KS and IT registered, as its own tests use it.
budget_client = test_budget_http.client

NARRATIVE = "/api/write-narrative"
REFUSED = "Begäran kunde inte tas emot"


def narrative(text: str) -> dict[str, object]:
    return {
        "actor": "controller",
        "unit_code": "IT",
        "year": 2011,
        "section": "activity_description",
        "text": text,
    }


def encoded(text: str) -> bytes:
    return json.dumps(narrative(text)).encode()


def with_raw(text: bytes) -> bytes:
    return encoded("TEXT").replace(b"TEXT", text)


async def events(database: str) -> int:
    return await count(database, "SELECT count(*) FROM events")


async def refused(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["fel"] == REFUSED
    assert [p["field"] for p in body["problems"]] == [""]
    assert words in body["problems"][0]["message"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nästlat"),
        (with_raw(b"Verksamhet\x00"), "U+0000"),
        (b"\x00" * 200_000, "U+0000"),
        (with_raw(b"Verksamhet\\u0000"), "\\u0000"),
        (b'{"\\u0000": 1}', "\\u0000"),
        (with_raw(b"Verksamhet\\ud800"), "surrogatkod"),
        (with_raw(b"Verksamhet \xc3\x28"), "UTF-8"),
        (b'{"year": 1' + b"0" * 4999 + b"}", "siffror"),
    ],
    ids=[
        "deep",
        "raw-nul",
        "nul-bytes",
        "escaped-nul",
        "nul-key",
        "lone-surrogate",
        "utf8",
        "5000-digits",
    ],
)
async def test_hostile_text_is_refused_with_422_and_nothing_stored(
    budget_client: httpx.AsyncClient,
    budget_database: str,
    body: bytes,
    words: str,
) -> None:
    before = await events(budget_database)
    response = await budget_client.post(
        NARRATIVE, content=body, headers={"content-type": "application/json"}
    )
    await refused(response, 422, words)
    assert await events(budget_database) == before


async def test_ordinary_text_with_escapes_is_stored(
    budget_client: httpx.AsyncClient,
    budget_database: str,
) -> None:
    before = await events(budget_database)
    body = encoded('Mål\tför året: "C:\\u0000" \U0001f4b0\n')
    response = await budget_client.post(
        NARRATIVE, content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert await events(budget_database) == before + 1


async def test_a_body_over_the_limit_is_refused_with_413(
    budget_client: httpx.AsyncClient,
    budget_database: str,
) -> None:
    before = await events(budget_database)
    response = await budget_client.post(NARRATIVE, content=encoded("x" * MAX_MESSAGE_BYTES))
    await refused(response, 413, "för stort")
    assert await events(budget_database) == before


async def test_a_content_length_over_the_limit_is_refused_before_the_body_is_read(
    budget_client: httpx.AsyncClient,
) -> None:
    sent: list[bytes] = []

    async def body() -> AsyncIterator[bytes]:
        sent.append(b"{}")
        yield b"{}"

    response = await budget_client.post(
        NARRATIVE, content=body(), headers={"content-length": str(10 * MAX_MESSAGE_BYTES)}
    )
    await refused(response, 413, f"{10 * MAX_MESSAGE_BYTES} byte")
    assert sent == []


async def test_a_content_length_that_understates_the_body_does_not_let_it_through(
    budget_client: httpx.AsyncClient,
    budget_database: str,
) -> None:
    before = await events(budget_database)
    response = await budget_client.post(
        NARRATIVE, content=encoded("x" * MAX_MESSAGE_BYTES), headers={"content-length": "100"}
    )
    await refused(response, 413, f"mer än {MAX_MESSAGE_BYTES} byte")
    assert await events(budget_database) == before


async def test_a_streamed_body_is_read_only_until_it_passes_the_limit(
    budget_client: httpx.AsyncClient,
) -> None:
    chunk = b"x" * (64 * 1024)
    sent: list[int] = []

    async def body() -> AsyncIterator[bytes]:
        for _ in range(100):
            sent.append(len(chunk))
            yield chunk

    response = await budget_client.post(NARRATIVE, content=body())
    await refused(response, 413, "för stort")
    assert sum(sent) <= MAX_MESSAGE_BYTES + len(chunk)


async def test_requests_without_a_body_pass_untouched(
    budget_client: httpx.AsyncClient,
) -> None:
    assert (await budget_client.get("/api/units")).status_code == 200


async def test_screening_answers_before_the_caller_is_asked_who_it_is(
    budget_client: httpx.AsyncClient,
) -> None:
    del budget_client.headers["Authorization"]
    hostile = await budget_client.post(
        NARRATIVE, content=with_raw(b"Verksamhet\x00"), headers={"content-type": "application/json"}
    )
    await refused(hostile, 422, "U+0000")
    too_large = await budget_client.post(NARRATIVE, content=encoded("x" * MAX_MESSAGE_BYTES))
    await refused(too_large, 413, "för stort")
    assert (await budget_client.post(NARRATIVE, content=encoded("ok"))).status_code == 401
