"""Whether a goals command writes within its sender's scope: a goal's unit; for what hangs
under a goal, that goal's unit; for a perspective, its board."""

from contracts.envelope import Command
from contracts.goals import commands
from contracts.scope import Scope
from services.goals.domain.catalogue import Catalogue


def _unit_written(catalogue: Catalogue, command: Command) -> tuple[str, str] | None:
    """(field, unit code) of the unit the command writes for; None when what it names is
    unknown, which the decision itself refuses more plainly."""
    goal = None
    match command:
        case commands.DefinePerspective():
            return "board_code", command.board_code
        case commands.AdoptGoal():
            return "unit_code", command.unit_code
        case commands.RewordGoal() | commands.RetireGoal() | commands.MakeCommitment():
            field, goal = "goal_id", catalogue.goals.get(command.goal_id)
        case commands.AddIndicator():
            field = "commitment_id" if command.commitment_id is not None else "goal_id"
            goal = catalogue.goal_under(command.commitment_id, command.goal_id)
        case commands.AttachNote():
            field, goal = "attached_to", catalogue.goal_of(command.attached_to)
        case commands.RecordMeasurement():
            field, goal = "measure_id", catalogue.goal_of(command.measure_id)
        case commands.AssessActivity():
            field, goal = "commitment_id", catalogue.goal_of(command.commitment_id)
        case _:
            return None
    return (field, goal.unit_code) if goal is not None else None


def check_scope(catalogue: Catalogue, command: Command, scope: Scope) -> None:
    """Refuse ``command`` (NotPermitted) when it writes outside ``scope``."""
    written = _unit_written(catalogue, command)
    if written is not None:
        catalogue.tree.check_written_within(scope, [written])
