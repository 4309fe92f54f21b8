"""`kommunplan up`, the Quick start's first command, against the test's servers."""

import asyncio
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import asyncpg
from nats.aio.client import Client
from nats.js import JetStreamContext

from kommunplan.demo import example_data_count, goals_demo_count
from kommunplan.processes import DATABASES, SERVICES
from kommunplan.stack import http_get_json
from tests.browser.running_stack import started_up
from tests.ports import free_port
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


def _environment(servers: Servers, data_dir: Path) -> tuple[dict[str, str], int]:
    """What `up` is started with, and the port the plan is served on."""
    # The sign-in provider's too: otherwise it takes reporting's port + 10, which this
    # worker's next ports may reach (tests.ports hands them out one after another).
    ports = {process: free_port() for process in [*SERVICES, "identity"]}
    env = dict(os.environ)
    env.update(
        {
            "KOMMUNPLAN_NATS_URL": servers.nats_url,
            "KOMMUNPLAN_POSTGRES_URL": servers.postgres_url,
            "KOMMUNPLAN_DATA_DIR": str(data_dir),
            "KOMMUNPLAN_PORTS": json.dumps(ports),
        }
    )
    return env, ports["reporting"]


def _plan(reporting_port: int) -> object:
    return http_get_json(f"http://127.0.0.1:{reporting_port}/api/plan/KS/2011")


def _assert_plan_served(reporting_port: int) -> None:
    plan = _plan(reporting_port)
    assert isinstance(plan, dict)
    assert plan["nodes"][0]["figures"][2]["tkr"]["net"] == "-109 550"
    # The goals demo went through the goals service and is in the plan's goals section.
    goals = plan["goals"]
    assert [unit["code"] for unit in goals["units"]] == ["KLF", "NÄT"]
    adopted = sum(len(p["goals"]) for u in goals["units"] for p in u["perspectives"])
    assert adopted == goals_demo_count()
    # The example monthly figures went through budget as the ledger, marked as example data.
    history = http_get_json(f"http://127.0.0.1:{reporting_port}/api/historik/IT/2011")
    assert isinstance(history, dict)
    examples = [
        entry
        for entry in history["entries"]
        if entry["event_type"] == "ActualsRecorded" and entry["actor"] == "exempeldata"
    ]
    assert [entry["item"] for entry in examples] == [f"2011-{m:02d}" for m in range(1, 9)]
    assert {entry["source_system"] for entry in examples} == {"ekonomisystem"}


async def test_up_uses_the_servers_in_the_environment_loads_the_demo_and_stops_on_ctrl_c(
    servers: Servers, nats_client: tuple[Client, JetStreamContext], tmp_path: Path
) -> None:
    await _drop_databases(servers.postgres_url, set(DATABASES.values()))
    env, reporting_port = _environment(servers, tmp_path)
    await asyncio.to_thread(_run_up_and_stop_it, env, reporting_port, tmp_path)


def _run_up_and_stop_it(env: dict[str, str], reporting_port: int, data_dir: Path) -> None:
    with started_up(env) as process:
        lines = _wait_for_line(process, "Avsluta med Ctrl-C", 120)
        url = f"http://127.0.0.1:{reporting_port}/api/plan/KS/2011"
        assert any(url in line for line in lines)
        sent = f"Exempeldata: {example_data_count()} kommandon skickade över NATS ("
        assert any(line.startswith(sent) for line in lines)
        _assert_plan_served(reporting_port)
        # The servers came from the environment: none were started in the data folder.
        assert not (data_dir / "nats").exists() and not (data_dir / "postgres").exists()
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0


def _child(parent: int, service: str) -> int | None:
    """The pid of `kommunplan serve <service>` started by ``parent``, if one runs."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            arguments = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue  # it ended while we looked
        if ppid == parent and arguments[-3:-1] == [b"serve", service.encode()]:
            return int(stat.parent.name)
    return None


async def test_a_killed_service_is_started_again_while_nats_and_postgres_keep_running(
    servers: Servers, nats_client: tuple[Client, JetStreamContext], tmp_path: Path
) -> None:
    await _drop_databases(servers.postgres_url, set(DATABASES.values()))
    env, reporting_port = _environment(servers, tmp_path)
    nc, _ = nats_client
    database = await asyncpg.connect(servers.postgres_url)
    try:
        backend = await database.fetchval("SELECT pg_backend_pid()")
        with started_up(env) as up:
            await asyncio.to_thread(_wait_for_line, up, "Avsluta med Ctrl-C", 120)
            await asyncio.to_thread(_kill_and_see_it_back, up, reporting_port)
            # Both servers kept every connection they had: neither was stopped.
            assert await database.fetchval("SELECT pg_backend_pid()") == backend
            assert nc.is_connected and nc.stats["reconnects"] == 0
            up.send_signal(signal.SIGINT)
            assert await asyncio.to_thread(up.wait, 30) == 0
    finally:
        await database.close()


def _kill_and_see_it_back(up: subprocess.Popen[str], reporting_port: int) -> None:
    killed = _child(up.pid, "reporting")
    assert killed is not None
    os.kill(killed, signal.SIGKILL)
    at = time.monotonic()

    _wait_for_line(up, "reporting avslutades oväntat (kod -9)", 30)
    while not isinstance(_plan(reporting_port), dict):
        time.sleep(0.05)
    served_after = time.monotonic() - at
    _wait_for_line(up, "reporting är redo igen", 60)
    ready_after = time.monotonic() - at

    restarted = _child(up.pid, "reporting")
    assert restarted is not None and restarted != killed
    _assert_plan_served(reporting_port)
    assert up.poll() is None
    # Measured, not asserted: how long the plan was away, and when `up` saw it ready.
    print(
        f"\nreporting killed: plan served again after {served_after:.2f} s, "
        f"reported ready after {ready_after:.2f} s"
    )
