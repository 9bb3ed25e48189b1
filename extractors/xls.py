"""Old Excel ``.xls`` (BIFF, Excel 97–2003) through xlrd: the same reading as ``.xlsx``.

Every visible sheet is a new page, a sheet named as a list opens it, one-cell rows above the
first table are text, merged cells stand in their top-left position with None in the others
(xlrd reports merges only with ``formatting_info=True``), and values print as the sheet shows
them (numbers are all floats in BIFF: 1.0 prints ``1``; dates are serials, printed as ISO
dates). See ``lvzhi.extractors.xlsx`` for the details both share.

Files named .xls that are no BIFF workbook are common: a web page or a tab-separated export an
online system saved as ``.xls``, or a .xlsx renamed. A .xlsx is read as one; the others get a
one-line error saying what they are.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial
from pathlib import Path

from lvzhi.extractor import ExtractionError, Extractor
from lvzhi.extractors._office import (
    OLE2_MAGIC,
    ZIP_MAGIC,
    SheetRow,
    covered_positions,
    damaged,
    read_sheets,
    sheet_row,
    value_text,
)
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument


def _value(sheet, row: int, column: int, datemode: int) -> object:
    import xlrd

    cell = sheet.cell(row, column)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return cell.value


def sheet_rows(sheet, datemode: int) -> list[SheetRow]:
    """The rows of a sheet, covered positions of merged cells None (see ``SheetRow``)."""
    rows, columns = sheet.nrows, sheet.ncols
    # xlrd gives merges as half-open (row low, row high, column low, column high), 0-based.
    covered = covered_positions(((top + 1, left + 1, bottom, right)
                                 for top, bottom, left, right in sheet.merged_cells),
                                rows, columns)
    def text(row: int) -> Callable[[int], str]:
        return lambda column: value_text(_value(sheet, row, column, datemode))

    # the values handed over are the columns' indexes: each cell is read only if not covered
    return [sheet_row(row + 1, range(columns), covered, text(row)) for row in range(rows)]


def _what_it_is(head: bytes) -> str:
    """What a file named .xls that is no BIFF workbook holds, from its first bytes."""
    lower = head.lower()
    if b"<html" in lower or b"<table" in lower or b"<!doctype" in lower:
        return ("a web page (HTML) saved with a .xls name: open it in Excel and save it as "
                ".xlsx")
    if b"\t" in head:
        return "text saved with a .xls name (a tab-separated export?): rename it .txt"
    return "neither a binary workbook nor a web page"


def _open(path: Path):
    import xlrd

    with path.open("rb") as handle:
        head = handle.read(512)
    if not head:
        raise ExtractionError("the file is empty")
    if not head.startswith(OLE2_MAGIC):
        raise ExtractionError(f"not an Excel .xls file: it is {_what_it_is(head)}")
    try:
        # xlrd prints oddities of a file (no CODEPAGE record …) on its log: not on our stdout
        return xlrd.open_workbook(str(path), formatting_info=True, logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise ExtractionError("the workbook is password-protected or encrypted: open it, "
                                  "remove the password and save it again") from exc
        raise damaged(path, exc) from exc
    except Exception as exc:  # xlrd reports damaged BIFF with assertion, struct, index errors
        raise damaged(path, exc) from exc


def read_xls(path: Path) -> ExtractedDocument:
    book = _open(path)
    try:
        return read_sheets((sheet.name, sheet.visibility == 0,
                            partial(sheet_rows, sheet, book.datemode))
                           for sheet in book.sheets())
    finally:
        book.release_resources()


class XlsExtractor(Extractor):
    name = "xls"
    version = "1.0"
    description = "old Excel .xls (Excel 97–2003): every visible sheet, merged cells"
    extensions = (".xls",)

    def sniff(self, path: Path, head: bytes) -> float:
        if path.suffix.lower() not in self.extensions:
            return 0.0
        if head.startswith(OLE2_MAGIC):
            return 0.95
        # A .xlsx renamed: read; anything else claimed weakly, to say what it is.
        return 0.9 if head.startswith(ZIP_MAGIC) else 0.2

    def extract(self, path: Path) -> ExtractedDocument:
        with path.open("rb") as handle:
            head = handle.read(len(ZIP_MAGIC))
        if head == ZIP_MAGIC:
            from lvzhi.extractors.xlsx import XlsxExtractor

            return XlsxExtractor().extract(path)
        return read_xls(path)


@hookimpl
def register_extractors(register):
    register(XlsExtractor())
