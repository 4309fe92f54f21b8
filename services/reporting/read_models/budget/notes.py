"""Notes on units' tables into the budget's read models: the latest per unit, year and id,
with who sent it, and the history of each."""

from contracts.budget.events import TableNoteAttached
from services.reporting.read_models.budget.tables import NOTES
from services.reporting.read_models.budget.upserts import Upsert

NOTE_UPSERT = Upsert(
    TableNoteAttached,
    NOTES,
    lambda n, e: (
        n.unit_code,
        n.year,
        n.note_id,
        n.table,
        n.kind,
        n.line,
        n.text,
        e.message.envelope.actor,
        e.message.envelope.actor_name,
        e.message.envelope.source_system,
        e.sequence,
    ),
    {"text": "text"},
)
