"""The plain-text (PDF dump) extractor: the three seeds read exactly, and the same rows read
back when re-wrapped at other column widths.

Expected rows are written from the seed files by hand: each ``printed(...)`` argument is one
line of the seed as printed, so a row can be checked against the file line by line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from explorer.extractor import ExtractionError
from explorer.model import ExtractedDocument, ListKind
from explorer.normalize import fill_down_categories
from explorer.report import build_report
from explorer.text import read_text
from explorer.vocabulary import canonical_category
from extractors.plaintext import PlainTextExtractor, parse

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
COUNTS = json.loads((ROOT / "tests" / "expected_counts.json").read_text(encoding="utf-8"))

TOGELAKE = "000_8e877d29f72b689e.txt"  # 伊犁州 伊宁市 托格拉克乡
TUHULU = "002_3c77d26c45504101.txt"  # 哈密市 伊吾县 吐葫芦乡
KEZILESU = "004_7e5723578bd8af9b.txt"  # 喀什地区 伽师县 克孜勒苏乡
SEEDS = (TOGELAKE, TUHULU, KEZILESU)

BASIC, COOPERATIVE, RECLAIMED = ListKind.BASIC, ListKind.COOPERATIVE, ListKind.RECLAIMED


def printed(*lines: str) -> str:
    """A cell as the seed prints it, one argument per printed line: joined with nothing."""
    return "".join(lines)


@cache
def extracted(name: str) -> ExtractedDocument:
    document = PlainTextExtractor().extract(SAMPLES / name)
    fill_down_categories(document.rows)
    return document


def row_of(name: str, kind: ListKind, serial: int):
    [row] = [r for r in extracted(name).rows if r.list == kind and r.serial == serial]
    return row


@dataclass(frozen=True)
class Expected:
    list: ListKind
    serial: int
    category: str
    name: str
    departments: str = ""
    upper_duties: str = ""
    township_duties: str = ""
    receiver: str = ""

    def __str__(self) -> str:
        return f"{self.list} {self.serial}"


# --- 伊犁州伊宁市托格拉克乡 ----------------------------------------------------------------

TOGELAKE_ROWS = [
    # first row: the name wraps over three lines under the serial line
    Expected(BASIC, 1, "党的建设", printed(
        "深入学习贯彻习近平新时代中国特色社会主义思想和习近平总书记关于新疆工作的重要讲话重要指示批示精",
        "神，完整准确全面贯彻新时代党的治疆方略，宣传和执行党的路线方针政策，执行上级党组织及本级党组织",
        "决议，加强政治建设，坚定拥护“两个确立”、坚决做到“两个维护”，开展党内集中教育")),
    # a blank line inside the name
    Expected(BASIC, 7, "党的建设", printed(
        "加强“四个合格”党员队伍建设，负责本乡党员发展、教育、管理、监督、服务等工作，依规稳妥处置不合格",
        "党员，做好党代表推选、日常联络服务工作")),
    # one character left alone after a blank line; digits inside the name
    Expected(BASIC, 82, "综合政务", printed(
        "做好12345政务服务便民热线、人民网留言板、“互联网+督查”、中国政府网等平台转办推送事项的办理、反",
        "馈")),
    Expected(BASIC, 84, "综合政务", "集中管理本乡档案，推进档案信息化建设"),
    # first cooperative row: category, name and department all wrapped, header wrapped above
    Expected(
        COOPERATIVE, 1, printed("党的建", "设"),
        printed("推荐市级以", "上党代表工", "作"),
        printed("市委组织", "部"),
        printed("1.确定代表名额，并分配至乡党委；",
                "2.会同纪委监委、统战、政法、信访等部门对代表候",
                "选人预备人选进行资格联审；",
                "3.审查后报市委批复。"),
        printed("1.根据分配名额、代表条件和结构要求，组织所",
                "辖党支部推荐提名代表候选人推荐人选；",
                "2.对代表候选人推荐人选进行考察，确定代表候",
                "选人初步人选并进行公示（不少于5个工作",
                "日）；",
                "3.召开党委会，确定代表候选人预备人选，组织",
                "填写相关登记表，报市委组织部审查；",
                "4.召开党员大会或代表大会组织选举，选出正式",
                "代表；",
                "5.向市委组织部报送代表选举情况报告、代表名",
                "册、代表选举工作相关文件。"),
    ),
    # a department cell over eight lines with a blank line inside it
    Expected(
        COOPERATIVE, 5, "党的建设",
        printed("从优秀村干", "部中招录公", "务员、招聘", "事业单位工", "作人员"),
        printed("市委组织", "部、机构", "编制委员", "会办公", "室，市人", "力资源和", "社会保障",
                "局"),
        printed("1.市委组织部、市人社局按上级要求，通知乡上报人",
                "选；",
                "2.市委编办审核乡空编情况，按程序报上级党委编办",
                "批复；",
                "3.市委组织部会同市人社局对乡推荐初步人选任职时",
                "间、学历、年龄等进行资格审查；",
                "4.市委组织部牵头成立联合考察组，对资格审查合格",
                "的初步人选进行考察，同步征求纪委监委、政法、民",
                "政、公安等相关部门及驻村工作队意见建议；",
                "5.市委组织部、市人社局择优确定拟推荐人选，并在",
                "拟推荐人选所在乡、村公示5个工作日，无异议后报",
                "州党委组织部、州人社局审核确定参加考试人选；",
                "6.市委组织部组织人员参加笔试、面试、体检等环",
                "节；",
                "7.市委组织部、市委编办、市人社局按照干部管理权",
                "限及规定程序，为确定的拟招录（聘）人员办理录",
                "（聘）手续；",
                "8.市委组织部、市人力资源和社会保障局组织新招录",
                "（聘）人员参加初任（岗前）培训。"),
        printed("1.按照推荐条件和要求筛选符合条件人选，征求",
                "村党组织意见及本人意见后，向市委组织部、市",
                "人社局择优推荐招录（聘）初步人选；",
                "2.将拟推荐人选公示5个工作日，并将公示情况",
                "报市委组织部、市人社局；",
                "3.通知招录（聘）人员按期报到上岗。"),
    ),
    # the township's duty is one unnumbered paragraph; the department cell starts with 、
    Expected(
        COOPERATIVE, 15, printed("民生服", "务"),
        printed("引导企事业", "单位设立岗", "位，接纳大", "中专院校学", "生实习、见", "习"),
        printed("市教育局", "、人力资", "源和社会", "保障局、", "财政局"),
        printed("1.市教育局、人力资源和社会保障局统计企（事）业",
                "单位能够接纳的实习、见习的数量及岗位；",
                "2.市教育局统计职业学校实习学生人数及专业；",
                "3.市人社局统计应届高校毕业生见习人数及专业；",
                "4.市教育局将实习生派送至实习单位，并做好跟踪服",
                "务工作；",
                "5.市人社局将见习生派送至见习单位，并做好跟踪服",
                "务工作；",
                "6.市人社局受理、审核见习单位的补贴申请，报市财",
                "政局复核；",
                "7.市财政局向见习单位拨付见习补贴。"),
        printed("宣传实习、见习政策，引导本辖区企（事）业单",
                "位开发实习、见习岗位。"),
    ),
    # a page that starts with the tail of the column header (`` 类别`` … ``乡配合职责``)
    Expected(
        COOPERATIVE, 28, printed("乡村振", "兴"),
        printed("农牧业防灾", "减灾工作"),
        printed("市农业农", "村局"),
        printed("1.拟定农牧业防灾减灾预案；",
                "2.指导乡做好农畜物资储备，落实好各项农牧业防灾",
                "减灾工作措施；",
                "3.及时转发大风、洪涝、干旱、冰雹、霜冻、病虫害",
                "等涉及农牧业领域灾害预警信息；",
                "4.在极端天气到来时，启动24小时值班制度，灾情发",
                "生时第一时间上报；",
                "5.根据受灾情况启动应急预案，组织人员力量对受灾",
                "情况进行全面调查和评估，及时下发救灾物资及资",
                "金，并协调保险公司进行理赔；",
                "6.组织农业技术人员深入灾区为农牧民提供恢复生产",
                "的技术指导和服务，帮助恢复生产。"),
        printed("1.做好灾害防范知识的宣传教育、预警信息传",
                "递，引导农牧民做好灾害防范；",
                "2.组织农户加固农业设施，提前抢收成熟农作",
                "物，储备必要的救灾物资，加强农业基础设施的",
                "维护和检修；",
                "3.灾害发生后，第一时间组织力量做好人员疏散",
                "安置、农作物抢收和牲畜转移等前期处置工作，",
                "并及时将灾情上报市农业农村局。"),
    ),
    # blank lines inside the name; the department's duties under sub-headings ``市教育局：``
    Expected(
        COOPERATIVE, 31, printed("乡村振", "兴"),
        printed("脱贫户、监", "测户“雨露", "计划”项目", "实施工作"),
        printed("市教育局", "、农业农", "村局"),
        printed("市教育局：",
                "推送中职、高职学生相关数据。",
                "市农业农村局：",
                "1.对相关材料进行复核，并将审核结果反馈至乡；",
                "2.核实发放补助资金，并对资金发放情况进行抽查。"),
        printed("1.做好脱贫户、监测户“雨露计划”政策宣传，并",
                "组织村摸排收集正在就读中职、高职子女基本信",
                "息；",
                "2.负责对村上报的申报资料进行审核，并将审核",
                "通过的相关材料上报市农业农村局；",
                "3.录入“一卡通”信息；",
                "4.负责“雨露计划+”系统录入及日常信息更新维",
                "护工作。"),
    ),
    # the name's second line follows a blank line, the department follows with none
    Expected(
        COOPERATIVE, 48, printed("社会管", "理"),
        printed("地名管理", "工作"),
        "市民政局",
        printed("1.对地名命名、更名申请进行审核，通过后提交市人",
                "民政府审批，并向社会公布；",
                "2.对已命名地名进行管理和监督，确保名称规范使用",
                "。"),
        printed("1.对现有地名进行普查，重点排查未使用或者未",
                "规范使用地名的情况；",
                "2.组织村召开村代表大会，就地名命名、更名征",
                "求群众意见；",
                "3.指导村提交地名命名、更名申请，包括地名来",
                "源、含义、历史沿革、地理位置等；",
                "4.对拟命名地名进行合规性审查，通过后向市民",
                "政局提交申请材料。"),
    ),
    # the department's duties open with a department's name too wide for the department
    # column, and restart their numbering under a second one
    Expected(
        COOPERATIVE, 64, printed("自然资", "源"),
        printed("草原确权工", "作"),
        printed("市自然资", "源局、林", "业和草原", "局"),
        printed("市自然资源局",
                "1.牵头制定草原确权工作方案，并对乡进行培训；",
                "2.委托第三方绘制地块图形；",
                "3.制发草原不动产权登记簿；",
                "4.完善草原确权数字信息管理系统相关信息。",
                "市林业和草原局",
                "向乡提供草原承包原始档案。"),
        printed("1.根据工作方案做好草原确权政策宣传；",
                "2.以户为单位对草原承包底册进行核实，核查承",
                "包草原地块四至范围；",
                "3.以村为单位对承包草原地块图形等进行公示；",
                "4.根据权属调查和审核公示结果，组织发包方与",
                "承包方签订草原承包合同；",
                "5.向市自然资源局移交完整的草原确权成果电子",
                "资料。"),
    ),
    # a name wrapped over fifteen lines, blank lines and quotes inside it
    Expected(
        COOPERATIVE, 94, printed("文化和", "旅游"),
        printed("开展“我们", "的中国梦—", "文化进万家", "”活动，实", "施“新疆文", "学原创和民",
                "汉互译作品", "工程”和“万", "村千乡文化", "产品惠民行", "动”等文化", "惠民项目"),
        printed("市委宣传", "部，市文", "化体育广", "播电视和", "旅游局"),
        printed("1.市委宣传部、市文旅局制定文化惠民活动项目计",
                "划；",
                "2.市委宣传部组织实施“新疆文学原创和民汉互译作品",
                "工程”和“万村千乡文化产品惠民行动”；",
                "3.市文旅局组织实施“我们的中国梦—文化进万家”等",
                "演出活动。"),
        printed("1.负责文化惠民相关活动的宣传；",
                "2.接收书籍、分发至村，组织村民阅读；",
                "3.乡、村提供活动场地，组织本辖区文化爱好者",
                "、志愿者参与活动。"),
    ),
    # the serial alone on its line, the category over three lines, seventeen department lines
    Expected(
        COOPERATIVE, 102, printed("应急管", "理及消", "防"),
        printed("安全生产监", "督检查工作"),
        printed("市应急管", "理局、工", "信局、公", "安局、住", "房和城乡", "建设局、", "交通局、",
                "水利局、", "农业农村", "局、市场", "监管局等", "其他负有", "安全生产", "监督管理",
                "职责的部", "门"),
        printed("1.市应急管理局负责统筹市域内安全生产监督检查工",
                "作；",
                "2.市应急管理局负责制定并实施年度安全生产监督检",
                "查计划，对矿山单位和生产、储存、经营危险化学品",
                "、烟花爆竹的单位进行重点检查，对规模以下建材、",
                "机械、轻工、纺织、烟草生产经营单位的安全生产状",
                "况进行监督抽查；",
                "3.市商工局负责制定并实施年度安全生产监督检查计",
                "划，对商贸行业生产经营单位的安全生产状况进行监",
                "督抽查；",
                "4.市应急管理局对其他负有安全生产监督部门和乡履",
                "行安全生产职责综合管理；",
                "5.市应急管理局对乡报告的安全生产违法问题隐患，",
                "依法调查处理、研究解决；",
                "6.市工信、公安、住建、交通、水利、农业农村、市",
                "场监管等其他负有安全生产监督管理职责的部门依照",
                "《自治区实施〈地方党政领导干部安全生产责任制规",
                "定〉细则》确定的职责范围，依法对相关行业领域生",
                "产经营单位的安全生产实施监督检查；对乡报告的安",
                "全生产违法问题隐患，依法调查处理、研究解决；",
                "7.发生安全生产事故后，市应急管理局协调市应急救",
                "援指挥部各成员单位按照职责分工，组织实施应急救",
                "援。"),
        printed("1.制定并落实年度、季度、月份安全生产巡查计",
                "划，将年度巡查计划报市应急管理局；",
                "2.负责对本辖区规模以下建材、机械、轻工、纺",
                "织、烟草生产经营单位的安全生产状况进行监督",
                "抽查，着重开展“九小场所”、农家乐、经营性自",
                "建房等风险隐患排查，推动落实生产经营单位主",
                "动自查等制度，发现安全隐患及时上报，并督促",
                "整改；",
                "3.记录安全生产巡查情况，报告发现的安全生产",
                "违法行为和问题隐患；",
                "4.协助市应急管理局及其他负有安全生产监督管",
                "理职责的部门开展对有关生产经营单位的安全生",
                "产监督检查、监督问题隐患整改、送达执法文书",
                "、依法实施行政强制措施、核实安全生产举报事",
                "项；",
                "5.发生安全生产事故后，协助开展应急救援。"),
    ),
    # the department and the department's (unnumbered) duty share a line
    Expected(
        COOPERATIVE, 116, printed("市场监", "管"),
        printed("市场主体设", "立、变更登", "记辅助工作"),
        "市市监局",
        "规范市场主体住所（经营场所）核准登记工作。",
        printed("出具明确房产权属主体、产权性质、行政区划以",
                "及乡级门牌号码等基本内容的证明材料。"),
    ),
    # last cooperative row
    Expected(
        COOPERATIVE, 121, printed("综合政", "务"),
        printed("落实“一网", "统管”数字", "化治理体系", "相关工作要", "求，加强政", "府网站建",
                "设，指导群", "众使用相关", "政务数字化", "应用"),
        printed("市政府办", "（数字化", "发展局）"),
        printed("1.负责落实“一网统管”数字化治理体系相关工作要",
                "求，加强政府网站建设，指导乡数字化应用场景搭",
                "建；",
                "2.接入现有统一的协同办公平台，实现政府内部办公",
                "、监督、决策、协调、督办等业务系统贯通，完善市",
                "、乡、村三级跨部门、跨层级的办公机制；",
                "3.做好协同办公平台、相关政务数字化应用使用过程",
                "中的技术保障。"),
        printed("1.结合实际搭建数字化特色应用场景，推动使用",
                "乡、村、网格三级应用体系；",
                "2.做好相关政务数字化应用推广与应用，规范运",
                "营管理自建的自媒体账号，指导群众操作使用；",
                "3.及时收集反馈协同办公平台和相关政务数字化",
                "应用在使用过程中的各类问题。"),
    ),
    # first reclaimed row: the receiver on the name's line
    Expected(RECLAIMED, 1, "民生服务", "出具婚姻状况证明（婚姻关系证明、分居证明）",
             receiver="不再开展此项工作"),
    # the receiver's department and method on the lines after the name
    Expected(RECLAIMED, 2, "民生服务", "工伤认定调查",
             receiver=printed("市人社局", "承接方式：由市人社局负责开展工伤认定调查")),
    Expected(RECLAIMED, 8, "民生服务", printed(
        "对在社会主义建设中做出显著成绩的残疾人，对维护残疾",
        "人合法权益、发展残疾人事业、为残疾人服务做出显著成",
        "绩的单位和个人，各级人民政府和有关部门给予表彰和奖",
        "励"), receiver=printed(
        "市残联",
        "承接方式：由市残联对在社会主义建设中做出显著成绩的残",
        "疾人，对维护残疾人合法权益、发展残疾人事业、为残疾人",
        "服务做出显著成绩的单位和个人给予表彰和奖励")),
    Expected(RECLAIMED, 14, "乡村振兴", "惠民保险征缴工作", receiver="不再开展此项工作"),
    # a category wrapped in the reclaimed list too
    # the receiver's last line starts with 序, right above a repeated column header
    Expected(RECLAIMED, 31, "城乡建设", "对不服从城市绿地管理单位管理的商业、服务摊点的处罚",
             receiver=printed("市城市管理局",
                              "承接方式：由市城市管理局组织执法人员开展日常执法检",
                              "查，及时制止相关违法行为，根据情节轻重按照行政处罚程",
                              "序进行处置")),
    Expected(RECLAIMED, 47, printed("应急管理及消", "防"), "建立微型消防站",
             receiver=printed("市消防救援局", "承接方式：市消防救援局负责推动微型消防站建设")),
    Expected(RECLAIMED, 52, "市场监管", "对从事无照经营的商户进行处罚", receiver=printed(
        "市市场监督管理局",
        "承接方式：由市市场监督管理局组织执法人员开展日常执法",
        "检查，及时制止相关违法行为，根据情节轻重按照行政处罚",
        "程序进行处置")),
]

EXPECTED_ROWS = {TOGELAKE: TOGELAKE_ROWS}


# --- tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_rows_per_list_serials_and_categories(seed: str) -> None:
    document = extracted(seed)
    for kind in ListKind:
        serials = [r.serial for r in document.rows if r.list == kind]
        assert serials == list(range(1, COUNTS[seed][str(kind)] + 1)), kind
    for row in document.rows:
        assert canonical_category(row.category) is not None, (row.list, row.serial, row.category)
        assert not row.category_filled


@pytest.mark.parametrize("seed", SEEDS)
def test_every_character_lands_in_exactly_one_field(seed: str) -> None:
    document = extracted(seed)
    report = build_report(document, source=seed, extractor="plaintext")
    assert report.lost == [] and report.added == []
    assert document.orphans == []
    assert all(row.source for row in document.rows)
    assert report.serial_problems == []


_HEADER_CHARS = set("序号事项类别名称对应上级部门职责乡镇配合承接及工作方式")
_FURNITURE = (
    lambda line: line.endswith("清单") and "履职" in line or "收回" in line,  # page titles
    lambda line: set(line) <= _HEADER_CHARS,  # column headers, whole or wrapped
    lambda line: line.startswith("第") and line.endswith("页"),  # page numbers
    lambda line: line in ("（未完见下页）", "（续上页）"),
)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_line_is_dropped_silently(seed: str) -> None:
    """Every printed line is in some row's source, or is page furniture, the preface, or a
    cell printed again after a page break (and then said so in the warnings)."""
    document = extracted(seed)
    used = {source.line for row in document.rows for source in row.source}
    repeated = []
    for warning in document.warnings:
        first, last = warning.split("(lines ")[1].split(")")[0].split("–")
        repeated.append(range(int(first), int(last) + 1))
    lines = (SAMPLES / seed).read_text(encoding="utf-8").split("\n")
    first_title = next(i for i, line in enumerate(lines, 1) if line.strip().endswith("清单"))
    for number, line in enumerate(lines, 1):
        text = "".join(line.split())
        if not text or number in used or number < first_title:
            continue
        if any(rule(text) for rule in _FURNITURE):
            continue
        assert any(number in span for span in repeated), (number, line)


@pytest.mark.parametrize("seed", SEEDS)
def test_place_from_the_titles(seed: str) -> None:
    document = extracted(seed)
    expected = COUNTS[seed]
    assert (document.prefecture, document.county, document.township) == (
        expected["prefecture"], expected["county"], expected["township"])


@pytest.mark.parametrize("expected", [pytest.param(e, id=f"{seed[:3]}-{e}")
                                      for seed, rows in EXPECTED_ROWS.items() for e in rows])
def test_row_field_by_field(expected: Expected) -> None:
    seed = next(s for s, rows in EXPECTED_ROWS.items() if expected in rows)
    row = row_of(seed, expected.list, expected.serial)
    got = (row.category, row.name, row.departments, row.upper_duties, row.township_duties,
           row.receiver)
    want = (expected.category, expected.name, expected.departments, expected.upper_duties,
            expected.township_duties, expected.receiver)
    for field, value, wanted in zip(("category", "name", "departments", "upper_duties",
                                     "township_duties", "receiver"), got, want, strict=True):
        assert value == wanted, field


def test_not_a_duty_list_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "prose.txt"
    path.write_text("今天天气很好。\n1 我们去公园散步。\n" * 20, encoding="utf-8")
    with pytest.raises(ExtractionError, match="no duty list"):
        PlainTextExtractor().extract(path)


def test_sniff_stays_below_the_table_formats(tmp_path: Path) -> None:
    extractor = PlainTextExtractor()
    head = (SAMPLES / TOGELAKE).read_bytes()[:8192]
    assert 0.3 < extractor.sniff(SAMPLES / TOGELAKE, head) < 0.8
    assert extractor.sniff(tmp_path / "notes.txt", "随便写点什么".encode()) == 0.3
    assert extractor.sniff(tmp_path / "list.md", head) == 0.0


def test_parse_reads_text_directly() -> None:
    text, _ = read_text(SAMPLES / TOGELAKE)
    assert len(parse(text).rows) == len(extracted(TOGELAKE).rows)
