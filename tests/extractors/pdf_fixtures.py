"""Render duty-list rows into ruled, multi-page PDFs with reportlab, as county offices publish them.

Used by the PDF extractor's tests and usable by the benchmark's corpus generator. No font package
is needed: reportlab's built-in CID font ``STSong-Light`` renders Chinese, and pdfplumber reads
it back through the font's standard CMap.

A rendered document: a page number on every page and optionally a running page header (the
document title, or the title of the list in progress), a document title and a table of
contents, then per list, on a new page, a title paragraph and one ruled table whose header row
is repeated on every page. A duty cell starts every numbered step (``1.`` ``2.`` ...) on a new
line, as Word documents do; long cells wrap inside their column.

A row can be *cut* by a page break in the ways real PDFs show it (see ``CutStyle``).

``render`` also returns what each cell prints: the text of its printed lines joined with
nothing, i.e. what a perfect reader gets back. It differs from the cell text given only by the
spaces where the renderer wraps a line (a space at the end or start of a printed line is layout,
not text, by the cell-text rule of ``lvzhi.text.join_wrapped``) and by runs of spaces
printed as one.

    spec = DocumentSpec("某县某乡履职事项清单", tables_from_rows(rows, titles), cuts={...})
    rendered = render(spec, Path("list.pdf"))  # .pages, .printed[kind, serial, column]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from lvzhi.model import ExtractedRow, ListKind
from lvzhi.vocabulary import COLUMNS, list_kind_of_header, list_kind_of_title, split_steps

FONT = "STSong-Light"

HEADERS: dict[ListKind, list[str]] = {
    ListKind.BASIC: ["序号", "事项类别", "事项名称"],
    ListKind.COOPERATIVE: ["序号", "事项类别", "事项名称", "对应上级部门", "上级部门职责",
                           "乡镇配合职责"],
    ListKind.RECLAIMED: ["序号", "事项类别", "事项名称", "承接部门及工作方式"],
}
# Column widths in points on landscape A4 (770 pt between the margins).
WIDTHS: dict[ListKind, list[float]] = {
    ListKind.BASIC: [36, 80, 620],
    ListKind.COOPERATIVE: [30, 56, 100, 90, 240, 240],
    ListKind.RECLAIMED: [30, 60, 300, 346],
}
# The cell a cut row continues in on the next page: the longest one of its kind.
CUT_COLUMN: dict[ListKind, int] = {ListKind.BASIC: 2, ListKind.COOPERATIVE: 5,
                                   ListKind.RECLAIMED: 3}
_DUTY_FIELDS = ("upper_duties", "township_duties", "receiver")

MARKER_CONTINUED = "（未完见下页）"
MARKER_CONTINUATION = "（续上页）"


class CutStyle(StrEnum):
    """How a row cut by a page break is printed."""

    # Serial, category, name, departments and the cells that fit are printed again in full on
    # the next page; the cut cell carries （未完见下页） / （续上页） (what the 002 seed's PDF did).
    REPEAT = "repeat"
    # Only the rest of the cut cell is printed on the next page; every other cell is empty
    # there (Word's way).
    BLANK = "blank"


@dataclass
class ListTable:
    """One list as a table: its title line, its kind and its rows of cell texts in column order."""

    kind: ListKind
    title: str
    rows: list[list[str]] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return HEADERS[self.kind]


@dataclass
class DocumentSpec:
    """Everything printed in one PDF."""

    title: str
    tables: list[ListTable]
    subtitle: str = ""  # e.g. the date line under the title
    contents: bool = True  # print a table of contents (dot leaders, page numbers)
    # Page header: "" none, "title" the document title, "list" the title of the list in
    # progress (a list title repeated on every page, as the 002 seed's PDF has).
    running_header: str = "title"
    # (list kind, serial) -> how that row is cut by a page break
    cuts: dict[tuple[ListKind, int], CutStyle] = field(default_factory=dict)
    # Print a category once for a run of rows, as one vertically merged cell.
    merge_categories: bool = False
    repeat_header: bool = True  # the column header on every page, or on the first only
    notes: list[str] = field(default_factory=list)  # paragraphs of a 说明 preface


@dataclass
class Rendered:
    path: Path
    pages: int
    # (list kind, serial, model column) -> the lines the cell prints (both parts of a cut cell)
    lines: dict[tuple[ListKind, int, str], list[str]]

    @property
    def printed(self) -> dict[tuple[ListKind, int, str], str]:
        """What each cell prints: its lines joined with nothing (the cell-text rule)."""
        return {key: "".join(lines) for key, lines in self.lines.items()}


def register_font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    return {
        "cell": ParagraphStyle("cell", fontName=font, fontSize=9, leading=11.5, wordWrap="CJK"),
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22,
                                alignment=1, spaceAfter=8, wordWrap="CJK"),
        "list_title": ParagraphStyle("list_title", fontName=font, fontSize=14, leading=20,
                                     alignment=1, spaceAfter=6, wordWrap="CJK"),
        "plain": ParagraphStyle("plain", fontName=font, fontSize=11, leading=16,
                                wordWrap="CJK"),
    }


def _printed_lines(paragraph: Paragraph) -> list[str]:
    """The lines a wrapped paragraph prints, without the spaces at their ends (layout: a line
    may start with the space it was wrapped at)."""
    if not hasattr(paragraph, "blPara"):
        return []  # never laid out: a cell covered by a merged (spanned) cell prints nothing
    if paragraph.blPara.kind != 0:
        raise AssertionError("cells are plain text: reportlab lays them out as kind 0")
    return [" ".join(words).strip() for _, words in paragraph.blPara.lines]


class _Renderer:
    """Builds the story and remembers which paragraphs print which cell."""

    def __init__(self, spec: DocumentSpec) -> None:
        self.spec = spec
        self.styles = styles()
        self.cells: dict[tuple[ListKind, int, str], list[Paragraph]] = {}
        self.header_text = spec.title if spec.running_header == "title" else ""

    def cell(self, kind: ListKind, serial: int, column: int, text: str, *,
             track: bool = True) -> list[Flowable]:
        """A cell's paragraphs: one per numbered step in a duty cell, so each starts a line."""
        name = COLUMNS[kind][column]
        parts = split_steps(text) if name in _DUTY_FIELDS else [text]
        paragraphs = [Paragraph(escape(part), self.styles["cell"]) for part in parts
                      if part.strip()]
        if track:
            self.cells.setdefault((kind, serial, name), []).extend(paragraphs)
        return list(paragraphs)

    def marker(self, text: str) -> Paragraph:
        return Paragraph(text, self.styles["cell"])

    def table(self, table: ListTable, rows: list[list[list[Flowable]]],
              spans: list[tuple[int, int]]) -> Table:
        cell = self.styles["cell"]
        data = [[Paragraph(escape(h), cell) for h in table.header], *rows]
        result = Table(data, colWidths=WIDTHS[table.kind],
                       repeatRows=1 if self.spec.repeat_header else 0)
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        commands += [("SPAN", (1, first), (1, last)) for first, last in spans]
        result.setStyle(TableStyle(commands))
        return result

    def cut_row(self, table: ListTable, row: list[str],
                how: CutStyle) -> tuple[list[list[Flowable]], list[list[Flowable]]]:
        """The two printed parts of a row cut by a page break."""
        kind, serial, column = table.kind, int(row[0]), CUT_COLUMN[table.kind]
        steps = split_steps(row[column])
        if len(steps) >= 2:
            first, rest = "".join(steps[: len(steps) // 2]), "".join(steps[len(steps) // 2:])
        else:
            half = max(1, len(row[column]) // 2)
            first, rest = row[column][:half], row[column][half:]
        before = [self.cell(kind, serial, i, first if i == column else text)
                  for i, text in enumerate(row)]
        after: list[list[Flowable]] = [[] for _ in row]
        after[column] = self.cell(kind, serial, column, rest)
        if how is CutStyle.REPEAT:
            before[column].append(self.marker(MARKER_CONTINUED))
            after[column].insert(0, self.marker(MARKER_CONTINUATION))
            for i, text in enumerate(row):
                if i != column:
                    after[i] = self.cell(kind, serial, i, text, track=False)
        return before, after

    def category_spans(self, rows: list[list[str | None]],
                       start: int) -> list[tuple[int, int]]:
        """Table-row ranges (1-based past the header) of runs of one category."""
        if not self.spec.merge_categories:
            return []
        spans, first = [], 0
        for at in range(1, len(rows) + 1):
            if at == len(rows) or rows[at][1] != rows[first][1]:
                if at - first > 1:
                    spans.append((start + first, start + at - 1))
                first = at
        return spans

    def list_flowables(self, table: ListTable) -> list[Flowable]:
        flowables: list[Flowable] = [Paragraph(escape(table.title),
                                               self.styles["list_title"])]
        pending: list[list[list[Flowable]]] = []
        texts: list[list[str | None]] = []  # for category runs: a cut part is its own run
        for row in table.rows:
            serial = int(row[0])
            how = self.spec.cuts.get((table.kind, serial))
            if how is None:
                pending.append([self.cell(table.kind, serial, i, text)
                                for i, text in enumerate(row)])
                texts.append(row)
                continue
            before, after = self.cut_row(table, row, how)
            pending.append(before)
            texts.append(row)
            flowables += [self.table(table, pending, self.category_spans(texts, 1)),
                          PageBreak()]
            pending, texts = [after], [[None, None]]
        flowables.append(self.table(table, pending, self.category_spans(texts, 1)))
        return flowables

    def story(self) -> list[Flowable]:
        spec, styles = self.spec, self.styles
        story: list[Flowable] = [Paragraph(escape(spec.title), styles["title"])]
        if spec.subtitle:
            story.append(Paragraph(escape(spec.subtitle), styles["list_title"]))
        if spec.notes:
            story += [Spacer(1, 12), Paragraph("说  明", styles["list_title"])]
            story += [Paragraph(escape(text), styles["plain"]) for text in spec.notes]
        if spec.contents:
            story += [Spacer(1, 12), Paragraph("目    录", styles["list_title"])]
            for number, table in enumerate(spec.tables, 1):
                story.append(Paragraph(f"{number}.{escape(table.title)}{'.' * 30}{number}",
                                       styles["plain"]))
        for table in spec.tables:
            if spec.running_header == "list":
                story.append(_HeaderChange(self, table.title))  # drawn before the break
            story.append(PageBreak())
            story += self.list_flowables(table)
        return story

    def furniture(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        width, height = document.pagesize
        if self.header_text:
            canvas.drawCentredString(width / 2, height - 20, self.header_text)
        canvas.drawCentredString(width / 2, 16, f"- {document.page} -")
        canvas.restoreState()

    def printed_lines(self) -> dict[tuple[ListKind, int, str], list[str]]:
        return {key: [line for p in paragraphs for line in _printed_lines(p)]
                for key, paragraphs in self.cells.items()}


class _HeaderChange(Flowable):
    """Takes no room; when drawn, later pages get ``text`` as their running header."""

    def __init__(self, renderer: _Renderer, text: str) -> None:
        super().__init__()
        self.renderer, self.text = renderer, text
        self.width = self.height = 0

    def draw(self) -> None:
        self.renderer.header_text = self.text


def render(spec: DocumentSpec, path: Path, *, encrypt: object = None) -> Rendered:
    """Write ``spec`` as a PDF at ``path``; every list starts on a new page.

    ``encrypt`` is handed to reportlab: a user password, or a ``StandardEncryption``.
    """
    renderer = _Renderer(spec)
    document = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=36,
                                 rightMargin=36, topMargin=36, bottomMargin=36,
                                 title=spec.title, encrypt=encrypt)
    document.build(renderer.story(), onFirstPage=renderer.furniture,
                   onLaterPages=renderer.furniture)
    return Rendered(path, document.page, renderer.printed_lines())


# --- rows to render ----------------------------------------------------------------------

def tables_from_rows(rows: list[ExtractedRow], titles: dict[ListKind, str]) -> list[ListTable]:
    """Extracted rows back into tables, in the order their lists first appear."""
    tables: dict[ListKind, ListTable] = {}
    for row in rows:
        table = tables.setdefault(row.list, ListTable(row.list, titles[row.list]))
        table.rows.append([str(row.serial) if name == "serial" else getattr(row, name)
                           for name in COLUMNS[row.list]])
    return list(tables.values())


_TAG_RE = re.compile(r"<[^>]+>")
_SPACES_RE = re.compile(r"\s+")


def tables_from_markdown(text: str) -> tuple[str, list[ListTable]]:
    """(document title, lists) of a markdown document such as the 001 seed, in a few lines.

    A list starts at its title line; its rows are the pipe-table rows whose first cell is a
    serial number (repeated headers, separator rows, the table of contents are skipped). Tags
    are removed; the whitespace they leave is made one space.
    """
    title = ""
    tables: list[ListTable] = []
    for line in map(str.strip, text.splitlines()):
        if line and not line.startswith("|"):
            if kind := list_kind_of_title(line):
                tables.append(ListTable(kind, line))
            elif not title and line.endswith("清单"):
                title = line
            continue
        cells = [_SPACES_RE.sub(" ", _TAG_RE.sub(" ", c)).strip()
                 for c in line.strip("|").split("|")]
        if not tables or not cells[0].isdigit() or list_kind_of_header(cells):
            continue
        width = len(HEADERS[tables[-1].kind])
        tables[-1].rows.append((cells + [""] * width)[:width])
    return title, tables
