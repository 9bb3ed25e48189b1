"""Columns the model has no field for (履职依据, 备注, 事项编码 …) in a plain-text PDF dump.

A dump prints a row's cells one after another, each wrapped at its column's width, and
prints nothing for an empty cell. An extra column is read where its place leaves no doubt:

* **lead** columns, between the serial and the first model column after it (``事项编码``):
  a one-line cell shares the serial's line, a wrapped one stands on the lines below it;
* **tail** columns, after the last model column (``履职依据``, ``备注``): the row's last lines.

A cell is its column's shape: every line no wider than the column, every line but the last
filling it (widths learned from the document's rows; every assignment of widths the rows
explain equally well is kept). Every way to cut a row's first or last lines into such cells
is tried, the model's cells having to end as cells end (no run of narrow wrapped lines after
wide ones; a duty ends a sentence; the serial's line holds whole one-line cells only). A row
with more than one way (a cell whose last line would fit the next column, an empty cell
beside one as wide) is *uncertain*: those lines are reported as text no row claims, so the
reading is not trusted (ingest refuses it), never stored wrong. Blank lines are not used as
evidence: in a dump they fall both between cells and inside them. Extra columns elsewhere
(between the name and the departments …) are refused in one line.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from lvzhi.extractors._layout_evidence import (
    ENDS_PARAGRAPH,
    GAP_LINE,
    GAP_SAME,
    HANGING,
    TERMINAL,
    Piece,
    line_width,
    lines_of,
    starts_paragraph,
    step_number,
)
from lvzhi.vocabulary import (
    BASE_HEADER_WORDS,
    EXTRA_HEADER_WORDS,
    HEADER_GROUPS,
    HEADER_SYNONYMS,
    HEADER_WORDS,
    column_of_header,
)

_MODEL_WORDS = tuple(sorted({w for _, words in HEADER_SYNONYMS for w in words}
                            | set(BASE_HEADER_WORDS)
                            | {w for words in HEADER_WORDS.values() for w in words},
                            key=len, reverse=True))
# what a label cannot take in: a model column's word or a two-row header's group cell
_BOUNDS = (*_MODEL_WORDS, *sorted(HEADER_GROUPS, key=len, reverse=True))
_GROUP_MEMBERS = ("upper_duties", "township_duties", "receiver_department", "receiver_method")
_MOST_LABEL = 4  # characters an extra column's label starts before its word, at most


@dataclass
class ExtraPlan:
    """The extra columns of one list: labels in printed order, before and after the model's."""

    lead: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    middle: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [*self.lead, *self.tail]


def _model_columns(text: str) -> list[str]:
    """The model columns a stretch of header text names (its words, longest first)."""
    found = []
    for word in _MODEL_WORDS:
        if word in text:
            found.append(column_of_header(word) or "name")  # 履职事项: a name
            text = text.replace(word, "|")
    return found


def _label_start(header: str, word_start: int, floor: int) -> int:
    """Where an extra column's label starts before its word (``履职`` of ``履职依据``): right
    after the nearest model column's word or group cell (or the extra label before it),
    taking in no such word but the generic ``事项`` (``事项编码``, after ``序号``)."""
    for back in range(min(_MOST_LABEL, word_start - floor) + 1):
        start = word_start - back
        taken = header[start:word_start].replace("事项", "")
        if any(word in taken for word in _BOUNDS):
            break
        before = header[:start]
        if start == floor or (before.endswith(_BOUNDS) and not before.endswith("事项")):
            return start
    return word_start


def plan_of(header: str) -> ExtraPlan:
    """Where a header (spaces removed, cells run together) puts its extra columns."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer("|".join(EXTRA_HEADER_WORDS), header):
        floor = spans[-1][1] if spans else 0
        spans.append((_label_start(header, match.start(), floor), match.end()))
    plan = ExtraPlan()
    for number, (start, end) in enumerate(spans):
        label = header[start:end]
        before = header[:start]
        for earlier_start, earlier_end in spans[:number]:
            before = before.replace(header[earlier_start:earlier_end], "|")
        before_columns = _model_columns(before)
        after = header[end:]
        for later_start, later_end in spans[number + 1:]:
            after = after.replace(header[later_start:later_end], "|")
        later = _model_columns(after)
        grouped = any(group in header[:start] for group in HEADER_GROUPS)
        if not later or (grouped and set(later) <= set(_GROUP_MEMBERS)):
            plan.tail.append(label)
        elif set(before_columns) <= {"serial"}:
            plan.lead.append(label)
        else:
            plan.middle.append(label)
    return plan


@dataclass(frozen=True)
class ModelShape:
    """What a row's model cells allow: how many may stand whole on the serial's line, how many
    there are, and how many of them at least stand on lines of their own (the duties)."""

    shared: int = 99
    cells: int = 99
    own: int = 1
    sentence: bool = False  # the last cell ends a sentence (a duty: 549 of 550 seed rows)
    width: float = 0.0  # the last cell's column, learned from the list's rows (0: not known)
    # a cell before the last may be wider than it (a reclaimed name before its receiver);
    # not so in a basic list, where only a category, narrower than the name, comes first
    wider_before: bool = True
    # cells after the widest line's that may each wrap at their own width: 1, but 2 for a
    # receiver in two columns (承接部门 | 工作方式: a department wrapped narrow, then a method)
    wrapped_after: int = 1

    def mixed(self, start: int) -> bool:
        """Whether lines from ``start`` on may hold a wider cell's before the last one's."""
        return start == 0 and self.cells > 1 and self.wider_before

    def allows(self, shared: int, own_lines: bool) -> bool:
        return shared <= self.shared and (not own_lines or shared + self.own <= self.cells)


ANY_SHAPE = ModelShape()


# --- cells of a column's shape -----------------------------------------------------------

_SLACK = 1.0  # a line may miss its column by a character line-breaking rules pushed down


def _widths(lines: Sequence[Sequence[Piece]]) -> list[float]:
    # closing punctuation at a line's end may hang in the margin: measure without it
    return [line_width(line) - (1.0 if line[-1].text[-1] in HANGING else 0.0)
            for line in lines]


def _fits(lines: Sequence[Sequence[Piece]], width: float | None) -> bool:
    """Whether lines (each a list of pieces of one text line) can be one cell of a column
    ``width`` wide (None: a column whose cells never wrap, one line each)."""
    if not lines or any(len(line) > 1 for line in lines):
        return False
    if width is None:
        return len(lines) == 1
    widths = _widths(lines)
    if any(w > width + 0.01 for w in widths):
        return False
    return all(w >= width - _SLACK for w in widths[:-1])


_NARROWER = 0.8  # a paragraph's wrapped lines are at least this much of the one before's


def _paragraph_start(lines: Sequence[list[Piece]], end: int) -> int:
    """Where the paragraph of lines ending at ``end`` (exclusive) starts: after a line
    that ends one (a sentence, a step) or before one that opens one (``2.``)."""
    for at in range(end - 2, -1, -1):
        if lines[at][-1].text[-1] in ENDS_PARAGRAPH or starts_paragraph(lines[at + 1][0].text):
            return at + 1
    return 0


def _model_fits(units: Sequence[list[Piece]], shape: ModelShape) -> bool:
    """Whether the model's cells can end with these lines. The serial's line holds whole
    cells only (as many as ``shape`` allows); in the last paragraph, the lines after its
    widest fill that width (a cell wraps its lines to one width), but for one short line
    that may end a cell before a last line of another (a name before its receiver) where
    the model has more than one cell; and its wrapped lines are not much narrower than the
    paragraph before (a run of narrow lines after wide ones is another column's cell)."""
    lines = [unit for unit in units if unit[0].gap != GAP_SAME]
    shared = [unit for unit in units if unit[0].gap == GAP_SAME]
    if not shape.allows(len(shared), bool(lines)):
        return False
    if shared and (not lines or line_width(shared[-1]) > max(_widths(lines))):
        lines = [shared[-1], *lines]
    if len(lines) < 2:
        return True
    widths = _widths(lines)
    final = _paragraph_start(lines, len(lines))
    widest = max(widths[final:])
    after = len(widths) - 1 - widths[::-1].index(widest)
    if shape.wrapped_after > 1:
        if not _wrapped_runs(widths[after:], 1 + shape.wrapped_after):
            return False
    else:
        full = widths[after:-1] if shape.cells == 1 else widths[after:-2]
        if any(width < widest - _SLACK for width in full):
            return False
    wrapped = widths[final:-1]
    if shape.width and wrapped and min(wrapped) >= shape.width - _SLACK:
        return True  # they fill the model's last column (a township duty's, narrower)
    if final and wrapped:
        before = max(widths[_paragraph_start(lines, final):final])
        return min(wrapped) >= _NARROWER * before
    return True


def _wrapped_runs(widths: Sequence[float], count: int) -> bool:
    """Whether lines of these widths can be ``count`` cells at most, one after another, each
    wrapped at one width (every line but its last as wide as its widest, less ``_SLACK``)."""
    if not widths:
        return True
    if count == 0:
        return False
    for end in range(1, len(widths) + 1):
        run = widths[:end]
        if (all(width >= max(run) - _SLACK for width in run[:-1])
                and _wrapped_runs(widths[end:], count - 1)):
            return True
    return False


def _cell_options(units: Sequence[list[Piece]], start: int, width: float | None,
                  *, forward: bool) -> list[int]:
    """The ends (forward) or starts (backward) of every non-empty cell of ``width`` that
    starts (ends) at unit ``start``; a unit is a text line, or one piece of a line that holds
    several cells (the serial's). A cell of more than one line never shares a line with
    another cell; once lines do not fit, more lines do not either."""
    out = []
    steps = range(start + 1, len(units) + 1) if forward else range(start - 1, -1, -1)
    for bound in steps:
        first, last = (start, bound) if forward else (bound, start)
        cell = units[first:last]
        if len(cell) > 1 and (cell[0][0].gap == GAP_SAME or cell[1][0].gap == GAP_SAME
                              or cell[-1][0].gap == GAP_SAME):
            break
        if not _fits(cell, width):
            break
        out.append(bound)
    return out


def units_of(pieces: Sequence[Piece], serial: int) -> tuple[list[list[Piece]], list[int]]:
    """A row's pieces as units: one a text line, but the pieces of the serial's line (line
    ``serial``, which shares its line with one-line cells) one each, split at every space;
    and for each unit the index of the piece it comes from (-1 - index for a part of a piece
    split). A unit on the serial's line starts with a piece ``GAP_SAME``, no other does."""
    units: list[list[Piece]] = []
    origin: list[int] = []
    at = 0
    for number, line in enumerate(lines_of(pieces)):
        if number == 0 and line[0].line == serial:
            for piece in line:
                parts = _split_spaces(piece)
                units += [[part] for part in parts]
                origin += [at] if len(parts) == 1 else [-1 - at] * len(parts)
                at += 1
        else:
            if line[0].gap == GAP_SAME:  # the first line below a bare serial: its own
                line = [Piece(line[0].line, line[0].text, GAP_LINE, "", line[0].cut_before),
                        *line[1:]]
            units.append(line)
            origin.append(at)
            at += len(line)
    return units, origin


def _split_spaces(piece: Piece) -> list[Piece]:
    parts = [part for part in piece.text.split(" ") if part]
    if len(parts) == 1:
        return [piece]
    return [Piece(piece.line, parts[0], piece.gap, piece.sep, piece.cut_before),
            *(Piece(piece.line, part, GAP_SAME, " ") for part in parts[1:])]


def regroup(pieces: Sequence[Piece], units: Sequence[list[Piece]], origin: Sequence[int],
            start: int, end: int) -> list[Piece]:
    """The pieces of units ``start:end``, as the row had them: a piece split at its spaces
    comes back whole where all its parts are in (a cell boundary inside it keeps them)."""
    out: list[Piece] = []
    for index in range(start, end):
        source = origin[index]
        if source >= 0:
            out += pieces[source:source + len(units[index])]
            continue
        parts = [i for i, o in enumerate(origin) if o == source]
        if not all(start <= i < end for i in parts):
            out += units[index]
        elif index == parts[0]:
            out.append(pieces[-1 - source])
    return out


def tail_cuts(units: Sequence[list[Piece]], widths: Sequence[float | None],
              shape: ModelShape = ANY_SHAPE) -> list[list[int]]:
    """Every way to cut the last units into the tail cells (starts, one a column; a start
    equal to the next one's is an empty cell), the model's cells keeping at least one unit
    and ending as its cells end (``shape``, ``_model_fits``, ``_runs_on``)."""
    found: list[list[int]] = []

    def walk(column: int, end: int, starts: list[int]) -> None:
        if column < 0:
            if end >= 1:
                found.append(starts)
            return
        walk(column - 1, end, [end, *starts])  # empty
        for begin in _cell_options(units, end, widths[column], forward=False):
            if begin >= 1:
                walk(column - 1, begin, [begin, *starts])

    walk(len(widths) - 1, len(units), [])
    found = [starts for starts in found if _model_fits(units[:starts[0]], shape)]
    if shape.sentence:  # where some reading ends the model's cells with a sentence, those
        ending = [starts for starts in found
                  if units[starts[0] - 1][-1].text[-1] in TERMINAL]
        found = ending or found
    # where some reading ends the model's cells as a cell ends, those: not on a colon, which
    # introduces what follows, nor before the next step of its own numbering
    whole = [starts for starts in found if not _ends_open(units, starts[0])]
    found = whole or found
    return [starts for starts in found if not any(
        other[0] < starts[0] and not _runs_on(units, other[0], shape) for other in found)]


def _ends_open(units: Sequence[list[Piece]], at: int) -> bool:
    """Whether the model's cells, ending before unit ``at``, would be cut open: the last line
    ends on a colon (``承接部门：``, ``考核：``), or the line at ``at`` is the next step of the
    last paragraph's numbering (``1.…；`` then ``2.…``)."""
    if units[at - 1][-1].text[-1] in "：:":
        return True
    if at == len(units) or units[at][0].gap == GAP_SAME:
        return False
    following = step_number(units[at][0].text)
    if following is None or following < 2:
        return False
    opened = _paragraph_start(units, at)
    return step_number(units[opened][0].text) == following - 1


def _runs_on(units: Sequence[list[Piece]], at: int, shape: ModelShape) -> bool:
    """Whether the model's last cell, ending at ``at`` one way, can go on past it: the
    line at ``at`` opens a paragraph (``2.…``), or the line before fills the cell (the
    widest of its last lines) and ends no sentence. A short line, or one ending with 。, is
    a cell's last unless a paragraph opens after it."""
    if at == 0 or units[at - 1][0].gap == GAP_SAME or units[at][0].gap == GAP_SAME:
        return True  # the serial's line: the model's shape decides
    if starts_paragraph(units[at][0].text):
        return True
    if units[at - 1][-1].text[-1] == "。":  # a cell's sentences end its cell (a duty's, a
        return False  # receiver's: in the seeds a 。 at a line's end goes on with a new step)
    # the cell's width: its last paragraph's widest line (before it, another cell's lines
    # may be wider: a name's before its receiver); not known where no paragraph starts and
    # the model has more than one cell
    start = _paragraph_start(units, at)
    own = [unit for unit in units[start:at] if unit[0].gap != GAP_SAME]
    if not own or shape.mixed(start):
        return True
    # a paragraph of one line fills nothing but itself: the column's width, where the list
    # shows it, tells whether that line is full
    return _widths([units[at - 1]])[0] >= max(*_widths(own), shape.width) - _SLACK


def lead_cuts(units: Sequence[list[Piece]], widths: Sequence[float | None]) -> list[list[int]]:
    """Every way to cut the first units into the lead cells (ends, one a column), the rest
    keeping at least one unit. A lead cell is never empty here: a column printed before the
    category is a code or a number every row has (an empty one reads as uncertain)."""
    found: list[list[int]] = []

    def walk(column: int, start: int, ends: list[int]) -> None:
        if column == len(widths):
            if start < len(units):
                found.append(ends)
            return
        for end in _cell_options(units, start, widths[column], forward=True):
            walk(column + 1, end, [*ends, end])

    walk(0, 0, [])
    return found



# --- one list's extra cells ---------------------------------------------------------------

Cuts = list[list[int]]


def _wraps(units: Sequence[list[Piece]], cut: list[int], lead: bool) -> int:
    """How many lines of a row's extra cells wrap (every one but each cell's last)."""
    bounds = [0, *cut] if lead else [*cut, len(units)]
    return sum(max(end - start - 1, 0) for start, end in itertools.pairwise(bounds))


def learn_widths(rows: Sequence[Sequence[list[Piece]]], count: int, *, lead: bool,
                 shapes: Sequence[ModelShape] = ()) -> list[list[float | None]]:
    """The widths of ``count`` lead or tail columns. A wrapped cell's lines but its last fill
    its column, so the widths of lines that a line no wider follows near the row's edge are
    the candidates (seen twice at least); of every assignment of them (or None: a column
    whose cells never wrap), those that leave no row uncut and explain the most lines as
    wrapped in an extra cell: all of them, as the rows tell them apart no further (a row is
    read only where they all read it alike)."""
    from itertools import product

    counts: Counter[float] = Counter()
    for units in rows:
        near = units[:8] if lead else units[-8:]
        for unit, following in itertools.pairwise(near):
            if (unit[0].gap != GAP_SAME and following[0].gap != GAP_SAME
                    and line_width(unit) >= line_width(following)):
                counts[line_width(unit)] += 1
    # an extra column is narrower than the widest of the model's (a duty's, a basic name's),
    # whose lines would otherwise read as extra cells
    model = max((line_width(u) for units in rows for u in units if u[0].gap != GAP_SAME),
                default=0.0)
    candidates: list[float | None] = [
        *[w for w, n in counts.most_common() if n >= 2 and w < model - _SLACK][:6], None]
    limits = list(shapes) or [ANY_SHAPE] * len(rows)
    scored = []
    for widths in product(candidates, repeat=count):
        # a row no way cuts says the widths are wrong; then the most wrapped lines the
        # widths explain (a width no cell fills explains none)
        none = wraps = 0
        for units, most in zip(rows, limits, strict=True):
            cuts = lead_cuts(units, widths) if lead else tail_cuts(units, widths, most)
            none += not cuts
            wraps += max((_wraps(units, cut, lead) for cut in cuts), default=0)
        scored.append(((-none, wraps), list(widths)))
    top = max(score for score, _ in scored)
    return [widths for score, widths in scored if score == top]


def _last_cell_width(rows: Sequence[Sequence[list[Piece]]],
                     widths: Sequence[Sequence[float | None]],
                     shapes: Sequence[ModelShape]) -> float:
    """The width of the model's last column: the widest wrapped line of its last paragraph
    where that is the last cell's beyond doubt (it wraps, and a paragraph ends before it or
    the model has one cell), in the lines every reading of a row gives the model; the width
    most rows show (seen twice at least; else 0, not known)."""
    seen: Counter[float] = Counter()
    for units, shape in zip(rows, shapes, strict=True):
        cuts = [cut for each in widths for cut in tail_cuts(units, each, shape)]
        if not cuts:
            continue
        lines = [unit for unit in units[:min(cut[0] for cut in cuts)]
                 if unit[0].gap != GAP_SAME]
        start = _paragraph_start(lines, len(lines))
        if len(lines) - start < 2 or shape.mixed(start):
            continue
        seen[max(_widths(lines[start:-1]))] += 1
    width, count = max(seen.items(), key=lambda item: (item[1], item[0]), default=(0.0, 0))
    if count >= 2:
        return width
    if shapes and not shapes[0].wider_before:
        # a basic list's name column is its widest (an extra column is narrower, as
        # ``learn_widths`` takes it): where no name wraps twice, its widest line
        return max((_widths([unit])[0] for units in rows for unit in units
                    if unit[0].gap != GAP_SAME), default=0.0)
    return 0.0


@dataclass
class Peeled:
    """A row with its extra cells taken off: what is left for the model's columns, the
    extra cells in printed order, and the pieces no reading is sure of."""

    rest: list[Piece]
    cells: list[list[Piece]]
    uncertain: list[Piece] = field(default_factory=list)


def _distinct(cuts: Iterable[list[int]]) -> list[list[int]]:
    return [list(cut) for cut in dict.fromkeys(tuple(cut) for cut in cuts)]


def _category_later(pieces: list[Piece], units: Sequence[list[Piece]], origin: Sequence[int],
                    end: int, known_start: Callable[[list[Piece]], bool]) -> bool:
    """Whether a known category starts a line or two after the lead cells' ``end`` but not
    at it: the lead cell goes on (its width not learned: no other row wrapped it)."""
    if known_start(regroup(pieces, units, origin, end, len(units))):
        return False
    return any(known_start(regroup(pieces, units, origin, later, len(units)))
               for later in range(end + 1, min(end + 3, len(units))))


def _peel_lead(pieces: list[Piece], serial: int, widths: Sequence[Sequence[float | None]],
               known_start: Callable[[list[Piece]], bool]) -> Peeled:
    units, origin = units_of(pieces, serial)
    cuts = _distinct(cut for each in widths for cut in lead_cuts(units, each))
    if len(cuts) > 1:  # the cut after which a category the document knows starts, if one
        sure = [c for c in cuts if known_start(regroup(pieces, units, origin, c[-1],
                                                       len(units)))]
        cuts = sure if len(sure) == 1 else cuts
    if len(cuts) == 1 and not _category_later(pieces, units, origin, cuts[0][-1],
                                                  known_start):
        ends = cuts[0]
        cells = [regroup(pieces, units, origin, start, end)
                 for start, end in zip([0, *ends[:-1]], ends, strict=True)]
        return Peeled(regroup(pieces, units, origin, ends[-1], len(units)), cells)
    last = max((c[-1] for c in cuts), default=1)
    return Peeled(regroup(pieces, units, origin, last, len(units)), [[] for _ in widths[0]],
                  regroup(pieces, units, origin, 0, last))


def _peel_tail(pieces: list[Piece], serial: int, widths: Sequence[Sequence[float | None]],
               shape: ModelShape) -> Peeled:
    units, origin = units_of(pieces, serial)
    cuts = _distinct(cut for each in widths for cut in tail_cuts(units, each, shape))
    if len(cuts) == 1:
        starts = cuts[0]
        cells = [regroup(pieces, units, origin, start, end)
                 for start, end in zip(starts, [*starts[1:], len(units)], strict=True)]
        return Peeled(regroup(pieces, units, origin, 0, starts[0]), cells)
    first = min((c[0] for c in cuts), default=len(units) - 1)
    first = max(first, 1)
    return Peeled(regroup(pieces, units, origin, 0, first), [[] for _ in widths[0]],
                  regroup(pieces, units, origin, first, len(units)))


def peel_lead(rows: Sequence[list[Piece]], serials: Sequence[int], count: int,
              known_start: Callable[[list[Piece]], bool]) -> list[Peeled]:
    """Every row's ``count`` lead cells (``rows``: each row's pieces after its serial, which
    stands on line ``serials[row]``); ``known_start``: whether pieces start with a category
    the document knows."""
    widths = learn_widths([units_of(pieces, serial)[0] for pieces, serial
                           in zip(rows, serials, strict=True)], count, lead=True)
    return [_peel_lead(pieces, serial, widths, known_start) if pieces
            else Peeled([], [[] for _ in range(count)])
            for pieces, serial in zip(rows, serials, strict=True)]


def peel_tail(rows: Sequence[list[Piece]], serials: Sequence[int], count: int,
              shapes: Sequence[ModelShape]) -> list[Peeled]:
    """Every row's ``count`` tail cells (``rows``: each row's pieces after its category, its
    serial on line ``serials[row]``; ``shapes``: each row's model cells)."""
    units = [units_of(pieces, serial)[0] for pieces, serial in zip(rows, serials, strict=True)]
    widths = learn_widths(units, count, lead=False, shapes=shapes)
    last = _last_cell_width(units, widths, shapes)
    shapes = [replace(shape, width=last) for shape in shapes]
    return [_peel_tail(pieces, serial, widths, shape) if pieces
            else Peeled([], [[] for _ in range(count)])
            for pieces, serial, shape in zip(rows, serials, shapes, strict=True)]
