"""`kommunplan up`, the Quick start's first command, against the test's servers."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
from nats.aio.client import Client
from nats.js import JetStreamContext

from kommunplan.stack import DATABASES, http_get_json
from plumbing.embedded import free_port
from tests.servers import Servers


def _wait_for_line(process: subprocess.Popen[str], text: str, seconds: float) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"{text!r} never printed; got {''.join(lines)}")


async def _drop_databases(server_url: str, names: set[str]) -> None:
    # `up` names its databases after the services; start from none, as on a fresh machine.
    conn = await asyncpg.connect(server_url)
    try:
        for name in names:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def test_up_uses_the_servers_in_the_environment_loads_the_demo_and_stops_on_ctrl_c(
    servers: Servers, nats_client: tuple[Client, JetStreamContext], tmp_path: Path
) -> None:
    await _drop_databases(servers.postgres_url, set(DATABASES.values()))
    ports = {name: free_port() for name in ("BUDGET", "RELAY", "REPORTING")}
    env = dict(os.environ)
    env.update(
        {
            "KOMMUNPLAN_NATS_URL": servers.nats_url,
            "KOMMUNPLAN_POSTGRES_URL": servers.postgres_url,
            "KOMMUNPLAN_DATA_DIR": str(tmp_path),
            **{f"KOMMUNPLAN_{name}_PORT": str(port) for name, port in ports.items()},
        }
    )
    await asyncio.to_thread(_run_up_and_stop_it, env, ports["REPORTING"], tmp_path)


def _run_up_and_stop_it(env: dict[str, str], reporting_port: int, data_dir: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "kommunplan", "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = _wait_for_line(process, "Avsluta med Ctrl-C", 120)
        url = f"http://127.0.0.1:{reporting_port}/api/plan/KS/2011"
        assert any(url in line for line in lines)
        plan = http_get_json(url)
        assert isinstance(plan, dict)
        assert plan["nodes"][0]["figures"][2]["tkr"]["net"] == "-109 550"
        # The servers came from the environment: none were started in the data folder.
        assert not (data_dir / "nats").exists() and not (data_dir / "postgres").exists()
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
