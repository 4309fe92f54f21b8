"""What metrics and tracing cost: ``python bench/ingest.py --telemetry`` runs the ingest's
throughput phase on stacks with telemetry off (KOMMUNPLAN_TELEMETRY=false) and on (metrics
recorded, spans sampled at the default ratio and exported over OTLP/HTTP to a sink in this
process, so encoding and sending them is paid), alternating off and on within the same run,
and prints both throughputs and the overhead in percent (budget: under 15 %).
"""

import argparse
import asyncio
import logging
import os
import random
import statistics
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import asyncpg
from harness import ReadModel, RunningStack, connect_bench, load_budget_demo, running_stack
from ledger_actuals import make_commands

from plumbing.settings import ServiceSettings

log = logging.getLogger("bench.telemetry")

BUDGET_PERCENT = 15.0


class _Sink(BaseHTTPRequestHandler):
    """An OTLP/HTTP receiver that takes every export and keeps nothing."""

    received = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _Sink.received += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        pass


@contextmanager
def otlp_sink() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@contextmanager
def telemetry_environment(on: bool, endpoint: str) -> Iterator[None]:
    """The services' environment (they inherit this process's) for one mode."""
    changes = {"KOMMUNPLAN_TELEMETRY": "true" if on else "false"}
    if on:
        changes["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
    saved = {key: os.environ.get(key) for key in [*changes, "OTEL_EXPORTER_OTLP_ENDPOINT"]}
    os.environ.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    os.environ.update(changes)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


async def _throughput(
    bench_type: Any, args: argparse.Namespace, running: RunningStack
) -> tuple[float, dict[str, float]]:
    """Events per second end to end, as the ingest benchmark's throughput phase measures,
    and the CPU seconds each process used meanwhile."""

    bench = bench_type(args, running)
    nc, js = await connect_bench(running, args.max_in_flight)
    budget_db = await asyncpg.connect(running.database_urls["budget"])
    try:
        units = await load_budget_demo(running, js)
        read_model = await ReadModel.open(running.database_urls["reporting"])
        try:
            commands = make_commands(args.events, units, random.Random(args.seed))
            result = await bench.throughput(js, budget_db, read_model, commands)
        finally:
            await read_model.close()
    finally:
        await budget_db.close()
        await nc.drain()
    if bench.problems:
        raise RuntimeError(f"the run had problems: {bench.problems}")
    return float(result["end_to_end_events_per_second"]), result["cpu_seconds"]


def measure(bench_type: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Off and on, alternately, ``args.rounds`` times each, in this one run."""
    if args.batch_size is not None:
        os.environ["KOMMUNPLAN_BATCH_SIZE"] = str(args.batch_size)
    figures: dict[str, list[float]] = {"off": [], "on": []}
    # CPU per event is steadier than the rate on a shared machine: others' load slows the
    # stack down but does not make it do more work.
    cpu: dict[str, list[dict[str, float]]] = {"off": [], "on": []}
    load_before = os.getloadavg()
    with otlp_sink() as endpoint:
        for round_number in range(args.rounds):
            for mode in ("off", "on"):
                with telemetry_environment(mode == "on", endpoint), running_stack() as running:
                    eps, used = asyncio.run(_throughput(bench_type, args, running))
                log.info("round %d, telemetry %s: %.0f events/s", round_number + 1, mode, eps)
                figures[mode].append(eps)
                cpu[mode].append(used)
        exports = _Sink.received
    off, on = statistics.median(figures["off"]), statistics.median(figures["on"])
    overhead = (off - on) / off * 100
    return {
        "events": args.events,
        "rounds": args.rounds,
        "off_events_per_second": round(off, 1),
        "on_events_per_second": round(on, 1),
        "overhead_percent": round(overhead, 1),
        "within_budget": overhead < BUDGET_PERCENT,
        "budget_percent": BUDGET_PERCENT,
        "each_round": figures,
        "cpu_ms_per_event": {mode: _cpu_per_event(cpu[mode], args.events) for mode in cpu},
        "sample_ratio": ServiceSettings().trace_sample_ratio,
        "otlp_exports_received": exports,
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "problems": [],
    }


def _cpu_per_event(rounds: list[dict[str, float]], events: int) -> dict[str, float]:
    """Milliseconds of CPU per event by process (median over the rounds), and their sum."""
    names = {name for used in rounds for name in used}
    per = {
        name: round(statistics.median(used.get(name, 0.0) for used in rounds) * 1000 / events, 3)
        for name in sorted(names)
    }
    per["all"] = round(sum(per.values()), 3)
    return per
