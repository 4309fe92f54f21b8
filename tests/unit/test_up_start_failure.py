"""When a service never answers, `up` says so in Swedish with the end of that service's
log, which names the last step of its start that completed (plumbing.startup)."""

from pathlib import Path

import pytest

from kommunplan.stack import Stack, last_lines
from plumbing.settings import StackSettings


def test_the_last_lines_of_a_log_are_read_from_its_end(tmp_path: Path) -> None:
    log = tmp_path / "budget.log"
    log.write_text("".join(f"rad {n}\n" for n in range(10_000)))
    assert last_lines(log, 3) == ["rad 9997", "rad 9998", "rad 9999"]
    assert last_lines(tmp_path / "saknas.log") == []


def test_a_service_that_never_answers_is_named_with_its_last_log_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = Stack(StackSettings(data_dir=str(tmp_path)))
    monkeypatch.setattr(stack, "answers", lambda service: False)
    log = stack.log_path("budget")
    log.parent.mkdir(parents=True)
    log.write_text('{"message": "start"}\n{"message": "database ready"}\n')
    with pytest.raises(RuntimeError) as raised:
        stack.wait_for_answer("budget", 0.3)
    said = str(raised.value)
    assert said.startswith("väntade 0 s på att budget svarar; sista raderna i ")
    assert said.endswith('\n  {"message": "start"}\n  {"message": "database ready"}')


def test_a_service_without_a_log_is_said_to_have_an_empty_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = Stack(StackSettings(data_dir=str(tmp_path)))
    monkeypatch.setattr(stack, "answers", lambda service: False)
    with pytest.raises(RuntimeError, match=r"goals\.log: \(tom\)$"):
        stack.wait_for_answer("goals", 0.1)
