"""?version= on a report's route: the budget version it shows, as its reader may see it."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import HTTPException, Query

from plumbing.http_identity import sees_drafts
from plumbing.identity import Principal
from services.reporting.reports.budget_versions.builder import (
    STATUSES,
    DraftsNotShown,
    UnknownVersion,
    statuses_for,
)

VersionParameter = Annotated[
    str | None,
    Query(
        description="forslag, beslutad eller reviderad; utan: den senast registrerade"
        " versionen som läsaren får se"
    ),
]


@dataclass(frozen=True)
class Version:
    """The figures a view reads: ``statuses`` as figures_sql takes them, and the label."""

    statuses: tuple[str, ...]
    in_order: bool  # a named version: the first of its statuses there is per figure
    name: str | None  # as ?version= names it (forslag, beslutad, reviderad); None: latest


def chosen_version(
    version: str | None, viewer: Principal | None, default: tuple[str, ...] = STATUSES
) -> Version:
    """The version ``?version=`` names for ``viewer`` (without one: the latest of
    ``default`` the viewer may see): 422 or 403 in Swedish when it may not be shown."""
    try:
        statuses = statuses_for(version, sees_drafts(viewer), default)
    except UnknownVersion as error:
        raise HTTPException(422, str(error)) from None
    except DraftsNotShown as error:
        raise HTTPException(403, str(error)) from None
    if version is None:
        return Version(statuses, False, None)
    return Version(statuses, True, version)
