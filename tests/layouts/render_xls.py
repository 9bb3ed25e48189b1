"""A ``Truth`` printed as an old Excel .xls workbook (BIFF8, written with xlwt), laid out as
``render_xlsx`` lays out a .xlsx: one sheet per list or all in one, titles, merged header
cells, section rows and categories, steps on lines of their own in a cell. BIFF stores every
number as a float: serials read back as 1.0."""

from __future__ import annotations

import io

import xlwt

from tests.layouts.render_xlsx import print_workbook
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


def render(truth: Truth, layout: Layout, *, sheets: str = "per list",
           title_rows: bool = True) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    print_workbook(lambda name: XlwtSheet(workbook.add_sheet(name, cell_overwrite_ok=True)),
                   truth, layout, sheets=sheets, title_rows=title_rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
