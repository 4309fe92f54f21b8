"""The organisation tree: boards, administrations and units, with their managers."""

import copy

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
from contracts.budget.tree import OrganisationTree
from contracts.envelope import event_from
from contracts.refusal import refuse

ORGANISATION_STREAM = "organisation"


class Organisation(OrganisationTree):
    """The aggregate of the tree; one stream, so a move can be checked against the whole."""

    def copy(self) -> "Organisation":
        return copy.deepcopy(self)

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
        if command.parent_code == unit.code or command.parent_code in self.descendants(unit.code):
            raise refuse(
                "parent_code",
                f"{unit.code} kan inte flyttas under sig själv eller sina underenheter",
            )
        return event_from(command, UnitMoved)

    def close(self, command: CloseUnit) -> UnitClosed:
        self.open_on(command.unit_code, command.effective_on)
        still_open = [
            c for c in self.descendants(command.unit_code) if self.units[c].closed_on is None
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
