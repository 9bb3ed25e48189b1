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

# States kept at each step of the search: enough for the few columns a list has, mostly
# (see ``WIDE_BEAM``).
_BEAM = 100
# Where none of the readings kept gives every row its cells: a column printed far behind the
# others, as a flow after the page's other cells, needs readings that are dear until its
# cells come. Such a search reads every piece as its column's cells read (no misfit of
# ``_UNLIKE`` or more): it is for cells printed late, not for a page whose pieces fit no
# reading (a category word for a department where the page has none).
WIDE_BEAM = 10 * _BEAM
_UNLIKE = 4.0
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


def _name_like(text: str) -> bool:
    """A name's cell but for its length: no numbered step, no sentence's end, no category."""
    return not _NUMBERED_RE.match(text) and not text.endswith("。") and (
        not canonical_category(text))


# Columns that hold what a row's duties are: where a table has none (a basic list), its name
# cell is the duty itself, of any length.
_DUTY_KINDS = ("upper_duties", "township_duties", "receiver", "receiver_method")


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
    "name": lambda text: 0.0 if len(text) <= 60 and _name_like(text) else 2.0,
    "departments": lambda text: 0.0 if offices_only(text) else 4.0,
    "receiver_department": lambda text: 0.0 if offices_only(text) else 3.0,
    "upper_duties": lambda text: _lean(text, "township") + (
        0.0 if _duty(text) else 2.0 + 2.0 * offices_only(text)),
    "township_duties": lambda text: _lean(text, "upper") + (
        0.0 if _duty(text) else 2.0 + 2.0 * offices_only(text)),
    "receiver": lambda text: 0.0 if not _short_word(text) else 1.0,
    "receiver_method": lambda text: 0.0 if not _short_word(text) else 1.0,
}
# What going from one piece to the next costs: on along a row (a later column, the same
# row) or down a column (the next row, a column no later), as poppler mostly reads, is
# cheap; a jump (a tall cell printed before the row it stands in) is not.
_ALONG = 0.0
_DOWN = 0.2
_JUMP = 1.0


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
    if kind == "name" and not any(other in _DUTY_KINDS for other in extras):
        fit = _long_name
    # a code (``010001``) is no cell of the model's columns; a text only such a column of
    # the table holds is no other column's cell
    elsewhere = kind != "serial" and (
        (kind is not None and _CODE_RE.match(text) is not None)
        or any(_ONLY_EXTRA[other].match(text) for other in extras if other in _ONLY_EXTRA))
    return (fit(text) if fit is not None else 0.0) + _EXTRA_MISFIT * elsewhere


def _long_name(text: str) -> float:
    """How unlike a basic list's name (its duty, of any length) the text reads."""
    return 0.0 if _name_like(text) else 2.0


def _may_be_empty(kind: str | None) -> bool:
    """Columns whose cells may be empty: a plain dump prints nothing for an empty cell."""
    return kind in _MAY_BE_EMPTY or (kind or "").startswith("extra:")


_MAY_BE_EMPTY = (None, "category", "receiver_department", "receiver_method")
_EMPTY = 1.5  # an empty cell where the column is printed elsewhere
_EMPTY_CATEGORY = 3.0  # a category is empty only under a merged cell or in no category list
_SPLIT = 0.8  # a block read as two cells (pdftotext runs cells one under the other together)
_TAIL = 1.0  # a cell's rest, cut by the page break, before the page's first serial
# A piece read into a column whose header poppler printed after it (see ``columns_of``).
_BEFORE_HEADER = 0.5


def widest(lines: Sequence[str]) -> int:
    """The printed width of a block's widest line (see ``_width``)."""
    return max((_width(line) for line in lines), default=0)


def _width(line: str) -> int:
    """A line's printed width in half-width characters."""
    return sum(1 if ord(char) < 0x2E80 else 2 for char in line.strip())


def pieces_of(lines: Sequence[str]) -> list[list[str]]:
    """A block's lines cut after every line clearly shorter than its widest: where a cell may
    end, as a wrapped cell's lines but its last fill the column."""
    full = widest(lines)
    pieces: list[list[str]] = [[]]
    for at, line in enumerate(lines):
        pieces[-1].append(line)
        if at < len(lines) - 1 and _width(line) < full - 2:
            pieces.append([])
    return pieces


# A reading so far, last cell (column, row) first: (cell, the reading before it), shared by
# the readings that go on from it (a path copied at every step made the search quadratic in
# the pieces).
Chain = tuple[tuple[int, int], "Chain"] | None


# A cell a piece may start: its (column, row), what the empty cells it skips (or a cut row's
# rest) cost, and what reading the piece there adds to the state (see ``_States``).
Open = tuple[tuple[int, int], float, int]


class _States:
    """The states of the search as numbers: the cells each column has so far (its count, -1
    to ``rows``, a digit in base ``rows + 2``) times the number of cells, plus the cell of
    the piece before. A state is made for every cell open to every piece of every reading
    kept: as a number that is an addition, not a tuple of counts copied and hashed."""

    def __init__(self, kinds: Sequence[str | None], rows: int) -> None:
        self.kinds, self.rows = kinds, rows
        self.base = rows + 2
        self.places = [self.base ** column for column in range(len(kinds))]
        self.lasts = len(kinds) * self.base + 1  # the cells, and none (the start)
        # the cells open per column and count (-1 to rows), after the first serial and
        # (count -1) before it
        self.open_at = [[self._open(column, count, cut=False) for count in range(-1, rows + 1)]
                        for column in range(len(kinds))]
        self.open_first = [self._open(column, -1, cut=True) for column in range(len(kinds))]

    def key(self, counts: int, cell: tuple[int, int] | None) -> int:
        """The state of a reading with ``counts`` (digits), its last piece in ``cell``."""
        last = self.lasts - 1 if cell is None else cell[0] * self.base + cell[1] + 1
        return counts * self.lasts + last

    def start(self, tail: bool) -> int:
        """No piece read: every count 0 (a digit 1); with ``tail``, -1 but the serials' (a
        cut row's rest may come first)."""
        return self.key(self.places[0] + sum(self.places[1:]) * (not tail), None)

    def counts(self, key: int) -> list[int]:
        """The cells each column has in state ``key``."""
        digits = key // self.lasts
        return [digits // place % self.base - 1 for place in self.places]

    def serial(self, key: int, row: int) -> int:
        """The state after the serial of ``row``."""
        return self.key(key // self.lasts + self.places[0], (0, row))

    def cells_open(self, key: int) -> list[list[Open]]:
        """The cells a piece other than a serial may start after state ``key``, by column:
        the next cell of a column, or a later one where the cells between may be empty;
        before the first serial, a column's part of the row cut by the page break (row
        -1)."""
        counts = self.counts(key)
        return [self.open_first[column] if count < 0 and counts[0] == 0
                else self.open_at[column][count + 1]
                for column, count in enumerate(counts) if column]

    def _open(self, column: int, count: int, *, cut: bool) -> list[Open]:
        """The cells open in ``column`` after ``count`` cells; with ``cut`` (no serial read,
        ``count`` -1) the cut row's rest as well."""
        place, kind = self.places[column], self.kinds[column]

        def added(row: int) -> int:  # the column's digit goes from count + 1 to row + 2
            return (row - count + 1) * place * self.lasts + column * self.base + row + 1

        first = max(count, 0)
        last = min(first + (_EMPTY_RUN + 1 if _may_be_empty(kind) else 1), self.rows)
        return ([((column, -1), _TAIL, added(-1))] if cut else []) + [
            ((column, row), _empty(kind) * (row - first), added(row))
            for row in range(first, last)]


def columns_of(kinds: Sequence[str | None], rows: int, pieces: Sequence[tuple[str, bool]],
               first: int = 1, tail: bool = False, opens: Sequence[int] = (),
               beam: int = _BEAM) -> list[list[list[int]]] | None:
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
    the table then has a row more, that rest, first (row -1 while reading).

    ``opens``: per column, the index of the piece before which poppler printed its header.
    It prints a header before its cells: narrow columns one after the other, each header
    above its cells, or a column printed as a flow of its own after the page's rows (a 备注
    column empty in most rows). A piece printed before a column's header is its cell at a
    cost only: poppler prints some headers late, most of their cells before them (a two-row
    header's lower cells). ``beam``: the readings kept at each step."""
    if len(kinds) < 2 or rows == 0:
        return None
    numbers = _States(kinds, rows)
    states: dict[int, tuple[float, Chain]] = {numbers.start(tail): (0.0, None)}
    # the cells open after a state's counts, by the state without its last cell (the same
    # for every piece but a serial)
    opened: dict[int, list[list[Open]]] = {}
    for at, (text, goes_on) in enumerate(pieces):
        following: dict[int, tuple[float, Chain]] = {}
        serial = _SERIAL_RE.match(text) is not None
        # what the text costs in each column it may go in (a serial in the serial column,
        # any other piece in the others), the same whatever the reading before it
        misfits = [_misfit(kind, text, kinds) if serial == (column == 0) else 0.0
                   for column, kind in enumerate(kinds)]
        barred = [beam > _BEAM and misfit >= _UNLIKE for misfit in misfits]
        for column, start in enumerate(opens):
            if at < start:
                misfits[column] += _BEFORE_HEADER
        split = _SPLIT * goes_on
        row = int(text) - first if serial else 0
        for key, (cost, chosen) in states.items():
            last_column, last_row = chosen[0] if chosen is not None else (-1, -1)
            if goes_on and chosen is not None:  # the same cell as the piece before
                _offer(following, key, cost, (chosen[0], chosen))
            bare = key - key % numbers.lasts  # the state without its last cell
            if serial:  # its own row; the serial column counts serials
                columns = [[((0, row), 0.0, numbers.serial(key, row) - bare)]] if (
                    0 <= row < rows) else []
            elif bare in opened:
                columns = opened[bare]
            else:
                columns = opened[bare] = numbers.cells_open(key)
            # the step's cost and ``_offer`` written out: this runs some 500 times a piece
            for cells in columns:
                for cell, skipped, added in cells:
                    column, cell_row = cell
                    if barred[column]:
                        continue
                    if last_column < 0:
                        moved = 0.0
                    elif cell_row == last_row and column > last_column:
                        moved = _ALONG
                    elif cell_row == last_row + 1 and column <= last_column:
                        moved = _DOWN
                    else:
                        moved = _JUMP
                    total = cost + (misfits[column] + skipped + split + moved)
                    after = bare + added
                    held = following.get(after)
                    if held is None or held[0] > total:
                        following[after] = (total, (cell, chosen))
        states = dict(heapq.nsmallest(beam, following.items(), key=lambda item: item[1][0]))
    best = _best_complete(numbers, states)
    if best is None:
        return None
    table: list[list[list[int]]] = [[[] for _ in kinds] for _ in range(rows + tail)]
    for at, (column, cell_row) in enumerate(best):
        table[cell_row + tail][column].append(at)
    return table


def _empty(kind: str | None) -> float:
    """What an empty cell of a column costs."""
    return _EMPTY_CATEGORY if kind == "category" else _EMPTY


def _offer(states: dict[int, tuple[float, Chain]], key: int, cost: float,
           chosen: Chain) -> None:
    """Keep the cheaper of two readings that reach the same state."""
    if key not in states or states[key][0] > cost:
        states[key] = (cost, chosen)


def _best_complete(numbers: _States, states: dict[int, tuple[float, Chain]]
                   ) -> list[tuple[int, int]] | None:
    """The cells of the cheapest reading that gives every row its cells (the optional ones
    may be empty, at a cost), piece by piece."""
    kinds, rows = numbers.kinds, numbers.rows
    best: tuple[float, Chain] | None = None
    for key, (cost, chosen) in states.items():
        counts = numbers.counts(key)
        if any(count < rows and not _may_be_empty(kind)
               for count, kind in zip(counts, kinds, strict=True)):
            continue
        cost += sum(_empty(kind) * (rows - max(count, 0))
                    for kind, count in zip(kinds, counts, strict=True))
        if best is None or cost < best[0]:
            best = (cost, chosen)
    if best is None:
        return None
    cells: list[tuple[int, int]] = []
    chain = best[1]
    while chain is not None:
        cell, chain = chain
        cells.append(cell)
    return cells[::-1]


# A cell's padding, in lines: a row is as tall as its tallest cell's lines and this.
_ROW_PADDING = 0.5


def centred_runs(table: list[list[list[int]]], lines: Sequence[int], column: int, *,
                 tail: bool, continued: bool) -> list[list[list[int]]]:
    """The table with the cells of a merged ``column`` (a category printed once for a run of
    rows, centred on it) put on the first row of their runs.

    A merged cell's text stands at the middle of its run (of the run's part on the page, where
    a page break cuts it), so poppler prints it among the cells of the run's middle row, not
    at the run's top; the column's cells are fewer than the rows. The runs follow one another
    down the page: each is the run whose middle is nearest the row its text was printed in,
    rows measured by their tallest cell's lines (``lines``: of each piece). The first run
    starts at the page's first row unless the page goes on a list (``continued``), where rows
    above it may be the rest of a run begun on the page before, its text printed there. With
    ``tail`` the table's first row is the rest of a row cut by the page break (see
    ``columns_of``): it stands above the rows, in no run here."""
    body = table[tail:]
    rows = len(body)
    # the column's cells top to bottom: poppler prints a column's cells in its order
    texts = sorted((cells[column] for cells in body if cells[column]), key=lambda cell: cell[0])
    if not texts or len(texts) >= rows:
        return table  # a cell a row: nothing merged
    row_of = {at: row for row, cells in enumerate(body)
              for kind, cell in enumerate(cells) if kind not in (0, column) for at in cell}
    top = [max([sum(lines[at] for at in cell) for cell in table[0]] + [0]) if tail else 0.0]
    for cells in body:
        top.append(top[-1] + _ROW_PADDING + max(
            [sum(lines[at] for at in cell) for kind, cell in enumerate(cells) if kind != column]
            + [1]))
    # each text printed among the cells of one row: the row of the next cell poppler printed
    # after it (of the columns read in rows; the serials are a column of their own)
    middles = []
    for cell in texts:
        row = next((row_of[at] for at in range(cell[-1] + 1, len(lines)) if at in row_of),
                   rows - 1)
        middles.append((top[row] + top[row + 1]) / 2)
    out = [[[] if kind == column else cell for kind, cell in enumerate(cells)]
           for cells in body]
    for cell, start in zip(texts, _run_starts(top, middles, continued), strict=True):
        out[start][column] = cell
    return table[:tail] + out


def _run_starts(top: Sequence[float], middles: Sequence[float], continued: bool) -> list[int]:
    """The first row of each run, in order, so that each run's middle is nearest its text's
    (``middles``, in the units of ``top``: the top of each row, and the bottom of the last)."""
    rows, count = len(top) - 1, len(middles)
    # best[start]: the cost of the runs so far, the latest starting at ``start``, and the
    # starts chosen
    best: dict[int, tuple[float, list[int]]] = {
        start: (0.0, [start]) for start in (range(rows - count + 1) if continued else (0,))}
    for at in range(1, count):
        following: dict[int, tuple[float, list[int]]] = {}
        for start, (cost, chosen) in best.items():
            for after in range(start + 1, rows - count + at + 1):
                total = cost + abs((top[start] + top[after]) / 2 - middles[at - 1])
                if after not in following or following[after][0] > total:
                    following[after] = (total, [*chosen, after])
        best = following
    last = min(best.items(), key=lambda item: item[1][0] + abs(
        (top[item[0]] + top[rows]) / 2 - middles[-1]))
    return last[1][1]
