"""Text dumped from a PDF by poppler's ``pdftotext -layout``: each page a grid of characters.

What such a dump looks like: pages apart by form feeds; on each page a running title, the
list title, the table's column header (repeated on every page), its rows, a page number. Each
printed line of the PDF is one line of text; table columns stand at character positions, but
only roughly: a CJK character takes one position where it takes two characters' width in the
PDF, so pdftotext pushes a cell's text to the right when the text on its left overruns. A cell
wraps over several lines, and, the cells of a row being vertically centred, the lines of the
row's cells interleave: the serial stands on the middle line of its row, a two-line cell has a
line above it and one below, the line between them may belong to another cell.

How it is read:

- **Cells of a line.** A line splits into runs of text at two or more spaces (a single space is
  text: ``门； 2.组织``). Each run is put in a column by an order-keeping match of its position
  against the column starts that the header gives (a run may be pushed right, never left).
- **Rows.** A row's lines lie around its serial line, every cell centred on it: each column has
  as many lines of a row above the serial line as below it. Rows are bounded by the cheapest
  reading of the page (``find_rows``): columns not centred on their serial, a cell's inner line
  that is short (a cell fills every line but its last), a blank line inside a row cost; so
  does the rest of a row at the top of a page in a column the page before ended with a short
  line (that line was its cell's last). A row cut by the page break (more lines on one side,
  the rest of a row above the first serial, the head of a row below the last) is allowed only
  at the top and bottom of a page and breaks ties only: where the page reads as well without
  one, that reading stands and its rows are in doubt. A part without a serial goes to the
  assembler as a row with an empty serial cell (it joins the row it belongs to). Where the
  best reading still contradicts the centring, the lines in doubt are reported as lost text,
  so that the extraction is never silently trusted.
- **Merged categories** (printed once, centred on the run of rows they cover) go to the first
  row of the run: the runs are the partition of the rows that centres each category best.
  A row is as tall as its tallest cell, whose lines are its printed lines; every other line
  stands between two of them or beside one. A run may cross a page break (the first on a
  page begun on the page before, the last going on on the next if the next page prints the
  same header): then only one side of its centre is known. A page is read both ways, runs
  complete and runs cut; where they disagree, where another partition centres as well (or
  the lines of a known word and the line below it, read as one category, do), or where a
  header printed again marks a broken row, the best reading stands but the page's categories
  are reported lost (never trusted).
- **Text outside the tables** once a list's title is read (no title, no page furniture) is a
  table the reader did not find: reported lost.
- **Everything else** (titles, headers by meaning, two-row headers, sections, extra columns,
  joining the parts of a cut row) is the table assembler's (``lvzhi.extractors.tables``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from lvzhi.extractor import ExtractionError, Extractor, NoDutyListError
from lvzhi.extractors.tables import (
    TableAssembler,
    is_cover_title,
    is_form_line,
    is_serial,
    note_row,
    total_row,
    unnumbered_header_kind,
)
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument, SourceLine
from lvzhi.text import decode_head, read_text, strip_spaces
from lvzhi.vocabulary import (
    EXTRA_HEADER_WORDS,
    HEADER_GROUPS,
    canonical_category,
    column_of_header,
    list_kind_of_title,
)

# A list printed without a 序号 column is out of this reader's reach: rows are found around
# their serials. Said in one line, where its header is seen.
UNNUMBERED = ("a list printed without a 序号 column: the pdftotext -layout reader finds rows by "
              "their serials and cannot read it (its text is reported lost); read the PDF itself")
_RUN_RE = re.compile(r"\S+(?: \S+)*")  # text apart from the next run by two spaces or more
_SPACES_RE = re.compile(r"\s+")
_PAGE_NUMBER_RE = re.compile(r"^[-—–_\s]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d+\s*页?)?[-—–_\s]*$")
_SECTION_RE = re.compile(r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[)）])")
# How many lines below 序 a header of several rows may print 号 (exclusive).
_SERIAL_REACH = 8
# The longest serial column header (序号, 编号, 顺序号, 序　号 …, spaces not counted).
_SERIAL_HEADER_CHARS = 4
_HAN_ONLY_RE = re.compile(r"[\u3400-\u9fff]+$")
# Positions a run may stand left of its column's start (rounding of pdftotext's grid).
_LEFT_TOLERANCE = 1


@dataclass(slots=True)
class Run:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def runs(line: str) -> list[Run]:
    return [Run(m.start(), m.group()) for m in _RUN_RE.finditer(line)]


@dataclass(slots=True)
class Line:
    number: int  # 1-based in the file
    text: str
    runs: list[Run]

    @property
    def blank(self) -> bool:
        return not self.runs


@dataclass(slots=True)
class Page:
    number: int
    lines: list[Line] = field(default_factory=list)


def pages_of(text: str) -> list[Page]:
    pages = [Page(1)]
    for number, raw in enumerate(text.split("\n"), start=1):
        while "\f" in raw:
            before, raw = raw.split("\f", 1)
            if before.strip():
                pages[-1].lines.append(Line(number, before, runs(before)))
            pages.append(Page(len(pages) + 1))
        raw = raw.replace("\t", " ").rstrip()
        pages[-1].lines.append(Line(number, raw, runs(raw)))
    return [page for page in pages if any(not line.blank for line in page.lines)]


# --- columns -------------------------------------------------------------------------------

def assign(line_runs: Sequence[Run], starts: Sequence[int]) -> list[int]:
    """The column of each run: columns never decrease along the line, a run stands at or right
    of its column's start (pdftotext pushes text right, never left), and as near it as can be.
    Two runs share a column only when nothing else fits."""
    return assign_at_cost(line_runs, starts)[0]


def assign_at_cost(line_runs: Sequence[Run], starts: Sequence[int]) -> tuple[list[int], float]:
    """``assign``, and what the assignment costs: 0 where every run stands in its column."""
    n, m = len(starts), len(line_runs)
    if m == 0:
        return [], 0.0
    infinite = float("inf")

    def cost(run: Run, column: int) -> float:
        if run.start < starts[column] - _LEFT_TOLERANCE:
            return 10.0 * (starts[column] - run.start)
        if column + 1 < n and run.start >= starts[column + 1] - _LEFT_TOLERANCE:
            return 1.0 + run.start - starts[column + 1]
        return 0.0

    # best[i][c]: cost of runs[:i+1] with run i in column c
    best = [[infinite] * n for _ in range(m)]
    back = [[-1] * n for _ in range(m)]
    for c in range(n):
        best[0][c] = cost(line_runs[0], c)
    for i in range(1, m):
        for c in range(n):
            here = cost(line_runs[i], c)
            for p in range(c + 1):
                total = best[i - 1][p] + here + (4.0 if p == c else 0.0)
                if total < best[i][c]:
                    best[i][c], back[i][c] = total, p
    column = min(range(n), key=lambda c: best[m - 1][c])
    total = best[m - 1][column]
    columns = [column]
    for i in range(m - 1, 0, -1):
        column = back[i][column]
        columns.append(column)
    return columns[::-1], total


@dataclass(slots=True)
class Header:
    first: int  # index of its first line on the page
    last: int  # index of its last line
    centre: int  # the line holding the serial column's header
    starts: list[int]  # where each column starts
    rows: list[list[str]]  # one or two rows of header cells


def header_span(lines: Sequence[Line], at: int) -> tuple[int, int] | None:
    """The first and last line of the serial column's header if one starts at ``lines[at]``:
    a serial header (``序号``, ``顺序号`` …: the vocabulary's) with other headers beside it,
    or its start (``序``, ``顺序``) and, a line or two below, its end (``号``: a narrow column
    wraps it)."""
    line = lines[at]
    if not line.runs or line.runs[0].start > 2:
        return None
    text = strip_spaces(line.runs[0].text)
    if _serial_header(text):
        return (at, at) if len(line.runs) >= 2 else None
    if not text or len(text) >= _SERIAL_HEADER_CHARS:
        return None
    # a header of several rows (a group cell over two columns, cells wrapped) puts the end
    # several lines below: nothing else stands at the left edge in between
    for below in range(at + 1, min(at + _SERIAL_REACH, len(lines))):
        runs_below = lines[below].runs
        if runs_below and runs_below[0].start <= 2:
            whole = text + strip_spaces(runs_below[0].text)
            return (at, below) if _serial_header(whole) else None
    return None


def _serial_header(text: str) -> bool:
    # Han characters only: a row's serial at the left edge over a header printed again below
    # it (a row broken by a page) is no wrapped 1 / 序号
    return (len(text) <= _SERIAL_HEADER_CHARS and bool(_HAN_ONLY_RE.match(text))
            and column_of_header(text) == "serial")


def _columns_of(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """Column extents from the runs of header lines: runs overlapping in position are one
    column."""
    every = [(at, run.start, run.end) for at, line in enumerate(lines) for run in line.runs]

    def overlapped(at: int, start: int, end: int) -> int:
        """The most runs of one other line that the run overlaps."""
        counts = Counter(other for other, first, last in every
                         if other != at and first < end and start < last)
        return max(counts.values(), default=0)

    # A group cell over two columns (职责分工 over 部门职责 | 乡镇职责) is no column of its own;
    # a cell overlapping one run above and one below (承接部门 under the group cell and over
    # its wrapped end 式) is.
    spans = sorted((start, end) for at, start, end in every if overlapped(at, start, end) < 2)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def read_header(lines: Sequence[Line], span: tuple[int, int]) -> Header:
    """The header around the serial column's header (``span``, see ``header_span``): the
    lines next to it, as many below its centre as above (its cells are centred on it), and
    the lines just below those that only a header prints (``_lower_header_line``)."""
    first, last = span
    centre = (first + last) // 2
    if first == last:
        while first > 0 and centre - first < _HEADER_REACH and _header_like(lines[first - 1]):
            first -= 1
        if first > 0 and not lines[first - 1].blank and not _above_table(lines[first - 1]):
            first = centre  # right under a table's rows: the lines above are no header
        last = min(centre + (centre - first), len(lines) - 1)
    else:
        # 序 and 号 apart: a cell wrapped over more lines starts a line or two above 序
        # (办 over 理 时 限, 承接部门及工作方 over 式)
        highest = first
        while highest > 0 and first - highest < _HEADER_BEYOND and _header_like(
                lines[highest - 1]):
            highest -= 1
        if highest < first and (highest == 0 or _bounds_header(lines[highest - 1])):
            first = highest
    while last > centre and lines[last].blank:
        last -= 1
    # A header's lines need not stand as many below its centre as above: a two-row header's
    # lower row (部门职责 | 乡镇职责) or a wrapped cell's end (办理时 / 限) may print lower.
    # Printed from the top of its cells (not centred), a two-row header's lower row stands
    # below a blank line: the upper row's cells are taller.
    while (below := _next_printed(lines, last + 1)) is not None and (
            below - span[1] <= _HEADER_BEYOND + 1) and (
            _lower_header_line(lines[first:last + 1], lines[below])):
        last = below
    block = lines[first:last + 1]
    columns = _columns_of(block)
    starts = [start for start, _ in columns]
    top = [""] * len(starts)
    bottom = [""] * len(starts)
    for at, line in enumerate(block, start=first):
        for run, column in zip(line.runs, assign(line.runs, starts), strict=True):
            if at <= centre:
                top[column] += run.text
            else:
                bottom[column] += run.text
    for column, (upper, lower) in enumerate(zip(top, bottom, strict=True)):
        if upper and lower and column_of_header(lower) is None:
            top[column], bottom[column] = upper + lower, ""  # a header cell wrapped
    # What is left below the centre names columns under a group cell: a second header row
    # (the assembler joins the two).
    rows = [top, bottom] if any(bottom) else [top]
    return Header(first, last, centre, starts, rows)


def _next_printed(lines: Sequence[Line], at: int) -> int | None:
    """The first line from ``at`` on that is not blank (one blank line skipped at most)."""
    for below in (at, at + 1):
        if below < len(lines) and not lines[below].blank:
            return below
    return None


# How many lines a header cell wraps above (and below) the serial column's header, at most.
_HEADER_REACH = 3
# How many lines a header prints beyond the lines its serial column's header spans.
_HEADER_BEYOND = 2
_SENTENCE_RE = re.compile("[。；;，,：:]")


def _bounds_header(line: Line) -> bool:
    """A line that may stand right above a header's first line: blank, a title, a form's
    填报单位 line or a page number."""
    return line.blank or _above_table(line) or _PAGE_NUMBER_RE.match(line.text) is not None


def _header_reading(text: str) -> str | None:
    """What a header cell's text names: a model column, ``extra`` (履职依据, 办理时限 …),
    ``group`` (职责分工 over two columns), or None (no header word)."""
    text = strip_spaces(text)
    if not text:
        return None
    if (column := column_of_header(text)) is not None:
        return column
    if any(word in text for word in EXTRA_HEADER_WORDS):
        return "extra"
    return "group" if text in HEADER_GROUPS else None


def _lower_header_line(block: Sequence[Line], line: Line) -> bool:
    """Whether ``line``, right below the header lines ``block``, is the header's too: each
    of its runs the end of a header cell wrapped above it (办理时 over 限: only then does
    the cell name a column, or another one), or a duty or receiver column's name under a
    group cell (部门职责 under 职责分工, 承接部门 under 承接部门及工作方式) and under no
    other header cell."""
    if not line.runs or is_serial(line.runs[0].text) or _is_title(line):
        return False
    every = [run for above in block for run in above.runs]

    def over(run: Run) -> list[Run]:
        """The header's runs standing over ``run`` (overlapping its positions)."""
        return [other for other in every if other.start < run.end and run.start < other.end]

    # a group cell, maybe wrapped (承接部门及 over 工作方式): what stands over it reads as one
    groups = [run for run in every if _header_reading(
        "".join(other.text for other in over(run))) in ("group", "receiver")]
    for run in line.runs:
        above = over(run)
        text = strip_spaces(run.text)
        if above and len(text) <= 3 and _HAN_ONLY_RE.match(text.rstrip(")）")):
            cell = strip_spaces("".join(other.text for other in above))
            reading = _header_reading(cell + text)
            if reading is not None and (reading != _header_reading(cell) or _opens(cell)):
                continue  # a wrapped cell's end (承接部门（单 over 位）)
        bare = _PAREN_TAIL_RE.sub("", text)  # 承接部门（单位）: as 承接部门
        if groups and len(text) <= _LOWER_HEADER_CHARS and bare.endswith(_LOWER_HEADER_ENDS) and (
                column_of_header(text) in _UNDER_GROUP and all(other in groups
                                                               for other in above)):
            continue
        return False
    return True


# The longest cell a two-row header prints under a group cell (乡镇（街道）配合职责).
_LOWER_HEADER_CHARS = 12
# How the cells a two-row header prints under a group cell end (部门职责, 承接单位, 工作方式).
_LOWER_HEADER_ENDS = ("职责", "部门", "单位", "方式", "主体", "机构")
_PAREN_TAIL_RE = re.compile(r"[（(][^（()）]*[)）]$")


def _opens(cell: str) -> bool:
    """Whether a header cell's text ends inside brackets (承接部门（单): it goes on below."""
    return cell.count("（") + cell.count("(") > cell.count("）") + cell.count(")")
# The columns a two-row header prints under a group cell.
_UNDER_GROUP = frozenset(("upper_duties", "township_duties", "receiver_department",
                          "receiver_method"))


def _header_like(line: Line) -> bool:
    """A line that can be part of a column header: short words, no sentence, no serial."""
    return bool(line.runs) and not _is_title(line) and all(
        len(run.text) <= 12 and not _SENTENCE_RE.search(run.text) for run in line.runs) and (
        not is_serial(line.runs[0].text))


def starts_of_rows(lines: Sequence[Line], width: int) -> list[int] | None:
    """Where the ``width`` columns of a table start on a page of its rows printed without
    its header. pdftotext sets each page on a grid of its own, and narrows a column where
    the page's text in it is short, so the page before says little: a cell's lines are set
    from its column's left edge (only text pushed right by its left neighbour starts later),
    so the columns start where several runs start. None unless exactly ``width`` places,
    the left edge and those where two runs or more start, and every run stands in a column
    so found (the serial column at the left edge aside: a page may hold one row): a page
    with an empty column, or with runs pushed to one place, is not read as the table's."""
    counts = Counter(run.start for line in lines for run in line.runs)
    found = [0, *sorted(at for at, count in counts.items()
                        if count >= 2 and at > _LEFT_TOLERANCE)]
    if len(found) != width:
        return None
    if any(assign_at_cost(line.runs, found)[1] for line in lines):
        return None
    return found


def _footer(line: Line) -> str:
    """What a line printed from a table's left edge after a list's rows is: "total" for a
    合计 row (``合计  共12项``), "note" for a 注 row across the table, else ""."""
    if not line.runs or line.runs[0].start > 2:
        return ""
    if total_row([run.text for run in line.runs]) is not None:
        return "total"
    return "note" if note_row([line.runs[0].text]) is not None else ""


def _ends_table_line(lines: Sequence[Line], at: int) -> bool:
    """Whether a line after a blank one starts something other than the table's rows. A
    title stands alone on its line: a row's line whose last cell wraps after 基本履职事项
    (a 备注 cell) is no title."""
    return _PAGE_NUMBER_RE.match(lines[at].text) is not None or (
        header_span(lines, at) is not None or (_is_title(lines[at])
                                               and len(lines[at].runs) == 1))


def _list_title_row(line: Line) -> bool:
    """A list's title printed as a row of a table holding several lists (``二、某镇配合履职
    事项清单``): alone on its line, numbered or ending in 清单 (a wrapped cell's line such
    as 基本履职事项 is neither)."""
    text = strip_spaces(line.text)
    return len(line.runs) == 1 and (bool(_SECTION_RE.match(text)) or text.endswith("清单")) and (
        list_kind_of_title(text) is not None)


def _above_table(line: Line) -> bool:
    """A line that may stand right above a table's header: a title, or a form's 填报单位 line."""
    return _is_title(line) or is_form_line(line.text)


def _is_title(line: Line) -> bool:
    return _title_text(line.text)


def _title_text(text: str) -> bool:
    text = strip_spaces(text)
    return bool(text) and (list_kind_of_title(text) is not None or is_cover_title(text))


def _wraps_title(line: Line, following: Line) -> bool:
    """Whether ``line`` is the first part of a title that ``following`` completes: no
    title alone, one run, no sentence, and as wide as the line after it (a line wraps only
    where it is full; 附件1 over a title is no part of it)."""
    text, rest = strip_spaces(line.text), strip_spaces(following.text)
    return len(line.runs) == 1 and not _is_title(line) and not _SENTENCE_RE.search(text) and (
        em_width(text) >= em_width(rest)) and _title_text(text + rest)


# --- rows ----------------------------------------------------------------------------------

@dataclass(slots=True)
class Anchor:
    at: int  # index of the line in the body
    section: str = ""  # the text of a section row (一、党的建设), else ""


@dataclass(slots=True)
class Body:
    """A table's body on one page: per line, the text of each column."""

    lines: list[Line]
    cells: list[list[str]]  # per line, per column ("" where the column is empty)
    anchors: list[Anchor]
    gaps: set[int] = field(default_factory=set)  # lines with a blank line above them
    # Whether the body starts the page's table (a row cut by the page break may end above
    # it) and whether it ends the page (a row may go on on the next page).
    page_top: bool = True
    page_bottom: bool = True
    # Per column, whether the table before this body (on the page before) ended that column's
    # cell with a full line or not yet begun it in its last part: only then can the cell go
    # on here. None: not known.
    continues: list[bool] | None = None
    list_start: bool = False  # the first rows of a list (nothing above to fill down from)

    def splits(self, start: int, end: int) -> bool:
        """Whether a blank line stands inside [start, end): no row holds one."""
        return any(start < gap < end for gap in self.gaps)

    def count(self, column: int, first: int, last: int) -> int:
        """Lines in [first, last) where ``column`` has text."""
        return sum(1 for at in range(first, last) if self.cells[at][column])


def body_of(all_lines: Sequence[Line], starts: Sequence[int]) -> Body:
    cells: list[list[str]] = []
    anchors: list[Anchor] = []
    lines: list[Line] = []
    gaps: set[int] = set()
    for line in all_lines:
        if line.blank:
            if lines:
                gaps.add(len(lines))
            continue
        lines.append(line)
    for at, line in enumerate(lines):
        row = [""] * len(starts)
        columns = assign(line.runs, starts) if line.runs else []
        for run, column in zip(line.runs, columns, strict=True):
            row[column] = f"{row[column]} {run.text}" if row[column] else run.text
        cells.append(row)
        first = line.runs[0] if line.runs else None
        if first is None or columns[0] != 0:
            continue
        if is_serial(first.text):  # as the assembler reads serials: 1 1. 1、 （1） 1.0
            anchors.append(Anchor(at))
        elif len(line.runs) == 1 and _SECTION_RE.match(first.text):
            anchors.append(Anchor(at, section=first.text))
    return Body(lines, cells, anchors, gaps)


@dataclass(slots=True)
class Rows:
    """Where each row of a body starts and ends (line indexes, end exclusive), the lines
    before the first row (the rest of a row cut at the top of the page) and after the last
    (the head of a row cut at its bottom), and the rows whose bounds are in doubt."""

    bounds: list[tuple[int, int]]
    doubtful: set[int]
    # rows bound otherwise by a reading as well centred without a row cut by the page break
    tied: set[int] = field(default_factory=set)

    @property
    def head(self) -> int:
        return self.bounds[0][0] if self.bounds else 0


def em_width(text: str) -> float:
    """How wide a text prints, in CJK characters: a Latin letter, digit or space is half."""
    return sum(0.5 if ord(char) < 0x2000 else 1.0 for char in text)


# A line this much narrower than its column's widest is the last of its cell, never the
# first or a middle one: a cell's text fills every line but its last.
_SHORT = 2.5
# What reading a line as part of a row cut by the page break (the rest of the row before,
# the head of the row after) costs against reading it in the row beside it: a little, so
# that a row takes the lines its symmetry allows.
_CUT_LINE = 0.25
_GAP = 100.0  # a blank line inside a row
# A line inside a cell that starts with a first step: it may (the numbering starts a wrapped
# line by chance), so it only breaks ties.
_RESTART = 1.5
_RUNS_ON = 0.5
_MERGED_LINE = 0.3
_FIRST_STEP_RE = re.compile(r"^(?:1[.．、](?!\d)|一、)")


class _Costs:
    """What each way of bounding a row costs, from prefix counts of every column's lines."""

    def __init__(self, body: Body) -> None:
        self.body = body
        width = len(body.cells[0])
        self.width = width
        self.prefix = [[0] * (len(body.cells) + 1) for _ in range(width)]
        for column in range(width):
            counts = self.prefix[column]
            for at, cells in enumerate(body.cells):
                counts[at + 1] = counts[at] + (1 if cells[column] else 0)
        # A column's full line: most lines are full, and one line may read wider than it
        # prints (the width of a character is only estimated), so not the widest.
        self.short_below = []
        # per column, the line of its last text above each line (-1: none) and how full
        # each of its lines is
        self.last_text: list[list[int]] = []
        self.fullness: list[list[float]] = []
        for column in range(width):
            widths = sorted(em_width(cells[column]) for cells in body.cells if cells[column])
            full = widths[int(0.9 * (len(widths) - 1))] if widths else 0.0
            # in a narrow column (a category's) a line a third shorter is short already
            self.short_below.append(full - max(min(_SHORT, 0.3 * full), 0.1 * full))
            last, above = -1, [-1]
            for at, cells in enumerate(body.cells):
                last = at if cells[column] else last
                above.append(last)
            self.last_text.append(above)
            self.fullness.append([em_width(cells[column]) / full if full else 0.0
                                  for cells in body.cells])

    def count(self, column: int, first: int, last: int) -> int:
        counts = self.prefix[column]
        return counts[max(last, first)] - counts[first]

    def short(self, first: int, last: int) -> int:
        """Short lines of a cell followed by more lines of the same cell in [first, last)."""
        found = 0
        for column in range(1, self.width):
            texts = [cells[column] for cells in self.body.cells[first:last] if cells[column]]
            found += sum(1 for text in texts[:-1] if em_width(text) < self.short_below[column])
        return found

    def runs_on(self, first: int, last: int) -> int:
        """Columns whose last line in [first, last) is full and whose text goes on below:
        a cell's last line is most often short, so the cell likely goes on too."""
        found = 0
        for column in range(1, self.width):
            texts = [cells[column] for cells in self.body.cells[first:last] if cells[column]]
            if texts and em_width(texts[-1]) >= self.short_below[column] and (
                    self.count(column, last, len(self.body.cells))):
                found += 1
        return found

    def restarts(self, first: int, last: int) -> int:
        """Lines inside a cell that start its numbering again (``1.`` ``一、``): a cell's
        first step starts its first line more often than not."""
        found = 0
        for column in range(1, self.width):
            texts = [cells[column] for cells in self.body.cells[first:last] if cells[column]]
            found += sum(1 for text in texts[1:] if _FIRST_STEP_RE.match(text))
        return found

    def row(self, first: int, anchor: int, last: int, *, top: bool,
            bottom: bool) -> tuple[float, float]:
        """A row [first, last) around its serial line: every column as many lines above as
        below. The first row of a page may be the second part of a row cut by the break
        (more lines below), the last may be the first part (more above): that costs only
        in the second place, to choose between readings that are otherwise as good."""
        cost, cut = 0.0, 0.0
        for column in range(1, self.width):
            above = self.count(column, first, anchor)
            below = self.count(column, anchor + 1, last)
            if (top and below > above) or (bottom and above > below):
                cut += abs(above - below)
            elif abs(above - below) == 1 and self.body.cells[anchor][column]:
                # pdftotext ran one line of a cell of two into the serial's line (another
                # cell's text between their baselines joins them): not quite centred
                cost += _MERGED_LINE
            else:
                cost += abs(above - below)
        cost += self.short(first, last)
        if self.body.splits(first, last):
            cost += _GAP
        return cost, cut + _RESTART * self.restarts(first, last) + _RUNS_ON * self.runs_on(
            first, last)

    def cut(self, first: int, last: int) -> tuple[float, float]:
        """Lines of a row cut by the page break, without their serial."""
        if last <= first:
            return 0.0, 0.0
        cost = _CUT_LINE * (last - first) + _RESTART * self.restarts(first, last) + (
            _RUNS_ON * self.runs_on(first, last))
        return self.short(first, last) + self.ended(first, last) + (
            _GAP if self.body.splits(first, last) else 0.0), cost

    def ended(self, first: int, last: int) -> int:
        """Columns of the rest of a row at the top of the page ([0, last)) whose cell the
        page before ended with a short line: a cell fills every line but its last, so that
        line was its last (a short inner line, across the page break)."""
        continues = self.body.continues
        if first > 0 or continues is None:
            return 0
        return sum(1 for column in range(1, self.width) if self.count(column, first, last) and (
            column < len(continues) and not continues[column]))

    def tails(self, first: int, last: int) -> float:
        """How full the last line of each cell in [first, last) is (1.0: as wide as its
        column's lines): a cell fills every line but its last, so of two readings otherwise
        as good, the one whose cells end on shorter lines is the likelier."""
        found = 0.0
        for column in range(1, self.width):
            at = self.last_text[column][last]
            if at >= first:
                found += self.fullness[column][at]
        return found

    def ends_full(self, first: int) -> list[bool]:
        """Per column, whether the cell of the body's last part (from line ``first``) may go
        on on the next page: its last line there is full, or it has no text there yet."""
        ends = []
        for column in range(self.width):
            texts = [cells[column] for cells in self.body.cells[first:] if cells[column]]
            ends.append(not texts or em_width(texts[-1]) >= self.short_below[column])
        return ends


def _last_part(rows: Rows, lines: int) -> int:
    """The first line of a body's last part: the head of a row cut at its foot, else its
    last row (the whole body if it has no row)."""
    if not rows.bounds:
        return 0
    start, end = rows.bounds[-1]
    return end if end < lines else start


def _add(one: tuple[float, float], other: tuple[float, float]) -> tuple[float, float]:
    return one[0] + other[0], one[1] + other[1]


_Reading = tuple[tuple[float, float, float], list[tuple[int, int]]]


def find_rows(body: Body, *, from_top: bool = False) -> Rows:
    """The bounds of every row: the cheapest way (see ``_Costs``) to cut the body into the
    rest of a row cut at the top of the page, one row around each serial line, and the head
    of a row cut at the bottom. A row cut by the page break only breaks ties: where the
    body reads as well centred without one, that reading stands, and the rows the two bound
    apart are in doubt (``Rows.tied``). ``from_top``: the cells are printed from the top of
    their rows, not centred (``_top_reading``)."""
    anchors = [anchor.at for anchor in body.anchors]
    if not anchors:
        return Rows([], set())
    costs = _Costs(body)
    if from_top:
        row_costs, top_bounds = _top_reading(body, costs, anchors)
        return Rows(top_bounds, {i for i, cost in enumerate(row_costs) if cost >= 1})
    (cost, _, _), bounds = _cheapest(body, costs, anchors, cut=True)
    tied: set[int] = set()
    if bounds[0][0] > 0 or bounds[-1][1] < len(body.lines):
        (whole_cost, _, _), whole = _cheapest(body, costs, anchors, cut=False)
        if whole_cost <= cost:
            tied = {i for i, (one, other) in enumerate(zip(bounds, whole, strict=True))
                    if one != other}
            bounds = whole  # as well centred: the reading that needs no page break stands
    n, top, bottom = len(anchors), body.page_top, body.page_bottom
    doubtful = {i for i, (start, end) in enumerate(bounds) if costs.row(
        start, anchors[i], end, top=top and i == 0, bottom=bottom and i == n - 1)[0] >= 1}
    return Rows(bounds, doubtful, tied)


def _top_reading(body: Body, costs: _Costs, anchors: list[int]) -> tuple[list[float],
                                                                          list[tuple[int, int]]]:
    """The rows of a table whose cells are printed from the top of their row (Word's default
    alignment): each row from its serial line to the next serial, every cell's text starting
    on the serial line and running down without a gap; what stands above the first serial is
    the rest of a row cut by the page break. What each row costs read so (a cell not starting
    on the serial line, a line missing inside a cell, a short inner line, a blank line)."""
    ends = [*anchors[1:], len(body.lines)]
    bounds = list(zip(anchors, ends, strict=True))
    found: list[float] = []
    for start, end in bounds:
        cost = 0.0
        for column in range(1, costs.width):
            lines = [at for at in range(start, end) if body.cells[at][column]]
            if lines:
                cost += (lines[0] != start) + (lines[-1] - lines[0] + 1 - len(lines))
        cost += costs.short(start, end) + (_GAP if body.splits(start, end) else 0.0)
        found.append(cost)
    if anchors[0] > 0 and body.page_top:  # the rest of a row cut by the page break
        found[0] += costs.cut(0, anchors[0])[0]
    elif anchors[0] > 0:  # text above the first row, where no row goes on: in doubt
        bounds[0] = (0, bounds[0][1])
        found[0] += 1
    return found, bounds


def _cheapest(body: Body, costs: _Costs, anchors: list[int], *, cut: bool) -> _Reading:
    """The cheapest reading of the body's rows, ``(cost, cut, tails)`` and the bounds of
    each row; with rows cut by the page break at its edges if ``cut`` (and the page allows)."""
    n, last_line = len(anchors), len(body.lines)
    top, bottom = body.page_top, body.page_bottom
    # best[e]: cost of everything above a row boundary at line e, with how it was reached.
    # Readings as good by cost and cut are told apart by how full their cells' last lines
    # are (``_Costs.tails``).
    best: dict[int, _Reading] = {start: ((*costs.cut(0, start), 0.0), []) for start in range(
        anchors[0] + 1 if top and cut else 1)}
    for i, anchor in enumerate(anchors):
        ends = range(anchor + 1, (anchors[i + 1] if i + 1 < n else last_line) + 1)
        if i == n - 1 and not (bottom and cut):
            ends = range(last_line, last_line + 1)
        following: dict[int, _Reading] = {}
        for end in ends:
            for start, (so_far, bounds) in best.items():
                cost, cut_cost = _add(so_far[:2], costs.row(
                    start, anchor, end, top=top and i == 0, bottom=bottom and i == n - 1))
                if i == n - 1:
                    cost, cut_cost = _add((cost, cut_cost), costs.cut(end, last_line))
                # rounded: the same sums added in another order must tie
                total = (round(cost, 9), round(cut_cost, 9), so_far[2] + costs.tails(start, end))
                if end not in following or total < following[end][0]:
                    following[end] = (total, [*bounds, (start, end)])
        best = following
    return min(best.values(), key=lambda value: value[0])


# The padding of a row, in lines: a row of one line is about this much taller than a line
# (9 pt text on 11.7 pt lines and 5 pt of cell padding).
_ROW_PADDING = 0.4
# Ties between runs centred as well are broken towards the run above taking the rows between
# (as the rows a page starts with take the category of the page before).
_LATER_START = 0.01
# A category this far (in lines) from the centre of the run it is given to: the runs are not
# known.
_OFF_CENTRE = 1.2
# Another partition of the rows centres the categories within this much as well: ambiguous.
_AMBIGUOUS = 0.25


def _line_places(body: Body, start: int, end: int, skip: int) -> tuple[list[float], int]:
    """Where each dump line of the row [start, end) stands, in printed lines from the top of
    its text, and how many lines its tallest cell (``skip``, the category column, aside)
    has. The tallest cell's lines are the row's printed lines, one after another; a line of
    another cell is printed between two of them (pdftotext gives it a line of its own), or
    beside one (on its line)."""
    width = len(body.cells[0])
    counts = [sum(1 for at in range(start, end) if body.cells[at][c]) if c not in (0, skip)
              else 0 for c in range(width)]
    tallest = max(range(width), key=lambda c: counts[c])
    places: list[float] = []
    above = 0
    for at in range(start, end):
        if body.cells[at][tallest]:
            places.append(above + 0.5)
            above += 1
        else:
            places.append(float(above))
    return places, counts[tallest]


class _Uncertain(Exception):
    """The rows a merged category spans cannot be told; ``guess`` is the first row of each
    category's run in the best reading found, if any."""

    def __init__(self, guess: list[int] | None = None) -> None:
        super().__init__()
        self.guess = guess
        self.owners: dict[int, str] = {}  # row index -> category, by the guess


def _one_category(before: str, last_line: str, text: str, full: float) -> bool:
    """Whether ``text``, on the line after ``before`` (whose last line is ``last_line``) in
    the category column, goes on the same category: a known category once joined, never a
    known category already; for words lvzhi does not know, a full line before it."""
    if canonical_category(before + text) is not None:
        return True
    if canonical_category(before) is not None:
        return False  # a known category, complete
    return em_width(last_line) >= full


def merged_categories(body: Body, rows: Rows, column: int, *,
                      uncertain: bool = False) -> dict[int, str]:
    """Row index -> category, for a category column whose cells span runs of rows with the
    text centred on the run: the runs are the partition of the rows that centres every
    category on its run best; each category goes to the first row of its run. On a page's
    first table the rows above the first run belong to a run begun on the page before (they
    take the category above)."""
    fragments = [(at, cells[column]) for at, cells in enumerate(body.cells) if cells[column]]
    bounds = rows.bounds
    if not fragments or not bounds:
        return {}
    widths = sorted(em_width(text) for _, text in fragments)
    full = widths[-1] - 1
    blocks: list[list] = []  # [first line, last line, text, last line's text]
    # Blocks kept apart from the block above only because its text is a known category,
    # though its last line is full and could wrap: one category (农业农村 over 发展) or two.
    guessed: list[int] = []
    for at, text in fragments:
        # the lines of one cell stand one leading apart: never a blank line between them
        adjacent = bool(blocks) and at - blocks[-1][1] <= 2 and not body.splits(
            blocks[-1][1], at + 1)
        if adjacent and _one_category(blocks[-1][2], blocks[-1][3], text, full):
            blocks[-1][1], blocks[-1][3] = at, text
            blocks[-1][2] += text
            continue
        if adjacent and em_width(blocks[-1][3]) >= full:
            guessed.append(len(blocks))
        blocks.append([at, at, text, text])
    # (a block that is a known category itself is a category of its own)
    guessed = [k for k in guessed if canonical_category(blocks[k][2]) is None]

    # Where rows and lines stand, in printed lines: a row is as tall as its tallest cell (the
    # lines of two cells interleave in the dump, so the dump has more lines than the row is
    # tall) plus the padding.
    tops, heights = [], []
    position = [0.0] * len(body.cells)
    y = 0.0
    for start, end in bounds:
        places, tall = _line_places(body, start, end, column)
        tops.append(y)
        heights.append(max(tall, 1) + _ROW_PADDING)
        for at, place in enumerate(places, start=start):
            position[at] = y + _ROW_PADDING / 2 + place
        y += heights[-1]
    for at in range(bounds[0][0]):  # the rest of a cut row above the first
        position[at] = -1.0
    for at in range(bounds[-1][1], len(body.cells)):
        position[at] = y

    def centre(first_row: int, last_row: int) -> float:
        return (tops[first_row] + tops[last_row] + heights[last_row]) / 2

    def row_of(line: int) -> int:
        return next((i for i, (_, end) in enumerate(bounds) if line < end), len(bounds) - 1)

    def placed(spans: list[tuple[int, int]]) -> tuple[list[float], list[int]]:
        """Where the categories of blocks spanning these lines stand (marks, in printed
        lines) and the row each stands in (homes)."""
        return ([(position[first] + position[last]) / 2 for first, last in spans],
                [row_of((first + last) // 2) for first, last in spans])

    spans = [(first, last) for first, last, _, _ in blocks]
    n = len(bounds)
    def runs_of(crossing: bool) -> list[int]:
        """The first row of each category's run, the runs complete on this page or, if
        ``crossing``, the first begun on the page before and the last going on on the
        next where the page breaks allow it; ``_Uncertain`` if the evidence does not tell."""
        first_free = crossing and body.page_top and not body.list_start
        goes_on = crossing and body.page_bottom

        def off(marks: list[float], k: int, first_row: int, last_row: int) -> float:
            """How far category ``k`` stands from the centre of rows [first_row, last_row].
            A run cut by the page break is centred on rows this page does not show: at the
            foot of the page it may go on below (its centre lies lower than this page's rows
            say, never higher), at the head it may have begun above (its centre is higher)."""
            below = centre(first_row, last_row) - marks[k]  # > 0: the rows' centre is lower
            may_go_on = last_row == n - 1 and goes_on
            may_have_begun = k == 0 and first_row == 0 and first_free
            if may_go_on and may_have_begun:
                return 0.0
            if may_go_on:
                return max(below, 0.0)
            if may_have_begun:
                return max(-below, 0.0)
            return abs(below)

        def solve(spans: list[tuple[int, int]], forbidden: tuple[int, int] | None = None
                  ) -> tuple[float, list[int]] | None:
            """The cheapest runs (cost, first row of each) for the categories of blocks over
            ``spans``, none where ``forbidden`` says (category index, first row). A run takes
            every row until the next category's, the last every row to the foot of the
            page."""
            marks, homes = placed(spans)
            # best[e]: (cost, first rows of the runs so far), the last run ending at row e
            best: dict[int, tuple[float, list[int]]] = {}
            for start in range(homes[0] + 1 if first_free else 1):
                if forbidden == (0, start):
                    continue
                for end in range(homes[0], n):
                    cost = off(marks, 0, start, end) + _LATER_START * (homes[0] - start)
                    if end not in best or cost < best[end][0]:
                        best[end] = (cost, [start])
            for k in range(1, len(spans)):
                following: dict[int, tuple[float, list[int]]] = {}
                for previous_end, (cost_so_far, firsts) in best.items():
                    start = previous_end + 1
                    if not start <= homes[k] < n or forbidden == (k, start):
                        continue
                    for end in range(homes[k], n):
                        cost = cost_so_far + off(marks, k, start, end) + _LATER_START * (
                            homes[k] - start)
                        if end not in following or cost < following[end][0]:
                            following[end] = (cost, [*firsts, start])
                best = following
            return best.get(n - 1)

        solved = solve(spans)
        if solved is None:
            raise _Uncertain
        cost, firsts = solved
        # Rows of one line beside a run can often go to either neighbour with every category
        # as well centred: then which rows a category spans is not known.
        for k, first_row in enumerate(firsts):
            other = solve(spans, (k, first_row))
            if other is not None and other[0] - cost < _AMBIGUOUS:
                raise _Uncertain(firsts)
        # Nor is it where a block taken for a category of its own, read as the rest of the
        # block above it, centres the categories as well (a known word, 农业农村, over a
        # line of a longer one, 发展, on one-line rows).
        for k in guessed:
            joined = [*spans[:k - 1], (spans[k - 1][0], spans[k][1]), *spans[k + 1:]]
            other = solve(joined)
            if other is not None and other[0] - cost < _AMBIGUOUS:
                raise _Uncertain(firsts)
        ends = [*(first - 1 for first in firsts[1:]), n - 1]
        marks, _ = placed(spans)
        if any(off(marks, k, first, end) > _OFF_CENTRE for k, (first, end) in enumerate(zip(
                firsts, ends, strict=False))):
            raise _Uncertain(firsts)
        return firsts

    # Runs may cross a page break (Word prints a merged cell's text once, on either page),
    # or not (a writer that keeps a merged cell on one page). Where both readings fit the
    # page, they must agree.
    def owners_of(firsts: list[int]) -> dict[int, str]:
        owners: dict[int, str] = {}
        for first_row, (_, _, text, _) in zip(firsts, blocks, strict=False):
            owners[first_row] = owners.get(first_row, "") + text
        for _, _, text, _ in blocks[len(firsts):]:  # never: every category has a run
            owners[firsts[-1]] += text
        return owners

    def decide() -> list[int]:
        complete_guess: list[int] | None = None
        try:
            complete: list[int] | None = runs_of(False)
        except _Uncertain as exc:
            complete, complete_guess = None, exc.guess
        crossing = (body.page_top and not body.list_start) or body.page_bottom
        if complete is not None and not crossing:
            return complete
        try:
            cut = runs_of(True)
        except _Uncertain as exc:
            raise _Uncertain(complete or complete_guess or exc.guess) from None
        if complete is not None and cut != complete:
            raise _Uncertain(complete)
        return cut

    try:
        firsts = decide()
        if uncertain:  # the evidence is not to be trusted, whatever it says
            raise _Uncertain(firsts)
    except _Uncertain as exc:
        exc.owners = owners_of(exc.guess) if exc.guess else {}
        raise
    return owners_of(firsts)


def top_categories(body: Body, rows: Rows, category: int) -> dict[int, str]:
    """Merged categories printed from the top of their run, as the rows' cells are: a
    category starts on the serial line of its run's first row; its lines below that row
    (a short row, a long category) go on with it."""
    owners: dict[int, str] = {}
    owner: int | None = None
    for i, (start, end) in enumerate(rows.bounds):
        texts = [body.cells[at][category] for at in range(start, end)
                 if body.cells[at][category]]
        if not texts:
            continue
        if body.cells[body.anchors[i].at][category] or owner is None:
            owner = i
            owners[i] = _join(texts)
        else:
            owners[owner] = _join([owners[owner], *texts])
    return owners


# --- reading a dump --------------------------------------------------------------------------

def _join(parts: Sequence[str]) -> str:
    return _SPACES_RE.sub(" ", "".join(part.strip() for part in parts)).strip()


class _Reader:
    def __init__(self, tables: TableAssembler, document: ExtractedDocument, *,
                 from_top: bool = False) -> None:
        self.tables = tables
        self.document = document
        self.from_top = from_top  # cells printed from the top of their rows, not centred
        self.header: list[list[str]] = []  # the last header read
        # A merged category column: (column, row index -> its text) for the body being read.
        self.override: tuple[int, dict[int, str]] | None = None
        self.body_on_page = False  # a table body read on this page already
        self.continues: list[bool] = []  # per column: the last body ended it with a full line
        self.titled = False  # a list's title read: text outside tables is no preface now
        self.outside_pages: set[int] = set()  # pages with text outside the tables
        self.next_page: Page | None = None  # the page after the one being read
        self.row_broken_on_page = False  # the header printed again above a broken row
        self.merged_column = False  # the table's category column is a merged one
        # The header of a table whose rows ran to the foot of the page before: a page that
        # prints no header of its own may go on with it.
        self.open: Header | None = None
        self.unnumbered: tuple[int, int] | None = None  # (page, line) of a header without 序号

    def page(self, page: Page) -> None:
        lines = page.lines
        at = 0
        self.tables.page_break()
        self.body_on_page = False
        self.row_broken_on_page = False
        held_outside: list[tuple[int, Line]] = []
        while at < len(lines):
            line = lines[at]
            if (span := header_span(lines, at)) is not None:
                first = read_header(lines, span).first
                for index, held in held_outside:
                    if index < first:  # lines above a header's first are its own
                        self.outside(page, held)
                held_outside = []
                at = self.table(page, lines, read_header(lines, span))
                continue
            if self.open is not None and not self.body_on_page and self.goes_on_at(
                    lines, at, self.open):
                # The table goes on here without its header (only a table's top rows are
                # repeated on a new page: in a table of several lists, none are).
                for _, held in held_outside:
                    self.outside(page, held)
                held_outside = []
                at = self.table(page, lines, self.open, start=at)
                continue
            if self.open is not None and not self.body_on_page and _footer(line):
                # the 合计 or 注 rows of a table whose rows ended on the page before
                at = self.footers(page, lines, at, self.open.starts)
                self.open = None
                continue
            if not line.blank and not _PAGE_NUMBER_RE.match(line.text) and not (
                    is_form_line(line.text)):  # 填报单位 … 填报时间 …: furniture
                following = next((i for i in range(at + 1, len(lines))
                                  if not lines[i].blank), None)
                wrapped = "" if following is None else (
                    line.text.strip() + lines[following].text.strip())
                if not self.titled and following is not None and _wraps_title(
                        line, lines[following]):
                    # the document's title wrapped (…履职事 / 项清单): its place is whole
                    self.tables.text(wrapped, line=line.number, page=page.number)
                    self.titled = list_kind_of_title(strip_spaces(wrapped)) is not None
                    at = following
                elif _is_title(line) or not self.titled:
                    self.titled = self.titled or list_kind_of_title(strip_spaces(line.text)) \
                        is not None
                    self.tables.text(line.text, line=line.number, page=page.number)
                elif following is not None and len(line.runs) == 1 and not (
                        _SENTENCE_RE.search(line.text)) and _title_text(wrapped):
                    # a title wrapped over two lines: the next line completes it
                    self.tables.text(wrapped, line=line.number, page=page.number)
                    at = following
                else:
                    held_outside.append((at, line))  # unless a header's first line
            at += 1
        for _, held in held_outside:
            self.outside(page, held)

    def merged_below(self, category: int) -> bool:
        """Whether the table goes on on the next page with fewer categories than rows there
        (a merged column: on a page of few rows each may show its run's category)."""
        lines = self.next_page.lines if self.next_page is not None else []
        span = next((span for at in range(len(lines))
                     if (span := header_span(lines, at)) is not None), None)
        if span is None:
            return False
        header = read_header(lines, span)
        if header.rows != self.header or category >= len(header.starts):
            return False
        end = header.last + 1
        while end < len(lines) and not self._ends_table(lines, end):
            end += 1
        body = body_of(lines[header.last + 1:end], header.starts)
        rows = sum(1 for anchor in body.anchors if not anchor.section)
        return rows > 0 and sum(1 for cells in body.cells if cells[category]) < rows

    def goes_on_at(self, lines: list[Line], at: int, header: Header) -> bool:
        """Whether a page with no header before ``lines[at]`` goes on with the table of
        ``header`` there: its lines hold a row of several cells whose serial stands at the
        table's left edge (the rest of a cut row may come first), before anything that
        ends the table. A page of notes or other text does not."""
        if lines[at].blank or _PAGE_NUMBER_RE.match(lines[at].text) or _is_title(lines[at]):
            return False
        end = at
        while end < len(lines) and not self._ends_table(lines, end):
            end += 1
        body = body_of(lines[at:end], header.starts)
        return any(not anchor.section and len(body.lines[anchor.at].runs) >= 2
                   for anchor in body.anchors)

    def goes_on(self, header: Header) -> bool:
        """Whether the table of ``header`` goes on on the next page: the page's first header
        is the same, or the page prints its rows without one (running titles, page numbers
        and form lines aside; a list's title starts another list)."""
        lines = self.next_page.lines if self.next_page is not None else []
        for at, line in enumerate(lines):
            if line.blank or _PAGE_NUMBER_RE.match(line.text) or is_form_line(line.text):
                continue
            if (span := header_span(lines, at)) is not None:
                return read_header(lines, span).rows == header.rows
            if _is_title(line):
                if list_kind_of_title(strip_spaces(line.text)) is not None:
                    return False
                continue  # a running title
            return self.goes_on_at(lines, at, header)
        return False

    def outside(self, page: Page, line: Line) -> None:
        """Text outside the tables once a list's title is read. Between the lists' tables a
        dump prints titles and page furniture only: this is a table the reader did not find
        (a header it cannot read) or a note, never to be dropped silently."""
        self.document.orphans.append(SourceLine(line.number, line.text.strip(), page.number))
        if self.unnumbered is None and unnumbered_header_kind(
                [run.text for run in line.runs]) is not None:
            self.unnumbered = (page.number, line.number)
            self.document.warnings.append(f"page {page.number}, line {line.number}: {UNNUMBERED}")
        if page.number not in self.outside_pages:
            self.outside_pages.add(page.number)
            self.document.warnings.append(
                f"page {page.number}, line {line.number}: text outside any table the reader "
                "found (a column header it cannot read?); it is reported lost")

    def table(self, page: Page, lines: list[Line], header: Header,
              start: int | None = None) -> int:
        """Read a table from its header, or (``start``) the rows of the table of ``header``
        going on on a new page without one from ``lines[start]``; the index of the first
        line after it."""
        # The header printed again in the middle of a page, right under the table's rows (a
        # PDF writer cutting a row): furniture, and no break between the rows around it.
        again = start is None and header.rows == self.header and header.first > 0 and (
            self.body_on_page or not lines[header.first - 1].blank) and not _above_table(
            lines[header.first - 1])
        # The row below it was broken there: its parts (and a merged category beside them)
        # stand where the whole row would, so the centring of this page says nothing sure.
        self.row_broken_on_page = self.row_broken_on_page or again
        if not again and start is None:
            for row in header.rows:
                self.tables.row(row, line=lines[header.first].number, page=page.number)
        list_start = header.rows != self.header
        if list_start:
            self.continues = []  # another table: nothing of the last one goes on here
            self.merged_column = False
        self.header = header.rows
        first = header.last + 1 if start is None else start
        end = first
        while end < len(lines) and not self._ends_table(lines, end):
            end += 1
        if start is not None:
            # pdftotext sets each page on a grid of its own: the columns are found again
            starts = starts_of_rows(lines[first:end], len(header.starts))
            if starts is None:
                for line in lines[first:end]:
                    if not line.blank:
                        self.outside(page, line)
                self.open = None
                return end
            header = replace(header, starts=starts)
        body = body_of(lines[first:end], header.starts)
        body.page_top = not self.body_on_page
        body.list_start = list_start
        body.continues = self.continues if len(self.continues) == len(header.starts) else None
        # a row (a merged category's run) goes on on the next page only if the table does
        foot = all(line.blank or _PAGE_NUMBER_RE.match(line.text) for line in lines[end:])
        body.page_bottom = foot and self.goes_on(header)
        self.open = header if foot else None
        self.body_on_page = self.body_on_page or bool(body.lines)
        if body.lines:
            labels = [cell for row in header.rows for cell in row]
            width = len(header.starts)
            category = next((at % width for at, cell in enumerate(labels)
                             if column_of_header(cell) == "category"), None)
            if category is not None and body.page_bottom and self.merged_below(category):
                self.merged_column = True
            self.body(page, body, category)
        return self.footers(page, lines, end, header.starts)

    def footers(self, page: Page, lines: list[Line], at: int, starts: list[int]) -> int:
        """Rows after a list's body, to the assembler: 合计 rows (furniture whose count it
        checks) and 注 notes across the table (their wrapped lines joined). The index of the
        first line after them."""
        while (following := next((i for i in range(at, len(lines)) if not lines[i].blank),
                                 None)) is not None and (kind := _footer(lines[following])):
            line = lines[following]
            at = following + 1
            if kind == "total":
                cells = [""] * len(starts)
                for run, column in zip(line.runs, assign(line.runs, starts), strict=True):
                    cells[column] = _join([cells[column], run.text])
                self.tables.row(cells, line=line.number, page=page.number)
                continue
            parts = [line.text]
            while at < len(lines) and not lines[at].blank and lines[at].runs[0].start <= 2 and (
                    not _footer(lines[at]) and not _ends_table_line(lines, at)):
                parts.append(lines[at].text)  # the note wrapped
                at += 1
            self.tables.row([_join(parts)], line=line.number, page=page.number)
        return at

    def _ends_table(self, lines: list[Line], at: int) -> bool:
        line = lines[at]
        if header_span(lines, at) is not None or _footer(line) or _list_title_row(line):
            return True
        if not line.blank:
            return False
        following = next((i for i in range(at, len(lines)) if not lines[i].blank), None)
        return following is None or _ends_table_line(lines, following) or bool(
            _footer(lines[following]))

    def body(self, page: Page, body: Body, category: int | None) -> None:
        owners: dict[int, str] | None = None
        rows_with_serial = sum(1 for anchor in body.anchors if not anchor.section)
        # a table's category column is merged if it is on any page (a page of one row shows
        # one category either way)
        if category is not None and rows_with_serial and (self.merged_column or sum(
                1 for cells in body.cells if cells[category]) < rows_with_serial):
            self.merged_column = True
            if self.from_top:
                rows = find_rows(body, from_top=True)
                owners = top_categories(body, rows, category)
            else:
                rows, owners = self.centred_categories(page, body, category)
        else:
            rows = find_rows(body, from_top=self.from_top)
        # owners are found only for a category column, so ``category`` is known with them
        self.override = ((category, owners) if owners is not None and category is not None
                         else None)
        self.continues = _Costs(body).ends_full(_last_part(rows, len(body.lines)))
        if not rows.bounds:
            self.part(page, body, 0, len(body.lines), serial="")
            return
        if rows.head > 0:
            self.part(page, body, 0, rows.head, serial="")  # the rest of a cut row
        for i, (start, end) in enumerate(rows.bounds):
            anchor = body.anchors[i]
            if anchor.section:
                self.tables.row([anchor.section] + [None] * (len(body.cells[0]) - 1),
                                line=body.lines[anchor.at].number, page=page.number)
                if end > anchor.at + 1 or start < anchor.at:
                    self.doubt(page, body, start, end, skip=anchor.at)
                continue
            serial = body.cells[anchor.at][0]
            self.part(page, body, start, end, serial=serial, row=i)
            if i in rows.doubtful:
                self.doubt(page, body, start, end, skip=anchor.at)
            elif i in rows.tied:
                self.doubt(page, body, start, end, skip=anchor.at, why=(
                    "where this row ends is uncertain (the page reads as well with no row cut "
                    "by the page break)"))
        tail = rows.bounds[-1][1]
        if tail < len(body.lines):
            self.part(page, body, tail, len(body.lines), serial="")

    def centred_categories(self, page: Page, body: Body,
                           category: int) -> tuple[Rows, dict[int, str]]:
        """Rows, and the category each run's first row takes, where a category is printed
        once for a run of rows, centred on the run: rows are found without it, then each
        category goes to the first row of the run it is centred on."""
        masked = [[("" if at == category else text) for at, text in enumerate(cells)]
                  for cells in body.cells]
        rows = find_rows(replace(body, cells=masked))
        try:
            return rows, merged_categories(body, rows, category,
                                           uncertain=self.row_broken_on_page)
        except _Uncertain as exc:
            # the best reading found stands, but the page is not trusted
            lost = [SourceLine(line.number, cells[category], page.number)
                    for line, cells in zip(body.lines, body.cells, strict=True)
                    if cells[category]]
            if not lost:
                # No category printed here: the rows take the one above them, which is
                # a guess as well. Their serials stand for the category they lack.
                lost = [SourceLine(body.lines[anchor.at].number,
                                   body.cells[anchor.at][0], page.number)
                        for anchor in body.anchors if not anchor.section]
            self.document.orphans.extend(lost)
            self.document.warnings.append(
                f"page {page.number}: which rows each merged category spans is uncertain;"
                " the categories of this page are a best guess, reported lost")
            return rows, exc.owners

    def part(self, page: Page, body: Body, start: int, end: int, *, serial: str,
             row: int | None = None) -> None:
        width = len(body.cells[0])
        cells = [_join([body.cells[at][c] for at in range(start, end)]) for c in range(width)]
        cells[0] = serial
        if self.override is not None:
            column, owners = self.override
            cells[column] = owners.get(row, "") if row is not None else ""
        if not any(cells):
            return
        try:
            self.tables.row(cells, line=body.lines[start].number,
                            line_last=body.lines[end - 1].number, page=page.number)
        except ExtractionError as exc:  # cells the header read does not fit
            self.document.orphans.extend(
                SourceLine(body.lines[start].number, text, page.number) for text in cells if text)
            self.document.warnings.append(f"page {page.number}: {exc}; its text is reported lost")

    def doubt(self, page: Page, body: Body, start: int, end: int, *, skip: int,
              why: str = "where this row ends is uncertain (its cells are not centred on its "
              "serial)") -> None:
        """Lines whose row is uncertain: reported as lost, so the reading is not trusted."""
        for at in range(start, end):
            if at != skip:
                text = " ".join(c for c in body.cells[at][1:] if c)
                if text:
                    self.document.orphans.append(SourceLine(body.lines[at].number, text,
                                                            page.number))
        self.document.warnings.append(
            f"page {page.number}, line {body.lines[start].number}: {why}; its text is reported "
            "lost")


def read_layout(text: str) -> ExtractedDocument:
    """The dump read twice, cells centred on their serial and cells printed from the top of
    their rows (Word's default): the reading with less text in doubt stands, the centred one
    where they tie."""
    pages = pages_of(text)
    try:
        centred = _read_pages(pages, from_top=False)
    except ExtractionError as error:
        try:
            return _read_pages(pages, from_top=True)
        except ExtractionError:
            raise error from None
    if not centred.orphans:
        return centred
    try:
        top = _read_pages(pages, from_top=True)
    except ExtractionError:
        return centred
    return top if _in_doubt(top) < _in_doubt(centred) else centred


def _in_doubt(document: ExtractedDocument) -> int:
    return sum(len(line.text) for line in document.orphans)


def _read_pages(pages: list[Page], *, from_top: bool) -> ExtractedDocument:
    tables = TableAssembler()
    reader = _Reader(tables, tables.document, from_top=from_top)
    for at, page in enumerate(pages):
        reader.next_page = pages[at + 1] if at + 1 < len(pages) else None
        reader.page(page)
    try:
        return tables.finish()
    except NoDutyListError:
        if reader.unnumbered is None:
            raise
        page_number, line = reader.unnumbered
        raise ExtractionError(UNNUMBERED, line=line, page=page_number) from None


# --- the extractor ------------------------------------------------------------------------------

_HEADER_HINT_RE = re.compile(r"^[ ]{0,2}(?:序[ 　]?号|编[ 　]?号)[ ]{2,}\S.*[ ]{2,}\S",
                             re.MULTILINE)


def looks_like_layout_dump(text: str) -> bool:
    """Pages apart by form feeds, and a column header whose words stand apart by runs of
    spaces (in a plain dump each header cell is a line of its own)."""
    if "\f" not in text:
        return False
    if _HEADER_HINT_RE.search(text):
        return True
    return any(header_span(page.lines, at) for page in pages_of(text)
               for at in range(len(page.lines)))


class PdftotextLayoutExtractor(Extractor):
    name = "pdftotext-layout"
    version = "1.0"
    description = "text dumped by pdftotext -layout: pages apart by form feeds, columns by position"
    extensions = (".txt",)

    def sniff(self, path: Path, head: bytes) -> float:
        return 0.9 if looks_like_layout_dump(decode_head(head)) else 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        text, encoding = read_text(path)
        if "\f" not in text:
            raise ExtractionError("not a pdftotext -layout dump: no form feed between pages")
        document = read_layout(text)
        document.encoding = encoding
        return document


@hookimpl
def register_extractors(register):
    register(PdftotextLayoutExtractor())
