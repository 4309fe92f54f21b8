"""One JSON line per thing an operator follows: an HTTP request, a batch handled, a refusal, a
parked event, a change in a process's life (start, ready, lock taken or lost, stop).

Every line has the time, level, service, what it is about (``kind``), the message, and the
trace id of the span it was written in (or the one it names); a message id, consumer or lock
where there is one. ``setup_logging`` makes every logger of the process write these lines to
standard error, which ``kommunplan up`` keeps in ``.kommunplan/logs/<process>.log``.
"""

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from plumbing import telemetry

_FIELDS = "fields"


class JsonLines(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = dict(getattr(record, _FIELDS, None) or {})
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self._service,
            "kind": fields.pop("kind", "log"),
            "logger": record.name,
            "message": record.getMessage(),
        }
        trace_id = fields.pop("trace_id", None) or telemetry.trace_id()
        if trace_id is not None:
            line["trace_id"] = trace_id
        line.update({key: value for key, value in fields.items() if value is not None})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def setup_logging(service: str, level: str = "INFO") -> None:
    """Every logger of the process as JSON lines on standard error, from ``level`` up."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines(service))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())


def record(
    logger: logging.Logger, kind: str, message: str, level: int = logging.INFO, **fields: Any
) -> None:
    """One line of ``kind`` (request, batch, refusal, parked, lifecycle) with ``fields``."""
    if logger.isEnabledFor(level):
        logger.log(level, message, extra={_FIELDS: {"kind": kind, **fields}})


_lifecycle = logging.getLogger("kommunplan.lifecycle")


def lifecycle(change: str, level: int = logging.INFO, **fields: Any) -> None:
    """A change in the process's life: start, its start's steps (database ready, nats connected,
    streams declared), ready, lock taken, lock lost, stop."""
    record(_lifecycle, "lifecycle", change, level, change=change, **fields)
