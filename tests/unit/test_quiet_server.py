"""The HTTP server sleeps until told to stop: its responses still carry the date of when
they were made, and setting should_exit from another thread ends it at once."""

import asyncio
import threading
import time
from email.utils import parsedate_to_datetime

import httpx
import uvicorn
from fastapi import FastAPI

from plumbing.service import QuietServer
from tests.ports import free_port


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/")
    async def root() -> dict[str, str]:
        return {"status": "ok"}

    return app


async def test_responses_are_dated_and_a_stop_from_another_thread_is_heard_at_once() -> None:
    port = free_port()
    server = QuietServer(uvicorn.Config(_app(), host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        for _ in range(2):  # the second a while after the first: no clock renewed it meanwhile
            before = time.time()
            response = await client.get("/")
            dated = parsedate_to_datetime(response.headers["date"]).timestamp()
            # Whole seconds: a date kept from before the request (not renewed) is earlier.
            assert int(before) <= dated <= time.time()
            assert response.headers.get_list("date") == [response.headers["date"]]
            await asyncio.sleep(1.2)
    stopped_at = time.monotonic()
    threading.Thread(target=setattr, args=(server, "should_exit", True)).start()
    await asyncio.wait_for(serving, 5)
    assert time.monotonic() - stopped_at < 3.0  # heard, not found at a late wake-up
