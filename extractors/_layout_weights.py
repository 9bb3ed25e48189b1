"""The weights of the plain-text layout's cost model, named once, each with why its value.

Every cut the layout considers is scored as a sum of small penalties (see
``lvzhi.extractors._layout_evidence``); these are the ones that recur. A unit is "one thing a
real table plainly does not do"; the weights were tuned together against the sample lists and
the layout variants in ``tests/extractors/test_plaintext_layouts.py``, so change one only with
those tests at hand.
"""

from __future__ import annotations

# --- how a line fills its column (widths in display columns: a CJK character is 1) ---------

# a wrapped line may miss its column by one character that line-breaking rules pushed down
WRAP_SLACK = 1.0
# a line short by a quarter of its column costs 1: a short line is weak evidence alone
SHORTFALL_SCALE = 4.0
# however short, one line counts no more than one structural misfit (a bad number)
SHORTFALL_CAP = 3.0
# any line wider than its column costs at least 1: it cannot be in that column
OVERFLOW_BASE = 1.0
# but capped, so a misread width cannot outweigh every other piece of evidence
OVERFLOW_CAP = 6.0
# within the slack, a little: of two readings otherwise alike, the one that fits
NEAR_OVERFLOW = 0.25
# a cell's fit to its own widest line, next to its fit to the learned width
OWN_WIDTH_WEIGHT = 0.5
# a paragraph's full line may end this much short: a bracket or stop kept with its word
PARAGRAPH_SLACK = 2.5
# duty cells wrap by words and punctuation more loosely than narrow columns
DUTY_SLACK = 1.5

# --- other evidence -------------------------------------------------------------------------

# per bracket or quote left open: cells close what they open, but dumps drop some
BRACKET_WEIGHT = 1.5
# a continuation mark printed by the dump settles a cut beyond other evidence
CUT_MARK_BONUS = 5.0
# by GAP_SAME, GAP_LINE, GAP_BLANK, GAP_PAGE: a space on one line parts cells, a blank line often
GAP_BONUS = (2.0, 0.0, 0.5, 0.5)
# a cell does not start with closing punctuation (that hangs from the line before), nor
# inside a Latin word wrapped over two lines (``an`` over ``d``)
CLOSING_START = 3.0
# a department cell whose first line names no department before a line that opens one
# (``区管控工作`` over ``市交通运输局``): one thing a table does not print
UNENDED_DEPARTMENT = 1.0
# a line inside a name that opens a department surely (a place, 中国…, 县财政局、): names
# seldom hold one
SURE_START_INSIDE = 0.75
# a cell does not end with an enumeration comma (``、，``): the list goes on
LIST_COMMA_END = 1.5
# a department's duty cell ends its last sentence with a stop: one ending a step with ``；``,
# or with ``：`` before what follows, goes on in the cell (in the five samples 1,097 of 1,099
# duty cells end with ``。``, and 2,676 steps inside a cell with ``；``)
OPEN_DUTY_END = 1.5


def shortfall_penalty(short: float, column: float) -> float:
    """The cost of a line that should fill ``column`` falling ``short`` (> 0) of it."""
    return min(short / max(column, 1.0) * SHORTFALL_SCALE, SHORTFALL_CAP)


def overflow_penalty(over: float) -> float:
    """The cost of a line ``over`` (> 0) wider than its column and its slack."""
    return min(OVERFLOW_BASE + over, OVERFLOW_CAP)
