"""The organisation tree: boards, administrations and units, with their managers."""

import copy
from dataclasses import dataclass
from datetime import date

from contracts.budget.commands import (
    AppointManager,
    CloseUnit,
    MoveUnit,
    RegisterUnit,
    RenameUnit,
)
from contracts.budget.events import (
    ManagerAppointed,
    UnitClosed,
    UnitMoved,
    UnitRegistered,
    UnitRenamed,
)
from contracts.budget.fields import UnitKind
from contracts.envelope import Event
from contracts.refusal import refuse
from services.budget.domain.translate import event_from

ORGANISATION_STREAM = "organisation"


@dataclass
class Unit:
    code: str
    name: str
    kind: UnitKind
    parent_code: str | None
    manager_title: str | None
    manager_name: str | None
    closed_on: date | None = None


class Organisation:
    """The aggregate of the tree; one stream, so a move can be checked against the whole."""

    def __init__(self) -> None:
        self.units: dict[str, Unit] = {}
        self.version = 0

    def copy(self) -> "Organisation":
        return copy.deepcopy(self)

    # -- facts -----------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
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
        self.version += 1

    # -- checks ----------------------------------------------------------------------------

    def known(self, code: str, field: str = "unit_code") -> Unit:
        unit = self.units.get(code)
        if unit is None:
            raise refuse(field, f"enheten {code} finns inte i organisationen")
        return unit

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

    def _descendants(self, code: str) -> set[str]:
        found: set[str] = set()
        frontier = [code]
        while frontier:
            parent = frontier.pop()
            for child in self.units.values():
                if child.parent_code == parent and child.code not in found:
                    found.add(child.code)
                    frontier.append(child.code)
        return found

    # -- decisions -------------------------------------------------------------------------

    def register(self, command: RegisterUnit) -> UnitRegistered:
        if command.unit_code in self.units:
            raise refuse("unit_code", f"enheten {command.unit_code} finns redan")
        if command.kind is UnitKind.BOARD and command.parent_code is not None:
            raise refuse("parent_code", "en nämnd har ingen överordnad enhet")
        if command.kind is not UnitKind.BOARD:
            if command.parent_code is None:
                raise refuse("parent_code", "en förvaltning eller enhet måste ha en överordnad")
            self.open_on(command.parent_code, command.effective_on, "parent_code")
        return event_from(command, UnitRegistered)

    def rename(self, command: RenameUnit) -> UnitRenamed:
        self.open_on(command.unit_code, command.effective_on)
        return event_from(command, UnitRenamed)

    def move(self, command: MoveUnit) -> UnitMoved:
        unit = self.open_on(command.unit_code, command.effective_on)
        if unit.kind is UnitKind.BOARD:
            raise refuse("unit_code", "en nämnd kan inte flyttas under en annan enhet")
        self.open_on(command.parent_code, command.effective_on, "parent_code")
        if command.parent_code == unit.code or command.parent_code in self._descendants(unit.code):
            raise refuse(
                "parent_code",
                f"{unit.code} kan inte flyttas under sig själv eller sina underenheter",
            )
        return event_from(command, UnitMoved)

    def close(self, command: CloseUnit) -> UnitClosed:
        self.open_on(command.unit_code, command.effective_on)
        still_open = [
            c for c in self._descendants(command.unit_code) if self.units[c].closed_on is None
        ]
        if still_open:
            raise refuse(
                "unit_code",
                f"enheten {command.unit_code} har öppna underenheter: "
                + ", ".join(sorted(still_open)),
            )
        return event_from(command, UnitClosed)

    def appoint(self, command: AppointManager) -> ManagerAppointed:
        self.open_on(command.unit_code, command.effective_on)
        return event_from(command, ManagerAppointed)
