"""Which roles may send which of a service's commands: a service names them, the kit checks.

A role says what a person may do (plumbing.identity); the units they may do it for are their
scope, which each service's decisions check against its own commands.
"""

from collections.abc import Collection, Mapping

from contracts.envelope import Command
from contracts.refusal import not_permitted
from contracts.service import CONTROLLER, PLANNER, WriteService

__all__ = ["CONTROLLER", "PLANNER", "RolesFor"]


class RolesFor:
    """Refuses a command (NotPermitted) unless one of the sender's roles may send it."""

    def __init__(self, roles_for: Mapping[type[Command], frozenset[str]]) -> None:
        self.roles_for = dict(roles_for)

    @classmethod
    def declared(cls, service: WriteService) -> "RolesFor":
        """The roles ``service``'s contract names for each of its commands."""
        return cls({service.commands[name]: roles for name, roles in service.roles.items()})

    def __call__(self, roles: Collection[str], command: Command) -> None:
        allowed = self.roles_for.get(type(command), frozenset())
        if allowed.isdisjoint(roles):
            needed = " eller ".join(sorted(allowed)) or "ingen roll"
            held = ", ".join(sorted(roles)) or "inga roller"
            raise not_permitted(
                "",
                f"{command.command_name} kräver rollen {needed}; inloggningen har {held}",
            )
