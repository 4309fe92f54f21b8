"""Where a running ``kommunplan up`` can be found: a note in its data folder, so the
operators' commands (status, parked, rebuild, journey) reach it with nothing set by hand.

``up`` writes the note once its services answer and removes it when it stops; a note left
by an ``up`` that was killed names a process that no longer runs, and is not believed.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

NOTE = "up.json"


@dataclass(frozen=True)
class Running:
    pid: int
    reporting_url: str
    urls: dict[str, str]  # every process's, by name (kommunplan.processes)


def note_path(data_dir: Path) -> Path:
    return data_dir / NOTE


def record(data_dir: Path, urls: dict[str, str]) -> None:
    """Note that this process runs the stack whose processes answer at ``urls``."""
    note = {"pid": os.getpid(), "reporting": urls["reporting"], "urls": urls}
    note_path(data_dir).write_text(json.dumps(note), encoding="utf-8")


def forget(data_dir: Path) -> None:
    note_path(data_dir).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as someone else
        return True
    return True


def running(data_dir: Path) -> Running | None:
    """The ``up`` running with ``data_dir``, or None."""
    try:
        note = json.loads(note_path(data_dir).read_text(encoding="utf-8"))
        urls = {str(k): str(v) for k, v in dict(note.get("urls", {})).items()}
        found = Running(int(note["pid"]), str(note["reporting"]), urls)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if _alive(found.pid) else None
