"""Word ``.docx`` through python-docx: the body read in order, tables cell by cell from the XML.

A county office writes its lists in Word: a cover title, perhaps a 说明 preface, then each list's
title paragraph and a table (or a list continued in a second table after a page break, its
header row repeated). python-docx opens the package; the body is then walked in document
order (paragraphs and tables interleaved, content controls opened), because
``Document.paragraphs`` and ``Document.tables`` lose the order between them, and
``row.cells`` repeats a merged cell's object in every position it covers, which cannot be told
from cells holding the same text. So each ``w:tr`` is read from its ``w:tc`` elements:

- ``w:gridSpan`` (a cell over several grid columns): its text in the first position, None in
  the others; ``w:gridBefore`` / ``w:gridAfter`` (a row starting or ending short): None;
- ``w:vMerge`` without ``restart`` (a cell continuing the merged cell above): None in every
  position it spans, each marked covered from above (the assembler gives a body row the
  merged cell's text there); the legacy ``w:hMerge`` continuation: None;
- deleted rows of tracked changes are skipped; deleted text (``w:delText``, moved-away text),
  field codes and hidden text (``w:vanish``: Word neither shows nor prints it; a warning
  counts it) are no text.

Cell text: the cell's paragraphs joined with nothing (each paragraph is a wrapped line or a
step that prints its own number ``1.…；``), line breaks (``w:br``) nothing, tabs whitespace;
runs of whitespace one space. Numbers Word prints itself (``w:numPr``, the paragraph's or
its style's: a 序号 column
numbered automatically, steps in a numbered list) are not in the text: they are counted as
Word counts them and printed before the paragraph (``1.``, ``（一）``, ``①`` …), so an
automatic serial reads as a serial and numbered steps split at their numbers. Bulleted
paragraphs (no number to print) are a marked list: the items are joined with a space and
passed as the cell's items, so each becomes a duty step, as an HTML ``<ol>`` does.

Around the body: each section's page header (first-page and default, each once) is read
before the section, and a text box anchored in a body paragraph after that paragraph
(Word writes a box twice, as a drawing and as a VML fallback: the first is read); a
county may put the title in either. Text boxes inside a cell are not read.

A table of a single cell that holds tables (a frame around the whole document) is read as
body; any other table inside a cell is part of that cell's text.

Positions: ``line`` counts the body's paragraphs and table rows from the top (1-based, every
paragraph counted, empty ones too; the rows of tables inside a frame too); a .docx has no
fixed pages, so ``page`` is not given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from lvzhi.extractor import Extractor, NoDutyListError
from lvzhi.extractors._office import OLE2_MAGIC, ZIP_MAGIC, check_package, clean_text, damaged
from lvzhi.extractors.tables import TableAssembler
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument

if TYPE_CHECKING:  # lxml and python-docx are imported when a file is read
    from docx.opc.part import XmlPart
    from lxml.etree import _Element

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
W = "{" + W_NS + "}"
P, TBL, TR, TC = W + "p", W + "tbl", W + "tr", W + "tc"
ALT_CHUNK = W + "altChunk"  # content imported in another format (HTML, RTF), expanded by Word
# Containers that hold blocks, rows or cells without being one: content controls, custom XML.
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml"}
_VAL = W + "val"
# A cell span beyond this is a damaged file, not a table.
_MAX_SPAN = 256

_xpaths: dict[str, object] = {}
_HIDDEN = "../w:rPr/w:vanish[not(@w:val='0' or @w:val='false' or @w:val='off')]"


def _xpath(name: str):
    """Compiled XPath expressions, built on first use (lxml is imported only then)."""
    if not _xpaths:
        from lxml import etree

        ns = {"w": W_NS, "mc": MC_NS}
        # Text of runs, not of deleted or moved-away runs, alternate renderings or text boxes.
        # Hidden text (w:vanish) is neither shown nor printed by Word.
        # (a run in a text box anchored in the paragraph is in the box's own paragraph)
        _xpaths["text"] = etree.XPath(
            "(.//w:r/w:t | .//w:r/w:tab | .//w:r/w:noBreakHyphen)[not(ancestor::w:del or "
            f"ancestor::mc:Fallback or ancestor::w:moveFrom or {_HIDDEN}) and "
            "count(ancestor::w:p[1] | $paragraph) = 1]", namespaces=ns)
        _xpaths["hidden"] = etree.XPath(
            f".//w:r/w:t[{_HIDDEN} and not(ancestor::w:del or ancestor::w:moveFrom or "
            "ancestor::mc:Fallback)]", namespaces=ns)
        # Text boxes anchored in a paragraph (Word writes each twice: read the first)
        _xpaths["boxes"] = etree.XPath(
            ".//w:txbxContent[not(ancestor::mc:Fallback or ancestor::w:txbxContent)]",
            namespaces=ns)
        _xpaths["paragraphs"] = etree.XPath(
            ".//w:p[not(ancestor::mc:Fallback or ancestor::w:txbxContent)]", namespaces=ns)
    return _xpaths[name]


def _children(parent: _Element, tags: tuple[str, ...]) -> Iterator[_Element]:
    """Children of ``parent`` with one of ``tags``, content controls and custom XML opened."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


# --- numbers Word prints itself ---------------------------------------------------------------

_CHINESE_DIGITS = "零一二三四五六七八九"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _chinese(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三, 105 -> 一百零五 (Word's chineseCounting)."""
    if n >= 100:
        hundreds, rest = divmod(n, 100)
        tail = "" if rest == 0 else ("零" if rest < 10 else "") + _chinese(rest)
        return _CHINESE_DIGITS[hundreds % 10] + "百" + tail
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CHINESE_DIGITS[tens] + "十")
    return head + (_CHINESE_DIGITS[ones] if ones or not tens else "")


def _letters(n: int) -> str:
    """1 -> a … 26 -> z, 27 -> aa (Word repeats the letter)."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


# numFmt -> the number as printed; formats not here (bullet, …) print no number we can know.
_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(_FULL_WIDTH),
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "ideographDigital": lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n)),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: f"({n})",
    "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
    "none": lambda n: "",
}
_LEVEL_TEXT_RE = re.compile(r"%([1-9])")


@dataclass(slots=True)
class _Level:
    start: int
    format: str
    text: str | None  # w:lvlText, None when the level has none


class Numbering:
    """The numbers Word prints before numbered paragraphs (``w:numPr``), which are no part of
    the paragraph's text: counted in document order, per list (``w:numId``) and level, as
    Word counts them (a level restarts when a higher one goes on; ``w:startOverride``
    restarts a list instance). A paragraph without its own ``w:numPr`` is numbered by its
    paragraph style's (or the style it is based on), as Word's 编号 styles number."""

    def __init__(self, numbering: _Element | None, styles: _Element | None = None) -> None:
        self._styles = _style_numbers(styles)
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._lists: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> abstract, starts
        self._counters: dict[str, dict[int, int]] = {}
        if numbering is None:
            return
        for abstract in numbering.iterfind(W + "abstractNum"):
            levels = {}
            for level in abstract.iterfind(W + "lvl"):
                levels[_int(level.get(W + "ilvl"), 0)] = _Level(
                    _int(_val(level, "start"), 1), _val(level, "numFmt") or "decimal",
                    _val(level, "lvlText"))
            self._abstract[abstract.get(W + "abstractNumId", "")] = levels
        for instance in numbering.iterfind(W + "num"):
            starts = {_int(override.get(W + "ilvl"), 0): _int(_val(override, "startOverride"),
                                                                 1)
                      for override in instance.iterfind(W + "lvlOverride")
                      if override.find(W + "startOverride") is not None}
            self._lists[instance.get(W + "numId", "")] = (_val(instance, "abstractNumId") or "",
                                                          starts)

    def label(self, paragraph: _Element) -> str | None:
        """The number printed before ``paragraph`` ("" if none), counting it; None if the
        paragraph is numbered in a way that prints no number we can know (a bullet)."""
        properties = _property(paragraph, "pPr", "numPr")
        if properties is None:  # numbered through its paragraph style, or not at all
            style = _property(paragraph, "pPr", "pStyle")
            properties = self._styles.get(style.get(_VAL, "")) if style is not None else None
            if properties is None:
                return ""
        number_id = _val(properties, "numId")
        if not number_id or number_id == "0" or number_id not in self._lists:
            return ""
        abstract, starts = self._lists[number_id]
        levels = self._abstract.get(abstract, {})
        at = _int(_val(properties, "ilvl"), 0)
        if at not in levels:
            return None
        counters = self._counters.setdefault(number_id, {})
        for deeper in [lvl for lvl in counters if lvl > at]:
            del counters[deeper]
        start = starts.get(at, levels[at].start)
        counters[at] = counters[at] + 1 if at in counters else start
        text = levels[at].text
        if text is None or levels[at].format not in _FORMATS:
            return None

        def number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            value = counters.get(level, levels[level].start if level in levels else 1)
            form = _FORMATS.get(levels[level].format if level in levels else "decimal", str)
            return form(value)

        return _LEVEL_TEXT_RE.sub(number, text)


def _style_numbers(styles: _Element | None) -> dict[str, _Element]:
    """Paragraph style id -> the ``w:numPr`` the style numbers with (its own, or that of the
    style it is based on)."""
    if styles is None:
        return {}
    own: dict[str, _Element | None] = {}
    based: dict[str, str] = {}
    for style in styles.iterfind(W + "style"):
        name = style.get(W + "styleId", "")
        own[name] = _property(style, "pPr", "numPr")
        if (parent := _val(style, "basedOn")) is not None:
            based[name] = parent
    found: dict[str, _Element] = {}
    for name in own:
        seen, at = set(), name
        while at in own and at not in seen:
            seen.add(at)
            if (numbers := own[at]) is not None:
                found[name] = numbers
                break
            at = based.get(at, "")
    return found


def _val(element: _Element, name: str) -> str | None:
    child = element.find(W + name)
    return None if child is None else child.get(_VAL)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def paragraph_text(paragraph: _Element) -> str:
    parts = []
    for node in _xpath("text")(paragraph, paragraph=paragraph):
        tag = node.tag
        if tag == W + "t":
            parts.append(node.text or "")
        elif tag == W + "tab":
            parts.append(" ")
        else:  # a non-breaking hyphen
            parts.append("-")
    return "".join(parts)


def cell_text(cell: _Element, numbering: Numbering) -> tuple[str, list[str] | None]:
    """A cell's text, and its items where Word marks paragraphs as a list without a number we
    can print (bullets)."""
    paragraphs = _xpath("paragraphs")(cell)
    texts = []
    bulleted = False
    for paragraph in paragraphs:
        label = numbering.label(paragraph)
        bulleted = bulleted or label is None
        texts.append((label or "") + paragraph_text(paragraph))
    if bulleted and len(paragraphs) > 1:
        items = [item for item in map(clean_text, texts) if item]
        return " ".join(items), items
    return clean_text("".join(texts)), None


def _property(element: _Element, holder: str, name: str) -> _Element | None:
    properties = element.find(W + holder)
    return None if properties is None else properties.find(W + name)


def _number(element: _Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(0, min(int(element.get(_VAL, default)), _MAX_SPAN))
    except ValueError:
        return default


Cells = list[str | None]


@dataclass(slots=True)
class RowCells:
    """One ``w:tr`` as rectangular cells (None where a merge covers a position), the items of
    each cell, and whether a cell merged down from the row above covers the position."""

    cells: Cells
    items: list[list[str] | None]
    merged: list[bool]


def row_cells(row: _Element, numbering: Numbering) -> RowCells | None:
    """One ``w:tr`` read (see ``RowCells``); None for a row deleted in tracked changes."""
    if _property(row, "trPr", "del") is not None:
        return None
    before = _number(_property(row, "trPr", "gridBefore"), 0)
    read = RowCells([None] * before, [None] * before, [False] * before)
    for cell in _children(row, (TC,)):
        span = max(1, _number(_property(cell, "tcPr", "gridSpan"), 1))
        vertical = _property(cell, "tcPr", "vMerge")
        horizontal = _property(cell, "tcPr", "hMerge")
        below = vertical is not None and vertical.get(_VAL, "continue") == "continue"
        if below or (horizontal is not None and horizontal.get(_VAL, "continue") == "continue"):
            read.cells += [None] * span
            read.items += [None] * span
            read.merged += [below] * span
            continue
        text, marked = cell_text(cell, numbering)
        read.cells += [text] + [None] * (span - 1)
        read.items += [marked] + [None] * (span - 1)
        read.merged += [False] * span
    after = _number(_property(row, "trPr", "gridAfter"), 0)
    read.cells += [None] * after
    read.items += [None] * after
    read.merged += [False] * after
    return read


def frame_cell(table: _Element) -> _Element | None:
    """The cell of a table of one cell that holds tables (a frame drawn around the whole
    document): its content is read as body, not as one cell."""
    rows = list(_children(table, (TR,)))
    if len(rows) != 1:
        return None
    cells = list(_children(rows[0], (TC,)))
    if len(cells) != 1 or next(_children(cells[0], (TBL,)), None) is None:
        return None
    return cells[0]


def section_headers(word) -> list[list[_Element]]:
    """Per section of the body, in order, the page headers it starts (its first-page and
    default headers, each once: a section that keeps the previous section's header starts
    none)."""
    body = word.element.body
    seen: set[str] = set()
    headers: list[list[_Element]] = []
    for properties in body.iter(W + "sectPr"):
        starts = []
        references = sorted(properties.iterfind(W + "headerReference"),
                            key=lambda r: r.get(W + "type") != "first")
        for reference in references:
            rid = reference.get(R_ID, "")
            if reference.get(W + "type") == "even" or rid in seen:
                continue
            seen.add(rid)
            part = word.part.related_parts.get(rid)
            if part is not None and hasattr(part, "element"):
                starts.append(part.element)
        headers.append(starts)
    return headers


class BodyReader:
    """Feeds a body's paragraphs and table rows to the assembler in order, counting lines;
    each section's page header before the section (a title often stands there), text boxes
    after the paragraph they are anchored in."""

    def __init__(self, numbering: Numbering, tables: TableAssembler,
                 headers: list[list[_Element]] | None = None) -> None:
        self.numbering = numbering
        self.tables = tables
        self.line = 0
        self.alt_chunks = 0  # parts in another format, which we cannot read
        self.headers = headers or []
        self.section = 0

    def _header(self) -> None:
        if self.section < len(self.headers) and self.headers[self.section]:
            starts, self.headers[self.section] = self.headers[self.section], []
            line = self.line  # a header is no body line
            for header in starts:
                self.read(header)
            self.line = line

    def read(self, parent: _Element) -> None:
        for block in _children(parent, (P, TBL, ALT_CHUNK)):
            self._header()
            if block.tag == ALT_CHUNK:
                self.alt_chunks += 1
            elif block.tag == P:
                self.line += 1
                self.tables.text((self.numbering.label(block) or "") + paragraph_text(block),
                                 line=self.line)
                for box in _xpath("boxes")(block):
                    self.read(box)
                if _property(block, "pPr", "sectPr") is not None:
                    self.section += 1
            elif (frame := frame_cell(block)) is not None:
                self.line += 1  # the frame's row
                self.read(frame)
            else:
                self._table(block)

    def _table(self, table: _Element) -> None:
        self.tables.page_break()  # a new table: the next row may continue the last list's row
        rows = []
        for row in _children(table, (TR,)):
            self.line += 1
            if (read := row_cells(row, self.numbering)) is not None:
                rows.append((self.line, read))
        # The table's last row with text may be cut where the table ends (a list converted
        # from PDF, one table per page): its cells are said to run to their foot, so a list
        # without 序号 weighs whether a row starting the next table is its rest.
        last = max((at for at, (_, read) in enumerate(rows) if any(read.cells)), default=-1)
        for at, (line, read) in enumerate(rows):
            full = [bool(cell) for cell in read.cells] if at == last else None
            self.tables.row(read.cells, line=line, items=read.items, full=full,
                            merged=read.merged)


_ALT_CHUNK_NOTE = ("the document embeds {} part(s) in another format (altChunk, as some "
                   "generators write), which only Word expands: not read; open the file in "
                   "Word and save it again")


class DocxExtractor(Extractor):
    name = "docx"
    version = "1.0"
    description = "Word .docx: body paragraphs and tables in order, merged cells"
    extensions = (".docx",)

    def sniff(self, path: Path, head: bytes) -> float:
        if path.suffix.lower() not in self.extensions:
            return 0.0
        if head.startswith(ZIP_MAGIC):
            return 0.95
        # An encrypted package is an OLE2 file: claim it, to say so.
        return 0.6 if head.startswith(OLE2_MAGIC) else 0.3

    def extract(self, path: Path) -> ExtractedDocument:
        check_package(path, "word", "a Word .docx file")
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE

        try:
            word = docx.Document(str(path))
            body = word.element.body
            try:
                related = word.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING)
                numbering = cast("XmlPart", related).element  # the numbering part is XML
            except KeyError:  # no numbering definitions
                numbering = None
            numbers = Numbering(numbering, word.styles.element)
        except Exception as exc:  # a damaged package: any of zip, XML, OPC errors
            raise damaged(path, exc) from exc
        tables = TableAssembler()
        reader = BodyReader(numbers, tables, section_headers(word))
        reader.read(body)
        try:
            document = tables.finish()
        except NoDutyListError as exc:
            if reader.alt_chunks:
                raise NoDutyListError(f"{exc}; {_ALT_CHUNK_NOTE.format(reader.alt_chunks)}") \
                    from exc
            raise
        if reader.alt_chunks:
            document.warnings.append(_ALT_CHUNK_NOTE.format(reader.alt_chunks))
        if hidden := sum(len(t.text or "") for t in _xpath("hidden")(body)):
            document.warnings.append(f"{hidden} characters of hidden text (which Word neither "
                                     "shows nor prints) not read")
        return document


@hookimpl
def register_extractors(register):
    register(DocxExtractor())
