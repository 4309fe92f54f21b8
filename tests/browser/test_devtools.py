"""The Chromium driver sees what the page tests rely on it to see: a page served with
something missing, a request that cannot connect, console errors and uncaught exceptions."""

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.browser.devtools import Chromium
from tests.ports import free_port


def _page(closed_port: int) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Prov</title></head>
<body><p>Nettokostnad 1 234</p>
<img src="/saknas.png" alt="">
<img src="http://127.0.0.1:{closed_port}/ingen.png" alt="">
<script>console.error("fel i konsolen"); console.log("bara en rad");</script>
<script>throw new Error("ofångat fel");</script>
</body></html>""".encode()


@contextlib.contextmanager
def _server(page: bytes) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/favicon.ico":
                # Chromium asks every new origin for its icon; this one has none, and says so.
                self.send_response(204)
                self.end_headers()
                return
            found = self.path == "/"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page if found else b"saknas")

        def log_message(self, format: str, *args: object) -> None:
            pass  # the test reads what Chromium saw, not the server's log

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_load_reports_missing_files_failed_requests_console_errors_and_exceptions(
    browser: Chromium,
) -> None:
    closed_port = free_port()
    with _server(_page(closed_port)) as url:
        load = browser.load(f"{url}/")
        text = browser.text()

    assert "Nettokostnad 1 234" in text
    assert load.statuses[f"{url}/"] == 200
    assert load.statuses[f"{url}/saknas.png"] == 404
    problems = load.problems()
    assert f"HTTP 404: {url}/saknas.png" in problems
    assert any(f"127.0.0.1:{closed_port}/ingen.png" in failure for failure in load.failed)
    assert any("fel i konsolen" in error for error in load.console_errors)
    assert not any("bara en rad" in error for error in load.console_errors)
    assert any("ofångat fel" in exception for exception in load.exceptions)


def test_a_page_that_loads_cleanly_has_no_problems(browser: Chromium) -> None:
    with _server(b"<!DOCTYPE html><title>Prov</title><p>Allt laddat</p>") as url:
        load = browser.load(f"{url}/")
        assert browser.text() == "Allt laddat"
    assert load.problems() == []
