"""Tab-separated tables, header row repeated, section titles between tables.

Converters write one record a line, cells apart by tabs, a blank line and the column header
again at every page, list titles and a table of contents as lines without tabs, HTML inside
cells. Spreadsheets ("Unicode text") may quote a cell that holds tabs, quotes or line breaks.
This module only reads records and cells; ``lvzhi.extractors.tables`` makes duty-list rows of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from lvzhi.extractor import Extractor
from lvzhi.extractors.tables import TableAssembler, clean_cell, list_items
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument
from lvzhi.text import decode_head, join_wrapped, read_text

# How many lines one quoted cell may span before we decide the quote was just a character.
MAX_QUOTED_LINES = 200
_HEADER_HINT_RE = re.compile(r"序\s*号\s*\t[^\n]*事项")


def _quoted_cell(lines: list[str], at: int, start: int) -> tuple[str, int, int] | None:
    """A cell quoted spreadsheet-style, starting at ``lines[at][start]`` (a ``"``): its text,
    and the line and column just after its closing quote; None if it is not properly quoted
    (then the quote is simply a character of the cell)."""
    parts: list[str] = []
    line, column = at, start + 1
    while line < len(lines) and line - at < MAX_QUOTED_LINES:
        text = lines[line]
        while (quote := text.find('"', column)) >= 0:
            if text.startswith('""', quote):  # an escaped quote
                parts.append(text[column:quote + 1])
                column = quote + 2
                continue
            after = quote + 1
            if after == len(text) or text[after] == "\t":
                parts.append(text[column:quote])
                return "\n".join(parts), line, after
            return None  # a quote inside an unquoted-looking cell
        parts.append(text[column:])
        line, column = line + 1, 0
    return None


def split_record(lines: list[str], at: int) -> tuple[list[str], int]:
    """The raw cells of the record starting at line ``at``, and the index of its last line."""
    cells: list[str] = []
    line, column = at, 0
    text = lines[at]
    while True:
        if text.startswith('"', column) and (quoted := _quoted_cell(lines, line, column)):
            cell, line, column = quoted
            text = lines[line]
        else:
            end = text.find("\t", column)
            end = len(text) if end < 0 else end
            cell, column = text[column:end], end
        cells.append(cell)
        if column >= len(text):
            return cells, line
        column += 1  # past the tab


def unwrapped(raw: str) -> str:
    """A cell with the lines of a quoted cell joined with nothing between."""
    return join_wrapped(raw.split("\n")) if "\n" in raw else raw


def cell_text(raw: str) -> str:
    """A cell's text: lines of a quoted cell joined, markup removed."""
    return clean_cell(unwrapped(raw))


def _opens_record(lines: list[str], at: int) -> bool:
    """Whether a line without a tab starts a record: a quoted first cell that holds a line
    break (a serial typed as ``⏎1``), its closing quote followed by a tab."""
    if not lines[at].startswith('"') or not (quoted := _quoted_cell(lines, at, 0)):
        return False
    _, line, column = quoted
    return column < len(lines[line])  # the tab after the closing quote


def read_tsv(text: str, tables: TableAssembler) -> None:
    """Feed every record and every line without tabs to ``tables``."""
    lines = text.split("\n")
    at = 0
    while at < len(lines):
        line = lines[at]
        if "\t" not in line and not _opens_record(lines, at):
            if line.strip():
                tables.text(clean_cell(line), line=at + 1)
            else:
                tables.page_break()  # tables are apart by blank lines (one a page)
            at += 1
            continue
        cells, last = split_record(lines, at)
        # The items of HTML lists in the cells mark the steps of duty cells.
        tables.row([cell_text(c) for c in cells], line=at + 1, line_last=last + 1,
                   items=[list_items(unwrapped(c)) for c in cells])
        at = last + 1


class TSVExtractor(Extractor):
    name = "tsv"
    version = "1.0"
    description = "tab-separated tables with repeated header rows"
    extensions = (".tsv", ".tab", ".txt")

    def sniff(self, path: Path, head: bytes) -> float:
        text = decode_head(head)
        lines = [line for line in text.split("\n") if line.strip()]
        tabbed = sum(1 for line in lines if line.count("\t") >= 2)
        if tabbed and _HEADER_HINT_RE.search(text):
            return 0.95  # a tab-separated duty-list header
        if lines and tabbed >= max(3, len(lines) // 4):
            return 0.85
        return 0.4 if path.suffix.lower() in (".tsv", ".tab") else 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        text, encoding = read_text(path)
        tables = TableAssembler()
        read_tsv(text, tables)
        document = tables.finish()
        document.encoding = encoding
        return document


@hookimpl
def register_extractors(register):
    register(TSVExtractor())
