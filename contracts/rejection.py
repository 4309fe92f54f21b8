"""What a refused message looks like, on the dead-letter subject and in a 422 response."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Problem(BaseModel):
    """One thing wrong with a message: which field, and what, in Swedish for the reader."""

    model_config = ConfigDict(frozen=True)

    field: str = Field(description="Dotted path of the field, or '' for the whole message")
    message: str


class Rejection(BaseModel):
    """A refused inbound message, published to ``budget.rejected.<source_system>``."""

    model_config = ConfigDict(frozen=True)

    message_id: str | None = Field(description="The sender's message id, when it could be read")
    subject: str
    source_system: str
    problems: list[Problem]
    original: str = Field(description="The message exactly as received")
    rejected_at: datetime
