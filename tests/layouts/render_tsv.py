"""A ``Truth`` printed as a tab-separated export, as a spreadsheet saves one: titles on lines of
their own, each list's header (one or two rows), section rows with their text in the first
cell, a merged category left empty below its first row. Cells holding a tab, a quote or a line
break are quoted. A layout's table quirks print as a spreadsheet holds them: a title, 填报单位
or 注 row in the first cell of a row of the table's width, blank rows as empty cells, the three
lists of ``one_table`` one after the other without a blank line (a row as wide as the widest
list)."""

from __future__ import annotations

from tests.layouts.truth import KINDS, Layout, Truth, preamble_rows, printed_rows


def _cell(text: str) -> str:
    if any(c in text for c in '\t"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def render(truth: Truth, layout: Layout) -> bytes:
    lines = [layout.cover_title(), ""]
    width = max(len(layout.columns(kind)) for kind in KINDS) if layout.one_table else 0

    def add(cells: list[str]) -> None:
        lines.append("\t".join(_cell(c) for c in [*cells, *[""] * (width - len(cells))]))

    for kind in KINDS:
        columns = len(layout.columns(kind))
        if not (layout.one_table or layout.table_title):
            lines += [layout.list_title(kind), ""]
        for printed in preamble_rows(layout, kind):
            add([printed.section, *[""] * (columns - 1)] if printed.section else printed.cells)
        for row in layout.header_cells(kind):
            add(row)
        for printed in printed_rows(truth, layout, kind):
            add([printed.section, *[""] * (columns - 1)] if printed.section else printed.cells)
        if not layout.one_table:
            lines.append("")
    return "\n".join(lines).encode("utf-8")
