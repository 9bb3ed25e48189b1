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
(serials stored as 1.0 print ``1``), dates as ISO dates. A formula saved without its value (a
program that does not calculate wrote the file) is worked out if it is a numbering formula
(``=ROW()-2``, ``=A5+1``: ``lvzhi.extractors._formulas``, from a second, read-only load made
only when a sheet holds formulas); any other is text the reading cannot place, so the
extraction is not trusted.

What is hidden is not read, as Excel neither shows nor prints it: hidden sheets, hidden rows
(an old row kept hidden) and hidden columns (a helper column); a warning names those that
held text. Rows an autofilter hides (its range holds filter criteria) are read: a filter is a
view of the list, not an edit (a warning says so; a row hidden by hand inside that range
cannot be told from them, and a stray row read there breaks the serials, which the report
flags). ``line`` is the sheet's row number and ``page`` the sheet's
position in the workbook (1 = first sheet).

A sheet formatted far beyond its table (borders or a fill drawn to column Z or row 2000 write
an empty cell each) is loaded without those cells: openpyxl would build an object for each.

A workbook saved in the old binary format but named .xlsx is read as one (``lvzhi.extractors.xls``).
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from contextlib import nullcontext
from functools import partial
from pathlib import Path

from lvzhi.extractor import Extractor
from lvzhi.extractors._formulas import Unsupported, evaluate
from lvzhi.extractors._office import (
    OLE2_MAGIC,
    ZIP_MAGIC,
    SheetGrid,
    check_package,
    damaged,
    is_encrypted_ole2,
    read_sheets,
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


def _hidden_columns(sheet) -> set[int]:
    hidden: set[int] = set()
    for dimension in sheet.column_dimensions.values():
        if dimension.hidden and dimension.min and dimension.max:
            # a hidden range over the sheet's end (to XFD) matters only where cells are
            hidden.update(range(dimension.min, min(dimension.max, sheet.max_column) + 1))
    return hidden


def sheet_grid(sheet, formulas=None) -> SheetGrid:
    """A worksheet's cells as shown, its merges and what is hidden; ``formulas``: the same
    sheet loaded with its formulas, to work out those saved without a value."""
    values = [list(row) for row in sheet.iter_rows(min_row=1, values_only=True)]
    unknown: list[tuple[int, str]] = []
    if formulas is not None:
        unknown = _work_out(values, formulas)
    hidden = {number for number, dimension in sheet.row_dimensions.items() if dimension.hidden}
    filtered = _filtered(sheet, hidden)
    notes = [f"rows {', '.join(map(str, sorted(filtered)[:5]))}{'…' if len(filtered) > 5 else ''}"
             " hidden by a filter read (a filter is a view of the list)"] if filtered else []
    return SheetGrid(
        [[value_text(_unescape(value)) for value in row] for row in values],
        [(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges],
        hidden - filtered, _hidden_columns(sheet), unknown, notes)


def _filtered(sheet, hidden: set[int]) -> set[int]:
    """Hidden rows under an autofilter that filters (its range below its header row): the
    filter hid them from a view of the list, they are no leftovers."""
    from openpyxl.utils.cell import range_boundaries

    autofilter = sheet.auto_filter
    if not autofilter.ref or not autofilter.filterColumn:
        return set()
    try:
        _, top, _, bottom = range_boundaries(autofilter.ref)
    except (TypeError, ValueError):
        return set()
    return {row for row in hidden if top < row <= (bottom or top)}


def _work_out(values: list[list[object]], sheet) -> list[tuple[int, str]]:
    """Formulas saved without a value worked out in ``values`` (in place); (row, formula) of
    those that cannot be."""
    texts: dict[tuple[int, int], str] = {}
    for number, row in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        for column, value in enumerate(row, start=1):
            if (isinstance(value, str) and value.startswith("=") and number <= len(values)
                    and column <= len(values[number - 1])
                    and values[number - 1][column - 1] is None):
                texts[(number, column)] = value
    unknown: list[tuple[int, str]] = []
    busy: set[tuple[int, int]] = set()

    def lookup(row: int, column: int) -> object:
        if (row, column) in texts and (row, column) not in busy:
            busy.add((row, column))  # a formula referring to itself: unsupported
            try:
                values[row - 1][column - 1] = value = evaluate(texts.pop((row, column)), row,
                                                               column, lookup)
            finally:
                busy.discard((row, column))
            return value
        if (row, column) in busy:
            raise Unsupported("circular reference")
        if row <= len(values) and column <= len(values[row - 1]):
            return values[row - 1][column - 1]
        return None

    while texts:
        (row, column), formula = next(iter(texts.items()))
        try:
            lookup(row, column)
        except (Unsupported, RecursionError):
            texts.pop((row, column), None)
            unknown.append((row, formula))
    return unknown


_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[ >/]")
# A cell with a style and nothing else (borders or a fill drawn far beyond the table).
_EMPTY_CELL_RE = re.compile(rb"<((?:\w+:)?)c(?: (?:r|s|t)=\"[^\"]*\")*(?:/>|></\1c>)")
# Empty cells beyond this many are taken out before openpyxl builds an object for each.
_MANY_EMPTY = 5_000


def _package(path: Path) -> tuple[Path | io.BytesIO, bool]:
    """What openpyxl is to load (the file, or a copy without its empty formatted cells when
    a sheet is formatted far beyond its table: openpyxl would build each, seconds for a range
    bordered to column Z or row 2000) and whether any worksheet holds a formula."""
    with zipfile.ZipFile(path) as package:
        sheets = {name: package.read(name) for name in package.namelist()
                  if name.startswith("xl/worksheets/") and name.endswith(".xml")}
        formulas = any(_FORMULA_RE.search(data) for data in sheets.values())
        if sum(len(_EMPTY_CELL_RE.findall(data)) for data in sheets.values()) <= _MANY_EMPTY:
            return path, formulas
        slim = io.BytesIO()
        with zipfile.ZipFile(slim, "w", zipfile.ZIP_STORED) as copy:
            for info in package.infolist():
                data = sheets.get(info.filename)
                copy.writestr(info.filename, package.read(info) if data is None
                              else _EMPTY_CELL_RE.sub(b"", data))
    return slim, formulas


def _load(source: Path | io.BytesIO, *, data_only: bool, read_only: bool = False):
    import openpyxl

    if read_only and isinstance(source, Path):  # it reads from the file until closed
        source = io.BytesIO(source.read_bytes())
    # A file object, not the path: openpyxl refuses a path not named .xlsx/.xlsm (a .xlsx
    # renamed .xls, a file the legacy reader converted).
    with (source.open("rb") if isinstance(source, Path) else nullcontext(source)) as handle, \
            warnings.catch_warnings():
        # openpyxl warns about parts it skips (data validation extensions, no default
        # style …) on stderr: nothing a user of lvzhi can act on
        warnings.simplefilter("ignore")
        handle.seek(0)
        return openpyxl.load_workbook(handle, data_only=data_only, read_only=read_only)


def read_workbook(path: Path) -> ExtractedDocument:
    try:
        source, has_formulas = _package(path)
        workbook = _load(source, data_only=True)
        # Formulas a program saved without their value: the formulas themselves, to work out
        # (cells only, no merges: read-only, which reads rows as they stream)
        formulas = _load(source, data_only=False, read_only=True) if has_formulas else None
    except OSError:
        raise
    except Exception as exc:  # a damaged package: zip, XML, or openpyxl's own errors
        raise damaged(path, exc) from exc
    try:
        return read_sheets((sheet.title, sheet.sheet_state == "visible",
                            partial(sheet_grid, sheet,
                                    formulas.worksheets[at] if formulas else None))
                           for at, sheet in enumerate(workbook.worksheets))
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()


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
