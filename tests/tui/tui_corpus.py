"""A small, fixed set of duty lists as CSV (read by the example plugin plugins/csv_lists.py).

Three townships with the things the explorer must get right: long names (truncated in the
table, wrapped in the detail pane), full-width punctuation, numbered duty steps, a matter
reclaimed in one township and basic in another (工伤认定调查), a matter worded by level
(推荐县级/市级以上党代表工作).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

LONG = ("学习贯彻习近平新时代中国特色社会主义思想，宣传和执行党的路线、方针、政策，"
        "执行上级党组织及本级党组织决议，坚定拥护“两个确立”、坚决做到“两个维护”")

BASIC = [
    ("党的建设", LONG),
    ("党的建设", "履行全面从严治党主体责任，深入推进党风廉政建设和反腐败斗争，加强和改进作风"),
    ("党的建设", "推荐{level}以上党代表工作"),
    ("民生服务", "做好本{unit}城乡居民基本养老保险参保登记、缴费申报工作"),
    ("民生服务", "协助开展工伤保险政策宣传"),
    ("平安法治", "开展矛盾纠纷排查化解，做好信访接待和“三调联动”工作"),
    ("应急管理及消防", "做好本{unit}应急管理知识宣传普及工作，依法依规开展巡查巡护、隐患排查"),
    ("综合政务", "负责本{unit}公文处理、会议保障、印章管理、督查督办、信息报送等日常政务性工作"),
]

COOPERATIVE = [
    ("民生服务", "工伤认定调查取证", "县人力资源和社会保障局",
     "1.受理工伤认定申请；2.开展调查核实；3.作出认定决定。",
     "1.协助收集证据材料；2.配合开展现场调查。"),
    ("平安法治", "禁毒宣传教育", "县公安局、县禁毒办",
     "1.制定年度禁毒宣传方案；2.组织开展集中宣传活动。",
     "1.在村（社区）开展禁毒宣传；2.排查吸毒人员并及时报告。"),
    ("自然资源", "耕地保护和违法占地巡查", "县自然资源局",
     "负责耕地保护监督检查，依法查处违法占地行为。",
     "开展日常巡查，发现违法占地行为及时制止并报告。"),
]

RECLAIMED = [
    ("民生服务", "工伤认定调查", "县人力资源和社会保障局：直接办理，乡镇不再承担"),
    ("市场监管", "食品生产经营许可", "县市场监督管理局：统一办理"),
]

TOWNSHIPS = [
    # (file, title place, level word, unit, which rows to drop, reclaimed includes 工伤?)
    ("a_tuogelake.csv", "伊犁州伊宁市托格拉克乡", "市级", "乡", (), True),
    ("b_zhaosu.csv", "伊犁州昭苏县昭苏镇", "县级", "镇", (5,), True),
    ("c_tuhulu.csv", "哈密市伊吾县吐葫芦乡", "县级", "乡", (3, 6), False),
]


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def township_csv(place: str, level: str, unit: str, drop: tuple[int, ...],
                 gongshang: bool) -> str:
    rows: list[list[str]] = [[f"{place}基本履职事项清单"],
                             ["序号", "事项类别", "事项名称"]]
    serial = 0
    for n, (category, name) in enumerate(BASIC):
        if n in drop:
            continue
        serial += 1
        rows.append([str(serial), category, name.format(level=level, unit=unit)])
    if not gongshang:  # here 工伤认定调查 stayed with the township
        serial += 1
        rows.append([str(serial), "民生服务", "工伤认定调查"])
    rows += [[f"{place}配合履职事项清单"],
             ["序号", "事项类别", "事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责"]]
    for n, row in enumerate(COOPERATIVE, start=1):
        rows.append([str(n), *row])
    rows += [[f"{place}上级部门收回事项清单"],
             ["序号", "事项类别", "事项名称", "承接部门及工作方式"]]
    reclaimed = RECLAIMED if gongshang else RECLAIMED[1:]
    for n, row in enumerate(reclaimed, start=1):
        rows.append([str(n), *row])
    return _csv(rows)


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, place, level, unit, drop, gongshang in TOWNSHIPS:
        path = folder / name
        path.write_text(township_csv(place, level, unit, drop, gongshang), encoding="utf-8")
        paths.append(path)
    return paths
