"""Every process of a running stack serves its metrics at /metrics, and they move; refusals go
back to their sender with their trace, and every process writes JSON lines an operator reads.
Reporting's port is the public one, so there the metrics are for operators alone."""

import contextlib
import json
import os
import subprocess
import sys
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

from nats.aio.client import Client
from nats.js import JetStreamContext
from prometheus_client.parser import text_string_to_metric_families

from contracts import subjects
from contracts.budget.commands import RecordActuals
from contracts.budget.service import BUDGET
from kommunplan.demo import publish_commands
from tests.conftest import eventually
from tests.fixtures import SMALL_TREE
from tests.ports import free_port
from tests.servers import Servers
from tests.system import KNOWN_SYSTEMS, LEDGER
from tests.tokens import bearer, identity_environment

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]

# What each process must export (Prometheus' names for the OpenTelemetry ones).
EVERY_PROCESS = {
    "db_client_operation_duration_seconds",
    "db_client_connection_count",
    "db_client_connection_max",
}
EXPECTED = {
    "budget": EVERY_PROCESS
    | {
        "http_server_request_duration_seconds",
        "kommunplan_commands_accepted_total",
        "kommunplan_commands_refused_total",
        "kommunplan_events_appended_total",
        "messaging_client_consumed_messages_total",
        "messaging_client_sent_messages_total",
        "messaging_process_duration_seconds",
        "kommunplan_consumer_lag",
        "kommunplan_consumer_lag_age_seconds",
        "kommunplan_jetstream_consumer_pending",
        "kommunplan_jetstream_consumer_ack_pending",
    },
    "budget-relay": EVERY_PROCESS
    | {
        "messaging_client_sent_messages_total",
        "kommunplan_outbox_backlog",
        "kommunplan_outbox_oldest_age_seconds",
    },
    "reporting": EVERY_PROCESS
    | {
        "http_server_request_duration_seconds",
        "messaging_client_consumed_messages_total",
        "messaging_process_duration_seconds",
        "kommunplan_consumer_lag",
        "kommunplan_consumer_lag_age_seconds",
        "kommunplan_jetstream_consumer_pending",
        "kommunplan_jetstream_consumer_ack_pending",
        "kommunplan_parked_events",
    },
}


@contextlib.contextmanager
def running(servers: Servers, databases: dict[str, str], logs: Path) -> Iterator[dict[str, str]]:
    """budget, its relay and reporting as `kommunplan serve` runs them; their base URLs."""
    processes: list[subprocess.Popen[bytes]] = []
    urls = {}
    try:
        for name, database in databases.items():
            port = free_port()
            env = dict(os.environ)
            env.update(
                {
                    "KOMMUNPLAN_NATS_URL": servers.nats_url,
                    "KOMMUNPLAN_DATABASE_URL": database,
                    "KOMMUNPLAN_HTTP_PORT": str(port),
                    "KOMMUNPLAN_SYSTEMS": json.dumps(KNOWN_SYSTEMS),
                    "KOMMUNPLAN_BATCH_SIZE": "100",
                    **identity_environment(),
                }
            )
            with (logs / f"{name}.log").open("wb") as output:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "kommunplan", "serve", name],
                        env=env,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                )
            urls[name] = f"http://127.0.0.1:{port}"
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        asked = urllib.request.Request(url, headers=headers or {})
        with urllib.request.urlopen(asked, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError:
        return 0, {}, b""


def scraped(base: str) -> Samples:
    status, _, body = get(f"{base}/metrics", bearer("operator"))
    if status != 200:
        return {}
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
    }


def names(samples: Samples) -> set[str]:
    found = {name for name, _ in samples}
    # Histograms are exported as _bucket, _count and _sum.
    return found | {name.rsplit("_", 1)[0] for name in found if name.endswith("_count")}


def total(samples: Samples, name: str, **labels: str) -> float:
    wanted = set(labels.items())
    return sum(value for (n, found), value in samples.items() if n == name and wanted <= found)


def log_lines(path: Path) -> list[dict[str, object]]:
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            lines.append(json.loads(line))
    return [line for line in lines if isinstance(line, dict)]


def actuals(unit: str) -> RecordActuals:
    return RecordActuals(
        message_id=uuid.uuid4(),
        actor="ledger",
        unit_code=unit,
        period="2011-03",
        revenue="10",
        costs="-20",
    )


async def test_each_process_serves_its_metrics_and_they_move_with_what_is_accepted_and_refused(
    servers: Servers,
    nats_client: tuple[Client, JetStreamContext],
    budget_database: str,
    reporting_database: str,
    tmp_path: Path,
) -> None:
    _, js = nats_client
    databases = {
        "budget": budget_database,
        "budget-relay": budget_database,
        "reporting": reporting_database,
    }
    with running(servers, databases, tmp_path) as urls:
        for base in urls.values():
            await eventually(
                lambda base=base: get(f"{base}/health")[0], until=lambda s: s == 200, within=60
            )
        await publish_commands(servers.nats_url, [*SMALL_TREE, actuals("IT")], LEDGER)
        budget = urls["budget"]
        accepted = {"system": LEDGER, "command": "record-actuals", "service": "budget"}
        await eventually(
            lambda: total(scraped(budget), "kommunplan_commands_accepted_total", **accepted),
            until=lambda n: n >= 1,
            within=60,
        )
        # Reporting's metrics answer an operator alone: its port is the one the public reaches.
        metrics = f"{urls['reporting']}/metrics"
        assert get(metrics)[0] == 401
        assert get(metrics, bearer("controller"))[0] == 403
        assert get(metrics, bearer("operator"))[0] == 200
        # A view read, so reporting has served a request; its answer names its trace.
        status, headers, _ = get(f"{urls['reporting']}/api/plan/KS/2011")
        assert status in (200, 404, 503)
        assert len(headers["traceparent"].split("-")[1]) == 32
        get(f"{budget}/api/units")

        before = scraped(budget)
        refused = {**accepted, "reason": "refused"}
        await publish_commands(servers.nats_url, [actuals("IT"), actuals("FINNS-INTE")], LEDGER)
        after = await eventually(
            lambda: scraped(budget),
            until=lambda s: (
                total(s, "kommunplan_commands_refused_total", **refused)
                > total(before, "kommunplan_commands_refused_total", **refused)
            ),
            within=60,
        )
        moved = total(after, "kommunplan_commands_accepted_total", **accepted)
        assert moved == total(before, "kommunplan_commands_accepted_total", **accepted) + 1
        assert total(after, "kommunplan_events_appended_total", service="budget") > total(
            before, "kommunplan_events_appended_total", service="budget"
        )

        for name, base in urls.items():
            found = await eventually(
                lambda base=base: names(scraped(base)),
                until=lambda found, name=name: EXPECTED[name] <= found,
                within=30,
            )
            assert EXPECTED[name] <= found, f"{name} lacks {EXPECTED[name] - found}"

        # The refusal went back with the trace it is kept in, and the log names the same.
        sub = await js.pull_subscribe(
            BUDGET.rejected_subject(LEDGER), stream=subjects.BUDGET_REJECTED_STREAM
        )
        (rejection,) = await sub.fetch(1, timeout=10)
        trace_id = rejection.headers["traceparent"].split("-")[1]
        refusals = [
            line
            for line in log_lines(tmp_path / "budget.log")
            if line.get("kind") == "refusal" and line.get("trace_id") == trace_id
        ]
        assert refusals and refusals[0]["service"] == "budget"
        assert refusals[0]["message_id"] == json.loads(rejection.data)["message_id"]

    for name in urls:
        lines = log_lines(tmp_path / f"{name}.log")
        changes = {line.get("change") for line in lines if line.get("kind") == "lifecycle"}
        assert {"start", "ready", "lock taken", "stop"} <= changes, (name, changes)
        assert all(line["service"] == name for line in lines)
    for name in ("reporting", "budget", "budget-relay"):
        batches = [line for line in log_lines(tmp_path / f"{name}.log") if line["kind"] == "batch"]
        assert batches and all("consumer" in line and "messages" in line for line in batches)
    requests = [line for line in log_lines(tmp_path / "reporting.log") if line["kind"] == "request"]
    assert any(line["path"] == "/api/plan/KS/2011" and "trace_id" in line for line in requests)
