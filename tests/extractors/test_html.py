"""The HTML extractor on generated county web pages (every seed, every layout variation, UTF-8
and GBK) and on small pages built for one difficulty: charsets, page chrome, layout tables,
merged cells, Word's markup, list steps, bad input."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lvzhi.extractor import ExtractionError, NoDutyListError
from lvzhi.extractors.html import (
    HTMLExtractor,
    cell_text,
    decode_page,
    parse_page,
    table_grid,
)
from lvzhi.ingest import IngestError, choose_extractor, extract_file
from lvzhi.model import ExtractedDocument, ListKind
from lvzhi.plugins import load_plugins
from tests.conftest import SAMPLES
from tests.layouts import render_html
from tests.layouts import render_html_sites as sites
from tests.layouts.truth import (
    MERGE_VARIANTS,
    PLACES,
    QUIRK_VARIANTS,
    SEEDS,
    XINJIANG,
    Layout,
    expected,
    extract_and_score,
    layouts,
    random_layout,
    score,
)
from tests.layouts.truth import VARIANTS as COMMON_VARIANTS

REGISTRY = load_plugins([])
ENCODINGS = ("utf-8", "gbk")
B, C, R = ListKind.BASIC, ListKind.COOPERATIVE, ListKind.RECLAIMED


def read(tmp_path: Path, seed: str, layout: Layout, encoding: str = "utf-8"):
    truth = expected(seed, layout)
    path = tmp_path / "list.html"
    path.write_bytes(render_html.render(truth, layout, encoding))
    extraction = extract_file(REGISTRY, path)
    doc = extraction.document
    result = score(extraction.items, truth, place=(doc.prefecture, doc.county, doc.township))
    return result, extraction


def assert_exact(result, extraction, *, place: bool = True) -> None:
    report = extraction.report
    assert extraction.extractor == "html"
    if place:
        assert result.perfect, str(result)
    else:  # places outside Xinjiang wait for the national gazetteer
        assert (result.rows_found, result.rows_matched, result.fields_exact) == (
            result.rows_expected, result.rows_expected, result.fields_expected), str(result)
    assert (report.lost, report.added, report.serial_problems, report.errors) == ([], [], [], [])


# --- generated pages ---------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_as_a_web_page_with_all_rows(tmp_path, seed, encoding):
    result, extraction = read(tmp_path, seed, Layout(), encoding)
    assert_exact(result, extraction, place=result.place_ok)
    doc = extraction.document
    assert doc.encoding == ("utf-8" if encoding == "utf-8" else "gb18030")
    assert doc.title == Layout().cover_title()
    assert doc.warnings == []


@pytest.mark.parametrize("seed", SEEDS)
def test_the_seed_layout_in_xinjiang_reads_its_place(tmp_path, seed):
    result, extraction = read(tmp_path, seed, Layout(place=XINJIANG), "gbk")
    assert_exact(result, extraction)


VARIANTS = {
    **COMMON_VARIANTS,
    "full-width space in 序　号": Layout(place=XINJIANG, headers=(("serial", 1),
                                                                 ("category", 3))),
    **QUIRK_VARIANTS,
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_in_every_variant_reads_exactly(tmp_path, seed, variant):
    encoding = ENCODINGS[list(VARIANTS).index(variant) % 2]
    result, extraction = read(tmp_path, seed, VARIANTS[variant], encoding)
    assert_exact(result, extraction)


@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.township)
def test_places_from_all_of_china(tmp_path, place):
    layout = Layout(place=place, categories="merged", two_row_header=True, rows=20)
    result, extraction = read(tmp_path, SEEDS[1], layout, "gbk")
    assert_exact(result, extraction, place=place.province == "新疆维吾尔自治区"
                 or result.place_ok)
    assert extraction.document.township == place.township


@pytest.mark.parametrize("variant", MERGE_VARIANTS)
@pytest.mark.parametrize("seed", SEEDS[1::2])
def test_columns_merged_over_rows(tmp_path, seed, variant):
    """牵头部门, duties, 承接部门 … as one ``rowspan`` cell over a run of rows: every row of
    the run holds its text, and the report counts it once."""
    result, extraction = read(tmp_path, seed, MERGE_VARIANTS[variant])
    assert_exact(result, extraction)
    assert extraction.report.merge_repeats > 0


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=12, quirks=True, merges=True), seed=st.sampled_from(SEEDS))
def test_any_layout_with_merged_columns_reads_exactly(tmp_path, layout, seed):
    result, extraction = read(tmp_path, seed, layout)
    assert_exact(result, extraction, place=layout.place.province == "新疆维吾尔自治区"
                 or result.place_ok)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=12, quirks=True), seed=st.sampled_from(SEEDS),
       encoding=st.sampled_from(ENCODINGS))
def test_any_layout_reads_exactly(tmp_path, layout, seed, encoding):
    result, extraction = read(tmp_path, seed, layout, encoding)
    assert_exact(result, extraction, place=layout.place.province == "新疆维吾尔自治区"
                 or result.place_ok)


# --- pages as other county sites publish them (``render_html_sites``) -----------------------

def read_site(tmp_path: Path, seed: str, layout: Layout, site: sites.Site):
    layout = sites.site_layout(layout, site)
    truth = sites.site_truth(expected(seed, layout), site)
    return extract_and_score(tmp_path / "list.html", sites.render(truth, layout, site), truth)


SITE_VARIANTS = {
    "TRS template, a footer table after a list without 序号": (
        sites.Site(template="trs", charset="gbk", noise=False),
        Layout(place=XINJIANG, categories="merged", no_serial=True, extra=(("备注", -1),))),
    "UEditor, thead/th, tfoot first, split with cut rows": (
        sites.Site(template="ueditor", charset="none-utf-8", split=4, cut_rows=True,
                   tfoot_first=True, row_th=True),
        Layout(place=XINJIANG, categories="merged", footers=("note",))),
    "Word, one table per page, header not repeated, 续表": (
        sites.Site(template="word", charset="wrong", split=3, repeat_header=False,
                   cut_rows=True, cut_serial=True, continued="续表", spacer=True),
        Layout(place=XINJIANG, two_row_header=True, receiver_split=True,
               headers=(("serial", 1),))),
    "WPS, caption titles, one list per page": (
        sites.Site(template="wps", charset="gb18030", title="caption", only=1),
        Layout(place=XINJIANG, order=1, categories="section")),
    "Excel sheet, title rows, spacer column": (
        sites.Site(template="excel", charset="bom", spacer=True, split=0),
        Layout(place=XINJIANG, categories="merged", table_title="unit")),
    "title only in <title>, GBK undeclared": (
        sites.Site(template="trs", charset="none-gbk", title="title-only", only=2),
        Layout(place=XINJIANG, title="township", receiver_split=True)),
    "Word page titled 附件1, titles broken after the township": (
        sites.Site(template="word", title="p", title_break="br", only=0),
        Layout(place=XINJIANG, title="township")),
    "WPS page, titles in two centred paragraphs": (
        sites.Site(template="wps", title="p", title_break="p"),
        Layout(place=XINJIANG, title="township")),
    "a table per row, section rows tables of their own": (
        sites.Site(template="wps", split=1, repeat_header=False, continued="page"),
        Layout(place=XINJIANG, categories="section", serials_per_category=True)),
    "Excel sheet, hidden rows, a hidden column under the title's merged cell": (
        sites.Site(template="excel", spacer=True, hidden_rows=True, hidden_column=True),
        Layout(place=XINJIANG, categories="section", table_title="unit")),
    "TRS template, rows and a column hidden by a class of the page's own style": (
        sites.Site(template="trs", hidden_rows=True, hidden_column=True, hide_by="class"),
        Layout(place=XINJIANG, categories="section", two_row_header=True,
               receiver_split=True, headers=(("serial", 1),))),
    "UEditor, rows and a column hidden by the hidden attribute": (
        sites.Site(template="ueditor", hidden_rows=True, hidden_column=True,
                   hide_by="attribute"),
        Layout(place=XINJIANG, categories="column")),
    "Word page, rows hidden inside merged category cells": (
        sites.Site(template="word", hidden_rows=True, split=6, cut_rows=True),
        Layout(place=XINJIANG, categories="merged")),
    "tabs, the hidden ones hold lists without 序号": (
        sites.Site(template="ueditor", tabs=True, continued="title", split=5),
        Layout(place=XINJIANG, no_serial=True, categories="merged",
               headers=(("name", 2),))),
}


@pytest.mark.parametrize("variant", SITE_VARIANTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_as_other_county_sites_publish_it(tmp_path, seed, variant):
    site, layout = SITE_VARIANTS[variant]
    if variant.startswith("tabs"):
        site = replace(site, split=0)  # split, a list without 序号 is in doubt
    result, extraction = read_site(tmp_path, seed, layout, site)
    assert_exact(result, extraction)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rnd=st.randoms(use_true_random=False), seed=st.sampled_from(SEEDS))
def test_any_site_reads_exactly_or_says_it_is_in_doubt(tmp_path, rnd, seed):
    site = sites.random_site(rnd)
    layout = sites.site_layout(random_layout(rnd, rows=10), site)
    result, extraction = read_site(tmp_path, seed, layout, site)
    report = extraction.report
    if layout.no_serial and site.split and site.template != "excel":
        # a row that starts the next table with a name may be the rest of the row above
        assert not report.trustworthy or result.perfect, str(result)
        return
    assert_exact(result, extraction, place=layout.place.province == "新疆维吾尔自治区")


@pytest.mark.parametrize("categories", ["column", "merged", "section", "none"])
def test_rows_cut_in_every_long_cell_between_tables_without_serials(tmp_path, categories):
    """A list without 序号 split into tables with a row cut between two of them, every cell
    longer than a line going on in the next table (as a page break cuts a row): the rest
    may fill every column a row fills, so it reads exactly or says it is in doubt."""
    site = sites.Site(split=3, cut_rows=True, cut_all=True, noise=False)
    layout = Layout(place=XINJIANG, no_serial=True, categories=categories,
                    receiver_split=categories == "column", extra=(("备注", -1),))
    for seed in SEEDS:
        result, extraction = read_site(tmp_path, seed, layout, site)
        assert result.perfect or not extraction.report.trustworthy, (seed, str(result))


# --- small pages ---------------------------------------------------------------------------

TITLE = "新疆维吾尔自治区伊犁哈萨克自治州伊宁县吉里于孜镇基本履职事项清单"
TABLE = ("<table border=1><tr><td>序号</td><td>事项类别</td><td>事项名称</td></tr>"
         "<tr><td>1</td><td>党的建设</td><td>{cell}</td></tr></table>")


def page(body: str, head: str = "", *, charset: str = "utf-8") -> str:
    return (f"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"{charset}\">\n{head}\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def extract(tmp_path: Path, data: str | bytes, name: str = "page.html") -> ExtractedDocument:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return HTMLExtractor().extract(path)


def first_name(tmp_path: Path, cell: str) -> str:
    return extract(tmp_path, page(f"<p>{TITLE}</p>" + TABLE.format(cell=cell))).rows[0].name


def test_registered_through_its_entry_point():
    assert REGISTRY.extractors["html"].plugin == "html" and not REGISTRY.failures


def test_a_whole_page_goes_to_the_html_extractor_and_markdown_stays_markdown(tmp_path):
    html_page = tmp_path / "page.txt"
    html_page.write_text(page(TABLE.format(cell="x")), encoding="utf-8")
    assert choose_extractor(REGISTRY, html_page, html_page.read_bytes()).name == "html"
    markdown = tmp_path / "list.md"
    markdown.write_text(f"# {TITLE}\n\n" + TABLE.format(cell="x") + "\n", encoding="utf-8")
    assert choose_extractor(REGISTRY, markdown, markdown.read_bytes()).name == "markdown"
    fragment = tmp_path / "list.htm"
    fragment.write_text(TABLE.format(cell="x"), encoding="utf-8")
    assert choose_extractor(REGISTRY, fragment, fragment.read_bytes()).name == "html"


@pytest.mark.parametrize("seed", SEEDS)
def test_no_sample_is_claimed_as_a_web_page(seed):
    head = (SAMPLES / seed).read_bytes()[:8192]
    assert HTMLExtractor().sniff(SAMPLES / seed, head) == 0


# --- charsets

TEXT = "吉里于孜镇基本履职事项清单"


@pytest.mark.parametrize(("data", "encoding", "warned"), [
    (page(TEXT, charset="gbk").encode("gbk"), "gb18030", False),
    (page(TEXT, charset="GB2312").encode("gb18030"), "gb18030", False),
    (page(TEXT, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
          charset="x").encode("gbk"), "gb18030", False),
    (b"\xef\xbb\xbf" + page(TEXT, charset="gbk").encode("utf-8"), "utf-8 with BOM", False),
    (page(TEXT).encode("utf-8"), "utf-8", False),
    (page(TEXT).replace('<meta charset="utf-8">', "").encode("gbk"), "gb18030", False),
    (page(TEXT, charset="utf-8").encode("gbk"), "gb18030", True),  # declared wrong
    (page(TEXT, charset="gbk").encode("utf-8"), "utf-8", True),  # declared wrong
    (page(TEXT, charset="iso-8859-1").encode("gbk"), "gb18030", True),  # a template's default
    (page(TEXT, charset="no-such-charset").encode("gbk"), "gb18030", False),
    (b'<?xml version="1.0" encoding="GBK"?>\n' + page(TEXT).replace(
        '<meta charset="utf-8">', "").encode("gbk"), "gb18030", False),
])
def test_charsets(data, encoding, warned):
    text, used, warning = decode_page(data)
    assert TEXT in text and used == encoding and bool(warning) == warned


def test_the_encoding_used_is_reported(tmp_path):
    data = page(f"<p>{TITLE}</p>" + TABLE.format(cell="出具证明"), charset="utf-8")
    doc = extract(tmp_path, data.encode("gbk"))
    assert doc.encoding == "gb18030" and doc.rows[0].name == "出具证明"
    assert doc.warnings == ["the page declares charset utf-8 but is gb18030; read as gb18030"]


# --- chrome and layout

def test_chrome_breadcrumbs_scripts_and_footers_are_no_titles(tmp_path):
    decoy = "新疆维吾尔自治区喀什地区莎车县荒地镇基本履职事项清单"
    body = f"""
<div id="top-nav"><a>首页</a><a>{decoy}</a></div>
<nav>{decoy}</nav>
<div class="crumbs">当前位置：首页 &gt; {decoy}</div>
<p>当前位置：首页 &gt; 政务公开 &gt; {decoy}</p>
<script>document.write("{decoy}")</script><style>p {{}}</style>
<div class="article-title"><h1>{TITLE}</h1></div>
{TABLE.format(cell="出具证明")}
<footer>{decoy}</footer><div class="footer">{decoy}</div><div id="menu">{decoy}</div>
"""
    doc = extract(tmp_path, page(body, f"<title>{decoy}</title>".replace(decoy, "首页")))
    assert (doc.prefecture, doc.county, doc.township) == ("伊犁州", "伊宁县", "吉里于孜镇")
    assert doc.title == TITLE and [r.name for r in doc.rows] == ["出具证明"]


def test_the_page_title_gives_the_place_without_the_site_name(tmp_path):
    title = "<title>伊宁县吉里于孜镇履职事项清单_伊宁县人民政府网</title>"
    doc = extract(tmp_path, page(TABLE.format(cell="出具证明"), title))
    assert (doc.county, doc.township) == ("伊宁县", "吉里于孜镇")
    assert doc.title == "伊宁县吉里于孜镇履职事项清单"


def test_a_hyphen_between_digits_stays_in_the_page_title(tmp_path):
    title = "<title>伊宁县吉里于孜镇履职事项清单（2025-2027年）-伊宁县人民政府</title>"
    doc = extract(tmp_path, page(TABLE.format(cell="出具证明"), title))
    assert doc.title == "伊宁县吉里于孜镇履职事项清单（2025-2027年）"


def test_titles_in_the_table_thead_caption_and_a_preface(tmp_path):
    body = """<p align=center>说明：</p><p>本清单共2项。</p>
<table border=1><caption>伊宁县吉里于孜镇基本履职事项清单</caption>
<thead><tr><th>序　号</th><th>事项类别</th><th>事项名称</th></tr></thead>
<tbody><tr><td>1</td><td>党的建设</td><td>甲</td></tr></tbody></table>
<table border=1><tr><td colspan=4>伊宁县吉里于孜镇上级部门收回事项清单</td></tr>
<tr><td>序号</td><td>事项类别</td><td>事项名称</td><td>承接部门及工作方式</td></tr>
<tr><td>1</td><td>民生服务</td><td>乙</td><td>县民政局</td></tr></table>"""
    doc = extract(tmp_path, page(body))
    assert [(r.list, r.serial, r.name) for r in doc.rows] == [(B, 1, "甲"), (R, 1, "乙")]
    assert doc.notes == "本清单共2项。" and doc.township == "吉里于孜镇"


def test_layout_tables_are_walked_into_and_their_tables_read(tmp_path):
    body = (f"<table width=1000><tr><td class=left><p>相关链接</p></td><td>"
            f"<table><tr><td><p align=center>{TITLE}</p></td></tr></table>"
            f"{TABLE.format(cell='出具证明')}</td></tr></table>")
    doc = extract(tmp_path, page(body))
    assert doc.township == "吉里于孜镇" and [r.name for r in doc.rows] == ["出具证明"]


def test_a_duty_table_with_a_table_in_a_cell_is_still_a_duty_table(tmp_path):
    cell = "出具<table><tr><td>证明</td></tr></table>"
    assert first_name(tmp_path, cell) == "出具证明"


def test_hidden_boxes_and_links_to_other_articles_are_no_titles(tmp_path):
    decoy = "新疆维吾尔自治区喀什地区莎车县荒地镇基本履职事项清单"
    body = f"""
<div style="display: none" id="shareTitle">{decoy}</div><span hidden>{decoy}</span>
<p align=center><b>吉里于孜镇基本履职事项清单</b></p>
{TABLE.format(cell="出具<span style='display:none;mso-hide:all'>隐藏</span>证明")}
<div class=fy><p>上一篇：<a>{decoy}</a></p><p>下一篇：<a>{decoy}</a></p>
<p>相关链接：{decoy}</p></div>"""
    doc = extract(tmp_path, page(body, "<title>伊宁县吉里于孜镇基本履职事项清单</title>"))
    assert (doc.county, doc.township) == ("伊宁县", "吉里于孜镇")
    assert [r.name for r in doc.rows] == ["出具证明"]


def test_hidden_rows_and_columns_are_left_out_and_named():
    # as Excel's "Save as Web Page" writes them: <col> and <td> display:none, a hidden row
    root = parse_page(
        "<table><col width=64><col width=0 span=2 style='display:none'><col width=80>"
        "<tr><td colspan=4>镇清单</td></tr>"
        "<tr><td>序号</td><td style='display:none'>辅助</td><td style='display:none'></td>"
        "<td>事项名称</td></tr>"
        "<tr height=0 style='display:none'><td>9</td><td style='display:none'></td>"
        "<td style='display:none'></td><td>旧事项</td></tr>"
        "<tr><td>1</td><td style='display:none'>x</td><td style='display:none'></td>"
        "<td>出具<span style='display:none'>隐藏</span>证明</td></tr></table>")
    notes: list[str] = []
    grid = table_grid(root.find(".//table"), notes)
    assert [cells for _, cells, _, _ in grid] == [["镇清单", None], ["序号", "事项名称"],
                                                  ["1", "出具证明"]]
    assert len(notes) == 1 and "rows at lines 1 and columns 2" in notes[0]


def test_a_merged_cell_whose_first_position_is_hidden_shows_in_its_first_shown():
    # rowspans count hidden rows (Excel writes the merged range whole)
    root = parse_page(
        "<table><tr><td>序号</td><td>类别</td><td hidden>h</td></tr>"
        "<tr hidden><td>0</td><td rowspan=3>党的建设</td><td hidden>h</td></tr>"
        "<tr><td>1</td><td hidden>h</td></tr><tr><td>2</td><td hidden>h</td></tr>"
        "<tr><td>3</td><td>民生</td><td hidden>h</td></tr>"
        "<tbody style='display: none'><tr><td>4</td><td>旧</td></tr></tbody></table>")
    grid = table_grid(root.find(".//table"))
    assert [cells for _, cells, _, _ in grid] == [["序号", "类别"], ["1", "党的建设"],
                                                  ["2", None], ["3", "民生"]]
    assert [merged for *_, merged in grid] == [[False, False], [False, False],
                                               [False, True], [False, False]]


def test_a_class_the_pages_own_style_hides_is_hidden(tmp_path):
    decoy = "新疆维吾尔自治区喀什地区莎车县荒地镇基本履职事项清单"
    head = ("<style>/* site */ .ycx{color:red} h2.yc, td.yc,\n.yc { display: none }"
            "@media print { .noprint { display:none } } #shareTitle {display:none}</style>")
    table = ("<table border=1><tr><td>序号</td><td class=yc>旧</td><td>事项名称</td></tr>"
             "<tr class=yc><td>1</td><td class=yc></td><td>已取消的事项</td></tr>"
             "<tr><td>1</td><td class=yc>x</td><td>出具证明</td></tr>"
             "<tr><td>2</td><td class=yc></td><td class=noprint>办理</td></tr></table>")
    decoys = f"<h2 class=yc>{decoy}</h2><p align=center id=shareTitle>{decoy}</p>"
    doc = extract(tmp_path, page(f"{decoys}<p>{TITLE}</p>{table}", head))
    assert (doc.county, doc.township) == ("伊宁县", "吉里于孜镇")
    assert [(r.serial, r.name) for r in doc.rows] == [(1, "出具证明"), (2, "办理")]
    assert any("hidden rows at lines" in w for w in doc.warnings)


def test_web_editors_zero_width_fillers_are_no_text(tmp_path):
    table = ("<table border=1><tr><td>序号</td><td>事项类别</td><td>事项名称</td></tr>"
             "<tr><td>&#8203;1</td><td>党的建设&#xFEFF;</td><td>出具&#8203;证明</td></tr></table>")
    doc = extract(tmp_path, page(f"<p>{TITLE}</p>{table}<span class='share hidden'>{TITLE}</span>"))
    assert [(r.serial, r.category, r.name) for r in doc.rows] == [(1, "党的建设", "出具证明")]


@pytest.mark.parametrize("title", [
    "<h1>伊宁县吉里于孜镇<br>基本履职事项清单</h1>",
    "<p align=center><b><span>伊宁县吉里于孜镇<br>\n</span>基本履职事项清单</b></p>",
    "<p style='text-align: center'>伊宁县吉里于孜镇<br/>基本履职事项清单</p>",
    "<h2>伊宁县吉里于孜镇</h2><h2>基本履职事项清单</h2>",
    "<p align=center>伊宁县吉里于孜镇</p>\n<p align=center><b>基本履职事项清单</b></p>",
])
def test_a_title_broken_over_two_lines_is_one_title(tmp_path, title):
    doc = extract(tmp_path, page(title + TABLE.format(cell="出具证明")))
    assert (doc.title, doc.county, doc.township) == (
        "伊宁县吉里于孜镇基本履职事项清单", "伊宁县", "吉里于孜镇")


@pytest.mark.parametrize(("hidden", "head"), [
    (" class=tab-pane style='display:none'", ""),
    (" class='tab-pane yc'", "<style>.tab-pane.active{display:block} .yc{display:none}</style>"),
])
def test_a_hidden_tab_holding_a_list_is_read(tmp_path, hidden, head):
    table = ("<table border=1><tr><td>履职事项</td><td>承接部门</td><td>工作方式</td></tr>"
             "<tr><td>出具证明</td><td>县民政局</td><td>不再开展</td></tr></table>")
    body = (f"<h1>{TITLE}</h1><div class=tab-pane>{TABLE.format(cell='甲')}</div>"
            f"<div{hidden}><p>吉里于孜镇上级部门收回事项清单</p>"
            f"{table}</div>")
    doc = extract(tmp_path, page(body, head))
    assert [(r.list, r.name) for r in doc.rows] == [(B, "甲"), (R, "出具证明")]


def test_a_footer_table_after_a_list_without_serials_is_chrome(tmp_path):
    table = ("<table border=1><tr><td>事项类别</td><td>履职事项</td><td>备注</td></tr>"
             "<tr><td>党的建设</td><td>甲</td><td></td></tr></table>")
    footer = ("<table class=bottom_table><tr><td>主办单位：伊宁县人民政府办公室</td><td>"
              "备案号：新ICP备05001234号-1</td></tr></table>")
    doc = extract(tmp_path, page(f"<p>{TITLE}</p>{table}{footer}"))
    assert [r.name for r in doc.rows] == ["甲"]


def test_tfoot_written_first_is_read_last_and_a_second_thead_where_it_stands():
    root = parse_page("<table><thead><tr><td>h</td><td>1</td></tr></thead>"
                      "<tfoot><tr><td>注</td><td>2</td></tr></tfoot>"
                      "<tbody><tr><td>a</td><td>3</td></tr></tbody>"
                      "<thead><tr><td>h2</td><td>4</td></tr></thead>"
                      "<tbody><tr><td>b</td><td>5</td></tr></tbody></table>")
    grid = table_grid(root.find(".//table"))
    assert [cells[0] for _, cells, _, _ in grid] == ["h", "a", "h2", "b", "注"]


def test_a_row_cut_between_two_tables_of_a_list_without_serials_is_in_doubt(tmp_path):
    head = "<table border=1><tr><td>事项类别</td><td>履职事项</td></tr>"
    body = (f"<p>{TITLE}</p>{head}<tr><td>党的建设</td><td>甲</td></tr>"
            "<tr><td>党的建设</td><td>出具婚姻</td></tr></table>"
            f"{head}<tr><td></td><td>状况证明</td></tr>"
            "<tr><td>党的建设</td><td>乙</td></tr></table>")
    path = tmp_path / "list.html"
    path.write_text(page(body), encoding="utf-8")
    extraction = extract_file(REGISTRY, path)
    assert not extraction.report.trustworthy
    assert any("may be the rest of that row" in w for w in extraction.document.warnings)


# --- cells

def test_merged_cells_are_expanded_covered_cells_none():
    root = parse_page("<table><tr><td rowspan=2>a</td><td colspan=2>b</td></tr>"
                      "<tr><td>c</td><td>d</td></tr><tr><td>e</td></tr>"
                      "<tr><td rowspan=0 colspan=abc>f</td><td colspan=999999>g</td></tr></table>")
    grid = table_grid(root.find(".//table"))
    assert [cells[:3] for _, cells, _, _ in grid[:3]] == [["a", "b", None], [None, "c", "d"],
                                                         ["e", "", ""]]
    # a position covered by a cell above says so; one covered from the left does not
    assert [merged[:3] for *_, merged in grid[:2]] == [[False] * 3, [True, False, False]]
    # colspan=999999 is cut at 200 columns; every row is as wide as the widest
    assert grid[3][1][:3] == ["f", "g", None] and {len(c) for _, c, _, _ in grid} == {200}
    assert set(grid[0][1][3:]) == {""}


@pytest.mark.parametrize(("cell", "name"), [
    ("出具婚姻<br>状况证明", "出具婚姻状况证明"),
    ("<p>出具婚姻</p>\n<p>状况证明</p>", "出具婚姻状况证明"),
    ("<p class=MsoNormal><span lang=EN-US style='font-size:10.5pt;mso-bidi-font-size:12pt'>"
     "出具婚姻状况<o:p></o:p></span><span style='mso-spacerun:yes'>证明</span></p>",
     "出具婚姻状况证明"),
    ("<!--[if supportFields]><span>FIELD</span><![endif]-->出具证明", "出具证明"),
    ("<p><![if !supportLists]><span style='mso-list:Ignore'>1.</span><![endif]>起草方案</p>",
     "1.起草方案"),
    ("出具婚姻\n状况证明", "出具婚姻状况证明"),  # Word's source wrapped inside Chinese text
    ("坚定拥护\n“两个确立”\n、坚决", "坚定拥护“两个确立”、坚决"),
    ("R&amp;D\nstatistics", "R&D statistics"),  # a wrapped Latin line keeps its space
    ("ئىلى\nۋىلايىتى", "ئىلى ۋىلايىتى"),  # so does Uyghur
    ("&nbsp;出具&nbsp;&nbsp;证明&nbsp;", "出具 证明"),
    ("\u3000\u3000出具\u3000证明\u3000", "出具\u3000证明"),  # full-width spaces are text
    ("依照《自治区实施&lt;地方党政领导干部&gt;》", "依照《自治区实施<地方党政领导干部>》"),
])
def test_cell_text(tmp_path, cell, name):
    assert first_name(tmp_path, cell) == name


def test_list_items_are_duty_steps(tmp_path):
    table = ("<table border=1><tr><th>序号</th><th>事项类别</th><th>事项名称</th>"
             "<th>对应上级部门</th><th>上级部门职责</th><th>乡镇配合职责</th></tr>"
             "<tr><td>1</td><td>党的建设</td><td>党内统计</td><td>县委组织部</td>"
             "<td><ol><li>部署工作任务；</li><li>审核<br>数据。</li></ol></td>"
             "<td><p>乡镇：</p><ol><li>明确专人；</li>\n<li>按时上报。</li></ol></td></tr></table>")
    doc = extract(tmp_path, page("<p>伊宁县吉里于孜镇配合履职事项清单</p>" + table))
    [row] = doc.rows
    assert row.list == C
    assert (row.upper_duties, row.upper_steps) == ("部署工作任务； 审核数据。",
                                                   ["部署工作任务； ", "审核数据。"])
    assert row.township_steps == ["乡镇： ", "明确专人； ", "按时上报。"]


def test_cell_text_of_a_list_joins_items_with_a_space():
    root = parse_page("<table><tr><td><ol><li>a；</li><li>b。</li></ol></td></tr></table>")
    assert cell_text(root.find(".//td")) == ("a； b。", ["a；", "b。"])


# --- bad input

def test_a_page_without_a_table(tmp_path):
    with pytest.raises(NoDutyListError, match="no table in this web page") as error:
        extract(tmp_path, page(f"<p>{TITLE}</p><p>正文</p>"))
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("body", [
    # the lists published only as attachments
    f"<h1>{TITLE}</h1><p>附件：<a href='/1.docx'>吉里于孜镇基本履职事项清单.docx</a></p>"
    "<p>附件：<a href='/2.pdf'>吉里于孜镇配合履职事项清单.pdf</a></p>",
    # a site's page: layout tables, a menu table, a footer table, no list
    "<table width=1000><tr><td><img src=logo.png></td><td>搜索</td></tr></table>"
    f"<table><tr><td class=left><p>{TITLE}</p></td><td><table><tr><td>首页</td><td>政务公开"
    "</td></tr></table></td></tr></table><table><tr><td>主办单位：伊宁县人民政府</td>"
    "<td>备案号：新ICP备05001234号</td></tr></table>",
])
def test_a_page_without_a_duty_table_is_one_line_and_stores_nothing(tmp_path, body):
    path = tmp_path / "page.html"
    path.write_text(page(body), encoding="utf-8")
    with pytest.raises(IngestError) as error:
        extract_file(REGISTRY, path)
    assert "\n" not in str(error.value) and "no" in str(error.value)


def test_a_frameset_names_the_files_it_frames(tmp_path):
    frameset = ("<html><head><meta name=ProgId content=Excel.Sheet></head><frameset rows='*,39'>"
                "<frame src='list.files/sheet001.htm'><frame src='list.files/tabstrip.htm'>"
                "<noframes><body><p>此页面使用了框架</p></body></noframes></frameset></html>")
    with pytest.raises(NoDutyListError, match=r"list\.files/sheet001\.htm") as error:
        extract(tmp_path, frameset)
    assert "\n" not in str(error.value)


def test_a_page_whose_tables_hold_no_list(tmp_path):
    with pytest.raises(NoDutyListError, match="no duty list"):
        extract(tmp_path, page("<table><tr><td>姓名</td><td>电话</td></tr></table>"))


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 20,
    b"\x89PNG\r\n\x1a\n" + bytes(range(200)) * 10,
    b"\xff\xfe\xfd" * 1000,
    b"",
    b"   \n",
    page("x", charset="gbk").encode("utf-8")[:40] + b"\x00\x01\x02" * 50,
])
def test_junk_named_html_is_an_extraction_error(tmp_path, data):
    with pytest.raises(ExtractionError) as error:
        extract(tmp_path, data)
    assert "\n" not in str(error.value)


def test_a_page_of_comments_only(tmp_path):
    with pytest.raises(ExtractionError):
        extract(tmp_path, "<!-- nothing here -->")


def test_deeply_nested_markup_is_no_crash(tmp_path):
    body = "<div>" * 5000 + TITLE + "</div>" * 5000 + "<table>" * 3000
    with pytest.raises(NoDutyListError):
        extract(tmp_path, page(body))


# --- whatever it is fed: a document or ExtractionError, one line

MARKUP_TOKENS = st.sampled_from([
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<td rowspan=3>", "<td colspan=0>",
    "<th colspan=99999>", "<p>", "</p>", "<br>", "<ol>", "<li>", "</li>", "<o:p>", "<!--",
    "-->", "<![if !x]>", "<![endif]>", "<script>", "</script>", "&nbsp;", "&#0;", "&#xD800;",
    "<meta charset=gbk>", "<html>", "<body>", "\n", "序号", "事项类别", "事项名称", "1", "2",
    "党的建设", "基本履职事项清单", "上级部门收回事项清单", "承接部门及工作方式", "\u3000", "<"])
PROPERTIES = settings(max_examples=30, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow])


def only_documented_errors(tmp_path: Path, data: bytes) -> None:
    try:
        result = extract(tmp_path, data)
    except ExtractionError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return
    assert isinstance(result, ExtractedDocument)


@PROPERTIES
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes(tmp_path, data):
    only_documented_errors(tmp_path, data)


@PROPERTIES
@given(text=st.lists(MARKUP_TOKENS, max_size=600).map("".join),
       encoding=st.sampled_from(("utf-8", "gb18030", "utf-16")))
def test_arbitrary_markup(tmp_path, text, encoding):
    only_documented_errors(tmp_path, text.encode(encoding, errors="replace"))


@PROPERTIES
@given(seed=st.sampled_from(SEEDS), operations=st.lists(
    st.tuples(st.sampled_from(("drop", "duplicate", "swap", "cut")), st.integers(0, 10**6),
              st.integers(0, 10**6)), min_size=1, max_size=20))
def test_mangled_pages(tmp_path, seed, operations):
    layout = Layout(place=XINJIANG, categories="merged", two_row_header=True, rows=8)
    lines = render_html.render(expected(seed, layout), layout, "gbk").split(b"\n")
    for operation, i, j in operations:
        i, j = i % len(lines), j % len(lines)
        if operation == "drop":
            del lines[i]
        elif operation == "duplicate":
            lines.insert(i, lines[i])
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i][: j % (len(lines[i]) + 1)]
        if not lines:
            break
    only_documented_errors(tmp_path, b"\n".join(lines))


# --- pages other tools write

EXCEL_PAGE = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Excel.Sheet>
<style>
.xl65 {mso-style-parent:style0; font-size:16.0pt; text-align:center;}
</style>
<!--[if gte mso 9]><xml>
 <x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>配合</x:Name>
 </x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>
</xml><![endif]-->
</head>
<body link=blue vlink=purple>
<table border=0 cellpadding=0 cellspacing=0 width=700 style='border-collapse:collapse'>
 <col width=54 style='width:41pt'>
 <tr height=40 style='height:30.0pt'>
  <td colspan=6 height=40 class=xl65 width=700>伊宁县吉里于孜镇配合履职事项清单</td>
 </tr>
 <tr height=20>
  <td height=20 class=xl66>序号</td><td class=xl66>事项类别</td><td class=xl66>事项名称</td>
  <td class=xl66>牵头部门</td><td class=xl66>部门职责</td><td class=xl66>乡镇（街道）职责</td>
 </tr>
 <tr height=80>
  <td height=80 class=xl67 x:num>1</td>
  <td rowspan=2 class=xl68>党的建设</td>
  <td class=xl68>党内统计工作</td>
  <td class=xl68>县委组织部</td>
  <td class=xl69 width=200 style='width:150pt'>1.部署工作任务；<br>
    2.审核数据。</td>
  <td class=xl69>1.明确专人负责；<font class="font6"><span
  style='mso-spacerun:yes'> </span></font><font class="font5">2.按时上报。</font></td>
 </tr>
 <tr height=60>
  <td height=60 class=xl67 x:num="2">2</td>
  <td class=xl68>推荐党代表</td>
  <td class=xl68>县委组织部</td>
  <td class=xl69>确定名额</td>
  <td class=xl69>推荐人选</td>
 </tr>
 <![if supportMisalignedColumns]>
 <tr height=0 style='display:none'>
  <td width=54 style='width:41pt'></td><td width=80></td><td width=120></td>
  <td width=80></td><td width=200></td><td width=166></td>
 </tr>
 <![endif]>
</table>
</body>
</html>
"""

EDITOR_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>伊宁县吉里于孜镇上级部门收回事项清单 - 伊宁县人民政府网</title></head>
<body>
<div class="top-bar"><span>欢迎访问伊宁县人民政府网</span></div>
<div class="weizhi">首页 &gt;&gt; 政务公开 &gt;&gt; 通知公告</div>
<div class="news_cont"><div class="news_title">关于公布伊宁县吉里于孜镇履职事项清单的通知</div>
<div id="zoom"><p style="text-indent: 2em;">根据工作安排，现将清单予以公布。</p>
<p style="text-align: center;"><strong>伊宁县吉里于孜镇上级部门收回事项清单</strong></p>
<table width="100%"><tbody>
<tr class="firstRow"><th>序号</th><th>事项类别</th><th>事项名称</th><th>承接部门</th>
<th>工作方式</th></tr>
<tr><td style="word-break: break-all;">1</td><td><span style="font-family: 宋体, SimSun;">
民生服务</span></td><td><p>出具婚姻状况证明</p></td><td>县民政局</td>
<td>不再开展此项工作</td></tr>
<tr><td>2</td><td>民生服务</td><td>工伤认定<br/>调查</td><td>县人社局</td><td>由县人社局
负责</td></tr>
</tbody></table>
<p>附件：<a href="/x.docx">清单.docx</a></p></div></div>
<div class="bottom"><p>伊宁县人民政府办公室主办</p></div>
</body></html>
"""


def test_a_page_excel_saved_as_a_web_page(tmp_path):
    doc = extract(tmp_path, EXCEL_PAGE.encode("gbk"), "list.htm")
    assert doc.encoding == "gb18030" and doc.township == "吉里于孜镇"
    first, second = doc.rows
    assert (first.list, first.serial, first.category, first.name, first.departments) == (
        C, 1, "党的建设", "党内统计工作", "县委组织部")
    assert first.upper_duties == "1.部署工作任务；2.审核数据。"
    assert first.township_duties == "1.明确专人负责； 2.按时上报。"
    assert (second.serial, second.category, second.name, second.township_duties) == (
        2, "", "推荐党代表", "推荐人选")  # the merged category: the core fills it down


def test_a_page_a_web_editor_wrote(tmp_path):
    path = tmp_path / "list.html"
    path.write_text(EDITOR_PAGE, encoding="utf-8")
    extraction = extract_file(REGISTRY, path)
    assert extraction.extractor == "html"
    doc = extraction.document
    assert (doc.county, doc.township) == ("伊宁县", "吉里于孜镇")
    assert [(i.list, i.serial, i.category, i.name, i.receiver_department, i.receiver_method)
            for i in extraction.items] == [
        (R, 1, "民生服务", "出具婚姻状况证明", "县民政局", "不再开展此项工作"),
        (R, 2, "民生服务", "工伤认定调查", "县人社局", "由县人社局负责")]
    assert (extraction.report.lost, extraction.report.added) == ([], [])
