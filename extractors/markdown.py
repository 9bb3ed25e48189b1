"""Markdown tables (pipe tables, cells may hold HTML), as converters produce from Word/PDF.

Converters print one pipe table per page, the column header repeated on each, HTML inside
cells (``<p>``, ``<ol style=…>``) and text around the tables (titles, a table of contents).
This module only reads the markdown: which lines are table rows, what their cells say once
markup is gone. ``extractors.tables`` turns that into duty-list rows.
"""

from __future__ import annotations

import re
from pathlib import Path

from explorer.extractor import ExtractionError, Extractor
from explorer.hookspecs import hookimpl
from explorer.model import ExtractedDocument
from explorer.text import decode_head, read_text
from extractors.tables import TableAssembler, clean_cell

# The line under a table's first row: |---|:--:|---| (outer pipes optional).
_DELIMITER_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
# A cell separator: a pipe not escaped by a backslash.
_PIPE_RE = re.compile(r"(?<!\\)\|")
# Backslash escapes of ASCII punctuation (\| \* \_ …) stand for the character itself.
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Emphasis a converter wraps around whole words: **…** and __…__ (markup, not text).
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$")
_HEADER_HINT_RE = re.compile(r"\|\s*序\s*号\s*\|")


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
    return _ESCAPE_RE.sub(r"\1", _STRONG_RE.sub(r"\2", clean_cell(raw)))


def line_text(line: str) -> str:
    """A line outside tables, without heading marks and emphasis."""
    return cell_text(_HEADING_RE.sub("", line))


def is_table_start(lines: list[str], at: int) -> bool:
    return (at + 1 < len(lines) and "|" in lines[at]
            and bool(_DELIMITER_RE.match(lines[at + 1])) and "-" in lines[at + 1])


def read_markdown(text: str, tables: TableAssembler) -> int:
    """Feed every table row and every other line of ``text`` to ``tables``; return the number
    of tables found."""
    lines = text.split("\n")
    count = 0
    at = 0
    while at < len(lines):
        if not is_table_start(lines, at):
            tables.text(line_text(lines[at]), line=at + 1)
            at += 1
            continue
        count += 1
        tables.page_break()  # converters print one table per page
        tables.row([cell_text(c) for c in split_row(lines[at])], line=at + 1)
        at += 2  # the delimiter row
        while at < len(lines) and lines[at].strip() and "|" in lines[at]:
            tables.row([cell_text(c) for c in split_row(lines[at])], line=at + 1)
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
        if tables and _HEADER_HINT_RE.search(text):
            return 0.95  # a pipe table with a duty-list header
        if tables:
            return 0.8
        return 0.4 if path.suffix.lower() in (".md", ".markdown") else 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        text, encoding = read_text(path)
        tables = TableAssembler()
        if read_markdown(text, tables) == 0:
            raise ExtractionError("no markdown table in this file (a table is a row of cells "
                                  "between | followed by a |---| line)")
        document = tables.finish()
        document.encoding = encoding
        return document


@hookimpl
def register_extractors(register):
    register(MarkdownExtractor())
