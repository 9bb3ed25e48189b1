"""The tab-separated extractor on seed 003 (托喀依乡) and on small documents built for one
difficulty.

Expected fields are written by hand from the seed's lines: markup removed, runs of whitespace
one space, nothing else changed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lvzhi.extractor import ExtractionError
from lvzhi.extractors.tsv import TSVExtractor, split_record
from lvzhi.ingest import Extraction, extract_file
from lvzhi.model import ExtractedDocument, ListKind
from lvzhi.plugins import load_plugins
from tests.conftest import SAMPLES
from tests.extractors.seed_checks import assert_place, assert_read_exactly, find

SEED = "003_dfb9e36c2b3643c8.txt"
B, C, R = ListKind.BASIC, ListKind.COOPERATIVE, ListKind.RECLAIMED


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    return extract_file(load_plugins(), SAMPLES / SEED)


@pytest.fixture(scope="module")
def document() -> ExtractedDocument:
    return TSVExtractor().extract(SAMPLES / SEED)


def extract_text(tmp_path: Path, text: str, name: str = "list.tsv") -> ExtractedDocument:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return TSVExtractor().extract(path)


# --- the seed as a whole -----------------------------------------------------------------

def test_the_seed_is_read_by_the_tsv_extractor(extraction):
    assert extraction.extractor == "tsv"


def test_rows_per_list_serials_categories_and_conservation(extraction):
    assert_read_exactly(extraction, SEED, min_body_chars=45000)


def test_place_title_and_notes(extraction):
    assert_place(extraction, SEED)
    doc = extraction.document
    assert doc.title == "阿拉尔市托喀依乡履职事项清单"
    assert doc.notes == "" and doc.warnings == []


def test_only_justified_rows_are_suspicious(extraction):
    """Whatever the report flags here must be a long name that really is that long, or a long
    list of 师市 departments: nothing the extractor got wrong (today it flags nothing)."""
    problems = {(p.list, p.serial): p.problem for p in extraction.report.suspicious}
    for (kind, _), problem in problems.items():
        assert (kind, problem.split()[0]) in {("basic", "name"), ("cooperative", "department")}
    for (kind, serial), problem in problems.items():
        if kind == "cooperative":
            assert "reads like a duty" in problem
            departments = find_item(extraction, C, serial).department_names
            assert len(departments) >= 8 and all(d.startswith("师市") for d in departments)


def find_item(extraction: Extraction, kind: ListKind, serial: int):
    [item] = [i for i in extraction.items if i.list == kind and i.serial == serial]
    return item


def test_no_markup_or_header_in_any_field(document):
    for row in document.rows:
        for text in (row.category, row.name, row.departments, row.upper_duties,
                     row.township_duties, row.receiver):
            assert "<" not in text and ">" not in text and "\t" not in text
            assert "序号" not in text and "事项名称" not in text
            assert text == text.strip() and "  " not in text


# --- rows field by field -----------------------------------------------------------------

ROWS: dict[tuple[ListKind, int], dict[str, object]] = {
    (B, 1): dict(  # first row
        line=14, category="党的建设",
        name="学习贯彻习近平新时代中国特色社会主义思想，宣传和执行党的路线、方针、政策，坚决落实习"
             "近平总书记关于新疆和兵团工作重要讲话重要指示批示精神，完整准确全面贯彻新时代党的治疆"
             "方略和党中央对兵团的定位要求，执行上级党组织及本级党组织决议，坚定拥护“两个确立”、坚"
             "决做到“两个维护”"),
    (B, 9): dict(  # the last row before a blank line and the repeated header
        line=22, category="党的建设",
        name="负责人才工作政策落实，做好本乡人才的培养、引进、管理、服务、保障工作"),
    (B, 10): dict(  # the first row after it
        line=25, category="党的建设",
        name="加强基层政权建设，指导村委会规范化建设，加强村务监督委员会换届选举、补选指导与监督，"
             "推动落实“四议两公开”制度"),
    (B, 95): dict(  # last row of the list
        line=126, category="综合政务", name="做好数字化建设工作"),
    (C, 1): dict(  # first row; the township cell has sub-headings 一、 二、
        line=131, category="党的建设", name="做好兵团、师市等考察考核组赴乡开展考察考核工作",
        departments="师市党委组织部",
        upper_duties="1.充分酝酿人选，书记专题会动议，制定考察方案，严格按照考察程序赴团镇（乡、街"
                     "道）开展干部考察考核工作； 2.按时收集考察考核人选个人资料，征求师市纪委监委意"
                     "见，撰写考察考核材料，按程序提交师市党委常委会审议。",
        township_duties="一、做好兵团、师市等考察考核组赴托喀依乡开展考察的准备及组织工作 1.根据考"
                        "察通知要求，准备符合条件名册、参会人员名单、布置会场、组织相关人员参会； 2"
                        ".会后提供双签字意见； 3.按要求及时收集考察资料（含考察对象个人提供有关资料"
                        "）并报送师市党委组织部干部科。 二、做好师市党委管理的领导班子和领导干部年"
                        "度考核 1.通知被考核人员撰写“四述”报告； 2.配合师市党委组织部在规定范围内对"
                        "被考核人进行考核、测评，开展民主测评和个别谈话； 3.年度考核相关资料报师市"
                        "党委组织部。"),
    (C, 4): dict(  # <p> headings and an <ol> of unnumbered items in one cell
        line=136, category="党的建设", name="开展市人大代表的选举和补选工作",
        departments="市人大常委会、师市党委组织部",
        upper_duties="市人大常委会： 市人大常委会制定选举工作方案，决定选举和补选事宜，确定选举和补"
                     "选的选区、代表的名额等。指导整个选举和补选工作，确保依法依规进行； 对选举和补"
                     "选程序、选民登记、候选人提名、投票选举等环节进行指导，解答在工作中遇到的法律"
                     "和程序问题； 配合做好候选人考察工作； 对选举和补选产生的代表进行资格审查，包"
                     "括审查代表候选人是否符合法定条件、选举程序是否合法等。根据代表资格审查委员会"
                     "的报告，确认代表的资格或者确定代表的当选无效，并予以公布。 师市党委组织部： "
                     "负责牵头对候选人进行考察。",
        township_duties="制定补选工作实施方案，以及相关会议的组织安排。协调各部门之间的工作，保障选"
                        "举和补选工作顺利进行。提供选举和补选工作中涉及的选民资格认定、选举程序等方"
                        "面的政策咨询和指导，协助做好选民名单的核实、公布等工作； 负责选举和补选工"
                        "作中候选人推荐，协助做好考察工作； 对选举和补选工作全过程进行监督，严肃查"
                        "处违规违纪行为。受理有关选举补选工作的信访举报，及时调查处理。"),
    (C, 6): dict(  # a name with a converter's "and"; <ol> items without numbers
        line=140, category="经济发展", name="统计执法检查 and 统计违法违纪案件查处",
        departments="师市统计局",
        upper_duties="对企业及团镇（乡、街道）上报的报表数据进行数据核查； 对数据存在异常的企业按照"
                     "执法检查程序进行执法。",
        township_duties="负责事先告知被执法检查对象，并准备好相关资料； 配合上级执法部门开展执法检"
                        "查工作。"),
    (C, 7): dict(  # an <ol> whose items carry printed numbers
        line=143, category="经济发展", name="价格监测", departments="师市发展和改革委员会",
        upper_duties="1.根据价格监测报告制度，确定价格监测定点单位，对价格监测定点单位开展监测工作"
                     "，进行指导和管理； 2.采集、调查、分析辖区各类重要商品和服务价格，以及相关成本"
                     "与市场供求的变化情况；跟踪反馈国家重要经济政策在价格领域的反映，实施价格预测"
                     "、预警，并及时提出政策建议； 3.开展专项调查、临时性调查、非定点监测等，加强对"
                     "重要商品、服务价格的动态监测和变化趋势分析； 4.法律法规规章规定应履行的责"
                     "任。",
        township_duties="1.确定辖区内价格监测点； 2.按师市要求的节点报送农副产品价格监测表及生猪市"
                        "场价格监测表； 3.节日期间或遭遇自然灾害、公共卫生事件等突发事件和极端情况"
                        "，按师市要求的节点监测报送菜肉蛋奶等重要民生商品市场供应和价格动态； 4.完"
                        "成师市发展和改革委员会发布的其他监测任务。"),
    (C, 83): dict(  # a space after 、 in the department cell, kept as printed
        line=295, category="市场监管", name="农作物种子监督管理",
        departments="师市市场监督管理局、 师市农业农村局",
        upper_duties="师市农业农村局： 负责种子市场监测和分析、产供需形势分析、种子市场日常监管、动"
                     "态监测和种子生产基地管理。 师市市场监督管理局： 配合师市农业农村局开展行政执"
                     "法检查，受理行政执法投诉举报，负责案件查处，对相关违法行为行使行政处罚，采取"
                     "相关行政强制措施。",
        township_duties="负责辖区种子产供需数据统计上报工作并组织种子生产企业参加师市培训； 协助做"
                        "好种子生产基地建设，负责种子生产田质量监管； 收集在本辖区种子企业备案资料"
                        "和品种样品； 开展农作物种子质量检测日常宣传。"),
    (C, 84): dict(  # last row of the list
        line=296, category="综合政务", name="公共数据管理", departments="师市数据局",
        upper_duties="师市数据局对团镇（乡、街道）采集到的公共数据进行审核把关； 师市数据局将团镇（"
                     "乡、街道）上报的公共数据上传至师市平台。",
        township_duties="将采集到的公共数据整理、汇总； 对采集到的公共数据上传至电子政务平台，同时"
                        "做好运行、更新工作。"),
    (R, 1): dict(  # first row, under the title 收回履职事项清单
        line=301, category="民生服务", name="违规领取高龄津贴的追缴",
        receiver="承接部门：师市民政局 工作方式： 根据多发、重发、错误发放等情况进行复核并联系本人"
                 "及家属追缴资金交至指定财政账户。"),
    (R, 2): dict(
        line=302, category="民生服务", name="出具婚姻状况证明（婚姻关系证明、分居证明）",
        receiver="法条废止，此项工作已不再开展"),
    (R, 61): dict(  # a converter's _{…} kept as printed: it is not markup we know
        line=401, category="卫生健康", name="落实家庭健康指导员的配备及培训",
        receiver="承接部门：师市卫生健康委员会 工作方式： 1.建立以现有村卫生室医务人员（家庭医生）"
                 "为主的 _{家庭健康指导员队伍} ，由师市卫生健康委员会统一管理； 2.村卫生室定期组织"
                 "开展健康理念基础知识、基本医学知识、家庭健康管理、特殊人群健康管理等培训活动； 3."
                 "督促村卫生室医务人员（家庭医生）履行家庭健康指导员健康知识传播、健康评估与指导、"
                 "特殊人群关怀、健康管理监督等工作职责。"),
    (R, 69): dict(  # last row of the document
        line=413, category="综合政务", name="不规范地名清理整治",
        receiver="承接部门：师市民政局 工作方式： 1.摸底调查与数据采集。通过地名数据库、档案查阅、"
                 "实地调查、路牌标识等渠道筛查问题，识别不符合标准的地名，如“大、洋、怪、重”等不规"
                 "范现象；对疑似问题地名进行现场勘察，记录具体问题信息； 2.明确整改内容。根据排查结"
                 "果，列出不规范地名清单，制定整改方案； 3.更名整改。对需要更名的地名，托喀依乡民政"
                 "部门按照法定程序进行更名意见征询，并通过政府网站、政务新媒体等平台公示，按程序会"
                 "上研究并向上级民政部门备案。更名完成后，更新相关标识牌。"),
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
    assert not row.warnings


def test_numbered_and_unnumbered_duty_cells(extraction):
    assert len(find_item(extraction, C, 7).upper_duties) == 4
    # <ol> items without printed numbers: the items are the steps
    assert find_item(extraction, C, 6).upper_duties == [
        "对企业及团镇（乡、街道）上报的报表数据进行数据核查； ",
        "对数据存在异常的企业按照执法检查程序进行执法。"]


def test_steps_of_an_ol_without_printed_numbers(extraction):
    """Line 135: two <ol> cells whose items are apart only by a space after ；."""
    item = find_item(extraction, C, 3)
    assert item.name == "做好从村队“两委”正职定向选拔领导干部工作"
    assert item.upper_duties == [
        "起草下发第一师阿拉尔市面向基层“两委”正职定向选拔领导干部工作方案； ",
        "审核报名人选，及时汇总团镇（乡、街道）推荐情况，初步审核资格条件； ",
        "会同师市纪委监委和政法、统战、发改、民政、农业农村、卫生健康、法院、检察院、公安、司法、"
        "信访等单位对推荐人选进行资格联审； ",
        "组织人员与推荐人选进行面谈，初步了解掌握推荐人选综合素质； ",
        "组织公开比选，对推荐人选综合素质、解决问题能力等进行测试； ",
        "根据面试成绩，综合面谈成绩，按成熟度、岗位匹配性、工作适应性等对人选进行分析，按照1:3的"
        "比例确定考察对象并组织体检； ",
        "综合考察工作严格按照《党政领导干部选拔任用工作条例》规定和程序进行； ",
        "根据比选、考察、体检等情况综合研究确定选拔人选和拟任职岗位，召开部务会会议，通报团镇（乡"
        "、街道）党委，并在选拔人选所在连队（村、社区）进行为期5个工作日的公示； ",
        "定向选拔工作结束后，及时向兵团党委组织部备案。"]
    assert item.township_duties == [
        "根据定向选拔领导干部工作方案的条件要求，对所辖村“两委”正职年龄、任职年限等进行梳理分析，"
        "研究确定符合条件人员； ",
        "对照定向选拔岗位，在征求本人意愿的基础上，采取民主推荐的方式，推荐产生初步人选； ",
        "综合考虑民主推荐情况、年度考核情况和日常工作表现，经集体研究一般按照不高于岗位数1:2的比例"
        "择优确定推荐人选； ",
        "认真查阅推荐人选档案，逐一核对学历、职称、出生年月、工作时间（年月）、入党时间（年月）、每"
        "段工作经历等有关情况； ",
        "充分听取纪检监察、公安、信访等部门意见，并在托喀依乡范围内进行公示（不少于3天），将最终确"
        "定的推荐人选上报师市党委组织部（包括名册、干审表、现实表现材料等盖章扫描版和可编辑版）； ",
        "按照程序及时任职，将任职人员名单报师市党委组织部备案，并按规定协助办理公务员登记或事业单位"
        "纳编和任职手续，完成任职谈话、宣布任职等工作。"]


def test_a_heading_paragraph_beside_the_ol_is_a_step(extraction):
    """Line 136: <p>市人大常委会：</p>, four <ol> items, then <p>师市党委组织部： …</p>."""
    steps = find_item(extraction, C, 4).upper_duties
    assert len(steps) == 6
    assert steps[0] == "市人大常委会： "
    assert steps[3] == "配合做好候选人考察工作； "
    assert steps[-1] == "师市党委组织部： 负责牵头对候选人进行考察。"


# Every <ol> cell of the seed without printed numbers, found by reading its lines 133-296: the
# other 69 duty cells with an <ol> number their items (1. 2. …) and are split at the numbers.
MARKED = {(3, "upper"), (3, "township"), (4, "upper"), (4, "township"), (5, "upper"),
          (5, "township"), (6, "upper"), (6, "township"), (41, "township"), (42, "upper"),
          (42, "township"), (63, "upper"), (63, "township"), (64, "upper"), (64, "township"),
          (83, "township"), (84, "upper"), (84, "township")}


def test_marked_steps_only_where_an_ol_has_no_printed_numbers(document, extraction):
    marked = {(row.serial, column) for row in document.rows for column in ("upper", "township")
              if getattr(row, f"{column}_steps") is not None}
    assert marked == MARKED
    for serial, column in MARKED:
        steps = getattr(find(document, C, serial), f"{column}_steps")
        assert len(steps) > 1 and all(step.strip() for step in steps)
    multi = [cell for item in extraction.items if item.list == C
             for cell in (item.upper_duties, item.township_duties) if len(cell) > 1]
    assert len(multi) == 156  # 138 before the <ol> items were read as steps


def test_every_duty_cell_is_its_steps_joined(document, extraction):
    for item in extraction.items:
        if item.list == C:
            row = find(document, C, item.serial)
            assert "".join(item.upper_duties) == row.upper_duties
            assert "".join(item.township_duties) == row.township_duties
            assert all(item.upper_duties) and all(item.township_duties)


# --- one difficulty at a time ------------------------------------------------------------

MINI = (
    "某师某市某乡履职事项清单\n\n目 录\n\n1.某乡基本履职事项清单.....\t(1)\n\n"
    "某市某乡基本履职事项清单\n\n"
    "序号\t事项类别\t履职事项名称\n"
    "1\t党的建设\t甲事项\n"
    "2\t\t乙事项\n"
    "\n"
    "序号\t事项类别\t履职事项名称\n"
    '3\t经济发展\t"引号里的\n换行与\t制表符"\n'
    '4\t经济发展\t"不是引号"的事项\n'
    "\n"
    "某市某乡配合履职事项\n\n"
    "序号\t事项类别\t事项名称\t对应上级部门\t上级部门职责\t某乡配合职责\n"
    "1\t民生服务\t丙事项\t县民政局\t<p>1.审核；</p> <p>2.发放。</p>\t\n"
)


def test_empty_cells_quotes_and_section_titles(tmp_path):
    doc = extract_text(tmp_path, MINI)
    rows = [(r.list, r.serial, r.category, r.name, r.span.line_first, r.span.line_last)
            for r in doc.rows]
    assert rows == [
        (B, 1, "党的建设", "甲事项", 10, 10),
        (B, 2, "", "乙事项", 11, 11),  # category merged vertically: the core fills it down
        (B, 3, "经济发展", "引号里的换行与 制表符", 14, 15),  # a quoted cell: wraps joined
        (B, 4, "经济发展", '"不是引号"的事项', 16, 16),  # a quote that is just a character
        (C, 1, "民生服务", "丙事项", 21, 21),
    ]
    cooperative = doc.rows[-1]
    assert (cooperative.upper_duties, cooperative.township_duties) == ("1.审核； 2.发放。", "")
    assert doc.title == "某师某市某乡履职事项清单"


def test_a_record_whose_first_cell_opens_with_a_line_break(tmp_path):
    # a spreadsheet saves a serial cell typed as "⏎2" quoted: its first line holds no tab
    doc = extract_text(tmp_path, "某乡基本履职事项清单\n\n序号\t事项类别\t事项名称\n"
                                 '"\n1"\t党的建设\t甲事项\n"\n2 "\t"\n经济发展"\t乙事项\n')
    assert [(r.serial, r.category, r.name) for r in doc.rows] == [
        (1, "党的建设", "甲事项"), (2, "经济发展", "乙事项")]
    assert doc.orphans == []


OL = '<ol style="list-style-type: none">'
STEPS = (
    "某市某乡配合履职事项\n\n"
    "序号\t事项类别\t事项名称\t对应上级部门\t上级部门职责\t某乡配合职责\n"
    f"1\t民生服务\t丙事项\t县民政局\t{OL} 审核材料； 发放补贴。 \t{OL} 1.摸排； 2.上报。\n"
    '2\t民生服务\t丁事项\t县民政局\t"<ol><li>制定方案；</li>\n<li>组织实施。</li></ol>"\t'
    "<p>做好宣传。</p>\n"
)


def test_steps_of_ol_cells(tmp_path):
    first, second = extract_text(tmp_path, STEPS).rows
    assert first.upper_duties == "审核材料； 发放补贴。"
    assert first.upper_steps == ["审核材料； ", "发放补贴。"]
    assert first.township_steps is None  # printed numbers: the core splits at them
    # a quoted cell: its lines joined (nothing between), then the items of its list
    assert second.upper_duties == "制定方案； 组织实施。"
    assert second.upper_steps == ["制定方案； ", "组织实施。"]
    assert second.township_steps is None  # a paragraph is no list


def test_a_row_continued_after_the_repeated_header(tmp_path):
    text = MINI.replace('"引号里的\n换行与\t制表符"', "乙事项").replace("3\t经济发展", "2\t")
    doc = extract_text(tmp_path, text)
    assert [(r.serial, r.name) for r in doc.rows if r.list == B] == [
        (1, "甲事项"), (2, "乙事项"), (4, '"不是引号"的事项')]


def test_a_row_missing_a_column_names_its_line(tmp_path):
    text = MINI.replace("1\t民生服务\t丙事项\t县民政局\t<p>1.审核；</p> <p>2.发放。</p>\t",
                        "1\t民生服务\t丙事项\t县民政局")
    with pytest.raises(ExtractionError) as error:
        extract_text(tmp_path, text)
    assert str(error.value) == ("a cooperative row has 4 cells where its header has 6: the "
                                "上级部门职责 column is missing (line 21)")


def test_text_without_a_duty_list(tmp_path):
    with pytest.raises(ExtractionError, match="no duty list"):
        extract_text(tmp_path, "姓名\t电话\n张三\t123\n")
    with pytest.raises(ExtractionError, match="no table"):
        extract_text(tmp_path, "一段文字\n没有制表符\n")


def test_split_record():
    lines = ['1\t"a\tb"\tc', '2\t"x', 'y"\t', '3\t"open']
    assert split_record(lines, 0) == (["1", "a\tb", "c"], 0)
    assert split_record(lines, 1) == (["2", "x\ny", ""], 2)
    assert split_record(lines, 3) == (["3", '"open'], 3)


def test_the_tsv_sniff(tmp_path):
    sniff = TSVExtractor().sniff
    assert sniff(tmp_path / "a.txt", "序号\t事项类别\t事项名称\n1\t党的建设\t甲\n".encode()) >= 0.9
    assert sniff(tmp_path / "a.txt", "| 序号 | 事项类别 |\n|---|---|\n".encode()) == 0
    assert sniff(tmp_path / "a.txt", "序号\t事项类别\t事项名称\n".encode("utf-16")) >= 0.9


def test_extraction_is_fast():
    started = time.perf_counter()
    TSVExtractor().extract(SAMPLES / SEED)
    assert time.perf_counter() - started < 1.0
