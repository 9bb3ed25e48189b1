"""Text dumped from a PDF by poppler's ``pdftotext`` without ``-layout``: text in reading order.

What such a dump looks like: pages apart by form feeds; each table cell's text a block of its
own (its wrapped lines one after the other, blocks apart by blank lines); the column header's
cells one block each, then the cells of each row; the page number and a running title between
pages. So a row is its serial's block and the blocks after it, one per column.

How far that holds: pdftotext orders blocks by the text flows it finds, and in a table of many
columns it often reads a column down over several rows before the next column, or runs two
cells into one block. A row whose blocks are not one per column is therefore not guessed at:
its text is reported as lost, so that the extraction is not trusted (``lvzhi check`` says why).
Use ``pdftotext -layout`` for such tables (``lvzhi.extractors.pdftotext_layout``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lvzhi.extractor import ExtractionError, Extractor
from lvzhi.extractors.tables import TableAssembler, is_cover_title
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument, SourceLine
from lvzhi.text import decode_head, read_text, strip_spaces
from lvzhi.vocabulary import (
    EXTRA_HEADER_WORDS,
    HEADER_GROUPS,
    column_of_header,
    list_kind_of_title,
)

# A page number as printed at the foot of a page: ``- 3 -``, ``第3页``, ``3/40``; a bare number
# is a serial here.
_PAGE_NUMBER_RE = re.compile(r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?"
                             r"|\d{1,4}\s*/\s*\d{1,4})$")
_SERIAL_RE = re.compile(r"^\d{1,4}$")
_SERIAL_HEADERS = ("序号", "编号")
_SENTENCE_RE = re.compile("[。；;，,：:]")
_HEADER_CELL_MAX = 16


@dataclass(slots=True)
class Block:
    """A cell's text as printed: its lines, where they stand."""

    lines: list[str]
    first: int  # 1-based line number
    page: int
    page_break_before: bool = False

    @property
    def text(self) -> str:
        return "".join(line.strip() for line in self.lines)


def blocks_of(text: str, tables: TableAssembler) -> list[Block]:
    """The blocks of every page, titles handed to ``tables`` on the way and page numbers
    dropped. A title or a page number ends the block it is printed in."""
    blocks: list[Block] = []
    page, current, broke = 1, None, False
    for number, raw in enumerate(text.split("\n"), start=1):
        while "\f" in raw:
            _, raw = raw.split("\f", 1)
            page, current, broke = page + 1, None, True
        line = raw.strip()
        if not line:
            current = None
            continue
        if _PAGE_NUMBER_RE.match(line):
            current = None
            continue
        compact = strip_spaces(line)
        if list_kind_of_title(compact) or is_cover_title(compact):
            tables.text(line, line=number, page=page)
            current = None
            continue
        if strip_spaces(line) in _SERIAL_HEADERS:
            current = None  # a header starts a block of its own
        if current is None:
            current = Block([], number, page, broke)
            blocks.append(current)
            broke = False
        current.lines.append(line)
        if strip_spaces(line) in _SERIAL_HEADERS:
            current = None
    return blocks


def _header_cell(text: str) -> bool:
    """A column header's cell: a column lvzhi knows, a column it keeps as extra (备注 …) or
    a group over columns (职责分工)."""
    if not 0 < len(text) <= _HEADER_CELL_MAX or _SENTENCE_RE.search(text):
        return False
    return column_of_header(text) is not None or text in HEADER_GROUPS or any(
        word in text for word in EXTRA_HEADER_WORDS)


@dataclass(slots=True)
class _Group:
    """A row being read: its serial's block and the blocks after it, by page."""

    serial: Block
    parts: list[list[Block]] = field(default_factory=lambda: [[]])


class _Reader:
    def __init__(self, tables: TableAssembler) -> None:
        self.tables = tables
        self.document = tables.document
        self.header: list[str] = []
        self.group: _Group | None = None
        self.next_serial = 1
        self.unreadable = False  # in a table whose cells are not in rows

    def read(self, blocks: list[Block]) -> None:
        at = 0
        while at < len(blocks):
            block = blocks[at]
            if block.text in _SERIAL_HEADERS:
                at = self.header_at(blocks, at)
                continue
            if block.page_break_before and self.group is not None:
                self.group.parts.append([])
            if self.is_serial(block):
                self.finish_group()
                self.group = _Group(block)
                self.next_serial = int(block.text) + 1
            elif self.group is not None:
                self.group.parts[-1].append(block)
            elif self.header or self.unreadable:
                self.orphan([block], "text in no row of the list")
            else:
                self.tables.text(block.text, line=block.first, page=block.page)
            at += 1
        self.finish_group()

    def is_serial(self, block: Block) -> bool:
        return bool(self.header) and _SERIAL_RE.match(block.text) is not None and (
            int(block.text) in (self.next_serial, 1))

    def header_at(self, blocks: list[Block], at: int) -> int:
        """Read the column header starting at ``blocks[at]``; the index after it."""
        cells = [blocks[at].text]
        end = at + 1
        while end < len(blocks) and not _SERIAL_RE.match(blocks[end].text):
            block = blocks[end]
            if _header_cell(block.text):
                if strip_spaces(block.text) not in HEADER_GROUPS:  # a group heads no column
                    cells.append(block.text)
                end += 1
                continue
            head = block.lines[0].strip()
            if len(block.lines) > 1 and _header_cell(head) and column_of_header(head):
                # The last header cell run into the first cell below it: two blocks.
                cells.append(head)
                blocks[end] = Block(block.lines[1:], block.first + 1, block.page)
                end += 1
            break
        if cells != self.header:
            self.finish_group()
            self.next_serial = 1
        elif self.group is not None:
            self.group.parts.append([])  # the header printed again: a new page
        if len(cells) < 2:
            # The header's cells are not one after the other: pdftotext read this table
            # column by column. Nothing of it can be put in rows.
            self.header = []
            self.orphan(blocks[at:at + 1], "the column header is not printed cell after cell "
                        "(pdftotext read the table by columns: dump it with -layout)")
            self.unreadable = True
            return end
        self.unreadable = False
        self.header = cells
        self.tables.row(cells, line=blocks[at].first, page=blocks[at].page)
        return end

    def finish_group(self) -> None:
        group, self.group = self.group, None
        if group is None:
            return
        width = len(self.header)
        parts = [part for part in group.parts if part]
        blocks = [block for part in parts for block in part]
        cells = self.cells_of(parts, width - 1)
        last = blocks[-1] if blocks else group.serial
        if cells is None or len(cells) != width - 1:
            # Not one block per column: which block is which cell is not known. The row is
            # not made up: its serial goes missing and its text is reported lost.
            self.orphan([group.serial, *blocks], f"row {group.serial.text}: {len(blocks)} "
                        f"blocks for {width - 1} columns")
            return
        try:
            self.tables.row([group.serial.text, *cells], line=group.serial.first,
                            line_last=last.first + len(last.lines) - 1,
                            page=group.serial.page)
        except ExtractionError as exc:  # the header read is not this table's
            self.orphan([group.serial, *blocks], str(exc))

    def cells_of(self, parts: list[list[Block]], columns: int) -> list[str] | None:
        """One text per column, or None when the blocks do not say which is which. A row cut
        by a page break prints its long cells on: the blocks after the break go on the
        longest cells before it."""
        if not parts:
            return None
        first = parts[0]
        if len(parts) == 1 or len(first) != columns:
            blocks = [block for part in parts for block in part]
            return [block.text for block in blocks] if len(blocks) == columns else None
        cells = [block.text for block in first]
        for part in parts[1:]:
            if len(part) > columns:
                return None
            longest = sorted(sorted(range(columns), key=lambda c: -len(cells[c]))[:len(part)])
            for column, block in zip(longest, part, strict=True):
                cells[column] += block.text
        return cells

    def orphan(self, blocks: list[Block], why: str) -> None:
        for block in blocks:
            self.document.orphans.append(SourceLine(block.first, block.text, block.page))
        if blocks:
            self.document.warnings.append(f"page {blocks[0].page}, line {blocks[0].first}: "
                                          f"{why}; its text is reported lost")


def read_plain(text: str) -> ExtractedDocument:
    tables = TableAssembler()
    _Reader(tables).read(blocks_of(text, tables))
    return tables.finish()


_SERIAL_HEADER_LINE_RE = re.compile(r"(?m)^(?:序[ 　]?号|编[ 　]?号|序\n号)\n")


def looks_like_plain_dump(text: str) -> bool:
    """Pages apart by form feeds, and a column header whose cells are lines of their own:
    ``序号`` on a line, the next header cell a line or two below."""
    if "\f" not in text:
        return False
    for match in _SERIAL_HEADER_LINE_RE.finditer(text):
        following = [line.strip() for line in text[match.end():].split("\n", 3)[:3]]
        if any(line and _header_cell(line) for line in following):
            return True
    return False


class PdftotextPlainExtractor(Extractor):
    name = "pdftotext-plain"
    version = "1.0"
    description = "text dumped by pdftotext without -layout: one block per table cell"
    extensions = (".txt",)

    def sniff(self, path: Path, head: bytes) -> float:
        return 0.9 if looks_like_plain_dump(decode_head(head)) else 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        text, encoding = read_text(path)
        if "\f" not in text:
            raise ExtractionError("not a pdftotext dump: no form feed between pages")
        document = read_plain(text)
        document.encoding = encoding
        return document


@hookimpl
def register_extractors(register):
    register(PdftotextPlainExtractor())
