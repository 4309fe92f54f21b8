"""The organisation tree as the budget service's events describe it.

Budget decides against it; every other service that must know the units (goals refuses a
goal for a unit that does not exist) keeps its own copy by applying budget's events to it,
so the tree is read the same way everywhere and no service reads another's tables.
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from contracts.budget.events import (
    ManagerAppointed,
    UnitClosed,
    UnitMoved,
    UnitRegistered,
    UnitRenamed,
)
from contracts.budget.fields import UnitKind
from contracts.envelope import Event
from contracts.refusal import not_known_yet, not_permitted, refuse
from contracts.scope import Scope

TREE_EVENTS: tuple[type[Event], ...] = (
    UnitRegistered,
    UnitRenamed,
    UnitMoved,
    UnitClosed,
    ManagerAppointed,
)
"""The events that shape the tree; all others leave it as it is."""
_SHAPING = frozenset(TREE_EVENTS)


def check_on_board(field: str, named: str, board: str, expected: str) -> None:
    """Refuse what ``named`` describes ("enheten KLF") when it lies under ``board``, not under
    ``expected``."""
    if board != expected:
        raise refuse(field, f"{named} hör till {board}, inte till {expected}")


@dataclass
class Unit:
    code: str
    name: str
    kind: UnitKind
    parent_code: str | None
    manager_title: str | None
    manager_name: str | None
    closed_on: date | None = None


class OrganisationTree:
    """Boards, administrations and units with their managers."""

    def __init__(self) -> None:
        self.units: dict[str, Unit] = {}

    def copy(self) -> "OrganisationTree":
        return copy.deepcopy(self)

    def apply(self, event: Event) -> None:
        if type(event) not in _SHAPING:
            # Most events leave the tree as it is; each case below is an isinstance check
            # through pydantic's metaclass, five of them for every actual recorded.
            return
        match event:
            case UnitRegistered():
                self.units[event.unit_code] = Unit(
                    event.unit_code,
                    event.name,
                    event.kind,
                    event.parent_code,
                    event.manager_title,
                    event.manager_name,
                )
            case UnitRenamed():
                self.units[event.unit_code].name = event.name
            case UnitMoved():
                self.units[event.unit_code].parent_code = event.parent_code
            case UnitClosed():
                self.units[event.unit_code].closed_on = event.effective_on
            case ManagerAppointed():
                unit = self.units[event.unit_code]
                unit.manager_title, unit.manager_name = event.manager_title, event.manager_name

    def known(self, code: str, field: str = "unit_code") -> Unit:
        unit = self.units.get(code)
        if unit is None:
            raise refuse(field, f"enheten {code} finns inte i organisationen")
        return unit

    def heard_of(self, code: str, field: str = "unit_code") -> Unit:
        """The unit, in a copy of the tree kept from budget's events (goals', projects'): one
        the copy has not heard of may be one budget has not published yet, so it is refused
        as not known yet, and the handler waits a moment for it before the refusal stands."""
        unit = self.units.get(code)
        if unit is None:
            raise not_known_yet(field, f"enheten {code} finns inte i organisationen")
        return unit

    def heard_of_board(self, code: str, field: str = "board_code") -> Unit:
        """The unit, as ``heard_of`` finds it, if it is a board."""
        board = self.heard_of(code, field)
        if board.kind is not UnitKind.BOARD:
            raise refuse(field, f"{code} är ingen nämnd")
        return board

    def open_on(self, code: str, day: date, field: str = "unit_code") -> Unit:
        """The unit, if it exists and is not closed before ``day``."""
        unit = self.known(code, field)
        if unit.closed_on is not None and unit.closed_on < day:
            raise refuse(
                field,
                f"enheten {code} stängdes {unit.closed_on.isoformat()}; "
                f"inget kan registreras på den från {day.isoformat()}",
            )
        return unit

    def within(self, code: str, roots: frozenset[str]) -> bool:
        """Whether ``code`` is one of ``roots`` or lies under one of them."""
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen:
            if current in roots:
                return True
            seen.add(current)
            unit = self.units.get(current)
            current = unit.parent_code if unit is not None else None
        return False

    def check_written_within(self, scope: Scope, written: Iterable[tuple[str, str | None]]) -> None:
        """Refuse (NotPermitted) when a unit written for, as (field, unit code), lies outside
        ``scope``.

        A unit the tree does not know is left to the decision itself, which says so more
        plainly; None (a new board) needs a scope of every unit.
        """
        if scope.everything:
            return
        for field, code in written:
            if code is None or (code in self.units and not self.within(code, scope.roots)):
                raise not_permitted(
                    field,
                    f"avsändaren får inte skriva för enheten {code or '(ny nämnd)'}; "
                    f"den får skriva för {scope.describe()} med underliggande enheter",
                )

    def board_of(self, code: str) -> str:
        """The board ``code`` lies under (itself, for a board)."""
        seen: set[str] = set()
        current = code
        while current not in seen:
            seen.add(current)
            parent = self.units[current].parent_code
            if parent is None or parent not in self.units:
                return current
            current = parent
        return current

    def descendants(self, code: str) -> set[str]:
        found: set[str] = set()
        frontier = [code]
        while frontier:
            parent = frontier.pop()
            for child in self.units.values():
                if child.parent_code == parent and child.code not in found:
                    found.add(child.code)
                    frontier.append(child.code)
        return found
