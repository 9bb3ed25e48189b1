"""Duty-list rows from the table rows a format reader sees, whatever the format.

A reader (markdown, tab-separated, PDF) walks its file in order and tells a ``TableAssembler``
what it meets; the assembler knows what a duty list looks like and builds the document::

    tables = TableAssembler()
    tables.text("伊犁州昭苏县昭苏镇基本履职事项清单", line=15)   # any text outside a table
    tables.page_break()                                         # a new page or a new table
    tables.row(["序号", "事项类别", "事项名称"], line=17)        # header or body: it decides
    tables.row(["1", "党的建设", "深入学习……"], line=19, page=1)
    document = tables.finish()                                  # an ExtractedDocument

What the reader does: hand over cells as clean text (markup removed, e.g. with ``clean_cell``;
a cell wrapped over several lines joined with nothing in between) and, if the format has
markup, the items each cell's markup marks (``list_items``); every table row including
headers, every line of text outside tables, and a ``page_break()`` wherever a new page or a
new table starts. What the assembler does, the same for every format:

- **Sections.** A list title (``…配合履职事项``, ``…收回履职事项清单``) announces a list, its
  column header confirms it and fixes the columns (mapped by their words, so a county that
  orders or names them a little differently still reads); the header wins if they disagree. A
  table of contents, or any table without a duty-list header, is not a list.
- **Repeated headers** are page furniture: dropped, and they count as a page break.
- **A row printed across a page break** (the same serial again right after a break, unless
  a list numbered anew in each category starts another category there with 1, or a row
  with an empty serial cell) is one row: cells printed in full on both sides are kept once, a
  cut cell is its first part followed by its second (once, if the second part starts by
  printing the first again), and markers such as ``（未完见下页）`` / ``（续上页）`` are
  furniture. Text printed again is left out of ``source``, so the conservation check counts
  it once, and its characters are counted in ``ExtractedDocument.page_repeats``.
- **Steps the markup marks.** A duty cell written as an HTML list without printed numbers
  (``<ol> 起草方案； 审核人选。``, ``<li>`` items) gets its steps from the list's items
  (``ExtractedRow.upper_steps`` / ``township_steps``); cells that number their own steps are
  split at their numbers by the core.
- **A vertically merged category** (an empty category cell) is left empty: the core fills it
  down (``lvzhi.normalize.fill_down_categories``).
- **Other cells merged over rows** (牵头部门, 部门职责, 承接部门, 备注 … printed once for a run of
  rows), where the format marks the merge (``row(merged=…)``: a position covered by the cell
  above): the merged text applies to every row it covers, so each covered row's field holds
  it. It was printed once, on the run's first row: the rows below keep it in
  ``ExtractedRow.merged``, not in ``source``, and its characters are counted in
  ``ExtractedDocument.merge_repeats``. A serial merged over rows still makes one row printed
  over several; a name merged over rows is filled only in a list with 序号 (without, a row
  without a name is the rest of the row above). Such a table row under a merged serial (or
  name) holds whole cells, not the rest of cut ones (one matter printed a row per department):
  its cells join the row's apart by a space, each a step of a duty column, unless a cell
  numbers its steps on from the one above (``2.备案。``: the duty's rest).
- **One township a file.** A title naming another township once rows were read (a county's
  lists in one file, or a workbook with a sheet per township) refuses the file, saying so:
  read as one document, every row would be stored under the first township.
- **Cell boundaries are kept as given.** A row whose text evidently sits in the neighbouring
  column is flagged (``ExtractedRow.warnings``), never moved. A row with fewer cells than its
  header raises ``ExtractionError`` naming the line.
- **Title, place and notes** come from the cover title and the list titles (merged), and from
  a 说明 preface.

Every row carries its span and ``source``: the text of each cell it was built from, per source
line, which the extraction report checks character by character against the fields.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest

from lvzhi.extractor import ExtractionError, NoDutyListError
from lvzhi.model import (
    ExtractedDocument,
    ExtractedRow,
    HeaderMapping,
    ListKind,
    SourceLine,
    Span,
)
from lvzhi.text import strip_spaces
from lvzhi.vocabulary import (
    CATEGORIES,
    CATEGORY_ALIASES,
    COLUMN_LABELS,
    COLUMNS,
    Place,
    canonical_category,
    column_of_header,
    duty_column_of_header,
    list_kind_of_columns,
    list_kind_of_header,
    list_kind_of_title,
    merge_places,
    parse_place,
    same_township,
    split_steps,
)

# --- cleaning cells ----------------------------------------------------------------------

# Tags that end a paragraph: the paragraphs stay apart by one space (layout, not text).
_BLOCK_TAG_RE = re.compile(r"<(/?)(p|div|li|ol|ul|tr|td|th|table|tbody|thead|h[1-6])\b[^<>]*>",
                           re.IGNORECASE)
# Any other tag (span, b, font, br, sup …) is removed without a trace: a <br> inside a CJK
# cell is a wrapped line, and wrapped lines are joined with nothing in between.
# Word-pasted markup names its tags with a namespace (``<o:p></o:p>``, ``<st1:chsdate>``).
_TAG_RE = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
# Comments, Word's conditional comments included (``<!--[if gte mso 9]>…<![endif]-->``).
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
# Word's downlevel-revealed conditionals (``<![if !supportLists]>1.<![endif]>``): the markers
# go, the text between them stays where it is.
_DOWNLEVEL_RE = re.compile(r"<!\[(?:if\b[^\]]*|endif)\]>")
_SPACES_RE = re.compile(r"\s+")


def clean_cell(text: str) -> str:
    """Cell text without HTML markup: tags and comments removed, entities decoded, runs of
    whitespace made one space, ends stripped. No other character is added, dropped or changed.

    ``<ol>`` items without printed numbers keep no numbers: the items stay apart only by the
    space that separated them (``list_items`` tells them apart).
    """
    if "<" in text:
        text = _DOWNLEVEL_RE.sub("", _COMMENT_RE.sub(" ", text))
        text = _BLOCK_TAG_RE.sub(" ", text)
        text = _TAG_RE.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return _SPACES_RE.sub(" ", text).strip()


# --- page furniture ----------------------------------------------------------------------

# Markers printed where a row is cut by a page break.
_CUT_END_RE = re.compile(r"[（(]\s*未完[，,、]?\s*(?:[见转接续]\s*)?下页\s*[)）]\s*$")
_CUT_START_RE = re.compile(r"^\s*[（(]\s*(?:续上页|接上页|上接前页|续表|续)\s*[)）]")


def strip_page_markers(cell: str) -> tuple[str, bool]:
    """The cell without cut markers at its ends, and whether it had any."""
    if "页" not in cell and "续" not in cell:  # every marker has one: most cells skip the rest
        return cell.strip(), False
    stripped = _CUT_START_RE.sub("", _CUT_END_RE.sub("", cell)).strip()
    return stripped, stripped != cell.strip()


# --- items a cell's markup marks ---------------------------------------------------------

_LIST_TAG_RE = re.compile(r"<(?:ol|ul|li)\b", re.IGNORECASE)
# Where a list without <li> starts a new item: whitespace after the end of a clause. A space
# inside a sentence (``农业 农村局``, ``1:3 的比例``) is no boundary.
_CLAUSE_GAP_RE = re.compile(r"(?<=[；;。.！!？?])\s+")


def list_items(markup: str, clean: Callable[[str], str] = clean_cell) -> list[str] | None:
    """The items of a cell whose markup holds an HTML list (``<ol>``, ``<ul>``, ``<li>``), each
    cleaned by ``clean`` (the reader's cell cleaner), so that ``" ".join(items)`` is the cell's
    text. None for a cell without list markup, or when its items do not add up to the text.

    Items are what the markup bounds: each ``<li>``, each paragraph beside the list (a heading
    such as ``<p>市人大常委会：</p>``). Converters also write a list without ``<li>``
    (``<ol style="list-style-type: none"> 起草方案； 审核人选。``): its items are told apart
    only by whitespace after a clause end (``；`` ``。`` …), never split inside a sentence.
    """
    if "<" not in markup or not _LIST_TAG_RE.search(markup):
        return None
    markup = _COMMENT_RE.sub(" ", markup)
    items: list[str] = []
    lists = 0  # <ol>/<ul> open around the text
    boxed = False  # inside a <li> or <p>: the text is one item whatever its punctuation
    at = 0
    for tag in _BLOCK_TAG_RE.finditer(markup):
        _add_items(items, clean(markup[at:tag.start()]), loose=lists > 0 and not boxed)
        at = tag.end()
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if name in ("ol", "ul"):
            lists = max(lists - 1, 0) if closing else lists + 1
            boxed = False
        elif name in ("li", "p"):
            boxed = not closing
    _add_items(items, clean(markup[at:]), loose=lists > 0 and not boxed)
    return items if items and " ".join(items) == clean(markup) else None


def _add_items(items: list[str], text: str, *, loose: bool) -> None:
    if text:
        items.extend(_CLAUSE_GAP_RE.split(text) if loose else [text])


# A duty cell that numbers its own steps (``1.`` ``2、`` …): those numbers split it, not markup.
_PRINTED_NUMBER_RE = re.compile(r"^\d{1,2}[.．、](?!\d)")


def prints_numbers(cell: str) -> bool:
    """Whether a duty cell carries its own step numbers (``lvzhi.vocabulary.split_steps``
    finds them)."""
    return len(split_steps(cell)) > 1 or bool(_PRINTED_NUMBER_RE.match(cell))


def marked_steps(cell: str, items: Sequence[str] | None) -> list[str] | None:
    """A duty cell's steps from the items its markup marks (``list_items``): each step is its
    item followed by the space that parted it from the next, so ``"".join(steps) == cell``.
    None when nothing is marked, the items do not make up the cell, or the cell prints its own
    numbers (then ``lvzhi.normalize`` splits it at them)."""
    if not items or not cell or prints_numbers(cell):
        return None
    # Cut markers are stripped at the cell's ends: strip them at the end items too.
    texts = [*items]
    texts[0] = strip_page_markers(texts[0])[0]
    texts[-1] = strip_page_markers(texts[-1])[0]
    texts = [text for text in texts if text]
    if not texts or " ".join(texts) != cell:
        return None
    return [text + " " for text in texts[:-1]] + [texts[-1]]


# --- titles ------------------------------------------------------------------------------

_TOC_ENTRY_RE = re.compile(r"\.{3,}|…{2,}|·{3,}|[（(]\d+[)）]$|\s\d+$")
_COVER_TITLE_RE = re.compile(r"(履职|职责|事项).*清单$")
_NOTES_HEADING_RE = re.compile(r"^说\s*明\s*[:：]?\s*")
# A note in brackets after a title, with words in it (a page number such as (11) has none).
_TITLE_NOTE_RE = re.compile(r"\s*[（(][^（）()]*[\u4e00-\u9fff][^（）()]*[)）]\s*$")


def is_cover_title(line: str) -> bool:
    """A document title such as ``新疆维吾尔自治区伊犁哈萨克自治州 昭苏县昭苏镇履职事项清单``:
    ends in 清单, announces no single list, and is no table-of-contents entry."""
    text = strip_spaces(line)
    return (bool(_COVER_TITLE_RE.search(text)) and len(text) <= 60
            and not _TOC_ENTRY_RE.search(line.strip()) and not text[:1].isdigit())


# --- columns -----------------------------------------------------------------------------

# A column the model has no field for is kept in ``ExtractedRow.extra`` under its header:
# such a column is named ``extra:<header>`` in a section's columns.
EXTRA = "extra:"
# What a list needs its header to name; anything else may be missing (a basic list printed
# as 序号 | 事项名称 has no category) or comes from elsewhere (a section row's category).
_REQUIRED: dict[ListKind, tuple[tuple[str, ...], ...]] = {
    ListKind.BASIC: (("serial",), ("name",)),
    ListKind.COOPERATIVE: (("serial",), ("name",), ("departments",), ("upper_duties",),
                           ("township_duties",)),
    ListKind.RECLAIMED: (("serial",), ("name",),
                         ("receiver", "receiver_department", "receiver_method")),
}


def extra_label(cell: str, at: int) -> str:
    """The key of an extra column in ``ExtractedRow.extra``: its header without spaces, or
    ``列<n>`` for a column printed without a header."""
    return strip_spaces(cell) or f"列{at + 1}"


@dataclass(slots=True)
class _Section:
    """One list being read: its kind and which cell holds which column."""

    kind: ListKind
    columns: list[str | None]  # per cell index: a model column, ``extra:<header>``, or None
    labels: list[str]  # the header cells as printed, for messages
    index: dict[str, int] = field(default_factory=dict)  # model column -> cell index
    category: str = ""  # the category the last section row (一、党的建设) set
    top: list[str] = field(default_factory=list)  # the header's first row, without spaces

    def __post_init__(self) -> None:
        self.index = {c: i for i, c in enumerate(self.columns)
                      if c is not None and not c.startswith(EXTRA)}

    @property
    def required(self) -> int:
        """Cells a body row needs: up to the last model column."""
        return max(self.index.values()) + 1

    @property
    def extras(self) -> list[str]:
        return [c[len(EXTRA):] for c in self.columns if c is not None and c.startswith(EXTRA)]

    def label(self, at: int) -> str:
        column = self.columns[at] if at < len(self.columns) else None
        printed = self.labels[at] if at < len(self.labels) else ""
        return printed or COLUMN_LABELS.get(column or "", f"column {at + 1}")


# A header without 序号 (a list numbered by its rows' order): every cell a short header word.
_HEADER_CELL_MAX = 16


def unnumbered_header_kind(cells: Sequence[str], *, announced: bool = False) -> ListKind | None:
    """The list a header printed without a 序号 column makes (``事项类别 | 事项名称``,
    ``事项名称 | 牵头部门 | 部门职责 | 乡镇职责``), or None. Each filled cell is a short header
    word, and besides the name the header names a category or a column of its own list; a
    name alone will do under a list title (``announced``)."""
    filled = [strip_spaces(cell) for cell in cells if cell]
    if not filled or any(len(text) > _HEADER_CELL_MAX or text[:1].isdigit()
                         or _SENTENCE_PUNCTUATION_RE.search(text) for text in filled):
        return None
    columns = {column_of_header(cell) for cell in cells if cell}
    if "serial" in columns or "name" not in columns or (
            len(columns - {None}) < 2 and not announced):
        return None
    return list_kind_of_columns([*columns, "serial"])


def header_kind(cells: Sequence[str], *, announced: bool = False) -> ListKind | None:
    """The list a header row belongs to, with or without a 序号 column; None for no header."""
    kind = list_kind_of_header(list(cells))
    return kind if kind is not None else unnumbered_header_kind(cells, announced=announced)


def map_header(kind: ListKind, cells: Sequence[str]) -> tuple[list[str | None], bool]:
    """Cell index -> column for a header (a model column, ``extra:<header>`` for a column the
    model has no field for, None for an empty cell), and whether the words decided it.

    When the words leave a required column of ``kind`` unnamed, the columns are taken in the
    usual order (``lvzhi.vocabulary.COLUMNS``) and the rest kept as extra columns.
    """
    mapped: list[str | None] = []
    for at, cell in enumerate(cells):
        column = column_of_header(cell)
        if column in mapped and (duty := duty_column_of_header(cell)) not in mapped:
            column = duty  # 牵头部门 | 部门履职内容: the second names the department's duties
        if column is None or column in mapped:  # a second 类别 column is no category
            column = EXTRA + extra_label(cell, at) if cell.strip() else None
        mapped.append(column)
    # a list printed without 序号 needs none (its rows' order numbers them)
    required = [c for c in _REQUIRED[kind] if "serial" in mapped or c != ("serial",)]
    if all(any(c in mapped for c in choice) for choice in required):
        return _unique_extras(mapped), True
    usual = list(COLUMNS[kind])
    rest = [EXTRA + extra_label(cell, at) if cell.strip() else None
            for at, cell in enumerate(cells[len(usual):], start=len(usual))]
    return _unique_extras([*usual, *rest]), False


def _unique_extras(columns: list[str | None]) -> list[str | None]:
    """Two extra columns with one header (两列 备注) keep both: the second is ``备注（2）``."""
    seen: dict[str, int] = {}
    unique: list[str | None] = []
    for column in columns:
        if column is not None and column.startswith(EXTRA):
            seen[column] = seen.get(column, 0) + 1
            if seen[column] > 1:
                column = f"{column}（{seen[column]}）"
        unique.append(column)
    return unique


def header_mapping(section: _Section, line: int | None, page: int | None) -> HeaderMapping:
    """How a header's cells were read, for the extraction report."""
    cells = []
    for at, column in enumerate(section.columns):
        printed = section.labels[at] if at < len(section.labels) else ""
        read = "" if column is None else "extra" if column.startswith(EXTRA) else column
        if printed or read:
            cells.append((printed or f"({COLUMN_LABELS.get(column or '', '')})", read))
    return HeaderMapping(section.kind, cells, line, page)


# --- section rows ------------------------------------------------------------------------

# A section row's numbering (一、 （二） 3. 第四部分): numbering, not part of the category.
_SECTION_NUMBER_RE = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十百]+[)）、.．]?|[（(]?\d{1,2}[)）、.．]|第[一二三四五六七八九十]+"
    r"[部分类项章节]、?)\s*")
# A count after the category (``党的建设（22项）``) is no part of it either.
_SECTION_COUNT_RE = re.compile(r"\s*[（(]\s*(?:共\s*)?\d+\s*项?\s*[)）]\s*$")
_SECTION_MAX = 30
# A note printed as a row across the table (``注：…`` / ``备注：…`` / ``说明：…`` under a list):
# a note, never a section row, however short.
_NOTE_ROW_RE = re.compile(r"^(?:备\s*)?注\s*[:：]|^说\s*明\s*[:：]")
# A row that totals the list (``合计 | 共84项``): furniture, its count checked. Its first cell
# is the word alone (or with the count): a name that starts 合计… is no total.
_TOTAL_ROW_RE = re.compile(r"(合计|总计|共计|小计)[:：]?(?:共?\d+[项条个])?")
_COUNT_RE = re.compile(r"(\d+)\s*(?:项|条|个)")


# The line of a form saying who filled it in and when (``填报单位：某镇人民政府（盖章）
# 填报时间：2025年3月``), printed above a list's header: furniture.
_FORM_LINE_RE = re.compile(r"^(?:填报|填表|编制|报送|制表)(?:单位|时间|日期|人)\s*[:：]")


def is_form_line(text: str) -> bool:
    return bool(_FORM_LINE_RE.match(strip_spaces(text)))


def note_row(cells: Sequence[str]) -> str | None:
    """The note a row holds (``注：本清单…`` in one cell, or in every cell of a merge)."""
    filled = {cell for cell in cells if cell}
    if len(filled) == 1 and _NOTE_ROW_RE.match(text := filled.pop()):
        return text
    return None


def total_row(cells: Sequence[str]) -> tuple[str, int | None] | None:
    """(word, count) of a row totalling the list (``合计 | 共84项``: ("合计", 84)), the count
    None where it prints none; None if the row is no total row."""
    filled = [cell for cell in cells if cell]
    if not filled or not (match := _TOTAL_ROW_RE.fullmatch(strip_spaces(filled[0]))):
        return None
    count = _COUNT_RE.search(" ".join(filled))
    return match.group(1), int(count.group(1)) if count else None


def section_category(cells: Sequence[str]) -> str | None:
    """The category a section row sets (``一、党的建设`` spanning the table: its text in the
    first cell, the others covered), or None if the row is no section row."""
    filled = [cell for cell in cells if cell]
    if not filled or len(set(filled)) != 1:
        return None
    text = filled[0]
    numbered = _SECTION_NUMBER_RE.match(text)
    if not cells[0] and not (numbered and numbered.end() > 0):
        return None  # text in a later cell only: the rest of a row cut by a page break
    category = _SECTION_COUNT_RE.sub("", text[numbered.end():] if numbered else text).strip()
    if not category or len(category) > _SECTION_MAX or list_kind_of_title(category):
        return None
    return category


# --- suspicious rows ---------------------------------------------------------------------

_KNOWN_CATEGORIES = sorted({*CATEGORIES, *CATEGORY_ALIASES}, key=len, reverse=True)
_STEP_START_RE = re.compile(r"^\s*(?:\d{1,2}[.．、](?!\d)|[一二三四五六七八九十]+、)")
_SENTENCE_RE = re.compile(r"[。；;]|负责|做好|开展|提供")
_RECEIVER_WORDS_RE = re.compile(r"承接部门|工作方式|不再开展|收回至|由.{1,15}(?:局|部|委|办)负责")


def _category_prefix(text: str) -> str | None:
    compact = strip_spaces(text)
    return next((c for c in _KNOWN_CATEGORIES if compact.startswith(c)), None)


def column_warnings(row: ExtractedRow) -> list[str]:
    """Signs that a converter put text in the neighbouring column. Nothing is moved: the row is
    flagged so the user can look (the report already names empty and unknown fields)."""
    warnings: list[str] = []
    category, name = row.category.strip(), row.name.strip()
    if category and canonical_category(category) is None:
        known = _category_prefix(category)
        if known and len(strip_spaces(category)) > len(known):
            warnings.append(f"category cell {category[:20]!r} holds more than the category "
                            f"{known!r}: text of the name column?")
    elif not category and (known := _category_prefix(name)) and re.match(
            rf"\s*{re.escape(known)}\s", name):
        warnings.append(f"empty category cell, and the name starts with the category {known!r}:"
                        " the category in the name column?")
    if _STEP_START_RE.match(name) and len(name) > 15:
        warnings.append("the name cell starts like a numbered duty: text of a duty column?")
    if row.list == ListKind.COOPERATIVE and (sentences := [
            piece for piece in row.departments.split() if _SENTENCE_RE.search(piece)]):
        warnings.append(f"the department cell holds a sentence ({sentences[0][:20]!r}): text "
                        "of the 上级部门职责 column?")
    if row.list == ListKind.RECLAIMED and not row.receiver.strip() and _RECEIVER_WORDS_RE.search(
            name):
        warnings.append("empty receiver cell, and the name reads like a receiver: "
                        "the receiver in the name column?")
    if row.list == ListKind.COOPERATIVE and not row.township_duties.strip() and (
            len(re.findall(r"(?:^|\s)1[.．、]", row.upper_duties)) > 1):
        warnings.append("empty township duties, and the department duties are numbered from 1 "
                        "twice: the township's steps in the department column?")
    return warnings


# --- the assembler -----------------------------------------------------------------------

@dataclass(slots=True)
class _Part:
    """One printed row's share of a duty row: its cells by model column, where it stands."""

    line: int | None
    line_last: int | None
    page: int | None
    values: dict[str, str] = field(default_factory=dict)
    # Duty columns whose markup marks items: their steps (see ``marked_steps``).
    steps: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Columns whose text is a merged cell's above (see ``TableAssembler.row``): not printed
    # on this row.
    merged: set[str] = field(default_factory=set)
    # A row of its own under a serial merged down over it (one matter printed in a row per
    # department): its cells are whole cells, not the rest of cut ones.
    sub_row: bool = False


# The model fields holding the steps of each duty column.
_STEP_FIELDS = {"upper_duties": "upper_steps", "township_duties": "township_steps"}
# A cut cell whose second part starts with its whole first part has been printed again before
# it goes on; a first part this short could start the second by chance.
_REPRINT_MIN = 4
_CLAUSE_END = "；;。.！!？?"


# A serial as counties print it: 12, 12. 12、 （12） (12), or a spreadsheet's number saved as
# text (12.0).
# Where a list numbered anew in each category keeps the number each row prints.
_PRINTED_SERIAL = "序号"
_SERIAL_RE = re.compile(r"^(?:[（(](\d{1,4})[)）]|(\d{1,4})(?:\.0+|[.．、])?)$")
# A serial cell with more in it (``12党的建设``): the serial, and text that belongs elsewhere.
_SERIAL_AND_TEXT_RE = re.compile(r"^(\d{1,4})[.．、]?\s*(\S.*)$", re.DOTALL)


def is_serial(cell: str) -> bool:
    """Whether a cell holds a serial alone, in any way counties print one (``12`` ``12.``
    ``12、`` ``（12）`` ``12.0``)."""
    return bool(_SERIAL_RE.match(cell))


def read_serial(cell: str, *, full_row: bool) -> tuple[int | None, str] | None:
    """(serial, surplus text) of a serial cell; (None, "") if it is empty; None if it holds no
    serial. A number followed by text counts only in a row with all its cells (``full_row``)
    and never in a table-of-contents entry (``1.基本履职事项清单……``)."""
    if not cell:
        return None, ""
    if match := _SERIAL_RE.match(cell):
        return int(match.group(1) or match.group(2)), ""
    match = _SERIAL_AND_TEXT_RE.match(cell)
    if match and full_row and not _TOC_ENTRY_RE.search(cell):
        return int(match.group(1)), match.group(2)
    return None


def _check_width(section: _Section, cells: Sequence[str], line: int | None,
                 page: int | None) -> None:
    """A body row with fewer cells than its list needs is an error naming the column."""
    if len(cells) < section.required:
        raise ExtractionError(
            f"a {section.kind} row has {len(cells)} cells where its header has "
            f"{len(section.columns)}: the {section.label(len(cells))} column is missing",
            line=line, page=page)


class TableAssembler:
    """Builds an ``ExtractedDocument`` from the events of one file, in reading order.

    ``text``, ``row`` and ``page_break`` may come in any order; ``finish`` returns the document
    and raises ``ExtractionError`` if no duty list was found.
    """

    def __init__(self, *, repeated_header_breaks: bool = True) -> None:
        """``repeated_header_breaks``: a column header printed again means a new page (a
        format that says where its pages break, by ``page_break``, sets it False: a header
        printed again in the middle of a page is then no break between the rows around it)."""
        self.repeated_header_breaks = repeated_header_breaks
        self.document = ExtractedDocument()
        self._places: list[Place] = []
        self._named: list[Place] = []  # townships sheets' names give (titles rule over them)
        self._list_titles: list[str] = []
        self._pending: ListKind | None = None  # announced by a title, no header yet
        self._section: _Section | None = None
        self._last: ExtractedRow | None = None  # the row a continuation joins
        self._held: _Part | None = None  # a row part without serial, its owner not yet known
        self._broken = True  # a page break since the last body row
        self._notes: list[str] | None = None  # collecting a 说明 preface
        self._table_rows = 0  # rows seen, lists or not, for the error message
        # A header row read but not yet applied: a second header row may follow it.
        self._held_header: tuple[list[str], int | None, int | None] | None = None
        self._held_top: list[str] = []  # its first row as printed
        self._unknown_columns_reported: set[str] = set()
        # Lists numbered anew in each category (see ``_place``), rows read per list, the
        # number the last row printed, the category the rows stand in and whether a section
        # row started a new one since the last row.
        self._per_category: set[ListKind] = set()
        self._rows_read: dict[ListKind, int] = dict.fromkeys(ListKind, 0)
        self._last_printed: int | None = None
        self._category = ""
        self._new_category = False
        # In a list without 序号: the last row part printed its name down to its cell's foot,
        # and its cells by column: their text and whether it may run on (see ``_rest_of_cut``).
        self._name_at_foot = False
        self._foot_cells: dict[str, tuple[str, bool]] = {}
        # The last table row's cell texts and items, merged cells' texts standing in every
        # position they cover: what a position covered from above holds.
        self._above: list[str] = []
        self._above_items: list[Sequence[str] | None] = []
        # The row being read: positions covered by a cell merged from the left (None cells
        # not covered from above).
        self._beside: list[bool] = []
        # Where each position's text in ``_above`` was printed (the row's number), the first
        # body row after the last page break, and whether the last body row was covered by a
        # merged cell: a merged cell cut by a page break may go on on the next page.
        self._rows_seen = 0
        self._origin: list[int] = []
        self._page_top: int | None = None
        self._run_open: tuple[str, int | None, int | None, int] | None = None
        self._cut: tuple[str, int | None, int | None, int] | None = None  # run open at a break
        # A title naming another township after body rows were read: (township, line, body
        # rows then); its rows may read as new rows or as the rest of rows read (serials anew).
        self._body_rows = 0
        self._other_township: tuple[str, str, int] | None = None

    # -- events --------------------------------------------------------------------------

    def text(self, text: str, *, line: int | None = None, page: int | None = None) -> None:
        """A line outside any table: a title, a 说明 preface, a page number, anything."""
        text = _SPACES_RE.sub(" ", text).strip()
        if not text:
            return
        self._release_header()
        title = _TITLE_NOTE_RE.sub("", text)  # 清单（2025年版）: the note is no part of it
        if (kind := list_kind_of_title(title)) is not None:
            self._end_notes()
            self._add_place(parse_place(title), _where(line, page))
            self._list_titles.append(text)
            if self._section is None or self._section.kind != kind:
                self._pending = kind  # else: the list's title repeated on a new page
            return
        if is_cover_title(title):
            self._end_notes()
            self._add_place(parse_place(title), _where(line, page))
            self.document.title = self.document.title or text
            return
        heading = _NOTES_HEADING_RE.match(text)
        if heading and not self.document.rows and (heading.end() == len(text)
                                                   or re.search("[:：]", heading.group(0))):
            self._notes = [text[heading.end():]] if heading.end() < len(text) else []
            return
        if self._notes is not None:
            self._notes.append(text)

    def page_break(self) -> None:
        """A new page, or a new table: the next row may continue the last one."""
        self._release_header()
        self._broken = True
        self._above, self._above_items, self._origin = [], [], []
        self._page_top = None
        if self._run_open is not None and not self.repeated_header_breaks:
            self._cut = self._run_open  # the run above may go on on this page: see ``_part``
        self._run_open = None

    def row(self, cells: Sequence[str | None], *, line: int | None = None,
            page: int | None = None, line_last: int | None = None,
            items: Sequence[Sequence[str] | None] | None = None,
            full: Sequence[bool] | None = None, merged: Sequence[bool] | None = None) -> None:
        """One table row as printed, header or body, with the (first) line it stands on and,
        if it spans several, the last. A cell may be None (a merged cell, as pdfplumber
        gives it): it is read as empty. ``items`` gives, cell by cell, the items its markup
        marks (``list_items``), if the format has markup: a duty cell's steps. ``full``
        says, cell by cell, whether its text runs down to the cell's foot, leaving no room
        for another line (a format that knows where text stands on a page can tell): a
        cell cut by a page break does, so text after the break may go on with it.
        ``merged`` says, cell by cell, whether the position is covered by a cell merged down
        from the row above (its cell None or empty): a body row's field there holds the
        merged cell's text (see the module's docstring)."""
        texts = [(cell or "").strip() for cell in cells]
        self._run_open = None  # (a body row's ``_part`` sets it)
        down = merged or ()
        covered = [at < len(down) and down[at] and at < len(self._above)
                   for at in range(len(texts))]
        items = list(items or ())
        self._above_items = [self._above_items[at] if covered[at] else (
            items[at] if at < len(items) else None) for at in range(len(texts))]
        self._above = [self._above[at] if covered[at] else text for at, text in enumerate(texts)]
        self._rows_seen += 1
        self._origin = [self._origin[at] if covered[at] and at < len(self._origin)
                        else self._rows_seen for at in range(len(texts))]
        self._beside = [cell is None and not covered[at] for at, cell in enumerate(cells)]
        if any(covered):
            items = self._above_items
        filled = [cell for cell in texts if cell]
        if not filled:
            return
        if len(filled) == len(texts) > 1 and len(set(filled)) == 1:
            # one cell across the table whose text a converter (docling) repeats in every
            # column it covers: a title, 注 or section row
            texts = [filled[0], *[""] * (len(texts) - 1)]
            filled = filled[:1]
        if len(filled) == 1 and (list_kind_of_title(filled[0]) or is_cover_title(filled[0])):
            self.text(filled[0], line=line, page=page)  # a title printed as a table row
            return
        if is_form_line(filled[0]):
            return  # 填报单位 … 填报时间 … (repeated on every page): furniture, no new table
        if (note := note_row(texts)) is not None:
            self._release_header()
            self._release_held()
            notes = self.document.notes
            self.document.notes = f"{notes}\n{note}" if notes else note
            return
        self._table_rows += 1
        self._end_notes()
        if self._held_header is not None:
            top, top_line, top_page = self._held_header
            if subheader(top, texts):  # the second row of a two-row header: join the two
                self._held_header = ([low or up for up, low in zip_longest(top, texts,
                                                                           fillvalue="")],
                                     top_line, top_page)
                return
            self._release_header()
        # A header's first row printed again (a PDF repeats it on every page) is announced
        # by the first: one of a list without 序号 may name too few columns to tell alone.
        again = self._section is not None and [strip_spaces(t) for t in texts] == (
            self._section.top)
        if not texts[0][:1].isdigit() and header_kind(
                texts, announced=self._pending is not None or again) is not None:
            self._held_header = (texts, line, page)  # its second row may follow
            self._held_top = [strip_spaces(t) for t in texts]
        else:
            self._body_rows += 1
            self._body(texts, line, line_last if line_last is not None else line, page,
                       items, full or (), covered)

    def finish(self) -> ExtractedDocument:
        doc = self.document
        self._release_header()
        self._release_held()
        self._end_notes()
        if not doc.rows:
            raise NoDutyListError(self._no_list_reason())
        self._check_one_township()
        for row in doc.rows:
            row.warnings.extend(column_warnings(row))
            _settle_steps(row)
        if not doc.title and self._list_titles:
            doc.title = self._list_titles[0]
        place = merge_places([*self._places, *self._named])
        doc.prefecture, doc.county, doc.township = place.prefecture, place.county, place.township
        return doc

    # -- the township ----------------------------------------------------------------------

    def _add_place(self, place: Place, where: str, *, titled: bool = True) -> None:
        """A place a title (or, ``titled`` False, a sheet's name) names."""
        known = [p.township for p in (*self._places, *self._named) if p.township]
        if (self._other_township is None and place.township and self._body_rows and known
                and not any(same_township(place.township, t) for t in known)):
            self._other_township = (place.township, where, self._body_rows)
        (self._places if titled else self._named).append(place)

    def township_named(self, township: str, *, page: int | None = None) -> None:
        """A township named where no title stands (a workbook's sheet named 灵溪镇)."""
        self._add_place(Place(township=township), f"sheet {page}" if page else "",
                        titled=False)

    def _check_one_township(self) -> None:
        """A file holding several townships' lists (a county's lists in one file) would be
        stored as one township's, every row under the first: refused, saying why."""
        if self._other_township is None:
            return
        other, where, rows_before = self._other_township
        if self._body_rows == rows_before:
            return  # a title naming another township, and no rows under it
        first = merge_places([*self._places, *self._named]).township
        raise ExtractionError(
            f"this file holds the lists of more than one township ({first}, and {other}"
            f"{' from ' + where if where else ''}): lvzhi reads one township a file; save each "
            "township's lists as a file of its own")

    # -- headers and sections --------------------------------------------------------------

    def _release_header(self) -> None:
        if self._held_header is not None:
            cells, line, page = self._held_header
            self._held_header = None
            kind = header_kind(cells, announced=True)
            assert kind is not None  # it was held because it is a header
            self._header(kind, cells, line, page)

    def _header(self, kind: ListKind, cells: list[str], line: int | None,
                page: int | None) -> None:
        columns, by_words = map_header(kind, cells)
        section = _Section(kind, columns, cells, top=self._held_top)
        repeated = (self._section is not None and self._section.kind == kind
                    and self._pending is None)
        self._broken = self._broken or not repeated or self.repeated_header_breaks
        if repeated:
            assert self._section is not None
            section.category = self._section.category
            self._section = section  # the header repeated on a new page
            return
        if self._pending is not None and self._pending != kind:
            self.document.warnings.append(
                f"line {line}: the title announces the {self._pending} list but the column "
                f"header is a {kind} header; read as {kind}")
        if not by_words:
            self.document.warnings.append(
                f"line {line}: header {' | '.join(cells)} does not name every {kind} column; "
                "columns taken in the usual order " + " · ".join(
                    COLUMN_LABELS[c] for c in COLUMNS[kind]))
        self._open(section)
        self.document.headers.append(header_mapping(section, line, page))
        if "serial" not in section.index:
            self.document.warnings.append(f"line {line}: the {kind} list has no 序号 column: "
                                          "serials are the rows' order in the list")

    def _open(self, section: _Section) -> None:
        self._release_held()
        self._section, self._pending, self._last = section, None, None
        self._category, self._new_category = "", False

    def _section_for_body(self, cells: list[str], line: int | None) -> _Section | None:
        """The section a body-like row belongs to, opening one from a title if need be."""
        pending = self._pending
        if pending is not None and _SERIAL_RE.match(cells[0]) and (
                len(cells) >= len(COLUMNS[pending])):
            # A list title followed by rows without a header: the usual column order.
            self.document.warnings.append(
                f"line {line}: the {pending} list has no column header; columns taken in the "
                "usual order " + " · ".join(COLUMN_LABELS[c] for c in COLUMNS[pending]))
            self._open(_Section(pending, list(COLUMNS[pending]), []))
        return self._section

    # -- body rows ---------------------------------------------------------------------------

    def _body(self, cells: list[str], line: int | None, line_last: int | None,
              page: int | None, items: Sequence[Sequence[str] | None],
              full: Sequence[bool], covered: Sequence[bool] = ()) -> None:
        section = self._section_for_body(cells, line)
        if section is None or self._pending is not None:
            return  # not inside a list (a table of contents, a cover table …)
        if "serial" not in section.index:
            self._unnumbered_body(section, cells, line, line_last, page, items, full, covered)
            return
        at = section.index["serial"]
        serial_cell, _ = strip_page_markers(cells[at] if at < len(cells) else "")
        read = read_serial(serial_cell, full_row=len(cells) >= section.required)
        if read is None and (total := total_row(cells)) is not None:
            self._release_held()
            self._check_total(section, *total, line)
            return
        if read is None and (category := section_category(cells)) is not None:
            self._release_held()
            section.category = category  # a section row: the category of the rows below
            self._new_category = True
            self._broken = False
            return
        if read is None:
            if self._broken:
                self._release_held()
                self._section = None  # a new table that is not part of the list
            else:
                self._orphan(cells, line, page, "a table row without a serial number")
            return
        _check_width(section, cells, line, page)
        serial, surplus = read
        part = self._part(section, cells, items, line, line_last, page, covered)
        part.sub_row = serial is None and at < len(covered) and covered[at]
        held, self._held = self._held, None
        if serial is None:  # an empty serial cell: part of a row printed over several
            if held is not None:
                self._continue(held)
            if self._last is None:
                self._orphan(cells, line, page, "a table row without a serial number")
                return
            if self._broken:
                self._continue(part, latest=True)  # the rest of the row above the break
            else:
                # The rest of the row above, unless a page break follows: then it may be the
                # head of the next row, printed without its serial (a vertically centred serial
                # lands on the second page). The next event decides.
                self._held = part
        elif self._broken and self._last is not None and self._last_printed == serial and (
                not self._new_category  # a section row since: never the row above going on
                and not self._opens_category(serial, part)):
            if held is not None:
                self._continue(held)
            self.document.page_repeats += len(str(serial))
            self._continue(part, latest=True)  # printed again after the break
        elif held is not None and self._broken:
            self._new_row(section, serial, held, serial_line=line)
            self._continue(part, latest=True)
        else:
            if held is not None:
                self._continue(held)
            self._new_row(section, serial, part)
        if surplus:
            self._serial_overflow(surplus, line, page)
        self._broken = False

    def _opens_category(self, serial: int, part: _Part) -> bool:
        """Whether a row printing the number of the row above again after a break is the
        first row of another category, not the rest of that row: a list numbered anew in
        each category prints 1 and 1 where a category has one row (a table break, a blank
        row or a header printed again may stand between them). It prints 1 and a category
        other than the row above's."""
        category = strip_spaces(part.values.get("category", ""))
        above = strip_spaces(self._last.category) if self._last is not None else ""
        return serial == 1 and bool(category) and bool(above) and category != above

    def _unnumbered_body(self, section: _Section, cells: list[str], line: int | None,
                         line_last: int | None, page: int | None,
                         items: Sequence[Sequence[str] | None], full: Sequence[bool],
                         covered: Sequence[bool] = ()) -> None:
        """A body row of a list printed without 序号: a row with a name is the next row (its
        serial its place in the list); without one, the rest of the row above, unless a
        page break follows it: then it may be the head of the next row, printed without its
        name (a vertically centred name lands on the second page), as ``_body`` holds a row
        head without its serial. The row after the break decides: with a name, the held part
        is its head; without, the held part and it are the rest of the row above.

        A row with a name after a break whose row above printed its name down to the foot of
        its cell (``full``) may be that row going on, its name cut by the break. Where the
        cells of both tell (``_rest_of_cut``) it is read as they say; where not, it is read
        as the next row, the likelier, and its text is reported lost as well, so the
        reading is not trusted."""
        foot, self._name_at_foot = self._name_at_foot, False
        above, self._foot_cells = self._foot_cells, {}
        if (total := total_row(cells)) is not None:
            self._release_held()
            self._check_total(section, *total, line)
            return
        name_at = section.index["name"]
        name = cells[name_at] if name_at < len(cells) else ""
        filled = [at for at, cell in enumerate(cells) if cell]
        # One cell filled is a section row when numbered (一、党的建设) or not in the name
        # column: a name alone under a merged category is a row. A section row's text stands
        # in the first cell, or under the category or the name: text alone in another column
        # (1.制定方案 in a duty cell) is a part of a row cut by a page break.
        numbering = _SECTION_NUMBER_RE.match(cells[filled[0]])
        numbered = bool(numbering and numbering.end())
        spans = filled[0] == 0 or (filled[0] < len(section.columns)
                                   and section.columns[filled[0]] in ("category", "name"))
        if spans and (numbered or name_at not in filled) and (
                category := section_category(cells)) is not None:
            self._release_held()
            section.category = category
            return
        _check_width(section, cells, line, page)
        part = self._part(section, cells, items, line, line_last, page, covered)
        part.sub_row = not name and name_at < len(covered) and covered[name_at]
        held, self._held = self._held, None
        self._name_at_foot = name_at < len(full) and full[name_at]
        self._foot_cells = {column: (text, at >= len(full) or full[at])
                            for at, column in enumerate(section.columns)
                            if column is not None and (text := part.values.get(column, ""))}
        cut = bool(name and foot and self._broken and held is None and self._last is not None)
        seen = {strip_spaces(row.category) for row in self.document.rows[:-1]
                if row.list == section.kind and row.category and not row.category_filled}
        rest = _rest_of_cut(section, part, above, seen) if cut else False
        if rest:
            self._continue(part, latest=True)  # the rest of the row above the break
        elif name and held is not None and self._broken:
            self._new_row(section, self._rows_read[section.kind] + 1, held, counted=True)
            self._continue(part, latest=True)
        elif name or self._last is None:
            if held is not None:
                self._continue(held)
            if cut and rest is None:
                self._doubt(cells, line, page)
            self._new_row(section, self._rows_read[section.kind] + 1, part, counted=True)
        else:
            if held is not None:
                self._continue(held)
            if self._broken:
                self._continue(part, latest=True)  # the rest of the row above the break
            else:
                self._held = part  # the next event decides (see above)
        self._broken = False

    def _check_total(self, section: _Section, word: str, count: int | None,
                     line: int | None) -> None:
        """A 合计 row is furniture; the count it prints must be the rows read (a 小计 counts a
        part of the list only)."""
        read = sum(1 for row in self.document.rows if row.list == section.kind)
        if word != "小计" and count is not None and count != read:
            self.document.warnings.append(f"line {line}: the total row counts {count} "
                                          f"{section.kind} rows where {read} were read")

    def _part(self, section: _Section, cells: list[str], items: Sequence[Sequence[str] | None],
              line: int | None, line_last: int | None, page: int | None,
              covered: Sequence[bool] = ()) -> _Part:
        """The model columns of one printed row (markers removed), the steps its markup marks
        in the duty columns, and its own warnings. A position covered by a cell merged down
        from above holds that cell's text (not the serial, nor a category: the core fills it
        down; a name only in a list with 序号)."""
        part = _Part(line, line_last, page)
        if any(covered):
            cells = [*cells]
            for at, column in enumerate(section.columns[:len(cells)]):
                if at < len(covered) and covered[at] and _fills(section, column) and (
                        text := self._above[at]):
                    cells[at] = text
                    part.merged.add(column)  # type: ignore[arg-type]
                    if self._origin[at] == self._page_top and not self.repeated_header_breaks:
                        # the merged cell starts at the page's first row: it may be the rest
                        # of one cut by the break, the rows above holding its first part
                        self._cut_merge(text, line, page)
                        self._page_top = -1  # said once
        if self._page_top is None:
            self._page_top = self._rows_seen
            self._check_cut(section, cells, line, page)
        width = len(section.columns)
        if len(cells) > width and any(cells[width:]):
            # A separator inside a cell (an unescaped | …): the surplus stays in the last
            # column, its separators not being text, and the row is flagged.
            part.warnings.append(f"{len(cells)} cells where the header has {width}: cells "
                                 f"{width}–{len(cells)} were joined into "
                                 f"{section.label(width - 1)} (a cell separator inside a cell?)")
            cells = [*cells[: width - 1], "".join(cells[width - 1:])]
        across = self._receiver_across(section)
        for at, cell in enumerate(cells[:width]):
            column = section.columns[at]
            text, _ = strip_page_markers(cell)
            if across and column in ("receiver_department", "receiver_method"):
                column = "receiver"  # one cell across both: the whole receiver
            if column is None:
                if text:
                    self._unknown_column(section, at, text, line, page)
            elif column.startswith(EXTRA):
                part.values[column] = text
            elif column != "serial" and not (column == "receiver" and not text and across):
                part.values[column] = text
                if column in _STEP_FIELDS and at < len(items) and (
                        steps := marked_steps(text, items[at])):
                    part.steps[column] = steps
        self._run_open = next(((part.values[column], line, page, section.columns.index(column))
                               for column in part.merged if column in part.values), None)
        return part

    def _receiver_across(self, section: _Section) -> bool:
        """Whether the row prints one cell across 承接部门 | 工作方式 (the second covered from
        the left): the cell is the whole receiver, not a department (the core splits it
        where it labels its parts)."""
        department = section.index.get("receiver_department")
        method = section.index.get("receiver_method")
        if department is None or method is None or abs(department - method) != 1:
            return False
        second = max(department, method)
        return second < len(self._beside) and self._beside[second]

    def _place(self, kind: ListKind, printed: int, part: _Part) -> int | None:
        """The row's place in its list where the list numbers its rows anew in each category
        (1 again on the first row of a new category: after a section row, or a category cell
        that differs from the one above); None where the printed number is the serial."""
        category = part.values.get("category", "")
        new_category = self._new_category or bool(category and category != self._category)
        self._new_category = False
        self._category = category or self._category
        read = self._rows_read[kind]
        if kind not in self._per_category and printed == 1 and read and new_category:
            self._per_category.add(kind)
            self.document.warnings.append(
                f"line {part.line}: the {kind} list numbers its rows anew in each category: "
                "serials are the rows' places in the list, the printed numbers are kept as 序号")
            rows = [row for row in self.document.rows if row.list == kind]
            for place, row in enumerate(rows, start=1):
                row.extra = {_PRINTED_SERIAL: str(row.serial), **row.extra}
                row.serial, row.serial_counted = place, True
        return read + 1 if kind in self._per_category else None

    def _new_row(self, section: _Section, serial: int, part: _Part,
                 serial_line: int | None = None, *, counted: bool = False) -> None:
        """A new row; ``counted``: ``serial`` is its place in a list printed without 序号."""
        printed = serial
        place = serial if counted else self._place(section.kind, serial, part)
        self._rows_read[section.kind] += 1
        self._last_printed = printed
        row = ExtractedRow(list=section.kind, serial=place or printed, category="", name="",
                           span=Span(part.line, part.line_last, part.page, part.page))
        row.extra = dict.fromkeys(section.extras, "")
        if place is not None and not counted:
            row.extra = {_PRINTED_SERIAL: str(printed), **row.extra}
        row.serial_counted = place is not None
        for column, text in part.values.items():
            _set(row, column, text)
            if column in part.merged:
                self._merged(row, text)
        if section.category and not row.category:  # set by a section row above
            row.category, row.category_filled = section.category, True
        for column, steps in part.steps.items():
            setattr(row, _STEP_FIELDS[column], steps)
        # The serial as a number: punctuation after it (``12.``) is numbering, not text, and
        # text run into the cell (``12党的建设``) is reported on its own.
        row.source = [] if counted else [
            SourceLine(serial_line or part.line or 0, str(printed), part.page)]
        row.source += [SourceLine(part.line or 0, text, part.page)
                       for column, text in part.values.items()
                       if text and column not in part.merged]
        row.warnings.extend(part.warnings)
        self.document.rows.append(row)
        self._last = row

    def _continue(self, part: _Part, *, latest: bool = False) -> None:
        """Join the next part of the last row: cells printed in full on both sides once, a cut
        cell as its first part followed by its second (less a reprint of the first part).
        What was printed again is counted in ``page_repeats``, not kept. ``latest``: the part
        is the table row just read; a cell merged down from it is the joined cell (a cell cut
        by a page break prints only its rest there), so the rows it covers get the whole."""
        row = self._last
        assert row is not None
        for column, second in part.values.items():
            first = _get(row, column)
            if not second or (column in part.merged and first):
                continue  # (a merged cell over both parts: read once)
            if column in part.merged:
                _set(row, column, second)
                self._merged(row, second)
                continue
            if strip_spaces(first) == strip_spaces(second):  # printed in full on both sides
                self.document.page_repeats += len(strip_spaces(second))
                continue
            reprint = reprinted_head(first, second)
            self.document.page_repeats += len(strip_spaces(second[:reprint]))
            rest = second[reprint:]
            apart = part.sub_row and bool(first) and not _numbering_goes_on(rest)
            if apart:  # two whole cells: 县自然资源局 县农业农村局
                first, rest = first.rstrip() + " ", rest.lstrip()
            _set(row, column, first + rest)
            row.source.append(SourceLine(part.line or 0, rest, part.page))
            if column in _STEP_FIELDS:
                name = _STEP_FIELDS[column]
                if apart:  # each department's duties a step of their own
                    head = getattr(row, name) or [first]
                    head[-1] = head[-1].rstrip() + " "
                    setattr(row, name, [*head, *(part.steps.get(column) or [rest])])
                else:
                    setattr(row, name, join_steps(first, getattr(row, name), second,
                                                  part.steps.get(column), reprint))
            if first and column in ("category", "name"):
                row.warnings.append(f"the {COLUMN_LABELS[column]} cell continues on line "
                                    f"{part.line} ({first[-10:]!r} + {rest.strip()[:10]!r}): "
                                    "check it is one row")
        row.warnings.extend(w for w in part.warnings if w not in row.warnings)
        _extend_span(row.span, part.line, part.line_last, part.page)
        if latest:
            self._refresh_above(row, part)

    def _refresh_above(self, row: ExtractedRow, part: _Part) -> None:
        """After ``_continue`` joined ``part``: its positions hold the row's joined cells."""
        section = self._section
        if section is None:
            return
        for column in part.values:
            at = section.columns.index(column) if column in section.columns else -1
            if 0 <= at < len(self._above) and _fills(section, column):
                self._above[at] = _get(row, column)
                if at < len(self._origin):
                    self._origin[at] = 0  # the whole cell, joined over the break

    def _check_cut(self, section: _Section, cells: Sequence[str], line: int | None,
                   page: int | None) -> None:
        """The first body row after a page break that a merged run reached: the run's cell
        printed again whole there reads the same, and a row going on over the break joins
        its parts (``_continue``); anything else may be the run's rest (``_cut_merge``)."""
        if self._cut is None:
            return
        text, _, _, at = self._cut
        self._cut = None
        serial = section.index.get("serial")
        if serial is not None and serial < len(cells) and not cells[serial]:
            return  # the rest of the row above: joined, its cells given whole below
        if at < len(cells) and strip_spaces(cells[at]) == strip_spaces(text):
            if at < len(self._origin):
                self._origin[at] = 0  # the same text: rows it covers read it whole
            return
        self._cut_merge(text, line, page)
        self._page_top = -1  # said once

    def _cut_merge(self, text: str, line: int | None, page: int | None) -> None:
        """A cell merged over rows meets a page break: what it prints on either side may be
        one cell cut in two, each side's rows holding a part. Read as printed, its text
        reported lost as well, so the reading is not trusted."""
        self.document.orphans.append(SourceLine(line or 0, text, page))
        self.document.warnings.append(
            f"line {line}: a cell merged over rows meets a page break ({text[:20]!r}): it may "
            "be one cell cut in two, each part read for its own rows; its text reported lost "
            "as well")

    def _merged(self, row: ExtractedRow, text: str) -> None:
        """A row's field holds a merged cell's text printed on a row above."""
        row.merged.append(text)
        self.document.merge_repeats += len(strip_spaces(text))

    def _release_held(self) -> None:
        """A part held back (see ``_body``) that no next row claimed: the rest of the last row."""
        if self._held is not None:
            held, self._held = self._held, None
            self._continue(held)

    # -- text no field takes ----------------------------------------------------------------

    def _orphan(self, cells: list[str], line: int | None, page: int | None, why: str) -> None:
        text = " ".join(c for c in cells if c)
        self.document.orphans.append(SourceLine(line or 0, text, page))
        self.document.warnings.append(f"line {line}: {why}: {text[:30]!r} is in no row")

    def _doubt(self, cells: list[str], line: int | None, page: int | None) -> None:
        """A row read as the likelier of two readings: its text is reported lost as well."""
        text = " ".join(c for c in cells if c)
        self.document.orphans.append(SourceLine(line or 0, text, page))
        self.document.warnings.append(
            f"line {line}: a list without 序号, and the name above the page break runs to the "
            f"foot of its cell: {text[:30]!r} may be the rest of that row; read as a row of "
            "its own, its text reported lost as well")

    def _serial_overflow(self, rest: str, line: int | None, page: int | None) -> None:
        self.document.orphans.append(SourceLine(line or 0, rest, page))
        if self._last is not None:
            self._last.warnings.append(f"the serial cell holds more than a number: {rest[:20]!r}"
                                       " is in no field (text of the category column?)")

    def _unknown_column(self, section: _Section, at: int, text: str, line: int | None,
                        page: int | None) -> None:
        self.document.orphans.append(SourceLine(line or 0, text, page))
        label = section.label(at)
        if label not in self._unknown_columns_reported:
            self._unknown_columns_reported.add(label)
            self.document.warnings.append(f"the column {label!r} is not part of a duty list; "
                                          "its text is in no field")

    def _end_notes(self) -> None:
        if self._notes is None:
            return
        notes = "\n".join(self._notes)
        if notes and not self.document.notes:
            self.document.notes = notes
        self._notes = None

    def _no_list_reason(self) -> str:
        if self._table_rows == 0:
            return "no table in this file"
        return ("no duty list found: no table has a 序号 · 事项类别 · 事项名称 header "
                "and no list title (…基本履职事项清单) precedes a table")


def _where(line: int | None, page: int | None) -> str:
    return f"line {line}" if line else f"page {page}" if page else ""


def subheader(top: Sequence[str], cells: Sequence[str]) -> bool:
    """Whether ``cells`` is the second row of a two-row header under ``top``
    (``部门职责 | 乡镇（街道）职责`` under a merged ``职责分工``): no serial, each cell it
    prints is a short header naming a column, and stands under a group cell, a covered
    cell or its own text printed again."""
    filled = [(at, cell) for at, cell in enumerate(cells) if cell]
    if not filled or cells[0][:1].isdigit():
        return False
    for at, cell in filled:
        text = strip_spaces(cell)
        above = top[at] if at < len(top) else ""
        if len(text) > 16 or _SENTENCE_PUNCTUATION_RE.search(text) or not (
                not above or column_of_header(above) is None or strip_spaces(above) == text
                or (column_of_header(above), column_of_header(cell)) in _REFINED):
            return False
    return any(column_of_header(cell) is not None for _, cell in filled)


_SENTENCE_PUNCTUATION_RE = re.compile("[：:；;。，,]")
# A top header cell over two columns that it names as one (承接部门及工作方式 over 承接部门 |
# 工作方式): the second row's names win.
_REFINED = {("receiver", "receiver_department"), ("receiver", "receiver_method")}


# Columns every row of a list fills (``lvzhi.report`` calls a row without one certainly
# wrong): a group is filled where any of its columns is.
_ROW_FILLS: dict[ListKind, tuple[tuple[str, ...], ...]] = {
    ListKind.COOPERATIVE: (("departments",), ("upper_duties",), ("township_duties",)),
    ListKind.RECLAIMED: (("receiver", "receiver_department", "receiver_method"),),
}


def _rest_of_cut(section: _Section, part: _Part, above: dict[str, tuple[str, bool]],
                 seen: set[str]) -> bool | None:
    """Whether ``part``, a row with a name after a page break in a list without 序号, is the
    rest of the row above (``above``: its cells by column, their text and whether it may run
    on; ``seen``: the categories of the list's rows before it), where what both print tells:
    True, the rest; False, a row of its own; None, either (or both).

    A row of its own: a cell above that ended before the break (it cannot run on), or a
    whole category (``_whole_category``: a category cell holds one), followed by other text.
    The rest: it fills no cell the row above left empty, and leaves empty a column every row
    of its list fills (a cooperative list's 部门 and duties, a reclaimed list's 承接部门 and
    工作方式: ``lvzhi.report`` calls a row without one certainly wrong)."""
    filled = {column for column, text in part.values.items() if text}
    own = False
    for column in filled & above.keys() - {"name"}:
        first, runs_on = above[column]
        second = part.values[column]
        if strip_spaces(first) == strip_spaces(second) or reprinted_head(first, second):
            continue  # printed again after the break: either reading
        own = own or not runs_on or (column == "category" and _whole_category(first, seen)
                                     and not _PUNCTUATION_START_RE.match(second))
    columns = set(section.columns)
    rest = filled <= above.keys() and any(
        columns & set(group) and not filled & set(group) and above.keys() & set(group)
        for group in _ROW_FILLS.get(section.kind, ()))
    return None if own == rest else rest


# Text that goes on a cell's text rather than starting one (、 ， ） …).
_PUNCTUATION_START_RE = re.compile(r"[^\w（(《“\"]")


def _whole_category(text: str, seen: set[str]) -> bool:
    """Whether a category cell holds a whole category that cannot go on: a known one, or
    one a row above printed, that begins no longer one (应急 may be 应急管理及消防 cut)."""
    key = strip_spaces(text)
    if canonical_category(key) is None and key not in seen:
        return False
    return not any(word != key and word.startswith(key)
                   for word in (*CATEGORIES, *CATEGORY_ALIASES, *seen))


def _fills(section: _Section, column: str | None) -> bool:
    """Whether a cell merged down from above gives its text to a covered row's column."""
    if column is None or column in ("serial", "category"):
        return False
    return column != "name" or "serial" in section.index


def _get(row: ExtractedRow, column: str) -> str:
    if column.startswith(EXTRA):
        return row.extra.get(column[len(EXTRA):], "")
    return getattr(row, column)


def _set(row: ExtractedRow, column: str, text: str) -> None:
    if column.startswith(EXTRA):
        row.extra[column[len(EXTRA):]] = text
    else:
        setattr(row, column, text)


def reprinted_head(first: str, second: str) -> int:
    """Where the second part of a cut cell goes on, when it starts by printing the whole first
    part again (``…（未完见下页）`` then, on the next page, the same text and the rest); 0 if
    it does not. Whitespace is not compared."""
    head = strip_spaces(first)
    if len(head) < _REPRINT_MIN or not strip_spaces(second).startswith(head):
        return 0
    seen = 0
    for at, char in enumerate(second):
        if not char.isspace():
            seen += 1
            if seen == len(head):
                return at + 1
    return 0


_STEP_NUMBER_RE = re.compile(r"\s*(\d{1,2})[.．、]")


def _numbering_goes_on(rest: str) -> bool:
    """Whether a cell starts with a step number past 1 (``2.备案。``): the rest of a duty
    printed over two table rows, not a cell of its own."""
    match = _STEP_NUMBER_RE.match(rest)
    return match is not None and int(match.group(1)) > 1


def join_steps(first: str, first_steps: list[str] | None, second: str,
               second_steps: list[str] | None, reprint: int = 0) -> list[str] | None:
    """The steps of a cut duty cell, ``first + second[reprint:]``, from the steps of its parts
    (None where a part's markup marks none: that part is one step). A step cut in the middle
    (the first part ends without a clause end) is one step again. None if neither part is
    marked."""
    if first_steps is None and second_steps is None:
        return None
    head = list(first_steps) if first_steps is not None else [first] if first else []
    tail = _without_head(second_steps if second_steps is not None else [second], reprint)
    if head and tail:
        # Space the second part starts with (after a reprint) ends the step before it.
        text = tail.pop(0)
        start = len(text) - len(text.lstrip())
        head[-1] += text[:start]
        if text[start:]:
            tail.insert(0, text[start:])
    if head and tail and head[-1].rstrip()[-1:] not in _CLAUSE_END:
        head[-1] += tail.pop(0)  # the cut fell inside a step
    return head + tail


def _without_head(steps: list[str], length: int) -> list[str]:
    """Steps with their first ``length`` characters left out."""
    kept: list[str] = []
    at = 0
    for step in steps:
        if at + len(step) > length:
            kept.append(step[max(length - at, 0):])
        at += len(step)
    return kept


def _settle_steps(row: ExtractedRow) -> None:
    """Marked steps stand only where they make up the whole cell and the cell prints no step
    numbers of its own (a cut cell may show them only once joined)."""
    for column, name in _STEP_FIELDS.items():
        steps, cell = getattr(row, name), getattr(row, column)
        if steps is not None and ("".join(steps) != cell or prints_numbers(cell)):
            setattr(row, name, None)


def _extend_span(span: Span, line: int | None, line_last: int | None, page: int | None) -> None:
    if line is not None:
        span.line_first = line if span.line_first is None else min(span.line_first, line)
        last = line_last if line_last is not None else line
        span.line_last = last if span.line_last is None else max(span.line_last, last)
    if page is not None:
        span.page_first = page if span.page_first is None else min(span.page_first, page)
        span.page_last = page if span.page_last is None else max(span.page_last, page)
