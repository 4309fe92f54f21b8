"""Whether a projects command writes within its sender's scope: the project's responsible
unit (for a new project, the unit it names), and the project office's unit when the command
moves the office's revenue.

The office's revenue follows from projects' events through a process manager
(services.projects.office_share): a ProjectBudgetSet of a project registered as run by the
office sends budget the office's share of it. So registering a project run by the office,
and setting the budget of one, write for the office's unit as much as for the project's,
and need a scope that includes it. Nothing else moves the share: whether the office runs a
project is said once, at registration; financing, status (cancelled or not), steps, goals,
managers and status reports do not enter it.
"""

from contracts.envelope import Command
from contracts.projects.commands import RegisterProject, SetProjectBudget
from contracts.refusal import not_permitted
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
    _check_office_share(register, command, scope)


def _check_office_share(register: Register, command: Command, scope: Scope) -> None:
    """Refuse a command that moves the project office's revenue unless ``scope`` includes
    the office's unit. Unlike a project's own unit, an office unit the tree does not know
    (yet) is not left to the decision: only a scope naming it, or every unit, will do."""
    moved = _moves_office_share(register, command)
    office = register.office_unit
    if moved is None or scope.everything or register.tree.within(office, scope.roots):
        return
    field, reason = moved
    raise not_permitted(
        field,
        f"{reason} enheten {office} (projektkontoret) intäkter, en andel av projektets "
        f"budget; avsändaren får inte skriva för enheten {office}, den får skriva för "
        f"{scope.describe()} med underliggande enheter",
    )


def _moves_office_share(register: Register, command: Command) -> tuple[str, str] | None:
    """The field and the start of a Swedish sentence saying how ``command`` moves the
    office's share; None when it does not."""
    if isinstance(command, RegisterProject) and command.run_by_project_office:
        code = command.project_code
        return "run_by_project_office", f"projektet {code} drivs av projektkontoret och ger"
    if isinstance(command, SetProjectBudget):
        project = register.projects.get(command.project_code)
        if project is not None and project.registered.run_by_project_office:
            code = command.project_code
            return "project_code", f"projektet {code} drivs av projektkontoret, så dess budget ger"
    return None
