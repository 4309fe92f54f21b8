"""What a refused message looks like, on the dead-letter subject and in a 422 response."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Problem(BaseModel):
    """One thing wrong with a message: which field, and what, in Swedish for the reader."""

    model_config = ConfigDict(frozen=True)

    field: str = Field(description="Dotted path of the field, or '' for the whole message")
    message: str


class Rejection(BaseModel):
    """A refused inbound message, published to ``budget.rejected.<source_system>``.

    It fits within the server's payload limit: a message too large to carry whole is carried
    as its beginning (``original_truncated``), with its size and digest so the sender can
    tell which message it was; a long list of problems ends with one saying how many more
    there were.
    """

    model_config = ConfigDict(frozen=True)

    message_id: str | None = Field(description="The sender's message id, when it could be read")
    subject: str
    source_system: str
    problems: list[Problem]
    original: str = Field(
        description=(
            "The message as received, decoded as UTF-8 (bytes that are not UTF-8 shown as "
            "U+FFFD); only its beginning when original_truncated is true"
        )
    )
    rejected_at: datetime
    original_truncated: bool = Field(
        default=False,
        description="True when the message was too large to carry and original is its beginning",
    )
    original_bytes: int | None = Field(
        default=None, description="Size of the message as received, in bytes"
    )
    original_sha256: str | None = Field(
        default=None, description="SHA-256 of the message as received, in hexadecimal"
    )
