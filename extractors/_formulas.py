"""The few formulas a duty list's cells hold, worked out where the file saved no value.

Excel and WPS save each formula's value beside it, and the readers take that. A program that
writes workbooks without calculating them (openpyxl, many web systems' exports) saves the
formula alone, and a 序号 column numbered ``=ROW()-2``, ``=A5+1``, ``=MAX($A$3:A4)+1`` or
``=COUNTA($B$3:B5)`` then has no value to read. This works out such numbering formulas:
numbers, cell references, ``+ - * /``, parentheses and ROW, COLUMN, ROWS, MAX, MIN, SUM,
COUNT, COUNTA, SUBTOTAL (count, counta, max, sum) and N. Anything else is ``Unsupported``, and
the reader says the cell could not be read rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN_RE = re.compile(r"\s*(?:(?P<ref>\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)"
                       r"|(?P<number>\d+(?:\.\d+)?)|(?P<name>[A-Z][A-Z0-9.]*)(?=\s*\()"
                       r"|(?P<op>[-+*/(),]))")
_REF_RE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
# Cells in a range beyond this: not a numbering formula (and not worth the time).
_MAX_RANGE = 100_000


class Unsupported(ValueError):
    """A formula outside what this module works out."""


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _ref(text: str) -> tuple[int, int]:
    match = _REF_RE.fullmatch(text)
    if match is None:
        raise Unsupported(text)
    return int(match.group(2)), column_number(match.group(1))


Lookup = Callable[[int, int], object]


class _Range:
    def __init__(self, text: str) -> None:
        first, _, last = text.partition(":")
        (self.top, self.left), (self.bottom, self.right) = _ref(first), _ref(last or first)
        if (self.bottom - self.top + 1) * (self.right - self.left + 1) > _MAX_RANGE:
            raise Unsupported(text)

    def values(self, lookup: Lookup) -> list[object]:
        return [lookup(r, c) for r in range(self.top, self.bottom + 1)
                for c in range(self.left, self.right + 1)]


def _number(value: object) -> float:
    if isinstance(value, _Range):
        raise Unsupported("a range where a number is wanted")
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    try:  # text of a number counts as the number, as Excel takes it
        return float(str(value).strip())
    except ValueError:
        raise Unsupported(f"text {value!r} in arithmetic") from None


def _numbers(args: list[object], lookup: Lookup) -> list[float]:
    out: list[float] = []
    for arg in args:
        for value in arg.values(lookup) if isinstance(arg, _Range) else [arg]:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out.append(float(value))
    return out


def _counta(args: list[object], lookup: Lookup) -> float:
    return float(sum(1 for arg in args
                     for value in (arg.values(lookup) if isinstance(arg, _Range) else [arg])
                     if value not in (None, "")))


_SUBTOTAL = {2: "COUNT", 3: "COUNTA", 4: "MAX", 5: "MIN", 9: "SUM"}


def _call(name: str, args: list[object], row: int, column: int, lookup: Lookup) -> float:
    if name in ("ROW", "COLUMN"):
        if not args:
            return float(row if name == "ROW" else column)
        if len(args) != 1 or not isinstance(args[0], _Range):
            raise Unsupported(name)
        return float(args[0].top if name == "ROW" else args[0].left)
    if name == "ROWS" and len(args) == 1 and isinstance(args[0], _Range):
        return float(args[0].bottom - args[0].top + 1)
    if name == "N" and len(args) == 1:
        value = args[0].values(lookup)[0] if isinstance(args[0], _Range) else args[0]
        return float(value) if isinstance(value, (int, float)) else 0.0
    if name == "SUBTOTAL" and args:
        kind = int(_number(args[0])) % 100
        if kind not in _SUBTOTAL:
            raise Unsupported(f"SUBTOTAL({kind})")
        return _call(_SUBTOTAL[kind], args[1:], row, column, lookup)
    if name == "COUNTA":
        return _counta(args, lookup)
    numbers = _numbers(args, lookup)
    if name == "COUNT":
        return float(len(numbers))
    if name == "SUM":
        return sum(numbers)
    if name in ("MAX", "MIN"):
        return (max if name == "MAX" else min)(numbers) if numbers else 0.0
    raise Unsupported(name)


def evaluate(formula: str, row: int, column: int, lookup: Lookup) -> float:
    """The value of ``formula`` (``=ROW()-2``) in the cell at ``row``, ``column`` (1-based);
    ``lookup(row, column)`` gives another cell's value. Raises ``Unsupported``."""
    text = formula[1:] if formula.startswith("=") else formula
    tokens: list[tuple[str, str]] = []
    at = 0
    text = text.strip()
    while at < len(text):
        match = _TOKEN_RE.match(text, at)
        if match is None or match.end() == at:
            raise Unsupported(formula)
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        at = match.end()
        while at < len(text) and text[at] == " ":
            at += 1
    parser = _Parser(tokens, row, column, lookup)
    value = parser.expression()
    if parser.at != len(tokens):
        raise Unsupported(formula)
    return _number(value)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], row: int, column: int,
                 lookup: Lookup) -> None:
        self.tokens, self.at = tokens, 0
        self.row, self.column, self.lookup = row, column, lookup

    def _peek(self) -> str:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else ""

    def _take(self) -> tuple[str, str]:
        if self.at >= len(self.tokens):
            raise Unsupported("unexpected end")
        self.at += 1
        return self.tokens[self.at - 1]

    def expression(self) -> object:
        value = self.term()
        while self._peek() in ("+", "-"):
            op = self._take()[1]
            right = _number(self.term())
            value = _number(value) + right if op == "+" else _number(value) - right
        return value

    def term(self) -> object:
        value = self.factor()
        while self._peek() in ("*", "/"):
            op = self._take()[1]
            right = _number(self.factor())
            if op == "/" and right == 0:
                raise Unsupported("division by zero")
            value = _number(value) * right if op == "*" else _number(value) / right
        return value

    def factor(self) -> object:
        kind, token = self._take()
        if token == "-":
            return -_number(self.factor())
        if token == "+":
            return _number(self.factor())
        if token == "(":
            value = self.expression()
            if self._take()[1] != ")":
                raise Unsupported("unbalanced parentheses")
            return value
        if kind == "number":
            return float(token)
        if kind == "ref":
            if ":" in token:
                return _Range(token)
            return self.lookup(*_ref(token))
        if kind == "name":
            self._take()  # "("
            args: list[object] = []
            if self._peek() != ")":
                args.append(self.argument())
                while self._peek() == ",":
                    self._take()
                    args.append(self.argument())
            if self._take()[1] != ")":
                raise Unsupported("unbalanced parentheses")
            return _call(token, args, self.row, self.column, self.lookup)
        raise Unsupported(token)

    def argument(self) -> object:
        kind, token = self.tokens[self.at] if self.at < len(self.tokens) else ("", "")
        following = self.tokens[self.at + 1][1] if self.at + 1 < len(self.tokens) else ""
        if kind == "ref" and following in (",", ")"):
            self.at += 1
            return _Range(token)  # a reference as an argument: a range of one or more
        return self.expression()
