"""The organisation tree as a report walks it: each unit's children in the tree's order, and
a walk that lists a parent before its children but builds it after them, since a parent's
sums need its children's figures. The plan and the month report both walk it this way."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict, TypeVar

from services.reporting.read_models.budget.tables import UnitRow

N = TypeVar("N")


class TreeUnit(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def parent_code(self) -> str | None: ...

    @property
    def order(self) -> int: ...


U = TypeVar("U", bound=TreeUnit)


def children_of(units: Iterable[U]) -> dict[str, list[U]]:
    """Each unit's children, in registration order."""
    children: dict[str, list[U]] = {}
    for unit in units:
        if unit.parent_code is not None:
            children.setdefault(unit.parent_code, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda unit: (unit.order, unit.code))
    return children


def walk(
    root: U,
    children: Mapping[str, list[U]],
    make: Callable[[U, int, list[N]], N],
    left_out: Callable[[U, N], bool],
) -> tuple[N, ...]:
    """The nodes of ``root``'s subtree, parents first; ``make(unit, depth, kept_children)``
    builds a node once its children are built. A node with no children kept that
    ``left_out`` says has nothing to show (a unit closed before the report's years) is
    left out, except the root."""
    nodes: list[N | None] = []
    seen: set[str] = set()

    def visit(unit: U, depth: int) -> N | None:
        seen.add(unit.code)
        slot = len(nodes)
        nodes.append(None)
        kept: list[N] = []
        for child in children.get(unit.code, []):
            if child.code in seen:  # a cycle in bad data must not loop forever
                continue
            found = visit(child, depth + 1)
            if found is not None:
                kept.append(found)
        node = make(unit, depth, kept)
        if depth > 0 and not kept and left_out(unit, node):
            del nodes[slot:]
            return None
        nodes[slot] = node
        return node

    visit(root, 0)
    return tuple(node for node in nodes if node is not None)


@dataclass(frozen=True)
class WalkedNode:
    """What a node of a walk says of its unit and of where in the walk it stands; the plan's
    and the month report's nodes begin with it."""

    code: str
    name: str
    kind: str
    depth: int  # 0 for the requested node
    parent_code: str | None
    manager_title: str | None
    manager_name: str | None


class Placed(TypedDict):
    """A WalkedNode's fields, to begin a node with: ``Node(**placed(unit, depth), ...)``."""

    code: str
    name: str
    kind: str
    depth: int
    parent_code: str | None
    manager_title: str | None
    manager_name: str | None


def placed(unit: UnitRow, depth: int) -> Placed:
    return Placed(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        depth=depth,
        parent_code=unit.parent_code,
        manager_title=unit.manager_title,
        manager_name=unit.manager_name,
    )


def walked_node_json(node: WalkedNode) -> dict[str, Any]:
    """The JSON of the unit a node stands for, and where in the walk it stands."""
    return {field: getattr(node, field) for field in Placed.__annotations__}
