"""A whole system for one scenario: its own NATS, PostgreSQL and service processes, in a
temporary directory, each of which can be killed with SIGKILL and started again.

PostgreSQL is started and stopped from short-lived child interpreters: the embedded
wheel remembers a cluster per data directory for the life of a process, so a cluster
killed under it could not be started again from the same process.
"""

import asyncio
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from plumbing.database import ensure_database
from plumbing.embedded_nats import EmbeddedNats
from tests.ports import free_port
from tests.tokens import identity_environment

# Every process gets the register of sending systems; the hostile inputs use the second
# system to write outside the units it is registered for.
SYSTEMS: dict[str, list[str]] = {"ekonomisystem": ["*"], "lonesystem": ["E01"]}

_POSTGRES_START = (
    "import sys; from pathlib import Path; from plumbing.embedded import EmbeddedPostgres; "
    "print(EmbeddedPostgres(Path(sys.argv[1])).start())"
)
_POSTGRES_STOP = (
    "import sys; from pathlib import Path; from plumbing.embedded import EmbeddedPostgres; "
    "p = EmbeddedPostgres(Path(sys.argv[1])); p.start(); p.stop()"
)

ONE_OF_EACH = [("budget", "budget"), ("budget-relay", "budget-relay"), ("reporting", "reporting")]

PR_SET_PDEATHSIG = 1

DATABASE_OF = {"budget": "budget", "budget-relay": "budget", "reporting": "reporting"}


@dataclass
class Service:
    name: str
    kind: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None


def _die_with_the_suite() -> None:
    """In the child before exec: SIGKILL it when the suite's process dies, however it
    dies, so an interrupted run leaves no services behind (Linux only)."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _python(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-W", "ignore", *args],
        check=True,
        capture_output=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return done.stdout.decode().strip().splitlines()[-1] if done.stdout.strip() else ""


def _kill_tree(pid: int) -> None:
    try:
        parent = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    family = [parent, *parent.children(recursive=True)]
    for process in family:
        try:
            process.send_signal(signal.SIGKILL)
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(family, timeout=10)


def _signal_all(processes: list[psutil.Process], signum: signal.Signals) -> None:
    for process in processes:
        try:
            process.send_signal(signum)
        except psutil.NoSuchProcess:
            pass


@dataclass
class FaultStack:
    batch_size: int = 200
    ack_wait_seconds: float = 2.0
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="kommunplan-fault-")))
    nats_port: int = field(default_factory=free_port)
    services: dict[str, Service] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)
    _nats: EmbeddedNats | None = None
    _postgres_url: str = ""

    @property
    def nats_url(self) -> str:
        return f"nats://127.0.0.1:{self.nats_port}"

    @property
    def budget_database(self) -> str:
        return self.database_urls["budget"]

    @property
    def reporting_database(self) -> str:
        return self.database_urls["reporting"]

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    async def start(self, services: list[tuple[str, str]]) -> None:
        """Servers, one database per service, and ``services`` as (name, kind) pairs."""
        self.start_nats()
        self.start_postgres()
        for database in set(DATABASE_OF.values()):
            self.database_urls[database] = await ensure_database(self._postgres_url, database)
        for name, kind in services:
            self.start_service(name, kind)
        await self.wait_until_answering()

    # NATS

    def start_nats(self) -> None:
        self._nats = EmbeddedNats(self.root / "nats", self.nats_port)
        self._nats.start()

    def kill_nats(self) -> None:
        """SIGKILL the NATS server: no chance to flush or say goodbye to its clients."""
        marker = str(self.root / "nats")
        for child in psutil.Process().children():
            try:
                if marker in child.cmdline():
                    _kill_tree(child.pid)
            except psutil.NoSuchProcess:
                pass
        self._nats = None

    def _nats_processes(self) -> list[psutil.Process]:
        marker = str(self.root / "nats")
        found = []
        for child in psutil.Process().children():
            try:
                if marker in child.cmdline():
                    found.append(child)
            except psutil.NoSuchProcess:
                pass
        return found

    def pause_nats(self) -> None:
        """SIGSTOP the NATS server: it hangs with every connection open, as a frozen VM."""
        _signal_all(self._nats_processes(), signal.SIGSTOP)

    def resume_nats(self) -> None:
        _signal_all(self._nats_processes(), signal.SIGCONT)

    def stop_nats(self) -> None:
        if self._nats is not None:
            self._nats.stop()
        self._nats = None

    # PostgreSQL

    @property
    def _pgdata(self) -> Path:
        return self.root / "postgres"

    def start_postgres(self) -> None:
        self._postgres_url = _python("-c", _POSTGRES_START, str(self._pgdata))

    def kill_postgres(self) -> None:
        """SIGKILL the postmaster and every backend: a crash, recovered from the WAL on start."""
        pid_file = self._pgdata / "postmaster.pid"
        if pid_file.exists():
            _kill_tree(int(pid_file.read_text().split()[0]))

    def _postgres_processes(self) -> list[psutil.Process]:
        pid_file = self._pgdata / "postmaster.pid"
        if not pid_file.exists():
            return []
        try:
            postmaster = psutil.Process(int(pid_file.read_text().split()[0]))
            return [postmaster, *postmaster.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def pause_postgres(self) -> None:
        """SIGSTOP the postmaster and every backend: the server hangs, connections stay open."""
        _signal_all(self._postgres_processes(), signal.SIGSTOP)

    def resume_postgres(self) -> None:
        _signal_all(self._postgres_processes(), signal.SIGCONT)

    def stop_postgres(self) -> None:
        if (self._pgdata / "postmaster.pid").exists():
            _python("-c", _POSTGRES_STOP, str(self._pgdata))

    # Services

    def start_service(self, name: str, kind: str) -> Service:
        self.logs.mkdir(parents=True, exist_ok=True)
        port = free_port()
        env = dict(os.environ)
        env.update(
            {
                "KOMMUNPLAN_NATS_URL": self.nats_url,
                "KOMMUNPLAN_DATABASE_URL": self.database_urls[DATABASE_OF[kind]],
                "KOMMUNPLAN_HTTP_PORT": str(port),
                "KOMMUNPLAN_BATCH_SIZE": str(self.batch_size),
                "KOMMUNPLAN_ACK_WAIT_SECONDS": str(self.ack_wait_seconds),
                "KOMMUNPLAN_SYSTEMS": json.dumps(SYSTEMS),
                **identity_environment(),
            }
        )
        env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
        output = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "kommunplan", "serve", kind],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[2],
            # A group of its own: a Ctrl-C meant for the suite does not reach it first.
            start_new_session=True,
            preexec_fn=_die_with_the_suite,
        )
        output.close()
        self.services[name] = Service(name, kind, port, process)
        return self.services[name]

    def kill_service(self, name: str) -> None:
        service = self.services[name]
        if service.alive():
            service.process.send_signal(signal.SIGKILL)
        service.process.wait()

    async def restart_service(self, name: str) -> Service:
        kind = self.services[name].kind
        self.kill_service(name)
        service = self.start_service(name, kind)
        await self.wait_until_answering([name])
        return service

    async def wait_until_answering(
        self, names: list[str] | None = None, within: float = 120.0
    ) -> None:
        deadline = asyncio.get_running_loop().time() + within
        waiting = set(names if names is not None else self.services)
        async with httpx.AsyncClient(timeout=5) as client:
            while waiting:
                for name in sorted(waiting):
                    service = self.services[name]
                    if not service.alive():
                        raise RuntimeError(
                            f"{name} exited with {service.process.returncode}; "
                            f"see {self.logs / (name + '.log')}"
                        )
                    try:
                        if (await client.get(f"{service.url}/health")).status_code == 200:
                            waiting.discard(name)
                    except httpx.HTTPError:
                        pass
                if waiting and asyncio.get_running_loop().time() > deadline:
                    raise RuntimeError(f"{sorted(waiting)} did not answer within {within:.0f}s")
                await asyncio.sleep(0.2)

    def exited(self) -> list[str]:
        """Services that ended on their own (a killed one is started again at once)."""
        return [s.name for s in self.services.values() if not s.alive()]

    def stop(self, keep: bool = False) -> None:
        """Stop everything; ``keep`` leaves the logs in place."""
        # A server left paused by a scenario that failed half-way would never hear SIGTERM.
        self.resume_nats()
        self.resume_postgres()
        for service in self.services.values():
            if service.alive():
                service.process.send_signal(signal.SIGTERM)
        for service in self.services.values():
            try:
                service.process.wait(15)
            except subprocess.TimeoutExpired:
                _kill_tree(service.process.pid)
        self.stop_nats()
        self.kill_nats()
        try:
            self.stop_postgres()
        except subprocess.CalledProcessError:
            self.kill_postgres()
        # Only the logs are worth keeping for a failure; the servers' data is large.
        for data in [self._pgdata, self.root / "nats"] if keep else [self.root]:
            shutil.rmtree(data, ignore_errors=True)
