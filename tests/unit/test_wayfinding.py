"""The header every page shares: the unit's place in the tree, each link to the same view,
the other views of the unit and year, and the month report's neighbouring months."""

from dataclasses import dataclass
from datetime import date

from services.reporting.read_models.budget.tables import UnitRow
from services.reporting.reports.shared.wayfinding import (
    Addresses,
    Subject,
    subject_of,
    wayfinding,
)


def unit(code: str, parent: str | None, closed_on: date | None = None) -> UnitRow:
    return UnitRow(code, f"Enhet {code}", "unit", parent, None, None, closed_on, 0)


TREE = [
    unit("KS", None),
    unit("KLF", "KS"),
    unit("EKO", "KLF"),
    unit("PERS", "KLF"),
    unit("LÖN", "KLF", closed_on=date(2010, 12, 31)),
    unit("NÄT", "KS"),
]


def at(path: str, subject: Subject, query: dict[str, str] | None = None) -> Addresses:
    return Addresses(path, query or {}, subject, subject.month or 8)


def test_a_unit_is_placed_under_its_parents_and_over_its_open_children() -> None:
    way = wayfinding(TREE, at("/plan/{unit_code}/{year}", Subject("KLF", 2011)))
    assert [link.label for link in way.ancestors] == ["Enhet KS"]
    assert way.ancestors[0].href == "/plan/KS/2011"
    assert way.here is not None and way.here.current
    # Lönekontoret closed before 2011 began; it is no child of KLF in 2011.
    assert [link.href for link in way.children] == ["/plan/EKO/2011", "/plan/PERS/2011"]


def test_the_tree_links_keep_the_view_its_filters_and_moment() -> None:
    way = wayfinding(
        TREE,
        at("/delarsrapport/{unit_code}/{year}", Subject("KS", 2011), {"till": "6"}),
    )
    assert [link.href for link in way.children] == [
        "/delarsrapport/KLF/2011?till=6",
        "/delarsrapport/NÄT/2011?till=6",
    ]


def test_every_view_of_the_unit_and_year_is_linked_and_the_current_one_marked() -> None:
    way = wayfinding(
        TREE, at("/mal/{unit_code}/{year}", Subject("NÄT", 2011), {"per": "2011-05-01"})
    )
    hrefs = {link.label: link.href for link in way.views}
    assert hrefs["Plan"] == "/plan/NÄT/2011?per=2011-05-01"
    assert hrefs["Månadsuppföljning"] == "/uppfoljning/NÄT/2011-08?per=2011-05-01"
    assert hrefs["Projekt"] == "/projekt?enhet=N%C3%84T&ar=2011&per=2011-05-01"
    assert [link.label for link in way.views if link.current] == ["Mål"]


def test_the_month_report_steps_across_the_turn_of_the_year() -> None:
    route = "/uppfoljning/{unit_code}/{period}"
    january = wayfinding(TREE, at(route, Subject("KS", 2011, 1)))
    assert january.previous_month is not None and january.next_month is not None
    assert january.previous_month.href == "/uppfoljning/KS/2010-12"
    assert january.previous_month.label == "december 2010"
    assert january.next_month.href == "/uppfoljning/KS/2011-02"
    december = wayfinding(TREE, at(route, Subject("KS", 2011, 12)))
    assert december.next_month is not None and december.next_month.href == "/uppfoljning/KS/2012-01"


def test_the_register_takes_the_unit_as_a_filter() -> None:
    way = wayfinding(TREE, at("/projekt", Subject("KLF", 2011), {"ar": "2011"}))
    assert way.ancestors[0].href == "/projekt?ar=2011&enhet=KS"
    unfiltered = wayfinding(TREE, at("/projekt", Subject(None, None)))
    assert [link.href for link in unfiltered.children] == ["/projekt?enhet=KS"]
    assert unfiltered.views == ()


def test_a_unit_the_tree_does_not_know_gets_no_place() -> None:
    way = wayfinding(TREE, at("/plan/{unit_code}/{year}", Subject("XX", 2011)))
    assert way.here is None and way.children == () and way.views == ()


@dataclass
class Period:
    unit_code: str
    period: str


@dataclass
class YearText:
    unit_code: str
    year: str


def test_the_subject_is_read_from_a_reports_parameters() -> None:
    assert subject_of(Period("KS", "2011-08")) == Subject("KS", 2011, 8)
    assert subject_of(YearText("KS", "2011")) == Subject("KS", 2011, None)
    assert subject_of(YearText("KS", "tjugoelva")) == Subject("KS", None, None)
    assert subject_of(object()) == Subject(None, None, None)
