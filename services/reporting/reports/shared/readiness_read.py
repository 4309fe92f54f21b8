"""Reading which units have marked a follow-up ready (shared.readiness), beside a view."""

import dataclasses
from datetime import datetime
from typing import TypeVar

from plumbing.read_models import NotReady, ReadModels, ReadSession
from services.reporting.read_models.budget import queries as budget
from services.reporting.read_models.sources import BUDGET
from services.reporting.reports.shared.readiness import Readiness, readiness

V = TypeVar("V")


async def with_readiness(
    models: ReadModels, view: V, report: str, period: str, unit_code: str, per: datetime | None
) -> V:
    """``view`` with its ``readiness``, read as of ``per`` as the view was."""

    async def read(session: ReadSession) -> Readiness | None:
        units = await budget.units(session)
        return readiness(
            report, period, unit_code, units, await budget.ready_marks(session, report, period)
        )

    try:
        found = await models.read(read, (BUDGET,), per)
    except NotReady:
        return view
    return dataclasses.replace(view, readiness=found)  # type: ignore[type-var]
