"""A DataTable for short lists of results (counterparts, compare): rows, j/k, enter opens.

Only for lists of at most a few thousand rows; the items table is the virtual one.
"""

from __future__ import annotations

from textual.widgets import DataTable

from lvzhi.tui.actions import bindings


class ResultTable(DataTable[object]):
    BINDINGS = bindings("results")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)


class ItemResultTable(DataTable[object]):
    """A result table of single items, no pairs to mark the same or different (department
    rows, audit findings): enter opens the row, j/k move."""

    BINDINGS = bindings("results", without=("screen.mark_same", "screen.mark_different"))

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
