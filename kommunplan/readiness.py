"""Whether a service can do its work (``GET /ready``), and lines for the operator when
that changes."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field

NOT_ANSWERING = "http"


@dataclass(frozen=True)
class Readiness:
    ready: bool
    # What is wrong, per check, in the service's words; empty when ready.
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        return NOT_ANSWERING not in self.problems

    def describe(self) -> str:
        return "; ".join(f"{check}: {problem}" for check, problem in self.problems.items())


def _get(url: str, timeout: float) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, _json(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _json(error.read())


def _json(body: bytes) -> object:
    try:
        value: object = json.loads(body)
        return value
    except ValueError:
        return None


def _problems(body: object, status: int) -> dict[str, str]:
    checks = body.get("checks") if isinstance(body, dict) else None
    # A service lists its passing checks too, as "ok"; only the others say what is wrong.
    failing = {
        str(check): str(problem)
        for check, problem in (checks.items() if isinstance(checks, dict) else ())
        if problem != "ok"
    }
    return failing or {"status": f"svarade {status}"}


def probe(base_url: str, timeout: float = 1.0) -> Readiness:
    """Ask ``/ready``; a service without that route (404) is ready while ``/health`` is 200."""
    try:
        status, body = _get(f"{base_url}/ready", timeout)
        if status == 404:
            status, body = _get(f"{base_url}/health", timeout)
            body = {"ready": status == 200}
    except (urllib.error.URLError, OSError):
        return Readiness(False, {NOT_ANSWERING: "svarar inte"})
    if status == 200 and isinstance(body, dict) and body.get("ready") is True:
        return Readiness(True)
    return Readiness(False, _problems(body, status))


@dataclass
class ReadinessWatch:
    """Remembers what was last said about a service, so each change is said once."""

    name: str
    last: Readiness | None = None

    def restarted(self) -> None:
        # The exit was already reported; what is worth saying next is that it is back.
        self.last = Readiness(False, {"process": "startas om"})

    def observe(self, now: Readiness) -> str | None:
        before, self.last = self.last, now
        unready = f"{self.name} är inte redo: {now.describe()}"
        if before is None or before.ready:
            return None if now.ready else unready
        if now.ready:
            return f"{self.name} är redo igen"
        # Still unready: worth a line only when something else is now wrong.
        return None if before.problems.keys() == now.problems.keys() else unready
