"""On a three-node JetStream cluster with every stream replicated three times, the budget
service, its relay and reporting (each a process of its own) take thousands of actuals from
the ledger while the node leading the events stream is killed and later started again; in
the end nothing is lost or doubled in the event store, on the stream or in the read model.

The nodes are nats-server from the wheel on the loopback, as docker-compose.yml's three
(cluster name, a name of its own per node, routes to the others, a store each)."""

import asyncio
import contextlib
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import nats
import pytest
from nats.js import JetStreamContext
from nats.js.api import StreamConfig, StreamInfo

from contracts import subjects
from contracts.budget.commands import RecordActuals
from plumbing.embedded_nats import ClusterNode, EmbeddedNats
from tests.conftest import eventually
from tests.faults.ledger import (
    KEYS,
    SYSTEM,
    Key,
    Sender,
    actuals,
    figures,
    key_of,
    organisation,
    stream_of,
)
from tests.faults.properties import query
from tests.ports import free_port
from tests.servers import Servers
from tests.service_processes import service_processes

N = 3000  # 15 values for each of the ledger's 200 (unit, month)
# As docker-compose.yml names its cluster and nodes (tests/unit/test_compose.py checks).
CLUSTER = "kommunplan"
NODES = ("nats-1", "nats-2", "nats-3")
REPLICAS = 3


@contextlib.contextmanager
def nats_cluster(root: Path) -> Iterator[dict[str, EmbeddedNats]]:
    """Three nodes of one JetStream cluster, by server name; stopped when the block ends."""
    routes = {name: free_port() for name in NODES}
    nodes = {
        name: EmbeddedNats(
            root / name,
            free_port(),
            cluster=ClusterNode(
                cluster=CLUSTER,
                server_name=name,
                route_port=routes[name],
                routes=[
                    f"nats://127.0.0.1:{port}" for other, port in routes.items() if other != name
                ],
            ),
        )
        for name in NODES
    }
    try:
        for node in nodes.values():
            node.start()
        yield nodes
    finally:
        for node in nodes.values():
            node.stop()


def servers_of(nodes: dict[str, EmbeddedNats]) -> str:
    """Every node's URL, as KOMMUNPLAN_NATS_URL takes them."""
    return ",".join(node.url for node in nodes.values())


async def _jetstream_ready(js: JetStreamContext) -> bool:
    """Whether a stream with three replicas can be made: the cluster has its meta leader
    and knows all three nodes (a service that cannot declare its streams exits)."""
    try:
        await js.add_stream(StreamConfig(name="READY", subjects=["ready"], num_replicas=3))
        await js.delete_stream("READY")
        return True
    except Exception:
        return False


async def _replicas(js: JetStreamContext) -> int:
    """The fewest copies any of the budget service's streams keeps (0 before it made them)."""
    try:
        streams = [
            await js.stream_info(stream)
            for stream in (subjects.BUDGET_INBOUND_STREAM, subjects.BUDGET_EVENTS_STREAM)
        ]
    except Exception:
        return 0
    return min(info.config.num_replicas or 0 for info in streams)


async def _info(js: JetStreamContext, stream: str) -> StreamInfo | None:
    """The stream's info, or None while no node answers for it: a stream whose group is
    choosing a leader (as after a node came back) leaves the request unanswered, which the
    client only sees as a timeout."""
    try:
        return await js.stream_info(stream)
    except Exception:
        return None


async def _answered(js: JetStreamContext, stream: str) -> StreamInfo:
    info: StreamInfo = await eventually(
        lambda: _info(js, stream), lambda i: i is not None, within=120
    )
    return info


async def _all_replicas_current(js: JetStreamContext, stream: str) -> bool:
    info = await _info(js, stream)
    cluster = info.cluster if info is not None else None
    peers = cluster.replicas if cluster is not None and cluster.replicas else []
    return len(peers) == REPLICAS - 1 and all(p.current and not p.offline for p in peers)


async def _stored_actuals(database: str) -> int:
    rows = await query(database, "SELECT count(*) FROM events WHERE event_type = 'ActualsRecorded'")
    return int(rows[0][0])


async def _projected(database: str) -> dict[Key, tuple[Decimal, Decimal]]:
    rows = await query(
        database, "SELECT generation FROM projection_active WHERE projection = 'reporting'"
    )
    if not rows:
        return {}
    return {
        (r["unit_code"], r["period"]): (r["revenue"], r["costs"])
        for r in await query(
            database,
            f"SELECT unit_code, period, revenue, costs FROM reporting_g{rows[0][0]}.actuals",
        )
    }


async def test_a_cluster_losing_and_regaining_a_node_loses_and_doubles_nothing(
    servers: Servers,
    budget_database: str,
    reporting_database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMMUNPLAN_STREAM_REPLICAS", str(REPLICAS))
    tree = organisation()
    ledger: list[RecordActuals] = actuals(N)
    with (
        nats_cluster(tmp_path) as nodes,
        service_processes(
            servers_of(nodes), budget_database, {SYSTEM: ["*"]}, logs=tmp_path
        ) as start_budget,
        service_processes(
            servers_of(nodes), reporting_database, {}, logs=tmp_path
        ) as start_reporting,
    ):
        nc = await nats.connect(servers_of(nodes).split(","), max_reconnect_attempts=-1)
        # Every question about a stream is asked again until it is answered (_answered).
        js = nc.jetstream(timeout=5)
        try:
            await eventually(lambda: _jetstream_ready(js), within=60)
            start_budget("budget-relay")
            start_budget("budget")
            start_reporting("reporting")
            await eventually(lambda: _replicas(js), lambda n: n == REPLICAS, within=60)

            sender = Sender(nc)
            sending = asyncio.create_task(sender.send_all([*tree, *ledger]))
            await eventually(
                lambda: _stored_actuals(budget_database), lambda n: n >= N // 4, within=120
            )
            # The node that leads the events stream: the relay's publishes and reporting's
            # consumer must move to a new leader.
            info = await _answered(js, subjects.BUDGET_EVENTS_STREAM)
            assert info.cluster is not None and info.cluster.leader in nodes
            leader = nodes[info.cluster.leader]
            assert leader.process is not None
            leader.process.kill()
            leader.process.wait()
            down_at = await _stored_actuals(budget_database)
            assert down_at < N, "the node must go down in the middle of the load"
            # Work goes on without it, and then it comes back with its store.
            await eventually(
                lambda: _stored_actuals(budget_database), lambda n: n > down_at, within=120
            )
            leader.launch()
            await asyncio.wait_for(sending, timeout=180)
            assert sender.sent == len(tree) + N

            await eventually(lambda: _stored_actuals(budget_database), lambda n: n == N, 120)
            await eventually(
                lambda: query(budget_database, "SELECT count(*) FROM outbox"),
                lambda rows: rows[0][0] == 0,
                within=120,
            )
            # The event store holds each command's event once, each stream's versions 1..n.
            rows = await query(
                budget_database,
                "SELECT stream_id, count(*) AS events, count(DISTINCT version) AS versions,"
                " max(version) AS last FROM events WHERE event_type = 'ActualsRecorded'"
                " GROUP BY stream_id",
            )
            sent_per_stream = Counter(stream_of(command) for command in ledger)
            assert {r["stream_id"]: r["events"] for r in rows} == dict(sent_per_stream)
            assert all(r["events"] == r["versions"] == r["last"] for r in rows)
            stored_events = int((await query(budget_database, "SELECT count(*) FROM events"))[0][0])

            # The stream holds each event once, on every node, the restarted one too.
            await eventually(
                lambda: _all_replicas_current(js, subjects.BUDGET_EVENTS_STREAM), within=120
            )
            events = await _answered(js, subjects.BUDGET_EVENTS_STREAM)
            assert events.state.messages == stored_events
            rejected = await _answered(js, subjects.BUDGET_REJECTED_STREAM)
            assert rejected.state.messages == 0

            # Reporting shows for each (unit, month) the last value sent, and each key once.
            latest = {key_of(command): figures(command) for command in ledger}
            assert len(latest) == len(KEYS)
            await eventually(lambda: _projected(reporting_database), lambda m: m == latest, 120)
        finally:
            await nc.close()
