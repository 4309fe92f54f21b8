"""Headless Chromium driven over the Chrome DevTools Protocol on a pipe.

Chromium started with ``--remote-debugging-pipe`` reads protocol messages on its file
descriptor 3 and writes them on 4, each JSON text ended by a NUL byte. That needs nothing
beyond the standard library: no websocket client, no port to find, no driver download.
"""

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INSTALL_HINT = (
    "Chromium is needed for the browser tests and was not found. Install it with "
    "`apt-get install --no-install-recommends chromium` (Debian; on Ubuntu the apt package "
    "chromium-browser), or point KOMMUNPLAN_CHROMIUM at a Chromium or Chrome binary."
)

# Descriptors below this are left free, so mapping the pipe ends onto 3 and 4 in the child
# can never overwrite one of the ends before it is mapped.
_HIGH_FD = 10


class DevToolsError(RuntimeError):
    """Chromium answered a command with an error, went away, or did not answer in time."""


class NoAnswer(DevToolsError):
    """Nothing came from Chromium before the deadline."""


def chromium_binary() -> str:
    """KOMMUNPLAN_CHROMIUM, else chromium or chromium-browser on the PATH; fails saying how
    to install it when there is none."""
    given = os.environ.get("KOMMUNPLAN_CHROMIUM")
    if given:
        found = shutil.which(given)
        if found is None:
            raise FileNotFoundError(
                f"KOMMUNPLAN_CHROMIUM={given} is not an executable. {INSTALL_HINT}"
            )
        return found
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found is not None:
            return found
    raise FileNotFoundError(INSTALL_HINT)


def _arguments(binary: str, profile: Path) -> list[str]:
    arguments = [
        binary,
        "--headless=new",
        "--remote-debugging-pipe",
        f"--user-data-dir={profile}",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-gpu",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--mute-audio",
        # /dev/shm is small in containers; Chromium then crashes its renderers.
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1280,900",
        "about:blank",
    ]
    if os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root; as anyone else it keeps it.
        arguments.insert(1, "--no-sandbox")
    return arguments


def _high_pipe() -> tuple[int, int]:
    read_end, write_end = os.pipe()
    try:
        return (
            fcntl.fcntl(read_end, fcntl.F_DUPFD_CLOEXEC, _HIGH_FD),
            fcntl.fcntl(write_end, fcntl.F_DUPFD_CLOEXEC, _HIGH_FD),
        )
    finally:
        os.close(read_end)
        os.close(write_end)


@dataclass
class PageLoad:
    """What happened while one page loaded: every response, failure and error logged."""

    url: str
    statuses: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every failed request, 4xx/5xx answer, console error and uncaught exception."""
        found = [f"HTTP {status}: {url}" for url, status in self.statuses.items() if status >= 400]
        found += [f"failed to load: {failure}" for failure in self.failed]
        found += [f"console error: {text}" for text in self.console_errors]
        found += [f"uncaught exception: {text}" for text in self.exceptions]
        return found


class Chromium:
    """One headless Chromium with one page (tab) to load URLs in."""

    def __init__(self, binary: str, profile: Path, log: Path, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        to_chromium_read, self._to_chromium = _high_pipe()
        self._from_chromium, from_chromium_write = _high_pipe()
        with log.open("ab") as output:
            null = os.open(os.devnull, os.O_RDONLY)
            try:
                self.pid = os.posix_spawn(
                    binary,
                    _arguments(binary, profile),
                    dict(os.environ),
                    file_actions=[
                        (os.POSIX_SPAWN_DUP2, null, 0),
                        (os.POSIX_SPAWN_DUP2, output.fileno(), 1),
                        (os.POSIX_SPAWN_DUP2, output.fileno(), 2),
                        (os.POSIX_SPAWN_DUP2, to_chromium_read, 3),
                        (os.POSIX_SPAWN_DUP2, from_chromium_write, 4),
                    ],
                    # Its own process group, so its helpers can be ended with it.
                    setsid=True,
                )
            finally:
                os.close(null)
                os.close(to_chromium_read)
                os.close(from_chromium_write)
        self._session = self._open_page()

    def _open_page(self) -> str:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=None)
        attached = self.send(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True},
            session=None,
        )
        session = str(attached["sessionId"])
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        return session

    # The protocol: NUL-ended JSON messages, answers matched to commands by id.

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise NoAnswer("Chromium did not answer in time")
            readable, _, _ = select.select([self._from_chromium], [], [], left)
            if not readable:
                continue
            chunk = os.read(self._from_chromium, 1 << 20)
            if not chunk:
                raise DevToolsError("Chromium closed its DevTools pipe (did it crash?)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = ""
    ) -> dict[str, Any]:
        """Send a command to the page (or, with ``session=None``, to the browser) and wait
        for its answer; events read meanwhile are kept for the current page load."""
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        target = self._session if session == "" else session
        if target is not None:
            command["sessionId"] = target
        os.write(self._to_chromium, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") != self._next_id:
                self._events.append(message)
                continue
            if "error" in message:
                raise DevToolsError(f"{method}: {message['error']}")
            result: dict[str, Any] = message.get("result", {})
            return result

    def _wait_for(self, method: str, deadline: float) -> None:
        while not any(event.get("method") == method for event in self._events):
            self._events.append(self._read_message(deadline))

    def _settle(self, quiet: float, deadline: float) -> None:
        """Read events until every request has ended and none came for ``quiet`` seconds:
        what a page fetches after its load event (such as its icon) is counted too."""
        while True:
            pending = _pending_requests(self._events)
            try:
                self._events.append(self._read_message(min(deadline, time.monotonic() + quiet)))
            except NoAnswer:
                if not pending:
                    return
                if time.monotonic() >= deadline:
                    raise NoAnswer(f"still loading: {sorted(pending.values())}") from None

    # What the tests use.

    def load(self, url: str, quiet: float = 0.5) -> PageLoad:
        """Navigate to ``url``, wait until it and everything it fetches has loaded, and
        say what each request answered and what was logged as an error."""
        self._events = []
        deadline = time.monotonic() + self.timeout
        navigated = self.send("Page.navigate", {"url": url})
        if "errorText" in navigated:
            raise DevToolsError(f"{url}: {navigated['errorText']}")
        self._wait_for("Page.loadEventFired", deadline)
        self._settle(quiet, deadline)
        return _page_load(url, self._events)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript ``expression`` in the page, as JSON gives it."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result["result"].get("value")

    def text(self) -> str:
        """The page's text as it is rendered (document.body.innerText)."""
        return str(self.evaluate("document.body.innerText"))

    def window_width(self, width: int) -> None:
        """Lay the page out in a window ``width`` CSS pixels wide from now on."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )

    def pdf(self) -> bytes:
        """The page printed on A4, as the browser's print does it, with its CSS for print."""
        printed = self.send("Page.printToPDF", {"preferCSSPageSize": True})
        return base64.b64decode(printed["data"])

    def screenshot(self, path: Path) -> None:
        """The whole page, not only the window, as a PNG."""
        metrics = self.send("Page.getLayoutMetrics")
        size = metrics["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = self.send(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": clip},
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        with contextlib.suppress(DevToolsError, OSError):
            self.send("Browser.close", session=None)
        if not _exited(self.pid, 10):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            _exited(self.pid, 10)
        os.close(self._to_chromium)
        os.close(self._from_chromium)


def _exited(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return True
        if done:
            return True
        time.sleep(0.05)
    return False


def _pending_requests(events: list[dict[str, Any]]) -> dict[str, str]:
    """The URL of each request begun and not yet finished or failed, by its id."""
    started: dict[str, str] = {}
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            started[params["requestId"]] = params["request"]["url"]
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            started.pop(params["requestId"], None)
    return started


def _page_load(url: str, events: list[dict[str, Any]]) -> PageLoad:
    load = PageLoad(url)
    urls: dict[str, str] = {}
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif method == "Network.responseReceived":
            response = params["response"]
            load.statuses[response["url"]] = int(response["status"])
        elif method == "Network.loadingFailed":
            where = urls.get(params["requestId"], params["requestId"])
            load.failed.append(f"{where} ({params.get('errorText', '')})")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            load.exceptions.append(details.get("exception", {}).get("description", details["text"]))
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            load.console_errors.append(" ".join(_console_text(arg) for arg in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            load.console_errors.append(f"{entry['text']} ({entry.get('url', '')})")
    return load


def _console_text(argument: dict[str, Any]) -> str:
    return str(argument.get("value", argument.get("description", "")))


@contextlib.contextmanager
def chromium(log: Path, binary: str | None = None) -> Iterator[Chromium]:
    """A headless Chromium (``binary``, else the one found) with a fresh profile, its
    output in ``log``, ended when the block is left."""
    binary = binary or chromium_binary()
    with tempfile.TemporaryDirectory(prefix="kommunplan-chromium-") as profile:
        browser = Chromium(binary, Path(profile), log)
        try:
            yield browser
        finally:
            browser.close()
