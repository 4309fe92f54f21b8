"""How `kommunplan up` keeps the NATS and PostgreSQL it started running: the lines it says,
a start that fails, stopping, and seeing a process end that is not its child."""

import signal
import subprocess
from pathlib import Path

from kommunplan.supervision import Backoff, SupervisedProcess, by_signal_or_code
from kommunplan.watch import keep_running
from plumbing.embedded import EXIT_UNKNOWN, Postmaster


class FakeServer:
    def __init__(self) -> None:
        self.pid = 4222
        self.returncode: int | None = None

    def poll(self) -> int | None:
        return self.returncode

    def send_signal(self, sig: int) -> None:
        pass

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode or 0

    def kill(self) -> None:
        self.returncode = -9


def _server(
    launch_fails: int = 0, first_delay: float = 1.0
) -> tuple[SupervisedProcess, list[FakeServer]]:
    """A supervised NATS whose first ``launch_fails`` starts after the first raise."""
    launched: list[FakeServer] = []
    attempts = [0]

    def launch() -> FakeServer:
        attempts[0] += 1
        if 1 < attempts[0] <= 1 + launch_fails:
            raise RuntimeError("nats-server did not listen")
        launched.append(FakeServer())
        return launched[-1]

    server = SupervisedProcess(
        "NATS",
        launch,
        Path("nats.log"),
        backoff=Backoff(first=first_delay),
        describe_exit=by_signal_or_code,
        back_again="NATS är igång igen",
    )
    server.start(now=0.0)
    return server, launched


def test_an_exit_is_told_by_its_signal_or_code_or_not_at_all_when_unknown() -> None:
    assert by_signal_or_code(-9) == "signal 9"
    assert by_signal_or_code(1) == "kod 1"
    assert by_signal_or_code(EXIT_UNKNOWN) is None


def test_a_killed_server_is_said_to_have_ended_and_then_to_be_running_again() -> None:
    server, launched = _server()
    launched[0].returncode = -9
    assert server.tick(now=5.0) == "NATS avslutades oväntat (signal 9); startas om om 1 s"
    assert server.tick(now=6.0) == "NATS är igång igen"
    assert len(launched) == 2 and server.process is launched[1]


def test_an_end_not_known_is_said_without_a_cause() -> None:
    server, launched = _server()
    launched[0].returncode = EXIT_UNKNOWN
    assert server.tick(now=5.0) == "NATS avslutades oväntat; startas om om 1 s"


def test_a_start_that_fails_is_tried_again_after_a_longer_delay() -> None:
    server, launched = _server(launch_fails=1)
    launched[0].returncode = -9
    server.tick(now=5.0)
    assert server.tick(now=6.0) == "NATS kunde inte startas; nytt försök om 2 s (se up.log)"
    assert server.tick(now=7.0) is None and len(launched) == 1
    assert server.tick(now=8.0) == "NATS är igång igen"
    assert len(launched) == 2


def test_up_restarts_a_server_while_it_runs_and_none_once_it_is_stopping() -> None:
    server, launched = _server(first_delay=0.0)
    launched[0].returncode = -9
    keep_running({}, {"NATS": server}, str, stopping=lambda: len(launched) == 2)
    assert len(launched) == 2

    launched[1].returncode = -9
    keep_running({}, {"NATS": server}, str, stopping=lambda: True)
    assert len(launched) == 2


def test_a_process_that_is_not_our_child_is_seen_to_end_and_how() -> None:
    # Ours here, but watched only by its pid as the postmaster is; unreaped, it stays a
    # zombie, as a postmaster does until init reaps it.
    child = subprocess.Popen(["sleep", "60"])
    try:
        watched = Postmaster(child.pid)
        assert watched.poll() is None
        child.send_signal(signal.SIGKILL)
        assert watched.wait(10) == -signal.SIGKILL
    finally:
        child.kill()
        child.wait()
