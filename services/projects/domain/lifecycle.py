"""A project's lifecycle: proposed → decided → ongoing → completed; cancelled from any status
but completed; an ongoing project may be paused and resumed. Completed and cancelled are
final."""

from contracts.projects.fields import ProjectStatus

P = ProjectStatus

NEXT: dict[ProjectStatus, frozenset[ProjectStatus]] = {
    P.PROPOSED: frozenset({P.DECIDED, P.CANCELLED}),
    P.DECIDED: frozenset({P.ONGOING, P.CANCELLED}),
    P.ONGOING: frozenset({P.PAUSED, P.COMPLETED, P.CANCELLED}),
    P.PAUSED: frozenset({P.ONGOING, P.CANCELLED}),
    P.COMPLETED: frozenset(),
    P.CANCELLED: frozenset(),
}

# How a Swedish sentence names the status: "projektet är <status>".
SWEDISH: dict[ProjectStatus, str] = {
    P.PROPOSED: "föreslaget",
    P.DECIDED: "beslutat",
    P.ONGOING: "pågående",
    P.PAUSED: "pausat",
    P.COMPLETED: "avslutat",
    P.CANCELLED: "avbrutet",
}

_ORDER = list(ProjectStatus)


def why_not(current: ProjectStatus, wanted: ProjectStatus) -> str | None:
    """Why a project that is ``current`` cannot become ``wanted``; None when it can."""
    if wanted is current:
        return f"projektet är redan {SWEDISH[current]}"
    allowed = NEXT[current]
    if wanted in allowed:
        return None
    if not allowed:
        return f"projektet är {SWEDISH[current]}; dess status ändras inte mer"
    choices = " eller ".join(SWEDISH[s] for s in sorted(allowed, key=_ORDER.index))
    return f"ett {SWEDISH[current]} projekt kan inte bli {SWEDISH[wanted]}; det kan bli {choices}"
