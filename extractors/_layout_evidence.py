"""Layout evidence in text dumped from a PDF table: its pieces, what their words and widths say.

A PDF-to-text tool prints a table row cell after cell, each cell wrapped at its column's width
(CJK has no spaces, so a wrap can fall anywhere). Cells of one visual line may share a text
line, separated by spaces; otherwise nothing marks where a cell ends. What tells us is layout
evidence, weighed together rather than trusted one by one:

* **width**: every line of a cell but its last fills the column (give or take a character that
  line-breaking rules pushed down), and no line is wider than its column; each document's
  column widths are learned from its own rows;
* **structure**: duty cells are numbered ``1. 2. 3.`` (restarting after a heading such as
  ``考核：``), so a ``1.`` that does not follow a heading starts the next cell;
* **vocabulary**: a department cell starts with a place or ends with 局/部/委…; brackets and
  quotes close inside the cell that opened them;
* **spacing**: cells on one line are separated by spaces, cells often (not always) by blank
  lines;
* **page breaks**: a cell cut mid-sentence by a page goes on at the top of the next one.

This module reads that evidence off the text: the pieces and their widths, the words that
start or end a cell, a column's learned width and what a line costs against it. Reading rows
with it (where each cell of a row begins) is ``lvzhi.extractors._row_reading``; the weights of
the penalties are in ``lvzhi.extractors._layout_weights``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from lvzhi.extractors._layout_weights import (
    NEAR_OVERFLOW,
    WRAP_SLACK,
    overflow_penalty,
    shortfall_penalty,
)

# --- pieces of text ----------------------------------------------------------------------

GAP_SAME = 0  # on the same line as the piece before it (a space between)
GAP_LINE = 1  # on the next line
GAP_BLANK = 2  # after one or more blank lines
GAP_PAGE = 3  # after page furniture (a repeated title or header, a page number)


@lru_cache(maxsize=1 << 15)  # every piece is measured; a row's lines are split more than once
def display_width(text: str) -> float:
    """Width in CJK character cells: Han and full-width punctuation 1, Latin and digits ½.

    Curly quotes count ½: Word sets them in the Latin font even in Chinese text, which is how
    ``“村村通”“`` fits a five-character column.
    """
    return len(text) - 0.5 * len(_HALF_WIDTH_RE.findall(text))


_HALF_WIDTH_RE = re.compile(r"[\x00-\u10ff“”‘’]")


@dataclass(slots=True, init=False)
class Piece:
    """A run of text on one line that belongs to a single cell."""

    line: int  # 1-based line number
    text: str
    gap: int  # GAP_* before this piece
    sep: str  # the whitespace before it, for pieces sharing a line
    cut_before: bool  # a continuation marker stands right before it: a cell ends here
    width: float  # display_width(text)

    # Written out rather than generated with a __post_init__: thousands are made a document.
    def __init__(self, line: int, text: str, gap: int, sep: str = "",
                 cut_before: bool = False) -> None:
        self.line = line
        self.text = text
        self.gap = gap
        self.sep = sep
        self.cut_before = cut_before
        self.width = display_width(text)


_WORDS_RE = re.compile(r"(\s+)")
_SPACE_RE = re.compile(r"\s")
_STEP_ONLY_RE = re.compile(r"^\d{1,2}[.．、]$")
CLOSING = "、，。；：！？）》」』”,.;:!?)]"
HANGING = "、，。；：！？）》」』"  # full-width marks Chinese typesetting lets hang


def _same_cell(left: str, right: str) -> bool:
    """Whether a space inside a line separates two cells or is part of one cell's text."""
    if right[0] in CLOSING:  # a cell never starts with closing punctuation
        return True
    if _STEP_ONLY_RE.match(left):  # ``2. 为县级人大代表…``
        return True
    # Latin words are spaced in running text (``检查 and 统计``); a cell opens with Han, a
    # digit or a capital (``A级景区``), and does not end with a lowercase word
    if left[-1] in _LOWERCASE or right[0] in _LOWERCASE:
        return True
    # numbers set off by spaces in prose: ``距县城 23公里``, ``2025 年``
    return left[-1].isdigit() or right[0].isdigit()


_LOWERCASE = frozenset("abcdefghijklmnopqrstuvwxyz")


_LOWERCASE_WORD_END_RE = re.compile(r"(?:^|\s)[a-z]+$")
_LATIN_LETTERS = _LOWERCASE | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def inside_word(before: str, after: str) -> bool:
    """Whether a cell boundary between the line ``before`` and the next, ``after``, would
    fall inside running Latin text: ``after`` goes on a word that ``before`` ends (``an``
    over ``d``, a line wrapped inside a word), or ``before`` ends with a lowercase word
    (``and``, ``查 and``) that joins what follows: a cell ends with no such word."""
    last = before[-1]
    if last not in _LATIN_LETTERS:  # most lines: Han or punctuation, settled here
        return False
    if last in _LOWERCASE and _LOWERCASE_WORD_END_RE.search(before):
        return True
    return after[0] in _LATIN_LETTERS


def split_pieces(text: str, line: int, gap: int) -> list[Piece]:
    """The pieces of one line: split at spaces that separate cells."""
    text = text.strip()
    # Every whitespace character but the ASCII space is unprintable: this settles most lines
    # without the regex.
    if (text.isprintable() and " " not in text) or not _SPACE_RE.search(text):
        return [Piece(line, text, gap)]
    parts = _WORDS_RE.split(text)
    pieces = [Piece(line, parts[0], gap)]
    for sep, part in zip(parts[1::2], parts[2::2], strict=True):
        if _same_cell(pieces[-1].text, part):
            pieces[-1] = Piece(line, pieces[-1].text + sep + part, pieces[-1].gap,
                               pieces[-1].sep)
        else:
            pieces.append(Piece(line, part, GAP_SAME, sep))
    return pieces


def join_pieces(pieces: Sequence[Piece]) -> str:
    """A cell's text: wrapped lines joined with nothing, pieces of one line with their space."""
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index and piece.gap == GAP_SAME:
            out.append(piece.sep)
        out.append(piece.text)
    return "".join(out)


def lines_of(pieces: Sequence[Piece]) -> list[list[Piece]]:
    """Group pieces by text line (pieces sharing a line are one visual line of the cell)."""
    groups: list[list[Piece]] = []
    for piece in pieces:
        if groups and piece.gap == GAP_SAME:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def line_width(group: Sequence[Piece]) -> float:
    return sum(p.width for p in group) + 0.5 * (len(group) - 1)


# --- vocabulary of cells -----------------------------------------------------------------

_STEP_RE = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)")
STEP_NO_DOT_RE = re.compile(r"^(\d{1,2})(?=[\u4e00-\u9fff])")
_ORDINALS = "一二三四五六七八九十"
_ORDINAL_RE = re.compile(rf"^[（(]?([{_ORDINALS}]{{1,3}})[、.．）)]")
_ORDINAL_STARTS = "（(" + _ORDINALS
LABEL_RE = re.compile(r"^[^，。；,;]{1,30}[：:]")
_HEADING_RE = re.compile(r"^[^。；;]{1,60}[：:]$")
DEPT_SUFFIXES = "局部委会室办院所队站心司社厅处科馆联团组行台府"
_DEPT_END_RE = re.compile(rf"[{DEPT_SUFFIXES}](（[^）]*）|\([^)]*\))?$")
TERMINAL = "。；;！？!?"
ENDS_PARAGRAPH = "：:" + TERMINAL  # a line ending so ends its paragraph
# A line that is a department's name and nothing else: a place early on, an office at the end.
DEPARTMENT_NAME_RE = re.compile(
    rf"^[\u4e00-\u9fff]{{0,6}}?(市|县|州|区|旗|师)[^，。；、,;：:]*[{DEPT_SUFFIXES}]$")
PAIRS = (("（", "）"), ("(", ")"), ("“", "”"), ("《", "》"), ("【", "】"), ("「", "」"))
# What a department's name starts with besides the document's own places: words that name
# a level of government surely, and bare 市/县/州/区 less surely (a wrapped line can too).
_DEPT_START_SURE = ("自治区", "地区", "中共", "中国", "国家", "兵团", "师市")
_DEPT_START_BARE = ("市", "县", "州", "区")
_DEPT_START_WORDS = _DEPT_START_SURE + _DEPT_START_BARE


def step_number(text: str) -> int | None:
    """The number of a numbered step (``3.`` ``3．`` ``3、``), or None."""
    if not text[:1].isdecimal():  # most lines: no need for the regex (\d is isdecimal)
        return None
    m = _STEP_RE.match(text)
    return int(m.group(1)) if m else None


def ordinal_number(text: str) -> int | None:
    """The number of a Chinese-numbered heading (``二、`` ``（二）``), or None."""
    if text[:1] not in _ORDINAL_STARTS:  # most lines: no need for the regex
        return None
    m = _ORDINAL_RE.match(text)
    if not m:
        return None
    digits = m.group(1)
    if len(digits) == 1:
        return _ORDINALS.index(digits) + 1
    if digits[0] == "十":
        return 10 + _ORDINALS.index(digits[1]) + 1
    return None


def is_heading_line(text: str) -> bool:
    """A line that introduces what follows: ``考核：``, ``伊吾县公安局：``."""
    return bool(_HEADING_RE.match(text))


def bracket_net(text: str) -> list[int]:
    """Opening minus closing brackets and quotes, per kind."""
    if not BRACKETS_RE.search(text):  # most lines: no need to count twelve times
        return [0] * len(PAIRS)
    return [text.count(left) - text.count(right) for left, right in PAIRS]


BRACKETS_RE = re.compile("[" + re.escape("".join(a + b for a, b in PAIRS)) + "]")


def unbalanced(text: str) -> int:
    """Brackets and quotes in ``text`` opened and not closed, or closed and not opened."""
    return sum(abs(count) for count in bracket_net(text))


def looks_like_department_start(text: str, places: Sequence[str]) -> bool:
    return text.startswith(tuple(places)) or text.startswith(_DEPT_START_WORDS)


@lru_cache(maxsize=64)
def sure_start_chars(places: tuple[str, ...]) -> frozenset[str]:
    """The first characters of the names that open a department surely (``places``, 中共 …):
    a line opening with none of them cannot open one wrapped over the lines below."""
    return frozenset(word[0] for word in (*places, *_DEPT_START_SURE))


def department_start_strength(text: str, places: Sequence[str]) -> float:
    """How surely ``text`` opens a department's name: a place named in full (``伊吾县``,
    ``中共``) surely; a bare ``市`` or ``县`` less so, a wrapped name can start with one."""
    if text.startswith(tuple(places)) or text.startswith(_DEPT_START_SURE):
        return 1.5
    return 0.75 if text.startswith(_DEPT_START_BARE) else 0.0


_OFFICE_FIRST_RE = re.compile(
    rf"^(?:{'|'.join(_DEPT_START_BARE)})"
    rf"(?:委|[^，。；、,;：:（）()]{{1,10}}?[{DEPT_SUFFIXES}](?:[、，,]|$))")


def opens_with_department(text: str, places: Sequence[str]) -> bool:
    """Whether a line surely opens with a department's name: a place named in full or a word
    such as 中共 (``伊吾县林业和草原``), or a bare ``市``/``县`` whose office ends within the line
    (``市教育局、公``), or a party committee's (``市委巡察工作领``); ``市容环境…`` is no
    department."""
    return department_start_strength(text, places) >= 1.5 or bool(_OFFICE_FIRST_RE.match(text))


def looks_like_department_end(text: str) -> bool:
    return bool(_DEPT_END_RE.search(text.rstrip("、，,;；")))


def opens_after_no_department(before: str, text: str, places: Sequence[str],
                              earlier: str = "") -> bool:
    """Whether ``text``, the line after ``before`` in a department cell, opens a department's
    name where ``before`` ended none (``区管控工作`` over ``市交通运输局``): the cell's names
    follow one another, each after the last one's office or a list's comma. A place or word
    wrapped across the lines (``伊吾`` over ``县委编办``, ``师`` over ``市党委``; in a narrow
    column over several, ``焉耆回`` ``族自治`` over ``县发展``: ``earlier`` is the text of the
    lines before ``before``) opens nothing."""
    if not looks_like_department_start(text, places) or looks_like_department_end(before):
        return False
    if before[-1] in "、，,;；" or before.endswith((*places, *_DEPT_START_WORDS)):
        return False  # (``伽师县`` over ``市场监督管理局``)
    return not splits_place(earlier + before, text, places)


@lru_cache(maxsize=64)
def _place_splits(places: tuple[str, ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every way a place (or 中共 …) may be wrapped over two lines, (head, tail), by the
    tail's first character: a line opening with none of them goes on no place."""
    splits: dict[str, list[tuple[str, str]]] = {}
    for word in (*places, *_DEPT_START_SURE):
        for split in range(1, len(word)):
            splits.setdefault(word[split], []).append((word[:split], word[split:]))
    return {first: tuple(pairs) for first, pairs in splits.items()}


def splits_place(before: str, after: str, places: Sequence[str]) -> bool:
    """Whether a cell boundary between ``before`` and ``after`` falls inside a place's name
    (``组织特克斯`` over ``县红十字会…``): no cell ends in the middle of one."""
    if not after:
        return False
    pairs = _place_splits(tuple(places)).get(after[0])
    return pairs is not None and any(before.endswith(head) and after.startswith(tail)
                                     for head, tail in pairs)


def is_department_line(text: str, places: Sequence[str]) -> bool:
    """A whole line naming departments: ``市农业农村局``, ``伊吾县民政局、伊吾县公安局``."""
    return (looks_like_department_start(text, places) and looks_like_department_end(text)
            and not any(c in text for c in "，。；：,;:"))


def opens_department_listing(text: str, places: Sequence[str]) -> bool:
    """A line listing departments, maybe wrapped inside the last one's name: its first item
    is a department's whole name, and no sentence runs through it
    (``伽师县应急管理局、伽师县公安局、…伽师县分``)."""
    first, comma, _ = text.partition("、")
    return bool(comma) and is_department_line(first, places) and not any(
        c in text for c in "，。；：,;:")


def starts_paragraph(text: str) -> bool:
    """A line that starts a paragraph of its own: a numbered step, a heading, a label."""
    return bool(step_number(text) is not None or ordinal_number(text) is not None
                or LABEL_RE.match(text))


# --- column widths -----------------------------------------------------------------------

def column_width(samples: Sequence[float]) -> float:
    """A column's wrap width from the widths of lines that wrapped in it: the most common one
    (wrapped lines fill their column), the wider on a tie; a few lines cut short by
    line-breaking rules, or misread from another column, do not move it."""
    if not samples:
        return 0.0
    counts = Counter(samples)
    return max(counts, key=lambda width: (counts[width], width))


def shortfall_cost(width: float, column: float, slack: float = WRAP_SLACK) -> float:
    """How much a line that should fill its column falls short of it, beyond the slack that
    line-breaking rules (a closing bracket kept with its word) explain."""
    gap = column - slack - width
    return 0.0 if gap <= 0 else shortfall_penalty(gap, column)



def overflow_cost(width: float, column: float) -> float:
    """A line wider than its column cannot be in it."""
    gap = width - column - WRAP_SLACK
    if gap > 0:
        return overflow_penalty(gap)
    # within the character of slack, a little: of two readings otherwise alike, the one
    # whose lines fit their column
    return NEAR_OVERFLOW * (WRAP_SLACK + gap) if gap > -WRAP_SLACK else 0.0
