"""`kommunplan up` starts its own NATS and PostgreSQL again after kill -9, and the stack
works on: a command sent afterwards is stored and reaches reporting's views."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
import pytest

from kommunplan.local_identity import issue_token
from kommunplan.processes import SERVICES
from kommunplan.stack import http_get_json
from plumbing.nats_users import OPERATOR_USER
from tests.browser.running_stack import started_up
from tests.e2e.test_up import _wait_for_line
from tests.ports import free_port


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """Not under pytest's tmp_path: when we are root PostgreSQL runs as another user, and
    every pytest session on the machine makes that folder 0700 again, which would keep the
    server out of its data."""
    folder = Path(tempfile.mkdtemp(prefix="kommunplan-up-servers-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _environment(data_dir: Path) -> tuple[dict[str, str], dict[str, int]]:
    """What `up` is started with to run servers of its own, and each process's port."""
    # The sign-in provider's too: otherwise it takes reporting's port + 10, which this
    # worker's next ports may reach (tests.ports hands them out one after another).
    ports = {process: free_port() for process in [*SERVICES, "identity"]}
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("KOMMUNPLAN_NATS_URL", "KOMMUNPLAN_POSTGRES_URL")
    }
    env.update(
        {
            "KOMMUNPLAN_DATA_DIR": str(data_dir),
            "KOMMUNPLAN_NATS_PORT": str(free_port()),
            "KOMMUNPLAN_PORTS": json.dumps(ports),
        }
    )
    return env, ports


def _nats_server(up: subprocess.Popen[str]) -> int:
    (server,) = [c for c in psutil.Process(up.pid).children() if c.name() == "nats-server"]
    return int(server.pid)


def _nats_monitoring(printed: list[str]) -> str:
    """Where NATS's monitoring answers, from the address `up` printed (its /jsz)."""
    (line,) = [line for line in printed if "NATS-övervakning:" in line]
    return line.split("NATS-övervakning:", 1)[1].strip().split("/jsz", 1)[0]


def _postmaster(data_dir: Path) -> int:
    return int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])


def _send_actuals_and_see_them(data_dir: Path, ports: dict[str, int], period: str) -> float:
    """Send IT's actuals for ``period`` to budget over HTTP; seconds until reporting's
    history of IT lists them."""
    token = issue_token(data_dir, ["controller"], ["IT"], "anna.controller", hours=1)
    message_id = str(uuid.uuid4())
    answer = httpx.post(
        f"http://127.0.0.1:{ports['budget']}/api/record-actuals",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "message_id": message_id,
            "unit_code": "IT",
            "period": period,
            "revenue": "0",
            "costs": "-1234.50",
        },
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    sent = time.monotonic()
    history_url = f"http://127.0.0.1:{ports['reporting']}/api/historik/IT/2011"
    while time.monotonic() - sent < 60:
        history = http_get_json(history_url)
        entries = history.get("entries", []) if isinstance(history, dict) else []
        if any(entry["message_id"] == message_id for entry in entries):
            return time.monotonic() - sent
        time.sleep(0.1)
    raise AssertionError(f"the actuals for {period} never reached reporting's history")


def test_up_starts_its_nats_and_postgres_again_after_kill_9_and_commands_reach_the_views(
    data_dir: Path,
) -> None:
    env, ports = _environment(data_dir)
    with started_up(env) as up:
        printed = _wait_for_line(up, "Avsluta med Ctrl-C", 180)
        monitor = _nats_monitoring(printed)
        assert urlsplit(monitor).hostname == "127.0.0.1"
        assert http_get_json(f"{monitor}/healthz") == {"status": "ok"}
        assert (data_dir / "nats-users" / OPERATOR_USER).stat().st_mode & 0o777 == 0o600

        killed = _nats_server(up)
        os.kill(killed, signal.SIGKILL)
        at = time.monotonic()
        _wait_for_line(up, "NATS avslutades oväntat (signal 9); startas om om 1 s", 10)
        _wait_for_line(up, "NATS är igång igen", 60)
        nats_back = time.monotonic() - at
        assert _nats_server(up) != killed
        assert http_get_json(f"{monitor}/healthz") == {"status": "ok"}  # on the same port
        nats_seen = _send_actuals_and_see_them(data_dir, ports, "2011-09")

        killed = _postmaster(data_dir)
        os.kill(killed, signal.SIGKILL)
        at = time.monotonic()
        _wait_for_line(up, "PostgreSQL avslutades oväntat", 10)
        _wait_for_line(up, "PostgreSQL är igång igen", 90)
        postgres_back = time.monotonic() - at
        assert _postmaster(data_dir) != killed
        postgres_seen = _send_actuals_and_see_them(data_dir, ports, "2011-10")

        up.send_signal(signal.SIGINT)
        assert up.wait(30) == 0
    # Stopped, not left running nor killed: PostgreSQL removes its lock file on shutdown.
    assert not (data_dir / "postgres" / "postmaster.pid").exists()
    # Measured, not asserted.
    print(
        f"\nNATS killed: running again after {nats_back:.2f} s, a command sent then in the "
        f"views after {nats_seen:.2f} s; PostgreSQL: {postgres_back:.2f} s, {postgres_seen:.2f} s"
    )
