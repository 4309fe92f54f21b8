"""A write service's /docs in headless Chromium: Swagger UI starts from the service's own
files under the page's policy (a refused script or style is a console error), renders every
command, and shows a command's Swedish description and example body."""

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from plumbing.command_examples import EXAMPLES
from tests.browser.devtools import chromium
from tests.unit.test_api_docs import _write_app


@pytest.fixture(scope="module")
def budget_url() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(_write_app("budget"), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the budget app did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_swagger_ui_renders_the_commands_from_the_services_own_files(
    budget_url: str, tmp_path: Path
) -> None:
    with chromium(tmp_path / "chromium.log") as browser:
        load = browser.load(f"{budget_url}/docs#/default/set_figures_api_set_figures_post")
        text = browser.text()
    assert load.problems() == [], "\n".join(load.problems())
    # Swagger UI's stylesheet draws some icons as data: URLs, which leave nothing to fetch.
    fetched = [url for url in load.statuses if not url.startswith("data:")]
    assert all(url.startswith(budget_url) for url in fetched), sorted(fetched)
    assert load.statuses[f"{budget_url}/openapi.json"] == 200
    for name in ("register-unit", "record-actuals", "set-figures"):
        assert f"/api/{name}" in text
    assert EXAMPLES["set-figures"].description in text
    assert "58 300 000" in text  # the example body, shown for the opened command
