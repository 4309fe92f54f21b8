"""What the goals view reads: the goals of a subtree, in one snapshot of the goals' and the
budget's read models."""

from datetime import datetime

from plumbing.read_models import ReadModels, ReadSession
from services.reporting.read_models.goals import queries as goals
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.read_models.sources import GOALS_WITH_UNITS
from services.reporting.reports.shared.refusals import UnknownUnit


async def goals_input(
    models: ReadModels, unit_code: str, year: int, per: datetime | None = None
) -> GoalsInput:
    """The goals view's rows, in one snapshot of the goals and the budget projections.

    Raises UnknownUnit when the organisation tree has no ``unit_code``.
    """

    async def read(session: ReadSession) -> GoalsInput:
        data = await goals.goals_of_subtree(session, unit_code, year)
        if not data.units:
            raise UnknownUnit(unit_code)
        return data

    return await models.read(read, GOALS_WITH_UNITS, per)
