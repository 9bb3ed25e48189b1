"""Numbering formulas worked out where a workbook saved no value (lvzhi.extractors._formulas)."""

from __future__ import annotations

import pytest

from lvzhi.extractors._formulas import Unsupported, evaluate

CELLS = {(3, 1): 1.0, (4, 1): 2.0, (3, 2): "甲", (4, 2): "乙", (5, 2): "", (3, 3): "7"}


def lookup(row: int, column: int) -> object:
    return CELLS.get((row, column))


@pytest.mark.parametrize(("formula", "value"), [
    ("=ROW()-2", 3.0), ("=ROW( )-4+1", 2.0), ("=ROW(A1)", 1.0), ("=A4+1", 3.0),
    ("=$A$3+1", 2.0), ("=MAX($A$3:A4)+1", 3.0), ("=COUNTA($B$3:B5)", 2.0),
    ("=SUBTOTAL(103,B$3:B5)", 2.0), ("=SUBTOTAL(3, B3:B4)", 2.0), ("=COUNT(A3:A9)", 2.0),
    ("=N(A4)+1", 3.0), ("=(ROW()-1)/2", 2.0), ("=-A3+3", 2.0), ("=C3+1", 8.0),
    ("=ROWS($A$3:A5)", 3.0), ("=SUM(A3:A4)", 3.0),
])
def test_numbering_formulas(formula, value):
    assert evaluate(formula, 5, 1, lookup) == value


@pytest.mark.parametrize("formula", ['=B3&"x"', "=VLOOKUP(A3,B:C,2,0)", "=B3+1", "=1/0",
                                     "=ROW(", "=A1:A2", "=INDIRECT(\"A3\")", "=A3 A4"])
def test_anything_else_is_unsupported(formula):
    with pytest.raises(Unsupported):
        evaluate(formula, 5, 1, lookup)
