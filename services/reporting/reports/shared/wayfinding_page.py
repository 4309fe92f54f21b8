"""Puts the shared header (wayfinding.py) into a report's page: reads the organisation tree
as the page reads its own rows (now, or as it stood ``per``) and renders the header where
base.html marks its place."""

from collections.abc import Mapping
from datetime import datetime

from plumbing.read_models import NotReady, ReadModels, ReadSession
from services.reporting.read_models.budget import queries as budget
from services.reporting.read_models.budget.tables import UnitRow
from services.reporting.read_models.sources import BUDGET
from services.reporting.reports.shared.pages import PAGES
from services.reporting.reports.shared.wayfinding import PLACE, Addresses, subject_of, wayfinding


async def _tree(
    models: ReadModels, year: int | None, per: datetime | None
) -> tuple[list[UnitRow], int]:
    """The tree and the month the month report opens at: the year's latest reported."""

    async def read(session: ReadSession) -> tuple[list[UnitRow], int]:
        latest = await budget.latest_actuals(session, year) if year is not None else None
        return await budget.units(session), int(latest[5:]) if latest else 1

    return await models.read(read, (BUDGET,), per)


Tree = tuple[list[UnitRow], int]


async def read_tree(models: ReadModels, parameters: object, per: datetime | None) -> Tree | None:
    """The tree the header of the page of a report asked ``parameters`` shows, and the month
    its month report opens at; None before the budget's read models exist."""
    try:
        return await _tree(models, subject_of(parameters).year, per)
    except NotReady:
        return None


def put_wayfinding(
    path: str, parameters: object, query: Mapping[str, str], page: str, tree: Tree | None
) -> str:
    """``page`` of the report at ``path`` (its route) asked ``parameters``, with the header
    of ``tree`` (``read_tree``) in its place; a page without the place, or without a tree,
    as it is."""
    if PLACE not in page or tree is None:
        return page
    units, latest_month = tree
    subject = subject_of(parameters)
    month = subject.month or latest_month
    addresses = Addresses(path, {k: v for k, v in query.items() if k != "format"}, subject, month)
    header = PAGES.get_template("wayfinding.html").render(way=wayfinding(units, addresses))
    return page.replace(PLACE, header, 1)
