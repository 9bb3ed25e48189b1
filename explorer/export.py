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
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import orjson

from lvzhi.model import Item, ListKind
from lvzhi.store import atomic_file, write_atomic
from lvzhi.text import safe_cell, safe_display

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


def write_xlsx(items: Iterable[Item], out: IO[bytes]) -> int:
    """One sheet a list (基本, 配合, 收回, in the order met), a frozen header with an
    autofilter, wrapped text; streamed (openpyxl write-only). Every text is written as text:
    a cell reading ``=HYPERLINK(…)`` stays those characters, never a formula, and characters
    XML cannot hold (ESC, NUL) are shown as their symbols (␛), one for one."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheets: dict[str, Any] = {}
    rows_in: dict[str, int] = {}
    wrap, bold = Alignment(wrap_text=True, vertical="top"), Font(bold=True)
    last = get_column_letter(len(EXPORT_FIELDS))

    def text_cell(sheet: Any, value: object, font: Font | None = None) -> Any:
        value = "" if value is None else value
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub(lambda m: safe_display(m.group()), value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, even when it starts with = (no formula ever runs)
        cell.alignment = wrap
        if font is not None:
            cell.font = font
        return cell

    count = 0
    for item in items:
        kind = str(item.list)
        sheet = sheets.get(kind)
        if sheet is None:
            sheet = sheets[kind] = book.create_sheet(ListKind(kind).label)
            sheet.freeze_panes = "A2"
            for n, name in enumerate(EXPORT_FIELDS, start=1):
                sheet.column_dimensions[get_column_letter(n)].width = XLSX_WIDTHS.get(name, 9)
            sheet.append([text_cell(sheet, name, bold) for name in EXPORT_FIELDS])
            rows_in[kind] = 1
        sheet.append([text_cell(sheet, value) for value in _csv_row(item.to_dict(), _raw_cell)])
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


def export_to_file(path: Path, items: Iterable[Item], fmt: str,
                   raw_cells: bool = False) -> int:
    """``write_items`` into ``path``, streamed into a temporary beside it and renamed over it
    when complete (as ``write_output``); returns how many items."""
    _check_target(path)
    existed = path.exists()
    with atomic_file(path) as handle:
        count = write_items(items, fmt, handle, raw_cells=raw_cells)
    if not existed:
        _new_file_mode(path)
    return count
