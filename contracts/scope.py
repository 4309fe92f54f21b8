"""Which units a sender may write for: the units it was given and everything under them.

A system's units come from the register of known systems, a person's from the token; each
service decides what writing within them means for its commands.
"""

from dataclasses import dataclass

EVERY_UNIT = "*"


@dataclass(frozen=True)
class Scope:
    """The roots of the subtrees a sender may write for; ``*`` among them means all."""

    roots: frozenset[str]

    @property
    def everything(self) -> bool:
        return EVERY_UNIT in self.roots

    def describe(self) -> str:
        return ", ".join(sorted(self.roots)) or "inga enheter"
