"""The shared table assembler: what every format reader relies on, event by event."""

from __future__ import annotations

import pytest

from lvzhi.extractor import ExtractionError, NoDutyListError
from lvzhi.extractors.tables import (
    TableAssembler,
    clean_cell,
    is_cover_title,
    join_steps,
    list_items,
    map_header,
    marked_steps,
    read_serial,
    reprinted_head,
    strip_page_markers,
)
from lvzhi.model import ExtractedDocument, ListKind
from lvzhi.normalize import fill_down_categories, settle_receivers
from lvzhi.report import build_report
from lvzhi.vocabulary import column_of_header

B, C = ListKind.BASIC, ListKind.COOPERATIVE
BASIC = ["序号", "事项类别", "事项名称"]
COOPERATIVE = ["序号", "事项类别", "事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责"]
RECLAIMED = ["序号", "事项类别", "事项名称", "承接部门及工作方式"]


def feed(events: list[tuple]) -> ExtractedDocument:
    """Run events through an assembler: ("text", str) · ("break",) · ("row", cells)."""
    tables = TableAssembler()
    for number, event in enumerate(events, start=1):
        if event[0] == "text":
            tables.text(event[1], line=number)
        elif event[0] == "break":
            tables.page_break()
        else:
            tables.row(event[1], line=number, page=event[2] if len(event) > 2 else None)
    return tables.finish()


def conserved(doc: ExtractedDocument) -> tuple[int, int]:
    fill_down_categories(doc.rows)
    report = build_report(doc, source="test", extractor="test")
    return report.lost_chars, report.added_chars


# --- cleaning ----------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "clean"), [
    ("<p>1.甲；</p> <p>2.乙。</p>", "1.甲； 2.乙。"),
    ('<ol style="list-style-type: none"> 起草方案； 审核人选。 ', "起草方案； 审核人选。"),
    ("<ol><li>起草方案；</li><li>审核人选。</li></ol>", "起草方案； 审核人选。"),
    ("县农业<br>农村局", "县农业农村局"),  # a <br> in a CJK cell is a wrapped line
    ("<span style='x'>县</span>委", "县委"),
    ("A&amp;B &lt;p&gt;", "A&B <p>"),
    ("  多余   空白  ", "多余 空白"),
    ("1:3的比例 <p>不是标签</p>", "1:3的比例 不是标签"),
    ("a < b > c", "a < b > c"),  # not a tag
])
def test_clean_cell_removes_markup_and_nothing_else(raw, clean):
    assert clean_cell(raw) == clean


# --- items the markup marks: the steps of duty cells -------------------------------------

OL = '<ol style="list-style-type: none">'


@pytest.mark.parametrize(("raw", "items"), [
    # a list without <li>: items apart by whitespace after a clause end, nowhere else
    (f"{OL} 起草下发工作方案； 审核报名人选，汇总推荐情况； 定向选拔工作结束后备案。 ",
     ["起草下发工作方案；", "审核报名人选，汇总推荐情况；", "定向选拔工作结束后备案。"]),
    (f"{OL} 制定方案。协调各部门； 负责推荐! 核实? 上报. 完成",
     ["制定方案。协调各部门；", "负责推荐!", "核实?", "上报.", "完成"]),
    (f"{OL} 县农业 农村局按照1:3 的比例确定人选", ["县农业 农村局按照1:3 的比例确定人选"]),
    # <li> items are the items, whatever their punctuation
    ("<ol><li>起草方案</li><li>审核 人选</li></ol>", ["起草方案", "审核 人选"]),
    ("<ul><li>甲；乙； 丙。</li><li>丁</ul>", ["甲；乙； 丙。", "丁"]),
    ("<ol><li>A&amp;B</li>\n<li><span>县</span>委<br>组织部</li></ol>", ["A&B", "县委组织部"]),
    # paragraphs beside the list are items of their own (a heading, a closing note)
    (f"<p>市人大常委会：</p> {OL} 制定选举方案； 指导选举工作。 <p>师市党委组织部： 负责考察。</p>",
     ["市人大常委会：", "制定选举方案；", "指导选举工作。", "师市党委组织部： 负责考察。"]),
    (f"{OL} 甲。<!-- 注 --> 乙。</ol> 丙； 丁。", ["甲。", "乙。", "丙； 丁。"]),
    # no list in the markup: no items
    ("<p>1.甲；</p> <p>2.乙。</p>", None),
    ("起草方案； 审核人选。", None),
    (f"{OL} </ol>", None),
])
def test_list_items_are_what_the_markup_bounds(raw, items):
    assert list_items(raw) == items
    if items is not None:
        assert " ".join(items) == clean_cell(raw)


def test_list_items_with_the_readers_own_cleaner():
    assert list_items("<ol><li>**甲**；</li><li>乙</li></ol>",
                      lambda raw: clean_cell(raw).replace("**", "")) == ["甲；", "乙"]
    # a cleaner that does not work item by item: no items rather than wrong ones
    assert list_items("<ol><li>甲</li><li>乙</li></ol>", lambda raw: clean_cell(raw)[:1]) is None


@pytest.mark.parametrize(("cell", "items", "steps"), [
    ("起草方案； 审核人选。", ["起草方案；", "审核人选。"], ["起草方案； ", "审核人选。"]),
    ("起草方案", ["起草方案"], ["起草方案"]),
    # the cell prints its own numbers: split at them by the core, not here
    ("1.起草方案； 2.审核人选。", ["1.起草方案；", "2.审核人选。"], None),
    ("1.起草方案。", ["1.起草方案。"], None),
    # cut markers, stripped from the cell, are stripped from its end items
    ("起草方案； 审核人选；", ["（续上页）起草方案；", "审核人选；（未完见下页）"],
     ["起草方案； ", "审核人选；"]),
    ("起草方案；", ["起草方案；", "（未完见下页）"], ["起草方案；"]),
    # items that are not the cell's text, or no items
    ("起草方案；审核人选。", ["起草方案；", "审核人选。"], None),
    ("起草方案", None, None),
    ("", [""], None),
])
def test_marked_steps_add_up_to_the_cell(cell, items, steps):
    assert marked_steps(cell, items) == steps


@pytest.mark.parametrize(("first", "first_steps", "second", "second_steps", "reprint",
                          "steps"), [
    # cut between two items: the parts' steps one after the other
    ("甲； 乙；", ["甲； ", "乙；"], "丙。", ["丙。"], 0, ["甲； ", "乙；", "丙。"]),
    # cut inside an item: that item is one step again
    ("甲； 乙", ["甲； ", "乙"], "续； 丙。", ["续； ", "丙。"], 0, ["甲； ", "乙续； ", "丙。"]),
    # a part whose markup marks nothing is one step
    ("甲； 乙；", ["甲； ", "乙；"], "丙。", None, 0, ["甲； ", "乙；", "丙。"]),
    ("甲；", None, "乙； 丙。", ["乙； ", "丙。"], 0, ["甲；", "乙； ", "丙。"]),
    ("", None, "乙； 丙。", ["乙； ", "丙。"], 0, ["乙； ", "丙。"]),
    ("甲；", None, "乙。", None, 0, None),
    # the second part printed the first again: its steps less the reprint
    ("甲； 乙；", ["甲； ", "乙；"], "甲； 乙； 丙。", ["甲； ", "乙； ", "丙。"], 5,
     ["甲； ", "乙； ", "丙。"]),
    ("甲； 乙", ["甲； ", "乙"], "甲； 乙续。", ["甲； ", "乙续。"], 4, ["甲； ", "乙续。"]),
    ("甲； 乙；", ["甲； ", "乙；"], "甲； 乙； 丙。", None, 5, ["甲； ", "乙； ", "丙。"]),
])
def test_steps_of_a_cut_cell(first, first_steps, second, second_steps, reprint, steps):
    joined = join_steps(first, first_steps, second, second_steps, reprint)
    assert joined == steps
    if steps is not None:
        assert "".join(steps) == first + second[reprint:]


def test_a_reprint_is_the_whole_first_part_again():
    assert reprinted_head("开展宣传； 签订合同；", "开展宣传；签订合同； 上报。") == 10
    assert reprinted_head("开展宣传； 签订合同；", "签订合同； 上报。") == 0
    assert reprinted_head("开展宣传", "开展宣传工作") == 4
    assert reprinted_head("做好", "做好宣传工作") == 0  # too short to tell from chance


def test_page_markers_are_stripped_at_the_cut_only():
    assert strip_page_markers("6.组织验收；（未完见下页）") == ("6.组织验收；", True)
    assert strip_page_markers("（续上页）7.对验收不合格") == ("7.对验收不合格", True)
    assert strip_page_markers("见（续上页）说明") == ("见（续上页）说明", False)


def test_cover_titles_and_toc_entries():
    assert is_cover_title("新疆维吾尔自治区伊犁哈萨克自治州 昭苏县昭苏镇履职事项清单")
    assert is_cover_title("阿拉尔市托喀依乡履职事项清单")
    assert not is_cover_title("1.托喀依乡基本履职事项清单.....")
    assert not is_cover_title("2.配合履职事项清单 11")
    assert not is_cover_title("目 录")


def test_serial_cells():
    assert read_serial("12", full_row=True) == (12, "")
    assert read_serial("12.", full_row=True) == (12, "")
    assert read_serial("", full_row=True) == (None, "")
    assert read_serial("12党的建设", full_row=True) == (12, "党的建设")
    assert read_serial("12党的建设", full_row=False) is None
    assert read_serial("1.基本履职事项清单.....", full_row=True) is None
    assert read_serial("合计", full_row=True) is None
    # as counties print them: 3、 （3） (3), and a spreadsheet's number saved as text 3.0
    for cell in ("3、", "（3）", "(3)", "3.0", "3.00"):
        assert read_serial(cell, full_row=True) == (3, ""), cell
    assert read_serial("3.5", full_row=True) == (3, "5")  # no serial of ours: reported


# --- columns -----------------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "column"), [
    ("序号", "serial"), ("事项类别", "category"), ("履职事项名称", "name"),
    ("对应上级部门", "departments"), ("上级部门职责", "upper_duties"),
    ("托喀依乡配合职责", "township_duties"), ("镇配合职责", "township_duties"),
    ("承接部门及工作方式", "receiver"), ("备注", None),
    # other counties' words: 单位 for 部门, a duty column by the side it names, a receiver's
    # whole cell in any wording
    ("牵头单位", "departments"), ("责任单位", "departments"), ("牵头单位职责", "upper_duties"),
    ("部门主要职责", "upper_duties"), ("县直部门职责", "upper_duties"),
    ("乡镇承担职责", "township_duties"), ("乡镇（街道）主要职责", "township_duties"),
    ("属地职责", "township_duties"), ("承接单位及承接方式", "receiver"),
    ("承接主体", "receiver_department"), ("主要职责", None), ("职责分工", None),
    ("县住房和城乡建设局职责", "upper_duties"), ("城镇管理部门职责", "upper_duties"),
    ("县城镇配合职责", "township_duties"),
])
def test_header_cells_name_their_columns(cell, column):
    assert column_of_header(cell) == column


def test_columns_are_mapped_by_their_words_not_their_place():
    doc = feed([("row", ["事项类别", "序号", "事项名称", "备注"]),
                ("row", ["党的建设", "1", "甲", "注一"])])
    [row] = doc.rows
    assert (row.serial, row.category, row.name) == (1, "党的建设", "甲")
    # a column the model has no field for is kept under its header, and counted as read
    assert row.extra == {"备注": "注一"}
    assert doc.orphans == []
    assert conserved(doc) == (0, 0)


def test_a_header_that_does_not_name_every_column_falls_back_to_the_usual_order():
    columns, by_words = map_header(ListKind.RECLAIMED, ["序号", "类别", "名称", "去向"])
    assert not by_words
    assert columns == ["serial", "category", "name", "receiver"]


# --- sections ----------------------------------------------------------------------------

def test_lists_from_titles_and_headers_and_the_place_from_all_titles():
    doc = feed([
        ("text", "新疆维吾尔自治区伊犁哈萨克自治州 昭苏县昭苏镇履职事项清单"),
        ("text", "目 录"),
        ("break",), ("row", ["", ""]), ("row", ["1.基本履职事项清单.....", "1"]),
        ("row", ["2.配合履职事项清单.....", "11"]),
        ("text", "伊犁州昭苏县昭苏镇基本履职事项清单"),
        ("break",), ("row", BASIC), ("row", ["1", "党的建设", "甲"]),
        ("text", "伊犁州昭苏县昭苏镇配合履职事项"),
        ("break",), ("row", COOPERATIVE),
        ("row", ["1", "党的建设", "乙", "县委组织部", "1.审核", "1.上报"]),
        ("text", "伊犁州昭苏县昭苏镇收回履职事项清单"),
        ("break",), ("row", RECLAIMED), ("row", ["1", "民生服务", "丙", "不再开展此项工作"]),
    ])
    assert [(r.list, r.serial, r.name) for r in doc.rows] == [
        (ListKind.BASIC, 1, "甲"), (ListKind.COOPERATIVE, 1, "乙"), (ListKind.RECLAIMED, 1, "丙")]
    assert doc.title == "新疆维吾尔自治区伊犁哈萨克自治州 昭苏县昭苏镇履职事项清单"
    assert (doc.prefecture, doc.county, doc.township) == ("伊犁州", "昭苏县", "昭苏镇")
    assert doc.rows[1].departments == "县委组织部"
    assert doc.rows[2].receiver == "不再开展此项工作"
    assert not doc.warnings and not doc.orphans


def test_a_table_of_contents_is_not_a_list():
    with pytest.raises(ExtractionError, match="no duty list"):
        feed([("text", "目 录"), ("break",), ("row", ["", ""]),
              ("row", ["1.基本履职事项清单.....", "1"]),
              ("row", ["2.配合履职事项清单.....", "11"]),
              ("row", ["3.上级部门收回事项清单.....", "61"])])


def test_a_toc_table_after_a_list_closes_it():
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]),
                ("break",), ("row", ["1.基本履职事项清单.....", "1"]),
                ("row", ["2", "不是", "一行"])])
    assert [r.serial for r in doc.rows] == [1]


def test_no_table_at_all():
    with pytest.raises(ExtractionError, match="no table"):
        feed([("text", "伊犁州昭苏县昭苏镇基本履职事项清单"), ("text", "一段文字")])


def test_the_header_decides_when_the_title_disagrees():
    doc = feed([("text", "某县某乡配合履职事项清单"), ("row", RECLAIMED),
                ("row", ["1", "民生服务", "甲", "县民政局"])])
    assert doc.rows[0].list == ListKind.RECLAIMED and doc.rows[0].receiver == "县民政局"
    assert any("cooperative" in w and "reclaimed" in w for w in doc.warnings)


def test_a_title_without_a_header_takes_the_usual_columns():
    doc = feed([("text", "某县某乡基本履职事项清单"), ("row", ["1", "党的建设", "甲"])])
    assert (doc.rows[0].list, doc.rows[0].name) == (ListKind.BASIC, "甲")
    assert any("no column header" in w for w in doc.warnings)


def test_a_title_printed_as_a_table_row():
    doc = feed([("row", ["伊犁州伊宁市托格拉克乡基本履职事项清单", "", ""]), ("row", BASIC),
                ("row", ["1", "党的建设", "甲"])])
    assert doc.township == "托格拉克乡" and len(doc.rows) == 1


def test_a_title_with_a_note_in_brackets():
    doc = feed([("text", "伊犁州伊宁市托格拉克乡基本履职事项清单（2025年版）"), ("row", BASIC),
                ("row", ["1", "党的建设", "甲"]), ("text", "2.配合履职事项清单 (11)")])
    assert (doc.county, doc.township) == ("伊宁市", "托格拉克乡")
    assert doc.title == "伊犁州伊宁市托格拉克乡基本履职事项清单（2025年版）"


def test_a_notes_preface_is_kept():
    doc = feed([("text", "说明"), ("text", "一、本清单共3项。"), ("text", "二、另行说明。"),
                ("text", "某县某乡基本履职事项清单"), ("row", BASIC),
                ("row", ["1", "党的建设", "甲"])])
    assert doc.notes == "一、本清单共3项。\n二、另行说明。"


@pytest.mark.parametrize("note", ["注：以上事项按年度调整", "备注：本清单由镇政府负责解释",
                                  "注：1.本清单所列事项按照“属地管理”原则确定；2.未经批准不得擅自增加。"])
def test_a_note_row_after_a_list_is_a_note(note):
    # a short note would otherwise pass for a section row (a category of nothing)
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]), ("row", [note, "", ""]),
                ("text", "某乡配合履职事项清单"), ("row", COOPERATIVE),
                ("row", ["1", "党的建设", "乙", "县委组织部", "指导", "配合"])])
    assert doc.notes == note
    assert [r.category for r in doc.rows] == ["党的建设", "党的建设"]
    assert (doc.orphans, conserved(doc)) == ([], (0, 0))


def test_a_total_row_is_furniture_and_its_count_checked():
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]), ("row", ["2", "", "乙"]),
                ("row", ["合计", "", "共2项"]), ("row", ["", "", ""])])
    assert [r.serial for r in doc.rows] == [2 - 1, 2] and doc.orphans == []
    assert (doc.warnings, conserved(doc)) == ([], (0, 0))
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]), ("row", ["合 计", "3项", ""])])
    assert doc.orphans == [] and doc.warnings == [
        "line 3: the total row counts 3 basic rows where 1 were read"]


def test_serials_numbered_anew_in_every_section():
    # 一、党的建设 1 2 | 二、经济发展 1 | 三、民生服务 1 2: serials are the rows' places in the
    # list (unique), the printed numbers kept as 序号; no serial problem, nothing lost
    doc = feed([("row", BASIC), ("row", ["一、党的建设", "", ""]), ("row", ["1", "", "甲"]),
                ("row", ["2", "", "乙"]), ("row", ["二、经济发展", "", ""]),
                ("row", ["1", "", "丙"]), ("row", ["三、民生服务", "", ""]),
                ("row", ["1", "", "丁"]), ("row", ["2", "", "戊"]),
                ("text", "某乡配合履职事项清单"), ("row", COOPERATIVE),  # numbered straight on
                ("row", ["1", "党的建设", "己", "县委组织部", "指导", "配合"]),
                ("row", ["2", "经济发展", "庚", "县发改委", "指导", "配合"])])
    assert [(r.list, r.serial, r.category, r.name, r.extra) for r in doc.rows] == [
        (B, 1, "党的建设", "甲", {"序号": "1"}), (B, 2, "党的建设", "乙", {"序号": "2"}),
        (B, 3, "经济发展", "丙", {"序号": "1"}), (B, 4, "民生服务", "丁", {"序号": "1"}),
        (B, 5, "民生服务", "戊", {"序号": "2"}),
        (C, 1, "党的建设", "己", {}), (C, 2, "经济发展", "庚", {})]
    report = build_report(doc, source="test", extractor="test")
    assert (report.serial_problems, report.lost, report.added) == ([], [], [])
    assert doc.warnings == ["line 6: the basic list numbers its rows anew in each category: "
                            "serials are the rows' places in the list, the printed numbers are "
                            "kept as 序号"]


def test_serials_anew_in_each_category_of_a_category_column():
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]), ("row", ["2", "", "乙"]),
                ("row", ["1", "经济发展", "丙"]), ("row", ["2", "经济发展", "丁"])])
    assert [(r.serial, r.extra) for r in doc.rows] == [
        (1, {"序号": "1"}), (2, {"序号": "2"}), (3, {"序号": "1"}), (4, {"序号": "2"})]


@pytest.mark.parametrize("between", [[("break",)], [("break",), ("row", BASIC)]],
                         ids=["blank row", "table continued"])
def test_a_category_of_one_row_numbered_anew_across_a_break(between):
    # 1 党的建设 | (a break: a blank row, a new table) | 1 经济发展 2 经济发展: the second 1 starts
    # a category; it is no reprint of the row above (that row was joined with it, trusted)
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]), *between,
                ("row", ["1", "经济发展", "乙"]), ("row", ["2", "经济发展", "丙"])])
    assert [(r.serial, r.category, r.name, r.extra) for r in doc.rows] == [
        (1, "党的建设", "甲", {"序号": "1"}), (2, "经济发展", "乙", {"序号": "1"}),
        (3, "经济发展", "丙", {"序号": "2"})]
    assert doc.page_repeats == 0
    assert conserved(doc) == (0, 0)


def test_a_section_of_one_row_numbered_anew_across_breaks():
    # 一、党的建设 1 | break | 二、经济发展 | break | 1 2: the section row between says the second 1
    # starts a category; it is no reprint of the row above the breaks (a web page giving each
    # row its own table)
    doc = feed([("row", BASIC), ("row", ["一、党的建设", "", ""]), ("row", ["1", "", "甲"]),
                ("break",), ("row", ["二、经济发展", "", ""]), ("break",),
                ("row", ["1", "", "乙"]), ("break",), ("row", ["2", "", "丙"])])
    assert [(r.serial, r.category, r.name, r.extra) for r in doc.rows] == [
        (1, "党的建设", "甲", {"序号": "1"}), (2, "经济发展", "乙", {"序号": "1"}),
        (3, "经济发展", "丙", {"序号": "2"})]
    assert doc.page_repeats == 0


def test_a_serial_repeated_inside_a_category_is_still_a_repeat():
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]), ("row", ["1", "党的建设", "乙"]),
                ("row", ["1", "", "丙"])])
    assert [r.serial for r in doc.rows] == [1, 1, 1]
    assert build_report(doc, source="t", extractor="t").serial_problems == [
        "basic: serial repeated: 1"]


def test_a_list_without_a_serial_column_is_numbered_by_its_rows():
    # 类别 | 事项名称 (merged categories), then a cooperative header without 序号 either
    doc = feed([("text", "某乡基本履职事项清单"), ("row", ["事项类别", "事项名称"]),
                ("row", ["党的建设", "甲"]), ("row", ["", "乙"]), ("row", ["经济发展", "丙"]),
                ("row", ["注：以上事项按年度调整", ""]),
                ("text", "某乡配合履职事项清单"),
                ("row", ["事项名称", "牵头部门", "部门职责", "乡镇职责"]),
                ("row", ["一、民生服务", "", "", ""]),
                ("row", ["丁", "县民政局", "指导", "配合"])])
    assert [(r.list, r.serial, r.category, r.name) for r in doc.rows] == [
        (B, 1, "党的建设", "甲"), (B, 2, "", "乙"), (B, 3, "经济发展", "丙"),
        (C, 1, "民生服务", "丁")]
    assert doc.notes == "注：以上事项按年度调整"
    assert (conserved(doc), doc.orphans) == ((0, 0), [])
    assert [w for w in doc.warnings if "序号" in w] == [
        "line 2: the basic list has no 序号 column: serials are the rows' order in the list",
        "line 8: the cooperative list has no 序号 column: serials are the rows' order in the "
        "list"]
    report = build_report(doc, source="t", extractor="t")
    assert report.serial_problems == []


def test_a_row_head_printed_without_its_name_before_a_page_break():
    """A list without 序号: a name centred in a tall cell lands on the second page, so the
    part before the break has no name. It is the head of the row the break's next row
    names, not the rest of the row above it; inside a page, or when no name follows the
    break, a part without a name is still the rest of the row above."""
    header = ["事项类别", "事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责"]
    doc = feed([("text", "某乡配合履职事项清单"), ("row", header, 1),
                ("row", ["党的建设", "甲", "县委", "1.审核；", "1.上报。"], 1),
                ("row", ["", "", "", "2.批复。", "2.公示。"], 1),
                ("row", ["", "乙", "县委", "1.审核。", "1.上报。"], 1),
                ("row", ["", "", "", "1.制定方案；2.推动", "1.结合"], 1), ("break",),
                ("row", header, 2), ("row", ["", "丙", "县委", "共建。", "实际落实。"], 2),
                ("row", ["", "丁", "县委", "1.指导；", "1.配合；"], 2),
                ("row", ["", "", "", "2.督促。", "2.报告；"], 2), ("break",),
                ("row", ["", "", "", "3.考核。", "3.自查。"], 3)])
    assert [(r.serial, r.name, r.upper_duties, r.township_duties) for r in doc.rows] == [
        (1, "甲", "1.审核；2.批复。", "1.上报。2.公示。"), (2, "乙", "1.审核。", "1.上报。"),
        (3, "丙", "1.制定方案；2.推动共建。", "1.结合实际落实。"),
        (4, "丁", "1.指导；2.督促。3.考核。", "1.配合；2.报告；3.自查。")]
    span = doc.rows[2].span
    assert (span.line_first, span.line_last, span.page_first, span.page_last) == (6, 9, 1, 2)
    assert doc.orphans == [] and conserved(doc) == (0, 0)


def test_duty_text_alone_at_a_page_break_is_no_section_row():
    """A list without 序号: a part of a row cut by a page break may hold one cell of duty
    text that starts with a step number (1.制定方案). A section row's text stands in the
    first cell, or under 事项类别 or 事项名称: this is the head (or the rest) of a row."""
    header = ["事项类别", "事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责"]
    doc = feed([("text", "某乡配合履职事项清单"), ("row", header, 1),
                ("row", ["党的建设", "甲", "县委", "1.审核。", "1.上报。"], 1),
                ("row", ["", "", "", "1.制定方案", ""], 1), ("break",),
                ("row", header, 2), ("row", ["", "乙", "县委", "；2.推动共建。", "1.落实。"], 2),
                ("break",), ("row", ["", "", "", "", "2.配合。"], 3),
                ("row", ["二、经济发展", "", "", "", ""], 3),
                ("row", ["", "丙", "县委", "1.指导。", "1.配合。"], 3)])
    assert [(r.serial, r.category, r.name, r.upper_duties, r.township_duties)
            for r in doc.rows] == [
        (1, "党的建设", "甲", "1.审核。", "1.上报。"),
        (2, "", "乙", "1.制定方案；2.推动共建。", "1.落实。2.配合。"),
        (3, "经济发展", "丙", "1.指导。", "1.配合。")]
    assert doc.orphans == [] and conserved(doc) == (0, 0)


def test_a_name_cut_by_a_page_break_in_a_list_without_serials_is_not_trusted():
    """A list without 序号: a row cut by a page break may print its name on both pages, and
    the part after the break then reads like a row of its own. Where the name above the
    break runs to the foot of its cell (the reader says so), the two readings cannot be
    told apart: the part is read as a row, its text reported lost, so the reading is not
    trusted. A name that stops short of its cell's foot was not cut: the row after the
    break is a row, trusted."""
    header = ["事项类别", "事项名称", "履职依据"]

    def read(full_above: bool) -> ExtractedDocument:
        tables = TableAssembler()
        tables.text("某乡基本履职事项清单", line=1)
        tables.row(header, line=2, page=1)
        tables.row(["党的建设", "甲", "依据一"], line=3, page=1)
        tables.row(["", "乙事项的前半", "依据"], line=4, page=1, full=[False, full_above, True])
        tables.page_break()
        tables.row(["", "丙事项", "二"], line=5, page=2, full=[False, False, False])
        return tables.finish()

    doc = read(full_above=True)
    assert [(r.serial, r.name) for r in doc.rows] == [(1, "甲"), (2, "乙事项的前半"), (3, "丙事项")]
    assert conserved(doc) == (len("丙事项二"), 0)
    assert "may be the rest of that row" in doc.warnings[-1]
    doc = read(full_above=False)
    assert [(r.serial, r.name) for r in doc.rows] == [(1, "甲"), (2, "乙事项的前半"), (3, "丙事项")]
    assert doc.orphans == [] and conserved(doc) == (0, 0)


def _split_list(title: str, header: list[str], above: list[str], below: list[str],
                full: list[bool] | None = None) -> ExtractedDocument:
    """A list without 序号 over two tables: a first row, ``above`` ending the first table
    (its cells said to run to their foot unless ``full`` says otherwise), ``below``
    starting the second."""
    tables = TableAssembler()
    tables.text(title, line=1)
    tables.row(header, line=2, page=1)
    tables.row(["党的建设", "甲", *["县委组织部"] * (len(header) - 2)], line=3, page=1)
    tables.row(above, line=4, page=1, full=full or [bool(cell) for cell in above])
    tables.page_break()
    tables.row(below, line=5, page=2)
    return tables.finish()


COOP_NO_SERIAL = ["事项类别", "事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责"]


def test_the_rest_of_a_cut_row_leaves_empty_a_column_every_row_fills():
    """A cooperative list without 序号 split over two tables: the row starting the second
    table prints the rest of the name and of the duties, but no 部门 (every row of the list
    names one): it is the rest of the row above, joined, trusted."""
    doc = _split_list("某乡配合履职事项清单", COOP_NO_SERIAL,
                      ["党的建设", "乙事项的", "县委宣传部", "1.审核；", "1.上报"],
                      ["", "前半与后半", "", "2.批复。", "材料。"])
    assert [(r.serial, r.name, r.departments, r.upper_duties, r.township_duties)
            for r in doc.rows] == [(1, "甲", "县委组织部", "县委组织部", "县委组织部"),
                                   (2, "乙事项的前半与后半", "县委宣传部", "1.审核；2.批复。",
                                    "1.上报材料。")]
    assert doc.orphans == [] and conserved(doc) == (0, 0)


def test_a_row_after_a_table_break_that_fills_every_column_stays_in_doubt():
    """As above, but the row starting the second table names a 部门 too: it may be a row of
    its own, or the rest of a row whose every cell ran on. Read as a row, not trusted."""
    doc = _split_list("某乡配合履职事项清单", COOP_NO_SERIAL,
                      ["党的建设", "乙事项", "县委宣传部", "1.审核。", "1.上报。"],
                      ["党的建设", "丙事项", "县委统战部", "1.指导。", "1.配合。"])
    assert [r.name for r in doc.rows] == ["甲", "乙事项", "丙事项"]
    assert conserved(doc)[0] > 0 and "may be the rest of that row" in doc.warnings[-1]


def test_a_whole_category_above_a_table_break_ends_there():
    """A basic list without 序号: a category cell holds one category, so a known one (or
    one a row above printed) cannot go on after the break: the row starting the next table
    with another category is a row of its own, trusted. The same category again tells
    nothing (it may be printed again on the rest); 应急 may be 应急管理及消防 cut."""
    header = ["事项类别", "事项名称"]

    def read(first: str, second: str) -> ExtractedDocument:
        return _split_list("某乡基本履职事项清单", header, [first, "乙事项"],
                           [second, "丙事项"])

    for first, second in (("党的建设", "经济发展"), ("党的建设", "产业发展")):
        doc = read(first, second)
        assert [(r.category, r.name) for r in doc.rows] == [
            ("党的建设", "甲"), (first, "乙事项"), (second, "丙事项")]
        assert doc.orphans == [] and conserved(doc) == (0, 0)
    for first, second in (("经济发展", "经济发展"), ("应急", "管理及消防"),
                          ("党的建设", "、党风廉政")):
        doc = read(first, second)
        assert "may be the rest of that row" in doc.warnings[-1], (first, second)


def test_a_cell_that_ends_short_of_its_foot_ends_the_row_above():
    """Where the reader knows where text stands (a PDF), a cell above the break that ends
    short of its cell's foot cannot go on: the row after the break printing other text
    there is a row of its own, trusted, though the name above runs to its foot."""
    doc = _split_list("某乡配合履职事项清单", COOP_NO_SERIAL,
                      ["党的建设", "乙事项", "县委宣传部", "1.审核。", "1.上报。"],
                      ["", "丙事项", "县委统战部", "1.指导。", "1.配合。"],
                      full=[False, True, False, True, True])
    assert [r.name for r in doc.rows] == ["甲", "乙事项", "丙事项"]
    assert doc.orphans == [] and conserved(doc) == (0, 0)


def test_evidence_both_ways_leaves_the_row_in_doubt():
    """A 部门 above that ended short of its foot says the row after the break is a row of
    its own; its empty duty cells say it is a rest: in doubt, not trusted."""
    doc = _split_list("某乡配合履职事项清单", COOP_NO_SERIAL,
                      ["党的建设", "乙事项", "县委宣传部", "1.审核。", "1.上报。"],
                      ["", "丙事项", "县委统战部", "", ""],
                      full=[False, True, False, True, True])
    assert "may be the rest of that row" in doc.warnings[-1]


def test_a_header_without_serials_repeated_on_a_new_page_is_furniture():
    """A reclaimed list printed without 序号 under a two-row header (事项名称 beside the group
    cell 承接情况) that a PDF repeats on every page: its top row names one column alone,
    which under a title announces a header, and after a page break is the same header
    again, not a row named 事项名称."""
    top, bottom = ["事项名称", "承接情况", ""], ["", "承接单位", "承接方式"]
    doc = feed([("text", "某乡收回履职事项清单"), ("row", top), ("row", bottom),
                ("row", ["甲", "县民政局", "县民政局负责"]), ("break",),
                ("row", top), ("row", bottom), ("row", ["乙", "县教育局", "县教育局负责"])])
    assert [(r.serial, r.name, r.receiver_department) for r in doc.rows] == [
        (1, "甲", "县民政局"), (2, "乙", "县教育局")]
    assert doc.orphans == []


def test_a_title_and_form_row_repeated_above_the_header_keep_the_section():
    """A PDF repeats a table's top rows on every page: the list's title, its 填报单位 row
    and the header. The 填报单位 row is furniture: it must not end the list, or the rows
    after it lose the category a section row set on the page before."""
    unit = ["填报单位：某乡人民政府（盖章）", "", "填报时间：2025年3月"]
    doc = feed([("row", ["某乡基本履职事项清单", "", ""]), ("row", unit), ("row", BASIC),
                ("row", ["一、党的建设", "", ""]), ("row", ["1", "", "甲"]),
                ("row", ["二、民生服务", "", ""]), ("break",),
                ("row", ["某乡基本履职事项清单", "", ""]), ("row", unit), ("row", BASIC),
                ("row", ["2", "", "乙"])])
    assert [(r.serial, r.category, r.name) for r in doc.rows] == [
        (1, "党的建设", "甲"), (2, "民生服务", "乙")]
    assert doc.orphans == []


def test_a_table_without_serials_or_list_words_is_no_list():
    with pytest.raises(NoDutyListError):
        feed([("row", ["姓名", "名称"]), ("row", ["张三", "甲"])])


# --- repeated headers and page breaks ----------------------------------------------------

def test_repeated_headers_are_dropped():
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]), ("break",),
                ("row", BASIC), ("row", ["2", "党的建设", "乙"]),
                ("row", BASIC), ("row", ["3", "经济发展", "丙"])])
    assert [(r.serial, r.name) for r in doc.rows] == [(1, "甲"), (2, "乙"), (3, "丙")]
    assert all("序号" not in s.text for r in doc.rows for s in r.source)


def test_a_row_cut_by_a_page_break_is_merged():
    """Serial, category, name, departments and the department duties printed on both pages;
    the township cell cut, with the markers at the cut."""
    doc = feed([
        ("row", COOPERATIVE, 1),
        ("row", ["66", "生态环保", "水源设施的处罚", "县水利局", "1.检查；", "1.巡查；"], 1),
        ("row", ["67", "生态环保", "退耕还林还草", "县林草局", "1.编制方案；2.签订合同。",
                 "1.开展宣传；2.签订合同；（未完见下页）"], 1),
        ("break",), ("row", COOPERATIVE, 2),
        ("row", ["67", "生态环保", "退耕还林还草", "县林草局", "1.编制方案；2.签订合同。",
                 "（续上页）3.上报审核；4.组织验收。"], 2),
        ("row", ["68", "生态环保", "污染防治", "县生态环境局", "1.指导；", "1.宣传；"], 2),
    ])
    assert [r.serial for r in doc.rows] == [66, 67, 68]
    row = doc.rows[1]
    assert (row.category, row.name, row.departments) == ("生态环保", "退耕还林还草", "县林草局")
    assert row.upper_duties == "1.编制方案；2.签订合同。"
    assert row.township_duties == "1.开展宣传；2.签订合同；3.上报审核；4.组织验收。"
    assert (row.span.line_first, row.span.line_last) == (3, 6)
    assert (row.span.page_first, row.span.page_last) == (1, 2)
    assert not row.warnings and not doc.warnings
    # the repeated cells count once, the markers not at all: nothing lost, nothing added; the
    # characters printed again are counted apart, whitespace left out
    assert conserved(doc) == (0, 0)
    assert doc.page_repeats == len("67生态环保退耕还林还草县林草局1.编制方案；2.签订合同。")
    report = build_report(doc, source="t", extractor="t")
    assert report.page_repeats == doc.page_repeats


def test_a_continued_row_with_an_empty_serial_cell():
    doc = feed([("row", RECLAIMED), ("row", ["1", "民生服务", "甲", "县人社局"]), ("break",),
                ("row", RECLAIMED), ("row", ["", "", "", "承接方式：由县人社局负责"])])
    assert [(r.serial, r.receiver) for r in doc.rows] == [(1, "县人社局承接方式：由县人社局负责")]
    assert conserved(doc) == (0, 0)


def test_a_row_head_printed_without_its_serial_before_a_page_break():
    """A serial centred in a tall cell lands on the second page: the part before the break,
    without serial, is the head of the row that follows the break, not the rest of the row
    above it."""
    doc = feed([("row", BASIC, 1), ("row", ["19", "党的建设", "第19项"], 1),
                ("row", ["", "", "1.组织开展第1项；2.组织开"], 1), ("break",),
                ("row", BASIC, 2), ("row", ["20", "党的建设", "展第2项工作"], 2),
                ("row", ["21", "党的建设", "第21项"], 2)])
    assert [(r.serial, r.category, r.name) for r in doc.rows] == [
        (19, "党的建设", "第19项"), (20, "党的建设", "1.组织开展第1项；2.组织开展第2项工作"),
        (21, "党的建设", "第21项")]
    row = doc.rows[1]
    span = row.span
    assert (span.line_first, span.line_last, span.page_first, span.page_last) == (3, 6, 1, 2)
    assert any("continues" in w for w in row.warnings)
    assert conserved(doc) == (0, 0)


def test_rows_without_serial_inside_a_page_continue_the_row_above():
    doc = feed([("row", COOPERATIVE),
                ("row", ["1", "党的建设", "甲", "县委组织部", "1.审核；", ""]),
                ("row", ["", "", "", "", "2.批复。", "1.上报。"]),
                ("row", ["2", "党的建设", "乙", "县委组织部", "1.审核。", "1.上报。"]),
                ("row", ["", "", "", "", "", "2.公示。"])])
    assert [(r.serial, r.upper_duties, r.township_duties) for r in doc.rows] == [
        (1, "1.审核；2.批复。", "1.上报。"), (2, "1.审核。", "1.上报。2.公示。")]
    assert not doc.warnings and all(not r.warnings for r in doc.rows)
    assert conserved(doc) == (0, 0)


def test_a_cut_name_is_joined_and_flagged():
    doc = feed([("row", BASIC), ("row", ["5", "党的建设", "推荐县级以上"]), ("break",),
                ("row", BASIC), ("row", ["5", "党的建设", "党代表工作"])])
    [row] = doc.rows
    assert row.name == "推荐县级以上党代表工作"
    assert any("continues" in w for w in row.warnings)


def test_the_same_serial_without_a_page_break_is_not_merged():
    doc = feed([("row", BASIC), ("row", ["5", "党的建设", "甲"]), ("row", ["5", "党的建设", "乙"])])
    assert [(r.serial, r.name) for r in doc.rows] == [(5, "甲"), (5, "乙")]
    report = build_report(doc, source="t", extractor="t")
    assert report.serial_problems == ["basic: serial repeated: 5", "basic: serial missing: 1-4"]


def test_an_empty_category_is_left_to_the_core_to_fill_down():
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]), ("row", ["2", "", "乙"])])
    assert doc.rows[1].category == ""
    assert conserved(doc) == (0, 0)
    assert doc.rows[1].category == "党的建设" and doc.rows[1].category_filled


def marked_row(tables: TableAssembler, raw: list[str], line: int, page: int) -> None:
    """A row as a reader of a format with markup hands it over: text and marked items."""
    tables.row([clean_cell(cell) for cell in raw], line=line, page=page,
               items=[list_items(cell) for cell in raw])


def test_duty_cells_get_the_steps_their_markup_marks():
    tables = TableAssembler()
    tables.row(COOPERATIVE, line=1)
    marked_row(tables, ["1", "党的建设", "定向选拔", "县委组织部",
                        f"{OL} 起草工作方案； 审核报名人选，汇总情况； 备案。",
                        "<ol><li>推荐人选</li><li>上报</li></ol>"], 2, 1)
    marked_row(tables, ["2", "党的建设", "人大代表选举", "县人大常委会",
                        f"{OL} 1.制定方案； 2.指导选举。", "<p>负责推荐。</p> <p>协助考察。</p>"],
               3, 1)
    doc = tables.finish()
    first, second = doc.rows
    assert first.upper_steps == ["起草工作方案； ", "审核报名人选，汇总情况； ", "备案。"]
    assert first.township_steps == ["推荐人选 ", "上报"]
    # printed numbers, or no list in the markup: the core splits the cell at its numbers
    assert (second.upper_steps, second.township_steps) == (None, None)
    assert (second.upper_duties, second.township_duties) == (
        "1.制定方案； 2.指导选举。", "负责推荐。 协助考察。")
    assert conserved(doc) == (0, 0)


def test_steps_of_a_cell_cut_by_a_page_break():
    """The township cell cut inside its third item, the department cell between two."""
    tables = TableAssembler()
    tables.row(COOPERATIVE, line=1, page=1)
    marked_row(tables, ["7", "生态环保", "退耕还林还草", "县林草局", f"{OL} 编制方案； 下达任务；",
                        f"{OL} 开展宣传； 签订合同； 组织（未完见下页）"], 2, 1)
    tables.page_break()
    tables.row(COOPERATIVE, line=3, page=2)
    marked_row(tables, ["7", "生态环保", "退耕还林还草", "县林草局", f"{OL} 检查验收。",
                        f"{OL} （续上页）验收； 上报审核。"], 4, 2)
    doc = tables.finish()
    [row] = doc.rows
    assert row.upper_duties == "编制方案； 下达任务；检查验收。"
    assert row.upper_steps == ["编制方案； ", "下达任务；", "检查验收。"]
    assert row.township_duties == "开展宣传； 签订合同； 组织验收； 上报审核。"
    assert row.township_steps == ["开展宣传； ", "签订合同； ", "组织验收； ", "上报审核。"]
    assert doc.page_repeats == len("7生态环保退耕还林还草县林草局")
    assert conserved(doc) == (0, 0)


def test_a_cut_cell_with_numbers_in_one_part_is_split_at_its_numbers():
    tables = TableAssembler()
    tables.row(COOPERATIVE, line=1, page=1)
    marked_row(tables, ["7", "生态环保", "甲", "县林草局", "1.检查。", "1.开展宣传；"], 2, 1)
    tables.page_break()
    marked_row(tables, ["", "", "", "", "", f"{OL} 签订合同； 上报。"], 3, 2)
    [row] = tables.finish().rows
    assert row.township_duties == "1.开展宣传；签订合同； 上报。"
    assert row.township_steps is None


def test_a_cut_cell_that_reprints_its_first_part_is_kept_once():
    doc = feed([
        ("row", COOPERATIVE, 1),
        ("row", ["9", "生态环保", "退耕还林还草工作", "县林草局", "1.编制方案；",
                 "1.开展宣传；2.签订合同；（未完见下页）"], 1),
        ("break",), ("row", COOPERATIVE, 2),
        ("row", ["9", "生态环保", "退耕还林还草工作", "县林草局", "1.编制方案；",
                 "（续上页）1.开展宣传； 2.签订合同；3.上报审核。"], 2),
    ])
    [row] = doc.rows
    assert row.township_duties == "1.开展宣传；2.签订合同；3.上报审核。"
    assert doc.page_repeats == len("9生态环保退耕还林还草工作县林草局1.编制方案；"
                                   "1.开展宣传；2.签订合同；")
    assert not row.warnings and conserved(doc) == (0, 0)


def test_a_cut_name_reprinted_is_joined_once_and_flagged():
    doc = feed([("row", BASIC, 1), ("row", ["5", "党的建设", "推荐县级以上（未完见下页）"], 1),
                ("break",), ("row", BASIC, 2),
                ("row", ["5", "党的建设", "推荐县级以上党代表工作"], 2)])
    [row] = doc.rows
    assert row.name == "推荐县级以上党代表工作"
    assert any("continues" in w and "党代表工作" in w for w in row.warnings)
    assert doc.page_repeats == len("5党的建设推荐县级以上")
    assert conserved(doc) == (0, 0)


def test_a_short_first_part_is_not_taken_for_a_reprint():
    doc = feed([("row", BASIC, 1), ("row", ["5", "党的建设", "做好"], 1), ("break",),
                ("row", BASIC, 2), ("row", ["5", "党的建设", "做好宣传工作"], 2)])
    assert doc.rows[0].name == "做好做好宣传工作"
    assert doc.page_repeats == len("5党的建设")


# --- broken rows -------------------------------------------------------------------------

def test_a_row_missing_a_column_names_its_line():
    with pytest.raises(ExtractionError, match=r"承接部门及工作方式 column is missing \(line 3\)"):
        feed([("row", RECLAIMED), ("row", ["1", "民生服务", "甲", "县人社局"]),
              ("row", ["2", "民生服务", "乙"])])


def test_surplus_cells_stay_in_the_last_column_and_flag_the_row():
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲", "乙"])])
    [row] = doc.rows
    assert row.name == "甲乙"
    assert any("4 cells" in w for w in row.warnings)
    assert conserved(doc) == (0, 0)


def test_a_row_without_a_serial_inside_a_table_is_reported_as_lost():
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]),
                ("row", ["注：", "以上", "事项"])])
    assert [o.text for o in doc.orphans] == ["注： 以上 事项"]
    assert conserved(doc) == (len("注：以上事项"), 0)


def test_none_cells_read_as_empty():
    doc = feed([("row", BASIC), ("row", ["1", "党的建设", "甲"]), ("row", ["2", None, "乙"])])
    assert doc.rows[1].category == ""


# --- neighbouring columns are flagged, never moved ---------------------------------------

@pytest.mark.parametrize(("cells", "words"), [
    (["1", "党的建设推荐党代表", "工作"], "holds more than the category"),
    (["1", "", "党的建设 推荐党代表工作"], "category in the name column"),
    (["1", "党的建设", "1.负责对全镇党员开展教育培训，组织学习，并做好党员发展的各项工作记录"],
     "numbered duty"),
])
def test_text_in_the_neighbouring_column_is_flagged(cells, words):
    doc = feed([("row", BASIC), ("row", cells)])
    [row] = doc.rows
    assert row.category == cells[1] and row.name == cells[2]  # kept as the table gives them
    assert any(words in w for w in row.warnings)


def test_a_sentence_in_the_department_cell_is_flagged():
    doc = feed([("row", COOPERATIVE), ("row", [
        "64", "自然资源", "草原确权工作",
        "县自然资源局、林草局 县林草局 向镇提供草原承包原始档案。",
        "县自然资源局 1.牵头制定方案；", "1.做好宣传；"])])
    [row] = doc.rows
    assert row.departments == "县自然资源局、林草局 县林草局 向镇提供草原承包原始档案。"
    assert any("上级部门职责 column" in w for w in row.warnings)


def test_a_receiver_in_the_name_column_is_flagged():
    doc = feed([("row", RECLAIMED),
                ("row", ["1", "民生服务", "工伤认定调查 承接部门：县人社局", ""])])
    assert any("receiver in the name column" in w for w in doc.rows[0].warnings)


def test_a_clean_row_has_no_warnings():
    doc = feed([("row", COOPERATIVE), ("row", [
        "1", "党的建设", "推荐县级以上党代表工作", "县委组织部",
        "1.确定代表名额，并分配至镇党委； 2.审查后报县委批复。", "1.组织推荐； 2.上报。"])])
    assert doc.rows[0].warnings == []


@pytest.mark.parametrize(("raw", "clean"), [
    ("<p class=MsoNormal><span lang=EN-US style='mso-bidi-font-size:10.5pt'>县民政局<o:p></o:p>"
     "</span></p>", "县民政局"),
    ("<![if !supportLists]>1.<![endif]>审核人选", "1.审核人选"),
    ("审核<!--[if gte mso 9]><xml><w:WordDocument/></xml><![endif]-->人选", "审核 人选"),
    ("<st1:chsdate Year=2024 w:st=\"on\">2024年</st1:chsdate>起", "2024年起"),
])
def test_word_pasted_markup_is_no_text(raw, clean):
    assert clean_cell(raw) == clean


def test_a_row_across_the_table_repeated_in_every_cell_is_one_cell():
    """docling repeats a merged cell's text in every column it covers: a list title, a section
    row and a note across the table are still read as such."""
    title = "伊犁州昭苏县昭苏镇配合履职事项清单"
    note = "注：本清单事项根据法律法规调整情况动态更新。"
    doc = feed([
        ("break",), ("row", [title] * 6), ("row", COOPERATIVE),
        ("row", ["一、党的建设"] * 6),
        ("row", ["1", "", "乙", "县委组织部", "1.审核", "1.上报"]),
        ("row", [note] * 6),
    ])
    assert [(r.list, r.serial, r.category, r.name) for r in doc.rows] == [
        (C, 1, "党的建设", "乙")]
    assert doc.notes == note
    assert doc.title == title
    assert conserved(doc) == (0, 0)


def test_a_section_row_before_a_page_break_ends_the_row_above():
    """Numbered anew in each section, a page may end with a section row and the next page
    start with its first row, 1 again: that is a new row, not the row above going on."""
    doc = feed([
        ("break",), ("row", ["序号", "事项名称"]), ("row", ["一、党的建设", ""]),
        ("row", ["1", "甲"]), ("row", ["二、民生服务", ""]),
        ("break",), ("row", ["序号", "事项名称"]), ("row", ["1", "乙"]),
    ])
    assert [(r.serial, r.category, r.name) for r in doc.rows] == [
        (1, "党的建设", "甲"), (2, "民生服务", "乙")]


# --- cells merged over rows --------------------------------------------------------------

def feed_merged(rows: list[tuple[list[str | None], list[bool]]],
                header: list[str] = COOPERATIVE) -> ExtractedDocument:
    """A list whose body rows say which positions a cell merged down from above covers."""
    tables = TableAssembler()
    tables.text("某镇配合履职事项清单", line=1)
    tables.row(header, line=2)
    for number, (cells, merged) in enumerate(rows, start=3):
        tables.row(cells, line=number, merged=merged)
    return tables.finish()


def test_a_department_merged_over_rows_applies_to_each():
    down = [False, False, False, True, False, False]
    doc = feed_merged([
        (["1", "党的建设", "甲事项", "县委组织部", "1.审核；", "1.推荐；"], [False] * 6),
        (["2", "党的建设", "乙事项", None, "1.备案；", "1.上报；"], down),
        (["3", None, "丙事项", None, "1.指导；", "1.落实；"], [False, True, False, True,
                                                             False, False]),
    ])
    assert [row.departments for row in doc.rows] == ["县委组织部"] * 3
    # printed once: the rows below hold it, not in their source, counted apart
    assert [row.merged for row in doc.rows] == [[], ["县委组织部"], ["县委组织部"]]
    assert all("县委组织部" not in "".join(s.text for s in row.source) for row in doc.rows[1:])
    assert doc.merge_repeats == 2 * len("县委组织部")
    assert doc.rows[2].category == ""  # the category is still the core's to fill down
    assert conserved(doc) == (0, 0)
    assert build_report(doc, source="t", extractor="t").errors == []


def test_an_empty_cell_without_a_merge_is_no_merge():
    doc = feed_merged([
        (["1", "党的建设", "甲事项", "县委组织部", "1.审核；", "1.推荐；"], [False] * 6),
        (["2", "党的建设", "乙事项", "", "1.备案；", "1.上报；"], [False] * 6),
    ])
    assert doc.rows[1].departments == "" and doc.rows[1].merged == []


def test_a_merged_serial_still_makes_one_row_of_two_printed_rows():
    """A row printed over two table rows, its serial and department merged over both: one
    row, the department once."""
    doc = feed_merged([
        (["1", "党的建设", "甲事项", "县委组织部", "1.审核；", "1.推荐；"], [False] * 6),
        ([None, None, None, None, "2.备案。", "2.上报。"], [True, True, True, True, False, False]),
    ])
    assert len(doc.rows) == 1
    row = doc.rows[0]
    assert (row.name, row.departments, row.upper_duties) == ("甲事项", "县委组织部",
                                                             "1.审核；2.备案。")
    assert row.merged == [] and doc.merge_repeats == 0
    assert conserved(doc) == (0, 0)


def test_a_merged_name_in_a_list_without_serials_is_the_row_going_on():
    """Without 序号, a row without a name of its own is the rest of the row above: a name
    merged down is not given to it. Its department is a cell of its own (apart by a space);
    duties numbered on (2.) are the rest of the cells above."""
    header = ["事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责"]
    doc = feed_merged([
        (["甲事项", "县委组织部", "1.审核；", "1.推荐；"], [False] * 4),
        ([None, "县人社局", "2.备案。", "2.上报。"], [True, False, False, False]),
    ], header)
    [row] = doc.rows
    assert (row.departments, row.upper_duties, row.township_duties) == (
        "县委组织部 县人社局", "1.审核；2.备案。", "1.推荐；2.上报。")


def test_a_matter_printed_a_row_per_department_is_one_row_its_cells_apart():
    """One matter led by two departments, a table row each, serial, name and the township's
    duties merged down over both: one row; each department and its duties a cell of its
    own, apart by a space, each department's duties a step."""
    down = [True, True, True, False, False, True]
    doc = feed_merged([
        (["1", "经济发展", "耕地保护", "县自然资源局", "负责督察。", "做好巡查。"], [False] * 6),
        ([None, None, None, "县农业农村局", "负责农田建设。", None], down),
        (["2", "民生服务", "低保审核", "县民政局", "负责审批。", "负责受理。"], [False] * 6),
    ])
    first, second = doc.rows
    assert (first.departments, first.upper_duties, first.township_duties) == (
        "县自然资源局 县农业农村局", "负责督察。 负责农田建设。", "做好巡查。")
    assert first.upper_steps == ["负责督察。 ", "负责农田建设。"]
    assert (second.serial, second.departments) == (2, "县民政局")
    assert conserved(doc) == (0, 0)
    assert build_report(doc, source="t", extractor="t").errors == []


def test_the_rest_of_a_row_after_a_page_break_joins_without_a_space():
    """Not a merged serial: an empty serial after a break is the rest of a cut cell."""
    tables = TableAssembler()
    tables.text("某镇配合履职事项清单", line=1)
    tables.row(COOPERATIVE, line=2)
    tables.row(["1", "经济发展", "耕地保护", "县自然资", "负责督", "做好巡查。"], line=3)
    tables.page_break()
    tables.row(["", "", "", "源局", "察。", ""], line=4)
    [row] = tables.finish().rows
    assert (row.departments, row.upper_duties) == ("县自然资源局", "负责督察。")


def test_a_merge_does_not_reach_into_a_new_table():
    tables = TableAssembler()
    tables.text("某镇配合履职事项清单", line=1)
    tables.row(COOPERATIVE, line=2)
    tables.row(["1", "党的建设", "甲事项", "县委组织部", "1.审核；", "1.推荐；"], line=3)
    tables.page_break()
    tables.row(["2", "党的建设", "乙事项", None, "1.备案；", "1.上报；"], line=4,
               merged=[False, False, False, True, False, False])
    doc = tables.finish()
    assert doc.rows[1].departments == "" and doc.merge_repeats == 0


def test_a_merged_cell_cut_by_a_page_break_gives_the_rows_below_the_whole():
    """A merged duty cell over rows 1 and 2, row 1 cut by a page break: the second page
    prints the rest of the cell at its top, and row 2, covered, gets the whole cell."""
    tables = TableAssembler(repeated_header_breaks=False)
    tables.text("某镇配合履职事项清单", line=1)
    tables.row(COOPERATIVE, line=2, page=1)
    tables.row(["1", "党的建设", "甲事项", "县委组织部", "1.审核；", "1.推荐；"], line=3,
               page=1)
    tables.page_break()
    tables.row(COOPERATIVE, line=4, page=2)
    tables.row(["", "", "", "", "2.备案。", ""], line=5, page=2)
    tables.row(["2", "党的建设", "乙事项", "县人社局", None, "1.上报；"], line=6, page=2,
               merged=[False, False, False, False, True, False])
    doc = tables.finish()
    assert [row.upper_duties for row in doc.rows] == ["1.审核；2.备案。"] * 2
    assert doc.rows[1].merged == ["1.审核；2.备案。"]
    assert conserved(doc) == (0, 0)


@pytest.mark.parametrize("order", [(0, 1), (1, 0)], ids=["承接部门 first", "工作方式 first"])
def test_a_receiver_printed_across_its_two_columns_is_the_whole_receiver(order):
    header = ["序号", "事项名称", "承接部门", "工作方式"]
    header[2:] = [header[2 + order[0]], header[2 + order[1]]]
    tables = TableAssembler()
    tables.text("某镇上级部门收回事项清单", line=1)
    tables.row(header, line=2)
    tables.row(["1", "甲事项", "县人社局", "县人社局负责"] if order == (0, 1)
               else ["1", "甲事项", "县人社局负责", "县人社局"], line=3)
    tables.row(["2", "乙事项", "不再开展此项工作", None], line=4)
    tables.row(["3", "丙事项", "县民政局", ""], line=5)  # an empty cell is no merge
    doc = tables.finish()
    settle_receivers(doc.rows)  # as ingest does
    assert doc.rows[1].receiver == "不再开展此项工作"
    assert (doc.rows[1].receiver_department, doc.rows[1].receiver_method) == ("", "")
    assert [doc.rows[2].receiver_department, doc.rows[2].receiver_method][order[0]] == (
        "县民政局")
    assert conserved(doc) == (0, 0)


def test_a_merged_run_meeting_a_page_break_is_not_trusted():
    """A PDF's merged cell over rows 1–3 cut by a page break after row 2: page 2 prints its
    rest as a cell of row 3's own. Nothing tells that from two cells: not trusted."""
    tables = TableAssembler(repeated_header_breaks=False)
    tables.text("某镇配合履职事项清单", line=1)
    tables.row(COOPERATIVE, line=2, page=1)
    tables.row(["1", "党的建设", "甲事项", "县委组织部", "1.审核；", "1.推荐；"], line=3, page=1)
    tables.row(["2", "党的建设", "乙事项", "县人社局", None, "1.上报；"], line=4, page=1,
               merged=[False, False, False, False, True, False])
    tables.page_break()
    tables.row(COOPERATIVE, line=5, page=2)
    tables.row(["3", "党的建设", "丙事项", "县民政局", "2.备案。", "1.落实；"], line=6, page=2)
    doc = tables.finish()
    lost, added = conserved(doc)
    assert lost > 0 and added == 0
    assert any("meets a page break" in warning for warning in doc.warnings)
