"""How much CPU the whole stack takes at rest.

Starts ``kommunplan up`` exactly as an operator does (embedded NATS and PostgreSQL, every
service, the demo loaded) in a temporary folder on free ports, waits until it says it is up
and a minute more (``--settle``: autovacuum goes over the tables the demo filled, which is
not rest), then counts the CPU time of all its processes over
``--seconds`` (60 by default): ``up`` itself, every service, nats-server, and PostgreSQL's
postmaster with every backend (PostgreSQL runs apart from ``up``'s tree; backends that ended
meanwhile are counted in the postmaster's children's time). Prints JSON: the share of one
core in total and per process, with the machine's load average at the start and the end.

    python bench/idle_cpu.py [--seconds 60] [--settle 60]
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped, unused-ignore]

from plumbing.embedded import free_port

ROOT = Path(__file__).resolve().parent.parent
UP_SAYS_READY = "Kommunplan är igång"
SERVICE_PORTS = 7  # reporting and the six after it (kommunplan.processes)


def _free_range(count: int) -> int:
    """A port after which ``count`` ports are free, as ``up`` needs for its services."""
    while True:
        base = free_port()
        try:
            for port in range(base, base + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue


def _label(process: psutil.Process) -> str:
    """The process's name as an operator knows it: the service, or the server."""
    try:
        command: list[str] = process.cmdline()
    except psutil.Error:
        return "?"
    if "serve" in command:
        return command[command.index("serve") + 1]
    if command[-1:] == ["up"]:
        return "up"
    return "postgres" if process.name() == "postgres" else process.name()


def _cpu(process: psutil.Process, with_children: bool) -> float:
    times = process.cpu_times()
    total = times.user + times.system
    if with_children:
        total += times.children_user + times.children_system
    return float(total)


def _snapshot(up: psutil.Process, postmaster: psutil.Process) -> dict[int, tuple[str, float]]:
    """CPU seconds so far of every process of the stack, by pid, with its label."""
    found: dict[int, tuple[str, float]] = {}
    processes = [up, *up.children(recursive=True), postmaster, *postmaster.children(True)]
    for process in processes:
        try:
            # The postmaster's reaped children (autovacuum workers, ended backends) count.
            found[process.pid] = (_label(process), _cpu(process, process == postmaster))
        except psutil.NoSuchProcess:
            continue
    return found


def _measure(up: psutil.Process, postmaster: psutil.Process, seconds: float) -> dict[str, Any]:
    before = _snapshot(up, postmaster)
    started = time.monotonic()
    load_before = os.getloadavg()
    time.sleep(seconds)
    after = _snapshot(up, postmaster)
    wall = time.monotonic() - started
    used: dict[str, float] = defaultdict(float)
    for pid, (label, seconds_now) in after.items():
        used[label] += seconds_now - (before[pid][1] if pid in before else 0.0)
    total = sum(used.values())
    return {
        "seconds": round(wall, 1),
        "total_percent_of_a_core": round(100 * total / wall, 2),
        "percent_of_a_core": {
            label: round(100 * value / wall, 2) for label, value in sorted(used.items())
        },
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to measure")
    parser.add_argument("--settle", type=float, default=60.0, help="rest before measuring")
    parser.add_argument("--keep", action="store_true", help="leave the stack running (debug)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kommunplan-idle-") as tmp:
        env = dict(os.environ)
        env.update(
            KOMMUNPLAN_DATA_DIR=tmp,
            KOMMUNPLAN_REPORTING_PORT=str(_free_range(SERVICE_PORTS)),
            KOMMUNPLAN_NATS_PORT=str(free_port()),
            PYTHONPATH=str(ROOT),
        )
        up = subprocess.Popen(
            [sys.executable, "-m", "kommunplan", "up"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert up.stdout is not None
            for line in up.stdout:
                print(line, end="", file=sys.stderr)
                if UP_SAYS_READY in line:
                    break
            else:
                raise SystemExit(f"kommunplan up ended with {up.wait()}")
            time.sleep(args.settle)
            pid_file = Path(tmp) / "postgres" / "postmaster.pid"
            postmaster = psutil.Process(int(pid_file.read_text().splitlines()[0]))
            report = _measure(psutil.Process(up.pid), postmaster, args.seconds)
            print(json.dumps(report, indent=2))
        finally:
            up.send_signal(signal.SIGINT)
            up.wait(60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
