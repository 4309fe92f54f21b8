"""Running one service process: its HTTP app and its background loops, until told to stop."""

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import uvicorn
from fastapi import FastAPI

log = logging.getLogger(__name__)

Worker = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


async def serve(app: FastAPI, host: str, port: int, workers: Sequence[Worker]) -> None:
    """Serve ``app`` and run ``workers``; SIGINT/SIGTERM stop them all, then this returns.

    A worker that crashes stops the process too, so a supervisor restarts it whole
    instead of leaving it half-working.
    """
    stop = asyncio.Event()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    tasks = [
        asyncio.create_task(worker(stop), name=getattr(worker, "__qualname__", "worker"))
        for worker in workers
    ]
    http = asyncio.create_task(server.serve(), name="http")

    def crashed(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None and not stop.is_set():
            log.error("%s stopped: %r; shutting down", task.get_name(), task.exception())
            server.should_exit = True

    for task in tasks:
        task.add_done_callback(crashed)
    await http
    stop.set()
    done, running = await asyncio.wait(tasks, timeout=10)
    for task in running:
        task.cancel()
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
