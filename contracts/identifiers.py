"""Ids a sender chooses for what it creates (a goal, a commitment, a project), shared by the
services that create them and those that link to them."""

from typing import Annotated

from pydantic import Field

IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"

Identifier = Annotated[
    str,
    Field(
        max_length=80,
        pattern=IDENTIFIER_PATTERN,
        description=(
            "The sender's id for what it creates (a goal, a commitment, a project): lower-case"
            " letters a–z, digits and hyphens, chosen once and never reused"
        ),
        examples=["klf-bra-verksamhetslokaler"],
    ),
]
