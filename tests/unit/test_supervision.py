"""The restart policy of `kommunplan up`, on made-up times: no process is started and
nothing sleeps."""

import contextlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from kommunplan.readiness import Readiness, ReadinessWatch, probe
from kommunplan.supervision import Backoff, SupervisedProcess


class FakeProcess:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.signals: list[int] = []

    def poll(self) -> int | None:
        return self.returncode

    def send_signal(self, sig: int) -> None:
        self.signals.append(sig)

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode or 0

    def kill(self) -> None:
        self.returncode = -9


def test_delays_double_from_one_second_up_to_thirty() -> None:
    backoff = Backoff()
    assert [backoff.delay_after_exit(ran_for=0.5) for _ in range(8)] == [
        1, 2, 4, 8, 16, 30, 30, 30,
    ]  # fmt: skip


def test_a_process_that_ran_for_a_minute_starts_over_at_one_second() -> None:
    backoff = Backoff()
    for _ in range(4):
        backoff.delay_after_exit(ran_for=10)
    assert backoff.delay_after_exit(ran_for=60) == 1
    assert backoff.delay_after_exit(ran_for=59) == 2


def test_many_exits_in_a_row_stay_at_the_longest_delay() -> None:
    backoff = Backoff()
    delays = [backoff.delay_after_exit(ran_for=0) for _ in range(2000)]
    assert delays[-1] == 30


def _supervised() -> tuple[SupervisedProcess, list[FakeProcess]]:
    launched: list[FakeProcess] = []

    def launch() -> FakeProcess:
        launched.append(FakeProcess(pid=100 + len(launched)))
        return launched[-1]

    supervised = SupervisedProcess("budget", launch, Path("budget.log"))
    supervised.start(now=0.0)
    return supervised, launched


def test_an_exit_is_reported_and_the_process_started_again_after_the_delay() -> None:
    supervised, launched = _supervised()
    assert supervised.tick(now=5.0) is None

    launched[0].returncode = -9
    line = supervised.tick(now=10.0)

    assert line == "budget avslutades oväntat (kod -9); startas om om 1 s"
    assert supervised.tick(now=10.5) is None and len(launched) == 1
    assert supervised.tick(now=11.0) is None
    assert len(launched) == 2 and supervised.process is launched[1]
    assert supervised.restarts == 1 and supervised.started_at == 11.0


def test_quick_exits_wait_longer_each_time() -> None:
    supervised, launched = _supervised()
    now = 0.0
    lines = []
    for _ in range(3):
        launched[-1].returncode = 1
        now += 0.1
        lines.append(supervised.tick(now))
        assert supervised.restart_at is not None
        now = supervised.restart_at
        supervised.tick(now)
    assert [line.rsplit("om ", 1)[1] for line in lines if line] == ["1 s", "2 s", "4 s"]


def test_stopping_drops_a_pending_restart() -> None:
    supervised, launched = _supervised()
    launched[0].returncode = 1
    supervised.tick(now=1.0)
    supervised.terminate()
    supervised.tick(now=100.0)
    assert len(launched) == 1


def test_stopping_a_running_process_sends_sigterm() -> None:
    supervised, launched = _supervised()
    supervised.terminate()
    assert launched[0].signals == [15]


def test_readiness_changes_are_said_once() -> None:
    watch = ReadinessWatch("reporting")
    nats_down = Readiness(False, {"nats": "ingen anslutning"})
    lines = [
        watch.observe(Readiness(True)),
        watch.observe(nats_down),
        watch.observe(nats_down),
        watch.observe(Readiness(False, {"nats": "ingen anslutning", "postgres": "nere"})),
        watch.observe(Readiness(True)),
        watch.observe(Readiness(True)),
    ]
    assert lines == [
        None,
        "reporting är inte redo: nats: ingen anslutning",
        None,
        "reporting är inte redo: nats: ingen anslutning; postgres: nere",
        "reporting är redo igen",
        None,
    ]


def test_a_restarted_service_is_announced_when_it_is_ready_again() -> None:
    watch = ReadinessWatch("budget")
    watch.observe(Readiness(True))
    watch.restarted()
    assert watch.observe(Readiness(True)) == "budget är redo igen"


class _Service(http.server.BaseHTTPRequestHandler):
    # Path → (status, body); a path not listed answers 404, as a service without the route.
    answers: ClassVar[dict[str, tuple[int, object]]] = {}

    def do_GET(self) -> None:
        status, body = self.answers.get(self.path, (404, {"detail": "Not Found"}))
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def _service(answers: dict[str, tuple[int, object]]) -> Iterator[str]:
    handler = type("Handler", (_Service,), {"answers": answers})
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


def test_probe_reads_the_failing_checks_of_a_503() -> None:
    unready = {"ready": False, "checks": {"nats": "ingen anslutning", "postgres": "ok"}}
    with _service({"/ready": (503, unready), "/health": (200, {})}) as url:
        assert probe(url) == Readiness(False, {"nats": "ingen anslutning"})


def test_probe_takes_a_200_as_ready() -> None:
    with _service({"/ready": (200, {"ready": True, "checks": {"nats": "ok"}})}) as url:
        assert probe(url) == Readiness(True)


def test_without_a_ready_route_health_decides() -> None:
    with _service({"/health": (200, {"status": "ok"})}) as url:
        assert probe(url) == Readiness(True)
    with _service({}) as url:
        assert probe(url) == Readiness(False, {"status": "svarade 404"})


def test_a_service_that_does_not_answer_is_not_ready() -> None:
    with _service({}) as url:
        pass
    readiness = probe(url)
    assert not readiness.ready and not readiness.answered
