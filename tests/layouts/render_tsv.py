"""A ``Truth`` printed as a tab-separated export, as a spreadsheet saves one: titles on lines of
their own, each list's header (one or two rows), section rows with their text in the first
cell, a merged category left empty below its first row. Cells holding a tab, a quote or a line
break are quoted."""

from __future__ import annotations

from tests.layouts.truth import KINDS, Layout, Truth, printed_rows


def _cell(text: str) -> str:
    if any(c in text for c in '\t"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def render(truth: Truth, layout: Layout) -> bytes:
    lines = [layout.cover_title(), ""]
    for kind in KINDS:
        width = len(layout.columns(kind))
        lines += [layout.list_title(kind), ""]
        lines += ["\t".join(_cell(c) for c in row) for row in layout.header_cells(kind)]
        for printed in printed_rows(truth, layout, kind):
            cells = [printed.section, *[""] * (width - 1)] if printed.section else printed.cells
            lines.append("\t".join(_cell(c) for c in cells))
        lines.append("")
    return "\n".join(lines).encode("utf-8")
