"""`kommunplan up` as the Quick start runs it: its own embedded NATS and PostgreSQL, every
service and the demo data, here in a temporary folder and on free ports."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from kommunplan.processes import SERVICES
from tests.ports import free_port

# `up` prints this once the demo is loaded and every view has it.
READY_LINE = "Avsluta med Ctrl-C"


def _environment(data_dir: Path) -> tuple[dict[str, str], int]:
    """`up`'s environment with none of the caller's KOMMUNPLAN_ settings (so no servers are
    taken from it), and the port reporting serves on."""
    # With the local identity provider's, which runs inside `up` itself.
    ports = {process: free_port() for process in [*SERVICES, "identity"]}
    env = {name: value for name, value in os.environ.items() if not name.startswith("KOMMUNPLAN_")}
    env.update(
        {
            "KOMMUNPLAN_DATA_DIR": str(data_dir),
            "KOMMUNPLAN_NATS_PORT": str(free_port()),
            "KOMMUNPLAN_PORTS": json.dumps(ports),
        }
    )
    return env, ports["reporting"]


class _Output:
    """Collects a process's lines on a thread of its own, so waiting for one can time out."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line)
            if READY_LINE in line:
                self.ready.set()
        # Ended before it was ready: wake the waiter, which then sees no ready line.
        self.ready.set()

    def text(self) -> str:
        return "".join(self.lines)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is not None:
        return
    # Asked with Ctrl-C, `up` stops its services and servers; killed, it would leave them.
    process.send_signal(signal.SIGINT)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def started_up(env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """`kommunplan up` with ``env``, its output on a pipe, stopped with Ctrl-C afterwards."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kommunplan", "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        _stop(process)


@contextlib.contextmanager
def running_up(data_dir: Path, seconds: float = 240) -> Iterator[str]:
    """Start `kommunplan up` keeping its data in ``data_dir``, wait until it has loaded the
    demo, give reporting's base URL, and stop it with Ctrl-C afterwards."""
    env, reporting_port = _environment(data_dir)
    with started_up(env) as process:
        output = _Output(process)
        output.ready.wait(seconds)
        if not any(READY_LINE in line for line in output.lines):
            raise AssertionError(
                f"kommunplan up was not ready within {seconds:.0f} s "
                f"(logs in {data_dir / 'logs'}); it printed:\n{output.text()}"
            )
        yield f"http://127.0.0.1:{reporting_port}"
