"""How counties really save a Word list: what ``render_docx`` adds to a generated document.

A ``DocxQuirks`` says what a real .docx holds that a freshly generated one does not. Each is
applied to the rendered document's XML and none changes what a reader must read
(``expected`` is unchanged): text in runs split at every edit, wrapped in hyperlinks, smart
tags, simple fields and run-level content controls, between bookmarks and proofing marks;
tracked changes (inserted text to read, deleted text and deleted rows not to); hidden text
(``w:vanish``: Word neither shows nor prints it); soft hyphens; tables, rows and cells in
content controls; a landscape section break between lists; a 续表 paragraph before a
continued table; the 序号 numbered through a paragraph style (Word's 编号 style) instead of
the paragraph's own ``w:numPr``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from docx.oxml import parse_xml
from docx.oxml.ns import qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = f'xmlns:w="{W_NS}"'
HIDDEN = "（旧版本内容）"
DELETED = "已删除的文字"


@dataclass(frozen=True, slots=True)
class DocxQuirks:
    split_runs: bool = False  # runs cut at edits, bookmarks and proofing marks between
    wrappers: bool = False  # runs in hyperlinks, smart tags, simple fields, content controls
    tracked: bool = False  # tracked changes: insertions read, deletions (text, rows) not
    hidden: bool = False  # hidden text (w:vanish) in cells and between paragraphs
    soft_hyphens: bool = False  # w:softHyphen inside words
    sdt_tables: bool = False  # tables, rows and cells in content controls
    sections: bool = False  # a landscape section break after each list
    continued_note: bool = False  # a 续表 paragraph before each continued table
    # read by ``render_docx.render``:
    continued_every: int = 0  # a list in tables of that many rows (one per page)
    repeat_header: bool = True  # the header at the top of each of them
    cut_rows: bool = False  # the row at each table's end cut, its rest opening the next
    auto_serials: bool = False  # 序号 numbered by Word
    styled_numbering: bool = False  # … through a paragraph style
    title_in: str = ""  # the cover title in the page "header" or a "textbox", not the body


_FLAGS = ("split_runs", "wrappers", "tracked", "hidden", "soft_hyphens", "sdt_tables",
          "sections", "continued_note", "cut_rows", "auto_serials", "styled_numbering")


def draw_docx_quirks(rnd: random.Random) -> DocxQuirks:
    flags = {name: rnd.random() < 0.4 for name in _FLAGS}
    return DocxQuirks(**flags, continued_every=rnd.choice((0, 0, 4, 7)),
                      repeat_header=rnd.random() < 0.6,
                      title_in=rnd.choice(("", "", "header", "textbox")))


_BOX_NS = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:v="urn:schemas-microsoft-com:vml"')


def put_title(document, title: str, where: str) -> None:
    """The cover title where ``where`` says: a body paragraph, the first section's page
    header, or a text box anchored in the first paragraph (as Word writes one: a drawing,
    and the same box again as VML for older readers)."""
    if where == "header":
        document.sections[0].header.paragraphs[0].text = title
        return
    if where != "textbox":
        document.add_paragraph(title)
        return
    content = f"<w:txbxContent><w:p><w:r><w:t>{title}</w:t></w:r></w:p></w:txbxContent>"
    document.element.body.insert(0, parse_xml(
        f"<w:p {_NS} {_BOX_NS}><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
        '<w:drawing><wp:anchor><a:graphic><a:graphicData uri="http://schemas.microsoft.com/'
        f'office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>{content}</wps:txbx>'
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"))


def apply(document, quirks: DocxQuirks, rnd: random.Random) -> None:
    """``quirks`` applied to a python-docx ``Document`` in place."""
    body = document.element.body
    cells = list(body.iter(qn("w:tc")))
    if quirks.sdt_tables:
        for table in list(body.iter(qn("w:tbl"))):
            _wrap(table, "sdt")
        for row in list(body.iter(qn("w:tr")))[::3]:
            _wrap(row, "sdt")
        for cell in cells[::5]:
            _wrap(cell, "sdt")
    for run in list(body.iter(qn("w:r"))):
        text = run.find(qn("w:t"))
        if text is None or not text.text:
            continue
        if quirks.split_runs and len(text.text) > 3:
            _split(run, text, rnd)
    runs = [r for r in body.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
    if quirks.wrappers:
        for run in runs[::4]:
            _wrap(run, rnd.choice(("hyperlink", "smartTag", "fldSimple", "sdt", "ins")))
    if quirks.tracked:
        for run in runs[1::6]:
            run.addprevious(parse_xml(
                f'<w:del {_NS} w:id="1" w:author="a" w:date="2025-01-01T00:00:00Z"><w:r>'
                f'<w:delText>{DELETED}</w:delText></w:r></w:del>'))
            _wrap(run, "ins")
        for row in list(body.iter(qn("w:tr")))[2::7]:
            deleted = parse_xml(row.xml if hasattr(row, "xml") else _xml(row))
            for t in deleted.iter(qn("w:t")):
                t.text = DELETED
            properties = deleted.find(qn("w:trPr"))
            if properties is None:
                properties = parse_xml(f"<w:trPr {_NS}/>")
                deleted.insert(0, properties)
            properties.append(parse_xml(
                f'<w:del {_NS} w:id="2" w:author="a" w:date="2025-01-01T00:00:00Z"/>'))
            row.addnext(deleted)
    if quirks.hidden:
        for run in runs[2::5]:
            run.addnext(parse_xml(f'<w:r {_NS}><w:rPr><w:vanish/></w:rPr><w:t>{HIDDEN}</w:t>'
                                  '</w:r>'))
    if quirks.soft_hyphens:
        for run in runs[::3]:
            text = run.find(qn("w:t"))
            if text is not None and text.text and len(text.text) > 2:
                tail = parse_xml(f'<w:t {_NS} xml:space="preserve"/>')
                tail.text = text.text[2:]
                text.text = text.text[:2]
                text.addnext(tail)
                text.addnext(parse_xml(f"<w:softHyphen {_NS}/>"))


def _xml(element) -> str:
    from lxml import etree

    return etree.tostring(element, encoding="unicode")


def _wrap(element, how: str) -> None:
    """``element`` moved into a wrapper of kind ``how`` standing where it stood."""
    if how == "sdt":
        wrapper = parse_xml(f"<w:sdt {_NS}><w:sdtPr/><w:sdtContent/></w:sdt>")
        inner = wrapper[1]
    else:
        attributes = {"hyperlink": 'w:history="1"', "smartTag": 'w:uri="urn:x" w:element="x"',
                      "fldSimple": 'w:instr=" MERGEFIELD 名称 "',
                      "ins": 'w:id="3" w:author="a" w:date="2025-01-01T00:00:00Z"'}[how]
        wrapper = inner = parse_xml(f"<w:{how} {_NS} {attributes}/>")
    element.addprevious(wrapper)
    inner.append(element)


def _split(run, text, rnd: random.Random) -> None:
    """A run cut in two at a random place, a proofing mark or bookmark between the halves."""
    cut = rnd.randint(1, len(text.text) - 1)
    second = parse_xml(_xml(run))
    second.find(qn("w:t")).text = text.text[cut:]
    text.text = text.text[:cut]
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    second.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.addnext(second)
    run.addnext(parse_xml(rnd.choice((f'<w:proofErr {_NS} w:type="spellStart"/>',
                                      f'<w:bookmarkStart {_NS} w:id="9" w:name="_GoBack"/>',
                                      f'<w:bookmarkEnd {_NS} w:id="9"/>'))))
