"""Whether a projects command writes within its sender's scope: the project's responsible
unit (for a new project, the unit it names)."""

from contracts.envelope import Command
from contracts.projects.commands import RegisterProject
from contracts.scope import Scope
from services.projects.domain.register import Register


def check_scope(register: Register, command: Command, scope: Scope) -> None:
    """Refuse ``command`` (NotPermitted) when it writes outside ``scope``. A project the
    register does not know is left to the decision, which says so more plainly."""
    if isinstance(command, RegisterProject):
        written = ("unit_code", command.unit_code)
    else:
        project = register.projects.get(getattr(command, "project_code", ""))
        if project is None:
            return
        written = ("project_code", project.unit_code)
    register.tree.check_written_within(scope, [written])
