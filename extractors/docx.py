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
  position it spans; the legacy ``w:hMerge`` continuation likewise;
- deleted rows of tracked changes are skipped; deleted text (``w:delText``, moved-away text)
  and field codes are no text.

Cell text: the cell's paragraphs joined with nothing (each paragraph is a wrapped line or a
step that prints its own number ``1.…；``), line breaks (``w:br``) nothing, tabs whitespace;
runs of whitespace one space. Paragraphs numbered by Word itself (``w:numPr``, no number in
the text) are a marked list: the items are joined with a space and passed as the cell's
items, so each becomes a duty step, as an HTML ``<ol>`` does. Text in floating text boxes is
not read.

Positions: ``line`` counts the body's paragraphs and table rows from the top (1-based, every
paragraph counted, empty ones too); a .docx has no fixed pages, so ``page`` is not given.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.extractor import ExtractionError, Extractor
from explorer.hookspecs import hookimpl
from explorer.model import ExtractedDocument
from extractors._office import OLE2_MAGIC, ZIP_MAGIC, check_package, clean_text, damaged
from extractors.tables import TableAssembler

if TYPE_CHECKING:  # lxml and python-docx are imported when a file is read
    from lxml.etree import _Element

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "{" + W_NS + "}"
P, TBL, TR, TC = W + "p", W + "tbl", W + "tr", W + "tc"
# Containers that hold blocks, rows or cells without being one: content controls, custom XML.
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml"}
_VAL = W + "val"
# A cell span beyond this is a damaged file, not a table.
_MAX_SPAN = 256

_xpaths: dict[str, object] = {}


def _xpath(name: str):
    """Compiled XPath expressions, built on first use (lxml is imported only then)."""
    if not _xpaths:
        from lxml import etree

        ns = {"w": W_NS, "mc": MC_NS}
        # Text of runs, not of deleted or moved-away runs, alternate renderings or text boxes.
        _xpaths["text"] = etree.XPath(
            "(.//w:r/w:t | .//w:r/w:tab | .//w:r/w:noBreakHyphen)[not(ancestor::w:del or "
            "ancestor::w:moveFrom or ancestor::mc:Fallback or ancestor::w:txbxContent)]",
            namespaces=ns)
        _xpaths["paragraphs"] = etree.XPath(
            ".//w:p[not(ancestor::mc:Fallback or ancestor::w:txbxContent)]", namespaces=ns)
        _xpaths["numbered"] = etree.XPath(
            "w:pPr/w:numPr/w:numId[@w:val != '0']", namespaces=ns)
    return _xpaths[name]


def _children(parent: _Element, tags: tuple[str, ...]) -> Iterator[_Element]:
    """Children of ``parent`` with one of ``tags``, content controls and custom XML opened."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


def paragraph_text(paragraph: _Element) -> str:
    parts = []
    for node in _xpath("text")(paragraph):
        tag = node.tag
        if tag == W + "t":
            parts.append(node.text or "")
        elif tag == W + "tab":
            parts.append(" ")
        else:  # a non-breaking hyphen
            parts.append("-")
    return "".join(parts)


def cell_text(cell: _Element) -> tuple[str, list[str] | None]:
    """A cell's text, and its items where Word numbers its paragraphs (a marked list)."""
    paragraphs = _xpath("paragraphs")(cell)
    texts = [paragraph_text(p) for p in paragraphs]
    if len(paragraphs) > 1 and any(_xpath("numbered")(p) for p in paragraphs):
        items = [clean_text(text) for text in texts]
        items = [item for item in items if item]
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


def row_cells(row: _Element) -> tuple[list[str | None], list[list[str] | None]] | None:
    """One ``w:tr`` as rectangular cells (None where a merge covers a position) and the items
    of each cell; None for a row deleted in tracked changes."""
    if _property(row, "trPr", "del") is not None:
        return None
    cells: list[str | None] = [None] * _number(_property(row, "trPr", "gridBefore"), 0)
    items: list[list[str] | None] = [None] * len(cells)
    for cell in _children(row, (TC,)):
        span = max(1, _number(_property(cell, "tcPr", "gridSpan"), 1))
        vertical = _property(cell, "tcPr", "vMerge")
        horizontal = _property(cell, "tcPr", "hMerge")
        covered = (vertical is not None and vertical.get(_VAL, "continue") == "continue") or (
            horizontal is not None and horizontal.get(_VAL, "continue") == "continue")
        if covered:
            cells += [None] * span
            items += [None] * span
            continue
        text, marked = cell_text(cell)
        cells += [text] + [None] * (span - 1)
        items += [marked] + [None] * (span - 1)
    after = _number(_property(row, "trPr", "gridAfter"), 0)
    return cells + [None] * after, items + [None] * after


def read_body(body: _Element, tables: TableAssembler) -> int:
    """Feed the body's paragraphs and table rows to ``tables`` in order; the number of
    tables."""
    line = 0
    count = 0
    for block in _children(body, (P, TBL)):
        if block.tag == P:
            line += 1
            tables.text(paragraph_text(block), line=line)
            continue
        count += 1
        tables.page_break()  # a new table: the next row may continue the last list's row
        for row in _children(block, (TR,)):
            line += 1
            read = row_cells(row)
            if read is not None:
                cells, items = read
                tables.row(cells, line=line, items=items)
    return count


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

        try:
            document = docx.Document(str(path))
            body = document.element.body
        except ExtractionError:
            raise
        except Exception as exc:  # a damaged package: any of zip, XML, OPC errors
            raise damaged(path, exc) from exc
        tables = TableAssembler()
        read_body(body, tables)
        return tables.finish()


@hookimpl
def register_extractors(register):
    register(DocxExtractor())
