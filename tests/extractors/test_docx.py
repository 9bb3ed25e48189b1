"""The Word .docx extractor: every seed printed as a county's Word file in every layout variant,
merged cells as Word writes them (``w:gridSpan``, ``w:vMerge``), body order, and bad input."""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings

from lvzhi.extractor import ExtractionError, NoDutyListError
from lvzhi.extractors.docx import DocxExtractor
from lvzhi.ingest import IngestError
from lvzhi.model import ListKind
from tests.extractors.office_checks import (
    VARIANTS,
    XINJIANG,
    assert_exact,
    one_line_error,
    read,
    read_layout,
)
from tests.layouts import render_docx
from tests.layouts.docx_quirks import DocxQuirks, draw_docx_quirks
from tests.layouts.truth import MERGE_VARIANTS, SEEDS, Layout, expected, layouts, random_layout

B, C, R = ListKind.BASIC, ListKind.COOPERATIVE, ListKind.RECLAIMED


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_in_every_variant_reads_exactly(tmp_path, seed, variant):
    layout = VARIANTS[variant]
    result, extraction = read_layout(tmp_path / "list.docx", render_docx.render, seed, layout)
    assert extraction.extractor == "docx"
    assert_exact(result, extraction, layout)


@pytest.mark.parametrize("layout", [Layout(place=XINJIANG),
                                    Layout(place=XINJIANG, categories="merged",
                                           two_row_header=True, receiver_split=True),
                                    Layout(place=XINJIANG, categories="section")],
                         ids=["seed", "merged, two-row header", "section rows"])
def test_a_list_continued_in_further_tables(tmp_path, layout):
    """Each list printed as tables of 25 rows, the header repeated in each."""
    def render(truth, layout):
        return render_docx.render(truth, layout, continued_every=25)
    for seed in SEEDS[::2]:
        result, extraction = read_layout(tmp_path / "list.docx", render, seed, layout)
        assert_exact(result, extraction, layout)


@pytest.mark.parametrize("variant", ["seed", "two-row header, merged categories",
                                     "section rows", "extra columns"])
def test_serials_numbered_by_word(tmp_path, variant):
    """The 序号 column as a Word numbered list: no serial in any cell's text."""
    layout = VARIANTS[variant]

    def render(truth, layout):
        return render_docx.render(truth, layout, auto_serials=True, continued_every=40)
    for seed in SEEDS:
        result, extraction = read_layout(tmp_path / "list.docx", render, seed, layout)
        assert_exact(result, extraction, layout)


@pytest.mark.parametrize("variant", MERGE_VARIANTS)
@pytest.mark.parametrize("seed", SEEDS[::2])
def test_columns_merged_over_rows(tmp_path, seed, variant):
    """牵头部门, duties, 承接部门 … as one ``w:vMerge`` cell over a run of rows: every row
    of the run holds its text, and the report counts it once."""
    layout = MERGE_VARIANTS[variant]
    result, extraction = read_layout(tmp_path / "list.docx", render_docx.render, seed, layout)
    assert_exact(result, extraction, layout)
    assert extraction.report.merge_repeats > 0


def test_a_merged_run_over_two_tables_starts_again(tmp_path):
    layout = MERGE_VARIANTS["duties merged, two-row header"]

    def render(truth, layout):
        return render_docx.render(truth, layout, continued_every=5)
    result, extraction = read_layout(tmp_path / "list.docx", render, SEEDS[1], layout)
    assert_exact(result, extraction, layout)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=12, quirks=True, merges=True))
def test_any_layout_with_merged_columns_reads_exactly(tmp_path, layout):
    result, extraction = read_layout(tmp_path / "list.docx", render_docx.render, SEEDS[2],
                                     layout)
    assert_exact(result, extraction, layout)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=12, quirks=True))
def test_any_layout_reads_exactly(tmp_path, layout):
    for seed in (SEEDS[0], SEEDS[1]):
        result, extraction = read_layout(tmp_path / "list.docx", render_docx.render, seed,
                                         layout)
        assert_exact(result, extraction, layout)


def test_steps_on_separate_paragraphs_and_lines_are_joined_with_nothing(tmp_path):
    layout = Layout(place=XINJIANG, rows=6)
    truth = expected(SEEDS[0], layout)
    data = render_docx.render(truth, layout)
    document = docx.Document(io.BytesIO(data))
    xml = document.element.body.xml
    assert "<w:br/>" in xml  # odd serials: lines
    cooperative = document.tables[1]
    assert any(len(cell.paragraphs) > 1 for row in cooperative.rows for cell in row.cells)
    extraction = read(tmp_path / "list.docx", data)
    item = next(i for i in extraction.items if i.list == C and i.serial == 2)
    want = next(r for r in truth.rows if r.list == C and r.serial == 2)
    assert "".join(item.upper_duties) == want.upper_duties
    assert len(item.upper_duties) > 1  # the printed numbers split it into steps


# --- Word's XML, one construct at a time ----------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_with_body(body: str, numbering: str | None = None, styles: str = "") -> bytes:
    """A real .docx (python-docx's template) whose body is ``body`` (WordprocessingML), its
    numbering definitions ``numbering`` (the template's bullets and lists if None) and
    ``styles`` added to the template's."""
    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        f'<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body>'
                        f"</w:document>").encode()
            elif info.filename == "word/numbering.xml" and numbering is not None:
                data = f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>'.encode()
            elif info.filename == "word/styles.xml" and styles:
                data = data.replace(b"</w:styles>", styles.encode() + b"</w:styles>")
            target.writestr(info, data)
    return out.getvalue()


def p(text: str, numbered: int | None = None, level: int = 0) -> str:
    """A paragraph; ``numbered``: in Word's numbered list (or bullets) of that w:numId."""
    pr = (f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{numbered}"/></w:numPr>'
          "</w:pPr>") if numbered is not None else ""
    return f"<w:p>{pr}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def tc(*paragraphs: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paragraphs) or '<w:p/>'}</w:tc>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def tbl(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{''.join(rows)}</w:tbl>"


def texts(*cells: str) -> list[str]:
    return [tc(p(cell)) if cell else tc() for cell in cells]


HEADER = tr(*texts("序号", "事项类别", "事项名称"), props="<w:tblHeader/>")
TITLE = p("新疆维吾尔自治区伊犁哈萨克自治州伊宁县吉里于孜镇基本履职事项清单")


def extract(tmp_path: Path, body: str):
    path = tmp_path / "list.docx"
    path.write_bytes(docx_with_body(body))
    return DocxExtractor().extract(path)


def basic_rows(doc) -> list[tuple[int, str, str]]:
    return [(r.serial, r.category, r.name) for r in doc.rows if r.list == B]


def test_preface_becomes_notes_and_body_order_is_kept(tmp_path):
    doc = extract(tmp_path, p("吉里于孜镇履职事项清单") + p("说明：") + p("一、本清单共2项。")
                  + TITLE + tbl(HEADER, tr(*texts("1", "党的建设", "甲事项")))
                  + p("（续表）") + tbl(HEADER, tr(*texts("2", "经济发展", "乙事项"))))
    assert doc.notes == "一、本清单共2项。"
    assert basic_rows(doc) == [(1, "党的建设", "甲事项"), (2, "经济发展", "乙事项")]
    assert doc.rows[0].span.line_first == 6  # four paragraphs, the header row, then this row


def test_word_runs_tabs_breaks_hyphens_and_tracked_changes(tmp_path):
    name = ('<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
            "<w:r><w:t>甲</w:t></w:r><w:r><w:br/><w:t>乙</w:t></w:r>"
            "<w:ins><w:r><w:t>丙</w:t></w:r></w:ins>"
            "<w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del>"
            '<w:hyperlink><w:r><w:t>丁</w:t><w:tab/><w:t>A</w:t><w:noBreakHyphen/>'
            "<w:t>1</w:t></w:r></w:hyperlink>"
            '<w:r><w:instrText> PAGE </w:instrText></w:r></w:p>')
    doc = extract(tmp_path, TITLE + tbl(HEADER, tr(*texts("1", "党的建设"), tc(name))))
    assert basic_rows(doc) == [(1, "党的建设", "甲乙丙丁 A-1")]


def test_content_controls_grid_after_and_deleted_rows(tmp_path):
    row = tr(*texts("2", "", "乙事项"))
    sdt_row = f"<w:sdt><w:sdtPr/><w:sdtContent>{row}</w:sdtContent></w:sdt>"
    sdt_cell = f"<w:sdt><w:sdtContent>{tc(p('丁事项'))}</w:sdtContent></w:sdt>"
    body = (f"<w:sdt><w:sdtContent>{TITLE}</w:sdtContent></w:sdt>"
            + tbl(HEADER, tr(*texts("1", "党的建设", "甲事项")), sdt_row,
                  tr(*texts("9", "删除", "删除的行"), props="<w:del/>"),
                  tr(*texts("3", "经济发展"), sdt_cell, props='<w:gridAfter w:val="1"/>')))
    assert basic_rows(extract(tmp_path, body)) == [
        (1, "党的建设", "甲事项"), (2, "", "乙事项"), (3, "经济发展", "丁事项")]


def test_a_frame_around_the_document_is_read_as_body(tmp_path):
    inner = TITLE + tbl(HEADER, tr(*texts("1", "党的建设", "甲事项")))
    doc = extract(tmp_path, tbl(tr(tc(p("吉里于孜镇履职事项清单") + inner))))
    assert basic_rows(doc) == [(1, "党的建设", "甲事项")]
    assert doc.title == "吉里于孜镇履职事项清单"


def test_merges_read_from_the_xml(tmp_path):
    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    body = TITLE + tbl(
        HEADER,
        tr(*texts("1"), tc(p("组织"), props=restart), *texts("甲事项")),
        tr(*texts("2"), tc(props=cont), *texts("乙事项")),
        tr(*texts("3"), tc(props='<w:vMerge w:val="continue"/>'), *texts("丙事项")),
        tr(*texts("4", "宣传"), tc(p("丁事项"), props='<w:hMerge w:val="restart"/>')),
    )
    assert basic_rows(extract(tmp_path, body)) == [
        (1, "组织", "甲事项"), (2, "", "乙事项"), (3, "", "丙事项"), (4, "宣传", "丁事项")]
    section = tr(tc(p("一、党的建设"), props='<w:gridSpan w:val="3"/>'))
    body = TITLE + tbl(HEADER, section, tr(*texts("1", "", "甲事项")))
    assert basic_rows(extract(tmp_path, body)) == [(1, "党的建设", "甲事项")]


def test_two_row_header_with_merges(tmp_path):
    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    top = tr(*[tc(p(t), props=restart) for t in ("序号", "事项类别", "事项名称", "对应上级部门")],
             tc(p("职责分工"), props='<w:gridSpan w:val="2"/>'))
    bottom = tr(*[tc(props=cont) for _ in range(4)], *texts("部门职责", "乡镇职责"))
    body = (p("吉里于孜镇配合履职事项清单") + tbl(top, bottom,
            tr(*texts("1", "平安建设", "甲事项", "县公安局", "1.部署；2.督导。", "做好配合。"))))
    [row] = extract(tmp_path, body).rows
    assert (row.list, row.departments, row.upper_duties, row.township_duties) == (
        C, "县公安局", "1.部署；2.督导。", "做好配合。")


COOPERATIVE_HEADER = tr(*texts("序号", "事项类别", "事项名称", "对应上级部门", "上级部门职责",
                                "乡镇配合职责"))


def test_bulleted_paragraphs_are_steps(tmp_path):
    """Bullets print no number: each bulleted paragraph is a step (w:numId 3 is a bullet
    list in python-docx's template)."""
    duties = tc(p("审核材料；", numbered=3), p("发放补贴。", numbered=3))
    body = (p("吉里于孜镇配合履职事项清单")
            + tbl(COOPERATIVE_HEADER,
                  tr(*texts("1", "民生服务", "丙事项", "县民政局"), duties,
                     tc(p("1.摸排；"), p("2.上报。")))))
    [row] = extract(tmp_path, body).rows
    assert (row.upper_duties, row.upper_steps) == ("审核材料； 发放补贴。",
                                                   ["审核材料； ", "发放补贴。"])
    assert (row.township_duties, row.township_steps) == ("1.摸排；2.上报。", None)


def level(ilvl: int, start: int, form: str, text: str) -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{form}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


NUMBERING = (
    f'<w:abstractNum w:abstractNumId="0">{level(0, 1, "decimal", "%1")}</w:abstractNum>'
    f'<w:abstractNum w:abstractNumId="1">{level(0, 1, "decimal", "%1.")}'
    f'{level(1, 1, "decimalEnclosedCircle", "%2")}</w:abstractNum>'
    f'<w:abstractNum w:abstractNumId="2">{level(0, 1, "chineseCounting", "%1、")}'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>')


def test_numbers_word_prints_itself_are_read(tmp_path):
    """A 序号 column numbered by Word (its cells hold no text) reads as serials, counting on
    across the list's second table; numbered steps print their numbers (levels, ①, restarts),
    and the core splits them there."""
    def row(*cells: str) -> str:
        return tr(tc(p("", numbered=1)), *texts(*cells))
    steps = tc(p("部署；", numbered=2), p("抽查", numbered=2, level=1),
               p("督导；", numbered=2, level=1), p("总结。", numbered=2))
    restarted = tc(p("摸排；", numbered=3), p("上报。", numbered=3))
    body = (p("说明", numbered=4) + p("吉里于孜镇配合履职事项清单")
            + tbl(COOPERATIVE_HEADER, row("平安建设", "甲事项", "县公安局", "一", "二"))
            + p("")
            + tbl(COOPERATIVE_HEADER, tr(tc(p("", numbered=1)), *texts("平安建设", "乙事项",
                                                                     "县公安局"), steps,
                                         restarted)))
    doc = DocxExtractor().extract(write(tmp_path, docx_with_body(body, NUMBERING)))
    assert [(r.serial, r.name) for r in doc.rows] == [(1, "甲事项"), (2, "乙事项")]
    assert doc.rows[1].upper_duties == "1.部署；①抽查②督导；2.总结。"
    assert doc.rows[1].township_duties == "1.摸排；2.上报。"
    item = next(i for i in read(tmp_path / "list.docx", docx_with_body(body, NUMBERING)).items
                if i.serial == 2)
    assert item.upper_duties == ["1.部署；①抽查②督导；", "2.总结。"]


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "list.docx"
    path.write_bytes(data)
    return path


# --- bad input ------------------------------------------------------------------------------

def good_docx() -> bytes:
    return docx_with_body(TITLE + tbl(HEADER, tr(*texts("1", "党的建设", "甲事项"))))


def zip_of(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def broken_xml() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_docx())) as source, zipfile.ZipFile(out, "w") as t:
        for info in source.infolist():
            data = source.read(info)
            t.writestr(info, data[:200] if info.filename == "word/document.xml" else data)
    return out.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BAD = {
    "a text file": ("序号\t事项类别\n1\t党的建设\n".encode(), "not a zip package"),
    "a truncated download": (good_docx()[:3000], "damaged or truncated"),
    "a zip that is no Office file": (zip_of({"a.txt": "x"}), "a zip archive, not an Office"),
    "a workbook named .docx": (zip_of({"[Content_Types].xml": "<Types/>",
                                       "xl/workbook.xml": "<workbook/>"}),
                               "an Excel workbook"),
    "damaged XML": (broken_xml(), "damaged and cannot be read"),
    "password-protected": (OLE2 + bytes(504) + "EncryptedPackage".encode("utf-16-le"),
                           "password-protected or encrypted"),
    "an old .doc renamed": (OLE2 + bytes(504) + "WordDocument".encode("utf-16-le"),
                            "old binary Office file"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_one_line(tmp_path, case):
    data, words = BAD[case]
    assert words in one_line_error(tmp_path / "list.docx", data, "docx")


def test_no_list_and_a_missing_column(tmp_path):
    with pytest.raises(NoDutyListError, match="no table"):
        extract(tmp_path, p("一份通知。") + p("没有表格。"))
    with pytest.raises(NoDutyListError, match="no duty list"):
        extract(tmp_path, tbl(tr(*texts("姓名", "电话")), tr(*texts("张三", "123"))))
    with pytest.raises(ExtractionError, match=r"column is missing \(line 3\)"):
        extract(tmp_path, TITLE + tbl(HEADER, tr(*texts("1", "党的建设"))))


def test_content_embedded_in_another_format_is_named(tmp_path):
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    chunk = f'<w:altChunk xmlns:r="{relationships}" r:id="rIdX"/>'
    with pytest.raises(NoDutyListError, match=r"embeds 1 part\(s\) in another format"):
        extract(tmp_path, p("吉里于孜镇履职事项清单") + chunk)
    doc = extract(tmp_path, TITLE + tbl(HEADER, tr(*texts("1", "党的建设", "甲事项"))) + chunk)
    assert any("altChunk" in warning for warning in doc.warnings)


def test_sniff_by_extension_and_magic(tmp_path):
    sniff = DocxExtractor().sniff
    assert sniff(tmp_path / "a.docx", b"PK\x03\x04rest") >= 0.9
    assert sniff(tmp_path / "a.DOCX", b"PK\x03\x04rest") >= 0.9
    assert 0 < sniff(tmp_path / "a.docx", OLE2) < 0.9  # claimed, to say it is encrypted
    assert sniff(tmp_path / "a.xlsx", b"PK\x03\x04rest") == 0
    assert sniff(tmp_path / "a.txt", b"PK\x03\x04rest") == 0


def test_a_package_that_unpacks_too_far_is_not_opened(tmp_path, monkeypatch):
    from lvzhi.extractors import _office

    monkeypatch.setattr(_office, "MAX_UNPACKED", 1000)
    with pytest.raises(IngestError, match=r"unpacks to 0 MB: not read"):
        read(tmp_path / "list.docx", good_docx())


def test_entity_expansion_is_refused(tmp_path):
    """A billion-laughs document.xml: lxml stops the amplification, we say the file is
    damaged."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True))
    body = f'<w:document xmlns:w="{W_NS}"><w:body>{p("&i;")}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_docx())) as source, zipfile.ZipFile(out, "w") as t:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = f'<?xml version="1.0"?><!DOCTYPE d [{entities}]>{body}'.encode()
            t.writestr(info, data)
    with pytest.raises(IngestError, match="damaged and cannot be read"):
        read(tmp_path / "list.docx", out.getvalue())


# --- Word files as counties save them (tests/layouts/docx_quirks.py) --------------------------

SAVED = {
    "runs split and wrapped (hyperlink, smart tag, field, content control)": DocxQuirks(
        split_runs=True, wrappers=True),
    "tracked changes, hidden text, soft hyphens": DocxQuirks(tracked=True, hidden=True,
                                                             soft_hyphens=True),
    "content controls, landscape sections": DocxQuirks(sdt_tables=True, sections=True),
    "a table per page, header not repeated, rows cut, 续表": DocxQuirks(
        continued_every=5, repeat_header=False, cut_rows=True, continued_note=True),
    "a table per page, header repeated, rows cut": DocxQuirks(continued_every=4, cut_rows=True),
    "序号 numbered by Word through a paragraph style": DocxQuirks(auto_serials=True,
                                                             styled_numbering=True),
    "the cover title in the page header, sections": DocxQuirks(title_in="header",
                                                               sections=True),
    "the cover title in a text box, hidden text": DocxQuirks(title_in="textbox", hidden=True),
}


@pytest.mark.parametrize("quirks", SAVED)
@pytest.mark.parametrize("variant", ["seed", "two-row header, merged categories",
                                     "section rows"])
def test_word_files_as_counties_save_them(tmp_path, quirks, variant):
    # list titles naming only the township: the place is in the cover title alone
    layout = replace(VARIANTS[variant], title="township")
    for seed in SEEDS[::2]:
        result, extraction = read_layout(
            tmp_path / "list.docx",
            lambda truth, lay: render_docx.render(truth, lay, quirks=SAVED[quirks]), seed,
            layout)
        assert_exact(result, extraction, layout)


@pytest.mark.parametrize("draw", range(8))
def test_drawn_saving_quirks_read_exactly_or_are_not_trusted(tmp_path, draw):
    """Layouts and saving quirks drawn together (as benchmarks/office_quirks.py draws them):
    exact, or the report says it is not to be trusted (a row cut between two tables of a
    list without 序号 cannot be told from a row of its own)."""
    rnd = random.Random(f"docx quirks {draw}")
    layout = random_layout(rnd)
    quirks = draw_docx_quirks(rnd)
    result, extraction = read_layout(
        tmp_path / "list.docx", lambda truth, lay: render_docx.render(truth, lay, quirks=quirks),
        SEEDS[draw % len(SEEDS)], layout)
    if extraction.report.trustworthy:
        assert_exact(result, extraction, layout)
    else:  # (whether a row was cut the file does not say: only that the list was split)
        assert layout.no_serial and quirks.continued_every and not layout.one_table


@pytest.mark.parametrize("categories", ["none", "column"])
def test_a_row_cut_between_tables_of_a_list_without_serials_is_never_trusted_wrong(
        tmp_path, categories):
    """A list without 序号 converted from PDF, one table per page, the row at each table's
    end cut and its rest opening the next table (no serial tells it from a row): read
    exactly, or not trusted. It was read as a row of its own, trusted (the reader said
    nothing of a table's last row being cut)."""
    layout = Layout(place=XINJIANG, no_serial=True, categories=categories,
                    receiver_split=True, rows=12)
    quirks = DocxQuirks(continued_every=4, repeat_header=True, cut_rows=True)
    for seed in SEEDS:
        result, extraction = read_layout(
            tmp_path / "list.docx",
            lambda truth, lay: render_docx.render(truth, lay, quirks=quirks), seed, layout)
        assert result.perfect or not extraction.report.trustworthy, (seed, str(result))


def test_hidden_text_is_not_read_and_is_counted(tmp_path):
    hidden = '<w:r><w:rPr><w:vanish/></w:rPr><w:t>旧</w:t></w:r>'
    shown = '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>事项</w:t></w:r>'
    name = f"<w:p><w:r><w:t>甲</w:t></w:r>{hidden}{shown}</w:p>"
    doc = extract(tmp_path, TITLE.replace("</w:t></w:r></w:p>",
                                          f"</w:t></w:r>{hidden}</w:p>")
                  + tbl(HEADER, tr(*texts("1", "党的建设"), tc(name))))
    assert basic_rows(doc) == [(1, "党的建设", "甲事项")]
    assert doc.township == "吉里于孜镇"
    assert any("2 characters of hidden text" in w for w in doc.warnings)


def test_serials_numbered_through_a_paragraph_style(tmp_path):
    styles = ('<w:style w:type="paragraph" w:styleId="Base"><w:pPr><w:numPr>'
              '<w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Serial"><w:basedOn w:val="Base"/>'
              "</w:style>")
    serial = '<w:p><w:pPr><w:pStyle w:val="Serial"/></w:pPr></w:p>'
    off = ('<w:p><w:pPr><w:pStyle w:val="Serial"/><w:numPr><w:numId w:val="0"/></w:numPr>'
           '</w:pPr><w:r><w:t>3</w:t></w:r></w:p>')  # its own numPr turns the style's off
    body = TITLE + tbl(HEADER, tr(tc(serial), *texts("党的建设", "甲事项")),
                       tr(tc(serial), *texts("", "乙事项")), tr(tc(off), *texts("", "丙事项")))
    doc = DocxExtractor().extract(write(tmp_path, docx_with_body(body, NUMBERING, styles)))
    assert basic_rows(doc) == [(1, "党的建设", "甲事项"), (2, "", "乙事项"), (3, "", "丙事项")]
