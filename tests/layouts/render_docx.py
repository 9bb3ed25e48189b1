"""A ``Truth`` printed as a Word .docx, as a county office writes one: a cover title paragraph,
then each list's title paragraph and its table. Header rows are marked to repeat on every
page; a two-row header merges a column's top cell down over both rows and a group cell across
its columns; a section row is one cell across the table; a merged category is one cell merged
down over its run. Duty cells put their steps in separate paragraphs (even serials) or
separate lines (odd serials, ``w:br``) where the text runs ``；2.`` on without a space: a reader
joins both with nothing, which gives the text back.

``continued_every``: a list is printed as several tables of that many body rows each, the
header repeated at the top of each (a list continued in a second table); a merged category
starts again in each table. ``auto_serials``: the 序号 column is numbered by Word (a numbered
list restarting at 1 in each list, continuing across a list's tables), its cells hold no
text.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import replace

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml

from tests.layouts.docx_quirks import W_NS, DocxQuirks, apply, put_title
from tests.layouts.truth import KINDS, Layout, Printed, Truth, preamble_rows, printed_rows

# Where a duty cell goes on with its next step: after ；/; and before a printed number.
STEP_BOUNDARY = re.compile(r"(?<=[；;。])(?=\d{1,2}[.．、])")
_DUTY_COLUMNS = ("upper_duties", "township_duties", "receiver", "receiver_method")


def steps_of(text: str) -> list[str]:
    return [piece for piece in STEP_BOUNDARY.split(text) if piece]


SERIAL_LIST_ID = 90
SERIAL_LIST = (
    '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    f'w:abstractNumId="{SERIAL_LIST_ID}"><w:multiLevelType w:val="singleLevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/>'
    '<w:lvlJc w:val="center"/></w:lvl></w:abstractNum>')


def serial_list(document, *, styled: bool = False) -> int | str:
    """A new numbered list for a 序号 column, starting at 1: its w:numId, or (``styled``) the
    id of a paragraph style that numbers with it (Word's 编号 styles)."""
    numbering = document.part.numbering_part.element
    if not any(a.get(f"{{{numbering.nsmap['w']}}}abstractNumId") == str(SERIAL_LIST_ID)
               for a in numbering.iterchildren(f"{{{numbering.nsmap['w']}}}abstractNum")):
        numbering.insert(0, parse_xml(SERIAL_LIST))
    number = numbering.add_num(SERIAL_LIST_ID)
    number.add_lvlOverride(ilvl=0).add_startOverride(1)
    if not styled:
        return number.numId
    style = f"SerialList{number.numId}"
    styles = document.styles.element
    styles.append(parse_xml(
        f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="{style}"><w:name w:val="'
        f'{style}"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="{number.numId}"'
        '/></w:numPr></w:pPr></w:style>'))
    return style


def _number(cell, list_id: int | str) -> None:
    """The cell's paragraph numbered by Word in list ``list_id`` (a style's id: through it)."""
    if isinstance(list_id, str):
        cell.paragraphs[0]._p.get_or_add_pPr().get_or_add_pStyle().val = list_id
        return
    numbering = cell.paragraphs[0]._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = list_id


def _span(row, first: int, count: int) -> None:
    """Merge ``count`` cells of ``row`` from ``first`` into one (``w:gridSpan``)."""
    if count <= 1:
        return
    tcs = row._tr.tc_lst
    tcs[first].grid_span = count
    for tc in tcs[first + 1: first + count]:
        row._tr.remove(tc)


def _vertical(tc, value: str) -> None:
    """``w:vMerge``: ``restart`` on the merged cell, a bare ``<w:vMerge/>`` below (as Word
    writes the continuation)."""
    tc.vMerge = value
    if value == "continue":
        tc.tcPr.vMerge.attrib.clear()


def _repeat_header(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _fill(cell, text: str, *, split: str = "") -> None:
    """Text into a cell: one paragraph, or its steps as paragraphs / lines (``split``)."""
    pieces = steps_of(text) if split else [text]
    paragraph = cell.paragraphs[0]
    if split == "lines":
        run = paragraph.add_run(pieces[0])
        for piece in pieces[1:]:
            run.add_break()
            run = paragraph.add_run(piece)
        return
    if pieces and pieces[0]:
        paragraph.add_run(pieces[0])
    for piece in pieces[1:]:
        cell.add_paragraph(piece)


def _header(table, layout: Layout, kind) -> None:
    header = layout.header_cells(kind)
    rows = [table.add_row() for _ in header]
    for row, texts in zip(rows, header, strict=True):
        _repeat_header(row)
        texts = [*texts, *[""] * (len(row.cells) - len(texts))]  # in a wider table
        for cell, text in zip(row.cells, texts, strict=True):
            if text:
                _fill(cell, text)
    if len(header) == 2:
        top, bottom = header
        for at, (up, low) in enumerate(zip(top, bottom, strict=True)):
            if up and not low:  # a column not grouped: its top cell merged down
                _vertical(rows[0]._tr.tc_lst[at], "restart")
                _vertical(rows[1]._tr.tc_lst[at], "continue")
        # a group cell (text above labels) spans the columns whose top cell is empty;
        # right to left, so merging does not move the cells still to merge
        for at in reversed(range(len(top))):
            if top[at] and bottom[at]:
                count = 1
                while at + count < len(top) and not top[at + count] and bottom[at + count]:
                    count += 1
                _span(rows[0], at, count)


def _body(table, layout: Layout, kind, printed: list[Printed], runs: list[dict[int, str]],
          width: int, serials: int | str | None) -> None:
    """Body rows; ``runs`` gives, per printed line, the text of each merged run it stands in
    (by column: the category, ``Layout.merged_columns``)."""
    columns = layout.columns(kind)
    for at, line in enumerate(printed):
        row = table.add_row()
        if line.section:
            _fill(row.cells[0], line.section)
            _span(row, 0, width)
            continue
        cells = row.cells
        for position, (column, text) in enumerate(zip(columns, line.cells, strict=True)):
            if position in line.merged_from_above:
                continue
            if column == "serial" and serials is not None and line.serial:
                _number(cells[position], serials)
                continue
            split = ""
            if column in _DUTY_COLUMNS and STEP_BOUNDARY.search(text):
                split = "paragraphs" if line.serial % 2 == 0 else "lines"
            _fill(cells[position], text, split=split)
        for position in runs[at]:
            tc = row._tr.tc_lst[position]
            if position in line.merged_from_above and at > 0:
                _vertical(tc, "continue")
                continue
            if position in line.merged_from_above:  # a new table: the run starts again
                _fill(cells[position], runs[at][position])
            if _continues(printed, at, position):
                _vertical(tc, "restart")
        for position, count in sorted(line.across.items(), reverse=True):
            _span(row, position, count)  # after the vertical merges: it removes cells


def merged_runs(printed: list[Printed]) -> list[dict[int, str]]:
    """Per printed line, column -> the text of the merged run it stands in (merged lines
    print none)."""
    runs: list[dict[int, str]] = []
    current: dict[int, str] = {}
    for line in printed:
        if line.section or not line.serial:
            current = {}
        current = {c: t for c, t in current.items() if c in line.merged_from_above}
        current |= {c: line.cells[c] for c in line.runs}
        runs.append(dict(current))
    return runs


def _continues(printed: list[Printed], at: int, position: int) -> bool:
    return at + 1 < len(printed) and position in printed[at + 1].merged_from_above


def _preamble(table, layout: Layout, kind, width: int) -> None:
    """The rows above a list's header: its title across the table, a 填报单位 row."""
    for line in preamble_rows(layout, kind):
        row = table.add_row()
        if line.section:
            _fill(row.cells[0], line.section)
            _span(row, 0, width)
            continue
        for cell, text in zip(row.cells, line.cells, strict=False):
            if text:
                _fill(cell, text)


def landscape_break(document) -> None:
    """A section break: the next list on landscape pages (``w:sectPr`` in a paragraph)."""
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def _table(document, width: int):
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    return table


def cut_rows(printed: list[Printed], size: int) -> list[Printed]:
    """``printed`` with the last row before every ``size``-th printed row cut in two, as a
    PDF converted to Word prints a row broken across a page: the long cells' first halves in
    that row, their second halves in a row of their own (no serial, other cells empty) that
    opens the next table."""
    out: list[Printed] = []
    for at, line in enumerate(printed):
        out.append(line)
        if len(out) % size or at + 1 == len(printed) or line.section or not line.serial:
            continue
        long = [n for n, text in enumerate(line.cells) if len(text) > 12]
        if not long:
            continue
        first, second = list(line.cells), [""] * len(line.cells)
        for n in long:
            half = len(first[n]) // 2
            while first[n][half - 1].isspace() or first[n][half].isspace():
                half += 1  # a cut at a space would lose it: no reader can see it
            first[n], second[n] = first[n][:half], first[n][half:]
        out[-1] = replace(line, cells=first)
        out.append(Printed(second))
    return out


def render(truth: Truth, layout: Layout, *, continued_every: int | None = None,
           auto_serials: bool = False, quirks: DocxQuirks | None = None) -> bytes:
    """``quirks``: the list continued in tables of ``quirks.continued_every`` rows (their header
    repeated or not, a row cut between two tables), serials numbered by Word (through a
    paragraph style or not), and what ``docx_quirks.apply`` adds."""
    q = quirks or DocxQuirks()
    continued_every = continued_every or q.continued_every or None
    # (Word's numbering counts on through the list: not for a list numbered per category)
    auto_serials = auto_serials or (q.auto_serials and not layout.serials_per_category)
    document = docx.Document()
    put_title(document, layout.cover_title(), q.title_in)
    widest = max(len(layout.columns(kind)) for kind in KINDS)
    table = _table(document, widest) if layout.one_table else None
    for kind in KINDS:
        columns = layout.columns(kind)
        width = widest if layout.one_table else len(columns)
        if not (layout.table_title or layout.one_table):
            document.add_paragraph(layout.list_title(kind))
        printed = printed_rows(truth, layout, kind)
        size = continued_every or max(len(printed), 1)
        if q.cut_rows and continued_every and not layout.one_table and size > 2:
            printed = cut_rows(printed, size)
        runs = merged_runs(printed)
        serials = serial_list(document, styled=q.styled_numbering) if auto_serials else None
        for start in range(0, max(len(printed), 1), size):
            if not layout.one_table:
                if start and q.continued_note:
                    document.add_paragraph("续表")
                table = _table(document, width)
            if start == 0:
                _preamble(table, layout, kind, width)
            if start == 0 or q.repeat_header or layout.one_table:
                _header(table, layout, kind)
            _body(table, layout, kind, printed[start:start + size], runs[start:start + size],
                  width, serials)
            # Word keeps a paragraph after every table (between two tables, and before the end
            # of the document: a body cannot end with a table)
            if not layout.one_table:
                document.add_paragraph("")
        if q.sections and not layout.one_table:
            landscape_break(document)
    if layout.one_table:
        document.add_paragraph("")
    apply(document, q, random.Random(repr((layout, q))))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
