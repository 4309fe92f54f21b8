"""The header every page shares, so a reader can move between them: the unit's place in the
organisation (up to its parents, down to its children, each in the same view), the same unit
and year in every other view, and in the month report the previous and next month.

It is built from the request alone (which report, which unit, year and month it names) and
the organisation tree, so a report need not know of it: the route factory reads the tree,
builds the header and puts it into the page (routes.add_report)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from services.reporting.read_models.budget.tables import UnitRow
from services.reporting.vocabulary import MONTH_NAMES

# Where the header goes in a page: base.html writes it at the top of the page's <header>.
PLACE = "<!-- wayfinding -->"


@dataclass(frozen=True)
class Subject:
    """What a page is about, as its address says: a unit (or none, a page of the whole
    organisation), a year and, for the month report, a month."""

    unit_code: str | None
    year: int | None
    month: int | None = None


@dataclass(frozen=True)
class Link:
    """A link to a page: its label and address, and whether it is the page shown."""

    label: str
    href: str
    current: bool = False


@dataclass(frozen=True)
class Wayfinding:
    unit_name: str | None
    ancestors: tuple[Link, ...]  # the top of the tree first
    here: Link | None
    children: tuple[Link, ...]
    views: tuple[Link, ...]  # the same unit and year in each view
    previous_month: Link | None
    next_month: Link | None


def subject_of(parameters: object) -> Subject:
    """The unit, year and month a report's parameters name (``unit_code``, ``year`` and
    ``period`` "YYYY-MM" where a report has them)."""
    unit = getattr(parameters, "unit_code", None)
    year = getattr(parameters, "year", None)
    month = None
    period = getattr(parameters, "period", None)
    if isinstance(period, str) and len(period) == 7 and period[4] == "-":
        head, tail = period[:4], period[5:]
        if head.isdigit() and tail.isdigit():
            year, month = int(head), int(tail)
    if isinstance(year, str):
        year = int(year) if year.isdigit() else None
    return Subject(unit if isinstance(unit, str) else None, year, month)


def _period(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


@dataclass(frozen=True)
class Addresses:
    """How the report in view names a unit in its address: ``path`` is its route
    ("/plan/{unit_code}/{year}"); a report without a unit in its path (the project
    register) takes it as ?enhet=. ``query`` is the page's own, kept on every link to the
    same view (filters, ?per=)."""

    path: str
    query: Mapping[str, str]
    subject: Subject
    # The month the other views' month report opens at: the page's own, else the latest
    # reported of the year.
    month: int

    def same_view(self, unit_code: str, year: int | None = None, month: int | None = None) -> str:
        year = self.subject.year if year is None else year
        month = self.month if month is None else month
        values = {"unit_code": unit_code, "year": year, "period": None}
        if year is not None:
            values["period"] = _period(year, month)
        query = dict(self.query)
        if "{unit_code}" in self.path:
            path = self.path.format(**values)
        else:
            # The project register, or a project's page, whose unit is the register's.
            path = self.path.split("/{")[0]
            query["enhet"] = unit_code
        return f"{path}?{urlencode(query)}" if query else path


# Each view of a unit and year, in the order a reader goes through a year.
VIEWS: Sequence[tuple[str, str]] = (
    ("Plan", "/plan/{unit_code}/{year}"),
    ("Mål", "/mal/{unit_code}/{year}"),
    ("Månadsuppföljning", "/uppfoljning/{unit_code}/{period}"),
    ("Delårsrapport", "/delarsrapport/{unit_code}/{year}"),
    ("Årsredovisning", "/arsredovisning/{unit_code}/{year}"),
    ("Budgetversioner", "/plan/{unit_code}/{year}/versioner"),
    ("Historik", "/historik/{unit_code}/{year}"),
    ("Projekt", "/projekt"),
)


def _views(addresses: Addresses, unit_code: str, year: int) -> tuple[Link, ...]:
    values = {"unit_code": unit_code, "year": year, "period": _period(year, addresses.month)}
    # A page read as it stood at a moment leads to the others as they stood then.
    per = {"per": addresses.query["per"]} if "per" in addresses.query else {}
    links = []
    for label, route in VIEWS:
        if route == "/projekt":
            path, query = route, urlencode({"enhet": unit_code, "ar": year, **per})
        else:
            path, query = route.format(**values), urlencode(per)
        current = route == addresses.path
        links.append(Link(label, f"{path}?{query}" if query else path, current))
    return tuple(links)


def _months(addresses: Addresses, unit_code: str) -> tuple[Link | None, Link | None]:
    subject = addresses.subject
    if subject.month is None or subject.year is None:
        return None, None
    previous = (subject.year, subject.month - 1) if subject.month > 1 else (subject.year - 1, 12)
    following = (subject.year, subject.month + 1) if subject.month < 12 else (subject.year + 1, 1)
    return tuple(  # type: ignore[return-value]
        Link(
            f"{MONTH_NAMES[month - 1]} {year}",
            addresses.same_view(unit_code, year, month),
        )
        for year, month in (previous, following)
    )


def _open_in(unit: UnitRow, year: int | None) -> bool:
    """Whether ``unit`` existed in ``year``: one closed before it began is left out."""
    return unit.closed_on is None or year is None or unit.closed_on.year >= year


def wayfinding(units: Sequence[UnitRow], addresses: Addresses) -> Wayfinding:
    """The header of a page at ``addresses``, in the tree ``units`` (in registration
    order). A unit the tree does not know gets no place in it; a page of the whole
    organisation is placed at the top of the tree."""
    by_code = {unit.code: unit for unit in units}
    code = addresses.subject.unit_code
    if code is None:
        tops = tuple(
            Link(unit.name, addresses.same_view(unit.code))
            for unit in units
            if unit.parent_code is None
        )
        return Wayfinding(None, (), None, tops, (), None, None)
    unit = by_code.get(code)
    if unit is None:
        return Wayfinding(None, (), None, (), (), None, None)
    ancestors: list[Link] = []
    parent = by_code.get(unit.parent_code) if unit.parent_code else None
    while parent is not None and len(ancestors) < 64:  # bad data may hold a cycle
        ancestors.insert(0, Link(parent.name, addresses.same_view(parent.code)))
        parent = by_code.get(parent.parent_code) if parent.parent_code else None
    year = addresses.subject.year
    children = tuple(
        Link(child.name, addresses.same_view(child.code))
        for child in units
        if child.parent_code == code and _open_in(child, year)
    )
    previous, following = _months(addresses, code)
    return Wayfinding(
        unit.name,
        tuple(ancestors),
        Link(unit.name, addresses.same_view(code), current=True),
        children,
        () if year is None else _views(addresses, code, year),
        previous,
        following,
    )
