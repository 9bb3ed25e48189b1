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


# --- 哈密市伊吾县吐葫芦乡 ------------------------------------------------------------------

TUHULU_ROWS = [
    Expected(BASIC, 1, "党的建设", printed(
        "深入学习贯彻习近平新时代中国特色社会主义思想和习近平总书记关于新疆工作的重要讲话重要指示批示精神，完整",
        "准确全面贯彻新时代党的治疆方略，宣传和执行党的路线方针政策，执行上级党组织及本级党组织决议，加强政治建",
        "设，坚定拥护“两个确立”、坚决做到“两个维护”，开展党内集中教育")),
    # the serial alone on its line, the category wrapped around a blank line
    Expected(BASIC, 93, printed("应急管理及消", "防"),
             "健全落实安全生产、防灾减灾救灾、消防安全责任制，编制实施本乡消防规划，加强公共消防设施建设"),
    Expected(BASIC, 100, "人民武装", "落实基层人民武装规范化建设"),
    Expected(BASIC, 107, "综合政务",
             "负责12345政务服务便民热线、人民网留言板、“互联网+督查”、中国政府网等平台转办推送事项的办理、反馈"),
    # the header on one line, the department on one line, a blank line inside the name
    Expected(
        COOPERATIVE, 1, "党的建设",
        printed("推荐县级以", "上党代表工", "作"),
        "伊吾县委组织部",
        printed("1.制定换届选举方案和代表名额分配方案；",
                "2.开展县级以上党代表候选人联审、考察工",
                "作；",
                "3.对党代表选举工作全程进行监督指导；",
                "4.伊吾县委召开常委会对当选名单进行研究；",
                "5.伊吾县委对当选人员进行批复。"),
        printed("1.根据上级名额要求，研究制定方案，指",
                "导所属党组织召开党员大会提名初步人",
                "选；",
                "2.征求本级纪检监察部门的意见，研究讨",
                "论候选人推荐人选建议名单，对代表候选",
                "人初步人选进行考察，并报伊吾县换届领",
                "导小组办公室审查；",
                "3.对候选人初步人选名单进行公示；",
                "4.召开党员代表会议，选举出席伊吾县级",
                "以上党代表会议的党代表。"),
    ),
    Expected(
        COOPERATIVE, 2, "党的建设",
        printed("开展乡领导", "班子绩效考", "核、班子成", "员年度考核", "工作、科级", "干部选拔任",
                "用"),
        "伊吾县委组织部",
        printed("1.下发领导班子及领导干部年度考核、目标绩",
                "效考核方案；",
                "2.安排考核组到乡开展绩效考核暨县委管理领",
                "导班子和领导干部年度考核工作；",
                "3.撰写领导班子及县委管理领导干部考核材",
                "料；",
                "4.对考核情况提交部务会和伊吾县委常委会审",
                "议；",
                "5.按照干部管理权限，对科级领导干部进行推",
                "荐、考察、公示、任用。"),
        printed("1.班子形成工作总结，班子成员撰写述职",
                "述德述廉报告、现实表现材料等材料；",
                "2.召开述职评议会议，进行个人述职、民",
                "主测评、开展个别谈话等，推荐符合职级",
                "晋升和提拔使用人选；",
                "3.按照绩效目标考核，向绩效考评组提供",
                "档案印证资料。"),
    ),
    # headings (one of them wrapped) each over its own paragraph; the township's cell
    # restarts at 1. after a paragraph that is not a heading
    Expected(
        COOPERATIVE, 9, "党的建设",
        printed("规范村工作", "机制、牌子", "、出具证明"),
        printed("伊吾县委组织部", "、伊吾县委社会", "工作部、伊吾县", "委农村工作领导",
                "小组办公室"),
        printed("伊吾县委社会工作部：",
                "负责制定村组织工作事务、机制牌子和证明",
                "事项指导目录。",
                "伊吾县委组织部、伊吾县委社会工作部：",
                "建立健全准入制和动态调整制度，加强培训",
                "指导；",
                "伊吾县委组织部、伊吾县委社会工作部、伊",
                "吾县委农村工作领导小组办公室：",
                "1.建立健全村组织负担常态化监管机制，加",
                "大督促检查和跟踪落实力度，及时纠正随意",
                "增加村级组织负担的行为，对典型问题通报",
                "曝光；",
                "2.梳理不符合经济社会发展实际、村组织没",
                "有能力核实的证明事项，适时分批按规定程",
                "序予以取消。",
                "伊吾县委组织部：",
                "将规范村组织工作事务、机制牌子和证明事",
                "项情况纳入县乡党委书记抓基层党建工作述",
                "职评议考核和相关党政群机构考核评价内容",
                "。"),
        printed("1.加强对村组织培训，指导村组织认真落",
                "实规范工作事务、机制牌子和证明事项有",
                "关要求，配合做好相关工作；",
                "2.配合落实准入制度，及时向伊吾县委组",
                "织部、伊吾县委社会工作部等报送没有法",
                "律法规或政策依据、没有经费保障、没有",
                "实际效用、群众不认可的工作事务、机制",
                "牌子和证明事项；",
                "3.配合清理没有法律法规或政策依据、没",
                "有经费保障、没有实际效用、群众不认可",
                "的工作事务、机制牌子和证明事项；",
                "4.在乡党委书记抓基层党建工作述职中报",
                "告规范村组织工作事务、机制牌子和证明",
                "事项有关情况。"),
    ),
    # a heading wrapped over two lines, then an unnumbered township cell
    Expected(
        COOPERATIVE, 10, "党的建设",
        printed("干部人事档", "案工作"),
        printed("伊吾县委组织部", "、伊吾县人力资", "源和社会保障局"),
        printed("伊吾县委组织部、伊吾县人力资源和社会保",
                "障局：",
                "1.定期梳理干部人事档案缺失清单，推送至",
                "乡；",
                "2.审核把关报送档案并整理归档。"),
        printed("收集干部档案新增资料、缺失材料，分类",
                "整理后分别移交伊吾县委组织部、伊吾县",
                "人力资源和社会保障局。"),
    ),
    # the township's cell opens with the department's first heading again
    Expected(
        COOPERATIVE, 11, "党的建设",
        printed("做好公务员", "职级晋升、", "事业单位职", "员等级晋升", "、事业单位", "工作人员跨",
                "岗位类别转", "岗聘任"),
        printed("伊吾县委组织部", "、伊吾县人力资", "源和社会保障局"),
        printed("职级等级晋升：",
                "伊吾县委组织部、伊吾县人力资源和社会保",
                "障局：",
                "1.根据乡“三定”规定，核定各职级晋升、",
                "各职员等级晋升职数；",
                "2.掌握乡公务员职级、事业单位职员等级职",
                "数空缺情况，有序推荐干部开展职级和职员",
                "等级晋升；",
                "3.收集、整理拟晋升职级、职员等级推荐人",
                "选名册；",
                "4.进行资格审查；",
                "5.组织开展考察与公示；",
                "6.经会议研究后，做好职级、职员等级晋升",
                "全程纪实完善归档工作，并将考察材料、任",
                "免文件、任免审批表等材料存入干部人事档",
                "案。",
                "事业单位工作人员跨岗位类别转岗聘任：",
                "伊吾县人力资源和社会保障局：",
                "1.进行资格审查，并根据乡级管理岗职数核",
                "定转岗人数；",
                "2.召开局党组会议确定转岗人员名单。"),
        printed("职级等级晋升：",
                "1.对乡职级、职员等级职数情况进行摸排",
                "统计；",
                "2.完成民主推荐工作；",
                "3.提出晋升建议人选；",
                "4.兑现待遇。",
                "事业单位工作人员跨岗位类别转岗聘任：",
                "1.个人提交书面转岗申请，明确目标岗位",
                "类别（管理）及理由，签署转岗承诺书；",
                "2.组织填写《岗位变动审批花名册》《审",
                "批表》，审核跨岗位转岗人员是否符合要",
                "求；",
                "3.召开干部大会推荐人员，经党委会研究",
                "通过后，开展不少于五个工作日的公示；",
                "4.提交伊吾县人力资源和社会保障局进行",
                "审批；",
                "5.根据转岗情况兑现待遇。"),
    ),
    # no numbers anywhere: the department's cell is headed paragraphs, the township's two
    # plain ones
    Expected(
        COOPERATIVE, 26, "平安法治",
        printed("维护学校周", "边秩序，保", "护学生、教", "师、学校的", "合法权益，", "为学校提供",
                "安全保障"),
        printed("伊吾县教育局、", "伊吾县公安局、", "伊吾县交通运输", "局"),
        printed("伊吾县教育局：",
                "指导学校落实安全制度和措施，加强对学生",
                "的安全教育，协调学校与其他部门的合作，",
                "共同维护校园周边秩序，协助伊吾县交通运",
                "输局在乡辖区内的学校周边合理规划设置交",
                "通标识、标线。",
                "伊吾县公安局：",
                "打击校园周边各类违法犯罪活动，加强治安",
                "巡逻防控，在校园周边复杂地区设立治安岗",
                "亭，加强高峰勤务和“护学岗”机制，维护",
                "交通秩序，保障师生出行安全，协助伊吾县",
                "交通运输局在乡辖区内的学校周边合理规划",
                "设置交通标识、标线，规范车辆通行。",
                "伊吾县交通运输局：",
                "在乡辖区内的学校周边合理规划设置交通标",
                "识、标线。"),
        printed("宣传倡导共同关注和支持学校安全工作。",
                "协助公安机关维护中小学校、幼儿园周边",
                "治安秩序，净化校园周边环境。"),
    ),
    # printed across a page break: everything but the township's cell printed again, the
    # township's cell continued after （续上页）
    Expected(
        COOPERATIVE, 67, "生态环保",
        printed("退耕还林还", "草"),
        printed("伊吾县林业和草", "原局"),
        printed("1.负责按照批准后的自治区退耕还林年度实施",
                "方案，编制本行政区域内的退耕还林年度实",
                "施方案；",
                "2.委托乡级与有退耕还林任务的土地承包经营",
                "权人签订退耕还林合同；",
                "3.建立退耕还林植被管护制度，落实管护责",
                "任，乡级负责落实监督责任，引导农户履行",
                "管护义务，禁止在退耕还林项目实施范围内",
                "复耕和从事滥采、乱挖等破坏地表植被的活",
                "动；",
                "4.组织技术推广单位或者技术人员，为退耕还",
                "林提供技术指导和技术服务；",
                "5.会同乡级对退耕还林建设项目进行检查验",
                "收；",
                "6.对乡级上报的申请报告出具批复意见；",
                "7.对退耕还林还草者的退耕还林地点、面积、",
                "树种、验收结果以及补助资金发放情况，在",
                "村级公示栏上张榜公示；",
                "8.通过“一卡通”发放补助资金；",
                "9.对退耕还林者的退耕还林面积、造林树种、",
                "成活率以及资金发放等情况进行公示。"),
        printed("1.开展退耕还林政策及法律法规宣传；",
                "2.与有退耕还林任务的土地承包经营权人",
                "签订退耕还林合同；",
                "3.由农户向村民委员会提供变更申请报",
                "告，村民委员会受理变更申请并上报乡",
                "核；",
                "4.负责复审申请报告，将申请报告上报伊",
                "吾县林业和草原局；",
                "5.负责对变更后退耕还林政策落实情况进",
                "行监督管理；",
                "6.组织村级协助伊吾县林业和草原局对退",
                "耕还林进行验收；",
                # （未完见下页） … page break … row 67 printed again … （续上页）
                "7.对验收不合格、复耕农户开展政策宣",
                "传，通过补植补造等方式达到国家验收标",
                "准；",
                "8.乡调查核实补贴对象基础信息，符合政",
                "策的报伊吾县林业和草原局审定无误后，",
                "制作发放清册，录入“一卡通”系统，对",
                "不符合政策的，重新核实、调整清册；",
                "9.乡张榜公示审核后的发放清册，并形成",
                "公示证明材料。经相关职能站所负责人和",
                "乡主要负责人分别在汇总表上签字、加盖",
                "公章后，将汇总表、发放清册、公示证明",
                "材料报伊吾县林业和草原局审定；",
                "10.补贴资金发放完毕后，乡及时公示惠",
                "民惠农财政补贴资金发放情况。"),
    ),
    # printed across a page break the other way: the department's cell is the cut one
    Expected(
        COOPERATIVE, 68, "生态环保",
        printed("大气、水、", "土壤、固体", "废物、畜禽", "养殖、噪声", "等污染防治", "和监督管理"),
        printed("哈密市生态环境", "局伊吾县分局、", "伊吾县农业农村", "局、伊吾县住房",
                "和城乡建设局、", "伊吾县水利局"),
        printed("哈密市生态环境局伊吾县分局：",
                "1.负责指导开展各项污染防治，会同有关部门",
                "监督管理生态环境保护工作；",
                "2.对上报涉及生态环境违法行为进行调查处理",
                "。",
                # （未完见下页） … page break … row 68 printed again … （续上页）
                "伊吾县农业农村局:",
                "1.负责做好畜禽养殖废弃物综合利用的法律法",
                "规和政策措施的宣传；",
                "2.提供畜禽养殖废弃物综合利用的技术指导，",
                "帮助养殖户和养殖企业提高废弃物的处理效",
                "率和资源化利用水平，对上报的畜禽养殖污",
                "染线索依法核实并查处。",
                "伊吾县住房和城乡建设局：",
                "负责城市建设建筑垃圾的管理工作，依法开",
                "展巡察，对群众举报的及时查明，能找到倾",
                "倒人的依法处罚，并责令其清理，暂时找不",
                "到倾倒人的，组织力量予以清理。",
                "伊吾县水利局：",
                "负责对有关水污染防治实施监督管理。"),
        printed("1.做好本行政区域的污染防治宣传工作；",
                "2.开展日常巡查，协助相关部门开展监督",
                "检查，对发现和群众举报的环境污染行为",
                "及时制止，并上报哈密市生态环境局伊吾",
                "县分局、伊吾县农业农村局、伊吾县住房",
                "和城乡建设局、伊吾县水利局。"),
    ),
    # headings with their paragraphs, then one plain paragraph: the township's
    Expected(
        COOPERATIVE, 98, printed("应急管理及消", "防"),
        printed("电动自行车", "安全管理"),
        printed("伊吾县市场监督", "管理局、伊吾县", "住房和城乡建设", "局、伊吾县公安",
                "局、伊吾县消防", "救援局、伊吾县", "自然资源局、伊", "吾县商务科技和",
                "工业信息化局、", "哈密市生态环境", "局伊吾县分局"),
        printed("伊吾县商务科技和工业信息化局：",
                "负责对电动自行车生产企业进行生产的指导",
                "和监督。",
                "伊吾县市场监督管理局：",
                "负责电动自行车及其相关产品质量的监督管",
                "理，建立相关质量监管措施和举报制度，查",
                "处非法生产、销售环节的违法行为。",
                "伊吾县住房和城乡建设局：",
                "负责新建、改建、扩建电动自行车充电设施",
                "建设管理工作；",
                "伊吾县公安局：",
                "负责电动自行车登记管理，依法查处驾驶电",
                "动车交通违法行为，同时开展电动车事故调",
                "查。",
                "伊吾县消防救援局：",
                "负责依法查处电动自行车不按规定停放，“飞",
                "线”充电等消防安全违法行为，制定相关消防",
                "安全管理规范。",
                "哈密市生态环境局伊吾县分局：",
                "负责电动自行车废旧电池污染防治的监督管",
                "理。",
                "伊吾县自然资源局：",
                "负责落实规范电动自行车停放场所规划管理",
                "的相关要求。"),
        printed("配合做好电动自行车消防安全管理工作，",
                "督促指导村委会开展电动自行车治理工作",
                "。"),
    ),
    Expected(
        COOPERATIVE, 108, "教育培训监管",
        printed("校外培训机", "构监管"),
        printed("伊吾县商务科技", "和工业信息化局", "、伊吾县教育局", "、伊吾县市场监",
                "督管理局、伊吾", "县消防救援局、", "伊吾县人力资源", "和社会保障局、",
                "伊吾县文化体育", "广播电视和旅游", "局"),
        printed("伊吾县商务科技和工业信息化局：",
                "负责科技类校外培训机构场所、从业人员、",
                "审批登记等方面进行监督管理。",
                "伊吾县文化体育广播电视和旅游局：",
                "负责体育类、艺术类校外培训机构场所、从",
                "业人员、审批登记等方面进行监督管理。",
                "伊吾县市场监督管理局：",
                "负责办理校外教育培训机构营业执照。",
                "伊吾县消防救援局：",
                "负责检查校外教育培训机构消防安全设施设",
                "备。",
                "伊吾县人力资源和社会保障局：",
                "负责校外教育培训机构从业人员监管工作。",
                "伊吾县教育局：",
                "制定监督管理计划，会同有关部门对校外学",
                "科类培训机构日常监督，发现并处理违法违",
                "规行为。"),
        printed("1.负责摸排辖区内校外教育培训机构的办",
                "学行为、安全状况等工作，发现问题提出",
                "整改，如不整改报伊吾县教育局及相关部",
                "门；",
                "2.会同相关部门核实校外教育培训机构的",
                "投诉举报情况。"),
    ),
    Expected(RECLAIMED, 1, "民生服务",
             printed("出具婚姻状况证明（婚姻", "关系证明、分居证明）"),
             receiver="取消出具婚姻状况证明（婚姻关系证明、分居证明）。"),
    # category, name and receiver on one line
    Expected(RECLAIMED, 2, "民生服务", "收养登记",
             receiver="伊吾县民政局：负责本行政区域收养登记。"),
    # a receiver of two paragraphs, one a department
    Expected(RECLAIMED, 11, "社会保障", printed("创业实体信息及就业务工", "信息统计"),
             receiver=printed("伊吾县市场监督管理局：负责本行政区域创业实体信息统计。",
                              "伊吾县人力资源和社会保障局：负责本行政区域就业务工信息统计。")),
    # the serial alone, the category wrapped, name and receiver sharing a line
    Expected(RECLAIMED, 43, printed("应急管理及消", "防"), "建立微型消防站",
             receiver="伊吾县消防救援局：负责督促指导本行政区域内社会单位建立微型消防站。"),
    Expected(RECLAIMED, 48, "市场监管",
             printed("对食品小作坊、小餐饮店", "、小食杂店和食品摊贩违", "法生产经营的处罚"),
             receiver=printed("伊吾县市场监督管理局：负责本行政区域对食品小作坊、小餐饮店、小食杂店和食品摊贩",
                              "违法生产经营的处罚。")),
]

EXPECTED_ROWS = {TOGELAKE: TOGELAKE_ROWS, TUHULU: TUHULU_ROWS}


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
    lambda line: line.endswith("清单") and ("履职" in line or "收回" in line),  # page titles
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
