"""What the Word and Excel readers share: checking a file is the package its name says before
a library opens it, and cell text as the table assembler wants it.

Office files fail in a few typical ways, each of which would otherwise surface as a library's
exception: a text or HTML file saved with a .docx/.xlsx name, a download cut short (a zip
without its central directory), a password-protected file (Office then writes an OLE2 compound
file holding an ``EncryptedPackage`` stream, whatever the extension), an old binary file
renamed, or a zip that unpacks to gigabytes.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lvzhi.extractor import ExtractionError
from lvzhi.extractors.tables import TableAssembler, is_cover_title
from lvzhi.model import ExtractedDocument, SourceLine
from lvzhi.vocabulary import list_kind_of_title, parse_place

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Streams of an encrypted OOXML package (MS-OFFCRYPTO), as named in the OLE2 directory.
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"),
                      "EncryptionInfo".encode("utf-16-le"))
# A duty list of a few hundred rows unpacks to a few MB; far more is a zip bomb, not a list.
MAX_UNPACKED = 512 * 1024 * 1024
_SPACES_RE = re.compile(r"\s+")
_FAMILIES = {"word": "a Word document", "xl": "an Excel workbook",
             "ppt": "a PowerPoint presentation"}


def clean_text(text: str) -> str:
    """Runs of whitespace made one space, ends stripped; nothing else changed."""
    return _SPACES_RE.sub(" ", text).strip()


def is_encrypted_ole2(path: Path) -> bool:
    """Whether an OLE2 compound file holds an encrypted Office package (or an encrypted
    workbook stream: the streams are named in the directory, anywhere in the file)."""
    data = path.read_bytes()
    return any(name in data for name in _ENCRYPTED_STREAMS)


def check_package(path: Path, family: str, what: str) -> None:
    """Raise ``ExtractionError`` unless ``path`` is an Office zip package of ``family``
    (``word``, ``xl``: the folder its parts stand in) that unpacks to a sane size. ``what``
    names the format in messages (``a Word .docx file``)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise ExtractionError("the file is empty")
    if head.startswith(OLE2_MAGIC):
        if is_encrypted_ole2(path):
            raise ExtractionError("the file is password-protected or encrypted: open it, remove "
                                  "the password (File › Info › Protect) and save it again")
        raise ExtractionError(f"not {what}: it is an old binary Office file (.doc/.xls) with "
                              f"a {path.suffix} name; save it in the new format or rename it")
    if not head.startswith(ZIP_MAGIC):
        raise ExtractionError(f"not {what}: the file is not a zip package (a text or web page "
                              f"saved with a {path.suffix} name?)")
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ExtractionError(f"the {path.suffix} package is damaged or truncated (the "
                              f"download or copy was probably cut short): {exc}") from exc
    names = {info.filename for info in members}
    folders = {name.split("/", 1)[0] for name in names}
    if "[Content_Types].xml" not in names or family not in folders:
        kind = next((label for folder, label in _FAMILIES.items() if folder in folders
                     and "[Content_Types].xml" in names), "a zip archive, not an Office file")
        raise ExtractionError(f"not {what}: the package is {kind}")
    unpacked = sum(info.file_size for info in members)
    if unpacked > MAX_UNPACKED:
        raise ExtractionError(f"the package unpacks to {unpacked // 2**20} MB: not read "
                              "(far more than any duty list; a damaged or hostile file?)")


def damaged(path: Path, exc: BaseException) -> ExtractionError:
    """The one-line error for a package a library could not read."""
    detail = " ".join(str(exc).split())[:120] or type(exc).__name__
    return ExtractionError(f"the {path.suffix} file is damaged and cannot be read "
                           f"({type(exc).__name__}: {detail})")


# --- spreadsheets ----------------------------------------------------------------------------

_LINE_BREAKS_RE = re.compile(r"\r\n|[\r\n\v\u2028\u2029]")


def value_text(value: object) -> str:
    """A spreadsheet value as the sheet shows it: text with its in-cell line breaks joined with
    nothing, whole numbers without ``.0`` (serials are often stored as 1.0), other numbers as
    Python prints them, booleans as Excel does, a date without a midnight time."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(_LINE_BREAKS_RE.sub("", value)) if "\n" in value or "\r" in value \
            else clean_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return clean_text(str(value))


# A sheet's row: its number, its cells (None where a merged cell covers the position) and,
# cell by cell, whether a cell merged down from the row above covers it.
SheetRow = tuple[int, list[str | None], list[bool]]


@dataclass(slots=True)
class SheetGrid:
    """A sheet as a workbook reader sees it, before what is hidden is taken out: every row's
    cell texts as the sheet shows them (a merged cell's text in its top-left position), merged
    ranges (1-based inclusive: first row, first column, last row, last column), hidden rows
    and columns (1-based), and cells whose value the file does not hold ((row, text): a
    formula saved without its value that cannot be worked out)."""

    texts: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings of the sheet's own


def _first_shown(low: int, high: int, hidden: set[int]) -> int | None:
    return next((n for n in range(low, high + 1) if n not in hidden), None)


def shown_rows(grid: SheetGrid) -> tuple[list[SheetRow], list[int], list[int]]:
    """The rows as the sheet shows them (``SheetRow``): covered positions of merged cells
    None, flagged where the cell is merged down from a row above (its text applies to the
    row), hidden rows and columns left out (Excel neither shows nor prints them: an old
    row kept hidden, a helper column; a reader leaves rows a filter hides out of the hidden);
    a merged cell whose top-left position is hidden shows its text in its first shown
    position, as Excel does. Also the hidden rows and columns that hold text, which the
    reader must name."""
    rows = len(grid.texts)
    columns = max((len(texts) for texts in grid.texts), default=0)
    texts = [list(row) + [""] * (columns - len(row)) for row in grid.texts]
    covered: dict[tuple[int, int], bool] = {}  # position -> merged down from a row above
    for top, left, bottom, right in grid.merges:
        bottom, right = min(bottom, rows), min(right, columns)
        if top > bottom or left > right:
            continue
        first_row = _first_shown(top, bottom, grid.hidden_rows)
        first_column = _first_shown(left, right, grid.hidden_columns)
        anchor = (first_row or top, first_column or left)
        if anchor != (top, left):
            texts[anchor[0] - 1][anchor[1] - 1] = texts[top - 1][left - 1]
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                if (row, column) != anchor:
                    covered[row, column] = row > anchor[0]
    shown = [column for column in range(1, columns + 1) if column not in grid.hidden_columns]
    read: list[SheetRow] = []
    hidden_rows: list[int] = []
    hidden_columns: set[int] = set()
    for number, row_texts in enumerate(texts, start=1):
        if number in grid.hidden_rows:
            if any(text and (number, c) not in covered
                   for c, text in enumerate(row_texts, start=1)):
                hidden_rows.append(number)
            continue
        hidden_columns.update(c for c in grid.hidden_columns if c <= columns
                              and row_texts[c - 1] and (number, c) not in covered)
        read.append((number, [None if (number, column) in covered else row_texts[column - 1]
                              for column in shown],
                     [covered.get((number, column), False) for column in shown]))
    return read, hidden_rows, sorted(hidden_columns)


def _numbers(numbers: list[int], letters: bool = False) -> str:
    names = [column_letters(n) if letters else str(n) for n in numbers[:5]]
    return "、".join(names) + ("…" if len(numbers) > 5 else "")


def column_letters(column: int) -> str:
    text = ""
    while column:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


def feed_sheet(tables: TableAssembler, name: str, page: int, rows: Iterable[SheetRow]) -> None:
    """One sheet's rows, in order, to the assembler: a new page; the sheet's name when it is a
    title (a sheet named ``配合履职事项`` opens that list even without a title row); rows of
    one cell or none above the sheet's first table (cover title, a 说明 preface) as text, every
    row from the first of several cells on as a table row (a title row between two lists in
    one sheet is told apart by the assembler)."""
    tables.page_break()
    if list_kind_of_title(name) is not None or is_cover_title(name):
        tables.text(name, page=page)
    elif township := parse_place(name).township:
        tables.township_named(township, page=page)  # a county's workbook: a sheet a township
    in_table = False
    for line, cells, merged in rows:
        filled = [cell for cell in cells if cell]
        if not in_table and len(filled) <= 1:
            tables.text(filled[0] if filled else "", line=line, page=page)
            continue
        in_table = True
        tables.row(cells, line=line, page=page, merged=merged)


def read_sheets(sheets: Iterable[tuple[str, bool, Callable[[], SheetGrid]]]) -> (
        ExtractedDocument):
    """A workbook's document from its sheets in order, each (name, visible, its grid): a
    hidden sheet, hidden rows and hidden columns are not read, and the document says which
    held text; a cell whose value the file does not hold is text the reading could not
    place (the extraction is then not trusted)."""
    tables = TableAssembler()
    hidden: list[str] = []
    notes: list[str] = []
    unknown: list[SourceLine] = []
    for page, (name, visible, grid_of) in enumerate(sheets, start=1):
        if not visible:
            hidden.append(name)
            continue
        grid = grid_of()
        rows, hidden_rows, hidden_columns = shown_rows(grid)
        feed_sheet(tables, name, page, rows)
        if hidden_rows or hidden_columns:
            parts = ([f"rows {_numbers(hidden_rows)}"] if hidden_rows else []) + (
                [f"columns {_numbers(hidden_columns, letters=True)}"] if hidden_columns else [])
            notes.append(f"sheet “{name}”: hidden {' and '.join(parts)} hold text, not read "
                         "(Excel neither shows nor prints them; unhide to read)")
        unknown += [SourceLine(line, text, page) for line, text in grid.unknown]
        notes += [f"sheet “{name}”: {note}" for note in grid.notes]
    document = tables.finish()
    if hidden:
        quoted = "、".join(f"“{name}”" for name in hidden)
        document.warnings.append(f"hidden sheet{'s' if len(hidden) > 1 else ''} {quoted} "
                                 "not read (unhide to read)")
    document.warnings += notes
    if unknown:
        document.orphans += unknown
        document.warnings.append(
            f"{len(unknown)} formula cell(s) saved without their value (by a program that "
            f"does not calculate), which could not be worked out (first: line "
            f"{unknown[0].line} {unknown[0].text!r}): open and save the file in Excel or WPS")
    return document
