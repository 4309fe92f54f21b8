"""The base of every field group: the fields a service's command and the event that records
it share (contracts.<service>.fields), frozen, and refusing any field it does not declare."""

from pydantic import BaseModel, ConfigDict


class FieldGroup(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
