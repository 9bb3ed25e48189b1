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


def sheet(truth: Truth, layout: Layout) -> list[str | list[str]]:
    """The export, top to bottom: a line outside the table (a title, "" for a blank line) as
    text, a table row as its cells."""
    out: list[str | list[str]] = [layout.cover_title(), ""]
    for kind in KINDS:
        columns = len(layout.columns(kind))
        if not (layout.one_table or layout.table_title):
            out += [layout.list_title(kind), ""]
        out += [[printed.section, *[""] * (columns - 1)] if printed.section else printed.cells
                for printed in preamble_rows(layout, kind)]
        out += layout.header_cells(kind)
        out += [[printed.section, *[""] * (columns - 1)] if printed.section else printed.cells
                for printed in printed_rows(truth, layout, kind)]
        if not layout.one_table:
            out.append("")
    return out


def render(truth: Truth, layout: Layout) -> bytes:
    width = max(len(layout.columns(kind)) for kind in KINDS) if layout.one_table else 0
    lines = [entry if isinstance(entry, str) else
             "\t".join(_cell(c) for c in [*entry, *[""] * (width - len(entry))])
             for entry in sheet(truth, layout)]
    return "\n".join(lines).encode("utf-8")
