"""Excel ``.xlsx`` / ``.xlsm`` through openpyxl: every visible sheet, row by row, merges expanded.

Counties fill their lists in one sheet per list (the sheet often named after the list:
``基本履职事项清单``, ``配合履职事项``) or all lists one after the other in one sheet. Each
visible sheet starts a new page for the assembler; a sheet named as a list opens that list, so
a sheet without a title row still reads; rows above a sheet's first table that print one cell
(the cover title, a 说明 preface) are text; every row from there on is a table row.

Merged cells: the merged cell's value stands in its top-left position, every other position it
covers is None (a vertically merged category, a section row ``一、党的建设`` across the table,
a two-row header's group cell). openpyxl knows merges only when it loads a workbook normally
(read-only mode does not read ``<mergeCells>``); a normal load of a 300-row workbook takes well
under 0.1 s, so the reader loads normally rather than parse the sheet XML a second time.

Values: cached results of formulas (``data_only``), text with its in-cell line breaks joined
with nothing (``_x000D_`` escapes of carriage returns included), whole numbers without ``.0``
(serials stored as 1.0 print ``1``), dates as ISO dates. Hidden sheets are not read (a
warning names them). ``line`` is the sheet's row number and ``page`` the sheet's position in
the workbook (1 = first sheet).

A workbook saved in the old binary format but named .xlsx is read as one (``lvzhi.extractors.xls``).
"""

from __future__ import annotations

import re
import warnings
from functools import partial
from pathlib import Path

from lvzhi.extractor import Extractor
from lvzhi.extractors._office import (
    OLE2_MAGIC,
    ZIP_MAGIC,
    SheetRow,
    check_package,
    covered_positions,
    damaged,
    is_encrypted_ole2,
    read_sheets,
    sheet_row,
    value_text,
)
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument

# OOXML writes characters XML cannot hold as _xHHHH_ (a carriage return pasted into a cell is
# _x000D_); openpyxl leaves the escape in the text.
_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(value: object) -> object:
    if isinstance(value, str) and "_x" in value:
        return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value


def sheet_rows(sheet) -> list[SheetRow]:
    """The rows of a worksheet, covered positions of merged cells None (see ``SheetRow``)."""
    rows, columns = sheet.max_row, sheet.max_column
    covered = covered_positions(((r.min_row, r.min_col, r.max_row, r.max_col)
                                 for r in sheet.merged_cells.ranges), rows, columns)
    return [sheet_row(number, values, covered, lambda value: value_text(_unescape(value)))
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True),
                                            start=1)]


def read_workbook(path: Path) -> ExtractedDocument:
    import openpyxl

    try:
        # A file object, not the path: openpyxl refuses a path not named .xlsx/.xlsm (a .xlsx
        # renamed .xls, a file the legacy reader converted).
        with path.open("rb") as handle, warnings.catch_warnings():
            # openpyxl warns about parts it skips (data validation extensions, no default
            # style …) on stderr: nothing a user of lvzhi can act on
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(handle, data_only=True)
    except OSError:
        raise
    except Exception as exc:  # a damaged package: zip, XML, or openpyxl's own errors
        raise damaged(path, exc) from exc
    try:
        return read_sheets((sheet.title, sheet.sheet_state == "visible",
                            partial(sheet_rows, sheet)) for sheet in workbook.worksheets)
    finally:
        workbook.close()


class XlsxExtractor(Extractor):
    name = "xlsx"
    version = "1.0"
    description = "Excel .xlsx/.xlsm: every visible sheet, merged cells, in-cell line breaks"
    extensions = (".xlsx", ".xlsm")

    def sniff(self, path: Path, head: bytes) -> float:
        if path.suffix.lower() not in self.extensions:
            return 0.0
        if head.startswith(ZIP_MAGIC):
            return 0.95
        # An encrypted package, or an old .xls named .xlsx: both OLE2 files.
        return 0.6 if head.startswith(OLE2_MAGIC) else 0.3

    def extract(self, path: Path) -> ExtractedDocument:
        with path.open("rb") as handle:
            head = handle.read(len(OLE2_MAGIC))
        if head == OLE2_MAGIC and not is_encrypted_ole2(path):
            from lvzhi.extractors.xls import read_xls

            return read_xls(path)
        check_package(path, "xl", "an Excel .xlsx file")
        return read_workbook(path)


@hookimpl
def register_extractors(register):
    register(XlsxExtractor())
