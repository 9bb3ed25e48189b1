"""The markdown extractor on seed 001 (昭苏镇) and on small documents built for one difficulty.

Expected fields are written by hand from the seed's lines: markup removed, runs of whitespace
one space, nothing else changed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lvzhi.extractor import ExtractionError
from lvzhi.extractors.html import HTMLExtractor
from lvzhi.extractors.markdown import MarkdownExtractor, split_row
from lvzhi.ingest import Extraction, choose_extractor, extract_file
from lvzhi.model import ExtractedDocument, ListKind
from lvzhi.normalize import fill_down_categories
from lvzhi.plugins import load_plugins
from lvzhi.report import build_report
from tests.conftest import EXPECTED_COUNTS, SAMPLES
from tests.extractors.seed_checks import assert_place, assert_read_exactly, find

SEED = "001_608acf05b3629a7f.txt"
B, C, R = ListKind.BASIC, ListKind.COOPERATIVE, ListKind.RECLAIMED


@pytest.fixture(scope="module")
def registry():
    return load_plugins()


@pytest.fixture(scope="module")
def extraction(registry) -> Extraction:
    return extract_file(registry, SAMPLES / SEED)


@pytest.fixture(scope="module")
def document() -> ExtractedDocument:
    return MarkdownExtractor().extract(SAMPLES / SEED)


def extract_text(tmp_path: Path, text: str, name: str = "list.md") -> ExtractedDocument:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return MarkdownExtractor().extract(path)


# --- the seed as a whole -----------------------------------------------------------------

def test_the_seed_is_read_by_the_markdown_extractor(extraction):
    assert extraction.extractor == "markdown"


def test_rows_per_list_serials_categories_and_conservation(extraction):
    assert_read_exactly(extraction, SEED, min_body_chars=40000)


def test_place_title_and_notes(extraction):
    assert_place(extraction, SEED)
    doc = extraction.document
    assert doc.title == "新疆维吾尔自治区伊犁哈萨克自治州 昭苏县昭苏镇履职事项清单"
    assert doc.notes == "" and doc.warnings == []


def test_only_justified_rows_are_suspicious(extraction):
    """Cooperative 64 has duty text in its department cell (the converter's doing, kept as
    printed and flagged); basic 1 (134 characters) and reclaimed 26 (84) really have names that
    long, which the report may ask a person to review."""
    flagged = {(p.list, p.serial) for p in extraction.report.suspicious}
    assert ("cooperative", 64) in flagged
    assert flagged <= {("basic", 1), ("reclaimed", 26), ("cooperative", 64)}


def test_no_markup_header_or_table_syntax_in_any_field(document):
    for row in document.rows:
        for text in (row.category, row.name, row.departments, row.upper_duties,
                     row.township_duties, row.receiver):
            assert "<" not in text and ">" not in text and "|" not in text
            assert "序号" not in text and "事项名称" not in text
            assert text == text.strip() and "  " not in text


# --- rows field by field -----------------------------------------------------------------

ROWS: dict[tuple[ListKind, int], dict[str, object]] = {
    (B, 1): dict(  # first row; a name of 134 characters
        line=19, category="党的建设",
        name="深入学习贯彻习近平新时代中国特色社会主义思想和习近平总书记关于新疆工作的重要讲话重要"
             "指示批示精神，完整准确全面贯彻新时代党的治疆方略，宣传和执行党的路线方针政策，执行上"
             "级党组织及本级党组织决议，加强政治建设，坚定拥护“两个确立”、坚决做到“两个维护”，开展"
             "党内集中教育"),
    (B, 8): dict(  # the last row of a page's table
        line=26, category="党的建设",
        name="落实党管人才原则，做好本镇人才引进、服务、管理和使用工作"),
    (B, 9): dict(  # the first row after the repeated header
        line=30, category="党的建设", name="健全党建引领基层治理机制，完善社会参与制度"),
    (B, 89): dict(  # last row of the list
        line=134, category="综合政务", name="集中管理本镇档案，推进档案信息化建设"),
    (C, 1): dict(  # first row: steps apart by a space, no markup
        line=140, category="党的建设", name="推荐县级以上党代表工作", departments="县委组织部",
        upper_duties="1.确定代表名额，并分配至镇党委； 2.会同纪委监委、统战、政法、信访等部门对代表"
                     "候选人预备人选进行资格联审； 3.审查后报县委批复。",
        township_duties="1.根据分配名额、代表条件和结构要求，组织所辖党支部推荐提名代表候选人推荐人"
                        "选； 2.对代表候选人推荐人选进行考察，确定代表候选人初步人选并进行公示（不"
                        "少于5个工作日）； 3.召开党委会，确定代表候选人预备人选，组织填写相关登记表"
                        "，报县委组织部审查； 4.召开党员大会或代表大会组织选举，选出正式代表； 5.向"
                        "县委组织部报送代表选举情况报告、代表名册、代表选举工作相关文件。"),
    (C, 3): dict(  # <p> paragraphs in both duty cells
        line=145, category="党的建设", name="党内统计工作", departments="县委组织部",
        upper_duties="1.组织召开专题会议部署工作任务，开展操作细则、明确统计范围、统计指标、填报要"
                     "求相关培训； 2.对镇上报的党内统计数据进行审核，提出修改建议； 3.对镇党内统计"
                     "工作进行监督指导，对工作不力的进行督促整改。",
        township_duties="1.明确专人负责党内统计工作，按照上级规定的时间节点和工作要求，全面开展党内"
                        "统计工作； 2.对支部上报数据进行审核维护，将初审通过数据按时上报县委组织部"
                        "； 3.根据县委组织部提出修改意见进行修改，直至审核通过； 4.建立健全党内统计"
                        "数据管理制度，妥善保管资料。"),
    (C, 21): dict(  # the converter's spaces inside words are kept as printed
        line=178, category="民生服务", name="政策性农业、畜牧业保险参保工作",
        departments="县财政局、农业 农村局、林草局",
        upper_duties="1.承保机构（保险公司）将保险档案资料提交县农业农村局、林草 局； 2.县农业农村"
                     "局、林草局统计汇总，并向县财政局申请中央补助资 金； 3.县财政局对资料审核后，"
                     "做好资金拨付； 4.承保机构（保险公司）邀请第三方专业技术人员、镇村（社区） 工"
                     "作人员开展农业和畜牧业灾害的现场勘验确认； 5.承保机构（保险公司）在规定时间完"
                     "成理赔，并在镇、村（社 区）公开公示。",
        township_duties="1.督促村（社区）组织农（牧）民投保，并 在本辖区公开公示； 2.核实农户、养殖"
                        "户承保数据，上报县农业 农村局和县林草局； 3.发生农业、畜牧业灾害后，指导村"
                        "（社 区）及时向承保机构（保险公司）报案。"),
    (C, 23): dict(  # sub-headings (一、 二、) with numbering restarting under each
        line=183, category="民生服务", name="大中型水利水电工程移民安置和后期扶持工作",
        departments="县水利局",
        upper_duties="一、水库移民安置工作 1.牵头组织开展大中型水利水电工程征占各类土地、房屋、树木"
                     "、坟墓、其他建筑物和迁移人口的测量、调查、公示等工作，组织编制移民安置规划大"
                     "纲； 2.汇总镇移民安置意见建议，组织编制本工程移民安置实施方案报县人民政府审批"
                     "； 3.负责大中型水利水电工程征收、征用各类土地、房屋、树木、坟墓迁移、其他建筑"
                     "物的测量、调查以及拆迁补偿款发放工作； 4.负责加强对征地补偿和移民安置资金的使"
                     "用和监管。 二、后期扶持工作 1.负责编制移民后期扶持规划，并报县人民政府审批； "
                     "2.对移民后期扶持人口进行动态管理； 3.组织开展水库移民劳动力就业技能培训。",
        township_duties="一、水库移民安置工作 1.提出本级移民安置意见建议报县水利局； 2.做好本辖区水"
                        "库移民实施工作的宣传动员； 3.根据上级移民工作计划适时组织召开村移民代表大"
                        "会、提出计划实施的生产开发项目并进行表决、公示，按基本建设项目申报程序向县"
                        "水利局提出项目立项和实施申请。 二、后期扶持工作 1.负责提出移民后期扶持项目"
                        "实施计划； 2.动态掌握移民后期扶持人口的准确信息，完成移民后期扶持人口的申"
                        "报、公示； 3.负责水库移民“一卡通”录入和事前事后公示。"),
    (C, 64): dict(  # duty text the converter put in the department column: kept, flagged
        line=275, category="自然资源", name="草原确权工作",
        departments="县自然资源局、林草局 县林草局 向镇提供草原承包原始档案。",
        upper_duties="县自然资源局 1.牵头制定草原确权工作方案，并对镇进行培训； 2.委托第三方绘制地"
                     "块图形； 3.制发草原不动产权登记簿； 4.完善草原确权数字信息管理系统相关信息。",
        township_duties="1.根据工作方案做好草原确权政策宣传； 2.以户为单位对草原承包底册进行核实，"
                        "核查承包草原地块四至范围； 3.以村为单位对承包草原地块图形等进行公示； 4.根"
                        "据权属调查和审核公示结果，组织发包方与承包方签订草原承包合同； 5.向县自然"
                        "资源局移交完整的草原确权成果电子资料。"),
    (C, 128): dict(  # last row of the list
        line=414, category="教育培训监管", name="校外培训机构监管工作",
        departments="县教育局、市监局、文旅局、民政局、科学技术局、公安局、消防救援局、住建局",
        upper_duties="1.县教育局牵头，联合县文旅局、市监局、民政局、科技局、公安局、消防救援局、住"
                     "建局等部门，加强对校外培训机构的监管，规范市场秩序，保障学生和家长合法权益； "
                     "2.县市监局负责对获得办学许可证的营利性校外培训机构依法登记工作和校外培训机构"
                     "收费、价格公示、广告宣传、反垄断等方面日常监管，对违反市场监管行为依法予以处"
                     "置； 3.县民政局负责做好非营利性校外培训机构登记和相关监管工作； 4.县教育局、"
                     "文旅局、科技局分别负责学科类、文体类、科技类校外培训机构备案和年检工作，开展"
                     "有关政策宣传，对隐形变异、资金账户、收费情况、教师资质、培训内容、培训行为、"
                     "招生对象等方面进行日常监管，校外培训机构出现违法违规行为，由各业务主管部门督"
                     "促整改，对拒不整改的报县教育局，各相关部门按照专班出具的处置意见依法予以处置"
                     "； 5.县公安局重点做好校外培训机构的安全监管工作； 6.县消防救援局负责消防安全"
                     "监督检查，对违反消防安全管理规定的，依法予以处置； 7.县住建局负责房屋安全隐患"
                     "鉴定检查，对存在安全隐患的培训机构提出整改意见，对拒不整改的依法予以处理。",
        township_duties="1.开展教育“双减”工作政策宣传； 2.排查本辖区校外教育培训的问题线索，并将校"
                        "外教育培训治理工作纳入网格化综合治理体系，加强日常巡查，发现问题线索及时反"
                        "馈教育部门； 3.会同教育等部门开展实地核查，对查处地方重点关注。"),
    (R, 1): dict(  # first row: the receiver cell says the work stops
        line=420, category="民生服务", name="出具婚姻状况证明（婚姻关系证明、分居证明）",
        receiver="不再开展此项工作"),
    (R, 26): dict(  # a name of 84 characters; department and method in one cell
        line=457, category="自然资源",
        name="对损毁水工程设施及其附属设施和设备、防汛器材物料，在堤防安全保护区内打井、挖筑鱼塘、"
             "采石等影响堤防安全，非管理人员操作河道上的涵闸闸门或者干扰河道管理单位正常工作的处罚",
        receiver="县水利局 承接方式：由县水利局组织执法人员开展日常执法检查，及时制止相关违法行为，"
                 "根据情节轻重按照行政处罚程序进行处置"),
    (R, 52): dict(  # last row of the document
        line=495, category="市场监管", name="对从事无照经营的商户进行处罚",
        receiver="县市监局 承接方式：由县市监局组织执法人员开展日常执法检查，及时制止相关违法行为，"
                 "根据情节轻重按照行政处罚程序进行处置"),
}
FIELDS = ("category", "name", "departments", "upper_duties", "township_duties", "receiver")


@pytest.mark.parametrize("key", ROWS, ids=lambda k: f"{k[0]}-{k[1]}" if isinstance(k, tuple)
                         else str(k))
def test_row_field_by_field(document, key):
    kind, serial = key
    expected = ROWS[key]
    row = find(document, kind, serial)
    assert (row.span.line_first, row.span.line_last) == (expected["line"], expected["line"])
    assert {f: getattr(row, f) for f in FIELDS} == {f: expected.get(f, "") for f in FIELDS}
    assert not row.category_filled


def test_duty_cells_split_into_their_steps(extraction):
    items = {(i.list, i.serial): i for i in extraction.items}
    assert len(items[C, 3].upper_duties) == 3 and len(items[C, 3].township_duties) == 4
    assert items[C, 3].township_duties[1] == (
        "2.对支部上报数据进行审核维护，将初审通过数据按时上报县委组织部； ")
    assert len(items[C, 128].upper_duties) == 7
    # numbering restarts under each sub-heading; the steps give back the cell exactly
    steps = items[C, 23].upper_duties
    assert [s[:2] for s in steps] == ["一、", "1.", "2.", "3.", "4.", "1.", "2.", "3."]
    assert "".join(steps) == ROWS[C, 23]["upper_duties"]


def test_every_duty_cell_is_its_steps_joined(document, extraction):
    """The seed's cells are <p> paragraphs, never an HTML list: every cell is split at its
    printed numbers, and the steps give it back exactly."""
    rows = {r.serial: r for r in document.rows if r.list == C}
    assert all(r.upper_steps is None and r.township_steps is None for r in rows.values())
    for item in extraction.items:
        if item.list == C:
            assert "".join(item.upper_duties) == rows[item.serial].upper_duties
            assert "".join(item.township_duties) == rows[item.serial].township_duties
            assert all(item.upper_duties) and all(item.township_duties)
    assert document.page_repeats == 0  # no row of the seed is cut by a page break


# --- one difficulty at a time ------------------------------------------------------------

MINI = """\
某州某县某镇基本履职事项清单

| 序号 | 事项类别 | 事项名称 |
|----|------|--|
| 1 | 党的建设 | 甲事项 |
| 2 |  | 乙事项<br>续写 |

| 序号 | 事项类别 | 事项名称 |
|----|------|--|
| 3 | **经济发展** | 含有\\|竖线的事项 |

## 某州某县某镇上级部门收回事项清单

| 序号 | 事项类别 | 事项名称 | 承接部门及工作方式 |
|:--:|:----|:--|---|
| 1 | 民生服务 | 工伤认定调查 |  |
"""


def test_empty_cells_merged_categories_escaped_pipes_and_emphasis(tmp_path):
    doc = extract_text(tmp_path, MINI)
    rows = [(r.list, r.serial, r.category, r.name, r.receiver) for r in doc.rows]
    assert rows == [
        (B, 1, "党的建设", "甲事项", ""),
        (B, 2, "", "乙事项续写", ""),  # category merged vertically: the core fills it down
        (B, 3, "经济发展", "含有|竖线的事项", ""),
        (R, 1, "民生服务", "工伤认定调查", ""),  # an empty cell stays empty
    ]
    assert (doc.county, doc.township) == ("某县", "某镇")


def test_a_row_continued_in_the_next_table(tmp_path):
    text = MINI.replace("| 3 | **经济发展** | 含有\\|竖线的事项 |", "| 2 |  | 的末尾 |")
    doc = extract_text(tmp_path, text)
    assert [(r.serial, r.name) for r in doc.rows if r.list == B] == [
        (1, "甲事项"), (2, "乙事项续写的末尾")]
    row = doc.rows[1]
    assert (row.span.line_first, row.span.line_last) == (6, 10)


HTML_TABLES = """\
# 某州某县某镇配合履职事项清单

<table><tr><td>序号</td><td>事项类别</td><td>事项名称</td><td>对应上级部门</td>
<td>上级部门职责</td><td>镇配合职责</td></tr>
<tr><td>1</td><td rowspan="2">党的建设</td><td>甲事项</td><td>县委组织部</td>
<td><p>1.审核；</p><p>2.批复。</p></td><td>1.上报&amp;公示。</td></tr>
<tr><td>2</td><td>乙事项</td><td>县委组织部</td><td>1.指导。</td><td>1.落实。</td></tr>
</table>

<table>
<tr><td>序号</td><td>事项类别</td><td>事项名称</td><td>对应上级部门</td><td>上级部门职责</td>
<td>镇配合职责</td></tr>
<tr><td>3</td><td>民生服务</td><td>丙事项</td><td colspan="2">县民政局</td><td>1.摸排。</td></tr>
</table>
"""


def test_html_tables_with_merged_cells(tmp_path):
    doc = extract_text(tmp_path, HTML_TABLES)
    rows = [(r.serial, r.category, r.name, r.departments, r.upper_duties, r.township_duties,
             r.span.line_first) for r in doc.rows]
    assert rows == [
        # two <p> in a cell: joined as the web page reader joins them (one cell's lines)
        (1, "党的建设", "甲事项", "县委组织部", "1.审核；2.批复。", "1.上报&公示。", 5),
        (2, "", "乙事项", "县委组织部", "1.指导。", "1.落实。", 7),  # under the rowspan
        (3, "民生服务", "丙事项", "县民政局", "", "1.摸排。", 13),  # a colspan, kept as given
    ]
    assert (doc.county, doc.township) == ("某县", "某镇")
    assert MarkdownExtractor().sniff(tmp_path / "x.md", HTML_TABLES.encode()) >= 0.9


MINERU_MERGED = ("# 某州某县某镇配合履职事项清单\n\n<table>"
                 "<tr><td>序号</td><td>事项类别</td><td>事项名称</td><td>对应上级部门</td>"
                 "<td>上级部门职责</td><td>镇配合职责</td></tr>"
                 "<tr><td>1</td><td>党的建设</td><td>甲事项</td><td rowspan=\"3\">县委组织部</td>"
                 "<td>1.审核。</td><td>1.上报。</td></tr>"
                 "<tr><td>2</td><td>党的建设</td><td>乙事项</td><td>1.指导。</td><td>1.落实。</td></tr>"
                 "<tr><td>3</td><td>民生服务</td><td>丙事项</td><td>1.督办。</td><td>1.摸排。</td></tr>"
                 "</table>\n")


def test_a_department_merged_over_rows_in_an_html_table(tmp_path, registry):
    """MinerU's rowspan on 对应上级部门: the rows below hold the merged cell's text, trusted
    (it was read empty there, the reading untrusted)."""
    path = tmp_path / "list.md"
    path.write_text(MINERU_MERGED, encoding="utf-8")
    extraction = extract_file(registry, path)
    assert extraction.extractor == "markdown"
    assert [(r.serial, r.name, r.departments) for r in extraction.items] == [
        (1, "甲事项", "县委组织部"), (2, "乙事项", "县委组织部"), (3, "丙事项", "县委组织部")]
    report = extraction.report
    assert report.trustworthy, report.distrust()
    assert (report.lost, report.added, report.errors) == ([], [], [])


WORD_CELL = ("<td><p class=MsoNormal>1.审核<span>材料；</span><o:p></o:p></p>\n"
             "<p class=MsoNormal>2.批复。&nbsp;<o:p></o:p></p></td>")


def test_word_paragraphs_in_an_html_table_read_as_the_web_page_reader_reads_them(tmp_path):
    table = HTML_TABLES.split("\n\n")[1].replace(
        "<td><p>1.审核；</p><p>2.批复。</p></td>", WORD_CELL)
    assert WORD_CELL in table
    markdown = extract_text(tmp_path, "# 某州某县某镇配合履职事项清单\n\n" + table + "\n")
    page = tmp_path / "list.html"
    page.write_text("<html><body><p>某州某县某镇配合履职事项清单</p>\n" + table
                    + "\n</body></html>\n", encoding="utf-8")
    web = HTMLExtractor().extract(page)
    fields = [(r.serial, r.category, r.name, r.upper_duties, r.township_duties)
              for r in markdown.rows]
    assert fields == [(r.serial, r.category, r.name, r.upper_duties, r.township_duties)
                      for r in web.rows]
    assert fields[0][3] == "1.审核材料；2.批复。"


OL = '<ol style="list-style-type: none">'
HEADER = ("| 序号 | 事项类别 | 事项名称 | 对应上级部门 | 上级部门职责 | 镇配合职责 |\n"
          "|---|---|---|---|---|---|\n")
REPRINTED = (
    "# 某州某县某镇配合履职事项清单\n\n" + HEADER
    + "| 1 | 党的建设 | 甲事项 | 县委组织部 | 1.审核； 2.批复。 | 1.上报。 |\n"
    f"| 2 | 生态环保 | 退耕还林还草 | 县林草局 | {OL} 编制方案； 下达任务。 "
    f"| {OL} 开展宣传； 签订合同；（未完见下页） |\n"
    "\n" + HEADER
    + f"| 2 | 生态环保 | 退耕还林还草 | 县林草局 | {OL} 编制方案； 下达任务。 "
    f"| {OL} （续上页）开展宣传； 签订合同； 组织验收； 上报审核。 |\n"
    "| 3 | 生态环保 | 污染防治 | 县生态环境局 | 1.指导。 | 1.宣传。 |\n"
)


def test_a_cut_cell_printed_again_before_it_goes_on(tmp_path):
    """The second page prints the township cell's first part again, then the rest: the rest
    is joined once, and what was printed twice is counted as page repeats."""
    doc = extract_text(tmp_path, REPRINTED)
    assert [r.serial for r in doc.rows] == [1, 2, 3]
    row = doc.rows[1]
    assert row.upper_duties == "编制方案； 下达任务。"
    assert row.upper_steps == ["编制方案； ", "下达任务。"]
    assert row.township_duties == "开展宣传； 签订合同； 组织验收； 上报审核。"
    assert row.township_steps == ["开展宣传； ", "签订合同； ", "组织验收； ", "上报审核。"]
    assert (row.span.line_first, row.span.line_last) == (6, 10)
    assert not row.warnings and not doc.warnings
    fill_down_categories(doc.rows)
    report = build_report(doc, source="t", extractor="t")
    assert (report.lost, report.added) == ([], [])
    assert report.page_repeats == doc.page_repeats == len(
        "2生态环保退耕还林还草县林草局编制方案；下达任务。" "开展宣传；签订合同；")


def test_list_items_in_html_tables_are_steps(tmp_path):
    text = HTML_TABLES.replace("<td><p>1.审核；</p><p>2.批复。</p></td>",
                               "<td><ol><li>审核材料；</li>\n<li>批复</li></ol></td>")
    first = extract_text(tmp_path, text).rows[0]
    assert first.upper_duties == "审核材料； 批复"
    assert first.upper_steps == ["审核材料； ", "批复"]


def test_a_markdown_file_without_a_table(tmp_path):
    with pytest.raises(ExtractionError, match="no markdown table"):
        extract_text(tmp_path, "# 某县某镇基本履职事项清单\n\n一段文字，没有表格。\n| 不是表格 |\n")


def test_tables_that_are_no_duty_list(tmp_path):
    with pytest.raises(ExtractionError, match="no duty list"):
        extract_text(tmp_path, "| 姓名 | 电话 |\n|---|---|\n| 张三 | 123 |\n")


def test_a_row_missing_a_column_names_its_line(tmp_path):
    text = MINI.replace("| 1 | 民生服务 | 工伤认定调查 |  |", "| 1 | 民生服务 | 工伤认定调查 |")
    with pytest.raises(ExtractionError) as error:
        extract_text(tmp_path, text)
    assert str(error.value) == ("a reclaimed row has 3 cells where its header has 4: the "
                                "承接部门及工作方式 column is missing (line 16)")


def test_split_row():
    assert split_row("| a | b\\|c | |") == [" a ", " b\\|c ", " "]
    assert split_row("a | b") == ["a ", " b"]


# --- choosing the extractor and speed ----------------------------------------------------

FORMATS = {"001_608acf05b3629a7f.txt": "markdown", "003_dfb9e36c2b3643c8.txt": "tsv"}


@pytest.mark.parametrize("seed", sorted(EXPECTED_COUNTS))
def test_every_sample_gets_its_own_extractor(registry, seed):
    path = SAMPLES / seed
    chosen = choose_extractor(registry, path, path.read_bytes()[:8192]).name
    assert chosen == FORMATS.get(seed, "plaintext")


def test_the_markdown_sniff_claims_pipe_tables_only(tmp_path):
    sniff = MarkdownExtractor().sniff
    table = "| 序号 | 事项类别 | 事项名称 |\n|---|---|---|\n| 1 | 党的建设 | 甲 |\n".encode()
    assert sniff(tmp_path / "a.txt", table) >= 0.9
    assert sniff(tmp_path / "a.txt", "序号\t事项类别\t事项名称\n".encode()) == 0
    assert sniff(tmp_path / "a.txt", "1 党的建设 推荐县级以上\n".encode()) == 0
    assert sniff(tmp_path / "a.md", b"# notes\n") > 0


def test_extraction_is_fast():
    started = time.perf_counter()
    MarkdownExtractor().extract(SAMPLES / SEED)
    assert time.perf_counter() - started < 1.0
