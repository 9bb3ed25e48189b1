"""The words of duty lists, the same in every format: list titles, column headers, categories,
place names in titles, numbered steps, department names.

Extractors use these to recognise what they see; ``lvzhi.normalize`` uses them to derive
canonical fields. Nothing here knows about a file format.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from lvzhi.model import ListKind
from lvzhi.text import fold, strip_spaces

# --- list titles -------------------------------------------------------------------------

_TOC_RE = re.compile(r"(\.{3,}|…{2,}|·{3,})|[（(]?\d+[)）]?\s*$")
# Words that name each list in its title, tried in this order (上级部门收回 holds 部门; a
# reclaimed title never says 配合). Counties write 协同 for 配合 and 上收 for 收回.
TITLE_WORDS: tuple[tuple[ListKind, tuple[str, ...]], ...] = (
    (ListKind.RECLAIMED, ("收回", "上收", "收归")),
    (ListKind.COOPERATIVE, ("配合", "协同", "协助")),
    (ListKind.BASIC, ("基本",)),
)


def list_kind_of_title(line: str) -> ListKind | None:
    """The list a section title announces, or None if the line is not a list title.

    Titles vary (``配合履职事项`` without 清单, ``收回履职事项清单``, ``上级部门收回事项清单``,
    ``协同履职事项清单``, ``上收事项清单``); a table-of-contents entry (dot leaders, a page
    number) is not a title.
    """
    text = strip_spaces(line)
    if not text or len(text) > 60 or _TOC_RE.search(text):
        return None
    if not re.search(r"事项(清单)?$|清单$", text):
        return None
    for kind, words in TITLE_WORDS:
        if any(word in text for word in words):
            return kind
    return None


def is_toc_line(line: str) -> bool:
    return bool(re.search(r"\.{3,}|…{2,}", line))


# --- column headers ----------------------------------------------------------------------

# Words that appear only in the header of one list kind (a header run together as one line,
# as a plain-text dump prints it).
HEADER_WORDS: dict[ListKind, tuple[str, ...]] = {
    ListKind.COOPERATIVE: ("对应上级部门", "上级部门职责", "配合职责", "牵头部门", "责任部门",
                           "部门职责", "乡镇职责", "（街道）职责", "镇街职责"),
    ListKind.RECLAIMED: ("承接部门", "工作方式", "承接方式", "承接单位"),
    ListKind.BASIC: (),
}
BASE_HEADER_WORDS = ("序号", "事项类别", "事项名称")

# Model columns in their usual order, per list kind: what a header that names too few
# columns is read as.
COLUMNS: dict[ListKind, tuple[str, ...]] = {
    ListKind.BASIC: ("serial", "category", "name"),
    ListKind.COOPERATIVE: ("serial", "category", "name", "departments", "upper_duties",
                           "township_duties"),
    ListKind.RECLAIMED: ("serial", "category", "name", "receiver"),
}
# The printed name of each model column (messages, the report's header mapping).
COLUMN_LABELS: dict[str, str] = {
    "serial": "序号", "category": "事项类别", "name": "事项名称", "departments": "对应上级部门",
    "upper_duties": "上级部门职责", "township_duties": "乡镇配合职责",
    "receiver": "承接部门及工作方式", "receiver_department": "承接部门",
    "receiver_method": "工作方式",
}

# The header synonym table: every table reader maps header cells to model columns with it.
# Entries are tried in order, and the first whose word stands in the cell (spaces removed)
# names its column, so a longer or more specific word comes before a word it contains
# (上级部门职责 holds 上级部门; 事项类别 holds 事项; 承接部门及工作方式 holds 承接部门).
# ``EXTRA_HEADER_WORDS`` are tried first: 事项编码 or 责任科室 is no name nor department.
EXTRA_HEADER_WORDS = ("依据", "备注", "编码", "代码", "科室", "股室", "时限", "期限", "说明",
                      "责任人", "联系", "电话", "标准", "流程", "对象", "形式", "条件", "来源")
HEADER_SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("serial", ("序号", "编号", "序次")),
    ("category", ("类别", "类型", "分类", "领域")),
    ("receiver", ("承接部门及工作方式", "承接部门和工作方式", "承接单位及方式", "承接部门及方式",
                  "承接单位及工作方式", "承接部门及承接方式", "承接部门（单位）及工作方式")),
    ("receiver_department", ("承接部门", "承接单位", "收回部门", "上收部门", "承接主体",
                             "承接机构")),
    ("receiver_method", ("工作方式", "承接方式", "履职方式", "收回方式")),
    ("township_duties", ("配合职责", "协同职责", "乡镇职责", "镇职责", "乡职责", "街道职责",
                         "镇街职责", "（街道）职责", "(街道)职责", "苏木职责")),
    ("upper_duties", ("部门职责", "上级职责", "县级职责", "牵头职责", "主办职责")),
    ("departments", ("上级部门", "对应部门", "牵头部门", "主管部门", "责任部门", "职能部门",
                     "业务部门", "县级部门", "主办部门", "部门", "单位")),
    ("name", ("名称", "事项", "内容")),
)
# A receiver's whole cell: who takes the matter over and how (its words in any wording).
# (the two joined by 及/和/与: a two-column header run together, 承接部门工作方式, is no whole)
_RECEIVER_WHOLE_RE = re.compile(
    r"(?:承接|收回|上收)[^及和与、]*?(?:部门|单位|主体|机构)(?:[（(][^）)]*[）)])?[及和与、].*?方式")
# Who a duty column's 职责 belong to: the township's side (not 城乡 or 城镇 of a department's
# name, 住房和城乡建设局职责), or the department's.
_TOWNSHIP_SIDE_RE = re.compile(r"(?<!城)[乡镇]|街道|苏木|属地")
_UPPER_SIDE_RE = re.compile(r"部门|单位|上级|县|牵头|主管|主责|主办")
_TOWNSHIP_DUTY_WORDS = dict(HEADER_SYNONYMS)["township_duties"]
# The top cell of a two-row header over the duty (or receiver) columns: names no column.
HEADER_GROUPS = frozenset(("职责分工", "职责划分", "具体职责", "职责", "分工", "部门分工",
                           "工作职责", "职责任务", "承接情况", "承接", "收回后承接"))


def names_whole_receiver(cell: str) -> bool:
    """Whether a header cell names the receiver whole: who takes the matter over and how
    (承接部门及工作方式, 承接单位及承接方式), not one of its two columns."""
    return bool(_RECEIVER_WHOLE_RE.search(strip_spaces(cell)))


@lru_cache(maxsize=1024)
def column_of_header(cell: str) -> str | None:
    """The model column a header cell names (``serial`` … ``receiver_method``), or None for a
    column the model has no field for (备注, 履职依据, 事项编码 …) or a group cell of a
    two-row header (职责分工). Spaces, full-width ones included, do not count (``序　号``)."""
    text = strip_spaces(cell)
    if not text or any(word in text for word in EXTRA_HEADER_WORDS):
        return None
    if text in HEADER_GROUPS:
        return None  # a group over the duty (or receiver) columns
    if names_whole_receiver(text):
        return "receiver"  # 承接单位及承接方式, 上收后承接部门和履职方式 …
    if "职责" in text and "承接" not in text:
        # a duty column by whose side it names: 乡镇承担职责, 部门主要职责, 牵头单位职责 (the
        # township's words first: 县城镇配合职责 is a township's)
        if any(word in text for word in _TOWNSHIP_DUTY_WORDS) or _TOWNSHIP_SIDE_RE.search(text):
            return "township_duties"
        if _UPPER_SIDE_RE.search(text):
            return "upper_duties"
    for column, words in HEADER_SYNONYMS:
        if any(word in text for word in words):
            return column
    return None


# What a duty column's header may call the duties (部门履职内容, 乡镇工作任务) besides 职责.
_DUTY_CONTENT_RE = re.compile(r"职责|内容|任务")


def duty_column_of_header(cell: str) -> str | None:
    """The duty column a header cell names by its side and the duties' word, whatever else
    it names first (部门履职内容 names 部门, 乡镇履职内容 names 内容): ``upper_duties``,
    ``township_duties`` or None. For a cell whose first reading another column has taken."""
    text = strip_spaces(cell)
    if "承接" in text or not _DUTY_CONTENT_RE.search(text):
        return None
    if _TOWNSHIP_SIDE_RE.search(text):
        return "township_duties"
    return "upper_duties" if _UPPER_SIDE_RE.search(text) else None


def list_kind_of_columns(columns: list[str | None]) -> ListKind | None:
    """The list a header's columns make (None: no serial or no name, so not a header)."""
    named = set(columns)
    if "serial" not in named or "name" not in named:
        return None
    if named & {"receiver", "receiver_department", "receiver_method"}:
        return ListKind.RECLAIMED
    if named & {"departments", "upper_duties", "township_duties"}:
        return ListKind.COOPERATIVE
    return ListKind.BASIC


def list_kind_of_header(cells_or_line: str | list[str]) -> ListKind | None:
    """The list kind a column header belongs to, or None if this is not a header.

    Accepts the header's cells (each read through ``column_of_header``) or its text run
    together (a header wrapped over several lines in a PDF dump can be joined first).
    """
    if isinstance(cells_or_line, list):
        if not any(cells_or_line) or strip_spaces(cells_or_line[0] or "")[:1].isdigit():
            return None
        kind = list_kind_of_columns([column_of_header(cell or "") for cell in cells_or_line])
        if kind is not None:
            return kind
    text = strip_spaces("".join(c or "" for c in cells_or_line)
                        if isinstance(cells_or_line, list) else cells_or_line)
    if "序号" not in text and not text.startswith(("序", "编号", "序次")):
        return None
    if not any(word in text for word in ("名称", "履职事项", "事项类别", "内容")):
        return None
    for kind in (ListKind.COOPERATIVE, ListKind.RECLAIMED):
        if any(word in text for word in HEADER_WORDS[kind]):
            return kind
    return ListKind.BASIC


# --- categories --------------------------------------------------------------------------

CATEGORIES: tuple[str, ...] = (
    "党的建设", "经济发展", "民生服务", "平安法治", "乡村振兴", "精神文明建设", "社会管理",
    "安全稳定", "社会保障", "自然资源", "生态环保", "城乡建设", "交通运输", "文化和旅游",
    "卫生健康", "应急管理及消防", "市场监管", "投资促进", "综合政务", "商贸流通", "民族宗教",
    "教育培训监管", "教育", "农业农村", "水利", "林业草原", "退役军人服务", "统计",
    "人民武装",
)
# Printed variants that are the same category.
CATEGORY_ALIASES: dict[str, str] = {
    "应急消防及管理": "应急管理及消防",
    "应急管理和消防": "应急管理及消防",
    "文化旅游": "文化和旅游",
    "文旅": "文化和旅游",
    "生态环境保护": "生态环保",
    "生态环境": "生态环保",
    "平安建设": "平安法治",
    "精神文明": "精神文明建设",
}
_CATEGORY_BY_KEY = {fold(c): c for c in CATEGORIES} | {
    fold(k): v for k, v in CATEGORY_ALIASES.items()
}
_CATEGORY_BY_CHARS = {"".join(sorted(fold(c))): c for c in CATEGORIES}


@lru_cache(maxsize=1024)  # asked for every row several times (reading, report, store)
def canonical_category(printed: str) -> str | None:
    """The canonical category for a printed one, or None if it is not a known category.

    Word order does not matter (应急管理及消防 = 应急消防及管理): the same characters in
    another order are the same category.
    """
    key = fold(printed)
    if key in _CATEGORY_BY_KEY:
        return _CATEGORY_BY_KEY[key]
    return _CATEGORY_BY_CHARS.get("".join(sorted(key)))


def category_prefixes() -> set[str]:
    """Every non-empty prefix of every known category: what a wrapped category cell starts as."""
    return {c[:i] for c in (*CATEGORIES, *CATEGORY_ALIASES) for i in range(1, len(c) + 1)}


# --- places ------------------------------------------------------------------------------

from lvzhi.places import Place, merge_places, parse_place, same_township  # noqa: E402, F401, I001


# --- steps and departments ---------------------------------------------------------------

_STEP_RE = re.compile(r"(?<![\d.．])(\d{1,2})[.．、](?!\d)")
_HEADING_END = "：:；;。！？ 　"


def split_steps(cell: str) -> list[str]:
    """Split a duty cell at its own numbering (``1.`` ``2．`` ``3、``), keeping every character.

    A number starts a step only if it continues the sequence (so ``5个工作日`` or ``1:3的比例``
    never do); numbering may restart at 1 after a heading such as ``考核：``. Text before the
    first number is a step of its own. ``"".join(split_steps(c)) == c`` always holds.
    """
    if not cell:
        return []
    cuts: list[int] = []
    expected = 1
    for m in _STEP_RE.finditer(cell):
        number, at = int(m.group(1)), m.start()
        before = cell[at - 1] if at else ""
        if number == expected and (at == 0 or expected > 1 or before in _HEADING_END
                                   or not cuts):
            cuts.append(at)
            expected += 1
        elif number == 1 and expected > 2 and before in _HEADING_END:
            cuts.append(at)
            expected = 2
    if not cuts:
        return [cell]
    bounds = ([0] if cuts[0] != 0 else []) + cuts + [len(cell)]
    return [cell[a:b] for a, b in pairwise(bounds) if b > a]


# How a department's name ends: a piece that does not end so was cut by a stray space
# (``农业 农村局``) and belongs to the next piece.
_DEPARTMENT_END_RE = re.compile(
    r"(局|部|委|办|院|会|队|所|站|中心|室|处|厅|馆|团|社|行|科|组|联|署|庭|公司|分局|政府|"
    r"机关|协会|集团|办公室|工委|党委|支部|法庭|银行|保险|供电|电力|邮政|气象|消防)$")


def split_departments(cell: str) -> list[str]:
    """Department names in a 对应上级部门 cell (``县委宣传部、县文旅局`` -> two names).

    Only a space that follows a complete name separates names; ``农业 农村局`` (a converter's
    stray space) stays one name.
    """
    names: list[str] = []
    for match in re.finditer(r"[^、，,；;/]+", cell):
        pieces = match.group().split()
        name = ""
        for piece in pieces:
            name += piece
            if _DEPARTMENT_END_RE.search(name):
                names.append(name)
                name = ""
        if name:
            names.append(name)
    return names


# --- receivers ---------------------------------------------------------------------------

_RECEIVER_DEPARTMENT_LABEL_RE = re.compile(r"^\s*(?:承接部门|承接单位)\s*[:：]\s*")
_RECEIVER_METHOD_LABEL_RE = re.compile(r"(?:工作方式|承接方式)\s*[:：]\s*")
# An unlabelled receiver that opens with a department and a colon (``县市场监督管理局：负责…``).
_RECEIVER_LEAD_RE = re.compile(
    r"^\s*([^：:，,。；;\s]{2,30}?(?:局|委|办|院|中心|站|所|队|部|会|政府|办公室))\s*[:：]\s*(\S.*)$",
    re.DOTALL)
_PART_SEPARATORS = " \t\n　；;，,。"


def split_receiver(cell: str) -> tuple[str, str]:
    """(department, method) of a 承接部门及工作方式 cell where the cell labels them
    (``承接部门：县民政局；工作方式：…``, ``市人社局承接方式：由市人社局负责…``) or opens with a
    department and a colon; ("", "") where it does neither (``不再开展此项工作``). The parts are
    the cell's own text, labels and separators left out."""
    text = cell.strip()
    method_label = _RECEIVER_METHOD_LABEL_RE.search(text)
    department_label = _RECEIVER_DEPARTMENT_LABEL_RE.match(text)
    if method_label:
        start = department_label.end() if department_label else 0
        department = text[start:method_label.start()].strip(_PART_SEPARATORS)
        return department, text[method_label.end():].strip()
    if department_label:
        return text[department_label.end():].strip(_PART_SEPARATORS), ""
    if lead := _RECEIVER_LEAD_RE.match(text):
        return lead.group(1), lead.group(2).strip()
    return "", ""
