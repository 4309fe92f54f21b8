"""The plan page's headings and amount cells, the same markup its template's macros wrote:
written in Python, since a plan of hundreds of units has thousands of cells and a template
macro costs several times as much per call as a function."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

from services.reporting.reports.plan.view import Cell, Column, NodeView, NoteView
from services.reporting.reports.shared.formatting import format_tkr

_ROLLED_UP_HINT = '<small class="hint">summa av underliggande</small>'
_PROPOSED_HINT = '<small class="hint">förslag</small>'
_WITHHELD_HINT = '<small class="hint withheld">ej beslutat, visas inte</small>'


def _refs(numbers: Iterable[int]) -> str:
    return "".join(
        f'<sup class="note-ref"><a href="#not-{escape(n)}">{escape(n)}</a></sup>' for n in numbers
    )


def refs(numbers: Iterable[int]) -> Markup:
    """The marks of the table notes a heading or a figure carries."""
    return Markup(_refs(numbers))


def amount_cell(
    cell: Cell[Any] | None,
    amount: Decimal | None,
    withheld: bool = False,
    marks: Iterable[int] = (),
) -> Markup:
    """One amount in tkr with its notes' marks, marked where it is its children's sum; where
    the column has no figure, empty, or saying that a draft is not shown (``withheld``)."""
    return Markup(_amount_cell(cell, amount, withheld, marks))


def _amount_cell(
    cell: Cell[Any] | None, amount: Decimal | None, withheld: bool, marks: Iterable[int]
) -> str:
    rolled = " rolled-up" if cell is not None and cell.source == "rolled_up" else ""
    if cell is not None:
        assert amount is not None
        shown = f"{escape(format_tkr(amount))}{_refs(marks)}"
    elif withheld:
        shown = _WITHHELD_HINT
    else:
        shown = ""
    return f'<td class="num{rolled}">{shown}</td>\n'


def figure_cells(node: NodeView, line: str) -> Markup:
    """A line of the node's figures ("revenue", "costs" or "net"), column by column."""
    drafts = node.drafts_not_shown
    noted = bool(node.notes)
    return Markup(
        "".join(
            _amount_cell(
                cell,
                None if cell is None else getattr(cell.value, line),
                drafts[index] if drafts else False,
                node.note_marks("figures", index, line) if noted else (),
            )
            for index, cell in enumerate(node.figures)
        )
    )


def headings(
    columns: Sequence[Column],
    cells: Sequence[Cell[Any] | None],
    node: NodeView | None = None,
    table: str = "figures",
) -> Markup:
    """A table's head: each column's label, its notes' marks and whether its figure is the
    children's sum or a proposal; a whole table's note mark in the corner."""
    corner = _refs(node.note_marks(table, None)) if node is not None and table == "figures" else ""
    parts = [f"<thead>\n  <tr>\n    <td>{corner}</td>\n"]
    for index, column in enumerate(columns):
        cell = cells[index]
        marks = "" if node is None or not node.notes else _refs(node.note_marks(table, index))
        heading = f'    <th scope="col">{escape(column.label)}{marks}'
        if cell is not None and cell.source == "rolled_up":
            heading += _ROLLED_UP_HINT
        if cell is not None and cell.status == "proposed":
            heading += _PROPOSED_HINT
        parts.append(heading + "</th>\n")
    parts.append("  </tr>\n</thead>\n")
    return Markup("".join(parts))


def table_notes(notes: Sequence[NoteView]) -> Markup:
    """The notes of a table, numbered as their marks are, each with who sent it."""
    if not notes:
        return Markup("")
    items = "".join(
        f'  <li id="not-{escape(note.number)}" value="{escape(note.number)}">{escape(note.text)}'
        f' <span class="sender">({escape(note.sender)})</span></li>\n'
        for note in notes
    )
    return Markup(f'<ol class="table-notes">\n{items}</ol>\n')
