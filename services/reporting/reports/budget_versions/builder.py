"""Budget versions: the proposed, the adopted and the revised budget of a year side by side.

Each status of a figure is a version of its own in the read model; a view shows one of them
(``?version=``) or, by default, the latest recorded of those its reader may see. The
versions view puts each version of the year's budget next to the others, rolled up the tree
as the plan rolls it up, with the change from one to the next.

Pure: rows in, view out, no I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from services.reporting.read_models.budget.tables import FigureRow
from services.reporting.reports.plan.builder import PlanInput, build_plan
from services.reporting.reports.plan.view import PlanView
from services.reporting.reports.shared.amounts import Amounts, amounts_json
from services.reporting.reports.shared.as_of import moment_json
from services.reporting.reports.shared.unit_year import UnitYearView
from services.reporting.vocabulary import (
    ADOPTED,
    PROPOSED,
    REVISED,
    VERSION_LABELS,
    VERSION_PARAMETERS,
)

STATUSES = (PROPOSED, ADOPTED, REVISED)  # in the order a budget goes through them
PUBLIC_STATUSES = (ADOPTED, REVISED)  # a proposal is a draft, shown only to those who may

# The figures each version is made of, the first found per figure: a revision changes a few
# units, and the revised budget of the others is the one adopted.
MADE_OF = {PROPOSED: (PROPOSED,), ADOPTED: (ADOPTED,), REVISED: (REVISED, ADOPTED)}


class UnknownVersion(ValueError):
    """A ``version`` that names no status; the message is Swedish."""

    def __init__(self, version: str) -> None:
        super().__init__(
            f"Versionen {version[:40]} finns inte; välj {', '.join(VERSION_PARAMETERS)}"
        )


class DraftsNotShown(PermissionError):
    """A proposal asked for by a reader who may not see drafts; the message is Swedish."""

    def __init__(self) -> None:
        super().__init__("Förslag visas bara för inloggade med rätt att se utkast")


def statuses_for(
    version: str | None, sees_drafts: bool, default: tuple[str, ...] = STATUSES
) -> tuple[str, ...]:
    """The statuses a view may show: those ``version`` names, or by default those of
    ``default`` the reader may see; the view shows the latest recorded of them per figure."""
    visible = STATUSES if sees_drafts else PUBLIC_STATUSES
    if version is None:
        return tuple(status for status in default if status in visible)
    status = VERSION_PARAMETERS.get(version)
    if status is None:
        raise UnknownVersion(version)
    if status not in visible:
        raise DraftsNotShown
    return MADE_OF[status]


@dataclass(frozen=True)
class VersionRow:
    code: str
    name: str
    depth: int
    versions: tuple[Amounts | None, ...]  # aligned with VersionsView.statuses

    def change(self, earlier: int, later: int) -> Amounts | None:
        """The later version minus the earlier one, where both exist."""
        before, after = self.versions[earlier], self.versions[later]
        if before is None or after is None:
            return None
        return after - before


@dataclass(frozen=True)
class VersionsView(UnitYearView):
    statuses: tuple[str, ...]
    rows: tuple[VersionRow, ...]
    parked: int = 0  # events the read models could not take in; the figures may lack them
    per: datetime | None = None  # the moment the view was read as of; None: now

    @property
    def title(self) -> str:
        return f"Budgetversioner {self.year} för {self.unit_name}"

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(VERSION_LABELS[status] for status in self.statuses)


def _budgets(plan: PlanView, year: int) -> dict[str, Amounts]:
    """Each node's budget for ``year`` in ``plan``: its own or its children's sum."""
    column = next(i for i, c in enumerate(plan.columns) if c.kind == "budget" and c.year == year)
    found: dict[str, Amounts] = {}
    for node in plan.nodes:
        cell = node.figures[column]
        if cell is not None:
            found[node.code] = cell.value
    return found


def _version(data: PlanInput, status: str) -> list[FigureRow]:
    """The figures of version ``status``: per figure the first of MADE_OF[status] there is."""
    by_key: dict[tuple[str, int, str], dict[str, FigureRow]] = {}
    for figure in data.figures:
        by_key.setdefault((figure.unit_code, figure.year, figure.kind), {})[figure.status] = figure
    return [
        found[0]
        for versions in by_key.values()
        if (found := [versions[s] for s in MADE_OF[status] if s in versions])
    ]


def build_versions(
    data: PlanInput, unit_code: str, year: int, statuses: Sequence[str]
) -> VersionsView:
    """Each of ``statuses``' budget for ``year``, per node of ``unit_code``'s subtree.

    ``data.figures`` holds every version (a row per status). Raises UnknownUnit.
    """
    plans = [
        build_plan(dataclasses.replace(data, figures=_version(data, status)), unit_code, year)
        for status in statuses
    ]
    budgets = [_budgets(plan, year) for plan in plans]
    # Tree order of the plan with every version in it, so no unit is missed.
    every = build_plan(data, unit_code, year)
    rows = tuple(
        VersionRow(
            node.code,
            node.name,
            node.depth,
            tuple(budget.get(node.code) for budget in budgets),
        )
        for node in every.nodes
        if any(node.code in budget for budget in budgets)
    )
    return VersionsView(unit_code, every.root.name, year, tuple(statuses), rows, parked=data.parked)


def _change_json(change: Amounts | None) -> dict[str, Any] | None:
    return None if change is None else amounts_json(change)


def versions_to_json(view: VersionsView) -> dict[str, Any]:
    return {
        **view.heading_json(view.title),
        "per": moment_json(view.per),
        "parked_events": view.parked,
        "statuses": list(view.statuses),
        "rows": [
            {
                "code": row.code,
                "name": row.name,
                "depth": row.depth,
                "versions": {
                    status: None if amounts is None else amounts_json(amounts)
                    for status, amounts in zip(view.statuses, row.versions, strict=True)
                },
                # Each version against the one before it in the list.
                "changes": {
                    f"{later}_minus_{earlier}": _change_json(row.change(i, i + 1))
                    for i, (earlier, later) in enumerate(
                        zip(view.statuses, view.statuses[1:], strict=False)
                    )
                },
            }
            for row in view.rows
        ],
    }


def net_change(row: VersionRow, i: int) -> Decimal | None:
    """The change in net of version ``i`` from version ``i - 1``, for the page."""
    change = row.change(i - 1, i) if i > 0 else None
    return None if change is None else change.net


def version_label(version: str) -> str:
    """A version as ?version= names it, as a page prints it: "beslutad" → "Beslutad"."""
    return VERSION_LABELS[VERSION_PARAMETERS[version]]
