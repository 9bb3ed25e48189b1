"""Plain text dumped from a PDF (pdftotext and friends): layout recovery without a grid.

The dump keeps no columns: each table row is printed cell after cell, every cell wrapped at
its column's width, the page title and column header repeated at page breaks (the header
itself wrapped over many lines when its columns are narrow). Reading it back takes three steps:

1. **furniture** — list titles start sections; repeated titles, column headers (whole, or the
   part left at the top of a page), page numbers and continuation markers are set aside;
2. **rows** — a row starts where the serial number expected next (1, 2, 3…) is followed by a
   category from the known vocabulary, possibly wrapped (``党的建`` + ``设``); any other line
   starting with a number is text;
3. **cells** — each row's lines are divided among its columns by layout evidence (read in
   ``lvzhi.extractors._layout_evidence``, weighed in ``lvzhi.extractors._row_reading`` with the
   weights of ``lvzhi.extractors._layout_weights``), with column widths learned from the
   document's own rows.

A row printed across a page break is read back as one row, whether it is printed again on the
next page (serial, category, name and departments repeated, ``（未完见下页）`` / ``（续上页）``
at the cut) or simply runs on under the repeated column header.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lvzhi.extractor import ExtractionError, Extractor, NoDutyListError
from lvzhi.extractors._dump_extras import (
    ExtraPlan,
    ModelShape,
    Peeled,
    peel_lead,
    peel_tail,
    plan_of,
)
from lvzhi.extractors._layout_evidence import (
    GAP_BLANK,
    GAP_LINE,
    GAP_PAGE,
    GAP_SAME,
    Piece,
    column_width,
    display_width,
    is_department_line,
    join_pieces,
    line_width,
    lines_of,
    looks_like_department_end,
    looks_like_department_start,
    opens_with_department,
    ordinal_number,
    split_pieces,
    starts_paragraph,
    step_number,
)
from lvzhi.extractors._row_reading import (
    RECEIVER_START_RE,
    Cut,
    Run,
    Widths,
    cut_name_departments,
    cut_name_receiver,
    department_count,
    split_duties,
)
from lvzhi.extractors.tables import section_category
from lvzhi.gazetteer import printed_forms
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument, ExtractedRow, ListKind, SourceLine, Span
from lvzhi.text import decode_head, read_text, strip_spaces
from lvzhi.vocabulary import (
    BASE_HEADER_WORDS,
    CATEGORIES,
    CATEGORY_ALIASES,
    EXTRA_HEADER_WORDS,
    HEADER_GROUPS,
    HEADER_SYNONYMS,
    HEADER_WORDS,
    canonical_category,
    category_prefixes,
    column_of_header,
    list_kind_of_header,
    list_kind_of_title,
    merge_places,
    names_whole_receiver,
    parse_place,
    same_township,
)

# --- lines -------------------------------------------------------------------------------


class Kind:
    """What a line of the dump is. Plain ints, not an enum: every line's kind is looked up
    several times, and an enum member costs four times a class attribute to look up."""

    BLANK = 0
    PREFACE = 1  # before the first list: a 说明, a cover
    TITLE = 2
    HEADER = 3
    FOOTER = 4  # page numbers
    MARKER = 5  # （未完见下页） / （续上页）
    BODY = 6
    SECTION = 7  # a section row spanning the table (``一、党的建设``): the rows' category


_FOOTER_RE = re.compile(r"^(第\s*\d+\s*页\s*[，,、]?\s*(共\s*\d+\s*页)?|[-—]\s*\d+\s*[-—]|"
                        r"\d+\s*/\s*\d+|共\s*\d+\s*页\s*第\s*\d+\s*页)$")
_MARKER_RE = re.compile(r"^[（(](未完[^）)]*|续上页|接上页|续表|转下页)[）)]$")
_SERIAL_RE = re.compile(r"^(\d{1,3})(?:\s+(\S.*))?$")
_TITLE_WORDS_RE = re.compile(r"履职|事项清单|收回")


def _title_kind(text: str) -> ListKind | bool | None:
    """A list title's kind, None for a title of the whole document, False if not a title."""
    if text[0].isdigit() or len(text) > 60 or not _TITLE_WORDS_RE.search(text):
        return False
    kind = list_kind_of_title(text)
    if kind is not None:
        return kind
    if re.search(r"(乡|镇|街道|苏木).*履职事项清单$", strip_spaces(text)):
        return None
    return False


_CATEGORY_HEADERS = dict(HEADER_SYNONYMS)["category"]


@dataclass
class Section:
    kind: ListKind
    start: int  # 0-based index of its first line
    end: int = 0
    header: str = ""  # the column header's text, spaces removed
    restart: int | None = None  # a line where the numbering starts again at 1 (not read)

    @property
    def categories(self) -> bool:
        """Whether the list has a category column (a list whose header was not read may)."""
        return not self.header or any(word in self.header for word in _CATEGORY_HEADERS)


@dataclass
class Dump:
    """The lines of a text dump, classified."""

    lines: list[str]
    kinds: list[int]  # Kind.*
    sections: list[Section]
    titles: list[str]


# Every word a column header is written with (the synonym table's, the words of columns the
# model has no field for, the group cells of two-row headers) and every character of them:
# a line with another character is not header, unless each of its cells holds a header word
# (``托喀依乡配合职责``: the township's name in the header).
_HEADER_TERMS = tuple({word for _, words in HEADER_SYNONYMS for word in words}
                      | set(EXTRA_HEADER_WORDS) | set(HEADER_GROUPS) | set(BASE_HEADER_WORDS)
                      | {word for words in HEADER_WORDS.values() for word in words})
# (and the words extra columns' headers open with: 实施依据, 法律依据, 办理时限, 服务对象, each
# wrapped in a narrow column over lines that hold no whole header word)
_HEADER_ALPHABET = set("".join(_HEADER_TERMS) + "序号乡镇街道履职及和与工作方式（）()"
                       + "实施法律办理服务")
_SERIAL_HEADERS = dict(HEADER_SYNONYMS)["serial"]
_NAME_HEADERS = ("名称", "履职事项", "内容")
_KIND_HEADERS = (
    (ListKind.RECLAIMED, tuple(word for column, words in HEADER_SYNONYMS
                               if column.startswith("receiver") for word in words)),
    (ListKind.COOPERATIVE, tuple(word for column, words in HEADER_SYNONYMS
                                 if column in ("departments", "upper_duties", "township_duties")
                                 for word in words)),
)


def _header_line(line: str, compact: str) -> bool:
    """Whether a line can be (part of) a column header."""
    if set(compact) <= _HEADER_ALPHABET:
        return True
    # cells are set apart by ASCII spaces; a full-width one stands inside a cell (``类　别``)
    cells: list[str] = []
    for cell in line.split(" "):
        if cell := strip_spaces(cell):
            # a cell of one character is a word spaced out (``序 号``): one with the next
            if cells and len(cells[-1]) == 1:
                cells[-1] += cell
            else:
                cells.append(cell)
    return all(len(cell) <= 16 and not _NOT_HEADER_RE.search(cell)
               and any(term in cell for term in _HEADER_TERMS) for cell in cells)


_NOT_HEADER_RE = re.compile(r"[\d，。；：,.;:、“”]")


def _header_kind(text: str) -> ListKind | None:
    """The list a column header run together (spaces removed) belongs to, or None if it is
    not one: a serial's header first, a name's, then the words of each kind's columns."""
    kind = list_kind_of_header(text)
    if kind is not None:
        return kind
    if not text.startswith((*_SERIAL_HEADERS, "序")) and not _serial_opening(text):
        return None
    if not any(word in text for word in _NAME_HEADERS) and "事项" not in text.replace(
            "事项类别", "").replace("事项分类", ""):
        return None
    for kind, words in _KIND_HEADERS:
        if any(word in text for word in words):
            return kind
    return ListKind.BASIC


class _Squeezed(Sequence[str]):
    """The lines of a dump with their spaces removed, each when first asked for (the header
    checks look at few lines, and a dump has thousands)."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._done: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]  # ints only
        done = self._done.get(index)
        if done is None:
            done = self._done[index] = strip_spaces(self._lines[index])
        return done


_HEADER_STARTS = (*_SERIAL_HEADERS, "序")
_HEADER_FIRSTS = frozenset(word[0] for word in _HEADER_STARTS)
# A serial column's header is a short word: other counties' (顺序号) are read by the synonym
# table, the whole word or its first cell, or wrapped a character or two a line.
_SERIAL_HEADER_CHARS = 4
_HAN_ONLY_RE = re.compile(r"[\u3400-\u9fff]+")


def _serial_opening(text: str) -> bool:
    """Whether a header run together opens with its serial column's header in a word the
    synonym table reads (顺序号…): Han characters only, at most four."""
    return any(column_of_header(text[:length]) == "serial"
               for length in range(2, min(len(text), _SERIAL_HEADER_CHARS) + 1)
               if _HAN_ONLY_RE.fullmatch(text[:length]))


# Every serial word of the synonym table holds one of these (序号, 编号, 序次): a line that
# holds none within a header's first characters (spaces may stand between them) opens no
# serial column's header, unless it is the first of one wrapped down a narrow column.
_SERIAL_MARK_RE = re.compile("[" + "".join({word[0] for word in _SERIAL_HEADERS}) + "]")
_SERIAL_MARK_SPAN = 2 * _SERIAL_HEADER_CHARS


def _wrapped_serial(lines: list[str], at: int) -> bool:
    """Whether the short line at ``at`` may open a serial header wrapped a character or two
    a line (``顺`` / ``序`` / ``号``): the next line opens with its mark."""
    for index in range(at + 1, min(len(lines), at + 3)):
        if following := lines[index].lstrip():
            return bool(_SERIAL_MARK_RE.match(following))
    return False


def _serial_lines(lines: list[str], compact: Sequence[str], at: int) -> tuple[int, str] | None:
    """A serial column's header opening a column header at ``at`` in another county's word
    (``顺序号 履职事项名称``, or ``顺`` / ``序`` / ``号`` down a narrow column): (index of
    the first line after the serial's own lines, their text), or None."""
    cell = lines[at].strip().split(" ", 1)[0]
    if _serial_opening(strip_spaces(cell)):
        return at, ""  # the line's first cell: the line is the header's
    text = ""
    for index in range(at, min(len(compact), at + 2 * _SERIAL_HEADER_CHARS)):
        line = compact[index]
        if not line:
            continue
        if len(text) + len(line) > _SERIAL_HEADER_CHARS or not _HAN_ONLY_RE.fullmatch(line):
            return None
        text += line
        if column_of_header(text) == "serial":
            return index + 1, text
    return None


def _full_header(lines: list[str], compact: Sequence[str], at: int) -> tuple[int, str] | None:
    """A whole column header starting at ``at`` (``序号…``, possibly wrapped over many
    lines): (index after it, its text). ``compact``: the lines with spaces removed."""
    first = compact[at]
    start, text = at, ""
    if not (first.startswith(_HEADER_STARTS)
            or any(word.startswith(first) for word in _HEADER_STARTS)):  # ``编`` / ``号``
        serial = _serial_lines(lines, compact, at)
        if serial is None:
            return None
        start, text = serial
    end = at
    best = None
    for index in range(start, min(len(compact), start + 40)):
        line = compact[index]
        if not line:
            continue
        if not _header_line(lines[index], line):
            break
        text += line
        end = index + 1
        if _header_kind(text) is not None:
            best = (end, text)
    return best


def _repeated_header(compact: Sequence[str], at: int, header: str,
                     page_start: bool) -> int | None:
    """The end of the column header (or of its tail, left at the top of a page) repeated at
    ``at``, or None. The tail of a header only counts at the top of a dump."""
    text = ""
    for index in range(at, min(len(compact), at + 40)):
        line = compact[index]
        if not line:
            continue
        if line not in header:
            return None
        text += line
        if header.endswith(text) and len(text) >= min(4, len(header)):
            return index + 1 if (text == header or page_start) else None
        if text not in header:
            return None
    return None


def classify(lines: list[str]) -> Dump:
    kinds = [Kind.BLANK] * len(lines)
    sections: list[Section] = []
    titles: list[str] = []
    current: Section | None = None
    index = 0
    last_solid = Kind.BLANK
    compact = _Squeezed(lines)  # header checks look at lines without spaces
    while index < len(lines):
        raw = lines[index]
        text = raw.strip()
        if not text:
            index += 1
            continue
        kind = _title_kind(text)
        if kind is not False:
            kinds[index] = Kind.TITLE
            titles.append(text)
            if isinstance(kind, ListKind) and (current is None or kind != current.kind):
                current = Section(kind, index)
                sections.append(current)
            index += 1
            last_solid = Kind.TITLE
            continue
        first = text[0]  # what a page number or a marker can start with, checked first
        if (first in "第-—共" or first.isdecimal()) and _FOOTER_RE.match(text):
            kinds[index] = Kind.FOOTER
        elif first in "（(" and _MARKER_RE.match(text):
            kinds[index] = Kind.MARKER
        elif ((first in _HEADER_FIRSTS or _SERIAL_MARK_RE.search(text, 0, _SERIAL_MARK_SPAN)
               or (len(text) <= 2 and _wrapped_serial(lines, index)
                   # (a cell's last character over a header repeated on a page: ``动`` over
                   # ``序`` / ``号`` is no 动序号; a repeated header is matched whole below)
                   and (current is None or not current.header or last_solid == Kind.TITLE)))
              and (full := _full_header(lines, compact, index))):
            end, header = full
            kind = _header_kind(header)
            if current is None or (kind != current.kind and current.header
                                   and kind != ListKind.BASIC):
                current = Section(kind or ListKind.BASIC, index)
                sections.append(current)
            if not current.header:
                current.header = header
            for at in range(index, end):
                kinds[at] = Kind.HEADER if lines[at].strip() else Kind.BLANK
            index = end
            last_solid = Kind.HEADER
            continue
        elif (current is not None and current.header and first in current.header
              and compact[index] in current.header
              and (repeat_end := _repeated_header(
                  compact, index, current.header,
                  raw[:1].isspace() or last_solid in (Kind.FOOTER, Kind.TITLE))) is not None):
            for at in range(index, repeat_end):
                kinds[at] = Kind.HEADER if lines[at].strip() else Kind.BLANK
            index = repeat_end
            last_solid = Kind.HEADER
            continue
        else:
            kinds[index] = Kind.BODY if current is not None else Kind.PREFACE
        last_solid = kinds[index]
        index += 1
    for position, section in enumerate(sections):
        section.end = sections[position + 1].start if position + 1 < len(sections) else len(lines)
    return Dump(lines, kinds, sections, titles)


# --- categories --------------------------------------------------------------------------

_CATEGORY_WORDS = tuple(sorted((*CATEGORIES, *CATEGORY_ALIASES), key=len, reverse=True))
_PREFIXES = frozenset(category_prefixes())
# A category printed whole on a row's serial line, its name after a space: ``3 产业发展 做好…``.
_LEAD_CATEGORY_RE = re.compile(r"^\d{1,3}\s+([\u4e00-\u9fff]{2,8})\s+\S")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]{1,8}")


@dataclass
class Categories:
    """The category words of one document: lvzhi's own, and those the document prints whole
    where nothing else can stand (after a row's serial and before its name on one line). A
    wrapped category is read by these words' prefixes, as the vocabulary's are."""

    learned: frozenset[str] = frozenset()
    prefixes: frozenset[str] = _PREFIXES

    @classmethod
    def of(cls, dump: Dump) -> Categories:
        seen: Counter[str] = Counter()
        for section in dump.sections:
            # a basic list holds a category and a name, nothing else: a word before the
            # name on its serial's line is a category even where it stands once (a merged
            # category printed on its run's first row)
            weight = 2 if section.kind is ListKind.BASIC and section.header and (
                section.categories) else 1
            for at in range(section.start, section.end):
                line = dump.lines[at]
                if (dump.kinds[at] == Kind.BODY and line[:1].isdigit()
                        and (m := _LEAD_CATEGORY_RE.match(line))):
                    seen[m.group(1)] += weight
        # a category stands on many rows (or on the first of a run in each list); a short
        # name printed before a receiver or a department, on one
        learned = {word for word, count in seen.items() if count > 1} - set(_CATEGORY_WORDS)
        if not learned:
            return cls()
        prefixes = _PREFIXES | {word[:i] for word in learned for i in range(1, len(word) + 1)}
        return cls(frozenset(learned), frozenset(prefixes))

    def known(self, text: str) -> bool:
        return text in self.learned or canonical_category(text) is not None

    def take(self, pieces: Iterable[Piece]) -> tuple[str, int, Piece | None] | None:
        """The category at the start of a row's pieces, maybe wrapped over several lines:
        (category, pieces it takes, None). Reads the pieces no further than the first that
        cannot go on a category."""
        text = ""
        best = None
        for count, piece in enumerate(pieces):
            if count and piece.gap == GAP_SAME:
                break
            if text + piece.text not in self.prefixes:
                break
            text += piece.text
            if self.known(text):
                best = (text, count + 1, None)
        # A known word at the start of a longer line is not taken: it is a name that starts
        # with one (``生态环境保护督察…`` under a merged category), not a category run in.
        return best


_VOCABULARY = Categories()


def take_category(pieces: Iterable[Piece]) -> tuple[str, int, Piece | None] | None:
    """``Categories.take`` with lvzhi's own words only."""
    return _VOCABULARY.take(pieces)


# --- rows --------------------------------------------------------------------------------


@dataclass
class RawRow:
    """A row as found: its serial line and the pieces of everything up to the next row."""

    kind: ListKind
    serial: int
    line: int  # 0-based index of the serial line
    category: str = ""
    category_pieces: list[Piece] = field(default_factory=list)
    body: list[Piece] = field(default_factory=list)
    end: int = 0  # index after its last line
    section: str | None = None  # the category a section row right above it sets
    extra: dict[str, list[Piece]] = field(default_factory=dict)  # label -> its cell's pieces
    uncertain: list[Piece] = field(default_factory=list)  # extra text no reading is sure of


def _pieces_from(dump: Dump, start: int, end: int, rest_of_first: str | None) -> Iterator[Piece]:
    """The pieces of lines ``start..end``: body lines only, with the gap before each."""
    kinds, lines = dump.kinds, dump.lines
    gap = GAP_LINE
    cut = False
    for index in range(start, end):
        kind = kinds[index]
        if kind != Kind.BODY:
            if kind in (Kind.BLANK, Kind.SECTION):
                gap = max(gap, GAP_BLANK)
            elif kind == Kind.MARKER:
                cut = True
            else:
                gap = GAP_PAGE
            continue
        text = rest_of_first if index == start and rest_of_first is not None else lines[index]
        if text := text.strip():
            pieces = split_pieces(text, index + 1, GAP_SAME if index == start else gap)
            pieces[0].cut_before = cut
            yield from pieces
        gap = GAP_LINE
        cut = False


def _starts_row(dump: Dump, index: int, end: int,
               categories: Categories) -> tuple[int, str] | None:
    """(serial, category) if line ``index`` starts a row with a known category."""
    match = _SERIAL_RE.match(dump.lines[index].strip())
    if not match:
        return None
    rest = match.group(2)
    found = categories.take(itertools.islice(
        _pieces_from(dump, index + (0 if rest else 1), min(end, index + 12), rest), 6))
    return (int(match.group(1)), found[0]) if found else None


_FURNITURE = (Kind.TITLE, Kind.HEADER, Kind.FOOTER, Kind.MARKER)
_LOOSE_CATEGORY_RE = re.compile(r"[\u4e00-\u9fff]{2,10}")


def _starts_row_loosely(dump: Dump, index: int, end: int, serial: int) -> str | None:
    """If line ``index`` starts row ``serial`` without a category the vocabulary knows: the
    category as far as it shows (a short run of Han characters as a cell of its own), or ""
    (a merged category, a list without categories, a word read later from its layout)."""
    match = _SERIAL_RE.match(dump.lines[index].strip())
    if not match or int(match.group(1)) != serial:
        return None
    rest = match.group(2)
    pieces = list(itertools.islice(_pieces_from(dump, index + (0 if rest else 1),
                                                min(end, index + 4), rest), 2))
    if not pieces:
        return None
    if len(pieces) < 2 or not _LOOSE_CATEGORY_RE.fullmatch(pieces[0].text):
        return ""
    return pieces[0].text


def _loose_row(dump: Dump, serial: int, start: int, end: int, kind: ListKind) -> RawRow | None:
    for index in range(start, end):
        if dump.kinds[index] == Kind.BODY and (
                category := _starts_row_loosely(dump, index, end, serial)) is not None:
            return RawRow(kind, serial, index, category)
    return None


def _fill_gaps(dump: Dump, section: Section, rows: list[RawRow]) -> list[RawRow]:
    """Rows whose category is not in the vocabulary, found where the serial sequence needs
    them: serial N printed before a short cell, between rows N-1 and N+1, or after the last
    row found."""
    out: list[RawRow] = []
    serial, start = 0, section.start
    for row in rows:
        for missing in range(serial + 1, row.serial):
            if (found := _loose_row(dump, missing, start, row.line, section.kind)) is not None:
                out.append(found)
                start = found.line + 1
        out.append(row)
        serial, start = max(serial, row.serial), row.line + 1
    while (found := _loose_row(dump, serial + 1, start, section.end, section.kind)) is not None:
        out.append(found)
        serial, start = found.serial, found.line + 1
    return out


def find_rows(dump: Dump, section: Section, categories: Categories) -> list[RawRow]:
    """Rows by the serial sequence: serial N+1 followed by a category starts the next row; the
    same serial and category again is the row continued on the next dump. A row without a
    category the document's words know is accepted where the sequence needs it; in a list
    without a category column, the sequence alone finds the rows."""
    rows: list[RawRow] = []
    expected = 1
    for index in range(section.start, section.end if section.categories else section.start):
        if dump.kinds[index] != Kind.BODY or not dump.lines[index].strip()[:1].isdigit():
            continue
        found = _starts_row(dump, index, section.end, categories)
        if found is None:
            continue
        serial, category = found
        # the same row again after a page break (its cells printed anew on the next page)
        again = (bool(rows) and serial == rows[-1].serial and category == rows[-1].category
                 and any(dump.kinds[i] in _FURNITURE for i in range(rows[-1].line, index)))
        if serial == 1 and rows and not again:  # numbered anew (per category?): the rows
            section.restart = index  # after it would run on in the row before; not read
            break
        # a jump forward is a row whose category the vocabulary lacks (filled in below) or a
        # serial the document skips; a number far ahead is text, not a row
        if serial == expected or again or expected < serial <= expected + 50:
            rows.append(RawRow(section.kind, serial, index, category))
            expected = serial + 1
    rows = _fill_gaps(dump, section, rows)
    for position, row in enumerate(rows):
        row.end = rows[position + 1].line if position + 1 < len(rows) else (
            section.end if section.restart is None else section.restart)
        _section_row_above(dump, row, rows[position - 1].line if position else section.start)
    return rows


_SECTION_TEXT_RE = re.compile(r"[\u4e00-\u9fff]{2,12}")


def _section_row_above(dump: Dump, row: RawRow, start: int) -> None:
    """A section row (``一、党的建设``, numbered, alone on its line) printed right above the
    row's serial line, page furniture aside: it sets the category of the rows below it."""
    for index in range(row.line - 1, start, -1):
        kind = dump.kinds[index]
        if kind == Kind.BODY:
            text = dump.lines[index].strip()
            if text[:1] in _SECTION_STARTS and (category := section_category([text])) and (
                    _SECTION_TEXT_RE.fullmatch(category) and category != text):
                dump.kinds[index] = Kind.SECTION
                row.section = category
            return


_SECTION_STARTS = frozenset("一二三四五六七八九十（(第")


def section_categories(rows: Sequence[RawRow]) -> None:
    """Rows under a section row take its category (printed once, above them all)."""
    current = None
    for row in rows:
        current = row.section if row.section is not None else current
        if current is not None and not row.category_pieces:
            row.category = current


def row_pieces(dump: Dump, row: RawRow) -> list[Piece]:
    """The pieces of a row's lines after its serial."""
    serial = _SERIAL_RE.match(dump.lines[row.line].strip())
    assert serial is not None  # a row starts at the line its serial number was read from
    rest = serial.group(2)
    start = row.line if rest else row.line + 1
    return list(_pieces_from(dump, start, row.end, rest))


def fill_pieces(dump: Dump, row: RawRow, categories: Categories | None,
                pieces: list[Piece] | None = None) -> None:
    """Split a row's lines into pieces (unless given) and take its category off the front
    (``categories`` None: the list has no category column)."""
    if pieces is None:
        pieces = row_pieces(dump, row)
    if categories is None:
        row.category, row.body = "", pieces
        return
    found = categories.take(pieces)
    if found is None:  # no word the document is known to use: see ``unknown_categories``
        row.category, row.body = "", pieces
        return
    category, count, remainder = found
    row.category = category
    row.category_pieces = pieces[:count]
    row.body = ([remainder] if remainder else []) + pieces[count:]
    if remainder:
        row.category_pieces[-1] = Piece(remainder.line, category, row.category_pieces[-1].gap)


def _unknown_category(body: Sequence[Piece], width: float) -> int:
    """How many of a row's first pieces may be a category no known word starts: Han
    characters only, as wide as the category column at most, wrapped while they fill it."""
    count = 0
    chars = 0
    for piece in body[:4]:
        if (not _HAN_RE.fullmatch(piece.text) or (count and piece.gap == GAP_SAME)
                or (width and piece.width > width + 0.5) or chars + len(piece.text) > 8):
            break
        count += 1
        chars += len(piece.text)
        if not width or piece.width < width - 0.5:
            break
    return count if count < len(body) else 0


def _wrap_width(rows: Sequence[RawRow], *, every: bool = False) -> float:
    """The category column's width: the width of first lines that one or two lines of Han
    characters no wider go on from, before a wider one (the name's), on rows whose category
    is a known word or whose lines start other rows too (a name's do not: a category's run)."""
    samples = []
    texts: Counter[str] = Counter()
    for row in rows:
        if len(row.category_pieces) == 1:
            continue  # a known word on one line: the column is as wide as it, or wider
        first = row.category_pieces[0].width if row.category_pieces else 0.0
        if (len(row.category_pieces) > 1 and row.body and row.body[0].width > first + 0.5
                and all(p.gap != GAP_SAME and p.width <= first
                        for p in row.category_pieces[1:])):
            # a known word wrapped in its column, a wider line (the name's) after it: its
            # first line fills the column
            samples.append((first, row.category, True))
            continue
        # (a word wrapped over two lines or three, ``对应`` ``上级`` ``部门``, as
        # ``_unknown_category`` reads one: eight characters at most)
        pieces = [*row.category_pieces, *row.body[:4]]
        if len(pieces) < 3 or not _HAN_RE.fullmatch(pieces[0].text):
            continue
        count = 1
        while (count < 3 and count + 1 < len(pieces) and _HAN_RE.fullmatch(pieces[count].text)
               and pieces[count].gap != GAP_SAME and pieces[count].width <= pieces[0].width
               and (count == 1 or sum(len(p.text) for p in pieces[:count + 1]) <= 8)):
            count += 1
            if pieces[count].width > pieces[0].width + 0.5:
                text = "".join(p.text for p in pieces[:count])
                texts[text] += 1
                samples.append((pieces[0].width, text, len(row.category_pieces) > 1))
                break
    return column_width([width for width, text, known in samples
                         if every or known or texts[text] > 1])


def _runs_on(row: RawRow, width: float, places: Sequence[str]) -> int:
    """How many of the body's first lines go on with a category that fills its column (a
    known word that starts a longer one: ``农业农村`` + ``发展``). Not lines after which a
    department's or receiver's cell opens: a row with such cells has a name, and those
    lines are it (``社会管理`` over ``地名管理`` over ``叶城县民政局``)."""
    chars = sum(len(p.text) for p in row.category_pieces)
    count = 0
    last = row.category_pieces[-1]
    for piece in row.body[:3]:
        if (last.width < width - 0.5 or piece.gap == GAP_SAME or not _HAN_RE.fullmatch(piece.text)
                or piece.width > width + 0.5 or chars + len(piece.text) > 8):
            break
        count += 1
        chars += len(piece.text)
        last = piece
    after = row.body[count] if count < len(row.body) else None
    if not count or after is None or after.width <= width + 0.5:
        return 0
    return 0 if row.kind != ListKind.BASIC and _opens_cell_surely(after.text, places) else count


def _candidates(rows: Sequence[RawRow], width: float,
                least: float = 0.0) -> list[tuple[RawRow, int, str]]:
    """(row, pieces, text) of the rows whose first lines may be a category (``least``: the
    column is at least this wide, and as wide as each row's first line)."""
    found = []
    for row in rows:
        if least and row.body:
            width = max(least, row.body[0].width)
        if count := _unknown_category(row.body, width):
            found.append((row, count, "".join(p.text for p in row.body[:count])))
    return found


def _opens_other_cell(text: str, places: Sequence[str]) -> bool:
    """Whether a line reads as the start of a department or receiver cell, not a name."""
    return (looks_like_department_start(text, places) or looks_like_department_end(text)
            or text[-1] in "：:" or RECEIVER_START_RE.match(text) is not None)


def _opens_cell_surely(text: str, places: Sequence[str]) -> bool:
    """Whether a line surely opens a department or receiver cell (never a name's line)."""
    return opens_with_department(text, places) or RECEIVER_START_RE.match(text) is not None


def _repeated_continuations(rows: Sequence[RawRow]) -> None:
    """A word read on the serial's line that goes on below in every row it starts (``二下``,
    then ``上二`` and ``丁二`` on every row of the run): the lines all its rows share, each no
    wider than the word's first line, are the rest of the word wrapped in a narrow column.
    A name's first line differs from row to row."""
    runs: dict[str, list[RawRow]] = {}
    for row in rows:
        if len(row.category_pieces) == 1:
            runs.setdefault(row.category, []).append(row)
    for word, members in runs.items():
        if len({row.serial for row in members}) < 2:
            continue
        width = members[0].category_pieces[0].width
        more = 0
        while True:
            following = {row.body[more].text if len(row.body) > more + 1 and (
                row.body[more].gap != GAP_SAME and _HAN_RE.fullmatch(row.body[more].text)
                and row.body[more].width <= width + 0.5) else None for row in members}
            if len(following) != 1 or None in following or len(word) + sum(
                    len(row.body[i].text) for i in range(more + 1) for row in members[:1]) > 8:
                break
            more += 1
        if not more:
            continue
        for row in members:
            row.category_pieces += row.body[:more]
            row.category = "".join(p.text for p in row.category_pieces)
            row.body = row.body[more:]


def _continued_categories(rows: Sequence[RawRow], places: Sequence[str]) -> float:
    """Take the lines a category goes on over (``_repeated_continuations``, ``_runs_on``);
    the category column's width, 0 if nothing shows it."""
    _repeated_continuations(rows)
    width = _wrap_width(rows)
    if width:
        for row in rows:
            if row.category_pieces and (more := _runs_on(row, width, places)):
                row.category_pieces += row.body[:more]
                row.category = "".join(p.text for p in row.category_pieces)
                row.body = row.body[more:]
    return width


def _names_read_as_words(rows: Sequence[RawRow], width: float) -> None:
    """A known word on a line wider than the category column is the name's first line (a
    name that starts with one, ``生态环境保护`` over ``督察反馈问题``, under a merged
    category): it goes back to the row's body."""
    for row in rows:
        if row.category_pieces and any(p.width > width + 0.5 for p in row.category_pieces):
            row.body = [*row.category_pieces, *row.body]
            row.category, row.category_pieces = "", []


def unknown_categories(rows: Sequence[RawRow], places: Sequence[str],
                       elsewhere: Collection[str] = ()) -> None:
    """Categories no known word starts, read by layout: the category column's width is learned
    from the rows where a category wraps (a wrapped one fills it). A row's first lines are
    its category if they fit that column and the line after them does not (the name's), or
    if the same text starts other such rows (a run of one category), or if it is alone on the
    serial's line and the document's other lists read it as a category (``elsewhere``) or,
    in a cooperative row, what follows it cannot open the department's cell.
    Otherwise the row prints no category (a vertically merged cell: filled down from the run's
    first row). A known word that fills the column and goes on in it is the start of a longer
    word."""
    width = _continued_categories(rows, places)
    if width:
        _names_read_as_words(rows, width)
    unsure = [row for row in rows if not row.category_pieces]
    if not unsure:
        return
    found = _candidates(unsure, width)
    # every row prints a category (none is merged into the row above): take them all, the
    # column's width from every row that wraps one if no known or repeated word showed it.
    # Under merged categories the names' first lines stand there instead, all different,
    # in most rows (each run's rows but its first); a column's categories repeat down their
    # runs, and where the vocabulary read most rows' words, the few left are words too.
    repeated = Counter(text for _, _, text in found)
    column = len(found) == len(unsure) and (
        len(found) <= 2 or 2 * sum(repeated[text] > 1 for _, _, text in found) >= len(found)
        or 4 * len(unsure) <= len(rows))
    if column and not width:
        width = _wrap_width(rows, every=True)
        # or, row by row, as wide as its first line and the widest category on one line
        least = 0.0 if width else max((row.category_pieces[0].width for row in rows
                                       if len(row.category_pieces) == 1), default=0.0)
        found = _candidates(unsure, width, least)
        repeated = Counter(text for _, _, text in found)
    for row, count, text in found:
        following = row.body[count]
        # (unless that line opens the department's or receiver's cell: then the row's one
        # line of a name stands where a merged category leaves room, ``防溺水工作`` over
        # ``市教育局、公``)
        fits = (bool(width) and following.gap != GAP_SAME and following.width > width + 0.5
                and not _opens_cell_surely(following.text, places))
        # the serial's line holds a short word and nothing else, the text goes on below in a
        # wider line that names no department: a category over its name (``1 人居环境整治``)
        alone = (not width and count == 1 and row.body[0].gap == GAP_SAME
                 and following.gap != GAP_SAME and following.width > row.body[0].width + 1.5
                 and not _opens_other_cell(following.text, places))
        # the word and the name share the serial's line, a space between: a cell of its own
        spaced = following.gap == GAP_SAME and not _opens_other_cell(following.text, places)
        # the serial's line holds a word the document's other lists print as a category, and
        # nothing else: a category where the name's column is about as narrow (a merged run's
        # first row, ``1 基层治理`` over ``推荐县级以`` in a column of five)
        lone = count == 1 and row.body[0].line == row.line + 1 and following.gap != GAP_SAME
        # or a word alone on the serial's line of a cooperative row whose next lines open no
        # department's cell (``77 党建引领`` over ``推动商业体``): were it the name, they would
        by_place = lone and (text in elsewhere or (
            row.kind == ListKind.COOPERATIVE and not _opens_other_cell(following.text, places)))
        if column or repeated[text] > 1 or fits or alone or spaced or by_place:
            row.category = text
            row.category_pieces = row.body[:count]
            row.body = row.body[count:]
    # the words just read may show the column's width, and words that go on in it
    _continued_categories(rows, places)


# --- cells -------------------------------------------------------------------------------


@dataclass
class Cells:
    """A row's pieces divided among its columns."""

    name: list[Piece] = field(default_factory=list)
    departments: list[Piece] = field(default_factory=list)
    upper_duties: list[Piece] = field(default_factory=list)
    township_duties: list[Piece] = field(default_factory=list)
    receiver: list[Piece] = field(default_factory=list)

    COLUMNS = ("name", "departments", "upper_duties", "township_duties", "receiver")


def _duty_threshold(rows: Sequence[RawRow]) -> float:
    """Narrower than this is a name or department line, not a duty line: ¾ of the narrower
    duty column's width, taken from numbered steps that wrap (their first line is full)."""
    samples = []
    for row in rows:
        for piece, following in zip(row.body, row.body[1:], strict=False):
            if (step_number(piece.text) is not None and following.gap == GAP_LINE
                    and step_number(following.text) is None):
                samples.append(piece.width)
    if not samples:
        return 12.0
    samples.sort()
    return 0.75 * samples[len(samples) // 10]


def _narrow_end(body: Sequence[Piece], mark: int, threshold: float, widths: Widths) -> int:
    """Where the duty cells begin: the first line that cannot be a name or department.

    That is a numbered step, a heading or a continuation marker (the first is ``mark``,
    see ``_first_duty_mark``), or a line wider than the name and department columns; before
    their widths are learned, the first such marker, or failing one a line wider than
    ``threshold``.
    """
    if widths.departments:
        widest = max(widths.name, widths.departments) + 1.5
        return next((i for i in range(2, mark) if body[i].width > widest), mark)
    if mark < len(body):
        return mark
    return next((i for i in range(2, mark) if body[i].width > threshold), mark)


def _first_duty_mark(body: Sequence[Piece]) -> int:
    """The first line after the name's that only a duty cell starts with: a numbered step, a
    heading, a continuation marker (or the end of the row)."""
    for index in range(2, len(body)):
        piece = body[index]
        text = piece.text
        if (piece.cut_before or step_number(text) is not None or ordinal_number(text) is not None
                or text[-1] in "：:"):
            return index
    return len(body)


def _wrapped_widths(cells: Sequence[Sequence[Piece]], *, paragraphs: bool = False,
                    places: Sequence[str] | None = None) -> list[float]:
    """Widths of the lines of ``cells`` that wrapped (the cell goes on, with no new paragraph
    after them): those fill their column. With ``places``, a line naming departments and
    nothing else did not wrap: it is a receiver's department column (承接部门 | 工作方式)."""
    out = []
    for cell in cells:
        groups = lines_of(cell)
        for group, following in itertools.pairwise(groups):
            if paragraphs and (starts_paragraph(following[0].text) or group[-1].text[-1] in "：:"):
                continue
            if places is not None and is_department_line(join_pieces(group), places):
                continue
            out.append(line_width(group))
    return out


_VOTES_A_CELL = 3


def _votes(cells: Sequence[Sequence[Piece]]) -> list[float]:
    """The widths of the cells' wrapped lines, at most three a cell: a cell misread in the
    first pass (a name run on into a department wrapped over twenty narrow lines) does not
    outvote the other rows, and a list of a few rows still counts its lines."""
    return [width for cell in cells for width in _wrapped_widths([cell])[:_VOTES_A_CELL]]


def _labelled_duty(body: Sequence[Piece], end: int, places: Sequence[str]) -> tuple[int, str]:
    """Where the upper duty cell may open before ``end`` (where the duties begin by their
    width or marks) with the name of a department whose duties follow, as a cell set out
    department by department does, and that name: the line of the piece at ``end`` if that
    piece shares it (``县教育局 推送…``), or a line naming a department and nothing else
    right before it (``县林草局`` over ``1.发现…``); (0, "") if neither."""
    if not 3 <= end < len(body):
        return 0, ""
    if body[end].gap == GAP_SAME:
        start = end - 1
        while start and body[start].gap == GAP_SAME:
            start -= 1
        return (start, body[start].text) if start >= 2 else (0, "")
    label = body[end - 1]
    if label.gap != GAP_SAME and is_department_line(label.text, places):
        return end - 1, label.text
    return 0, ""


def _cut_narrow(run: Run, body: Sequence[Piece], end: int, widths: Widths,
                places: Sequence[str]) -> tuple[Cut, int]:
    """Cut the narrow lines before ``end`` into name and departments (``run``: the first
    of the row's pieces, ``body``); the duty cells may start earlier, at a heading too wide
    for the department column (``市自然资源局``), or at the name of one of the department
    cell's departments that heads their duties (``_labelled_duty``: the department cell
    before it names that department; ``市市监局 规范…`` is a department's cell and its
    duty sharing a line)."""
    ends = [end]
    if widths.departments:
        ends += [at for at in range(2, end) if body[at].width > widths.departments + 1
                 and not any(c in body[at].text for c in "，。；、,;")]
    best: tuple[Cut, int] | None = None
    for candidate in ends:
        cut = cut_name_departments(run, candidate, widths, places)
        if best is None or cut.score > best[0].score:
            best = (cut, candidate)
    assert best is not None
    labelled, label = _labelled_duty(body, end, places)
    if labelled and labelled not in ends:
        cut = cut_name_departments(run, labelled, widths, places)
        if cut.score > best[0].score and strip_spaces(label) in strip_spaces(
                join_pieces(body[cut.at:labelled])):
            best = (cut, labelled)
    return best


def _names_offices(cell: Sequence[Piece]) -> bool:
    """Whether a cell read as departments may be one: no sentence ends in it (``。``), no
    label (``：``) stands in it."""
    return not any(c in piece.text for piece in cell for c in "。：:")


_MOST_NARROW = 300  # lines a name and the cell after it are cut within


def township_duties_first(header: str) -> bool:
    """Whether a cooperative list's header (run together) prints the township's duties
    before the department's (乡镇配合职责 | 上级部门职责): its last two 职责 words, each read
    with the few characters before it (a two-row header's group cell, 职责分工, names no
    column; an earlier third 职责 is such a group)."""
    ends = [match.start() for match in re.finditer("职责", header)
            if not header.startswith(_GROUP_AFTER_DUTY, match.end())]
    sides = []
    for at in ends[-2:]:
        start = max((end + 2 for end in ends if end < at), default=0)
        sides.append(column_of_header(header[max(start, at - 6):at + 2]))
    return sides == ["township_duties", "upper_duties"]


# what a group cell over the duty columns adds to 职责 (职责分工, 职责划分, 职责任务)
_GROUP_AFTER_DUTY = tuple(group[2:] for group in HEADER_GROUPS
                          if group.startswith("职责") and len(group) > 2)


def layout_cooperative(rows: Sequence[RawRow], places: Sequence[str],
                       township_first: bool = False) -> list[Cells]:
    """Name and departments (narrow columns) first, learning their widths from the rows where
    the cut is clear; then the two duty cells (``township_first``: the township's printed
    first, as its header says)."""
    threshold = _duty_threshold(rows)
    marks = [_first_duty_mark(row.body) for row in rows]
    runs: dict[int, Run] = {}

    def cut_all(widths: Widths, *, duties: bool) -> list[tuple[Cells, float]]:
        out = []
        for number, row in enumerate(rows):
            body = row.body
            # a name and departments over hundreds of lines are no table's: cut within the
            # first of them (the cut tries every boundary against every other)
            end = min(_narrow_end(body, marks[number], threshold, widths), _MOST_NARROW)
            cells = Cells()
            margin = 0.0
            if end >= 2:
                if number not in runs:  # both passes cut the same run: its costs are kept
                    runs[number] = Run(body[:min(marks[number], _MOST_NARROW)])
                cut, end = _cut_narrow(runs[number], body, end, widths, places)
                cells.name, cells.departments = list(body[:cut.at]), list(body[cut.at:end])
                margin = cut.margin
            else:
                cells.name = list(body[:end])
            if duties and end < len(body):
                township = split_duties(body[end:], township_first)
                first = [p for p, t in zip(body[end:], township, strict=True) if not t]
                second = [p for p, t in zip(body[end:], township, strict=True) if t]
                if township_first:
                    first, second = second, first
                cells.upper_duties, cells.township_duties = first, second
            out.append((cells, margin))
        return out

    first = cut_all(Widths(), duties=False)
    sure = [cells for cells, margin in first if margin >= 1.0] or [c for c, _ in first]
    # (where a department's duty has no number, the first duty mark is the township's: the
    # cell read as departments takes in the department's duty, and a cell that ends a
    # sentence or holds a label names no offices: it does not vote for the column's width)
    offices = [c.departments for c in sure if _names_offices(c.departments)]
    widths = Widths(
        name=column_width(_votes([c.name for c in sure]))
        or column_width([r.body[0].width for r in rows if r.body]),
        departments=column_width(_votes(offices))
        or column_width([cell[0].width for cell in offices if cell]),
    )
    return [cells for cells, _ in cut_all(widths, duties=True)]


def layout_reclaimed(rows: Sequence[RawRow], places: Sequence[str],
                     split: bool = False) -> list[Cells]:
    """Name and receiver, the widths learned from the rows where the cut is clear (``split``:
    the receiver is two columns, see ``cut_name_receiver``)."""
    runs = [Run(row.body[:_MOST_NARROW]) for row in rows]  # see layout_cooperative

    def cut_all(widths: Widths) -> list[tuple[Cells, float]]:
        out = []
        for row, pieces in zip(rows, runs, strict=True):
            if len(row.body) < 2:
                out.append((Cells(name=list(row.body)), 0.0))
                continue
            cut = cut_name_receiver(pieces, widths, places, split=split)
            out.append((Cells(name=list(row.body[:cut.at]), receiver=list(row.body[cut.at:])),
                        cut.margin))
        return out

    first = cut_all(Widths())
    sure = [cells for cells, margin in first if margin >= 1.0] or [c for c, _ in first]
    widths = Widths(
        name=column_width(_wrapped_widths([c.name for c in sure])),
        receiver=column_width(_wrapped_widths([c.receiver for c in sure], paragraphs=True,
                                              places=places)),
    )
    return [cells for cells, _ in cut_all(widths)]


def layout_basic(rows: Sequence[RawRow]) -> list[Cells]:
    return [Cells(name=list(row.body)) for row in rows]


# --- the document ------------------------------------------------------------------------


@dataclass
class Assembled:
    """A finished row and the pieces it was built from (repeats of a page break left out)."""

    raw: RawRow
    cells: Cells
    serial_piece: Piece
    counted: list[Piece]
    last_line: int
    repeated: list[Piece] = field(default_factory=list)


def _serial_piece(dump: Dump, row: RawRow) -> Piece:
    token = dump.lines[row.line].strip().split()[0]
    return Piece(row.line + 1, token, GAP_LINE)


def _merge_continued(first: Assembled, second: Assembled) -> None:
    """A row printed across a page break: cells printed in full on both pages are kept once,
    a cut cell is its first part followed by its second."""
    first.repeated += [second.serial_piece, *second.raw.category_pieces]
    for column in Cells.COLUMNS:
        before, after = getattr(first.cells, column), getattr(second.cells, column)
        if not after:
            continue
        if before and strip_spaces(join_pieces(before)) == strip_spaces(join_pieces(after)):
            first.repeated += after
        else:
            setattr(first.cells, column, before + after)
            first.counted += after
    first.last_line = max(first.last_line, second.last_line)


def _assemble(dump: Dump, rows: Sequence[RawRow], layout: Sequence[Cells]) -> list[Assembled]:
    out: list[Assembled] = []
    for row, cells in zip(rows, layout, strict=True):
        serial = _serial_piece(dump, row)
        counted = [serial, *row.category_pieces,
                   *(p for column in Cells.COLUMNS for p in getattr(cells, column)),
                   *(p for cell in row.extra.values() for p in cell)]
        last = max(p.line for p in counted)
        item = Assembled(row, cells, serial, counted, last)
        if out and row.serial == out[-1].raw.serial:
            _merge_continued(out[-1], item)
        else:
            out.append(item)
    return out


def _source(pieces: Sequence[Piece]) -> list[SourceLine]:
    by_line: dict[int, list[str]] = {}
    for piece in pieces:
        by_line.setdefault(piece.line, []).append(piece.text)
    return [SourceLine(line, " ".join(texts)) for line, texts in sorted(by_line.items())]


_RECEIVER_DEPARTMENT_WORDS = dict(HEADER_SYNONYMS)["receiver_department"]
_RECEIVER_METHOD_WORDS = dict(HEADER_SYNONYMS)["receiver_method"]


def _split_receiver_columns(header: str) -> bool:
    """Whether a reclaimed list prints its receiver as two columns (承接部门 | 工作方式): the
    header names both, and no word of it names the receiver whole (承接单位及承接方式)."""
    return (not names_whole_receiver(header)
            and any(word in header for word in _RECEIVER_DEPARTMENT_WORDS)
            and any(word in header for word in _RECEIVER_METHOD_WORDS))


def _receiver_parts(pieces: Sequence[Piece], places: Sequence[str]) -> tuple[str, str]:
    """(department, method) of a receiver printed as two columns (see
    ``department_count``)."""
    count = department_count(pieces, places)
    return join_pieces(pieces[:count]), join_pieces(pieces[count:])


def _to_row(item: Assembled, split_receiver: bool = False,
            places: Sequence[str] = ()) -> ExtractedRow:
    cells = item.cells
    department = method = ""
    if split_receiver and cells.receiver:
        department, method = _receiver_parts(cells.receiver, places)
        last = cells.name[-1] if len(cells.name) > 1 else None
        if (not department and last is not None and len(last.text) <= 16
                and looks_like_department_end(last.text)
                and not any(c in last.text for c in "，。；：,;:")):
            # the department column's one line, read as the name's last (nothing in a
            # name's last line tells it from a department but the column after it)
            cells.name, cells.receiver = cells.name[:-1], [last, *cells.receiver]
            department = last.text
    printed = join_pieces(item.raw.category_pieces)
    return ExtractedRow(
        list=item.raw.kind,
        serial=item.raw.serial,
        category=printed or item.raw.category,
        # a section row's category is printed once, above the rows: not in their text
        category_filled=bool(item.raw.category and not printed),
        name=join_pieces(cells.name),
        departments=join_pieces(cells.departments),
        upper_duties=join_pieces(cells.upper_duties),
        township_duties=join_pieces(cells.township_duties),
        receiver=(" ".join(part for part in (department, method) if part) if split_receiver
                  else join_pieces(cells.receiver)),
        receiver_department=department,
        receiver_method=method,
        extra={label: join_pieces(cell) for label, cell in item.raw.extra.items()},
        span=Span(item.raw.line + 1, item.last_line),
        source=_source(item.counted),
    )


def _notes(dump: Dump) -> str:
    """The text before the first list (a 说明 preface), a paragraph a line: a line as wide
    as the text that does not end a sentence runs on into the next."""
    lines = [line.strip() for line, kind in zip(dump.lines, dump.kinds, strict=True)
             if kind == Kind.PREFACE]
    if not lines:
        return ""
    full = column_width([display_width(line) for line in lines])
    # Paragraphs as lists of lines joined once at the end: ``out[-1] += line`` copies the
    # paragraph at every line (an 8 MB text that is no list took 38 s).
    out = [[lines[0]]]
    for previous, line in itertools.pairwise(lines):
        if (display_width(previous) >= full - 3.5 and previous[-1] not in "。！？：:"
                and not starts_paragraph(line)):
            out[-1].append(line)
        else:
            out.append([line])
    return "\n".join("".join(paragraph) for paragraph in out)


def _place_words(county: str, prefecture: str) -> tuple[str, ...]:
    """The names a department of this place opens with, each as the gazetteer knows it
    printed (巴州 as 巴音郭楞蒙古自治州), and without its level word (伽师 of 伽师县)."""
    # a tuple: the cut scorers test ``str.startswith(places)`` at every boundary
    words = list(dict.fromkeys(form for name in (county, prefecture) if name
                               for form in printed_forms(name)))
    return (*words, *(w[:-1] for w in words if len(w) > 2))


_SIDE_BY_SIDE_RE = re.compile(r"\S {4,}\S")


def _side_by_side(dump: Dump) -> bool:
    """Whether the dump kept the page's columns side by side (``pdftotext -layout``): many
    body lines with wide gaps inside them. This reader expects the cells one after another."""
    body = [line for line, kind in zip(dump.lines, dump.kinds, strict=True)
            if kind == Kind.BODY and line.strip()]
    gapped = sum(1 for line in body if "    " in line and _SIDE_BY_SIDE_RE.search(line.strip()))
    return len(body) >= 20 and gapped > 0.25 * len(body)


def _peel_lead(dump: Dump, rows: Sequence[RawRow], plan: ExtraPlan,
               categories: Categories | None) -> None:
    """Take the lead extra columns' cells (between the serial and the category) off every
    row, then its category (see ``lvzhi.extractors._dump_extras``)."""
    def known_start(pieces: list[Piece]) -> bool:
        return categories is not None and categories.take(pieces) is not None

    pieces = [row_pieces(dump, row) for row in rows]
    lead = (peel_lead(pieces, [row.line + 1 for row in rows], len(plan.lead), known_start)
            if plan.lead
            else [Peeled(p, []) for p in pieces])
    for row, cut in zip(rows, lead, strict=True):
        fill_pieces(dump, row, categories, cut.rest)
        row.extra = dict(zip(plan.lead, cut.cells, strict=True))
        row.uncertain = cut.uncertain


def _shapes(rows: Sequence[RawRow], *, categorised: bool, split: bool) -> list[ModelShape]:
    """Each row's model cells: how many may stand whole on its serial's line (the duties
    never do), how many there are, how many stand on lines of their own at least; a
    category not read yet may be one more, where the row's first pieces may be one (Han
    characters, eight at most: ``_unknown_category``)."""
    if not rows:
        return []
    shared, cells, own = {ListKind.BASIC: (1, 1, 1), ListKind.COOPERATIVE: (2, 4, 2),
                          ListKind.RECLAIMED: (2 + split, 2 + split, 1)}[rows[0].kind]
    pending = [categorised and not row.category_pieces and _unknown_category(row.body, 0.0) > 0
               for row in rows]
    # a cooperative row's last cell is a duty, which ends a sentence
    sentence = rows[0].kind == ListKind.COOPERATIVE
    basic = rows[0].kind == ListKind.BASIC
    return [ModelShape(shared + more, cells + more, own, sentence, wider_before=not basic,
                       wrapped_after=1 + split)
            for more in pending]


def _peel_tail(section: Section, plan: ExtraPlan, rows: Sequence[RawRow],
               document: ExtractedDocument) -> None:
    """Take the tail extra columns' cells off the end of every row; text whose cell is
    uncertain (here or in a lead column) is reported lost, with a warning."""
    if plan.tail and rows:
        shapes = _shapes(rows, categorised=section.categories,
                         split=_split_receiver_columns(section.header))
        tail = peel_tail([row.body for row in rows], [row.line + 1 for row in rows],
                         len(plan.tail), shapes)
        for row, cut in zip(rows, tail, strict=True):
            row.body = cut.rest
            row.extra |= dict(zip(plan.tail, cut.cells, strict=True))
            row.uncertain += cut.uncertain
    uncertain = [row.serial for row in rows if row.uncertain]
    for row in rows:
        document.orphans += _source(row.uncertain)
    if uncertain:
        document.warnings.append(
            f"{rows[0].kind}: where the cells of {'、'.join(plan.labels)} end is uncertain on "
            f"{len(uncertain)} rows (first: {uncertain[0]}); their text is reported lost")
        document.advice = ("read the document in another format (.docx, .xlsx, the PDF "
                           "itself) to place the extra columns")


def _check_one_township(dump: Dump) -> None:
    """A dump of several townships' lists (a county's lists in one file) would be read as one
    township's, every row under the first: refused, saying why (as the table readers do)."""
    seen: list[str] = []
    for at, kind in enumerate(dump.kinds):
        if kind != Kind.TITLE or not (township := parse_place(dump.lines[at].strip()).township):
            continue
        if seen and not any(same_township(township, t) for t in seen) and (
                Kind.BODY in dump.kinds[:at] and Kind.BODY in dump.kinds[at:]):
            raise ExtractionError(
                f"this file holds the lists of more than one township ({seen[0]}, and "
                f"{township} from line {at + 1}): lvzhi reads one township a file; save each "
                "township's lists as a file of its own")
        seen.append(township)


def parse(text: str) -> ExtractedDocument:
    """Read the text of a PDF dump into rows."""
    dump = classify(text.split("\n"))
    _check_one_township(dump)
    place = merge_places([parse_place(title) for title in dump.titles])
    document = ExtractedDocument(title=dump.titles[0] if dump.titles else "",
                                 prefecture=place.prefecture, county=place.county,
                                 township=place.township, notes=_notes(dump))
    places = _place_words(place.county, place.prefecture)
    categories = Categories.of(dump)
    found = []  # (section, its extra columns, its rows), categories taken off
    read_words: set[str] = set()  # the categories the lists read so far print
    for section in dump.sections:
        plan = plan_of(section.header)
        if plan.middle:
            raise ExtractionError(
                f"the {section.kind} list has columns between its own that the plain-text "
                f"reader cannot place ({'、'.join(plan.middle)}); read the document in another "
                "format (.docx, .xlsx, the PDF itself, or its text dumped with pdftotext "
                "-layout)")
        rows = find_rows(dump, section, categories)
        read_categories = categories if section.categories else None
        if plan.labels:
            _peel_lead(dump, rows, plan, read_categories)
        else:
            for row in rows:
                fill_pieces(dump, row, read_categories)
        found.append((section, plan, rows))
    for section, plan, rows in found:
        if plan.labels:
            _peel_tail(section, plan, rows, document)
        if section.categories:
            unknown_categories(rows, places, read_words)
        section_categories(rows)
        # (a list read before may show a word that this one prints where layout cannot tell)
        read_words |= {row.category for row in rows if row.category_pieces}
        split = section.kind == ListKind.RECLAIMED and _split_receiver_columns(section.header)
        if section.kind == ListKind.COOPERATIVE:
            layout = layout_cooperative(rows, places, township_duties_first(section.header))
        elif section.kind == ListKind.RECLAIMED:
            layout = layout_reclaimed(rows, places, split)
        else:
            layout = layout_basic(rows)
        for item in _assemble(dump, rows, layout):
            document.rows.append(_to_row(item, split, places))
            if item.repeated:
                document.warnings.append(
                    f"{section.kind} {item.raw.serial}: printed across a page break (lines "
                    f"{item.raw.line + 1}–{item.last_line}); the cells printed on both pages "
                    f"are kept once")
        if section.restart is not None:
            document.orphans += [SourceLine(i + 1, dump.lines[i].strip())
                                 for i in range(section.restart, section.end)
                                 if dump.kinds[i] == Kind.BODY and dump.lines[i].strip()]
            document.warnings.append(
                f"{section.kind}: the rows are numbered from 1 again at line "
                f"{section.restart + 1} (numbered anew in each category?); the rows from "
                "there are not read and their text is reported lost")
        first_row = rows[0].line if rows else section.end
        document.orphans += [SourceLine(i + 1, dump.lines[i].strip())
                             for i in range(section.start, first_row)
                             if dump.kinds[i] == Kind.BODY]
    if _side_by_side(dump):
        document.warnings.insert(0, "the text keeps the table's columns side by side (as "
                                    "pdftotext -layout writes it); cells are read one after "
                                    "another, so check the rows, or convert the PDF without "
                                    "-layout")
    return document


class PlainTextExtractor(Extractor):
    name = "plaintext"
    version = "1.0"
    description = "text dumped from a PDF: wrapped columns, repeated page headers"
    extensions = (".txt", ".text")

    def sniff(self, path: Path, head: bytes) -> float:
        """Below the markdown and TSV content sniffs (a pipe or tab table is theirs), above
        nothing for any .txt, higher when the text carries a duty list's column header."""
        if path.suffix.lower() not in self.extensions:
            return 0.0
        text = decode_head(head)
        hinted = bool(re.search(r"序\s*号", text) and re.search(r"事\s*项", text))
        return 0.7 if hinted else 0.3

    def extract(self, path: Path) -> ExtractedDocument:
        text, encoding = read_text(path)
        document = parse(text)
        if not document.rows:
            raise NoDutyListError("no duty list found: no row numbered 1 with a known category "
                                  "under a list title or a 序号… column header")
        document.encoding = encoding
        return document


@hookimpl
def register_extractors(register):
    register(PlainTextExtractor())
