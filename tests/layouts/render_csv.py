"""A ``Truth`` saved as CSV by a spreadsheet ("Save as CSV"): the rows ``render_tsv`` prints,
every row padded to the sheet's width (a spreadsheet writes the used range), cells quoted where
they hold a comma, a quote or a line break; UTF-8 with a byte-order mark (Excel's "CSV UTF-8")
or GBK (what Excel on a Chinese Windows writes for plain "CSV")."""

from __future__ import annotations

import csv
import io

from tests.layouts.truth import KINDS, Layout, Truth, preamble_rows, printed_rows


def render(truth: Truth, layout: Layout, encoding: str = "utf-8-sig") -> bytes:
    rows: list[list[str]] = [[layout.cover_title()], []]
    for kind in KINDS:
        columns = len(layout.columns(kind))
        if not (layout.one_table or layout.table_title):
            rows += [[layout.list_title(kind)], []]
        for printed in preamble_rows(layout, kind):
            rows.append([printed.section, *[""] * (columns - 1)] if printed.section
                        else printed.cells)
        rows += layout.header_cells(kind)
        for printed in printed_rows(truth, layout, kind):
            rows.append([printed.section, *[""] * (columns - 1)] if printed.section
                        else printed.cells)
        if not layout.one_table:
            rows.append([])
    width = max(len(row) for row in rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [*row, *[""] * (width - len(row))] for row in rows)
    text = out.getvalue()
    if encoding == "gbk":  # GBK has no no-break space: Windows writes a space (best fit)
        text = text.replace("\xa0", " ")
    return text.encode(encoding)
