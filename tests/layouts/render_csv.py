"""A ``Truth`` saved as CSV by a spreadsheet ("Save as CSV"): the rows ``render_tsv`` prints
(``render_tsv.sheet``), every row padded to the sheet's width (a spreadsheet writes the used
range), cells quoted where they hold a comma, a quote or a line break; UTF-8 with a byte-order
mark (Excel's "CSV UTF-8") or GBK (what Excel on a Chinese Windows writes for plain "CSV")."""

from __future__ import annotations

import csv
import io

from tests.layouts import render_tsv
from tests.layouts.truth import Layout, Truth


def render(truth: Truth, layout: Layout, encoding: str = "utf-8-sig") -> bytes:
    rows = [([entry] if entry else []) if isinstance(entry, str) else entry
            for entry in render_tsv.sheet(truth, layout)]
    width = max(len(row) for row in rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [*row, *[""] * (width - len(row))] for row in rows)
    text = out.getvalue()
    if encoding == "gbk":  # GBK has no no-break space: Windows writes a space (best fit)
        text = text.replace("\xa0", " ")
    return text.encode(encoding)
