"""The notes senders attached to units' tables, placed in the plan and numbered through it.

A note on a column (a year and kind) is shown in every plan that has that column; a note on
a whole table only in the plan of its year. Numbers run through the plan in the order it is
read: node by node, the figures table before the net investments, within a table column by
column and the whole table's notes last, and notes of one place in the order attached.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from services.reporting.read_models.budget.tables import NoteRow
from services.reporting.reports.plan.view import Column, NodeView, NoteView
from services.reporting.reports.shared.senders import sender_in_words

TABLES = ("figures", "net_investments")
_LINES = (None, "revenue", "costs", "net")


def _column(note: NoteRow, columns: Sequence[Column], year: int) -> int | bool | None:
    """The column index a note belongs to; None: the whole table; False: not in this plan."""
    if note.kind is None:
        return None if note.year == year else False
    for i, column in enumerate(columns):
        if (column.year, column.kind) == (note.year, note.kind):
            return i
    return False


def with_notes(
    nodes: Sequence[NodeView], notes: Sequence[NoteRow], columns: Sequence[Column], year: int
) -> tuple[NodeView, ...]:
    """``nodes`` with the notes of each, numbered from 1 in reading order."""
    placed: dict[str, list[tuple[tuple[int, int, int, int], NoteRow, int | None]]] = {}
    for order, note in enumerate(notes):
        column = _column(note, columns, year)
        if column is False:
            continue
        where = len(columns) if column is None else int(column)
        key = (TABLES.index(note.table), where, _LINES.index(note.line), order)
        placed.setdefault(note.unit_code, []).append((key, note, None if column is None else where))
    number = 0
    numbered: list[NodeView] = []
    for node in nodes:
        views: list[NoteView] = []
        for _, note, column in sorted(placed.get(node.code, []), key=lambda p: p[0]):
            number += 1
            sender = sender_in_words(note.actor, note.actor_name, note.source_system)
            views.append(
                NoteView(number, note.note_id, note.table, column, note.line, note.text, sender)
            )
        numbered.append(dataclasses.replace(node, notes=tuple(views)) if views else node)
    return tuple(numbered)
