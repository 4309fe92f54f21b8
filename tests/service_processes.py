"""A write service's processes as `kommunplan serve` runs them, each an operating system
process of its own that a test can kill (SIGKILL) and start again."""

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from tests.ports import free_port

Start = Callable[[str], "subprocess.Popen[bytes]"]
"""Starts the named process (``budget``, ``budget-relay``, ``projects`` ...)."""


@contextlib.contextmanager
def service_processes(
    nats_url: str,
    database_url: str,
    systems: Mapping[str, Sequence[str]],
    logs: Path | None = None,
) -> Iterator[Start]:
    """A way to start a service's processes on NATS and the database given, with the
    register ``systems``; every process started is killed when the block ends. With
    ``logs``, each process writes its output to ``<logs>/<process>-<n>.log`` there."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(service: str) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env.update(
            {
                "KOMMUNPLAN_NATS_URL": nats_url,
                "KOMMUNPLAN_DATABASE_URL": database_url,
                "KOMMUNPLAN_HTTP_PORT": str(free_port()),
                "KOMMUNPLAN_BATCH_SIZE": "100",
                "KOMMUNPLAN_ACK_WAIT_SECONDS": "2",
                "KOMMUNPLAN_SYSTEMS": json.dumps(systems),
            }
        )
        with contextlib.ExitStack() as files:
            output = (
                subprocess.DEVNULL
                if logs is None
                else files.enter_context((logs / f"{service}-{len(processes)}.log").open("wb"))
            )
            process = subprocess.Popen(
                [sys.executable, "-m", "kommunplan", "serve", service],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        processes.append(process)
        return process

    try:
        yield start
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
