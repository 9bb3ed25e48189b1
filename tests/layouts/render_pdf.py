"""A ``Truth`` printed as a real ruled-table PDF, as a county office publishes one.

A cover title, then per list a title paragraph and one ruled table: the header row(s) repeated
on every page (``repeatRows``), a two-row header with its group cell spanning the columns it
heads and the other header cells spanning both rows, section rows spanning the table, a merged
category as one cell spanning its run of rows. Every cell is vertically centred, as Word's
"centre" alignment prints it (the serial stands on the middle line of its row). A page number
and a running title on every page are page furniture.

A layout's table quirks print as an office suite's PDF export prints them: a list's title as
a row across the top of its table (no title paragraph then), a 填报单位 row under it (the
unit in a cell merged over the left columns, the date in one over the right), and these
rows repeated with the header on every page (an office repeats rows from the table's top
only); a 注 row across the table and a 合计 row after the body, blank rows as empty ruled
rows; other column orders and serial styles as ``printed_rows`` gives them, the serial
column as wide as its widest number; three lists in one table on the widest list's columns
(a narrower list's last cell spans the columns it lacks, a ``二、…清单`` row across the table
before each list's header; no row repeats on the next pages, as the table's top rows are the
first list's); a line break a typist left at an end of a cell as an empty line of the cell
(spaces there print nothing a reader can see).

Cells are wrapped here, not by reportlab, so that a space of the cell text never falls at the
end or the start of a printed line: a reader joins wrapped lines with nothing, and a space at a
line's edge is layout, not text. The text a perfect reader gets back is then exactly the
truth's text. ``PdfStyle`` chooses the page (A4 landscape or portrait), the font size and how
wide the text columns are.

    pdf = render(truth, layout)                       # bytes
    pdf = render(truth, layout, PdfStyle(portrait=True, font_size=8))
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from lvzhi.model import ListKind
from tests.layouts.truth import KINDS, Layout, Place, Truth, preamble_rows, printed_rows

FONT = "STSong-Light"
PADDING = 5.4  # points left and right of a cell's text: Word's default cell margin (0.19 cm)
# Points a column of each kind takes; text columns share the rest of the page in proportion.
FIXED = {"serial": 30, "category": 56}
SHARE = {"name": 3, "departments": 1.6, "upper_duties": 3, "township_duties": 3,
         "receiver": 3, "receiver_department": 1.6, "receiver_method": 2.4}
EXTRA_SHARE = {"履职依据": 1.6}
# A 说明 preface as counties print one under the cover title: it names the lists.
PREFACE = (
    "说明：",
    "一、本清单依据《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》等法律法规和"
    "上级有关文件编制，包括基本履职事项清单、配合履职事项清单和上级部门收回事项清单三部分。",
    "二、基本履职事项是乡镇（街道）依法依规应当履行的职责；配合履职事项是上级部门承担主体责任、"
    "乡镇（街道）配合履行的职责；上级部门收回事项是上级部门收回、不再由乡镇（街道）承担的事项。",
    "三、清单实行动态调整，法律法规和上级文件另有规定的，从其规定。",
)
DATE_WIDTH = 130  # points the 填报时间 cell of a 填报单位 row takes, at least


@dataclass(frozen=True, slots=True)
class PdfStyle:
    portrait: bool = False
    font_size: float = 9
    name_share: float = 1.0  # how wide the name column is against the others
    running_title: bool = True  # the cover title at the top of every page
    new_page_per_list: bool = True
    # Rows may break across pages (Word's "allow row to break across pages"). Without it a
    # row taller than what is left of a page starts the next page; a row taller than a whole
    # page breaks all the same. reportlab prints the column header again above the first part
    # of a row it breaks, on the same page: something no office suite does.
    split_rows: bool = False
    # Cells printed from the top of their rows (Word's default), not centred vertically.
    top_aligned: bool = False
    # Rows break as Word breaks them ("allow row to break across pages"): the row at a page's
    # foot fills the page, its cells' text flowing on at the top of the next page (cells set
    # at their top, so the serial stands on the first part), the page filled.
    word_breaks: bool = False
    repeat_header: bool = True  # Word's "repeat as header row" (with any title rows above)
    cut_rules: bool = False  # a rule under a broken row's first part and over its second
    # How the table is ruled: "grid" (every cell), "thick" (a grid, the frame and the rule
    # under the header thick), "filled" (a grid whose every rule is a thin filled rectangle,
    # as Word's PDF export draws borders), "rects" (each cell drawn as a rectangle of its
    # own), "outer"
    # (the frame only), "three_line" (三线表: rules over and under the header and under the
    # table only).
    rules: str = "grid"
    page_numbers: str = "dash"  # "dash" - 3 -, "em" — 3 —, "of" 第 3 页 共 9 页, "none"
    attachment: bool = False  # 附件1 above the cover title
    preface: bool = False  # a 说明 of several paragraphs under the cover title
    cover_page: bool = True  # False: the first list starts under the cover title, mid-page


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _blank(char: str) -> bool:
    """A space, or a character the font prints as one (STSong-Light has no middle dot):
    at a line's edge either is lost to a reader."""
    return char.isspace() or char == "·"


def wrap(text: str, width: float, size: float) -> list[str]:
    """The lines ``text`` prints in ``width`` points, greedily; a line never starts or ends
    with a space (the break moves one character back instead)."""
    lines: list[str] = []
    start = 0
    while start < len(text):
        end = start
        used = 0.0
        while end < len(text):
            used += pdfmetrics.stringWidth(text[end], FONT, size)
            if used > width:
                break
            end += 1
        if end < len(text):
            while end - 1 > start and (_blank(text[end - 1]) or _blank(text[end])):
                end -= 1  # keep the space inside a line: it is text, not a wrap
            end = max(end, start + 1)
        lines.append(text[start:end])
        start = end
    return lines


def column_widths(layout: Layout, kind: ListKind, page_width: float, style: PdfStyle, *,
                  serial: float = FIXED["serial"]) -> list[float]:
    columns = layout.columns(kind)
    fixed = [(serial if c == "serial" else FIXED.get(c, 0)) if not c.startswith("extra:")
             else 0 for c in columns]
    shares = []
    for column, points in zip(columns, fixed, strict=True):
        if points:
            shares.append(0.0)
        elif column.startswith("extra:"):
            shares.append(EXTRA_SHARE.get(column[6:], 1.0))
        else:
            shares.append(SHARE[column] * (style.name_share if column == "name" else 1))
    rest = page_width - sum(fixed)
    return [points or rest * share / sum(shares) for points, share in zip(fixed, shares,
                                                                         strict=True)]


class _Renderer:
    def __init__(self, truth: Truth, layout: Layout, style: PdfStyle) -> None:
        self.truth, self.layout, self.style = truth, layout, style
        self.split_rows = style.split_rows
        font = _font()
        size = style.font_size
        self.cell_style = ParagraphStyle("cell", fontName=font, fontSize=size,
                                         leading=size * 1.3)
        self.title_style = ParagraphStyle("title", fontName=font, fontSize=18, leading=26,
                                          alignment=1, spaceAfter=12, wordWrap="CJK")
        self.list_style = ParagraphStyle("list", fontName=font, fontSize=14, leading=20,
                                         alignment=1, spaceAfter=6, wordWrap="CJK")
        # a list's title as a row of its table: centred, a little larger than the cells
        self.table_title_style = ParagraphStyle("table title", fontName=font,
                                                fontSize=size + 3, leading=(size + 3) * 1.3,
                                                alignment=1)
        self.date_style = ParagraphStyle("date", parent=self.cell_style, alignment=2)
        self.attachment_style = ParagraphStyle("attachment", fontName=font, fontSize=14,
                                               leading=20, spaceAfter=6)
        self.preface_style = ParagraphStyle("preface", fontName=font, fontSize=11,
                                            leading=18, firstLineIndent=22, wordWrap="CJK")
        self.pages = 0  # pages of the whole document, once known (第 3 页 共 9 页)
        self.pagesize = A4 if style.portrait else landscape(A4)
        self.margin = 36

    def paragraph(self, text: str, width: float, style: ParagraphStyle | None = None
                  ) -> Paragraph:
        """A cell's text wrapped to ``width``. A line break at an end of the text (stray
        whitespace a typist left) prints as an empty line, as an office suite prints it;
        spaces at the ends print nothing a reader could see."""
        core = text.strip()
        head, tail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        lines = wrap(core, width - 2 * PADDING - 0.5, self.style.font_size)
        lines = [""] * head.count("\n") + lines + [""] * tail.count("\n")
        return Paragraph("<br/>".join(escape(line) if line else "&nbsp;" for line in lines),
                         style or self.cell_style)

    def cell(self, text: str, width: float) -> Paragraph | str:
        return self.paragraph(text, width) if text.strip() else ""

    def table(self, kinds: tuple[ListKind, ...]) -> Table:
        """One table holding ``kinds``' lists (several: ``one_table``, each list's rows after
        its title row, on the widest list's columns, a narrower list's last cell spanning
        the columns it lacks)."""
        layout = self.layout
        page_width = self.pagesize[0] - 2 * self.margin
        widest = max(kinds, key=lambda kind: len(layout.columns(kind)))
        grid = _Grid(self, column_widths(layout, widest, page_width, self.style,
                                         serial=self.serial_width(kinds)))
        widths = grid.widths
        repeat = 0
        headers: list[int] = []  # each list's last header row
        for kind in kinds:
            own = len(layout.columns(kind))
            for printed in preamble_rows(layout, kind):
                if printed.section:
                    grid.across(printed.section, self.table_title_style)
                else:
                    grid.unit_row(printed.cells[0], printed.cells[-1])
            header = layout.header_cells(kind)
            first = len(grid.data)
            if len(header) == 1:
                grid.add(header[0], own)
            else:
                top, bottom = header
                grid.add(top, own, spread=False)
                grid.add(bottom, own, spread=bool(bottom[own - 1]))
                for at, text in enumerate(top):
                    if not text:
                        continue
                    last = at
                    if bottom[at]:  # a group cell: over the columns left empty beside it
                        while last + 1 < own and not top[last + 1] and bottom[last + 1]:
                            last += 1
                    end = last if last < own - 1 else len(widths) - 1
                    grid.commands.append(("SPAN", (at, first), (end, first + (not bottom[at]))))
            headers.append(len(grid.data) - 1)
            if len(kinds) == 1:
                # an office repeats rows from the table's top: any title rows with the header
                repeat = len(grid.data)
            for printed in printed_rows(self.truth, layout, kind):
                if printed.section:
                    grid.across(printed.section, self.cell_style)
                    continue
                row = grid.add(printed.cells, own)
                for column, run in printed.runs.items():
                    if run > 1:
                        grid.commands.append(("SPAN", (column, row), (column, row + run - 1)))
                for column, span in printed.across.items():
                    grid.commands.append(("SPAN", (column, row), (column + span - 1, row)))
        style = self.style
        kind = type("Printed", (_PrintedTable,), {"cut_rules": style.cut_rules,
                                                  "rules": style.rules})
        table = kind(grid.data, colWidths=widths,
                     repeatRows=repeat if style.repeat_header else 0,
                     # Word breaks the row at the page's foot: reportlab, asked to break
                     # rows first, does so instead of moving it (then printing the header
                     # above its first part, on the same page)
                     splitByRow=0 if style.word_breaks else 1,
                     splitInRow=1 if self.split_rows or style.word_breaks else 0)
        commands = [*(c for c in grid.commands if c[0] != "GRID" or style.rules in (
            "grid", "thick", "filled")), *_rules(style.rules, headers)]
        if self.style.word_breaks:  # text at the top of its cell, as Word sets it by default
            commands = [*commands, ("VALIGN", (0, 0), (-1, -1), "TOP")]
        table.setStyle(TableStyle(commands))
        return table

    def serial_width(self, kinds: tuple[ListKind, ...]) -> float:
        """The serial column as wide as its widest number needs (（12） takes more than 12)."""
        size = self.style.font_size
        texts = [printed.cells[0] for kind in kinds if "serial" in self.layout.columns(kind)
                 for printed in printed_rows(self.truth, self.layout, kind)
                 if printed.serial and self.layout.columns(kind)[0] == "serial"]
        need = max((pdfmetrics.stringWidth(text.strip(), FONT, size) for text in texts),
                   default=0.0)
        return max(FIXED["serial"], need + 2 * PADDING + 1)

    def story(self) -> list:
        layout = self.layout
        style = self.style
        story: list = [Spacer(1, 60 if style.cover_page else 0)]
        if style.attachment:
            story.append(Paragraph("附件1", self.attachment_style))
        story.append(Paragraph(escape(layout.cover_title()), self.title_style))
        if style.preface:
            story += [Paragraph(escape(text), self.preface_style) for text in PREFACE]
        kinds = tuple(kind for kind in KINDS if self.truth.of(kind))
        if layout.one_table:
            return [*story, PageBreak() if style.cover_page else Spacer(1, 12),
                    self.table(kinds)]
        for at, kind in enumerate(kinds):
            if at == 0 and not style.cover_page:
                story.append(Spacer(1, 12))  # the list goes on under the cover title
            elif style.new_page_per_list or at == 0:
                story.append(PageBreak())
            else:
                story.append(Spacer(1, 18))
            if not layout.table_title:  # else the title is a row of the table
                story.append(Paragraph(escape(layout.list_title(kind)), self.list_style))
            story.append(self.table((kind,)))
        return story

    def furniture(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        width, height = document.pagesize
        if self.style.running_title and document.page > 1:
            canvas.drawCentredString(width / 2, height - 22, self.layout.cover_title())
        number = {"dash": f"- {document.page} -", "em": f"— {document.page} —",
                  "of": f"第 {document.page} 页 共 {self.pages} 页", "none": ""}[
            self.style.page_numbers]
        canvas.drawCentredString(width / 2, 16, number)
        canvas.restoreState()


class _PrintedTable(Table):
    """A table printed as an office suite prints it: with ``cut_rules``, a rule at both
    sides of a row broken over a page (Word draws the cell's edge there); ``rules`` "rects",
    each cell drawn as a rectangle of its own instead of rules, "filled", each rule a filled
    rectangle (reportlab makes its new tables of the same class, so these carry over the
    breaks)."""

    cut_rules = False
    rules = "grid"

    def split(self, availWidth: float, availHeight: float) -> list:
        parts = super().split(availWidth, availHeight)
        if self.cut_rules and len(parts) == 2:
            first, rest = parts
            first.setStyle([("LINEBELOW", (0, -1), (-1, -1), 0.6, colors.black)])
            at = rest.repeatRows if isinstance(rest.repeatRows, int) else len(rest.repeatRows)
            rest.setStyle([("LINEABOVE", (0, at), (-1, at), 0.6, colors.black)])
        return parts

    def _drawLines(self) -> None:
        canvas = self.canv
        if self.rules == "filled":
            line = canvas.line

            def filled(x0: float, y0: float, x1: float, y1: float) -> None:
                weight = canvas._lineWidth
                canvas.rect(min(x0, x1) - weight / 2, min(y0, y1) - weight / 2,
                            abs(x1 - x0) + weight, abs(y1 - y0) + weight, stroke=0, fill=1)

            canvas.line = filled
            try:
                super()._drawLines()
            finally:
                canvas.line = line
            return
        if self.rules != "rects":
            super()._drawLines()
            return
        spans = getattr(self, "_spanRects", None) or {}
        xs, ys = self._colpositions, self._rowpositions
        canvas.saveState()
        canvas.setLineWidth(0.6)
        for row in range(self._nrows):
            for column in range(self._ncols):
                box = spans.get((column, row), (xs[column], ys[row + 1], xs[column + 1]
                                                - xs[column], ys[row] - ys[row + 1]))
                if box is not None:  # None: covered by a merged cell
                    canvas.rect(*box)
        canvas.restoreState()


def _rules(rules: str, headers: list[int]) -> list[tuple]:
    """Style commands that rule a table other than as a grid (``GRID`` is left out then):
    ``headers``, the index of each list's last header row."""
    black = colors.black
    if rules == "thick":
        return [("BOX", (0, 0), (-1, -1), 1.5, black),
                *(("LINEBELOW", (0, at), (-1, at), 1.5, black) for at in headers)]
    if rules == "outer":
        return [("BOX", (0, 0), (-1, -1), 0.6, black)]
    if rules == "three_line":
        return [("LINEABOVE", (0, 0), (-1, 0), 1.5, black),
                *(("LINEBELOW", (0, at), (-1, at), 0.75, black) for at in headers),
                ("LINEBELOW", (0, -1), (-1, -1), 1.5, black)]
    return []


class _Grid:
    """The cells and the style commands of one table being built."""

    def __init__(self, renderer: _Renderer, widths: list[float]) -> None:
        self.renderer, self.widths = renderer, widths
        self.data: list[list] = []
        self.commands: list[tuple] = [
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP" if renderer.style.top_aligned else "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ]

    def add(self, cells: list[str], own: int, *, spread: bool = True) -> int:
        """A row of a list of ``own`` columns; ``spread``: its last cell spans the columns
        it lacks. The row's index."""
        widths, row = self.widths, len(self.data)
        spans = [*widths[:own - 1], sum(widths[own - 1:])]
        self.data.append([self.renderer.cell(text, spans[at]) if at < own else ""
                          for at, text in enumerate([*cells, *[""] * (len(widths) - own)])])
        if spread and own < len(widths):
            self.commands.append(("SPAN", (own - 1, row), (-1, row)))
        return row

    def across(self, text: str, style: ParagraphStyle) -> None:
        """A row of one cell across the table (a title, a section, a note)."""
        row = len(self.data)
        self.data.append([self.renderer.paragraph(text, sum(self.widths), style)]
                         + [""] * (len(self.widths) - 1))
        self.commands.append(("SPAN", (0, row), (-1, row)))

    def unit_row(self, unit: str, date: str) -> None:
        """填报单位 … on the left, the date on the right: two merged cells, or one (the date
        set apart by full-width spaces) where the columns leave no room for two."""
        renderer, widths = self.renderer, self.widths
        need = pdfmetrics.stringWidth(unit, FONT, renderer.style.font_size) + 2 * PADDING + 1
        split = next((at for at in range(1, len(widths))
                      if sum(widths[:at]) >= need and sum(widths[at:]) >= DATE_WIDTH), None)
        if split is None:
            self.across(unit + "\u3000" * 6 + date, renderer.cell_style)
            return
        row = len(self.data)
        self.data.append([renderer.paragraph(unit, sum(widths[:split]))] + [""] * (split - 1)
                         + [renderer.paragraph(date, sum(widths[split:]), renderer.date_style)]
                         + [""] * (len(widths) - split - 1))
        self.commands += [("SPAN", (0, row), (split - 1, row)), ("SPAN", (split, row), (-1, row))]


def render(truth: Truth, layout: Layout, style: PdfStyle | None = None) -> bytes:
    return render_as(truth, layout, style)[0]


def render_as(truth: Truth, layout: Layout, style: PdfStyle | None = None) -> tuple[
        bytes, PdfStyle]:
    """The PDF and the style it was made in. A row (or merged run) taller than a page does
    not fit: the text is set a point or two smaller, as an office would, and only then are
    rows broken (``split_rows``, with reportlab's reprinted header)."""
    style = style or PdfStyle()
    sizes = (style.font_size, style.font_size - 1, style.font_size - 2)
    for split, size in [(style.split_rows, size) for size in sizes] + [
            (True, size) for size in sizes]:
        renderer = _Renderer(truth, layout, replace(style, font_size=size))
        renderer.split_rows = split
        try:
            return _build(renderer), replace(style, font_size=size, split_rows=split)
        # reportlab reports some of these with an error of its own
        except (LayoutError, TypeError, UnboundLocalError):
            continue
    raise LayoutError(f"cannot lay out {layout}")


def _build(renderer: _Renderer) -> bytes:
    out = io.BytesIO()
    margin = renderer.margin
    document = SimpleDocTemplate(out, pagesize=renderer.pagesize, leftMargin=margin,
                                 rightMargin=margin, topMargin=margin, bottomMargin=margin,
                                 title=renderer.layout.cover_title())
    document.build(renderer.story(), onFirstPage=renderer.furniture,
                   onLaterPages=renderer.furniture)
    if renderer.style.page_numbers == "of" and renderer.pages != document.page:
        renderer.pages = document.page  # known now: printed again with the count
        return _build(renderer)
    return out.getvalue()


# --- dumping with poppler ------------------------------------------------------------------

def have_pdftotext() -> bool:
    return shutil.which("pdftotext") is not None


def dump(pdf: bytes, *, layout: bool) -> str:
    """The text ``pdftotext`` (``-layout`` if ``layout``) gives for ``pdf``."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "list.pdf", Path(folder) / "list.txt"
        source.write_bytes(pdf)
        subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(source),
                        str(target)], check=True, capture_output=True)
        return target.read_text(encoding="utf-8")


# --- fixtures: dumps checked in with what made them ---------------------------------------

def layout_to_json(layout: Layout) -> dict:
    return asdict(layout)


def layout_from_json(data: dict) -> Layout:
    data = dict(data)
    data["place"] = Place(**data["place"])
    data["list_words"] = tuple(data["list_words"])
    data["headers"] = tuple(tuple(pair) for pair in data["headers"])
    data["extra"] = tuple(tuple(pair) for pair in data["extra"])
    return Layout(**data)


def write_fixtures(folder: Path, cases: dict[str, tuple[str, Layout, PdfStyle]]) -> None:
    """Render, dump both ways and write ``<name>.layout.txt``, ``<name>.plain.txt`` and
    ``cases.json`` (seed, layout and style of every case) into ``folder``."""
    from tests.layouts.truth import expected

    folder.mkdir(parents=True, exist_ok=True)
    index = {}
    for name, (seed, layout, style) in cases.items():
        pdf = render(expected(seed, layout), layout, style)
        for mode in ("layout", "plain"):
            (folder / f"{name}.{mode}.txt").write_text(dump(pdf, layout=mode == "layout"),
                                                       encoding="utf-8")
        index[name] = {"seed": seed, "layout": layout_to_json(layout), "style": asdict(style)}
    (folder / "cases.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
