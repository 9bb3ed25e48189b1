"""Markdown tables (pipe tables, cells may hold HTML), as converters produce from Word/PDF.

Converters print one pipe table per page, the column header repeated on each, HTML inside
cells (``<p>``, ``<ol style=…>``) and text around the tables (titles, a table of contents).
This module only reads the markdown: which lines are table rows, what their cells say once
markup is gone. A table written as HTML (MinerU: ``<table>`` with merged cells) is read by the
web page reader's table code (``lvzhi.extractors.html.feed_table``), so both read merged cells
and Word's markup alike. ``lvzhi.extractors.tables`` turns that into duty-list rows.
"""

from __future__ import annotations

import re
from pathlib import Path

from lvzhi.extractor import Extractor, NoDutyListError
from lvzhi.extractors.html import feed_table, parse_page  # one reader of HTML tables
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


def read_html_table(lines: list[str], at: int, tables: TableAssembler) -> int:
    """Feed the HTML table(s) starting on line ``at`` as the web page reader reads a table
    (merged cells, Word's markup inside cells); return the line after them."""
    end, depth = at, 0
    while end < len(lines):
        depth += len(_TABLE_OPEN_RE.findall(lines[end])) - len(_TABLE_CLOSE_RE.findall(lines[end]))
        end += 1
        if depth <= 0:
            break
    root = parse_page("\n".join(lines[at:end]))
    for table in root.iter("table"):
        if next(table.iterancestors("table"), None) is None:  # a table in a cell is its text
            feed_table(tables, table, shift=at)
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
