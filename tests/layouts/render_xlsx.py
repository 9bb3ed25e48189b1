"""A ``Truth`` printed as an Excel .xlsx workbook, as a county office fills one in.

``sheets="per list"`` (the default): one sheet per list, named after the list
(``基本履职事项清单`` …), the cover title on top of the first sheet, each list's title in a row
merged across its table (``title_rows=False``: no title row, the sheet's name says which list
it is). ``sheets="one"``: every list in one sheet, one after the other, a blank row between.
Header rows are merged as ``Layout.header_cells`` says (a column's top cell down over both rows,
a group cell across its columns); a section row is one cell across the table; a merged
category one cell down over its run. Serials are numbers (odd ones stored as floats ``1.0``, as
spreadsheets often hold them), and duty cells put each step on its own line (``\\n`` in the
cell) where the text runs ``；2.`` on without a space: a reader joins the lines with nothing.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from tests.layouts.render_docx import STEP_BOUNDARY, steps_of
from tests.layouts.sheet_quirks import (
    Backend,
    QuirkySheet,
    SheetQuirks,
    front_sheets,
    sheet_names,
)
from tests.layouts.truth import KINDS, LIST_WORDS, Layout, Truth, preamble_rows, printed_rows

_DUTY_COLUMNS = ("upper_duties", "township_duties", "receiver", "receiver_method")
_WRAP = Alignment(wrap_text=True, vertical="center")


def sheet_name(layout: Layout, kind) -> str:
    words = LIST_WORDS[kind]
    return words[layout.list_words[KINDS.index(kind)] % len(words)]


def _value(column: str, text: str) -> object:
    if column == "serial" and text.isdigit():
        serial = int(text)
        return float(serial) if serial % 2 else serial
    if column == "serial" and text.endswith(".0") and text[:-2].isdigit():
        return float(text)
    if column in _DUTY_COLUMNS and STEP_BOUNDARY.search(text):
        return "\n".join(steps_of(text))
    return text


class OpenpyxlSheet:
    """What ``print_list`` writes to: cells and merges, rows and columns from 1."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet

    def cell(self, row: int, column: int, value: object) -> None:
        cell = self.sheet.cell(row, column, value)
        if isinstance(value, str) and "\n" in value:
            cell.alignment = _WRAP

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        self.sheet.merge_cells(start_row=top, start_column=left, end_row=bottom,
                               end_column=right)


def print_list(sheet, top: int, truth: Truth, layout: Layout, kind, *, title: bool) -> int:
    """Print one list from row ``top`` of ``sheet`` (``OpenpyxlSheet`` or any object with its
    two methods); return the row after it."""
    columns = layout.columns(kind)
    width = len(columns)
    row = top
    preamble = preamble_rows(layout, kind)
    if title and not preamble:
        sheet.cell(row, 1, layout.list_title(kind))
        sheet.merge(row, 1, row, width)
        row += 1
    for line in preamble:
        if line.section:
            sheet.cell(row, 1, line.section)
            sheet.merge(row, 1, row, width)
        for at, text in enumerate(line.cells, start=1):
            if text:
                sheet.cell(row, at, text)
        row += 1
    header = layout.header_cells(kind)
    for texts in header:
        for at, text in enumerate(texts, start=1):
            if text:
                sheet.cell(row, at, text)
        row += 1
    if len(header) == 2:
        upper, lower = header
        first = row - 2
        for at, (up, low) in enumerate(zip(upper, lower, strict=True), start=1):
            if up and not low:
                sheet.merge(first, at, first + 1, at)
            elif up and low:
                span = 1
                while at - 1 + span < width and not upper[at - 1 + span] and lower[at - 1 + span]:
                    span += 1
                if span > 1:
                    sheet.merge(first, at, first, at + span - 1)
    printed = printed_rows(truth, layout, kind)
    for line in printed:
        if line.section:
            sheet.cell(row, 1, line.section)
            sheet.merge(row, 1, row, width)
            row += 1
            continue
        for at, (column, text) in enumerate(zip(columns, line.cells, strict=True), start=1):
            if at - 1 in line.merged_from_above:
                continue
            if text:
                sheet.cell(row, at, _value(column, text))
        for at, run in line.runs.items():  # merged categories, ``Layout.merged_columns``
            if run > 1:
                sheet.merge(row, at + 1, row + run - 1, at + 1)
        for at, span in line.across.items():  # ``Layout.receiver_across``
            sheet.merge(row, at + 1, row, at + span)
        row += 1
    return row


def print_workbook(new_sheet, truth: Truth, layout: Layout, *, sheets: str,
                   title_rows: bool) -> None:
    """The lists in sheets made by ``new_sheet(name)`` (see ``render``)."""
    if sheets == "one" or layout.one_table:
        sheet = new_sheet("履职事项清单")
        sheet.cell(1, 1, layout.cover_title())
        row = 3
        for kind in KINDS:  # one table: no blank row between the lists
            row = print_list(sheet, row, truth, layout, kind, title=True) + (
                0 if layout.one_table else 1)
        return
    for number, kind in enumerate(KINDS):
        sheet = new_sheet(sheet_name(layout, kind))
        top = 1
        if number == 0:
            sheet.cell(1, 1, layout.cover_title())
            top = 3
        print_list(sheet, top, truth, layout, kind, title=title_rows)


class OpenpyxlBackend(Backend):
    """``sheet_quirks.QuirkySheet``'s writer over an openpyxl sheet."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet
        self.plain = OpenpyxlSheet(sheet)

    def cell(self, row: int, column: int, value: object) -> None:
        if isinstance(value, tuple):  # ("text", "1"): text typed after an apostrophe
            self.sheet.cell(row, column, value[1]).quotePrefix = True
            return
        self.plain.cell(row, column, value)

    def rich(self, row: int, column: int, text: str) -> None:
        cut = len(text) // 3
        value = CellRichText([TextBlock(InlineFont(b=True, rFont="黑体"), text[:cut]),
                              text[cut:]])
        self.sheet.cell(row, column, value).alignment = _WRAP

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        self.plain.merge(top, left, bottom, right)

    def hide_row(self, row: int) -> None:
        self.sheet.row_dimensions[row].hidden = True

    def hide_column(self, column: int) -> None:
        self.sheet.column_dimensions[get_column_letter(column)].hidden = True

    def trailing(self, rows: int, columns: int, count: int) -> None:
        fill = PatternFill("solid", fgColor="FFFFFF")
        for row in range(1, rows + 1):
            for column in range(columns + 1, columns + count + 1):
                self.sheet.cell(row, column).fill = fill

    def furniture(self, rows: int, columns: int, first: int) -> None:
        self.sheet.auto_filter.ref = f"A{first}:{get_column_letter(columns)}{rows}"
        self.sheet.freeze_panes = f"A{first + 1}"
        self.sheet.print_title_rows = f"{first}:{first}"

    def filter(self, column: int, hidden: list[int]) -> None:
        first = int("".join(filter(str.isdigit, self.sheet.auto_filter.ref.split(":")[0])))
        self.sheet.auto_filter.add_filter_column(column - 1, ["（筛选）"])
        for row in hidden:
            if row > first:
                self.sheet.row_dimensions[row].hidden = True


def render(truth: Truth, layout: Layout, *, sheets: str = "per list",
           title_rows: bool = True, quirks: SheetQuirks | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    if quirks is None:
        print_workbook(lambda name: OpenpyxlSheet(workbook.create_sheet(name)), truth, layout,
                       sheets=sheets, title_rows=title_rows)
    else:
        written: list[QuirkySheet] = []
        if quirks.front_sheets:
            for name, lines in front_sheets(layout):
                front = workbook.create_sheet(name)
                for row, line in enumerate(lines, start=1):
                    front.cell(row, 1, line)

        def new_sheet(name: str) -> QuirkySheet:
            title = sheet_names(quirks, name, len(written))
            written.append(QuirkySheet(OpenpyxlBackend(workbook.create_sheet(title)), quirks))
            return written[-1]

        print_workbook(new_sheet, truth, layout, sheets=sheets, title_rows=title_rows)
        for sheet in written:
            sheet.finish()
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
