"""What /ready says of a worker: retrying too long, or work waiting with nothing handled."""

from plumbing.readiness import NO_PROGRESS_SECONDS, STALLED_AFTER_SECONDS, WorkerStatus


def test_a_worker_with_work_waiting_and_nothing_handled_is_named_as_stuck() -> None:
    status = WorkerStatus("projektion budget")
    status.progressed(pending=40, moved=True)
    assert status.trouble(now=status.progress_at + NO_PROGRESS_SECONDS - 1) is None
    trouble = status.trouble(now=status.progress_at + NO_PROGRESS_SECONDS + 1)
    assert trouble is not None and "40 meddelanden väntar" in trouble


def test_an_idle_worker_with_nothing_waiting_is_fine_however_long_it_waits() -> None:
    status = WorkerStatus("inkommande")
    status.progressed(pending=0, moved=False)
    assert status.trouble(now=status.progress_at + 3600) is None


def test_a_pull_that_takes_messages_counts_as_progress() -> None:
    status = WorkerStatus("inkommande")
    status.progressed(pending=10, moved=True)
    first = status.progress_at
    status.progressed(pending=10, moved=False)
    assert status.progress_at == first, "a pull that brought nothing is no progress"
    status.progressed(pending=5, moved=True)
    assert status.progress_at >= first
    assert status.trouble(now=status.progress_at + 1) is None


def test_a_worker_on_standby_is_not_stuck_for_what_waits() -> None:
    status = WorkerStatus("inkommande")
    status.progressed(pending=10, moved=True)
    status.standby()
    assert status.trouble(now=status.progress_at + 10 * NO_PROGRESS_SECONDS) is None


def test_a_worker_retrying_too_long_says_why() -> None:
    status = WorkerStatus("inkommande")
    status.retrying(ConnectionError("PostgreSQL borta"))
    assert status.trouble(now=status.since + STALLED_AFTER_SECONDS - 1) is None
    trouble = status.trouble(now=status.since + STALLED_AFTER_SECONDS + 1)
    assert trouble is not None and "PostgreSQL borta" in trouble
