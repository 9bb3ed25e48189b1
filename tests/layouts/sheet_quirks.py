"""How counties really save a workbook, over any sheet writer ``render_xlsx.print_list`` writes to.

A ``SheetQuirks`` says what a real workbook does that a freshly generated one does not: the
table not at A1 (empty rows and columns before it), hidden leftover rows and a hidden helper
column (not shown, not printed: not part of the list), list rows a filter hides (a view of the
list: part of it), serials written as formulas
(``=ROW()-2``, ``=A5+1``; openpyxl saves no cached value, as a program that does not
calculate writes them) or as text with an apostrophe, duty cells as rich text, formatted empty
cells to the right of the table (a sheet's used range far wider than its table), a 目录 and a
说明 sheet before the lists, sheets named ``Sheet1``… or ``基本``…, an autofilter, frozen panes
and print titles. None of it changes what a reader must read: ``expected`` is unchanged.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from openpyxl.utils import get_column_letter

from tests.layouts.truth import KINDS, Layout

# A hidden row's text: an old row left in the sheet (it must not be read).
LEFTOVER = ("99", "（作废）原事项", "已删除的旧事项，隐藏未删")
HELPER = "辅助列"


@dataclass(frozen=True, slots=True)
class SheetQuirks:
    top: int = 0  # empty rows above a sheet's first row
    left: int = 0  # empty columns before its first column
    hidden_every: int = 0  # a hidden leftover row before every Nth row (0: none)
    hidden_column: bool = False  # a hidden helper column before the table
    serial_formulas: str = ""  # "row": =ROW()-k; "previous": =A5+1 (xlsx only)
    text_serials: bool = False  # serials as text (an apostrophe typed before them)
    rich_text: bool = False  # duty cells in two runs of different fonts (xlsx only)
    trailing: int = 0  # formatted empty cells after each row's last column
    front_sheets: bool = False  # a 目录 and a 说明 sheet before the lists
    sheet_names: str = ""  # "": after the list; "numbered": Sheet1…; "short": 基本…
    furniture: bool = False  # autofilter, frozen panes, print titles (xlsx only)
    filtered: bool = False  # … and a filter hiding some list rows: they are read (xlsx)


def draw_sheet_quirks(rnd: random.Random, *, xls: bool = False) -> SheetQuirks:
    """Each quirk drawn on its own, about half the time."""
    quirks = SheetQuirks(
        top=rnd.choice((0, 0, 1, 3)),
        left=rnd.choice((0, 0, 1, 2)),
        hidden_every=rnd.choice((0, 0, 5, 9)),
        hidden_column=rnd.random() < 0.3,
        serial_formulas="" if xls else rnd.choice(("", "", "row", "previous")),
        text_serials=rnd.random() < 0.25,
        rich_text=not xls and rnd.random() < 0.4,
        trailing=rnd.choice((0, 0, 30, 200)),
        front_sheets=rnd.random() < 0.3,
        sheet_names=rnd.choice(("", "", "numbered", "short")),
        furniture=not xls and rnd.random() < 0.4,
        filtered=not xls and rnd.random() < 0.25,
    )
    # (a row hidden by hand inside a filter's range cannot be told from one it hides)
    return quirks if not quirks.hidden_every else replace(quirks, filtered=False)


SHORT_NAMES = ("基本", "配合", "收回")


class QuirkySheet:
    """A sheet writer (``cell``, ``merge``) over another, with ``SheetQuirks`` applied: rows and
    columns moved by the offsets and hidden rows, serial values as formulas or text. The
    backend (``Backend``) does what differs between openpyxl and xlwt; ``finish`` writes the
    hidden rows, the helper column and the trailing cells once every cell is written."""

    def __init__(self, backend: Backend, quirks: SheetQuirks) -> None:
        self.backend = backend
        self.q = quirks
        self.last_serial: dict[int, tuple[int, int]] = {}  # column -> (row, value)
        self.rows_used = 0
        self.columns_used = 0
        self.merged: set[tuple[int, int]] = set()
        self.serial_rows: list[int] = []  # rows a serial was written in

    def _row(self, row: int) -> int:
        hidden = (row - 1) // self.q.hidden_every if self.q.hidden_every else 0
        return row + self.q.top + hidden

    def _column(self, column: int) -> int:
        return column + self.q.left + (1 if self.q.hidden_column else 0)

    def cell(self, row: int, column: int, value: object) -> None:
        r, c = self._row(row), self._column(column)
        self.rows_used, self.columns_used = max(self.rows_used, r), max(self.columns_used, c)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = self._serial(r, c, value)
        elif isinstance(value, str) and self.q.rich_text and len(value) > 8:
            self.backend.rich(r, c, value)
            return
        self.backend.cell(r, c, value)

    def _serial(self, r: int, c: int, value: float) -> object:
        previous = self.last_serial.get(c)
        self.last_serial[c] = (r, int(value))
        self.serial_rows.append(r)
        if not float(value).is_integer():
            return value
        if self.q.serial_formulas == "row":
            offset = r - int(value)
            return f"=ROW(){'-' if offset >= 0 else '+'}{abs(offset)}"
        if self.q.serial_formulas == "previous" and previous and previous[1] + 1 == value:
            return f"={get_column_letter(c)}{previous[0]}+1"
        if self.q.text_serials and isinstance(value, int):
            return ("text", str(value))
        return value

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        rows = range(self._row(top), self._row(bottom) + 1)
        columns = range(self._column(left), self._column(right) + 1)
        self.merged.update((r, c) for r in rows for c in columns)
        self.backend.merge(rows[0], columns[0], rows[-1], columns[-1])

    def finish(self) -> None:
        q, backend = self.q, self.backend
        if q.hidden_every:
            for row in range(self.q.hidden_every + 1, self.rows_used):
                if (row - 1) % self.q.hidden_every == 0:
                    r = self._row(row) - 1
                    for at, text in enumerate(LEFTOVER):
                        c = self._column(1 + at)
                        if (r, c) not in self.merged:
                            backend.cell(r, c, text)
                    backend.hide_row(r)
        if q.hidden_column:
            c = q.left + 1
            for r in range(q.top + 1, self.rows_used + 1):
                backend.cell(r, c, f"{HELPER}{r}")
            backend.hide_column(c)
        if q.trailing:
            backend.trailing(self.rows_used, self.columns_used, q.trailing)
        if q.furniture or q.filtered:
            backend.furniture(self.rows_used, self.columns_used, q.top + 1)
        if q.filtered and self.serial_rows:
            # a filter set on the table's first column, hiding every third list row
            backend.filter(self._column(1), self.serial_rows[1::3])


class Backend:
    """What a workbook library does for ``QuirkySheet``."""

    def cell(self, row: int, column: int, value: object) -> None: ...
    def rich(self, row: int, column: int, text: str) -> None:
        self.cell(row, column, text)

    def merge(self, top: int, left: int, bottom: int, right: int) -> None: ...
    def hide_row(self, row: int) -> None: ...
    def hide_column(self, column: int) -> None: ...
    def trailing(self, rows: int, columns: int, count: int) -> None: ...
    def furniture(self, rows: int, columns: int, first: int) -> None: ...
    def filter(self, column: int, hidden: list[int]) -> None: ...


def sheet_names(quirks: SheetQuirks, name: str, number: int) -> str:
    """The name a sheet gets (``number`` counts the list sheets from 0)."""
    if quirks.sheet_names == "numbered":
        return f"Sheet{number + 1}"
    if quirks.sheet_names == "short" and name != "履职事项清单":
        return SHORT_NAMES[number % 3]
    return name


def front_sheets(layout: Layout) -> list[tuple[str, list[str]]]:
    """A 目录 sheet naming the lists and a 说明 sheet (each a column of text rows)."""
    contents = ["目录", *[f"{n + 1}. {layout.list_title(kind)}" for n, kind in enumerate(KINDS)]]
    notes = ["填报说明", "一、本清单由乡镇（街道）填报，县级编办审核。",
             "二、事项名称应与权责清单一致。"]
    return [("目录", contents), ("说明", notes)]
