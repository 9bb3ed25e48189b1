"""A ``Truth`` printed as text dumped from a PDF table, in the style of seeds 000, 002 and 004.

The dump keeps no columns: a row is printed cell after cell, each cell wrapped at its column's
width (CJK text wraps anywhere), leading cells of one line sharing the serial's line with a
space between them; blank lines fall here and there (where the PDF left vertical space); at
every page break the page number, the list title (if the style repeats it) and the column header
are printed again, the header wrapped in the narrow columns as the seeds print it.

What a dump cannot print is mapped to its closest equivalent:

* a vertically merged category: printed once, on the first row of its run (the following rows
  go from their serial straight to the name), as pdftotext prints a merged cell whose text
  stands at its top;
* a section row spanning the table (``一、党的建设``): a line of its own before the run;
* a two-row header: its top row's cells, then its bottom row's, each a line (``""`` cells, the
  parts a merge covers, print nothing);
* a space at a wrap cannot be printed: lines never break next to a space (the break moves one
  character earlier), and a cell's paragraphs start on new lines only where no space stands
  between them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from lvzhi.model import ListKind
from tests.layouts.truth import KINDS, Layout, Place, Printed, Truth, printed_rows


@dataclass(frozen=True)
class DumpStyle:
    """Column widths (in CJK characters) and page habits of one PDF's dump."""

    category: int = 3  # the cooperative list's category column
    list_category: int = 8  # the basic and reclaimed lists' category column
    name: int = 5  # the cooperative list's name column
    departments: int = 4
    upper: int = 24
    township: int = 21
    basic: int = 47  # the basic list's name column
    reclaimed_name: int = 26
    receiver: int = 26
    receiver_method: int = 20  # a split receiver's second column
    extra: int = 8  # an extra column (履职依据, 备注 …)
    extra_widths: tuple[tuple[str, int], ...] = ()  # header -> width, where not ``extra``
    rows_per_page: int = 3
    blanks: int = 1  # where the blank lines fall (a random seed)
    wrapped_header: bool = True  # the header wrapped in its narrow columns (000, 004)
    title_every_page: bool = False  # the list title above every page's header (002)
    footers: bool = False  # ``第 N 页，共 M 页`` at page ends (002, 004)

    def width(self, kind: ListKind, column: str) -> int:
        if column == "name":
            return {ListKind.BASIC: self.basic, ListKind.COOPERATIVE: self.name,
                    ListKind.RECLAIMED: self.reclaimed_name}[kind]
        if column == "category" and kind != ListKind.COOPERATIVE:
            return self.list_category
        if column == "receiver_department":
            return self.receiver
        if column.startswith("extra:"):
            return dict(self.extra_widths).get(column[6:], self.extra)
        return getattr(self, {"upper_duties": "upper", "township_duties": "township",
                              "receiver_method": "receiver_method"}.get(column, column))


# The seeds' own styles (000, 002, 004); 001 and 003 are printed like 000.
SEED_STYLES = {
    "000": DumpStyle(),
    "002": DumpStyle(category=6, name=5, departments=7, upper=21, township=19, basic=51,
                     reclaimed_name=11, receiver=39, rows_per_page=4, wrapped_header=False,
                     title_every_page=True, footers=True),
    "004": DumpStyle(category=2, name=3, departments=3, upper=23, township=22, basic=44,
                     reclaimed_name=15, receiver=31, rows_per_page=3, footers=True),
}


def style_of(seed: str) -> DumpStyle:
    return SEED_STYLES.get(seed[:3], SEED_STYLES["000"])


# The seeds' own places: their department cells name their county (伽师县委组织部), so a seed
# printed under another place's title would read as a document no county publishes.
SEED_PLACES = {
    "000": Place("新疆维吾尔自治区", "伊犁州", "伊宁市", "托格拉克乡", "伊犁哈萨克自治州"),
    "001": Place("新疆维吾尔自治区", "伊犁州", "昭苏县", "昭苏镇", "伊犁哈萨克自治州"),
    "002": Place("新疆维吾尔自治区", "哈密市", "伊吾县", "吐葫芦乡"),
    "003": Place("新疆维吾尔自治区", "第一师", "阿拉尔市", "托喀依乡"),
    "004": Place("新疆维吾尔自治区", "喀什地区", "伽师县", "克孜勒苏乡"),
}


_SPACES = " \xa0\u3000"
_NO_LINE_START = "、，。；：）》」』”！？"


def _width(text: str) -> float:
    return sum(0.5 if ord(c) < 0x1100 or c in "“”" else 1.0 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by display width (Latin letters and digits count half); closing
    punctuation that would start a line hangs at the end of the one before, as Word sets it;
    a line never starts or ends with a space (the dump would lose it): the break moves back."""
    lines, line = [], ""
    for char in text:
        if line and _width(line + char) > width and char not in _NO_LINE_START:
            cut = len(line)
            rest = line[cut:] + char
            while cut and (line[cut - 1] in _SPACES or rest[0] in _SPACES):
                cut -= 1
                rest = line[cut:] + char
            if cut:
                lines.append(line[:cut])
                line = line[cut:]
        line += char
    return [*lines, line] if line else lines


_STEP = re.compile(r"\d{1,2}[.．]|[一二三四五六七八九十]、")
_HEADING = re.compile(r"[^。；：\d]{2,40}：")


def paragraphs(cell: str) -> list[str]:
    """A cell's paragraphs as Word would have set them: steps, headings, labels (a break only
    where no space stands between them)."""
    out, start = [], 0
    for at in range(1, len(cell)):
        before, rest = cell[start:at], cell[at:]
        if cell[at - 1] in _SPACES or cell[at] in _SPACES:
            continue
        if ((cell[at - 1] in "；。;：" and _STEP.match(rest))
                or (cell[at - 1] == "：" and _HEADING.fullmatch(before)
                    and not before.endswith(("承接方式：", "工作方式：")))
                or (cell[at - 1] in "；。" and _HEADING.match(rest))
                or rest.startswith(("承接方式：", "工作方式："))):
            out.append(before)
            start = at
    return [*out, cell[start:]]


_PARAGRAPHED = ("upper_duties", "township_duties", "receiver", "receiver_method")
# Cells that never share the serial's line: the duty cells are always printed below it.
_OWN_LINES = ("upper_duties", "township_duties")


@dataclass
class _Writer:
    truth: Truth
    layout: Layout
    style: DumpStyle
    lines: list[str] = field(default_factory=list)
    page: int = 1

    def __post_init__(self) -> None:
        self.random = random.Random(self.style.blanks)

    def blank(self, chance: float) -> None:
        if self.random.random() < chance:
            self.lines.append("")

    def cell_lines(self, kind: ListKind, column: str, text: str) -> list[str]:
        width = self.style.width(kind, column)
        parts = paragraphs(text) if column in _PARAGRAPHED else [text]
        return [line for part in parts for line in wrap(part, width)]

    def header(self, kind: ListKind, *, again: bool) -> None:
        layout, style = self.layout, self.style
        if again and style.title_every_page:
            self.lines += [" " + layout.list_title(kind), ""]
        columns = layout.columns(kind)
        printed: list[str] = []
        for labels in layout.header_cells(kind):
            if not style.wrapped_header or kind != ListKind.COOPERATIVE:
                printed.append(" ".join(label for label in labels if label))
                continue
            joined: list[str] = []  # labels of one line run together on one line
            for column, label in zip(columns, labels, strict=True):
                if not label:
                    continue
                width = 1 if column == "serial" else style.width(kind, column)
                wrapped = wrap(label, width) if width < 12 else [label]
                if width >= 12:  # the wide columns' labels side by side share a line
                    joined.append(label)
                    continue
                if joined:  # a narrow column after wide ones: their line comes first
                    printed.append(" ".join(joined))
                    joined = []
                if self.random.random() < 0.5:
                    printed.append("")
                printed += wrapped
            if joined:
                printed.append(" ".join(joined))
        if again and not style.title_every_page:
            printed[0] = " " + printed[0]
        self.lines += printed
        if not style.wrapped_header:
            self.lines.append("")

    def page_break(self, kind: ListKind) -> None:
        if self.style.footers and self.random.random() < 0.3:
            self.lines += ["", f"第 {self.page} 页，共 {{pages}} 页", "", ""]
        self.page += 1
        self.header(kind, again=True)

    def row(self, kind: ListKind, printed: Printed) -> None:
        if printed.section:
            self.blank(0.5)
            self.lines.append(printed.section)
            return
        columns = self.layout.columns(kind)
        cells = [self.cell_lines(kind, column, text) if column != "serial" else [text]
                 for column, text in zip(columns, printed.cells, strict=True)]
        self.blank(1.0)
        first = [cells[0][0]]
        at = 1
        # leading one-line cells share the serial's line; so does a wrapped category's first
        while at < len(cells) and columns[at] not in _OWN_LINES:
            lines = cells[at]
            if not lines:
                at += 1
                continue
            if len(lines) == 1:
                first.append(lines[0])
                at += 1
                continue
            if columns[at] == "category":
                first.append(lines[0])
                cells[at] = lines[1:]
                self.lines.append(" ".join(first))
                self.lines += cells[at]
                first = []
                at += 1
            break
        if first:
            self.lines.append(" ".join(first))
        for column, lines in zip(columns[at:], cells[at:], strict=True):
            if not lines:
                continue
            self.blank(0.8)
            # blank lines inside a cell: often between a duty cell's lines, rarely elsewhere
            inside = 0.12 if column in _PARAGRAPHED else 0.03
            for number, line in enumerate(lines):
                if number:
                    self.blank(inside)
                self.lines.append(line)

    def document(self) -> str:
        self.lines += [self.layout.cover_title(), ""]
        for kind in KINDS:
            printed = printed_rows(self.truth, self.layout, kind)
            if not printed:
                continue
            self.lines += [" " + self.layout.list_title(kind)]
            self.header(kind, again=False)
            count = 0  # rows printed
            broken = False  # a page break already printed before this row's section
            for entry in printed:
                if count and count % self.style.rows_per_page == 0 and not broken:
                    self.page_break(kind)  # before the row, or before its section row
                    broken = True
                if not entry.section:
                    count += 1
                    broken = False
                self.row(kind, entry)
            self.lines.append("")
        return "\n".join(self.lines).replace("{pages}", str(self.page)) + "\n"


def render(truth: Truth, layout: Layout, style: DumpStyle | None = None) -> bytes:
    return _Writer(truth, layout, style or DumpStyle()).document().encode("utf-8")
