"""The demo's annual report of 2011, actuals January–August: the year is not closed, and no
full-year result is shown as actuals."""

from collections.abc import Iterator

import httpx
import pytest

from tests.browser.running_stack import running_up


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_up(tmp_path_factory.mktemp("kommunplan-annual")) as url:
        yield url


def test_the_annual_report_of_2011_says_the_year_is_not_closed(demo: str) -> None:
    with httpx.Client(base_url=demo, timeout=60) as client:
        report = client.get("/api/arsredovisning/KS/2011").json()
        assert report["closed"] is False
        economy = report["economy"]
        assert economy["reported_month"] == 8
        assert economy["missing_months"] == [f"2011-{m:02d}" for m in range(9, 13)]
        assert any("Året 2011 är inte avslutat" in words for words in report["notices"])
        page = client.get("/arsredovisning/KS/2011").text
        assert "Året 2011 är inte avslutat" in page
        assert "Utfall t.o.m. augusti" in page and "Utfall t.o.m. december" not in page
        assert "september–december 2011" in page
        assert "5 049" not in page
        csv = client.get("/arsredovisning/KS/2011?format=csv").content.decode("utf-8-sig")
        assert "Året 2011 är inte avslutat" in csv and "Utfall t.o.m. december" not in csv
