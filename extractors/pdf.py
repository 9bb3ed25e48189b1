"""PDF through pdfplumber: ruled tables over many pages, stitched back into rows.

How a PDF is read, page by page (each page is closed after use, so memory stays flat):

- **Characters to text.** Characters are grouped into lines by their vertical position and
  ordered left to right. A space is text only where the PDF draws a space glyph, or where a gap
  separates two Latin letters or digits (producers that place words without space glyphs). A
  gap next to a Han character or CJK punctuation is layout (justification, character spacing),
  never a space: that is where pdfplumber's own text extraction puts stray spaces between Han
  characters. Wrapped lines of a cell are joined with nothing in between. A glyph drawn twice
  at the same place (fake bold) is read once; rotated text (watermarks) is not read.
- **Tables.** Ruled tables are found from their lines (pdfplumber's ``lines`` strategy). A table
  cut by a page break is often drawn open at the cut (no rule under the last row, none above
  the first), and a merged cell going on over the break is drawn open there though the
  rest of the table's edge is ruled: such open ends are closed before the search, so the cut
  row is not lost and the merged cell's column stays a column.
- **Lists.** Every table row (headers included), every line of text outside tables and every
  page and table start go, in reading order, to ``lvzhi.extractors.tables.TableAssembler``, which
  knows lists, titles, repeated headers and rows printed across a page break, the same for
  every format. Text outside tables where a table's rows stand (or right under its last
  row) that no list prints there is a part of a row the search missed: reported lost.

Line numbers (``Span.line_*`` and ``SourceLine.line``) count the text lines of the whole
document: page 1's lines from the top, then page 2's, and so on (roughly the line number in
``pdftotext`` output). A row's ``line`` is the first text line of its cells, ``line_last`` the
last; ``page`` is the page number (1-based).
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lvzhi.extractor import ExtractionError, Extractor, NoDutyListError
from lvzhi.extractors.tables import TableAssembler, is_cover_title, note_row, subheader
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument, SourceLine
from lvzhi.text import is_han
from lvzhi.vocabulary import list_kind_of_header, list_kind_of_title

if TYPE_CHECKING:  # pdfplumber is imported when a PDF is read: plugin loading stays fast
    from pdfplumber.page import Page
    from pdfplumber.pdf import PDF

Char = dict[str, Any]

# A PDF ends with %%EOF; readers accept it within the last 1024 bytes.
_EOF_WINDOW = 1024
# Share of glyphs without a Unicode mapping from which the text layer is unusable.
_CID_LIMIT = 0.3
_CID_RE = re.compile(r"^\(cid:\d+\)$")
# Open ends of table rules are closed when this many vertical rules share them (a list has
# three columns or more; two rules may be a frame around a note).
_MIN_OPEN_RULES = 3
_TOLERANCE = 3.0  # points: rules and ends this close are the same (pdfplumber's default)
# A gap between two Latin letters or digits wider than this share of the font size (beyond the
# line's usual gap) is a space.
_WORD_GAP = 0.15  # a space is 0.2–0.3 em wide, kerning well under 0.1 em
# Text outside tables further apart than this (in em) on one height is separate lines.
_SPLIT_GAP = 3.0
# Room (in em) under a cell's last line below which no other line fits: the line is at the
# cell's foot. Word's cell margin is 0; a line takes 1.2–1.5 em.
_FOOT_ROOM = 0.8


# What one file may cost: a list has tens of pages of a few KB each; a crafted file with a
# content stream that inflates to a gigabyte would take minutes and gigabytes to parse.
MAX_PAGES = 2000
MAX_PAGE_CONTENT = 64 * 2**20  # inflated bytes of one page's content streams


# --- opening the file --------------------------------------------------------------------

def _check_file(path: Path) -> None:
    """A PDF header and an end-of-file marker: catches a text file or a cut-short download."""
    with path.open("rb") as handle:
        head = handle.read(1024)
        if not head.strip():
            raise ExtractionError("the file is empty")
        if b"%PDF-" not in head:
            raise ExtractionError("not a PDF: the file does not start with %PDF")
        size = handle.seek(0, 2)
        handle.seek(max(0, size - _EOF_WINDOW))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise ExtractionError("the PDF is truncated (it has no end-of-file marker): the "
                              "download or copy was probably cut short")


def _open(path: Path) -> PDF:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(path)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise ExtractionError("the PDF is encrypted and needs a password: remove the "
                                  "protection first (e.g. qpdf --decrypt)") from exc
        raise _damaged(cause) from exc


def _close(pdf: PDF) -> None:
    try:
        pdf.close()
    except Exception:  # closing walks the page tree again, which fails again if damaged
        pdf.stream.close()


@contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """pdfminer logs each oddity of a damaged file as a warning, which Python prints on
    stderr when no logging is configured: the user gets our one-line error instead."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


# --- characters to lines -----------------------------------------------------------------

def _is_cjk(char: str) -> bool:
    """Han characters and the punctuation set between them (no spaces around either)."""
    code = ord(char)
    return (is_han(char) or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF
            or 0x2010 <= code <= 0x206F or code == 0x00B7 or 0xF900 <= code <= 0xFAFF
            or 0x2E80 <= code <= 0x2FDF)


def _ideograph_table() -> dict[int, str]:
    """Kangxi radicals and compatibility ideographs -> the ideographs they look like.

    Some producers map a glyph to the radical (⼯ U+2F2F) instead of the character (工 U+5DE5):
    it prints the same but is not the same text, and search would miss it.
    """
    table = {}
    for code in (*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00)):
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1 and folded != chr(code) and is_han(folded):
            table[code] = folded
    return table


_IDEOGRAPHS = _ideograph_table()


@dataclass(slots=True)
class TextLine:
    """One printed line of text (of a cell, or outside tables)."""

    top: float
    bottom: float
    text: str
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0


def _same_glyph(a: Char, b: Char) -> bool:
    """The same glyph drawn twice at (almost) the same place: fake bold or a shadow."""
    return (a["text"] == b["text"] and abs(a["x0"] - b["x0"]) < 0.3 * (a["width"] or 1)
            and abs(a["top"] - b["top"]) < 1)


def _gaps(chars: list[Char]) -> list[float]:
    return [b["x0"] - a["x1"] for a, b in pairwise(chars)]


def _typical_gap(chars: list[Char]) -> float:
    """The usual gap between neighbouring glyphs of a line: 0, or the character spacing of
    text spread out to fill its width (justified or distributed CJK)."""
    gaps = sorted(_gaps([c for c in chars if c["text"].strip()]))
    return max(0.0, gaps[len(gaps) // 2]) if len(gaps) >= 3 else 0.0


def _line_text(chars: list[Char], typical: float) -> str:
    """A line's text. A run of space glyphs is one space, the one printed first (a full-width
    space stays one); a gap makes a space only between Latin letters or digits."""
    out: list[str] = []
    previous: Char | None = None
    space = ""
    for char in chars:
        text = char["text"]
        if not text or text.isspace():
            space = space or (text[:1] if out else "")
            continue
        if previous is not None:
            if _same_glyph(previous, char):
                continue
            gap = char["x0"] - previous["x1"] - typical
            if space:
                out.append(space)
            elif (gap > _WORD_GAP * char["size"] and not _is_cjk(out[-1][-1])
                  and not _is_cjk(text[0])):
                out.append(" ")
        out.append("\ufffd" if _CID_RE.match(text) else text.translate(_IDEOGRAPHS))
        previous, space = char, ""
    return "".join(out)


def _segments(chars: list[Char], typical: float, split: float | None) -> list[list[Char]]:
    """A line's characters, cut where a gap is ``split`` em wider than usual (text placed
    apart on one height, e.g. a page header left and a page number right)."""
    if split is None:
        return [chars]
    segments = [[chars[0]]]
    for previous, char in pairwise(chars):
        if char["x0"] - previous["x1"] - typical > split * char["size"]:
            segments.append([])
        segments[-1].append(char)
    return segments


def text_lines(chars: Sequence[Char], *, split: float | None = None) -> list[TextLine]:
    """Characters grouped into lines, top to bottom: a character whose middle lies within the
    band of the line being built belongs to it. With ``split``, a line is also cut where a gap
    is that many em wider than its usual gap."""
    bands: list[list[float]] = []  # [top, bottom] of each line
    members: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if bands and (char["top"] + char["bottom"]) / 2 < bands[-1][1]:
            members[-1].append(char)
            bands[-1][1] = max(bands[-1][1], char["bottom"])
            continue
        bands.append([char["top"], char["bottom"]])
        members.append([char])
    lines = []
    for (top, bottom), group in zip(bands, members, strict=True):
        group.sort(key=lambda c: c["x0"])
        typical = _typical_gap(group)
        for segment in _segments(group, typical, split):
            text = _line_text(segment, typical).strip()
            if text:
                sizes = sorted(c["size"] for c in segment)
                lines.append(TextLine(top, bottom, text, segment[0]["x0"], segment[-1]["x1"],
                                      sizes[len(sizes) // 2]))
    return lines


# Page numbers are page furniture: "- 3 -", "3", "第 3 页", "第3页 共38页", "3/38".
_PAGE_NUMBER_RE = re.compile(r"^[-—–·\s]*\d{1,4}[-—–·\s]*$|^第\s*\d+\s*页(\s*[，,]?\s*共\s*\d+"
                             r"\s*页)?$|^\d+\s*/\s*\d+$")


def _paragraphs(lines: list[TextLine]) -> list[TextLine]:
    """Lines outside tables with the wrapped lines of a paragraph joined (nothing in between),
    page numbers left out.

    A line continues the one above when that one runs to the right edge of the page's text,
    the gap between them is tighter than a line, the size is the same and it does not start
    right of the line above (a paragraph's first line may be indented).
    """
    right = max((line.x1 for line in lines), default=0.0)
    out: list[TextLine] = []
    for line in lines:
        if _PAGE_NUMBER_RE.match(line.text):
            continue
        last = out[-1] if out else None
        if (last is not None and last.x1 >= right - 1.5 * last.size
                and 0 <= line.top - last.bottom < 0.8 * last.size
                and abs(line.size - last.size) < 0.5 and line.x0 <= last.x0 + 0.5 * line.size):
            out[-1] = TextLine(last.top, line.bottom, last.text + line.text, last.x0,
                               line.x1, last.size)
            continue
        out.append(line)
    return out


# --- tables on a page --------------------------------------------------------------------

def _closing_rules(edges: list[Char]) -> list[dict[str, Any]]:
    """Horizontal rules that close a table drawn open at a page break.

    Where three or more vertical rules end (or start) at the same height and no horizontal
    rule is there, the table was cut: a rule across them makes the cut row a cell again.
    Where fewer end in the open beside a rule drawn at that height (the table's edge drawn
    under every cell but a merged one that goes on over the break), the rule is drawn on to
    them: else the merged cell's column is no cell, and its rows lack a column.

    A rule drawn as a thin filled rectangle (Word's PDF export draws borders so) has short
    sides across it: those are no rules, and a vertical one's ends stay open.
    """
    edges = [e for e in edges if (e["x1"] - e["x0"] if e["orientation"] == "h"
                                  else e["bottom"] - e["top"]) > _TOLERANCE]
    horizontal = sorted((e["top"], e["x0"], e["x1"]) for e in edges
                         if e["orientation"] == "h")
    tops = [h[0] for h in horizontal]

    def rules_at(y: float) -> list[tuple[float, float, float]]:
        return horizontal[bisect_left(tops, y - _TOLERANCE):bisect_right(tops, y + _TOLERANCE)]

    def closed(y: float, x: float) -> bool:
        return any(h[1] - _TOLERANCE <= x <= h[2] + _TOLERANCE for h in rules_at(y))

    open_ends: list[tuple[float, float]] = []  # (y, x) of vertical rules ending in the open
    ends: list[tuple[float, float]] = []  # (y, x) of every end of a vertical rule
    for edge in edges:
        if edge["orientation"] != "v":
            continue
        ends += [(edge["top"], edge["x0"]), (edge["bottom"], edge["x0"])]
        open_ends += [(y, edge["x0"]) for y in (edge["top"], edge["bottom"])
                      if not closed(y, edge["x0"])]
    rules = []
    for group in _clusters(sorted(open_ends)):
        xs = sorted({round(x) for _, x in group})
        y = group[0][0]
        if len(xs) >= _MIN_OPEN_RULES:
            rules.append(_rule(y, xs[0], xs[-1]))
            continue
        for x in xs:
            if (beside := _rule_beside(y, x, rules_at(y), ends)) is not None:
                rules.append(_rule(y, *beside))
    return rules


def _rule(y: float, x0: float, x1: float) -> dict[str, Any]:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
            "width": x1 - x0, "height": 0}


def _rule_beside(y: float, x: float, drawn: list[tuple[float, float, float]],
                 ends: list[tuple[float, float]]) -> tuple[float, float] | None:
    """(x0, x1) of a rule from an open end at (``x``, ``y``) to the nearest rule drawn at that
    height, where it closes a table's edge: the drawn rule meets as many vertical rules ending
    there as a table has columns, and every vertical rule between it and ``x`` ends there."""
    best: tuple[float, float] | None = None
    ending = {round(ex) for ey, ex in ends if abs(ey - y) <= _TOLERANCE}
    for _, x0, x1 in drawn:
        span = (x, x0) if x < x0 else (x1, x) if x > x1 else None
        if span is None:
            continue
        meeting = {round(ex) for ey, ex in ends if abs(ey - y) <= _TOLERANCE
                   and x0 - _TOLERANCE <= ex <= x1 + _TOLERANCE}
        between = {round(ex) for ey, ex in ends
                   if span[0] + _TOLERANCE < ex < span[1] - _TOLERANCE}
        if len(meeting) >= _MIN_OPEN_RULES and between <= ending and (
                best is None or span[1] - span[0] < best[1] - best[0]):
            best = span
    return best


def _clusters(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Points sorted by y, grouped where consecutive ones lie within the tolerance."""
    groups: list[list[tuple[float, float]]] = []
    for point in points:
        if groups and point[0] - groups[-1][-1][0] <= _TOLERANCE:
            groups[-1].append(point)
        else:
            groups.append([point])
    return groups


@dataclass(slots=True)
class TableRow:
    cells: list[list[TextLine]]  # per column the cell's lines; [] for an empty or merged cell
    # per column: the cell's text runs down to its foot, leaving no room for another line
    full: list[bool] = field(default_factory=list)
    # per column: the position is covered by a cell merged down from a row above (no rule
    # between them), whose text stands in that row
    merged: list[bool] = field(default_factory=list)
    # per column: no cell starts there, and none above covers it (one from the left does)
    beside: list[bool] = field(default_factory=list)

    def texts(self) -> list[str]:
        """Cell texts: wrapped lines joined with nothing in between."""
        return ["".join(line.text for line in cell) for cell in self.cells]

    def lines(self) -> list[TextLine]:
        return [line for cell in self.cells for line in cell]


@dataclass(slots=True)
class PageTable:
    top: float
    bbox: tuple[float, float, float, float]
    rows: list[TableRow] = field(default_factory=list)
    stray: list[TextLine] = field(default_factory=list)  # inside the table, in no cell


def _inside(char: Char, box: Sequence[float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _in_cell(char: Char, box: Sequence[float]) -> bool:
    """Whether a character's middle is in a cell; a middle on a rule goes to one side only."""
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _cell_chars(chars_by_middle: list[Char], middles: list[float],
                box: Sequence[float]) -> list[Char]:
    lo, hi = bisect_left(middles, box[1]), bisect_left(middles, box[3])
    return [c for c in chars_by_middle[lo:hi] if _in_cell(c, box)]


def _at_foot(line: TextLine, box: Sequence[float]) -> bool:
    """Whether a cell's last line stands at the cell's foot: less than a line's height
    below it (a cell's margin)."""
    return box[3] - line.bottom < _FOOT_ROOM * line.size


def _read_tables(page: Page, chars: list[Char]) -> list[PageTable]:
    settings = {"explicit_horizontal_lines": _closing_rules(page.edges)}
    by_middle = sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2)
    middles = [(c["top"] + c["bottom"]) / 2 for c in by_middle]
    tables = []
    for found in page.find_tables(settings):
        table = PageTable(found.bbox[1], found.bbox)
        placed: set[int] = set()
        lefts = sorted({cell[0] for cell in found.cells})  # pdfplumber's row positions
        for row in found.rows:
            cells, full = [], []
            for box in row.cells:
                members = _cell_chars(by_middle, middles, box) if box else []
                placed.update(map(id, members))
                cells.append(text_lines(members))
                full.append(box is not None and bool(cells[-1]) and _at_foot(cells[-1][-1], box))
            covered = _covered(found.cells, row, lefts)
            table.rows.append(TableRow(cells, full, [c == "above" for c in covered],
                                       [c == "beside" for c in covered]))
        table.stray = text_lines([c for c in _cell_chars(by_middle, middles, found.bbox)
                                  if id(c) not in placed])
        tables.append(table)
    return sorted(tables, key=lambda t: t.top)


def _covered(boxes: Sequence[Sequence[float]], row: Any, lefts: list[float]) -> list[str]:
    """Per position of a pdfplumber table row (no cell starting there): "above" where a cell
    starting in a row above covers it (merged down over rows: no rule under it here),
    "beside" where one starting in this row to its left does (merged across), else ""."""
    if all(row.cells) or len(lefts) != len(row.cells):
        return [""] * len(row.cells)
    top = row.bbox[1]
    covered = []
    for x, box in zip(lefts, row.cells, strict=True):
        over = [] if box is not None else [
            cell for cell in boxes if cell[0] - _TOLERANCE < x < cell[2] - _TOLERANCE
            and cell[1] < top + _TOLERANCE and cell[3] > top + _TOLERANCE]
        covered.append("" if not over else "above" if over[0][1] < top - _TOLERANCE
                       else "beside")
    return covered


_HEADER_PART_RE = re.compile(r"职责|部门|方式|名称|类别|序号|事项")


def _merge_header_rows(rows: list[TableRow]) -> list[TableRow]:
    """A header printed over two rows (职责 spanning 上级部门职责 | 乡镇配合职责) as one row.
    A second row the assembler knows as one (``subheader``: names under a group cell) is
    left to it: joined here, a group cell that names a column itself (承接部门及工作方式
    over 承接单位 | 承接方式) would run into the name below it."""
    out: list[TableRow] = []
    for row in rows:
        texts = row.texts()
        if out and subheader(out[-1].texts(), texts):
            out.append(row)
            continue
        if (out and list_kind_of_header(out[-1].texts()) is not None and not texts[0]
                and any(texts) and all(len(t) <= 12 for t in texts)
                and any(_HEADER_PART_RE.search(t) for t in texts)
                and len(row.cells) == len(out[-1].cells)):
            out[-1] = TableRow([a + b for a, b in zip(out[-1].cells, row.cells, strict=True)],
                               row.full, row.merged)
            continue
        out.append(row)
    return out


# --- one page ----------------------------------------------------------------------------

@dataclass(slots=True)
class PageContent:
    """What one page holds, in reading order, and what its glyphs say about the text layer."""

    number: int
    line_tops: list[float]  # the page's text lines, for line numbers
    texts: list[TextLine]  # lines outside tables
    tables: list[PageTable]
    glyphs: int = 0
    unmapped: int = 0  # (cid:N) glyphs: no Unicode mapping
    sideways: int = 0  # glyphs not upright (rotated text), not read
    radicals: int = 0  # glyphs mapped to a radical or compatibility form of an ideograph
    wide_rules: int = 0  # horizontal rules across a third of the page or more

    def line_number(self, top: float) -> int:
        """1-based number of the page's text line at ``top``."""
        return max(1, bisect_right(self.line_tops, top + 0.5))


def read_page(page: Page) -> PageContent:
    chars = [c for c in page.chars if c.get("upright", True)]
    glyphs = [c for c in chars if c["text"].strip()]
    sideways = sum(1 for c in page.chars if not c.get("upright", True) and c["text"].strip())
    unmapped = sum(1 for c in glyphs if _CID_RE.match(c["text"]))
    radicals = sum(1 for c in glyphs if any(ord(x) in _IDEOGRAPHS for x in c["text"]))
    tables = _read_tables(page, chars) if glyphs else []
    boxes = [t.bbox for t in tables]
    outside = [c for c in chars if not any(_inside(c, box) for box in boxes)]
    for table in tables:
        table.rows = _merge_header_rows(table.rows)
    return PageContent(
        number=page.page_number,
        line_tops=[line.top for line in text_lines(glyphs)],
        texts=_paragraphs(text_lines(outside, split=_SPLIT_GAP)),
        tables=tables,
        glyphs=len(glyphs),
        unmapped=unmapped,
        sideways=sideways,
        radicals=radicals,
        wide_rules=sum(1 for e in page.edges if e["orientation"] == "h"
                       and e["x1"] - e["x0"] >= page.width / 3),
    )


# --- the document ------------------------------------------------------------------------

def _damaged(exc: BaseException, page: int | None = None) -> ExtractionError:
    reason = " ".join(str(exc).split())[:100]
    if len(reason) < 8:  # a bare KeyError(0) says nothing without its kind
        reason = f"{type(exc).__name__} {reason}".strip()
    return ExtractionError(f"the PDF is damaged and cannot be read ({reason})", page=page)


def _pages(pdf: PDF) -> Iterator[PageContent]:
    """Each page read and closed. pdfminer raises many kinds of errors on a damaged file, so
    any error while it parses a page means the file is damaged (errors in our own reading of
    the parsed page are not caught here: they are bugs and must show as such)."""
    try:
        pages = pdf.pages
    except Exception as exc:
        raise _damaged(exc) from exc
    if len(pages) > MAX_PAGES:
        raise ExtractionError(f"the PDF has {len(pages)} pages, more than the {MAX_PAGES} a "
                              "duty list could have: refused")
    for number, page in enumerate(pages, 1):
        try:
            if (size := _inflated_over(page, MAX_PAGE_CONTENT)) is not None:
                raise ExtractionError(f"a content stream inflates to over {size // 2**20} MB "
                                      "(a compression bomb?): refused", page=number)
            try:
                page.chars, page.edges  # noqa: B018 -- parse the page now, cached for reading
            except Exception as exc:
                raise _damaged(exc, number) from exc
            yield read_page(page)
        finally:
            page.close()


def _inflated_over(page: Page, limit: int) -> int | None:
    """``limit`` if the page's Flate content streams inflate to more than ``limit`` bytes
    (found by inflating at most ``limit`` + 1 bytes of each, never the whole), else None."""
    from pdfminer.pdftypes import PDFStream, resolve1

    contents = resolve1(page.page_obj.attrs.get("Contents"))
    streams = contents if isinstance(contents, list) else [contents]
    total = 0
    for stream in map(resolve1, streams):
        if not isinstance(stream, PDFStream) or stream.rawdata is None:
            continue
        filters = [getattr(f, "name", f) for f, _params in stream.get_filters()]
        if filters != ["FlateDecode"] or stream.decipher is not None:
            continue  # other filters are rare in lists, and bounded by the time budget
        with suppress(zlib.error):
            total += len(zlib.decompressobj().decompress(stream.rawdata, limit + 1 - total))
        if total > limit:
            return limit
    return None


@dataclass(slots=True)
class _Row:
    """A table row ready for the assembler: cell texts (None where a cell from the left
    covers the position), its first and last line, its page, which cells' text runs to their
    foot, which positions a cell merged down from above covers."""

    cells: list[str | None]
    line: int
    line_last: int
    page: int
    full: list[bool]
    merged: list[bool]


class _Reader:
    """Feeds pages to the assembler in reading order and keeps the tally of the text layer."""

    def __init__(self) -> None:
        self.tables = TableAssembler(repeated_header_breaks=False)
        self.pages = self.glyphs = self.unmapped = self.sideways = self.found_tables = 0
        self.radicals = self.wide_rules = 0
        self.unmapped_pages: list[int] = []
        self._offset = 0  # text lines on the pages before
        self._stray: list[SourceLine] = []  # text inside a table but in no cell
        self._under: list[SourceLine] = []  # text under a table's top, beside it, in no cell

    def page(self, content: PageContent) -> None:
        self.pages += 1
        self.glyphs += content.glyphs
        self.unmapped += content.unmapped
        self.sideways += content.sideways
        self.radicals += content.radicals
        self.wide_rules += content.wide_rules
        self.found_tables += len(content.tables)
        if content.unmapped:
            self.unmapped_pages.append(content.number)
        self._stray += [SourceLine(self._offset + content.line_number(line.top), line.text,
                                   content.number)
                        for table in content.tables for line in table.stray]
        self._under += [SourceLine(self._offset + content.line_number(line.top), line.text,
                                   content.number) for line in _under_tables(content)]
        self.tables.page_break()
        for event in self._events(content):
            if event is None:
                self.tables.page_break()
            elif isinstance(event, _Row):
                self.tables.row(event.cells, line=event.line, page=event.page,
                                line_last=event.line_last, full=event.full,
                                merged=event.merged)
            else:
                self.tables.text(event[0], line=event[1], page=content.number)
        self._offset += len(content.line_tops)

    def finish(self) -> ExtractedDocument:
        document = self.tables.finish()
        document.pages = self.pages
        if self._stray:
            # Not lost silently: the conservation check reports them with their lines.
            document.orphans += self._stray
            document.warnings.append(
                f"{len(self._stray)} line(s) of text inside a table but in no cell, first on "
                f"page {self._stray[0].page}: {self._stray[0].text[:30]!r}")
        if self._under:
            # Text where a table's rows stand is a part of a row the table search missed
            # (a row cut at a page break not closed, say): reported, never dropped.
            document.orphans += self._under
            document.warnings.append(
                f"{len(self._under)} line(s) of text under a table's top but in no table, "
                f"first on page {self._under[0].page}: {self._under[0].text[:30]!r}")
        return document

    def _events(self, content: PageContent) -> list[_Row | tuple[str, int] | None]:
        """Lines outside tables as (text, line), table rows as ``_Row``, None where a table
        starts; top to bottom."""
        placed: list[tuple[float, TextLine | PageTable]] = [(t.top, t) for t in content.texts]
        placed += [(t.top, t) for t in content.tables]
        events: list[_Row | tuple[str, int] | None] = []
        for _, item in sorted(placed, key=lambda e: e[0]):
            if isinstance(item, TextLine):
                events.append((item.text, self._offset + content.line_number(item.top)))
                continue
            events.append(None)
            for row in item.rows:
                if lines := row.lines():
                    texts: list[str | None] = [
                        None if at < len(row.beside) and row.beside[at] else text
                        for at, text in enumerate(row.texts())]
                    events.append(_Row(
                        texts, self._offset + content.line_number(min(x.top for x in lines)),
                        self._offset + content.line_number(max(x.top for x in lines)),
                        content.number, row.full, row.merged))
        return events


# Text outside a table a list prints under it: 附件2 above the next list's title.
_ATTACHMENT_RE = re.compile(r"^附\s*件\s*\d*[:：]?$")


def _under_tables(content: PageContent) -> list[TextLine]:
    """Lines outside tables that stand where a table's rows are or right under its last one
    (less than a line apart), within its width. Titles (of the next list, or repeated), notes
    and 附件 lines are what a list prints there; anything else is text of a row that no table
    holds (a part of a row cut at a page break that was not closed, say). Text set apart
    under a table (a date, a signature) is not."""
    out = []
    for line in content.texts:
        text = line.text
        if (list_kind_of_title(text) is not None or is_cover_title(text)
                or note_row([text]) is not None or _ATTACHMENT_RE.match(text)):
            continue
        if any(table.top < line.top < table.bbox[3] + line.size
               and table.bbox[0] - _TOLERANCE <= line.x0 < table.bbox[2]
               for table in content.tables):
            out.append(line)
    return out


def _text_layer_problem(reader: _Reader) -> str | None:
    if reader.pages == 0:
        return "the PDF has no pages"
    if reader.glyphs == 0 and reader.sideways:
        return ("the PDF's text is printed sideways (rotated on the page): turn the pages "
                "upright first, e.g. qpdf --rotate=+90 in.pdf out.pdf")
    if reader.glyphs == 0:
        return (f"the PDF has no text layer (none of its {reader.pages} page(s) holds text: a "
                "scan or images): run OCR first, e.g. ocrmypdf -l chi_sim in.pdf out.pdf")
    if reader.unmapped > _CID_LIMIT * reader.glyphs:
        return (f"the PDF has no usable text layer ({reader.unmapped} of {reader.glyphs} glyphs "
                "are (cid:N) codes without Unicode mapping): run OCR first, e.g. "
                "ocrmypdf --force-ocr -l chi_sim in.pdf out.pdf")
    return None


def _pages_list(pages: list[int]) -> str:
    shown = ", ".join(map(str, pages[:10]))
    return shown + (f" and {len(pages) - 10} more" if len(pages) > 10 else "")


def extract_pdf(path: Path) -> ExtractedDocument:
    """Read a PDF's duty lists. Raises ``ExtractionError`` with a one-line reason."""
    _check_file(path)
    reader = _Reader()
    with _quiet_pdfminer():
        pdf = _open(path)
        try:
            for content in _pages(pdf):
                reader.page(content)
        finally:
            _close(pdf)
    if problem := _text_layer_problem(reader):
        raise ExtractionError(problem)
    if reader.found_tables == 0 and reader.wide_rules:
        # a frame, or rules over and under the header (三线表): columns are not drawn
        raise NoDutyListError(
            f"no ruled table in this PDF ({reader.pages} page(s) of text): its rules draw no "
            "cells (a frame only, or rules over and under the header, as a 三线表 has); lvzhi "
            "reads tables with ruled cells: dump it with pdftotext -layout and read the text "
            "file")
    if reader.found_tables == 0:
        raise NoDutyListError(f"no ruled table in this PDF ({reader.pages} page(s) of text): "
                              "lvzhi reads lists printed as tables with ruling lines")
    document = reader.finish()
    if reader.radicals:
        document.warnings.append(
            f"{reader.radicals} glyph(s) mapped to Kangxi radicals or compatibility ideographs "
            "(⼯ for 工) were read as the ideographs they print")
    if reader.unmapped:
        document.warnings.append(
            f"{reader.unmapped} glyph(s) without Unicode mapping, read as \ufffd, on page(s) "
            f"{_pages_list(reader.unmapped_pages)}")
    return document


class PDFExtractor(Extractor):
    name = "pdf"
    version = "0.2"
    description = "PDF with ruled tables (pdfplumber); scans need OCR first"
    extensions = (".pdf",)

    def sniff(self, path: Path, head: bytes) -> float:
        if b"%PDF-" in head[:1024]:
            return 1.0
        return 0.5 if path.suffix.lower() == ".pdf" else 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        return extract_pdf(path)


@hookimpl
def register_extractors(register):
    register(PDFExtractor())

