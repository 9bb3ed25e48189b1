"""The layout generator's ground truth: the seeds' rows, and the ways other counties print them.

``seed_truth.json.gz`` holds every row of the five seeds as lvzhi read them when every field had
been checked against the documents (1,322 rows): list, serial, category, name, departments, the
two duty cells and the receiver cell. A ``Layout`` says how a county prints a list (words of
its titles and headers, where categories stand, extra columns, a split receiver, its place);
``expected(seed, layout)`` is what an extractor must then read, field by field, and
``score(extraction, truth)`` compares. Renderers (``render_*.py`` beside this file) turn a
``Truth`` and its ``Layout`` into the bytes of a document of one format.

Nothing here is tuned to one fixed set: ``layouts()`` is a hypothesis strategy over every
choice, and the words it draws from are wider than any reader's vocabulary on purpose
(category words from outside lvzhi's list, headers naming the township …).
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from lvzhi.model import Item, ListKind

if TYPE_CHECKING:
    from lvzhi.ingest import Extraction
    from lvzhi.plugins import Registry
from lvzhi.vocabulary import split_departments, split_receiver

HERE = Path(__file__).parent
SEEDS = ("000_8e877d29f72b689e.txt", "001_608acf05b3629a7f.txt", "002_3c77d26c45504101.txt",
         "003_dfb9e36c2b3643c8.txt", "004_7e5723578bd8af9b.txt")
KINDS = (ListKind.BASIC, ListKind.COOPERATIVE, ListKind.RECLAIMED)
FIELDS = ("category", "name", "departments", "upper_duties", "township_duties", "receiver",
          "receiver_department", "receiver_method", "extra")


@dataclass(slots=True)
class TruthRow:
    list: ListKind
    serial: int
    category: str
    name: str
    departments: str = ""
    upper_duties: str = ""
    township_duties: str = ""
    receiver: str = ""
    receiver_department: str = ""
    receiver_method: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class Place:
    province: str
    prefecture: str  # as lvzhi stores it
    county: str
    township: str
    prefecture_printed: str = ""  # as titles print it, if other than ``prefecture``

    @property
    def printed_prefecture(self) -> str:
        return self.prefecture_printed or self.prefecture


@dataclass(slots=True)
class Truth:
    place: Place
    rows: list[TruthRow]

    def of(self, kind: ListKind) -> list[TruthRow]:
        return [row for row in self.rows if row.list == kind]


# --- how a county prints its lists --------------------------------------------------------

# Words each column is headed with somewhere; ``{township}`` is the township's name.
HEADERS: dict[str, tuple[str, ...]] = {
    "serial": ("序号", "序　号", "序 号", "编号"),
    "category": ("事项类别", "类别", "事项分类", "类　别"),
    "name": ("事项名称", "履职事项名称", "履职事项", "事项名称及内容"),
    "departments": ("对应上级部门", "牵头部门", "责任部门", "上级部门", "县级牵头部门"),
    "upper_duties": ("上级部门职责", "部门职责", "牵头部门职责", "县级部门职责"),
    "township_duties": ("乡镇配合职责", "镇街配合职责", "乡镇（街道）职责", "{township}配合职责",
                        "乡镇职责"),
    "receiver": ("承接部门及工作方式", "承接部门和工作方式", "承接单位及方式"),
    "receiver_department": ("承接部门", "承接单位"),
    "receiver_method": ("工作方式", "承接方式"),
}
# Other counties' words for the same columns. ``layouts()`` draws them as a header's own words
# (``Layout.headers`` takes either), so the fixed draws of ``random_layout``, which index
# HEADERS, stay what they were.
OTHER_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "serial": ("顺序号",),
    "category": ("职责类别", "事项类型", "领域"),
    "name": ("职责事项", "履职事项内容", "工作事项"),
    "departments": ("责任单位", "牵头单位", "县级主管部门"),
    "upper_duties": ("牵头单位职责", "部门主要职责", "县级部门承担职责", "主管部门职责"),
    "township_duties": ("乡镇（街道）承担职责", "属地职责", "{township}职责"),
    "receiver": ("承接单位及承接方式", "承接主体及方式"),
    "receiver_department": ("承接主体", "承接部门（单位）"),
    "receiver_method": ("履职方式",),
}
# Group headers over two columns, on a first header row of merged cells.
DUTY_GROUPS = ("职责分工", "职责划分", "具体职责")
RECEIVER_GROUPS = ("承接情况", "承接部门及工作方式")
# Columns lvzhi has no field for: header -> how to make a cell (serial -> text).
EXTRA_COLUMNS = ("履职依据", "备注", "事项编码", "责任科室", "办理时限")
LIST_WORDS: dict[ListKind, tuple[str, ...]] = {
    ListKind.BASIC: ("基本履职事项清单",),
    ListKind.COOPERATIVE: ("配合履职事项清单", "协同履职事项清单", "配合履职事项"),
    ListKind.RECLAIMED: ("上级部门收回事项清单", "收回履职事项清单", "上收事项清单",
                         "上级部门上收事项清单"),
}
# Category words from outside lvzhi's vocabulary (other provinces' lists use these).
OUTSIDE_CATEGORIES = (
    "产业发展", "公共服务", "基层治理", "社会事业", "综合治理", "生态文明", "农业农村发展",
    "民生保障", "城镇建设管理", "党建引领", "营商环境", "公共安全", "社会治理", "人居环境整治",
    "文教卫体", "财政经济", "规划建设", "科教文卫", "劳动保障", "综合执法", "组织人事",
    "宣传思想文化", "统战", "应急", "武装", "信访维稳", "司法", "便民服务", "经济运行")
PLACES = (
    Place("浙江省", "温州市", "苍南县", "灵溪镇"),
    Place("浙江省", "温州市", "龙港市", "龙港街道"),
    Place("江苏省", "徐州市", "睢宁县", "王集镇"),
    Place("四川省", "成都市", "郫都区", "安德街道"),
    Place("广东省", "清远市", "连山壮族瑶族自治县", "永和镇"),
    Place("内蒙古自治区", "锡林郭勒盟", "阿巴嘎旗", "别力古台镇"),
    Place("内蒙古自治区", "呼伦贝尔市", "新巴尔虎左旗", "乌布尔宝力格苏木"),
    Place("湖北省", "恩施土家族苗族自治州", "利川市", "谋道镇"),
    Place("河南省", "郑州市", "中牟县", "官渡镇"),
    Place("山东省", "济南市", "章丘区", "明水街道"),
    Place("湖南省", "湘西土家族苗族自治州", "凤凰县", "沱江镇"),
    Place("云南省", "大理白族自治州", "宾川县", "金牛镇"),
    Place("贵州省", "黔东南苗族侗族自治州", "凯里市", "三棵树镇"),
    Place("河北省", "保定市", "涞源县", "王安镇"),
    Place("吉林省", "延边朝鲜族自治州", "和龙市", "西城镇"),
    Place("新疆维吾尔自治区", "伊犁州", "伊宁县", "吉里于孜镇", "伊犁哈萨克自治州"),
    Place("新疆维吾尔自治区", "喀什地区", "莎车县", "荒地镇"),
    Place("新疆维吾尔自治区", "和田地区", "和安县", "萨依巴格乡"),
    Place("黑龙江省", "哈尔滨市", "尚志市", "一面坡镇"),
    Place("广西壮族自治区", "百色市", "田东县", "平马镇"),
)


XINJIANG = PLACES[-5]  # 伊犁州 伊宁县 吉里于孜镇, the seeds' own region

# How serial cells print: 1 / 1. / 1、 / （1） / 1.0 (a spreadsheet's number saved as text).
SERIAL_STYLES = ("", "dot", "comma", "paren", "float")
# Rows printed after a list's body: a 注 note across the table, a 合计 row, blank rows.
FOOTERS = ("note", "total", "blank")
NOTES = ("注：本清单事项根据法律法规调整情况动态更新。",
         "注：1.本清单所列事项按照“属地管理、权责一致”原则确定；2.上级部门新增事项须按程序报批后方可下放，"
         "未经批准不得擅自增加乡镇（街道）职责。",
         "备注：以上事项按年度调整")


@dataclass(slots=True, frozen=True)
class Layout:
    """How one county prints its three lists. Each field is one choice a reader must take in
    its stride; ``layouts()`` draws them all."""

    place: Place = PLACES[0]
    title: str = "full"  # full: province…township in every title; township: only the township
    list_words: tuple[int, int, int] = (0, 0, 0)  # index into LIST_WORDS per kind
    # (column, index into HEADERS[column], or the header's own words)
    headers: tuple[tuple[str, int | str], ...] = ()
    two_row_header: bool = False  # cooperative duties (and a split receiver) under a group
    group: int = 0  # index into DUTY_GROUPS / RECEIVER_GROUPS
    categories: str = "column"  # column / merged (first of a run only) / section / none
    category_words: int | None = None  # None: as the seed; else a seed for drawing new words
    extra: tuple[tuple[str, int], ...] = ()  # (header, position: -1 end, 1 after serial)
    receiver_split: bool = False  # 承接部门 | 工作方式 as two columns
    rows: int | None = None  # the first N rows of each list only (None: every row)
    # Quirks of real county tables, drawn by ``layouts(quirks=True)`` for the table formats:
    table_title: str = ""  # "title": the list title as a row across the table, above its
    # header (no title paragraph); "unit": that and a 填报单位：… 2025年3月 row under it
    footers: tuple[str, ...] = ()  # FOOTERS printed after each list's body
    order: int = 0  # bit 1: 乡镇配合职责 before 部门职责; bit 2: 类别 after 事项名称
    serial_style: str = ""  # one of SERIAL_STYLES
    one_table: bool = False  # the three lists in one table, a 二、…清单 row before each header
    stray_spaces: bool = False  # cells and headers with spaces and line breaks at their ends
    serials_per_category: bool = False  # numbered 1, 2 … anew in each category run
    no_serial: bool = False  # no 序号 column: the rows' order numbers them
    # Columns (as ``columns`` names them: "departments", "extra:备注" …) whose runs of equal
    # cells print as one vertically merged cell, the text in its first row only; the category
    # merges by ``categories="merged"``. ``run_seed`` draws runs of 1–4 rows sharing one value
    # in those columns (0: the seed's own values, runs only where they occur).
    merged_columns: tuple[str, ...] = ()
    run_seed: int = 0
    # With ``receiver_split``: a receiver naming neither department nor way of working
    # (不再开展此项工作) printed as one cell across 承接部门 | 工作方式: read whole, its parts
    # empty (as a receiver column of one cell gives them).
    receiver_across: bool = False
    # A cooperative matter led by several departments printed as one table row per
    # department, every other cell merged down over them (the serial too): read as one row,
    # its departments apart by a space.
    department_rows: bool = False

    def header(self, column: str) -> str:
        index = dict(self.headers).get(column, 0)
        words = HEADERS[column]
        chosen = index if isinstance(index, str) else words[index % len(words)]
        return chosen.format(township=self.place.township)

    def list_title(self, kind: ListKind) -> str:
        word = LIST_WORDS[kind][self.list_words[KINDS.index(kind)] % len(LIST_WORDS[kind])]
        place = self.place
        if self.title == "township":
            return place.township + word
        return place.province + place.printed_prefecture + place.county + place.township + word

    def cover_title(self) -> str:
        place = self.place
        return (place.province + place.printed_prefecture + place.county + place.township
                + "履职事项清单")

    def columns(self, kind: ListKind) -> list[str]:
        """The printed columns of a list, in order: model fields and ``extra:<header>``."""
        # (a basic list of names alone keeps its 序号: one column is no table)
        columns = [] if self.no_serial and (
            kind != ListKind.BASIC or self.categories in ("column", "merged") or self.extra
        ) else ["serial"]
        if self.categories in ("column", "merged"):
            columns.append("category")
        columns.append("name")
        if kind == ListKind.COOPERATIVE:
            columns += (["departments", "township_duties", "upper_duties"] if self.order & 1
                        else ["departments", "upper_duties", "township_duties"])
        elif kind == ListKind.RECLAIMED:
            columns += (["receiver_department", "receiver_method"] if self.receiver_split
                        else ["receiver"])
        if self.order & 2 and "category" in columns:
            columns.remove("category")
            columns.insert(columns.index("name") + 1, "category")
        for header, position in self.extra:
            columns.insert(len(columns) if position < 0 else position, f"extra:{header}")
        return columns

    def header_cells(self, kind: ListKind) -> list[list[str]]:
        """The header as printed: one row, or two when ``two_row_header`` groups columns (the
        group's text stands in the first cell it covers; covered cells are ``""`` in the top
        row, and a column not grouped prints its header in the top row and ``""`` below)."""
        columns = self.columns(kind)
        labels = [column[6:] if column.startswith("extra:") else self.header(column)
                  for column in columns]
        if self.stray_spaces:
            labels = [stray(label, at) for at, label in enumerate(labels)]
        groups = self._groups(kind)
        if not groups:
            return [labels]
        top, bottom = [], []
        for column, label in zip(columns, labels, strict=True):
            group = next((g for g, members in groups.items() if column in members), None)
            if group is None:
                top.append(label)
                bottom.append("")
            else:
                top.append(group if column == groups[group][0] else "")
                bottom.append(label)
        return [top, bottom]

    def _groups(self, kind: ListKind) -> dict[str, tuple[str, ...]]:
        if not self.two_row_header:
            return {}
        if kind == ListKind.COOPERATIVE:
            first, second = ("township_duties", "upper_duties") if self.order & 1 else (
                "upper_duties", "township_duties")
            return {DUTY_GROUPS[self.group % len(DUTY_GROUPS)]: (first, second)}
        if kind == ListKind.RECLAIMED and self.receiver_split:
            return {RECEIVER_GROUPS[self.group % len(RECEIVER_GROUPS)]: (
                "receiver_department", "receiver_method")}
        return {}


# --- the truth a layout must give ----------------------------------------------------------

@cache
def seed_truth() -> dict[str, dict]:
    with gzip.open(HERE / "seed_truth.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _receiver(row: TruthRow, layout: Layout) -> None:
    if layout.receiver_split:
        department, method = split_receiver(row.receiver)
        if not (department or method) and not layout.receiver_across:
            department, method = "", row.receiver
        row.receiver_department, row.receiver_method = department, method
        row.receiver = " ".join(part for part in (department, method) if part) or row.receiver
    else:
        row.receiver_department, row.receiver_method = split_receiver(row.receiver)


def extra_text(header: str, kind: ListKind, serial: int) -> str:
    """The text of an extra column's cell (some empty, as real ones are)."""
    if header == "履职依据":
        return f"《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》第{serial}条"
    if header == "备注":
        return "" if serial % 3 else f"{kind.label}，按年度调整"
    if header == "事项编码":
        return f"{KINDS.index(kind) + 1:02d}{serial:04d}"
    if header == "责任科室":
        return ("党建工作办公室", "经济发展办公室", "社会事务办公室")[serial % 3]
    return f"{serial % 20 + 1}个工作日"


# Columns a county may merge over rows that share their text (``Layout.merged_columns``).
MERGEABLE: dict[ListKind, tuple[str, ...]] = {
    ListKind.BASIC: (),
    ListKind.COOPERATIVE: ("departments", "upper_duties", "township_duties"),
    ListKind.RECLAIMED: ("receiver", "receiver_department", "receiver_method"),
}


def _make_runs(layout: Layout, kind: ListKind, rows: list[TruthRow]) -> None:
    """Rows of the layout's merged columns made to share their first row's text in runs of
    1–4 (never across a category change: a section or blank row may stand there)."""
    columns = [c for c in layout.merged_columns if c in layout.columns(kind)]
    rnd = random.Random(layout.run_seed * 7 + KINDS.index(kind))
    for column in columns:
        at = 0
        while at < len(rows):
            length = rnd.choice((1, 2, 2, 3, 4))
            first = rows[at]
            for row in rows[at + 1:at + length]:
                if row.category != first.category:
                    break
                _copy_cell(first, row, column, layout)
            at += length


def _copy_cell(source: TruthRow, row: TruthRow, column: str, layout: Layout) -> None:
    if column.startswith("extra:"):
        row.extra[column[6:]] = source.extra[column[6:]]
        return
    setattr(row, column, getattr(source, column))
    if column == "receiver":
        row.receiver_department, row.receiver_method = split_receiver(row.receiver)
    elif column in ("receiver_department", "receiver_method"):
        row.receiver = " ".join(p for p in (row.receiver_department, row.receiver_method)
                                if p) or row.receiver


def category_map(seed: str, words: int | None) -> dict[str, str]:
    """Seed category -> the word this layout prints (each seed word to a distinct one)."""
    categories = sorted({row["category"] for row in seed_truth()[seed]["rows"]})
    if words is None:
        return {c: c for c in categories}
    pool = list(OUTSIDE_CATEGORIES)
    random.Random(words).shuffle(pool)
    return dict(zip(categories, pool, strict=False))


def category_numbers(rows: list[TruthRow]) -> list[int]:
    """Each row's number within its category run (1, 2 … anew where the category changes)."""
    numbers: list[int] = []
    for at, row in enumerate(rows):
        numbers.append(numbers[-1] + 1 if at and rows[at - 1].category == row.category else 1)
    return numbers


def numbered_per_category(layout: Layout, rows: list[TruthRow]) -> bool:
    """Whether a list prints its numbers anew in each category (a list of one run does not
    show it: its numbers are its serials)."""
    return layout.serials_per_category and layout.categories != "none" and not (
        layout.no_serial) and any(
        a.category != b.category for a, b in pairwise(rows))


def expected(seed: str, layout: Layout) -> Truth:
    """The rows an extractor must read from ``seed`` printed as ``layout``. A list numbered
    anew in each category is read with each row's place in the list as its serial and the
    printed number in ``extra["序号"]``."""
    data = seed_truth()[seed]
    categories = category_map(seed, layout.category_words)
    rows: list[TruthRow] = []
    for record in data["rows"]:
        kind = ListKind(record["list"])
        if layout.rows is not None and record["serial"] > layout.rows:
            continue
        row = TruthRow(**record | {"list": kind})
        row.category = "" if layout.categories == "none" else categories[row.category]
        if kind == ListKind.RECLAIMED:
            _receiver(row, layout)
        row.extra = {header: extra_text(header, kind, row.serial)
                     for header, _ in sorted(layout.extra, key=lambda e: layout.columns(
                         kind).index(f"extra:{e[0]}"))}
        if department_rows(layout, kind) and len(names := split_departments(
                row.departments)) > 1:
            row.departments = " ".join(names)
        rows.append(row)
    for kind in KINDS:
        of_kind = [row for row in rows if row.list == kind]
        if layout.run_seed:
            _make_runs(layout, kind, of_kind)
        if numbered_per_category(layout, of_kind):
            for row, number in zip(of_kind, category_numbers(of_kind), strict=True):
                row.extra = {"序号": str(number), **row.extra}
    return Truth(layout.place, rows)


# The variations every format's tests read the five seeds in (a format's tests add their own).
VARIANTS: dict[str, Layout] = {
    "merged categories": Layout(place=XINJIANG, categories="merged"),
    "section rows": Layout(place=XINJIANG, categories="section"),
    "no categories": Layout(place=XINJIANG, categories="none"),
    "outside category words": Layout(place=XINJIANG, category_words=7),
    "two-row header": Layout(place=XINJIANG, two_row_header=True, receiver_split=True),
    "split receiver": Layout(place=XINJIANG, receiver_split=True),
    "extra columns": Layout(place=XINJIANG, extra=(("事项编码", 1), ("履职依据", -1),
                                                  ("备注", -1))),
    "other headers": Layout(place=XINJIANG, headers=tuple(
        (c, 3) for c in ("serial", "category", "name", "departments", "upper_duties",
                         "township_duties", "receiver"))),
    "township header, 协同/上收": Layout(place=XINJIANG, headers=(("township_duties", 3),),
                                      list_words=(0, 1, 2), title="township"),
    # words of other counties: 单位 for 部门, a duty column named by whose 职责 it holds
    "other counties' header words": Layout(place=XINJIANG, headers=(
        ("departments", "责任单位"), ("upper_duties", "牵头单位职责"),
        ("township_duties", "乡镇（街道）承担职责"), ("receiver", "承接单位及承接方式"))),
}


def draw_quirks(rnd: random.Random) -> dict[str, object]:
    """The quirk fields of a ``Layout``, each drawn on its own (about half the time)."""
    return {
        "table_title": rnd.choice(("", "", "title", "unit")),
        "footers": tuple(f for f in FOOTERS if rnd.random() < 0.35),
        "order": rnd.choice((0, 0, 1, 2, 3)),
        "serial_style": rnd.choice(("", "", *SERIAL_STYLES[1:])),
        "one_table": rnd.random() < 0.25,
        "stray_spaces": rnd.random() < 0.35,
        "serials_per_category": rnd.random() < 0.3,
        "no_serial": rnd.random() < 0.2,
    }


def draw_merges(rnd: random.Random, layout: Layout) -> dict[str, object]:
    """``Layout.merged_columns`` and ``run_seed`` for ``layout``: 1–3 of the columns it prints
    that counties merge over rows (``MERGEABLE``, its extra columns); a split receiver is
    printed across its two columns where it names neither part every other draw."""
    split = ("receiver_department", "receiver_method") if layout.receiver_split else (
        "receiver",)
    pool = [*MERGEABLE[ListKind.COOPERATIVE], *split,
            *(f"extra:{header}" for header, _ in layout.extra)]
    merged = tuple(rnd.sample(pool, rnd.randint(1, 3)))
    run_seed = rnd.randint(1, 10_000)
    return {"merged_columns": merged, "run_seed": run_seed,
            "receiver_across": layout.receiver_split and run_seed % 2 == 0,
            "department_rows": run_seed % 3 == 0}


def random_layout(rnd: random.Random, *, rows: int | None = 12, quirks: bool = True) -> Layout:
    """A layout drawn from ``rnd`` as ``layouts()`` draws one (for measurements over fixed
    draws, outside hypothesis)."""
    extra_headers = rnd.sample(EXTRA_COLUMNS, rnd.randint(0, 2))
    layout = Layout(
        place=rnd.choice(PLACES),
        title=rnd.choice(("full", "township")),
        list_words=(rnd.randint(0, 3), rnd.randint(0, 3), rnd.randint(0, 3)),
        headers=tuple((column, rnd.randint(0, 4)) for column in HEADERS),
        two_row_header=rnd.random() < 0.5,
        group=rnd.randint(0, 2),
        categories=rnd.choice(("column", "merged", "section", "none")),
        category_words=rnd.choice((None, rnd.randint(0, 10_000))),
        extra=tuple((h, rnd.choice((-1, 1))) for h in extra_headers),
        receiver_split=rnd.random() < 0.5,
        rows=rows,
    )
    return replace(layout, **draw_quirks(rnd)) if quirks else layout  # type: ignore[arg-type]


# Real tables' quirks, for the formats whose renderers print them (TSV, Word, Excel, web page):
# each one alone, with a choice that makes it harder where there is one.
QUIRK_VARIANTS: dict[str, Layout] = {
    "title and 填报单位 rows in the table": Layout(place=XINJIANG, table_title="unit",
                                              two_row_header=True),
    "注, 合计 and blank rows": Layout(place=XINJIANG, footers=FOOTERS, categories="merged"),
    "columns in another order": Layout(place=XINJIANG, order=3, two_row_header=True,
                                       categories="merged"),
    "serials （1）": Layout(place=XINJIANG, serial_style="paren", categories="section"),
    "serials 1.0": Layout(place=XINJIANG, serial_style="float"),
    "three lists in one table": Layout(place=XINJIANG, one_table=True, table_title="unit",
                                       footers=("total",)),
    "stray whitespace": Layout(place=XINJIANG, stray_spaces=True, headers=(("serial", 1),)),
    "serials anew in each section": Layout(place=XINJIANG, serials_per_category=True,
                                           categories="section"),
    "no 序号 column": Layout(place=XINJIANG, no_serial=True, categories="merged",
                            footers=("note", "total")),
    "no 序号 column, section rows": Layout(place=XINJIANG, no_serial=True, categories="section",
                                         order=1, two_row_header=True),
    "serials anew in each merged category": Layout(place=XINJIANG, serials_per_category=True,
                                                   categories="merged", serial_style="comma"),
}


# Columns merged over rows (``Layout.merged_columns``), for the formats that mark a merge
# (Word, Excel, web pages, PDF): a text export cannot tell a merged cell from an empty one.
MERGE_VARIANTS: dict[str, Layout] = {
    "牵头部门 merged over rows": Layout(place=XINJIANG, merged_columns=("departments",),
                                    run_seed=1),
    "duties merged, two-row header": Layout(place=XINJIANG, two_row_header=True,
                                            categories="merged", run_seed=2,
                                            merged_columns=("upper_duties", "township_duties")),
    "承接部门 | 工作方式 merged": Layout(place=XINJIANG, receiver_split=True, run_seed=3,
                                   merged_columns=("receiver_department", "receiver_method")),
    "receiver and extra columns merged, section rows": Layout(
        place=XINJIANG, categories="section", run_seed=4, extra=(("履职依据", -1), ("备注", -1)),
        merged_columns=("receiver", "extra:履职依据", "extra:备注")),
    "no 序号 column, departments merged": Layout(
        place=XINJIANG, no_serial=True, extra=(("责任科室", 1),), run_seed=5,
        merged_columns=("departments", "extra:责任科室")),
    "a row per department": Layout(place=XINJIANG, department_rows=True,
                                   extra=(("备注", -1),), run_seed=7,
                                   merged_columns=("extra:备注",)),
    "a row per department, no 序号, duties merged": Layout(
        place=XINJIANG, department_rows=True, no_serial=True, categories="merged",
        run_seed=6, merged_columns=("township_duties",)),
}


@st.composite
def layouts(draw: st.DrawFn, *, rows: int | None = 12, quirks: bool = False,
            merges: bool = False) -> Layout:
    """Any layout: every choice above drawn independently. ``quirks``: real tables' quirks
    too (titles and notes inside the table, other column orders, serial styles, one table
    for three lists, stray whitespace), for the formats whose renderers print them.
    ``merges``: columns merged over rows (``draw_merges``), for the formats that mark one."""
    extra_headers = draw(st.lists(st.sampled_from(EXTRA_COLUMNS), unique=True, max_size=2))
    layout = Layout(
        place=draw(st.sampled_from(PLACES)),
        title=draw(st.sampled_from(("full", "township"))),
        list_words=tuple(draw(st.integers(0, 3)) for _ in KINDS),  # type: ignore[arg-type]
        headers=tuple((column, draw(st.one_of(st.integers(0, 4),
                                              st.sampled_from(OTHER_HEADER_WORDS[column]))))
                      for column in HEADERS),
        two_row_header=draw(st.booleans()),
        group=draw(st.integers(0, 2)),
        categories=draw(st.sampled_from(("column", "merged", "section", "none"))),
        category_words=draw(st.one_of(st.none(), st.integers(0, 10_000))),
        extra=tuple((h, draw(st.sampled_from((-1, 1)))) for h in extra_headers),
        receiver_split=draw(st.booleans()),
        rows=rows,
    )
    if merges:  # columns merged over rows (``MERGE_VARIANTS``)
        layout = replace(layout, **draw_merges(draw(st.randoms(use_true_random=False)),  # type: ignore[arg-type]
                                               layout))
    if not quirks:
        return layout
    return replace(layout, **draw_quirks(draw(st.randoms(use_true_random=False))))  # type: ignore[arg-type]


# --- comparing ----------------------------------------------------------------------------

@dataclass(slots=True)
class Score:
    """How an extraction compares with the truth: rows and fields, and what differs."""

    rows_expected: int = 0
    rows_found: int = 0
    rows_matched: int = 0  # same list and serial
    fields_expected: int = 0
    fields_exact: int = 0
    place_ok: bool = True
    differences: list[str] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return (self.rows_found == self.rows_expected == self.rows_matched
                and self.fields_exact == self.fields_expected and self.place_ok)

    def __str__(self) -> str:
        head = (f"rows {self.rows_matched}/{self.rows_expected} (found {self.rows_found}), "
                f"fields {self.fields_exact}/{self.fields_expected}, "
                f"place {'ok' if self.place_ok else 'wrong'}")
        return "\n".join([head, *self.differences[:20]])


def _same(got: object, want: object) -> bool:
    """Equal, but for a no-break space read as a space (seed 004 prints one; a table reader
    makes it the space it is, a plain-text reader keeps the byte)."""
    if isinstance(got, dict) and isinstance(want, dict):
        return got.keys() == want.keys() and all(_same(got[k], want[k]) for k in want)
    if isinstance(got, str) and isinstance(want, str):
        return got.replace("\xa0", " ") == want.replace("\xa0", " ")
    return got == want


def score(items: list[Item], truth: Truth, *, place: tuple[str, str, str] | None = None) -> Score:
    """Compare stored items (after fill-down, as ``lvzhi.ingest.extract_file`` gives them)
    with the truth, field by field."""
    result = Score(rows_expected=len(truth.rows), rows_found=len(items))
    found = {(item.list, item.serial): item for item in items}
    for row in truth.rows:
        item = found.get((row.list, row.serial))
        result.fields_expected += len(FIELDS)
        if item is None:
            result.differences.append(f"{row.list} {row.serial}: missing")
            continue
        result.rows_matched += 1
        for name in FIELDS:
            want = getattr(row, name)
            got = getattr(item, name)
            if name in ("upper_duties", "township_duties"):
                got = "".join(got)
            if _same(got, want):
                result.fields_exact += 1
            else:
                result.differences.append(f"{row.list} {row.serial} {name}: "
                                          f"got {str(got)[:60]!r}, want {str(want)[:60]!r}")
    if place is not None:
        want_place = (truth.place.prefecture, truth.place.county, truth.place.township)
        result.place_ok = place == want_place
        if not result.place_ok:
            result.differences.insert(0, f"place: got {place}, want {want_place}")
    return result



# --- what a renderer prints ---------------------------------------------------------------

CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (section numbers)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_NUMERALS[tens - 1] + "十")
    return head + (CHINESE_NUMERALS[ones - 1] if ones else "")


@dataclass(slots=True)
class Printed:
    """One line of a printed table body: a section row (``section`` set, spanning the table)
    or a row of cells in ``Layout.columns`` order. ``merged_from_above`` marks cells covered by
    a vertically merged cell (a category printed only on the first row of its run)."""

    cells: list[str]
    section: str = ""
    merged_from_above: tuple[int, ...] = ()
    run_length: int = 1  # for the first row of a merged category run: how many rows it covers
    # For the first row of each merged run (the category's, ``Layout.merged_columns``'):
    # column index -> how many rows it covers.
    runs: dict[int, int] = field(default_factory=dict)
    # A cell printed across columns: its first column -> how many it spans (the others "").
    across: dict[int, int] = field(default_factory=dict)
    serial: int = 0  # the row's serial (0: a section, title or footer row)


def serial_text(serial: int, style: str) -> str:
    """A serial as a ``Layout.serial_style`` prints it."""
    return {"": f"{serial}", "dot": f"{serial}.", "comma": f"{serial}、",
            "paren": f"（{serial}）", "float": f"{serial}.0"}[style]


# Whitespace a converter or a typist leaves at a cell's ends: full-width spaces, line
# breaks, no-break spaces (none of it is text).
_STRAY = (("", ""), ("\u3000", ""), ("", "\n"), ("\n", " "), ("\xa0", "\xa0"), (" ", "\u3000\n"))


def stray(text: str, way: int) -> str:
    """``text`` with one of the kinds of stray whitespace at its ends (chosen by ``way``)."""
    if not text:
        return text
    head, tail = _STRAY[way % len(_STRAY)]
    return head + text + tail


def preamble_rows(layout: Layout, kind: ListKind) -> list[Printed]:
    """Rows a list's table prints above its header: in one table, the list's numbered title
    (``二、配合履职事项清单``); with ``table_title``, its title and, for "unit", a 填报单位
    row (the unit in the first cell, the date in the last)."""
    rows: list[Printed] = []
    if layout.one_table:
        number = chinese_numeral(KINDS.index(kind) + 1)
        rows.append(Printed([], section=f"{number}、{layout.list_title(kind)}"))
    elif layout.table_title:
        rows.append(Printed([], section=layout.list_title(kind)))
    if layout.table_title == "unit":
        width = len(layout.columns(kind))
        cells = [f"填报单位：{layout.place.township}人民政府（盖章）", *[""] * (width - 1)]
        cells[-1] = "填报时间：2025年3月"
        rows.append(Printed(cells))
    return rows


def footer_rows(layout: Layout, kind: ListKind, count: int) -> list[Printed]:
    """Rows after a list's body (``layout.footers``): 合计, a blank row, a 注 note."""
    columns = layout.columns(kind)
    rows: list[Printed] = []
    if "total" in layout.footers:
        cells = [""] * len(columns)
        cells[0] = "合计"
        cells[columns.index("name") or len(columns) - 1] = f"共{count}项"
        rows.append(Printed(cells))
    if "blank" in layout.footers:
        rows.append(Printed([""] * len(columns)))
    if "note" in layout.footers:
        rows.append(Printed([], section=NOTES[(KINDS.index(kind) + count) % len(NOTES)]))
    return rows


def printed_rows(truth: Truth, layout: Layout, kind: ListKind) -> list[Printed]:
    """A list's body as the layout prints it, for any renderer (footer rows included)."""
    rows = truth.of(kind)
    columns = layout.columns(kind)
    out: list[Printed] = []
    section_number = 0
    previous = None
    numbers = (category_numbers(rows) if numbered_per_category(layout, rows)
               else [row.serial for row in rows])
    for at, row in enumerate(rows):
        if layout.categories == "section" and row.category != previous:
            section_number += 1
            out.append(Printed([], section=f"{chinese_numeral(section_number)}、{row.category}"))
        elif "blank" in layout.footers and previous is not None and (
                row.category != previous if layout.categories != "none" else at % 5 == 0):
            # a blank row between runs (never inside a merged one)
            out.append(Printed([""] * len(columns)))
        cells = []
        across = layout.receiver_across and "receiver_method" in columns and not (
            row.receiver_department or row.receiver_method)
        for column in columns:
            if across and column == "receiver_department":
                cells.append(row.receiver)  # printed across both columns
            elif column == "serial":
                cells.append(serial_text(numbers[at], layout.serial_style))
            elif column.startswith("extra:"):
                cells.append(row.extra[column[6:]])
            else:
                cells.append(getattr(row, column))
        if layout.stray_spaces:
            cells = [stray(cell, at + number) for number, cell in enumerate(cells)]
        printed = Printed(cells, serial=row.serial)
        if across:
            printed.across[columns.index("receiver_department")] = 2
        if layout.categories == "merged" and "category" in columns:
            c = columns.index("category")
            if row.category == previous:
                printed.cells[c] = ""
                printed.merged_from_above = (c,)
            else:
                run = 1
                while at + run < len(rows) and rows[at + run].category == row.category:
                    run += 1
                printed.run_length = run
                printed.runs[c] = run
        previous = row.category
        out.append(printed)
    _merge_runs(layout, columns, rows, out)
    if department_rows(layout, kind):
        out = _rows_per_department(columns, out)
    return out + footer_rows(layout, kind, len(rows))


def department_rows(layout: Layout, kind: ListKind) -> bool:
    """Whether ``layout`` prints ``kind``'s matters of several departments a row per
    department (never where the department column is itself merged over rows)."""
    return (layout.department_rows and kind == ListKind.COOPERATIVE
            and "departments" in layout.columns(kind)
            and "departments" not in layout.merged_columns)


def _rows_per_department(columns: list[str], out: list[Printed]) -> list[Printed]:
    """``out`` with each row naming several departments printed as a row per department:
    the department cell on each, every other cell merged down over them all (a run it
    already stands in grows by the rows added)."""
    d = columns.index("departments")
    category = columns.index("category") if "category" in columns else None
    result: list[Printed] = []
    for line in out:
        result.append(line)
        names = split_departments(line.cells[d]) if line.serial and not line.section else []
        if len(names) < 2:
            continue
        added = len(names) - 1
        line.cells[d] = names[0]
        for c in range(len(columns)):
            if c == d:
                continue
            if c in line.merged_from_above:  # the run's first line is above: it grows
                first = next(above for above in reversed(result[:-1]) if c in above.runs)
            else:
                first = line
                first.runs.setdefault(c, 1)
            first.runs[c] += added
            if c == category:
                first.run_length = first.runs[c]
        cover = tuple(c for c in range(len(columns)) if c != d)
        for name in names[1:]:
            cells = [""] * len(columns)
            cells[d] = name
            result.append(Printed(cells, merged_from_above=cover, serial=line.serial))
    return result


def _merge_runs(layout: Layout, columns: list[str], rows: list[TruthRow],
                out: list[Printed]) -> None:
    """Runs of equal, non-empty cells in ``layout.merged_columns`` printed as one merged cell:
    its text on the run's first line, the lines below covered (a run ends at any line that
    is no body row: a section or blank row)."""
    values = {row.serial: row for row in rows}
    for column in layout.merged_columns:
        if column not in columns:
            continue
        c = columns.index(column)

        def value(line: Printed, c: int = c, column: str = column) -> str:
            row = values[line.serial]
            return row.extra[column[6:]] if column.startswith("extra:") else getattr(row, column)

        first: Printed | None = None
        for line in out:
            if not line.serial or line.section:
                first = None
                continue
            if first is not None and value(line) and value(line) == value(first):
                line.cells[c] = ""
                line.merged_from_above = (*line.merged_from_above, c)
                first.runs[c] = first.runs.get(c, 1) + 1
            else:
                first = line


def extract_and_score(path: Path, data: bytes, truth: Truth,
                      forced: str | None = None) -> tuple[Score, Extraction]:
    """Write ``data`` to ``path``, read it as ingest does, and score it against ``truth``."""
    from lvzhi.ingest import extract_file
    from lvzhi.plugins import load_plugins

    path.write_bytes(data)
    extraction = extract_file(_registry(load_plugins), path, forced)
    doc = extraction.document
    return score(extraction.items, truth,
                 place=(doc.prefecture, doc.county, doc.township)), extraction


@cache
def _registry(load: Callable[[list[Path]], Registry]) -> Registry:
    return load([])
