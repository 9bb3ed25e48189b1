"""The plain-text layout's shortcuts give the very numbers of the plain computation.

Cutting a row tries every boundary; the costs of all the first cells (``0:at``) of a run are
worked out in one pass (``Run.prefix_costs``), those of all the second cells (``at:end``) from
the run's lines (``Run.suffix_costs``), instead of one cell at a time. The cut is the best
score and its margin over the next, so a difference in the last bit of a float could change a
cut: they must agree with the plain computation exactly, not approximately.
"""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from lvzhi.extractors._layout_evidence import (
    GAP_PAGE,
    GAP_SAME,
    Piece,
    overflow_cost,
    shortfall_cost,
    split_pieces,
    starts_paragraph,
)
from lvzhi.extractors._row_reading import (
    Run,
    department_count,
)

TEXTS = st.text(alphabet="党的建设乡镇县市局（）()“”《》、，。：:1.abc", min_size=1, max_size=14)
PIECES = st.lists(st.tuples(TEXTS, st.integers(GAP_SAME, GAP_PAGE)), min_size=2, max_size=30)
LEARNED = st.sampled_from([0.0, 0.5, 3.0, 5.5, 8.0, 12.5])


def reference_cost(run: Run, start: int, end: int, learned: float, paragraphs: bool) -> float:
    """A cell's cost as first written: its lines, then line by line through the named cost
    functions."""
    lines = run.lines(start, end)

    def fill(column: float) -> float:
        cost = 0.0
        for number, (width, last) in enumerate(lines):
            cost += overflow_cost(width, column)
            if number < len(lines) - 1 and not (paragraphs and (
                    starts_paragraph(run.pieces[last + 1].text)
                    or run.pieces[last].text[-1] in "：:")):
                cost += shortfall_cost(width, column)
        return cost

    own = max(width for width, _ in lines)
    cost = fill(learned or own)
    if learned and len(lines) > 1:
        cost += 0.5 * fill(own)
    return cost + 1.5 * run.unbalanced(start, end)


@settings(max_examples=300, deadline=None)
@given(PIECES, LEARNED)
def test_prefix_costs_are_the_costs_of_each_name_cell(specs, learned):
    run = Run([Piece(line, text, gap) for line, (text, gap) in enumerate(specs, 1)])
    end = len(specs)
    costs, last_widths = run.prefix_costs(end, learned)
    for at in range(1, end):
        assert costs[at] == reference_cost(run, 0, at, learned, False)
        assert last_widths[at] == run.lines(0, at)[-1][0]


@settings(max_examples=300, deadline=None)
@given(PIECES, LEARNED, st.booleans())
def test_suffix_costs_are_the_costs_of_each_second_cell(specs, learned, paragraphs):
    run = Run([Piece(line, text, gap) for line, (text, gap) in enumerate(specs, 1)])
    for end in range(2, len(specs) + 1):
        run.suffix_costs(end, 0.0, paragraphs=paragraphs)  # the first pass, its shapes kept
        costs = run.suffix_costs(end, learned, paragraphs=paragraphs)
        for at in range(1, end):
            assert costs[at] == reference_cost(run, at, end, learned, paragraphs)


def test_every_whitespace_character_separates_pieces():
    """Splitting a line skips the regex for lines without an ASCII space that print whole:
    every other whitespace character is unprintable, so none is missed."""
    whitespace = [chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\s", chr(c))]
    for space in whitespace:
        pieces = split_pieces(f"党建{space}设施", 1, GAP_PAGE)
        assert [p.text for p in pieces] == ["党建", "设施"], repr(space)


def test_a_list_of_departments_wrapped_inside_a_name_goes_on():
    """A receiver's department column (``承接部门 | 工作方式``) listing long-named departments:
    a line ending ``卫生健康委`` reads as an office's end (县发改委), but the next line opens
    ``员会、``, the rest of that name; the list goes on to its last office."""
    places = ("焉耆回族自治县", "巴音郭楞蒙古自治州", "焉耆回族自治", "巴音郭楞蒙古自治")
    lines = ["焉耆回族自治县应急管理局、焉耆回族自治县公安",
             "局、焉耆回族自治县市场监督管理局、巴音郭楞蒙",
             "古自治州生态环境局焉耆回族自治县分局、焉耆回",
             "族自治县交通运输局、焉耆回族自治县卫生健康委",
             "员会、焉耆回族自治县消防救援局", "1.焉耆回族自治县应急管理局负责本行政区域",
             "加油站危险化学品、设备设施安全监督管理综"]
    pieces = [Piece(number, text, 1) for number, text in enumerate(lines, 1)]
    assert department_count(pieces, places) == 5
    # an office's whole name at a line's end, the next line a step: the list ends there
    assert department_count([*pieces[:1], Piece(2, "局", 1), *pieces[5:]], places) == 2
