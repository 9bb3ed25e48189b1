"""Text dumped from a PDF by poppler's ``pdftotext`` without ``-layout``: text in reading order.

What such a dump looks like: pages apart by form feeds; each table cell's text a block of its
own (its wrapped lines one after the other, blocks apart by blank lines); the column header's
cells one block each, then the cells of each row; the page number and a running title between
pages. So a row is its serial's block and the blocks after it, one per column.

How far that holds: pdftotext orders blocks by the text flows it finds, and in a table of many
columns it often reads a column down over several rows before the next column, prints a tall
cell before the row it stands in, or runs two cells into one block. A page read column by
column is put back in rows where every cell is one block (``_by_columns``); a page otherwise
out of row order is put back by its columns as the likeliest reading (``_plain_chains``): its
rows carry a warning and their text is reported lost as well, so that the extraction is never
trusted. A row neither places is not guessed at: its text is reported lost (``lvzhi check``
says why). Use ``pdftotext -layout`` for such tables (``lvzhi.extractors.pdftotext_layout``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from lvzhi.extractor import ExtractionError, Extractor, NoDutyListError
from lvzhi.extractors._plain_chains import (
    WIDE_BEAM,
    centred_runs,
    columns_of,
    extra_kind,
    offices_only,
    pieces_of,
    widest,
)
from lvzhi.extractors.tables import (
    TableAssembler,
    is_cover_title,
    is_form_line,
    note_row,
    read_serial,
    section_category,
    total_row,
)
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
_WRAPPED_SERIAL_HEADER = ("序", "号")
_SENTENCE_RE = re.compile("[。；;，,：:]")
_SECTION_LINE_RE = re.compile(r"^(?:[一二三四五六七八九十百]+[、.．]"
                              r"|[（(][一二三四五六七八九十]+[)）])[^，。；：,;:]{1,30}$")
_SECTION_WORD_RE = re.compile(r"[\u4e00-\u9fff]{2,12}")
_HEADER_CELL_MAX = 16
# A total row's count printed in a cell of its own (``合计 | 共12项``).
_COUNT_CELL_RE = re.compile(r"^共\d+[项条个]$")


@dataclass(slots=True)
class Block:
    """A cell's text as printed: its lines, where they stand."""

    lines: list[str]
    first: int  # 1-based line number
    page: int
    page_break_before: bool = False
    by_columns: bool = False  # a serial whose row was put together column by column
    guessed: bool = False  # a serial whose row is a best reading of a page out of row order
    column: int | None = None  # the rest of a cut row's cell: its column, read by its page

    @property
    def text(self) -> str:
        return "".join(line.strip() for line in self.lines)


def blocks_of(text: str, tables: TableAssembler) -> list[Block]:
    """The blocks of every page, titles handed to ``tables`` on the way and page numbers
    dropped. A title or a page number ends the block it is printed in."""
    blocks: list[Block] = []
    page, current, broke = 1, None, False
    wrapped = False  # a serial header wrapped (序 | 号) whose 号 is still to come on the page
    for number, raw in enumerate(text.split("\n"), start=1):
        while "\f" in raw:
            _, raw = raw.split("\f", 1)
            page, current, broke, wrapped = page + 1, None, True, False
        line = _bare_serial(raw.strip())
        if not line:
            current = None
            continue
        if _PAGE_NUMBER_RE.match(line) or (current is None and is_form_line(line)):
            current = None  # furniture: a page number, 填报单位：… 填报时间：… above a header
            continue
        if wrapped and line == _WRAPPED_SERIAL_HEADER[1]:
            wrapped = False  # the header's second line, printed below the cells beside it
            continue
        if current is None and line == _WRAPPED_SERIAL_HEADER[0]:
            # 序号 wrapped in a narrow column: 序 on a line of its own, the next header cells
            # printed in its block (centred beside the two lines), 号 below them or, printed
            # last of the page's blocks, after the page's rows
            blocks.append(Block(["".join(_WRAPPED_SERIAL_HEADER)], number, page, broke))
            broke, wrapped = False, True
            continue
        compact = strip_spaces(line)
        # a title starts a block and holds no sentence (a duty cell's line may end with
        # 事项清单 as a title does)
        if current is None and not _SENTENCE_RE.search(compact) and (
                list_kind_of_title(compact) or is_cover_title(compact)):
            tables.text(line, line=number, page=page)
            current = None
            continue
        if strip_spaces(line) in _SERIAL_HEADERS or _SERIAL_RE.match(line):
            current = None  # a header, a serial start a block of their own
        if current is None:
            current = Block([], number, page, broke)
            blocks.append(current)
            broke = False
        current.lines.append(line)
        if strip_spaces(line) in _SERIAL_HEADERS or _SERIAL_RE.match(line):
            current = None  # ... and end it (a section row above it is a block too)
    return blocks


def _bare_serial(line: str) -> str:
    """A line holding a serial alone as counties print one (``12.`` ``12、`` ``（12）``
    ``12.0``, see ``tables.read_serial``) as its number: the reader tells serials by their
    digits alone."""
    if _SERIAL_RE.match(line) or (not line[:1].isdigit() and line[:1] not in "（("):
        return line
    serial = read_serial(line, full_row=False)
    return str(serial[0]) if serial is not None and serial[0] is not None else line


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
        # the last row read, held back (cells, line, last line, page) with its blocks
        self.pending: tuple[list[str], int, int, int] | None = None
        self.pending_blocks: list[Block] = []
        self.listed: set[int] = set()  # ids of serial blocks printed one after the other
        self.doubted_pages: set[int] = set()  # pages read by ``doubt``
        self.header_changed = False  # the header printed last is not the one before it

    def read(self, blocks: list[Block]) -> None:
        at = 0
        while at < len(blocks):
            block = blocks[at]
            if block.text in _SERIAL_HEADERS:
                at = self.header_at(blocks, at)
                continue
            if block.page_break_before and self.group is not None:
                self.group.parts.append([])
            if strip_spaces(block.text) in HEADER_GROUPS and at + 1 < len(blocks) and (
                    blocks[at + 1].text in _SERIAL_HEADERS):
                # a two-row header's group cell printed before 序号 (it stands higher): the
                # next table's header, no cell of the row before; a group heads no column
                at += 1
                continue
            if self.header and _total(block):
                # 合计 | 共12项 under a list: its rows end; the core checks the count
                self.finish_group()
                self.flush()
                end = at + 1
                while end < len(blocks) and _total(blocks[end]) and end - at < len(self.header):
                    end += 1
                texts = [total.text for total in blocks[at:end]]
                self.tables.row(texts + [""] * (len(self.header) - len(texts)),
                                line=block.first, page=block.page)
                at = end
                continue
            if self.is_section(blocks, at):
                self.finish_group()
                self.flush()
                self.tables.row([block.text] + [None] * (len(self.header) - 1),
                                line=block.first, page=block.page)
            elif self.is_serial(block):
                self.finish_group()
                if block.text == "1":  # a new table
                    self.header_changed = False
                block.guessed = block.guessed or self.header_changed
                self.group = _Group(block)
                self.next_serial = int(block.text) + 1
                if at + 1 < len(blocks) and _is_serial(blocks[at + 1]):
                    # serials one after the other: pdftotext read the serial column down,
                    # the cells come elsewhere; this row and the next are not in order
                    self.listed.update((id(block), id(blocks[at + 1])))
            elif self.group is not None:
                self.group.parts[-1].append(block)
            elif self.header and note_row([block.text]) is not None:
                self.flush()  # a note across the table under the list (注：…)
                self.tables.row([block.text], line=block.first, page=block.page)
            elif self.header or self.unreadable:
                self.orphan([block], "text in no row of the list")
            else:
                self.flush()
                self.tables.text(block.text, line=block.first, page=block.page)
            at += 1
        self.finish_group()
        self.flush()

    def flush(self) -> None:
        """Give the table the row held back (see ``finish_group``)."""
        if self.pending is None:
            return
        (cells, line, line_last, page), blocks = self.pending, self.pending_blocks
        self.pending = None
        rows = len(self.document.rows)
        try:
            self.tables.row(cells, line=line, line_last=line_last, page=page)
        except ExtractionError as exc:  # the header read is not this table's
            self.orphan(blocks, str(exc))
            return
        if any(block.guessed for block in blocks) and len(self.document.rows) > rows:
            self.document.rows[-1].warnings.append(GUESSED)

    def is_section(self, blocks: list[Block], at: int) -> bool:
        """A section row (``一、党的建设`` spanning the table): one numbered line right above
        the next row's serial."""
        block = blocks[at]
        if not self.header or len(block.lines) != 1 or not _SECTION_LINE_RE.match(block.text):
            return False
        category = section_category([block.text])
        # right above a serial; elsewhere (pdftotext put it among a row's cells) only a
        # short run of Han characters, as no duty cell is
        return category is not None and (
            (at + 1 < len(blocks) and self.is_serial(blocks[at + 1]))
            or _SECTION_WORD_RE.fullmatch(category) is not None)

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
            if len(block.lines) > 1 and _header_cell(head) and (
                    column_of_header(head) or _header_run_in(block, extra=True)):
                # The last header cell run into the first cell below it: two blocks.
                cells.append(head)
                blocks[end] = Block(block.lines[1:], block.first + 1, block.page)
                end += 1
            break
        if cells != self.header:
            self.finish_group()
            self.flush()
            # a new table starts at serial 1; a list going on under a header printed with
            # other columns (one printed elsewhere on the page) goes on at its next serial,
            # its rows flagged: a cell of the column missing here may be elsewhere
            self.header_changed = bool(self.header)
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
        note = None
        if len(blocks) == width and note_row([blocks[-1].text]) is not None:
            # a block too many, the last a note across the table under the list (注：…),
            # printed after the last row: no cell of it
            note = parts[-1].pop()
            parts = [part for part in parts if part]
            blocks.pop()
        self.finish_row(group, parts, blocks)
        if note is not None:
            self.flush()
            self.tables.row([note.text], line=note.first, page=note.page)

    def finish_row(self, group: _Group, parts: list[list[Block]], blocks: list[Block]) -> None:
        width = len(self.header)
        cells = self.cells_of(parts, width - 1)
        last = blocks[-1] if blocks else group.serial
        if id(group.serial) in self.listed:
            self.flush()
            self.orphan([group.serial, *blocks], f"row {group.serial.text}: its serial "
                        "printed in a column of serials, its cells elsewhere (dump it with "
                        "-layout)")
            return
        if group.serial.by_columns and len(parts) > 1:
            # put together from a page read by columns, and going on on the next page: which
            # of its cells goes on is not known
            self.flush()
            self.orphan([group.serial, *blocks], f"row {group.serial.text}: cut by a page "
                        "break on a page pdftotext read by columns (dump it with -layout)")
            return
        if cells is None or len(cells) != width - 1:
            # Not one block per column: which block is which cell is not known. The row is
            # not made up: its serial goes missing and its text is reported lost. A row
            # short of a block most often had a cell run into the row before (pdftotext
            # joins two cells one under the other): that row is not trusted either.
            if len(blocks) < width - 1 and self.pending is not None and (
                    self.pending[3] == group.serial.page):
                self.orphan(self.pending_blocks, f"row {self.pending[0][0]}: the row below "
                            "it lacks a cell, which may have run into this one")
                self.pending = None
            self.flush()
            self.orphan([group.serial, *blocks], f"row {group.serial.text}: {len(blocks)} "
                        f"blocks for {width - 1} columns (pdftotext did not print each cell "
                        "as a block of its own: dump it with -layout)")
            return
        if group.serial.guessed or any(block.guessed for block in blocks):
            self.doubt([group.serial, *blocks])
        # held back until the next row shows it kept all its cells
        self.flush()
        self.pending = ([group.serial.text, *cells], group.serial.first,
                        last.first + len(last.lines) - 1, group.serial.page)
        self.pending_blocks = [group.serial, *blocks]

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
            if all(block.column is not None for block in part):  # placed by their page
                for block in part:
                    cells[block.column or 0] += block.text
                continue
            if len(part) > columns:
                return None
            longest = sorted(sorted(range(columns), key=lambda c: -len(cells[c]))[:len(part)])
            for column, block in zip(longest, part, strict=True):
                cells[column] += block.text
        return cells

    def doubt(self, blocks: list[Block]) -> None:
        """A row read from a page out of row order: kept, as the likeliest reading, and its
        text reported lost as well, so that the extraction is not trusted."""
        self.document.orphans.extend(SourceLine(block.first, block.text, block.page)
                                     for block in blocks if block.text)
        if blocks[0].page not in self.doubted_pages:
            self.doubted_pages.add(blocks[0].page)
            self.document.warnings.append(
                f"page {blocks[0].page}: pdftotext printed the cells out of row order; its rows "
                "are put back by their columns, a likely reading but not a certain one, and "
                "their text is reported lost")

    def orphan(self, blocks: list[Block], why: str) -> None:
        for block in blocks:
            self.document.orphans.append(SourceLine(block.first, block.text, block.page))
        if blocks:
            self.document.warnings.append(f"page {blocks[0].page}, line {blocks[0].first}: "
                                          f"{why}; its text is reported lost")


_NUMBERED_RE = re.compile(r"^\d{1,2}[.．、]")


def _column_header(block: Block) -> bool:
    """A header cell among a page's columns: never a list of things (``、``), as a name
    that holds a header word can be (``规范村工作机制、牌子、证明事项``), nor a numbered
    step (``1.按照推荐条件和要求筛选符合条``, a duty cell's first line)."""
    return _header_cell(block.text) and "、" not in block.text and not _NUMBERED_RE.match(
        block.text)


def _total(block: Block) -> bool:
    """A cell of a row totalling the list: 合计 (合计：共12项), or its count (共12项)."""
    text = strip_spaces(block.text)
    return len(block.lines) == 1 and (
        total_row([text]) is not None or _COUNT_CELL_RE.match(text) is not None)


def _is_serial(block: Block) -> bool:
    return _SERIAL_RE.match(block.text) is not None


def _by_columns(page: list[Block], at: int) -> list[Block] | None:
    """A page whose table pdftotext read column by column, put back in rows; None if it was
    not read so, or not so that every cell is known.

    pdftotext reads the narrow columns of a page one after the other: the serial's header,
    the page's serials, then each narrow column's header and its cells, one per row; the
    headers of the wide columns follow together, then their cells row by row. ``at`` is the
    serial header's block. Every column must give one block per row: a cell run into another
    or cut in two is not guessed at (the rows are then read as they come, and what does not
    fit is reported lost)."""
    serials: list[Block] = []
    end = at + 1
    while end < len(page) and _is_serial(page[end]) and (
            not serials or int(page[end].text) == int(serials[-1].text) + 1):
        serials.append(page[end])
        end += 1
    if not serials:
        return None
    rows = len(serials)
    headers = [page[at]]
    columns: list[list[Block]] = []
    while end < len(page) and _column_header(page[end]):
        cells: list[Block] = []
        after = end + 1
        # a cell may hold a header's word (a name ``…事项…``): a header ends the column only
        # if it heads another one
        while after < len(page) and not _is_serial(page[after]) and not (
                _column_header(page[after]) and (len(cells) >= rows or column_of_header(
                    page[after].text) != column_of_header(page[end].text))):
            cells.append(page[after])
            after += 1
        if len(cells) != rows:
            break
        headers.append(page[end])
        columns.append(cells)
        end = after
    # the wide columns: their headers together, then their cells row by row
    wide: list[Block] = []
    groups: list[Block] = []  # a two-row header's group cell (具体职责) heads no column
    while end < len(page) and _column_header(page[end]):
        (groups if strip_spaces(page[end].text) in HEADER_GROUPS else wide).append(page[end])
        end += 1
    cells = []
    while end < len(page) and not _is_serial(page[end]):
        cells.append(page[end])
        end += 1
    if len(cells) != rows * len(wide) or not (columns or wide):
        return None
    if end < len(page) and _is_serial(page[end]):
        # more rows follow, printed otherwise: the cell counts may hide two cells run into
        # one block (``_by_chains`` reads such a page whole)
        return None
    kinds = [column_of_header(block.text) for block in wide]
    labelled = sorted(kinds, key=str) == ["name", "receiver"]
    if len(wide) > 1 and not labelled and any(kind not in _WIDE_IN_ORDER for kind in kinds):
        # A short cell among tall ones (a name, a legal basis) may be printed after them,
        # as a department's is; only the department is told by its words (and a receiver
        # cell by its label, see ``_labelled``).
        return None
    department = next((at for at, block in enumerate(wide) if column_of_header(
        block.text) in ("departments", "receiver_department")), None)
    rows_out: list[list[Block]] = []
    for row in range(len(serials)):
        row_cells = cells[row * len(wide):(row + 1) * len(wide)]
        placed = (_labelled(row_cells, kinds.index("receiver")) if labelled
                  else _placed(row_cells, department))
        if placed is None:
            return None
        rows_out.append(placed)
    # A department printed after the duty cells beside it was put in its row by its words:
    # poppler may print it later still (after the next rows' cells), so the page's rows are
    # a likely reading, not a sure one.
    moved = any(placed != cells[row * len(wide):(row + 1) * len(wide)]
                for row, placed in enumerate(rows_out))
    out = [*headers, *groups, *wide]
    for row, serial in enumerate(serials):
        out.append(replace(serial, by_columns=True, guessed=moved))
        out += [column[row] for column in columns] + rows_out[row]
    return out + page[end:]


# Wide columns whose cells pdftotext prints in column order, but for the department's (see
# ``_placed``).
_WIDE_IN_ORDER = ("departments", "upper_duties", "township_duties", "receiver_department")
def _department_like(block: Block) -> bool:
    """A department's cell: offices one after the other, no sentence, no serial."""
    return not block.text[:1].isdigit() and offices_only(block.text)


_RECEIVER_LABEL_RE = re.compile(r"^(?:承接部门|承接单位)[：:]")


def _labelled(blocks: list[Block], receiver: int) -> list[Block] | None:
    """A name and a receiver cell in either order: the receiver is the one block that starts
    with its label (``承接部门：``); None if not exactly one does."""
    named = [at for at, block in enumerate(blocks) if _RECEIVER_LABEL_RE.match(block.text)]
    if len(blocks) != 2 or len(named) != 1:
        return None
    other = blocks[1 - named[0]]
    return [blocks[named[0]], other][::-1] if receiver == 1 else [blocks[named[0]], other]


def _placed(blocks: list[Block], department: int | None) -> list[Block] | None:
    """A row's cells of the wide columns, in column order. pdftotext reads them in the order
    their text starts on the page: a department's one line, centred on a tall row, often
    after the duty cells beside it; the others keep their order. The department cell is the
    one block that names an office; None if not exactly one does."""
    if department is None:
        return blocks
    named = [at for at, block in enumerate(blocks) if _department_like(block)]
    if len(named) != 1:
        return None
    rest = [block for at, block in enumerate(blocks) if at != named[0]]
    return [*rest[:department], blocks[named[0]], *rest[department:]]


def _in_rows(blocks: list[Block]) -> list[Block]:
    """The blocks with every table of every page read column by column, or out of row order,
    put back in rows."""
    out: list[Block] = []
    known: list[str] = []  # the last header printed cell after cell: its columns' order
    carried: list[str] = []  # the last header as put back with its rows
    for page in _pages(_groups_apart(blocks)):
        starts = [at for at, block in enumerate(page) if block.text in _SERIAL_HEADERS]
        out += _headless(page[:starts[0]] if starts else page, carried)
        for start, end in zip(starts, [*starts[1:], len(page)], strict=False):
            # a total row (合计 | 共12项) is no row's cell: poppler prints its cells in the
            # stacks of the columns they stand in, after the list's last row in each
            totals = [block for block in page[start:end] if _total(block)]
            table = [block for block in page[start:end] if not _total(block)]
            rows = _by_columns(table, 0)
            if rows is None:
                rows = _by_chains(table, 0, known)
            known = _header_of(table) or known
            # the header as the rows go on under it: a page without one goes on with it
            carried = _header_of(rows if rows is not None else table) or carried
            out += (rows if rows is not None else table) + totals
    return out


def _header_of(table: list[Block]) -> list[str]:
    """The header cells opening ``table`` (its serial header first) one after the other, a
    group cell left out; none if fewer than two follow the serial header."""
    width = _header_width(table[1:])
    return [block.text for block in table[:width + 1]
            if strip_spaces(block.text) not in HEADER_GROUPS] if width > 1 else []


def _headless(blocks: list[Block], known: list[str]) -> list[Block]:
    """The blocks of a page before its first header: where they are rows of the table
    before it out of row order (a table whose header is printed on its first page only, as
    Word prints one whose top row is not marked to repeat), those rows put back by the
    columns of its header (``known``), as ``_by_chains`` puts back a page with its header."""
    first = next((at for at, block in enumerate(blocks) if _is_serial(block)), None)
    if not known or first is None:
        return blocks
    header = [Block([text], blocks[0].first, blocks[0].page) for text in known]
    if _in_row_order([*header, *blocks[first:]]):
        return blocks  # read as it comes (a row cut by the page break goes on before it)
    rows = _by_chains([*header, *blocks], 0, known)
    return blocks if rows is None else rows


def _groups_apart(blocks: list[Block]) -> list[Block]:
    """The blocks with a two-row header's group cell run into the cell below it
    (``职责划分`` over ``上级部门职责``, one block) cut in two: the group heads no column, and
    the header must read the same on every page however poppler printed it. A receiver's
    whole header over its two columns' (承接部门及工作方式 over 承接部门 | 工作方式) is such a
    group too, and is left out, in its block or one of its own, as a group's text is left
    out of the header's cells (``_Reader.header_at``): read as a column, it made the header
    a column too wide, and every receiver cell moved a column."""
    out: list[Block] = []
    for at, block in enumerate(blocks):
        rest = Block(block.lines[1:], block.first + 1, block.page)
        if len(block.lines) > 1 and _over_receiver_parts(block.lines[0], rest):
            out.append(rest)
        elif len(block.lines) == 1 and at + 1 < len(blocks) and _over_receiver_parts(
                block.text, blocks[at + 1]):
            continue
        elif _headers_run_together(block):
            out += [Block([line], block.first + at, block.page)
                    for at, line in enumerate(block.lines)]
        elif len(block.lines) > 1 and strip_spaces(block.lines[0]) in HEADER_GROUPS and (
                _column_header(rest)):
            out += [replace(block, lines=block.lines[:1]), rest]
        else:
            out.append(block)
    return out


def _headers_run_together(block: Block) -> bool:
    """Header cells of different columns, or a group cell over them, run into one block a
    line each (承接情况 | 事项名称 | 承接单位): no one cell wrapped, as ``履职事项 | 名称``
    is (its lines name one column)."""
    columns = [column_of_header(line) for line in block.lines
               if strip_spaces(line) not in HEADER_GROUPS]
    return len(block.lines) > 1 and all(
        strip_spaces(line) in HEADER_GROUPS or _column_header(Block([line], 0, 0))
        for line in block.lines) and None not in columns and len(set(columns)) == len(columns)


_RECEIVER_PARTS = ("receiver_department", "receiver_method")


def _over_receiver_parts(head: str, below: Block) -> bool:
    """A header cell naming the receiver whole (承接部门及工作方式) over the header of one of
    its two columns (承接部门, its first line): a group cell over them."""
    first = Block(below.lines[:1], below.first, below.page)
    return _header_cell(strip_spaces(head)) and column_of_header(head) == "receiver" and (
        _column_header(first) and column_of_header(first.text) in _RECEIVER_PARTS)


def _pages(blocks: list[Block]) -> list[list[Block]]:
    pages: list[list[Block]] = []
    for block in blocks:
        if not pages or block.page != pages[-1][0].page:
            pages.append([])
        pages[-1].append(block)
    return pages


def _header_width(blocks: list[Block]) -> int:
    """How many header cells open ``blocks`` one after the other (a group cell is none)."""
    width = 0
    for block in blocks:
        if _is_serial(block) or not _header_cell(block.text):
            break
        width += 1
    return width


def _section_line(block: Block) -> bool:
    """A section row's line (``一、党的建设``), as ``_Reader.is_section`` reads it."""
    return len(block.lines) == 1 and _SECTION_LINE_RE.match(block.text) is not None


def _section_row(block: Block) -> bool:
    """A section row's line that names a category (see ``section_category``)."""
    return _section_line(block) and section_category([block.text]) is not None


def _in_row_order(blocks: list[Block]) -> bool:
    """The header's cells one after the other, then each serial and one block a column."""
    width = _header_width(blocks)
    # a two-row header's group cell (职责划分) heads no column
    columns = sum(strip_spaces(block.text) not in HEADER_GROUPS for block in blocks[:width])
    rest = [block for block in blocks[width:] if not _section_line(block)]
    while rest and note_row([rest[-1].text]) is not None:
        rest.pop()  # a note across the table under its last row (注：…)
    return columns > 0 and len(rest) % (columns + 1) == 0 and all(
        _is_serial(block) for block in rest[::columns + 1])


def _pieces(block: Block) -> list[tuple[Block, bool]]:
    """A block cut where a cell may end (see ``pieces_of``): each piece, and whether it goes
    on the piece before."""
    out: list[tuple[Block, bool]] = []
    first = block.first
    for at, lines in enumerate(pieces_of(block.lines)):
        out.append((Block(lines, first, block.page), at > 0))
        first += len(lines)
    return out


def _joined(pieces: list[Block], serial: Block) -> Block:
    """One cell of pieces (none: an empty cell, placed at its row's serial)."""
    if not pieces:
        return Block([], serial.first, serial.page)
    return Block([line for piece in pieces for line in piece.lines], pieces[0].first,
                 pieces[0].page)


def _headers_apart(blocks: list[Block]) -> list[Block]:
    """The blocks with a header cell run into the cell below it (``牵头部门职责`` over a duty
    cell's first line, one block) cut in two, as ``_Reader.header_at`` does."""
    out: list[Block] = []
    serial = False  # a serial read: the header's cells printed before it are behind
    for block in blocks:
        serial = serial or _is_serial(block)
        if _header_run_in(block, extra=not serial):
            out += [Block(block.lines[:1], block.first, block.page),
                    Block(block.lines[1:], block.first + 1, block.page)]
        else:
            out.append(block)
    return out


def _header_run_in(block: Block, *, extra: bool) -> bool:
    """A block whose first line is a header cell run into the cell below it: a model
    column's header, or with ``extra`` (before the page's first serial, among the header's
    cells) an extra column's (履职依据): elsewhere a word of an extra column's (条件, 标准 …)
    is often in a duty cell's first line. The line must end a cell, short of the block's
    widest (a wrapped cell's first line filling the column, ``上级部门收回`` over
    ``事项，按年度``, is no header)."""
    head = block.lines[0].strip()
    return len(block.lines) > 1 and _column_header(Block([head], block.first, block.page)) and (
        extra or column_of_header(head) is not None) and len(pieces_of(block.lines)[0]) == 1


# The model's columns in the order lists print them, for a header printed out of order.
_MODEL_ORDER = ("serial", "category", "name", "departments", "upper_duties", "township_duties",
                "receiver", "receiver_department", "receiver_method")


def _by_chains(page: list[Block], at: int, known: list[str]) -> list[Block] | None:
    """The table starting at the serial header ``page[at]``, out of row order, put back in
    rows by its columns (see ``_plain_chains``); None if it reads in order or cannot be put
    back so. Its serials are marked as guessed: the reading is the likeliest, not a sure one.
    Header cells may be printed in any order among the cells: their columns are in the order
    of ``known`` (the table's header as printed before) when they are its cells."""
    end = next((i for i in range(at + 1, len(page)) if page[i].text in _SERIAL_HEADERS),
               len(page))
    if _in_row_order(page[at + 1:end]):
        return None  # read as it comes
    headers, serials, cells = [page[at]], list[Block](), list[Block]()
    # section rows, by the serial they stand above: printed from the serial column's edge, a
    # section row's line stands in that column's stack, right before the serial below it
    sections: dict[int, list[Block]] = {}
    above: list[Block] = []
    named: set[str] = set()
    printed_after: dict[int, int] = {}  # a header's block: the cells printed before it
    blocks = _headers_apart(page[at + 1:end])
    last = max((index for index, block in enumerate(blocks) if _is_serial(block)), default=0)
    notes = [block for block in blocks[last:] if note_row([block.text]) is not None]
    for block in blocks:
        key = column_of_header(block.text) or strip_spaces(block.text)
        if any(block is note for note in notes):
            continue  # a note across the table under its last row (注：…): no cell
        if _is_serial(block):
            sections[int(block.text)], above = above, []
            serials.append(block)
            cells.append(block)
        elif _column_header(block) and key not in named:
            named.add(key)
            headers.append(block)
            printed_after[id(block)] = len(cells)
        elif _section_row(block):
            above.append(block)
        else:
            cells.append(block)
    serials.sort(key=lambda block: int(block.text))
    first = int(serials[0].text) if serials else 0
    if [int(block.text) for block in serials] != list(range(first, first + len(serials))):
        return None  # a number that is no serial, or a serial twice: not guessed at
    columns = [block for block in headers if strip_spaces(block.text) not in HEADER_GROUPS]
    if sorted(block.text for block in columns) == sorted(known):
        columns.sort(key=lambda block: known.index(block.text))
    elif all(column_of_header(block.text) in _MODEL_ORDER for block in columns):
        columns.sort(key=lambda block: _MODEL_ORDER.index(str(column_of_header(block.text))))
    pieces: list[tuple[Block, bool]] = []
    starts = []  # the index of each cell's first piece
    for block in cells:
        starts.append(len(pieces))
        pieces += _pieces(block)
    starts.append(len(pieces))
    tail = first > 1  # the list began before: a row cut by the page break may go on here
    # (an extra column's kind reads ``extra:…``: never a model column's)
    kinds = [column_of_header(block.text) or extra_kind(strip_spaces(block.text))
             for block in columns]
    table = _read_columns(
        kinds, len(serials), [(piece.text, goes_on) for piece, goes_on in pieces],
        first, tail, [starts[printed_after.get(id(block), 0)] for block in columns], starts,
        [(len(piece.lines), widest(piece.lines)) for piece, _ in pieces])
    if table is None:
        return None
    if "category" in kinds:
        table = centred_runs(table, [len(piece.lines) for piece, _ in pieces],
                             kinds.index("category"), tail=tail, continued=first > 1)
    # the header in the order of the cells below it (a group cell heads no column)
    out = columns + [block for block in headers if block not in columns]
    if tail:
        rest, table = table[0], table[1:]
        out += [replace(_joined([pieces[at][0] for at in cell], serials[0]), column=column,
                        guessed=True) for column, cell in enumerate(rest[1:]) if cell]
    for serial, row in zip(serials, table, strict=True):
        out += sections.get(int(serial.text), [])
        out.append(replace(serial, guessed=True))
        out += [_joined([pieces[at][0] for at in cell], serial) for cell in row[1:]]
    return out + above + notes + page[end:]


# The most cells spanning a receiver's two columns looked for after a page's rows.
_SPANS_LAST = 6


def _read_columns(kinds: list[str | None], rows: int, pieces: list[tuple[str, bool]],
                  first: int, tail: bool, opens: list[int], starts: list[int],
                  shapes: list[tuple[int, int]]) -> list[list[list[int]]] | None:
    """``columns_of``; where no reading places every piece, one with the page's last cells
    spanning a split receiver's two columns (``_spans_apart``), and failing that the search
    again, keeping more readings (``WIDE_BEAM``)."""
    table = columns_of(kinds, rows, pieces, first, tail, opens)
    if table is None and {"receiver_department", "receiver_method"} <= set(kinds):
        table = _spans_apart(kinds, rows, pieces, first, tail, opens, starts, shapes)
    return table or columns_of(kinds, rows, pieces, first, tail, opens, WIDE_BEAM)


def _spans_apart(kinds: list[str | None], rows: int, pieces: list[tuple[str, bool]],
                 first: int, tail: bool, opens: list[int], starts: list[int],
                 shapes: list[tuple[int, int]]) -> list[list[list[int]]] | None:
    """A reading with the last cells of the page (``starts``: the index of each cell's
    first piece) spanning a split receiver's two columns (承接部门 | 工作方式: 取消出具… for
    a duty no one takes on); None if there is none. Such a cell stands in neither column's
    stack, so poppler prints it after the page's rows; its columns' order cannot place it.
    The k last cells go, in order, to the rows whose two receiver cells are empty, where
    exactly k such rows are read without them (the largest such k), each row with both
    receiver cells or neither. The text is its method's (the receiver named by no
    department). ``shapes``: each piece's lines and its widest line's width: a span wrapped
    over two lines or more is wider than the method column's cells (it wraps at the two
    columns' width)."""
    department, method = kinds.index("receiver_department"), kinds.index("receiver_method")
    # the most cells first: a cell of the rows taken for one leaves a row with one receiver
    # cell, not two, empty, and the counts differ; fewer would leave a span in a row's cell.
    # A span is no department's cell (offices), nor a serial.
    counts = [count for count in range(1, min(_SPANS_LAST, len(starts) - 1) + 1)
              if not any(_SERIAL_RE.match(text) or offices_only(text)
                         for text, _ in pieces[starts[-1 - count]:])]
    for count in reversed(counts):
        cut = starts[-1 - count]
        table = columns_of(kinds, rows, pieces[:cut], first, tail, opens)
        if table is None:
            continue
        body = table[tail:]
        empty = [cells for cells in body if not cells[department] and not cells[method]]
        # a row has both its receiver's cells, or neither (a span over both)
        if len(empty) != count or any(bool(cells[department]) != bool(cells[method])
                                      for cells in body):
            continue
        column = max((shapes[at][1] for cells in body for at in cells[method]), default=0)
        if any(shapes[at][0] > 1 and shapes[at][1] <= column for at in range(cut, len(pieces))):
            continue  # wrapped in the method's column: its cell, no span
        for cells, start, end in zip(empty, starts[-1 - count:-1], starts[-count:],
                                     strict=True):
            cells[method] = list(range(start, end))
        return table
    return None


GUESSED = ("a likely reading, not a certain one: pdftotext printed this page's cells out of "
           "row order (dump the PDF with -layout)")


ADVICE = ("plain pdftotext printed some cells out of their rows: dump the PDF with "
          "`pdftotext -layout` and read that")


def read_plain(text: str) -> ExtractedDocument:
    tables = TableAssembler()
    _Reader(tables).read(_in_rows(blocks_of(text, tables)))
    try:
        document = tables.finish()
    except NoDutyListError as exc:
        if tables.document.orphans:  # tables there were, but no row of them could be read
            raise ExtractionError(f"no row could be read; {ADVICE}") from exc
        raise
    if document.orphans:
        document.advice = ADVICE
    return document


# 序 alone: 序号 wrapped in a narrow column (号 a line or more below, see ``blocks_of``)
_SERIAL_HEADER_LINE_RE = re.compile(r"(?m)^(?:序[ 　]?号|编[ 　]?号|(序))\n")


def looks_like_plain_dump(text: str) -> bool:
    """Pages apart by form feeds, and a column header whose cells are lines of their own:
    ``序号`` (or its 序 wrapped) on a line, the next header cell a line or two below."""
    if "\f" not in text:
        return False
    for match in _SERIAL_HEADER_LINE_RE.finditer(text):
        following = text[match.end():].split("\n", 3)[:3]
        # after 序 alone, a header cell alone on its line, as printed: a -layout dump wraps
        # 序号 too, the header's other cells on the line between, indented and spaced apart
        if any(line.strip() and _header_cell(line.strip()) and not (
                match.group(1) and (line != line.lstrip() or "  " in line))
               for line in following):
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
