"""``?per=`` on a route: the moment a view is read as of, or 422 in Swedish."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Query

from services.reporting.reports.shared.as_of import BadMoment, parse_moment

Per = Annotated[
    str | None,
    Query(
        description=(
            "Visa rapporten som den såg ut vid en tidpunkt: ÅÅÅÅ-MM-DD (dagens slut) eller"
            " ÅÅÅÅ-MM-DDTTT:MM, svensk tid om ingen tidszon anges"
        ),
    ),
]


def moment_parameter(per: Per = None) -> datetime | None:
    if per is None:
        return None
    try:
        return parse_moment(per, datetime.now(UTC))
    except BadMoment as error:
        raise HTTPException(422, str(error)) from None


Moment = Annotated[datetime | None, Depends(moment_parameter)]
"""A route's ``?per=`` as the moment it names (None: now); 422 in Swedish when bad."""
