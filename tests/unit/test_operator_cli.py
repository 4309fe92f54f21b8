"""The operators' commands where no `kommunplan up` runs: one Swedish line and a non-zero
exit, never a traceback, whether the data folder is empty or names an `up` that has died."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kommunplan.stack_state import note_path

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMMUNPLAN_")}
    env["KOMMUNPLAN_DATA_DIR"] = str(data_dir)
    env.update({f"KOMMUNPLAN_{name.upper()}": value for name, value in settings.items()})
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "kommunplan", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("status",),
        ("parked",),
        ("parked", "--replay", "reporting:1"),
        ("rebuild",),
        ("journey", "x"),
    ],
)
def test_a_command_without_a_running_stack_says_so_in_one_swedish_line(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    answered = run(tmp_path, *args)
    assert answered.returncode == 1
    assert answered.stdout == ""
    assert answered.stderr.startswith("Kommunplan körs inte med datamappen")
    assert answered.stderr.count("\n") == 1 and "Traceback" not in answered.stderr


def test_a_note_left_by_an_up_that_died_is_not_believed(tmp_path: Path) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    note_path(tmp_path).write_text(
        json.dumps({"pid": int(ended.stdout), "reporting": "http://127.0.0.1:9"})
    )
    answered = run(tmp_path, "status")
    assert answered.returncode == 1 and answered.stderr.startswith("Kommunplan körs inte")


def test_a_stack_that_does_not_answer_is_said_so_without_a_traceback(tmp_path: Path) -> None:
    # This very process runs, so the note is believed; nothing listens on port 9.
    note_path(tmp_path).write_text(
        json.dumps({"pid": os.getpid(), "reporting": "http://127.0.0.1:9"})
    )
    answered = run(tmp_path, "status")
    assert answered.returncode == 1
    assert "svarar inte" in answered.stderr and "Traceback" not in answered.stderr
    assert answered.stderr.count("\n") == 1


def test_a_given_reporting_address_needs_an_operators_token(tmp_path: Path) -> None:
    answered = run(tmp_path, "status", reporting_url="http://127.0.0.1:9")
    assert answered.returncode == 1
    assert answered.stderr.startswith("KOMMUNPLAN_REPORTING_URL är satt men inte")


def test_a_given_reporting_address_is_asked_instead_of_the_data_folder(tmp_path: Path) -> None:
    answered = run(
        tmp_path, "status", reporting_url="http://127.0.0.1:9", operator_token="ett-token"
    )
    assert answered.returncode == 1
    assert answered.stderr.startswith("Rapporteringen på http://127.0.0.1:9 svarar inte")
