"""A page of a plain pdftotext dump whose cells are out of row order, read by its columns.

poppler orders a page's blocks by a topological sort in which a block comes after every block
above it that it overlaps horizontally. A table's column is such a stack, so however the page
is read otherwise, each column's cells come top to bottom, its header cell first: the page is
an interleaving of its columns. Reading it is choosing the cell of every block so that each
column gets one cell per row, in order. pdftotext may also run two cells of a column into one
block (cut where a line ends short of the column), and prints nothing for an empty cell. The
order alone seldom settles the reading (two duty columns side by side interleave either way),
so the choice is the likeliest one by what each block reads like and how far the reading
jumps between rows: a best reading, never a certain one. The caller reports such rows' text
as lost as well, so that the extraction is not trusted.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Sequence

from lvzhi.vocabulary import canonical_category

# States kept at each step of the search: enough for the few columns a list has.
_BEAM = 100
# Empty cells a column may skip at once (an extra column empty in most rows).
_EMPTY_RUN = 4
_SENTENCE_RE = re.compile("[。；;，,：:]")
_SERIAL_RE = re.compile(r"^\d{1,4}$")
_NUMBERED_RE = re.compile(r"^(?:\d{1,2}[.．、]|[（(]\d{1,2}[)）])")
_OFFICE_END_RE = re.compile(
    r"(?:局|部|委|办|室|院|会|所|中心|队|站|团|社|联|协|处|厅|馆|司|署|公司|府|台|校|场)$")
_OFFICES_APART_RE = re.compile(r"[、，,；;]")


def offices_only(text: str) -> bool:
    """Offices one after the other, no sentence: a department's cell
    (``市委组织部、机构编制委员会办公室，市人力资源和社会保障局``)."""
    if len(text) > 80 or _SENTENCE_RE.search(_OFFICES_APART_RE.sub("", text)):
        return False
    names = [name for name in _OFFICES_APART_RE.split(text) if name]
    return bool(names) and all(_OFFICE_END_RE.search(name) for name in names)


def _short_word(text: str) -> bool:
    return len(text) <= 12 and not _SENTENCE_RE.search(text) and not _NUMBERED_RE.match(text)


def _duty(text: str) -> bool:
    return len(text) > 30 or bool(_NUMBERED_RE.match(text)) or bool(_SENTENCE_RE.search(text))


# Words of what a township does (reports, assists, its own area) and of what a county
# department does (approves, guides, plans): which of two duty cells side by side is which,
# where the order of the page leaves it open.
_TOWNSHIP_WORDS_RE = re.compile(
    "本乡|本镇|本街道|辖区|上报|报送|报县|报市|报区|协助|配合|初审|摸排|宣传")
_UPPER_WORDS_RE = re.compile("审核|审批|指导|制定|督促|部署|下达|统筹|核发|全县|全市|全区")
_LEAN = 0.3
# A short word lvzhi does not know as a category: one still (the vocabulary is open), or a
# short name.
_UNKNOWN_CATEGORY = 0.5


def _lean(text: str, side: str) -> float:
    """A small cost for a duty cell whose words lean to the other duty column (``side``)."""
    township = len(_TOWNSHIP_WORDS_RE.findall(text))
    upper = len(_UPPER_WORDS_RE.findall(text))
    return _LEAN if (township > upper if side == "township" else upper > township) else 0.0


# How unlike each column's cells a text reads (0: as its cells do). A mismatch is a cost, not
# a bar: the vocabulary of a county is open.
_MISFIT: dict[str | None, Callable[[str], float]] = {
    "category": lambda text: (0.0 if canonical_category(text) else _UNKNOWN_CATEGORY)
    if _short_word(text) else 4.0,
    "name": lambda text: 0.0 if len(text) <= 60 and not _NUMBERED_RE.match(text) and (
        not text.endswith("。")) and not canonical_category(text) else 2.0,
    "departments": lambda text: 0.0 if offices_only(text) else 4.0,
    "receiver_department": lambda text: 0.0 if offices_only(text) else 3.0,
    "upper_duties": lambda text: _lean(text, "township") + (
        0.0 if _duty(text) else 2.0 + 2.0 * offices_only(text)),
    "township_duties": lambda text: _lean(text, "upper") + (
        0.0 if _duty(text) else 2.0 + 2.0 * offices_only(text)),
    "receiver": lambda text: 0.0 if not _short_word(text) else 1.0,
    "receiver_method": lambda text: 0.0 if not _short_word(text) else 1.0,
}
# What going from one piece to the next costs: on along a row or down a column, as poppler
# mostly reads, is cheap; a jump (a tall cell printed before the row it stands in) is not.
_ALONG = 0.0
_DOWN = 0.2
_JUMP = 1.0


def _step(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The cost of reading cell ``after`` (column, row) right after ``before``."""
    (column, row), (next_column, next_row) = before, after
    if next_row == row and next_column > column:
        return _ALONG
    if next_row == row + 1 and (next_column <= column):
        return _DOWN
    return _JUMP


# Columns the model has no field for, by their header's word (see ``extra_kind``): what
# their cells read like. Other extra columns (备注, 说明 …) take any text.
_CODE_RE = re.compile(r"^[0-9A-Za-z\-－_.]+$")
_BASIS_RE = re.compile("《|法|条例|规定|办法|意见|通知|决定|第.{1,6}条")
_TIME_RE = re.compile("日|天|月|年|小时|即时|即办")
_EXTRA_KINDS = (("code", ("编码", "代码")), ("basis", ("依据",)), ("office", ("科室", "股室")),
                ("time", ("时限", "期限")))
_EXTRA_FITS: dict[str, Callable[[str], bool]] = {
    "code": lambda text: _CODE_RE.match(text) is not None,
    "basis": lambda text: _BASIS_RE.search(text) is not None,
    "office": offices_only,
    "time": lambda text: len(text) <= 20 and _TIME_RE.search(text) is not None,
}
_EXTRA_MISFIT = 3.0


def extra_kind(header: str) -> str | None:
    """What the cells of a column the model has no field for read like, by its header's
    word (``extra:code`` for 事项编码); None where any text fits (备注)."""
    return next((f"extra:{kind}" for kind, words in _EXTRA_KINDS
                 if any(word in header for word in words)), None)


# What only a cell of such a column reads like: a code, a text opening with a law's title
# (``《中华人民共和国…法》第3条``), a number of days. Where the table has such a column, a
# cell of the model's columns does not read so.
_ONLY_EXTRA: dict[str, re.Pattern[str]] = {
    "extra:code": _CODE_RE, "extra:basis": re.compile("^《"),
    "extra:time": re.compile(r"^\d{1,3}个?(?:工作日|日|天|小时)$")}


def _misfit(kind: str | None, text: str, extras: Sequence[str | None] = ()) -> float:
    """How unlike the cells of a column of ``kind`` the text reads, in a table whose
    columns are ``extras`` as well."""
    if kind is not None and kind.startswith("extra:"):
        return 0.0 if _EXTRA_FITS[kind[6:]](text) else _EXTRA_MISFIT
    fit = _MISFIT.get(kind)
    # a code (``010001``) is no cell of the model's columns; a text only such a column of
    # the table holds is no other column's cell
    elsewhere = kind != "serial" and (
        (kind is not None and _CODE_RE.match(text) is not None)
        or any(_ONLY_EXTRA[other].match(text) for other in extras if other in _ONLY_EXTRA))
    return (fit(text) if fit is not None else 0.0) + _EXTRA_MISFIT * elsewhere


def _may_be_empty(kind: str | None) -> bool:
    """Columns whose cells may be empty: a plain dump prints nothing for an empty cell."""
    return kind in _MAY_BE_EMPTY or (kind or "").startswith("extra:")


_MAY_BE_EMPTY = (None, "category", "receiver_department", "receiver_method")
_EMPTY = 1.5  # an empty cell where the column is printed elsewhere
_EMPTY_CATEGORY = 3.0  # a category is empty only under a merged cell or in no category list
_SPLIT = 0.8  # a block read as two cells (pdftotext runs cells one under the other together)
_TAIL = 1.0  # a cell's rest, cut by the page break, before the page's first serial


def _width(line: str) -> int:
    """A line's printed width in half-width characters."""
    return sum(1 if ord(char) < 0x2E80 else 2 for char in line.strip())


def pieces_of(lines: Sequence[str]) -> list[list[str]]:
    """A block's lines cut after every line clearly shorter than its widest: where a cell may
    end, as a wrapped cell's lines but its last fill the column."""
    widest = max((_width(line) for line in lines), default=0)
    pieces: list[list[str]] = [[]]
    for at, line in enumerate(lines):
        pieces[-1].append(line)
        if at < len(lines) - 1 and _width(line) < widest - 2:
            pieces.append([])
    return pieces


# The cells each column has so far, and the cell (column, row) of the piece before.
State = tuple[tuple[int, ...], tuple[int, int]]
Path = tuple[tuple[int, int], ...]


def columns_of(kinds: Sequence[str | None], rows: int, pieces: Sequence[tuple[str, bool]],
               first: int = 1, tail: bool = False) -> list[list[list[int]]] | None:
    """The likeliest cell of every piece: ``rows`` rows of, per column, the indexes of the
    pieces its cell joins (none: the cell is empty); None if there is no such reading.

    ``kinds``: the model column of each column, ``serial`` first (None for an extra one);
    ``pieces``: (text, whether it goes on the piece before in the same block), the serials
    among them (the only pieces the serial column takes, ``first`` to ``first + rows - 1``
    each once). A serial's number says its row: poppler may print a serial out of its
    column's order (centred lower in a row made tall by a cell at the page's edge, it joins
    that cell's flow).

    With ``tail`` (the page goes on a list begun before it), the pieces before the page's
    first serial may be the rest of the row a page break cut, each column's at most once:
    the table then has a row more, that rest, first (row -1 while reading)."""
    width = len(kinds)
    if width < 2 or rows == 0:
        return None
    start = (0, *([-1 if tail else 0] * (width - 1)))
    states: dict[State, tuple[float, Path]] = {(start, (-1, -1)): (0.0, ())}
    for text, goes_on in pieces:
        following: dict[State, tuple[float, Path]] = {}
        for (counts, last), (cost, chosen) in states.items():
            if goes_on and last[0] >= 0:  # the same cell as the piece before
                _offer(following, (counts, last), cost, (*chosen, last))
            if _SERIAL_RE.match(text):  # its own row; the serial column counts serials
                row = int(text) - first
                cells, skipped_any = ([(0, row)] if 0 <= row < rows else []), False
            else:
                cells, skipped_any = _cells_open(kinds, counts, rows), True
            for column, row in cells:
                skipped = _empty(kinds[column]) * (row - max(counts[column], 0)) if (
                    skipped_any and row >= 0) else 0.0
                skipped += _TAIL if row < 0 else 0.0
                moved = _step(last, (column, row)) if last[0] >= 0 else 0.0
                step = _misfit(kinds[column], text, kinds) + skipped + _SPLIT * goes_on + moved
                key = (*counts[:column], (row if column else counts[0]) + 1,
                       *counts[column + 1:])
                _offer(following, (key, (column, row)), cost + step, (*chosen, (column, row)))
        states = dict(heapq.nsmallest(_BEAM, following.items(), key=lambda item: item[1][0]))
    best = _best_complete(kinds, rows, states)
    if best is None:
        return None
    table: list[list[list[int]]] = [[[] for _ in kinds] for _ in range(rows + tail)]
    for at, (column, row) in enumerate(best):
        table[row + tail][column].append(at)
    return table


def _empty(kind: str | None) -> float:
    """What an empty cell of a column costs."""
    return _EMPTY_CATEGORY if kind == "category" else _EMPTY


def _offer(states: dict[State, tuple[float, Path]], key: State, cost: float,
           chosen: Path) -> None:
    """Keep the cheaper of two readings that reach the same state."""
    if key not in states or states[key][0] > cost:
        states[key] = (cost, chosen)


def _cells_open(kinds: Sequence[str | None], counts: tuple[int, ...],
                rows: int) -> list[tuple[int, int]]:
    """The cells (column, row) a piece other than a serial may start: the next cell of a
    column, or a later one where the cells between may be empty; before the first serial,
    a column's part of the row cut by the page break (row -1)."""
    cells = []
    for column in range(1, len(kinds)):
        if counts[column] < 0 and counts[0] == 0:
            cells.append((column, -1))
        first = max(counts[column], 0)
        last = min(first + (_EMPTY_RUN + 1 if _may_be_empty(kinds[column]) else 1), rows)
        cells += [(column, row) for row in range(first, last)]
    return cells


def _best_complete(kinds: Sequence[str | None], rows: int,
                   states: dict[State, tuple[float, Path]]) -> Path | None:
    """The cheapest reading that gives every row its cells (the optional ones may be
    empty, at a cost)."""
    best: tuple[float, Path] | None = None
    for (counts, _last), (cost, chosen) in states.items():
        if any(count < rows and not _may_be_empty(kind)
               for count, kind in zip(counts, kinds, strict=True)):
            continue
        cost += sum(_empty(kind) * (rows - max(count, 0))
                    for kind, count in zip(kinds, counts, strict=True))
        if best is None or cost < best[0]:
            best = (cost, chosen)
    return best[1] if best is not None else None
