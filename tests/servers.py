"""Real NATS and PostgreSQL for the tests: from the environment, from Docker, or embedded."""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from plumbing.embedded import EmbeddedPostgres
from plumbing.embedded_nats import EmbeddedNats
from tests.ports import free_port


@dataclass(frozen=True)
class Servers:
    nats_url: str
    postgres_url: str
    origin: str


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def _containers() -> Iterator[Servers]:
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs
    from testcontainers.postgres import PostgresContainer

    with (
        PostgresContainer("postgres:16", driver=None) as postgres,
        DockerContainer("nats:2.10").with_command("--jetstream").with_exposed_ports(4222) as nats,
    ):
        wait_for_logs(nats, "Server is ready")
        nats_url = f"nats://{nats.get_container_host_ip()}:{nats.get_exposed_port(4222)}"
        yield Servers(nats_url, postgres.get_connection_url(), "testcontainers")


@contextlib.contextmanager
def _embedded() -> Iterator[Servers]:
    with tempfile.TemporaryDirectory(prefix="kommunplan-test-") as tmp:
        nats = EmbeddedNats(Path(tmp) / "nats", free_port())
        postgres = EmbeddedPostgres(Path(tmp) / "postgres")
        try:
            yield Servers(nats.start(), postgres.start(), "embedded")
        finally:
            nats.stop()
            postgres.stop()


@contextlib.contextmanager
def real_servers() -> Iterator[Servers]:
    """KOMMUNPLAN_NATS_URL and KOMMUNPLAN_POSTGRES_URL when set; testcontainers when a
    Docker engine answers; otherwise the embedded wheels."""
    nats_url = os.environ.get("KOMMUNPLAN_NATS_URL")
    postgres_url = os.environ.get("KOMMUNPLAN_POSTGRES_URL")
    if nats_url and postgres_url:
        yield Servers(nats_url, postgres_url, "environment")
    elif _docker_answers():
        with _containers() as servers:
            yield servers
    else:
        with _embedded() as servers:
            yield servers
