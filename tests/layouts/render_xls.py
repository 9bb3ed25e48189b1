"""A ``Truth`` printed as an old Excel .xls workbook (BIFF8, written with xlwt), laid out as
``render_xlsx`` lays out a .xlsx: one sheet per list or all in one, titles, merged header
cells, section rows and categories, steps on lines of their own in a cell. BIFF stores every
number as a float: serials read back as 1.0."""

from __future__ import annotations

import io

import xlwt

from tests.layouts.render_xlsx import print_workbook
from tests.layouts.sheet_quirks import Backend, QuirkySheet, SheetQuirks, front_sheets, sheet_names
from tests.layouts.truth import Layout, Truth

_WRAP = xlwt.easyxf("align: wrap on, vert centre")


class XlwtSheet:
    """``render_xlsx.print_list``'s writer over an xlwt sheet (rows and columns from 1)."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet

    def cell(self, row: int, column: int, value: object) -> None:
        if isinstance(value, str) and "\n" in value:
            self.sheet.write(row - 1, column - 1, value, _WRAP)
        else:
            self.sheet.write(row - 1, column - 1, value)

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        self.sheet.merge(top - 1, bottom - 1, left - 1, right - 1)


class XlwtBackend(Backend):
    """``sheet_quirks.QuirkySheet``'s writer over an xlwt sheet (no formulas, no rich text:
    xlwt saves no value a formula gives, and its rich text is not read back as text)."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet
        self.plain = XlwtSheet(sheet)

    def cell(self, row: int, column: int, value: object) -> None:
        self.plain.cell(row, column, value[1] if isinstance(value, tuple) else value)

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        self.plain.merge(top, left, bottom, right)

    def hide_row(self, row: int) -> None:
        self.sheet.row(row - 1).hidden = True

    def hide_column(self, column: int) -> None:
        self.sheet.col(column - 1).hidden = True

    def trailing(self, rows: int, columns: int, count: int) -> None:
        style = xlwt.easyxf("pattern: pattern solid, fore_colour white")
        for row in range(rows):
            for column in range(columns, columns + count):
                self.sheet.write(row, column, "", style)


def render(truth: Truth, layout: Layout, *, sheets: str = "per list",
           title_rows: bool = True, quirks: SheetQuirks | None = None) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    if quirks is None:
        print_workbook(lambda name: XlwtSheet(workbook.add_sheet(name, cell_overwrite_ok=True)),
                       truth, layout, sheets=sheets, title_rows=title_rows)
    else:
        written: list[QuirkySheet] = []
        if quirks.front_sheets:
            for name, lines in front_sheets(layout):
                front = workbook.add_sheet(name)
                for row, line in enumerate(lines):
                    front.write(row, 0, line)

        def new_sheet(name: str) -> QuirkySheet:
            sheet = workbook.add_sheet(sheet_names(quirks, name, len(written)),
                                       cell_overwrite_ok=True)
            written.append(QuirkySheet(XlwtBackend(sheet), quirks))
            return written[-1]

        print_workbook(new_sheet, truth, layout, sheets=sheets, title_rows=title_rows)
        for sheet in written:
            sheet.finish()
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
