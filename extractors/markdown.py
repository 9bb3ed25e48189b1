"""Markdown tables (pipe tables, cells may hold HTML), as converters produce from Word/PDF.

Converters print one pipe table per page, the column header repeated on each, HTML inside
cells (``<p>``, ``<ol style=…>``) and text around the tables (titles, a table of contents).
This module only reads the markdown: which lines are table rows, what their cells say once
markup is gone. ``lvzhi.extractors.tables`` turns that into duty-list rows.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from lvzhi.extractor import Extractor, NoDutyListError
from lvzhi.extractors.tables import TableAssembler, clean_cell, list_items
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument
from lvzhi.text import decode_head, read_text

# The line under a table's first row: |---|:--:|---| (outer pipes optional).
_DELIMITER_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
# A cell separator: a pipe not escaped by a backslash.
_PIPE_RE = re.compile(r"(?<!\\)\|")
# Backslash escapes of ASCII punctuation (\| \* \_ …) stand for the character itself.
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Emphasis a converter wraps around whole words: **…** and __…__ (markup, not text).
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$")
_HEADER_HINT_RE = re.compile(r"\|\s*序\s*号\s*\||<t[dh][^>]*>\s*序\s*号\s*</t[dh]>")
_TABLE_OPEN_RE = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE_RE = re.compile(r"</table\s*>", re.IGNORECASE)


def split_row(line: str) -> list[str]:
    """The raw cells of a pipe-table row: outer pipes dropped, split at unescaped pipes."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return _PIPE_RE.split(text)


def cell_text(raw: str) -> str:
    """A cell's text: HTML and emphasis markup removed, escapes resolved."""
    text = clean_cell(raw)
    if "**" in text or "__" in text:
        text = _STRONG_RE.sub(r"\2", text)
    return _ESCAPE_RE.sub(r"\1", text) if "\\" in text else text


def feed_row(tables: TableAssembler, raw_cells: list[str], line: int) -> None:
    """One table row: its cells' text, and the items their HTML lists mark (duty steps)."""
    tables.row([cell_text(cell) for cell in raw_cells], line=line,
               items=[list_items(cell, cell_text) for cell in raw_cells])


def line_text(line: str) -> str:
    """A line outside tables, without heading marks and emphasis."""
    return cell_text(_HEADING_RE.sub("", line))


def is_table_start(lines: list[str], at: int) -> bool:
    return (at + 1 < len(lines) and "|" in lines[at]
            and bool(_DELIMITER_RE.match(lines[at + 1])) and "-" in lines[at + 1])


class HTMLTableReader(HTMLParser):
    """The rows of HTML ``<table>`` elements, as converters such as MinerU write tables with
    merged cells into markdown: each row's cells as raw inner HTML, with the line it starts on.

    A cell spanning rows (``rowspan``, a vertically merged category) is given to its first row
    only, the rows below get an empty cell there (the core fills categories down); a cell
    spanning columns is followed by empty cells. A table inside a cell is read as cell text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.rows: list[tuple[int, list[str]]] = []
        self._depth = 0  # nesting of <table>
        self._row: list[str] | None = None
        self._row_line = 0
        self._cell: list[str] | None = None
        self._cell_span = (1, 1)  # rows, columns of the open cell
        self._covered: dict[int, int] = {}  # column -> rows below still covered by a rowspan
        self._covered_here: set[int] = set()  # columns of this row a rowspan above covers

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth > 1 and self._cell is not None:
                self._cell.append(self.get_starttag_text() or "")
            return
        if self._depth != 1:
            if self._cell is not None:
                self._cell.append(self.get_starttag_text() or "")
            return
        if tag == "tr":
            self._end_row()
            self._start_row()
        elif tag in ("td", "th"):
            if self._row is None:  # a cell outside <tr>: browsers open the row
                self._start_row()
            self._end_cell()
            values = dict(attrs)
            self._cell, self._cell_span = [], (_span(values.get("rowspan")),
                                               _span(values.get("colspan")))
        elif self._cell is not None:
            self._cell.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._cell is not None:
            self._cell.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._depth -= 1
            if self._depth == 0:
                self._end_row()
                self._covered = {}
            elif self._cell is not None:
                self._cell.append("</table>")
        elif self._depth == 1 and tag in ("td", "th"):
            self._end_cell()
        elif self._depth == 1 and tag == "tr":
            self._end_row()
        elif self._cell is not None:
            self._cell.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def close(self) -> None:
        super().close()
        self._end_row()

    def _start_row(self) -> None:
        self._row, self._row_line = [], self.getpos()[0]
        self._covered_here = {column for column, left in self._covered.items() if left > 0}
        self._covered = {column: left - 1 for column, left in self._covered.items() if left > 1}
        self._fill_covered()

    def _fill_covered(self) -> None:
        assert self._row is not None
        while len(self._row) in self._covered_here:
            self._row.append("")

    def _end_cell(self) -> None:
        if self._cell is None or self._row is None:
            return
        rows, columns = self._cell_span
        first = len(self._row)
        self._row.append("".join(self._cell))
        self._row.extend([""] * (columns - 1))
        if rows > 1:
            self._covered.update(dict.fromkeys(range(first, first + columns), rows - 1))
        self._cell = None
        self._fill_covered()

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is not None:
            self.rows.append((self._row_line, self._row))
        self._row = None


def _span(value: str | None) -> int:
    return int(value) if value and re.fullmatch(r"\s*[1-9][0-9]{0,2}\s*", value) else 1


def read_html_table(lines: list[str], at: int, tables: TableAssembler) -> int:
    """Feed the rows of the HTML table starting on line ``at``; return the line after it."""
    end, depth = at, 0
    while end < len(lines):
        depth += len(_TABLE_OPEN_RE.findall(lines[end])) - len(_TABLE_CLOSE_RE.findall(lines[end]))
        end += 1
        if depth <= 0:
            break
    reader = HTMLTableReader()
    reader.feed("\n".join(lines[at:end]))
    reader.close()
    tables.page_break()
    for line, cells in reader.rows:
        feed_row(tables, cells, at + line)
    return end


def read_markdown(text: str, tables: TableAssembler) -> int:
    """Feed every table row and every other line of ``text`` to ``tables``; return the number
    of tables found (pipe tables and HTML tables)."""
    lines = text.split("\n")
    count = 0
    at = 0
    while at < len(lines):
        if _TABLE_OPEN_RE.search(lines[at]):
            count += 1
            at = read_html_table(lines, at, tables)
            continue
        if not is_table_start(lines, at):
            tables.text(line_text(lines[at]), line=at + 1)
            at += 1
            continue
        count += 1
        tables.page_break()  # converters print one table per page
        feed_row(tables, split_row(lines[at]), at + 1)
        at += 2  # the delimiter row
        while at < len(lines) and lines[at].strip() and "|" in lines[at]:
            feed_row(tables, split_row(lines[at]), at + 1)
            at += 1
    return count


class MarkdownExtractor(Extractor):
    name = "markdown"
    version = "1.0"
    description = "markdown pipe tables, HTML inside cells, tables split at page breaks"
    extensions = (".md", ".markdown", ".txt")

    def sniff(self, path: Path, head: bytes) -> float:
        text = decode_head(head)
        lines = text.split("\n")
        tables = sum(1 for at in range(len(lines) - 1) if is_table_start(lines, at))
        tables += len(_TABLE_OPEN_RE.findall(text))
        if tables and _HEADER_HINT_RE.search(text):
            return 0.95  # a pipe table with a duty-list header
        if tables:
            return 0.8
        return 0.4 if path.suffix.lower() in (".md", ".markdown") else 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        text, encoding = read_text(path)
        tables = TableAssembler()
        if read_markdown(text, tables) == 0:
            raise NoDutyListError("no markdown table in this file (a table is a row of cells "
                                  "between | followed by a |---| line)")
        document = tables.finish()
        document.encoding = encoding
        return document


@hookimpl
def register_extractors(register):
    register(MarkdownExtractor())
