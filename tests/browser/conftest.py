"""One `kommunplan up` and one headless Chromium, shared by the browser tests."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.browser.devtools import Chromium, chromium, chromium_binary
from tests.browser.running_stack import running_up

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    # Checked before `up` starts, so a machine without Chromium learns it at once and how
    # to install it: these tests fail there rather than pass by being skipped.
    try:
        return chromium_binary()
    except FileNotFoundError as missing:
        message = str(missing)
    pytest.fail(message, pytrace=False)


@dataclass(frozen=True)
class Stack:
    """`kommunplan up` with the demo loaded: reporting's base URL, a moment before anything
    was loaded into it, and its data folder (where the command line finds it)."""

    url: str
    before_load: datetime
    data_dir: Path


# Package-scoped: every browser test module shares one stack and one browser, and both end
# with the last of them, rather than idling beside the rest of the suite.
@pytest.fixture(scope="package")
def stack(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    # Taken before `up` starts: its data folder is new, so nothing is recorded before this.
    before_load = datetime.now(UTC)
    data_dir = tmp_path_factory.mktemp("kommunplan-up")
    with running_up(data_dir) as url:
        yield Stack(url, before_load, data_dir)


@pytest.fixture(scope="package")
def reporting_url(stack: Stack) -> str:
    return stack.url


@pytest.fixture(scope="package")
def browser(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    log = tmp_path_factory.mktemp("chromium") / "chromium.log"
    with chromium(log, chromium_path) as opened:
        yield opened
