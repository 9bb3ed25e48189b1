"""A ``Truth`` printed as a real ruled-table PDF, as a county office publishes one.

A cover title, then per list a title paragraph and one ruled table: the header row(s) repeated
on every page (``repeatRows``), a two-row header with its group cell spanning the columns it
heads and the other header cells spanning both rows, section rows spanning the table, a merged
category as one cell spanning its run of rows. Every cell is vertically centred, as Word's
"centre" alignment prints it (the serial stands on the middle line of its row). A page number
and a running title on every page are page furniture.

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
from tests.layouts.truth import KINDS, Layout, Place, Truth, printed_rows

FONT = "STSong-Light"
PADDING = 5.4  # points left and right of a cell's text: Word's default cell margin (0.19 cm)
# Points a column of each kind takes; text columns share the rest of the page in proportion.
FIXED = {"serial": 30, "category": 56}
SHARE = {"name": 3, "departments": 1.6, "upper_duties": 3, "township_duties": 3,
         "receiver": 3, "receiver_department": 1.6, "receiver_method": 2.4}
EXTRA_SHARE = {"履职依据": 1.6}


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


def column_widths(layout: Layout, kind: ListKind, page_width: float, style: PdfStyle) -> list[
        float]:
    columns = layout.columns(kind)
    fixed = [FIXED.get(c, 0) if not c.startswith("extra:") else 0 for c in columns]
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
        self.pagesize = A4 if style.portrait else landscape(A4)
        self.margin = 36

    def paragraph(self, text: str, width: float) -> Paragraph:
        lines = wrap(text, width - 2 * PADDING - 0.5, self.style.font_size)
        return Paragraph("<br/>".join(escape(line) for line in lines), self.cell_style)

    def table(self, kind: ListKind) -> Table:
        layout = self.layout
        widths = column_widths(layout, kind, self.pagesize[0] - 2 * self.margin, self.style)
        header = layout.header_cells(kind)
        data = [[self.paragraph(text, widths[at]) if text else "" for at, text in
                 enumerate(row)] for row in header]
        commands: list[tuple] = [
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ]
        if len(header) == 2:
            top = header[0]
            for at, text in enumerate(top):
                if not text:
                    continue
                if header[1][at]:  # a group cell: over the columns left empty beside it
                    last = at
                    while last + 1 < len(top) and not top[last + 1] and header[1][last + 1]:
                        last += 1
                    commands.append(("SPAN", (at, 0), (last, 0)))
                else:
                    commands.append(("SPAN", (at, 0), (at, 1)))
        for printed in printed_rows(self.truth, layout, kind):
            row = len(data)
            if printed.section:
                data.append([self.paragraph(printed.section, sum(widths))]
                            + [""] * (len(widths) - 1))
                commands.append(("SPAN", (0, row), (-1, row)))
                continue
            data.append([self.paragraph(text, widths[at]) if text else ""
                         for at, text in enumerate(printed.cells)])
            if printed.run_length > 1:
                column = layout.columns(kind).index("category")
                commands.append(("SPAN", (column, row), (column, row + printed.run_length - 1)))
        table = Table(data, colWidths=widths, repeatRows=len(header),
                      splitInRow=1 if self.split_rows else 0)
        table.setStyle(TableStyle(commands))
        return table

    def story(self) -> list:
        layout = self.layout
        story: list = [Spacer(1, 60), Paragraph(escape(layout.cover_title()), self.title_style)]
        for at, kind in enumerate(KINDS):
            if not self.truth.of(kind):
                continue
            if self.style.new_page_per_list or at == 0:
                story.append(PageBreak())
            else:
                story.append(Spacer(1, 18))
            story.append(Paragraph(escape(layout.list_title(kind)), self.list_style))
            story.append(self.table(kind))
        return story

    def furniture(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        width, height = document.pagesize
        if self.style.running_title and document.page > 1:
            canvas.drawCentredString(width / 2, height - 22, self.layout.cover_title())
        canvas.drawCentredString(width / 2, 16, f"- {document.page} -")
        canvas.restoreState()


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
