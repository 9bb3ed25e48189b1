"""One name for each department, however a list spells it.

Lists name the same office in many ways: ``伊吾县市场监督管理局``, ``县市监局``, ``市场监管局等其他
负有安全生产监督管理职责的部门``, ``师市市场监管局``. ``department_keys`` folds a printed name to a
set of short canonical keys (``{"市场监管"}``) so two rows can be asked whether they name the
same office. Shared by matching (a lead department that agrees is evidence, one that disagrees
is evidence against) and the explorer's department view.

The folding, in order:

1. width folded, spaces dropped; text after ``等`` (``…局等其他负有…部门``) dropped;
2. a parenthesis names the same office another way (``市政府办（数字化发展局）``,
   ``自然资源和规划局（林业和草原局）``): each part is folded and the keys are pooled;
3. place names masked away (counties, prefectures, the Corps' divisions; a county's branch
   ``州生态环境局伊宁市分局`` loses both places);
4. ``ABBREVIATIONS`` is scanned for every spelling it knows, longest first, anywhere in
   what is left, so a level prefix (县/市/区/州/自治州/师市/师) needs no rule there, and a
   name can hold several offices (``商务和工业信息化局`` → 商务, 工信);
5. a name the table does not know keeps its own key: the name without its level prefix
   (师市, 自治州, 地区, 州, 县, 区, 师, 市 where it is not 市场/市容 …) and its office suffix
   (局, 委员会, 委, 办公室, 办, 部, 中心), so ``气象站`` and ``县气象站`` still agree; text that
   does not end like an office (a sentence in a department cell) has no key.

Extend the table, not the rules, when a new spelling turns up: each key lists its spellings,
full name first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lvzhi.text import fold

# canonical key -> spellings (full name first). Spellings are matched as substrings of a name
# whose place and level prefix are gone, longest spelling first over all keys.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "市场监管": ("市场监督管理局", "市场监管局", "场监督管理局", "市监局", "市场监管"),
    "人社": ("人力资源和社会保障局", "人力资源社会保障局", "人社局"),
    "住建": ("住房和城乡建设局", "住房城乡建设局", "住建局"),
    "卫健": ("卫生健康委员会", "卫生健康健委员会", "卫生健康委", "卫健委", "卫健局"),
    "发改": ("发展和改革委员会", "发展改革委员会", "发展改革委", "发改委"),
    "交通": ("交通运输局", "交通局"),
    "文旅": ("文化体育广播电视和旅游局", "文化体育广电和旅游局", "文化和旅游局", "文体广旅局",
           "文旅局"),
    "林草": ("林业和草原局", "林业草原局", "林业林草局", "林草局", "林业局"),
    "残联": ("残疾人联合会", "残联"),
    "商务": ("商务和工业信息化局", "商务科技和工业信息化局", "商务工信局", "商务局"),
    "工信": ("商务和工业信息化局", "商务科技和工业信息化局", "工业和信息化局", "商务工信局",
           "工信局"),
    "科技": ("商务科技和工业信息化局", "科学技术局", "科技局"),
    "编办": ("机构编制委员会办公室", "编委办", "编办"),
    "网信": ("网络安全和信息化委员会办公室", "网信委办", "网信办"),
    "统战": ("统一战线工作部", "统战部"),
    "组织": ("组织部",),
    "宣传": ("宣传部",),
    "政法": ("政法委员会", "政法委"),
    "社会工作": ("社会工作部", "社工部"),
    "人大": ("人民代表大会常务委员会办公室", "人民代表大会常务委员会", "人大常委会办公室",
           "人大常委会", "人大办公室", "人大办"),
    "政协": ("中国人民政治协商会议", "政治协商会议", "政协办公室", "政协办", "政协"),
    "巡察": ("巡察工作领导小组办公室", "巡察办"),
    "史志": ("党史和文献研究室", "党史研究室", "地方志办公室", "档案史志馆", "史志办"),
    "农办": ("农村工作领导小组办公室", "农办"),
    "医保": ("医疗保障局", "医保局"),
    "城管": ("城市管理局", "城市管理综合执法局", "城管局"),
    "自然资源": ("自然资源和规划局", "自然资源局"),
    "生态环境": ("生态环境局", "生态环境"),
    "消防": ("消防救援局", "消防救援大队", "消防大队"),
    "数据": ("数字化发展局", "数据局"),
    "工会": ("总工会",),
    "妇联": ("妇女联合会", "妇联"),
    "科协": ("科学技术协会", "科协"),
    "文联": ("文学艺术界联合会", "文联"),
    "红十字会": ("红十字会",),
    "税务": ("税务局",),
    "法院": ("人民法院",),
    "退役军人": ("退役军人事务局",),
    "农业农村": ("农业农村局", "农业农村委员会", "农业局"),
    "畜牧兽医": ("畜牧兽医局", "畜牧局"),
    "水利": ("水利局",),
    "民政": ("民政局",),
    "司法": ("司法局",),
    "公安": ("公安局", "派出所"),
    "财政": ("财政局",),
    "教育": ("教育局",),
    "应急": ("应急管理局",),
    "统计": ("统计局",),
    "气象": ("气象局",),
    "供电": ("供电公司", "供电局"),
    "征收": ("征收办",),
    "人影": ("人工影响天气保障中心", "人工影响天气"),
    # 县政府办 and 市政府办 (市政 is not taken for a level: 市政工程 is an office's word).
    "政府办": ("人民政府办公室", "政府办公室", "政府办"),
}

# Level words that open a department's name under any county, city, prefecture or division.
_LEVEL = re.compile(r"^(师市|自治州|地区|兵团|州|县|区|师|市(?!场|容|政|民))")
_SUFFIX = re.compile(r"(委员会办公室|委员会|办公室|局|委|办|部|中心|分局)$")
_OFFICE = re.compile(r"(局|委员会|委|办公室|办|部|中心|会|馆|所|站|队|公司|院)$")
_PAREN = re.compile(r"[（(]([^）)]*)[）)]")


@lru_cache(maxsize=1)
def _spellings() -> re.Pattern[str]:
    spellings = {s for names in ABBREVIATIONS.values() for s in names}
    return re.compile("|".join(map(re.escape, sorted(spellings, key=len, reverse=True))))


@lru_cache(maxsize=1)
def _keys_of_spelling() -> dict[str, frozenset[str]]:
    keys: dict[str, set[str]] = {}
    for key, names in ABBREVIATIONS.items():
        for name in names:
            keys.setdefault(name, set()).add(key)
    return {name: frozenset(k) for name, k in keys.items()}


def _without_places(text: str) -> str:
    from lvzhi.places import place_masker

    kept, at = [], 0
    for start, end in place_masker().spans(text):
        kept.append(text[at:start])
        at = end
    return "".join(kept) + text[at:]


def _strip_level(text: str) -> str:
    while (stripped := _LEVEL.sub("", text)) != text:
        text = stripped
    # 党委组织部 / 县委组织部 / 市委组织部: the party committee's own word goes with its level.
    return re.sub(r"^党?委", "", text)


def _keys_of_part(part: str) -> set[str]:
    text = _without_places(part)
    found: set[str] = set()
    table = _keys_of_spelling()
    for m in _spellings().finditer(text):
        found |= table[m.group()]
    if found:
        return found
    # Not in the table: the name itself, once its level and office suffix are gone, and
    # only if it reads as an office at all (a sentence in a department cell is none).
    text = _strip_level(text)
    if not _OFFICE.search(text):
        return set()
    own = _SUFFIX.sub("", text)
    return {own} if len(own) >= 2 else set()


@lru_cache(maxsize=4096)
def department_keys(name: str) -> frozenset[str]:
    """The canonical keys of one printed department name (empty when it names none)."""
    text = re.sub(r"\s+", "", fold(name))
    text = text.split("等", 1)[0]
    parts = [_PAREN.sub("", text), *_PAREN.findall(text)]
    keys: set[str] = set()
    for part in parts:
        keys |= _keys_of_part(part)
    return frozenset(keys)


def canonical_department(name: str) -> str:
    """One display key for a printed name (the keys joined, sorted), "" when none."""
    return "、".join(sorted(department_keys(name)))


# A reclaimed row names who takes the duty back at the start of its receiver: "县人社局 承接方式：
# …", "承接部门：师市民政局 工作方式：…", "伊吾县民政局：负责本行政区域…".
_RECEIVER_END = re.compile(r"承接方式|工作方式|[:：;；。,，]|\d+[.、]|落实|负责|由")


def receiver_department(receiver: str) -> str:
    """The department(s) a reclaimed row's receiver text names first ("" when none)."""
    text = re.sub(r"\s+", "", fold(receiver))
    text = re.sub(r"^承接(部门|单位)[:：]?", "", text)
    m = _RECEIVER_END.search(text)
    head = text[:m.start()] if m else text
    return head if len(head) <= 40 else ""


def row_departments(department_names: tuple[str, ...] | list[str], receiver: str = ""
                    ) -> frozenset[str]:
    """Every department key of a row: its lead departments, else its receiver's."""
    keys: set[str] = set()
    for name in department_names:
        keys |= department_keys(name)
    if not keys and receiver:
        keys |= department_keys(receiver_department(receiver))
    return frozenset(keys)


def lead_departments(department_names: tuple[str, ...] | list[str], receiver: str = ""
                     ) -> frozenset[str]:
    """The keys of the lead department: the first one a row names (lists print the lead
    first: 市监局、市发展改革委员会), else the first its receiver names."""
    for name in department_names:
        if keys := department_keys(name):
            return keys
    return department_keys(receiver_department(receiver)) if receiver else frozenset()
