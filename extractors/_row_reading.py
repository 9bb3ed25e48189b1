"""Reading a row's cells out of its pieces, by the layout evidence weighed together.

Each decision enumerates the possible cut points and keeps the one with the best score; the
scores are sums of small penalties (``lvzhi.extractors._layout_evidence`` reads the evidence,
``lvzhi.extractors._layout_weights`` names the weights), each for one thing a real table does
not do: where the name cell ends and the department's (or the receiver's) begins, and where a
cooperative row's upper duty cell ends and the township's begins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from lvzhi.extractors._layout_evidence import (
    BRACKETS_RE,
    CLOSING,
    DEPARTMENT_NAME_RE,
    DEPT_SUFFIXES,
    ENDS_PARAGRAPH,
    GAP_PAGE,
    GAP_SAME,
    HANGING,
    LABEL_RE,
    PAIRS,
    STEP_NO_DOT_RE,
    TERMINAL,
    Piece,
    bracket_net,
    department_start_strength,
    inside_word,
    is_department_line,
    is_heading_line,
    join_pieces,
    lines_of,
    looks_like_department_end,
    looks_like_department_start,
    opens_after_no_department,
    opens_department_listing,
    opens_with_department,
    ordinal_number,
    splits_place,
    starts_paragraph,
    step_number,
    sure_start_chars,
    unbalanced,
)
from lvzhi.extractors._layout_weights import (
    BRACKET_WEIGHT,
    CLOSING_START,
    CUT_MARK_BONUS,
    DUTY_SLACK,
    GAP_BONUS,
    LIST_COMMA_END,
    NEAR_OVERFLOW,
    OPEN_DUTY_END,
    OWN_WIDTH_WEIGHT,
    PARAGRAPH_SLACK,
    SHORTFALL_CAP,
    SHORTFALL_SCALE,
    SURE_START_INSIDE,
    UNENDED_DEPARTMENT,
    WRAP_SLACK,
    overflow_penalty,
    shortfall_penalty,
)

# --- cutting a run of pieces in two ------------------------------------------------------

_LIST_SEPARATOR_RE = re.compile("[、，,;；]")

@dataclass(slots=True)
class Widths:
    """The learned wrap widths of one list's narrow columns (0: not known yet)."""

    name: float = 0.0
    departments: float = 0.0
    receiver: float = 0.0


def _boundary_bonus(piece: Piece) -> float:
    if piece.cut_before:
        return CUT_MARK_BONUS
    return GAP_BONUS[piece.gap]





@dataclass(slots=True)
class DepartmentMarks:
    """What each piece of a run says of a department's name."""

    strength: list[float]  # how surely it opens one (``department_start_strength``)
    surely: list[bool]  # it surely opens one (``opens_with_department``)
    # how a name read from a piece on ends there: None if it goes on (no office, no comma),
    # False at an office or at a comma after one, True at a comma after none (``区企业、``)
    ends: list[bool | None]
    # the next piece opens a department after this one ended none (``opens_after_no_department``)
    opens_next: list[bool]


@dataclass(slots=True)
class NameWords:
    """What the words of a run say of a name cell ending before each piece ``at``, whatever
    the columns' widths (``Run.name_words``)."""

    opening: list[float]  # the cut's score before the widths' costs: see cut_name_departments
    # the next cell would open with closing punctuation, inside a Latin word or a place's name
    closing: list[bool]


# the longest county or prefecture a line may hold only the start of
_PLACE_SPAN = 10


class Run:
    """A row's pieces with what the cut scorers ask of them again and again, worked out once
    (cutting tries every boundary, so this is the hot path of the extractor)."""

    __slots__ = ("_departments", "_held", "_names", "_receiver", "_suffixes", "net", "pieces",
                 "same", "width")

    def __init__(self, pieces: Sequence[Piece]):
        self.pieces = pieces
        # closing punctuation at a line's end may hang in the margin: measure without it
        self.width = [p.width - (1.0 if p.text[-1] in HANGING else 0.0) for p in pieces]
        self.same = [p.gap == GAP_SAME for p in pieces]
        self._held: list[bool] | None = None  # only cells of paragraphs ask: made then
        self._departments: DepartmentMarks | None = None  # likewise
        self._names: NameWords | None = None  # likewise
        self._receiver: ReceiverWords | None = None  # likewise (a run is one list's: one split)
        self.net = [[0] * len(PAIRS)]  # brackets opened before each piece, per kind
        for piece in pieces:
            if BRACKETS_RE.search(piece.text):
                self.net.append([a + b for a, b in zip(self.net[-1], bracket_net(piece.text),
                                                       strict=True)])
            else:
                self.net.append(self.net[-1])
        # both passes of a layout cost the same cells against different widths
        self._suffixes: dict[tuple[int, bool], list[_Shape]] = {}

    def lines(self, start: int, end: int) -> list[tuple[float, int]]:
        """(width, index of its last piece) of each line of the cell ``start:end``."""
        out: list[tuple[float, int]] = []
        for index in range(start, end):
            if index > start and self.same[index]:
                out[-1] = (out[-1][0] + 0.5 + self.width[index], index)
            else:
                out.append((self.width[index], index))
        return out

    def held(self) -> list[bool]:
        """Whether a line ending at each piece may stop short in a cell of paragraphs: the
        next piece opens a paragraph, or this one introduces what follows."""
        if self._held is None:
            pieces = self.pieces
            opens = [starts_paragraph(p.text) for p in pieces]
            self._held = [p.text[-1] in "：:" or (i + 1 < len(pieces) and opens[i + 1])
                          for i, p in enumerate(pieces)]
        return self._held

    def departments(self, places: Sequence[str]) -> DepartmentMarks:
        """What each piece says of a department's name, read once a run (``DepartmentMarks``);
        a document's places are one list."""
        if self._departments is None:
            pieces = self.pieces
            marks = DepartmentMarks([], [], [], [])
            # a place wraps over up to five lines of a narrow column (``焉耆回`` over
            # ``族自治``, ``县统计局``): it opens a department as surely as one line
            wraps = sure_start_chars(tuple(places))
            for index, piece in enumerate(pieces):
                text = piece.text
                strength = department_start_strength(
                    "".join(p.text for p in pieces[index:index + 5])
                    if len(text) < _PLACE_SPAN and text[0] in wraps else text, places)
                marks.strength.append(strength)
                marks.surely.append(strength >= 1.5 or opens_with_department(text, places))
                listed = _LIST_SEPARATOR_RE.search(text)
                if listed is not None:
                    # (a line opening with the comma ends the name above it: ``区自然`` ``保护区``
                    # over ``、湿地`` names no office, as ``县教育局`` over ``、县…`` does)
                    before = (text[:listed.start()] if listed.start() > 0
                              else pieces[index - 1].text if index else "")
                    marks.ends.append(bool(before) and not looks_like_department_end(before))
                else:
                    marks.ends.append(False if looks_like_department_end(text) else None)
                following = pieces[index + 1].text if index + 1 < len(pieces) else ""
                marks.opens_next.append(
                    marks.ends[-1] is None and looks_like_department_start(following, places)
                    and opens_after_no_department(
                        text, following, places,
                        "".join(p.text for p in pieces[max(0, index - 4):index])))
            self._departments = marks
        return self._departments

    def name_words(self, end: int, places: Sequence[str]) -> NameWords:
        """``NameWords`` for every ``at`` below ``end``: both passes of a layout, and each
        place a cooperative row's duties may begin, cut the same run again."""
        if self._names is not None and len(self._names.opening) >= end:
            return self._names
        pieces = self.pieces
        marks = self.departments(places)
        listing = _listing_re(tuple(places))
        words = NameWords([0.0] * end, [False] * end)
        name = ""
        inside = 0  # lines inside the name (after its first) that open a department surely
        for at in range(1, end):
            name += pieces[at - 1].text
            if at > 1 and marks.surely[at - 1]:
                inside += 1
            score = _boundary_bonus(pieces[at])
            score -= SURE_START_INSIDE * inside
            if listing.search(name):
                score -= 2.0  # ``…局、伽师县…``, ``…哈密市生态环境局``: departments, not a name
            elif name[-1] in "局委办" and _ENDS_WITH_OFFICE_RE.search(name):
                score -= 1.5  # ``…工作州生态环境局``: a name does not end with an office
            words.opening[at] = score
            first = pieces[at].text
            words.closing[at] = (first[0] in CLOSING or inside_word(pieces[at - 1].text, first)
                                 or (marks.strength[at] < 1.5
                                     and splits_place(name, first, places)))
        self._names = words
        return words

    def unbalanced(self, start: int, end: int) -> int:
        before, after = self.net[start], self.net[end]
        if before is after:  # no bracket printed in between: the counts are one list
            return 0
        return sum(abs(b - a) for a, b in zip(before, after, strict=True))

    def _fill(self, lines: Sequence[tuple[float, int]], column: float, paragraphs: bool) -> float:
        """Overflow of every line plus shortfall of every line but the last (and, in a cell
        of paragraphs, but those that end one): ``overflow_cost`` and ``shortfall_cost``
        inlined around their penalties, as this loop runs hundreds of thousands of times a
        province."""
        cost = 0.0
        last = len(lines) - 1
        held = self.held() if paragraphs else []
        divisor = max(column, 1.0)  # shortfall_penalty's, worked out once
        for number, (width, end) in enumerate(lines):
            over = width - column - WRAP_SLACK
            if over > 0:
                cost += overflow_penalty(over)
            elif over > -WRAP_SLACK:
                cost += NEAR_OVERFLOW * (WRAP_SLACK + over)
            if number < last and not (paragraphs and held[end]):
                short = column - WRAP_SLACK - width
                if short > 0:
                    cost += min(short / divisor * SHORTFALL_SCALE, SHORTFALL_CAP)
        return cost

    def prefix_costs(self, end: int, learned: float) -> tuple[list[float], list[float]]:
        """The cost of every cell ``0:at`` (as ``suffix_costs`` counts it, without
        paragraphs) and the width of its last line, for every ``at`` in ``1..end - 1`` (at
        index ``at``), in one pass: each cell's lines are the previous cell's with one piece
        more, and the costs of its finished lines add up in the order ``_fill`` adds them,
        so the sums are the same to the last bit."""
        costs = [0.0] * end
        last_widths = [0.0] * end
        finished: list[float] = []  # widths of the lines before the one under way
        line = own = 0.0  # the line under way; the widest line so far
        against_learned = against_own = 0.0  # fill costs of the finished lines
        for index in range(end - 1):
            width = self.width[index]
            if index and self.same[index]:
                line = line + 0.5 + width
                done = False
            else:
                if index:
                    finished.append(line)
                    if learned:
                        against_learned = _add_fill(against_learned, line, learned)
                line = width
                done = bool(index)
            if line > own or not index:
                own = line  # every finished line is measured anew against the new widest
                against_own = 0.0
                for finished_width in finished:
                    against_own = _add_shortfall(against_own, finished_width, own)
            elif done:
                against_own = _add_shortfall(against_own, finished[-1], own)
            if learned:
                cost = against_learned
                over = line - learned - WRAP_SLACK
                if over > 0:
                    cost += overflow_penalty(over)
                elif over > -WRAP_SLACK:
                    cost += NEAR_OVERFLOW * (WRAP_SLACK + over)
                if finished:
                    cost += OWN_WIDTH_WEIGHT * against_own
            else:
                cost = against_own
            if self.net[index + 1] is not self.net[0]:  # else no bracket so far: adds 0
                cost += BRACKET_WEIGHT * self.unbalanced(0, index + 1)
            costs[index + 1] = cost
            last_widths[index + 1] = line
        return costs, last_widths

    def suffix_costs(self, end: int, learned: float, *, paragraphs: bool = False) -> list[float]:
        """The cost of every cell ``at:end`` (``at`` in ``1..end - 1``, at index ``at``): how
        its lines fill the learned width, or the cell's own widest line when the width is not
        known yet (a wrapped cell's lines are as wide as its widest); plus brackets left
        open. What does not depend on the width is kept for the layout's second pass."""
        shapes = self._suffixes.get((end, paragraphs))
        if shapes is None:
            shapes = self._suffixes[end, paragraphs] = self._suffix_shapes(end, paragraphs)
        costs = [0.0] * end
        for at in range(1, end):
            lines, own_fill, brackets = shapes[at]
            if learned:
                cost = self._fill(lines, learned, paragraphs)
                if len(lines) > 1:
                    cost += OWN_WIDTH_WEIGHT * own_fill
            else:
                cost = own_fill
            costs[at] = cost + brackets
        return costs

    def _suffix_shapes(self, end: int, paragraphs: bool) -> list[_Shape]:
        """(lines, fill cost against the widest line, bracket cost) of every cell ``at:end``.
        Its lines are those of ``0:end`` from the one ``at`` is in, that one measured from
        ``at`` (as ``lines(at, end)`` measures it)."""
        whole = self.lines(0, end)
        widest = [width for width, _ in whole]  # the widest line from each line on
        for number in range(len(whole) - 2, -1, -1):
            widest[number] = max(widest[number], widest[number + 1])
        shapes: list[_Shape] = [([], 0.0, 0.0)] * end
        number = len(whole) - 1  # the line piece ``at`` is in
        for at in range(end - 1, 0, -1):
            while number and whole[number - 1][1] >= at:
                number -= 1
            last = whole[number][1]
            if self.same[at]:  # ``at`` is inside its line: the cell's first line starts here
                first = self.width[at]
                for index in range(at + 1, last + 1):
                    first = first + 0.5 + self.width[index]
            else:
                first = whole[number][0]
            lines = [(first, last), *whole[number + 1:]]
            own = max(first, widest[number + 1]) if number + 1 < len(whole) else first
            fill = self._fill(lines, own, True) if paragraphs else _shortfalls(lines, own)
            brackets = (0.0 if self.net[at] is self.net[end]
                        else BRACKET_WEIGHT * self.unbalanced(at, end))
            shapes[at] = (lines, fill, brackets)
        return shapes


_Shape = tuple[list[tuple[float, int]], float, float]


def _shortfalls(lines: Sequence[tuple[float, int]], own: float) -> float:
    """``Run._fill`` against the cell's own widest line, outside paragraphs: no line is wider
    than that, so only the shortfalls of the lines but the last add up."""
    cost = 0.0
    full = own - WRAP_SLACK
    divisor = max(own, 1.0)  # shortfall_penalty inlined: the hot loop
    for width, _ in lines[:-1]:
        if width < full:
            cost += min((full - width) / divisor * SHORTFALL_SCALE, SHORTFALL_CAP)
    return cost


def _add_shortfall(cost: float, width: float, column: float) -> float:
    """``cost`` plus ``shortfall_cost(width, column)`` (inlined: this is the hot loop)."""
    short = column - WRAP_SLACK - width
    return cost + shortfall_penalty(short, column) if short > 0 else cost


def _add_fill(cost: float, width: float, column: float) -> float:
    """``cost`` plus the overflow, then the shortfall, of a line that is not a cell's last."""
    over = width - column - WRAP_SLACK
    if over > 0:
        cost += overflow_penalty(over)
    elif over > -WRAP_SLACK:
        cost += NEAR_OVERFLOW * (WRAP_SLACK + over)
    return _add_shortfall(cost, width, column)


@dataclass(slots=True)
class Cut:
    at: int  # index of the first piece of the second cell
    score: float
    margin: float  # how much better than the next-best cut: confidence


def best_cut(scores: Sequence[tuple[int, float]]) -> Cut:
    ranked = sorted(scores, key=lambda s: -s[1])
    margin = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else 99.0
    return Cut(ranked[0][0], ranked[0][1], margin)


@lru_cache(maxsize=64)
def _listing_re(places: tuple[str, ...]) -> re.Pattern[str]:
    """Text that lists departments: ``…局、伽师县…``, ``…哈密市生态环境局``."""
    named = "|".join(places) or "(?!)"
    return re.compile(rf"[{DEPT_SUFFIXES}][、，,](市|县)|[局委办室院][、，,]?({named})"
                      rf"|({named})[^，。；、]{{0,12}}[局委办室院]$")


_ENDS_WITH_OFFICE_RE = re.compile(r"(?:[市县州区旗盟师]|国家)[^，。；、,;：:（）()]{1,10}[局委办]$")


def _first_name_unended(run: Run, end: int, places: Sequence[str]) -> list[bool]:
    """For each ``at`` below ``end``: whether a department cell ``at:end`` would open with text
    that ends no department before a line opening one (``区管控工作`` over ``市交通运输局``,
    see ``opens_after_no_department``) or before a comma (``区企业、``). Only the cell's first
    name is read (a list goes on past its first office or comma, as the seeds'
    ``州生态环境伊宁市分局`` does)."""
    marks = run.departments(places)
    ends, opens_next = marks.ends, marks.opens_next
    out = [False] * end
    for at in range(end - 1, 0, -1):
        ending = ends[at]
        if ending is not None:
            out[at] = ending
        elif at + 1 < end:
            out[at] = out[at + 1] or opens_next[at]
    return out


def cut_name_departments(run: Run, end: int, widths: Widths, places: Sequence[str]) -> Cut:
    """Where the name cell ends and the department cell begins in the narrow lines before
    ``end`` (both narrow columns)."""
    pieces = run.pieces
    unended = _first_name_unended(run, end, places)
    ends_department = looks_like_department_end(pieces[end - 1].text)
    scores = []
    name_costs, _ = run.prefix_costs(end, widths.name)
    department_costs = run.suffix_costs(end, widths.departments)
    marks = run.departments(places)
    words = run.name_words(end, places)
    for at in range(1, end):
        # (the terms are added in the order they always were: the sums stay bit for bit)
        score = words.opening[at]
        score -= name_costs[at]
        score -= department_costs[at]
        if words.closing[at]:
            score -= CLOSING_START
        strength = marks.strength[at]
        score += strength
        if unended[at] and strength < 1.5:
            # the text before that line is the name's last (a name opened surely by a place
            # or 中国 may hold another's: 中国人民政治协商会议伽师县委员会办公室)
            score -= UNENDED_DEPARTMENT
        if ends_department:
            score += 1.0
        if pieces[at - 1].text[-1] in "、，,":
            score -= LIST_COMMA_END
        scores.append((at, score))
    return best_cut(scores)


# How a way of working opens (``由市人社局负责…``, ``不再…``): never a department's name,
# however its wrapped first line ends (``…进行`` ends like ``银行``).
METHOD_OPENING_RE = re.compile(r"^(?:由|不再|取消)")
# How a receiver's cell opens: its labels, or its way of working.
RECEIVER_START_RE = re.compile(r"^(承接|工作方式|不再|取消|由)")
# A receiver cell that names its department first (``承接部门：…``) opens there beyond doubt
# (``承接方式：`` goes on inside a cell, after the department); ``由…`` or
# ``不再…`` may as well go on a name's sentence.
_RECEIVER_LABEL_RE = re.compile(r"^(?:承接部门|承接单位)\s*[：:]")


def department_count(pieces: Sequence[Piece], places: Sequence[str]) -> int:
    """How many of a receiver's first pieces are its department, printed in a column of its
    own before the way of working: the first lines (at most three, or eight of a list of
    departments) that end a department's name; 0 if none do (``不再开展此项工作``)."""
    if pieces and METHOD_OPENING_RE.match(pieces[0].text):
        return 0
    text = ""
    found = 0
    for count, piece in enumerate(pieces[:8], start=1):
        if count > 1 and piece.gap == GAP_SAME and not text:
            break
        if count > 3 and not opens_department_listing(text, places):
            break  # past three lines only a list of departments goes on (``…、伽``)
        text += piece.text
        if any(c in text for c in "，。；：,;:") or count == len(pieces):
            break
        if looks_like_department_end(text) and text[-1] not in "、，,":  # a list goes on
            following = pieces[count].text
            tail = following.split("、", 1)[0]
            if ("、" in text and len(tail) <= 4 and looks_like_department_end(tail)
                    and not looks_like_department_start(tail, places)):
                continue  # the name goes on below (``…卫生健康委`` over ``员会、…``)
            if "、" not in text or not (is_department_line(following, places)
                                        or opens_department_listing(following, places)):
                return count
            # a list of departments whose line ended with a whole name goes on below
            # (``…生态环境局`` over ``伽师县分局、伽师县交通运输局…``): at least this far
            found = count
    return found


@dataclass(slots=True)
class ReceiverWords:
    """What the words of a run say of a reclaimed row's receiver cell opening at each piece
    ``at``, whatever the columns' widths (``receiver_words``)."""

    bonus: list[float]  # the boundary's own bonus
    rest: list[int]  # where the receiver's width is measured from (past its department)
    # the words' evidence, term by term in the order cut_name_receiver adds them after the
    # costs (one at a time: the sums stay bit for bit what they were before this was cached)
    after: list[tuple[float, ...]]
    opens: list[bool]  # opens a receiver or names a department: its line is no name's


def receiver_words(run: Run, places: Sequence[str], split: bool) -> ReceiverWords:
    """``ReceiverWords`` of a run, read once and kept on it: both passes of a reclaimed list
    cut it."""
    if run._receiver is not None:
        return run._receiver
    pieces = run.pieces
    opener = [bool(RECEIVER_START_RE.match(p.text)) for p in pieces]
    department = [is_department_line(p.text, places) or opens_department_listing(p.text, places)
                  for p in pieces]
    # a department's name heading its line (``县民政局：负责…``), as a receiver cell opens
    heads = [re.split("[：:]", p.text)[0] for p in pieces]
    headed = [head != p.text and is_department_line(head, places)
              for head, p in zip(heads, pieces, strict=True)]
    # a receiver cell that labels its department opens with the label: text before it is
    # the name's (``理`` over ``由未依照规定…``, then ``承接部门：``)
    labelled = next((at for at in range(1, len(pieces))
                     if opener[at] and _RECEIVER_LABEL_RE.match(pieces[at].text)), 0)
    words = ReceiverWords([], [], [], [])
    inside = 0  # receiver-opening lines inside the name so far (after its first line)
    for at in range(len(pieces)):
        if at == 0:  # no cut before the first piece: a place holder
            words.bonus.append(0.0)
            words.rest.append(0)
            words.after.append(())
            words.opens.append(False)
            continue
        if at > 1:
            inside += opener[at - 1] or department[at - 1] or headed[at - 1]
        words.bonus.append(_boundary_bonus(pieces[at]))
        # (department_count reads nine pieces at most: a slice that long, not the rest)
        count = department_count(pieces[at:at + 9], places) if split else 0
        words.rest.append(at + count)
        after: list[float] = []
        first = pieces[at].text
        if first[0] in CLOSING or inside_word(pieces[at - 1].text, first):
            after.append(-CLOSING_START)
        head = heads[at]
        if opener[at]:
            after.append(5.0 if _RECEIVER_LABEL_RE.match(first) else 2.0)
        elif department[at] or headed[at]:
            after.append(3.0)  # a department's name, alone or heading its line (``县民政局：``)
        elif looks_like_department_start(first, places) or (
                head != first and looks_like_department_end(head)):
            after.append(1.0)
        if pieces[at - 1].text[-1] in "、，,":
            after.append(-LIST_COMMA_END)
        after.append(-3.0 * inside)  # what opens a receiver cell does not stand inside a name
        if at < labelled:
            after.append(-3.0)  # nor before its label inside the receiver's cell
        words.after.append(tuple(after))
        words.opens.append(opener[at] or department[at] or headed[at])
    run._receiver = words
    return words


def cut_name_receiver(run: Run, widths: Widths, places: Sequence[str], *,
                      split: bool = False) -> Cut:
    """Where the name of a reclaimed matter ends and the receiving department's cell begins.
    With ``split`` the receiver is two columns (承接部门 | 工作方式): its department's lines,
    read by their words, are not measured against the way of working's width."""
    pieces = run.pieces
    words = receiver_words(run, places, split)
    scores = []
    name_costs, name_last_widths = run.prefix_costs(len(pieces), widths.name)
    receiver_costs = run.suffix_costs(len(pieces), widths.receiver, paragraphs=True)
    for at in range(1, len(pieces)):
        score = words.bonus[at] - name_costs[at]
        rest = words.rest[at]
        if rest != at:
            score -= receiver_costs[rest] if rest < len(pieces) else 0.0
        else:
            score -= receiver_costs[at]
        for term in words.after[at]:
            score += term
        if widths.name and not words.opens[at] and name_last_widths[at] >= widths.name - 1:
            score -= 1.5  # the name's last line is full: the name runs on
        scores.append((at, score))
    return best_cut(scores)


# --- the two duty cells of a cooperative row ---------------------------------------------

@dataclass(slots=True)
class Paragraph:
    pieces: list[Piece]
    number: int | None = None  # step number ``3.``
    ordinal: int | None = None  # Chinese heading number ``三、``
    heading: bool = False  # introduces what follows (``考核：``, a department's name)
    loose_number: int | None = None  # ``4市供电公司…``: a number whose dot was lost
    text: str = ""
    widths: list[float] = field(default_factory=list)  # its lines' widths
    # its lines' widths as they weigh against the column: trailing punctuation may hang
    # into the margin (Chinese typesetting allows it), a character may not
    reach: list[float] = field(default_factory=list)
    department_heading: bool = False  # ``市农业农村局：``: a department's duties follow
    column_change: bool = False  # begins where the text went on in a narrower column
    brackets: bool = False  # prints a bracket or a quote


def paragraphs_of(pieces: Sequence[Piece], *, page_ends: bool = False) -> list[Paragraph]:
    """Split a duty region into paragraphs wherever one may start: a numbered step, a
    heading, a label, after a heading or a sentence's end, after a line that did not fill its
    paragraph, and before a short line that does not end its paragraph (the text went on in a
    narrower column: the next cell).

    Generous on purpose: every paragraph start is a candidate for the cell boundary, and the
    scoring rejects the ones that are not. With ``page_ends`` the pieces stop at a page break
    that cut the cells: their last lines are full unless their cell ended.
    """
    widest = max((p.width for p in pieces), default=1.0)
    numbers = [step_number(p.text) for p in pieces]
    ordinals = [ordinal_number(p.text) for p in pieces]
    numbered = [n is not None or o is not None for n, o in zip(numbers, ordinals, strict=True)]
    paragraphs: list[Paragraph] = []
    starts: list[int] = []  # the index of each paragraph's first piece
    filled = 0.0  # the width of the current paragraph's wrapped lines
    narrower = False
    for index, piece in enumerate(pieces):
        previous = pieces[index - 1] if index else None
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        text = piece.text
        new = (previous is None or piece.cut_before or piece.gap == GAP_SAME
               or numbered[index] or previous.text[-1] in ENDS_PARAGRAPH)
        if not new and previous is not None:
            lines = len(paragraphs[-1].pieces)
            if lines > 1:
                short = previous.width < filled - PARAGRAPH_SLACK
            else:  # one line so far: it ended if it was a heading without its colon
                short = DEPARTMENT_NAME_RE.match(previous.text) is not None
            # a label (``伊吾县公安局：``) under a line that is clearly short, where the width of
            # the paragraph is not known yet; otherwise it is the wrapped text's accident
            new = short or (lines == 1 and LABEL_RE.match(text) is not None
                            and previous.width < 0.6 * widest)
            # the text runs on from a full line into a narrower one: not the same column, so
            # the next cell. Before a page break that cut the cells, that is how the next cell
            # starts; elsewhere a cell ends with its sentence, and the check is only a hint.
            runs_on = (piece.width < filled - PARAGRAPH_SLACK
                       and ((following is None and page_ends)
                            or (following is not None and following.gap != GAP_SAME))
                       and text[-1] not in ENDS_PARAGRAPH
                       and (following is None or not numbered[index + 1]))
            narrower = page_ends and not new and runs_on
            # before a page break that cut the cells: a heading under a full line (unless it
            # ends a heading begun above), or the last line narrower than its paragraph — the
            # wrapped end of the paragraph, or the next cell's start (the scoring decides)
            maybe = page_ends and (
                (is_heading_line(text) and not _ends_heading(paragraphs[-1].pieces, text)
                 and piece.width < previous.width - PARAGRAPH_SLACK)
                or (following is None and piece.width < filled - PARAGRAPH_SLACK))
            new = new or narrower or runs_on or maybe
        if new:
            paragraphs.append(Paragraph([piece], column_change=narrower))
            starts.append(index)
            filled = 0.0
        else:
            paragraphs[-1].pieces.append(piece)
        filled = max(filled, piece.width)
        narrower = False
    for paragraph, start in zip(paragraphs, starts, strict=True):
        first = paragraph.pieces[0].text
        # A piece sharing its line with another starts a paragraph (above), so a paragraph's
        # pieces are its lines: its text is theirs joined, its line widths theirs.
        paragraph.text = "".join([piece.text for piece in paragraph.pieces])
        paragraph.widths = [piece.width for piece in paragraph.pieces]
        paragraph.reach = [piece.width + (0.0 if piece.text[-1] in CLOSING else 0.5)
                           for piece in paragraph.pieces]
        paragraph.brackets = BRACKETS_RE.search(paragraph.text) is not None
        paragraph.number = numbers[start]
        paragraph.ordinal = ordinals[start]
        single = len(paragraph.pieces) == 1
        paragraph.heading = paragraph.ordinal is not None or is_heading_line(
            paragraph.text) or (single and DEPARTMENT_NAME_RE.match(first) is not None)
        if paragraph.number is None and (loose := STEP_NO_DOT_RE.match(first)):
            paragraph.loose_number = int(loose.group(1))
        head = paragraph.text.rstrip("：:")
        paragraph.department_heading = (paragraph.heading and head != paragraph.text
                                        and looks_like_department_end(head)) or (
            # a department's label with its duties after it on the line (``师市党委组织部：
            # 负责牵头…``): its section of a cell set out department by department
            not paragraph.heading and ("：" in first or ":" in first)
            and (label := LABEL_RE.match(first)) is not None
            and looks_like_department_end(label.group()[:-1]))
    return paragraphs


def _ends_heading(so_far: Sequence[Piece], text: str) -> bool:
    """Whether ``text`` ends a heading begun by the paragraph so far."""
    begun = join_pieces(so_far)
    return step_number(begun) is None and is_heading_line(begun + text)


def _sequence_cost(cell: Sequence[Paragraph]) -> float:
    """How badly a cell's paragraphs hang together: numbering that does not run 1, 2, 3…
    (restarting only right after a heading), a heading with nothing after it, a second
    unheaded paragraph in a cell organised by headings all suggest two cells in one."""
    cost = 0.0
    expected = 1
    expected_ordinal = 1
    fresh = True  # a numbering may (re)start here: the cell's start, right after a heading
    numbered = False  # steps were numbered outside any Chinese-numbered section
    headed = any(p.heading for p in cell)
    for index, paragraph in enumerate(cell):
        if index and paragraph.column_change:
            cost += 3.0  # one cell's lines do not change width
        number = paragraph.number
        if (number is None and not paragraph.heading and expected > 1
                and paragraph.loose_number == expected):
            number = expected  # ``4市供电公司…``: a step whose dot was lost
        if paragraph.ordinal is not None:
            if paragraph.ordinal != expected_ordinal:
                cost += 3.0 if paragraph.ordinal == 1 else 1.5
            elif paragraph.ordinal == 1 and numbered:
                cost += 2.0  # ``（一）`` after plain ``1. 2. 3.``: another cell's outline
            expected_ordinal = paragraph.ordinal + 1
            expected, fresh = 1, True
        elif number is not None:
            if number == 1:
                cost += 0.0 if fresh else 3.0
            elif fresh:
                cost += 3.0  # a numbering that starts at 2, 3…
            elif number != expected:
                cost += 0.5 if expected < number <= expected + 1 else 2.0
            expected, fresh = number + 1, False
            numbered = numbered or expected_ordinal == 1
        elif paragraph.heading:
            if index and paragraph.department_heading and cell[index - 1].department_heading:
                cost += 2.0  # a department's heading with no duties under it
            expected, fresh = 1, True
        else:
            previous = cell[index - 1] if index else None
            if previous is not None and previous.number is not None:
                cost += 0.3  # a step's second paragraph, or a stray one
            elif headed and previous is not None and not previous.heading:
                cost += 0.5  # a heading's body has one paragraph
            fresh = False
        if paragraph.text[-1] in "：:":  # ends by introducing what follows, as a heading does
            expected, fresh = 1, True
    if cell[-1].heading:
        cost += 3.0
    return cost


def _cell_unbalanced(cell: Sequence[Paragraph]) -> int:
    """Brackets and quotes left open (or closed unopened) in a cell of paragraphs."""
    if not any(p.brackets for p in cell):
        return 0
    return unbalanced("".join(p.text for p in cell))


def _widths_cost(cell: Sequence[Paragraph]) -> tuple[float, float]:
    """(cost, width) of a duty cell: its wrap width is its widest wrapped line; wrapped lines
    much shorter than that, or unwrapped lines wider, belong to a column of another width."""
    wrapped = [w for p in cell for w in p.widths[:-1]]
    column = max(wrapped) if wrapped else max(w for p in cell for w in p.widths)
    # shortfall_cost(w, column, DUTY_SLACK) and overflow_cost inlined (adding the zero terms
    # changes no sum): this runs for every candidate cut of every cooperative row
    cost = 0.0
    for width in wrapped:
        short = column - DUTY_SLACK - width
        if short > 0:
            cost += shortfall_penalty(short, column)
    over = 0.0
    for paragraph in cell:
        for width in paragraph.reach:
            gap = width - column - WRAP_SLACK
            if gap > 0:
                over += overflow_penalty(gap)
    return cost + over, column


def _duty_cut_score(upper: Sequence[Paragraph], township: Sequence[Paragraph],
                    township_first: bool = False) -> float:
    """How well a cut reads: ``upper`` the cell printed first, ``township`` the second (the
    township's printed first where ``township_first``)."""
    first = township[0]
    score = _boundary_bonus(first.pieces[0]) * 0.5
    if first.number == 1:
        score += 3.0
    elif first.number is not None:
        score -= 3.0
    if first.ordinal == 1 and upper[0].ordinal == 1:
        score += 3.0
    if (first.heading or first.ordinal) and first.text == upper[0].text:
        score += 4.0
    score -= _sequence_cost(upper) + _sequence_cost(township)
    # the township's own duties are not set out department by department
    score -= 1.5 * sum(1 for p in (upper if township_first else township)
                       if p.department_heading)
    score -= BRACKET_WEIGHT * (_cell_unbalanced(upper) + _cell_unbalanced(township))
    upper_cost, upper_width = _widths_cost(upper)
    township_cost, _ = _widths_cost(township)
    score -= upper_cost + township_cost
    last = upper[-1]
    if (first.number is None and not first.heading and last.text[-1] not in TERMINAL
            and last.widths[-1] >= upper_width - 1):
        score -= 1.0  # a full line that does not end a sentence runs on
    if not last.heading and last.text[-1] in _OPEN_ENDS:
        score -= OPEN_DUTY_END  # a step with more after it, a label before its text
    return score


_OPEN_ENDS = "；;：:"


def _continuation_cost(on_first: Sequence[Paragraph], on_next: Sequence[Paragraph]) -> float:
    """A cell that stops mid-sentence at a page break goes on at the top of the next page
    with the rest of that sentence; one whose sentence ended may go on with a new paragraph;
    a heading goes on with its body, whatever it looks like."""
    if not on_first:
        return 0.0
    last = on_first[-1].text[-1]
    if last in "：:":
        return 0.0
    ended = last in TERMINAL
    if not on_next:
        return 0.0 if ended else 3.0
    opens = on_next[0].number is not None or on_next[0].heading
    if ended:
        return 0.0 if opens else 0.5
    return 1.5 if opens else 0.0


def _cut_points(paragraphs: Sequence[Paragraph], *, first_part: bool) -> list[int]:
    """Where the township's cell may begin in one page's paragraphs (their count: not on
    this page). A cell never starts at step 2, 3…, so only other paragraphs are scored; a
    continuation marker forces the cut."""
    forced = [i for i in range(1, len(paragraphs)) if paragraphs[i].pieces[0].cut_before]
    if forced:
        return forced[:1]
    if not first_part:  # on a later page either cell may go on at any step
        return list(range(len(paragraphs) + 1))
    points = [i for i in range(1, len(paragraphs)) if paragraphs[i].number in (None, 1)]
    return [*points, len(paragraphs)]


_SEARCH_BUDGET = 400_000  # paragraphs scored, summed over the cut pairs tried, per row


def _thinned(cuts: list[int], most: int) -> list[int]:
    """At most ``most`` of ``cuts``, evenly spread, the first and last kept."""
    if len(cuts) <= most:
        return cuts
    step = len(cuts) / max(most - 1, 1)
    return sorted({cuts[min(int(i * step), len(cuts) - 1)] for i in range(most)} | {cuts[-1]})


def split_duties(pieces: Sequence[Piece], township_first: bool = False) -> list[bool]:
    """Split the two duty cells of a cooperative row, the department's printed before the
    township's (the other way round where ``township_first``): which pieces are the second
    cell's.

    The duty columns are wide, so a dump never prints both on one line: a space inside a
    line (``市科技局： 1.加强…``) is the cell's own text, and the line is cut as one piece.
    """
    if not any(index and piece.gap == GAP_SAME for index, piece in enumerate(pieces)):
        return _split_duty_lines(pieces, township_first)
    groups = lines_of(pieces)
    lines = [Piece(group[0].line, join_pieces(group), group[0].gap, group[0].sep,
                   group[0].cut_before) for group in groups]
    return [flag for group, flag in zip(groups, _split_duty_lines(lines, township_first),
                                        strict=True)
            for _ in group]


def _split_duty_lines(pieces: Sequence[Piece], township_first: bool = False) -> list[bool]:
    """``split_duties`` for pieces that are whole lines.

    A row that runs on past a page break (the column header printed in between, no repeat of
    the row) prints the rest of both cells after it: each page's part is cut in two.
    """
    parts: list[list[Piece]] = [[]]
    for index, piece in enumerate(pieces):
        if index and piece.gap == GAP_PAGE:
            parts.append([])
        parts[-1].append(piece)
    paragraphs = [paragraphs_of(part, page_ends=index + 1 < len(parts))
                  for index, part in enumerate(parts[:2])]
    if len(parts) > 2:  # more pages: the later ones go on with the township's cell
        paragraphs[1] = paragraphs_of([p for part in parts[1:] for p in part])
    if sum(len(p) for p in paragraphs) < 2:
        return [False] * len(pieces)
    first_cuts = _cut_points(paragraphs[0], first_part=True)
    later_cuts = _cut_points(paragraphs[1], first_part=False) if len(paragraphs) > 1 else [0]
    before, after = paragraphs[0], paragraphs[1] if len(paragraphs) > 1 else []

    def best_of(pairs: Iterable[tuple[int, int]]) -> tuple[float, tuple[int, int]] | None:
        best: tuple[float, tuple[int, int]] | None = None
        for first, later in pairs:
            upper, township = before[:first] + after[:later], before[first:] + after[later:]
            if not upper or not township:
                continue
            score = _duty_cut_score(upper, township, township_first)
            if after:
                score -= _continuation_cost(before[:first], after[:later])
                score -= _continuation_cost(before[first:], after[later:])
            if best is None or score > best[0]:
                best = (score, (first, later))
        return best

    # Every pair of cuts costs the whole region: real rows have a few dozen paragraphs, but
    # text that is no table (a row run on over pages of other rows) can have thousands.
    size = len(before) + len(after)
    if len(first_cuts) * len(later_cuts) * size <= _SEARCH_BUDGET:
        best = best_of((f, la) for f in first_cuts for la in later_cuts)
    else:  # the first page's cut with the later page's at either end, then the later cut
        first_cuts = _thinned(first_cuts, _SEARCH_BUDGET // (4 * size) + 1)
        later_cuts = _thinned(later_cuts, _SEARCH_BUDGET // (2 * size) + 1)
        ends = {later_cuts[0], later_cuts[-1]}
        best = best_of((f, la) for f in first_cuts for la in sorted(ends))
        if best is not None:
            best = best_of((best[1][0], la) for la in later_cuts) or best
    if best is None:
        return [False] * len(pieces)
    flags: list[bool] = []
    for part, cut in zip(paragraphs, best[1], strict=False):
        for number, paragraph in enumerate(part):
            flags += [number >= cut] * len(paragraph.pieces)
    return flags
