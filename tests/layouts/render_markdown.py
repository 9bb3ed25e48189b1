"""A ``Truth`` as the markdown that PDF/Word-to-markdown converters write, in three styles:

- ``pipe`` (pandoc, marker): pipe tables, a line break inside a cell as ``<br>``, a ``|`` in
  text escaped, titles as ``#`` headings; one table a page, its header printed again on each
  (``page_rows`` body rows a page); a merged cell's text on its first row only, a section row's
  text in its first cell.
- ``spans`` (docling): as ``pipe``, but a merged cell's text repeated in every cell it covers:
  a section row's text across the table, a merged category down its run, a two-row header's
  group cell over each of its columns (the header's second row is then the table's first body
  row: a pipe table has a single header row).
- ``html`` (MinerU): each table as HTML inside the markdown (``<table><tr><td rowspan=…>``),
  titles as ``#`` headings; a merged category and the columns merged over rows
  (``Layout.merged_columns``) as ``rowspan``, in three lists printed as one table too.

The rows are those the tab-separated renderer prints (``render_tsv.sheet``), so every layout
and quirk prints here as there.
"""

from __future__ import annotations

import html

from tests.layouts import render_tsv
from tests.layouts.render_html import header_spans
from tests.layouts.truth import KINDS, Layout, Truth, preamble_rows, printed_rows

STYLES = ("pipe", "spans", "html")


def _pipe_cell(text: str) -> str:
    text = text.strip().replace("|", "\\|")
    return "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(_pipe_cell(c) for c in cells) + " |"


def _spread(cells: list[str]) -> list[str]:
    """A row as docling prints it: a section row's text in every cell."""
    if cells[0] and not any(cells[1:]) and len(cells) > 1:
        return [cells[0]] * len(cells)
    return cells


def _header_rows(layout: Layout, kind, style: str) -> list[list[str]]:
    rows = [list(row) for row in layout.header_cells(kind)]
    if style == "spans" and len(rows) == 2:
        top, low = rows
        group = ""
        for at, (up, down) in enumerate(zip(top, low, strict=True)):
            if not down:
                low[at], group = up, ""  # a cell over both rows: its text in both
            elif up:
                group = up
            else:
                top[at] = group
    return rows


def _pipe_table(rows: list[list[str]], width: int) -> list[str]:
    """A pipe table: its first row is the table's header row, as pipe tables have one."""
    padded = [[*row, *[""] * (width - len(row))] for row in rows]
    lines = [_pipe_row(padded[0]), "|" + "|".join(["---"] * width) + "|"]
    lines += [_pipe_row(row) for row in padded[1:]]
    return lines


def _list_rows(truth: Truth, layout: Layout, kind, style: str) -> tuple[
        list[list[str]], list[list[str]], list[list[str]]]:
    """(rows above the header, header rows, body rows) of one list as the style prints them."""
    columns = layout.columns(kind)

    def cells_of(printed) -> list[str]:
        cells = ([printed.section, *[""] * (len(columns) - 1)] if printed.section
                 else list(printed.cells))
        return _spread(cells) if style == "spans" else cells

    above = [cells_of(printed) for printed in preamble_rows(layout, kind)]
    body = [cells_of(printed) for printed in printed_rows(truth, layout, kind)]
    if style == "spans" and "category" in columns:
        at, run = columns.index("category"), ""
        for cells in body:
            if len(cells) > at and len(set(cells)) > 1:
                if cells[at]:
                    run = cells[at]
                elif run:
                    cells[at] = run
    return above, _header_rows(layout, kind, style), body


def _html_rows(truth: Truth, layout: Layout, kind) -> list[str]:
    """One list's rows (each ``<tr>``'s inner markup) as MinerU writes a table: one line, no
    markup in cells but ``<br>``, a two-row header's group, a section row and a cell across
    columns as ``colspan``, a merged category and any column merged over rows
    (``Layout.merged_columns``) as ``rowspan``."""
    columns = layout.columns(kind)
    width = len(columns)
    rows: list[str] = []

    def cell(text: str, span: str = "") -> str:
        lines = (html.escape(line, quote=False) for line in text.strip().split("\n"))
        return f"<td{span}>{'<br>'.join(lines)}</td>"

    for printed in preamble_rows(layout, kind):
        rows.append(cell(printed.section, f' colspan="{width}"') if printed.section
                    else "".join(cell(text) for text in printed.cells))
    for head in header_spans(layout, kind):
        rows.append("".join(cell(text, (f' rowspan="{down}"' if down > 1 else "")
                                 + (f' colspan="{across}"' if across > 1 else ""))
                            for text, down, across in head))
    for printed in printed_rows(truth, layout, kind):
        if printed.section:
            rows.append(cell(printed.section, f' colspan="{width}"'))
            continue
        cells = []
        beside = {c + k for c, n in printed.across.items() for k in range(1, n)}
        for column, text in enumerate(printed.cells):
            if column in printed.merged_from_above or column in beside:
                continue
            run = printed.runs.get(column, 1)  # a merged category's or merged column's run
            span = f' rowspan="{run}"' if run > 1 else ""
            if column in printed.across:
                span += f' colspan="{printed.across[column]}"'
            cells.append(cell(text, span))
        rows.append("".join(cells))
    return rows


def _html_table(rows: list[str]) -> str:
    return "<table>" + "".join(f"<tr>{row}</tr>" for row in rows) + "</table>"


def render(truth: Truth, layout: Layout, style: str = "pipe", page_rows: int = 7) -> bytes:
    out: list[str] = [f"# {layout.cover_title()}", ""]
    if layout.one_table and style == "html":  # three lists in one table, merges marked
        out.append(_html_table([row for kind in KINDS for row in _html_rows(truth, layout, kind)]))
        return ("\n".join(out) + "\n").encode("utf-8")
    if layout.one_table:  # three lists in one table: as the tab-separated export prints it
        entries = render_tsv.sheet(truth, layout)[2:]
        rows = [e for e in entries if isinstance(e, list)]
        out += _pipe_table(rows, max(len(r) for r in rows))
        return ("\n".join(out) + "\n").encode("utf-8")
    for kind in KINDS:
        if not layout.table_title:
            out += [f"## {layout.list_title(kind)}", ""]
        if style == "html":
            out += [_html_table(_html_rows(truth, layout, kind)), ""]
            continue
        above, head, body = _list_rows(truth, layout, kind, style)
        width = len(layout.columns(kind))
        pages = [body[at:at + page_rows] for at in range(0, len(body), page_rows)] or [[]]
        for number, page in enumerate(pages):
            # a table's first row is the pipe table's header: the title or 填报单位 row where
            # the table starts with one, else the column header
            out += _pipe_table([*(above if number == 0 else []), *head, *page], width)
            out.append("")
    return ("\n".join(out) + "\n").encode("utf-8")
