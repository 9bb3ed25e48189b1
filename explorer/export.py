"""Items written out with every field: JSON, JSON lines, CSV or an Excel workbook.

Rows are written to the stream one by one (JSON lines, CSV and xlsx never hold the whole
export in memory: openpyxl's write-only mode streams each sheet); a file is written whole or
not at all.
"""

from __future__ import annotations

import csv
import errno
import io
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, TypeVar

import orjson

from lvzhi.model import Item, ListKind
from lvzhi.store import atomic_file, write_atomic
from lvzhi.text import safe_cell, safe_display

T = TypeVar("T")
FORMATS = ("jsonl", "csv", "json", "xlsx")
EXPORT_FIELDS = ("id", "doc_id", "source", "prefecture", "county", "township", "list",
                 "serial", "category", "category_canonical", "name", "departments",
                 "department_names", "upper_duties", "township_duties", "receiver",
                 "receiver_department", "receiver_method", "extra", "span", "warnings")
_LINES = ("upper_duties", "township_duties", "warnings")
_JSON_CELLS = ("span", "extra")


def _raw_cell(value: object) -> object:
    return value


def _csv_row(row: dict[str, Any], cell: Any) -> list[object]:
    return [cell("\n".join(row[f]) if f in _LINES
                 else "、".join(row[f]) if f == "department_names"
                 else orjson.dumps(row[f]).decode() if f in _JSON_CELLS else row[f])
            for f in EXPORT_FIELDS]


def write_items(items: Iterable[Item], fmt: str, out: IO[bytes],
                raw_cells: bool = False) -> int:
    """Write ``items`` to ``out`` as ``fmt`` (json, jsonl, csv), one at a time; returns how
    many. CSV cells a spreadsheet would run as a formula get a ``'`` first unless
    ``raw_cells`` (for programs, not people); CSV starts with a BOM (Excel reads Chinese)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use {', '.join(FORMATS)}")
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(EXPORT_FIELDS)
        cell = _raw_cell if raw_cells else safe_cell
        for item in items:
            writer.writerow(_csv_row(item.to_dict(), cell))
            count += 1
        text.flush()
        text.detach()
        return count
    if fmt == "xlsx":
        return write_xlsx(items, out)
    if fmt == "jsonl":
        for item in items:
            out.write(orjson.dumps(item.to_dict()) + b"\n")
            count += 1
        return count
    out.write(b"[")
    for item in items:
        body = orjson.dumps(item.to_dict(), option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  ")
        out.write((b",\n  " if count else b"\n  ") + body)
        count += 1
    out.write(b"\n]\n" if count else b"]\n")
    return count


XLSX_WIDTHS = {"name": 48, "upper_duties": 48, "township_duties": 48, "departments": 24,
               "receiver": 24, "category": 14, "township": 12, "county": 10, "prefecture": 10}


def xlsx_text_cell(sheet: Any, value: object, font: Any = None) -> Any:
    """A cell of a write-only sheet holding ``value`` as written: text stays text (a cell
    reading ``=HYPERLINK(…)`` is never a formula), characters XML cannot hold (ESC, NUL)
    are shown as their symbols (␛), one for one; wrapped, top-aligned."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = "" if value is None else value
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub(lambda m: safe_display(m.group()), value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with = (no formula ever runs)
    cell.alignment = _wrap()
    if font is not None:
        cell.font = font
    return cell


@lru_cache(maxsize=1)
def _wrap() -> Any:
    """The one wrapped alignment every cell shares (openpyxl is imported only by an xlsx
    export)."""
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top")


def _start_sheet(book: Any, title: str, header: Iterable[str],
                 widths: Iterable[float]) -> Any:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    bold = Font(bold=True)
    sheet.append([xlsx_text_cell(sheet, name, bold) for name in header])
    return sheet


def write_grid_xlsx(out: IO[bytes], title: str, header: list[str],
                    rows: Iterable[Iterable[object]], widths: list[float]) -> int:
    """One sheet: ``header`` frozen with an autofilter, then ``rows``, streamed; as
    ``write_xlsx`` writes cells. Returns how many rows."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = _start_sheet(book, title, header, widths)
    count = 0
    for row in rows:
        sheet.append([xlsx_text_cell(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(header)))}{count + 1}"
    book.save(out)
    return count


def write_xlsx(items: Iterable[Item], out: IO[bytes]) -> int:
    """One sheet a list (基本, 配合, 收回, in the order met), a frozen header with an
    autofilter, wrapped text; streamed (openpyxl write-only). Cells as ``xlsx_text_cell``
    writes them."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheets: dict[str, Any] = {}
    rows_in: dict[str, int] = {}
    last = get_column_letter(len(EXPORT_FIELDS))
    widths = [XLSX_WIDTHS.get(name, 9) for name in EXPORT_FIELDS]
    count = 0
    for item in items:
        kind = str(item.list)
        sheet = sheets.get(kind)
        if sheet is None:
            sheet = sheets[kind] = _start_sheet(book, ListKind(kind).label, EXPORT_FIELDS,
                                                widths)
            rows_in[kind] = 1
        sheet.append([xlsx_text_cell(sheet, value)
                      for value in _csv_row(item.to_dict(), _raw_cell)])
        rows_in[kind] += 1
        count += 1
    if not sheets:
        book.create_sheet("空")
    for kind, sheet in sheets.items():
        sheet.auto_filter.ref = f"A1:{last}{rows_in[kind]}"
    book.save(out)
    return count


def export_items(items: Iterable[Item], fmt: str, raw_cells: bool = False) -> bytes:
    """Items as JSON, JSON lines (exact) or CSV, in memory (see ``write_items``)."""
    buffer = io.BytesIO()
    write_items(items, fmt, buffer, raw_cells=raw_cells)
    return buffer.getvalue()


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    if not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"no such folder {path.parent}", str(path))


def _new_file_mode(path: Path) -> None:
    """The temporary was private (0600): give a new file the mode a new file gets."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def write_output(path: Path, payload: bytes) -> None:
    """Write an export whole or not at all: to a temporary beside ``path``, renamed over it
    (a full disk or an interrupted write leaves the old file, or none, never a truncated one).
    Raises OSError; a missing folder is not created, a folder is never replaced."""
    _check_target(path)
    existed = path.exists()
    write_atomic(path, payload)
    if not existed:
        _new_file_mode(path)


def streamed_to_file(path: Path, write: Callable[[IO[bytes]], T]) -> T:
    """``write`` into a temporary beside ``path``, renamed over it when complete (as
    ``write_output``); returns what ``write`` returns."""
    _check_target(path)
    existed = path.exists()
    with atomic_file(path) as handle:
        result = write(handle)
    if not existed:
        _new_file_mode(path)
    return result


def export_to_file(path: Path, items: Iterable[Item], fmt: str,
                   raw_cells: bool = False) -> int:
    """``write_items`` into ``path``, streamed into a temporary beside it and renamed over it
    when complete (as ``write_output``); returns how many items."""
    return streamed_to_file(path, lambda handle: write_items(items, fmt, handle,
                                                             raw_cells=raw_cells))
