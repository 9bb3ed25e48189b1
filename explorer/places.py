"""Where a list comes from: prefecture, county and township read from its titles.

Titles run the names together (``浙江省温州市龙港市龙港街道基本履职事项清单``), and names
hold the very characters that end others (伽**师**县, 阿拉尔**市**, **市**中区, 城**区**), so
suffix rules alone misread them. The names the gazetteer knows (``lvzhi.gazetteer``) are
matched from the left instead, as a chain province › prefecture › county in which each name
must lie in the one before it; whatever follows the county is the township (the gazetteer
has no township level). How a title is read:

- the province or prefecture in the title decides between counties that share a name
  (朝阳区 in 北京市 and in 长春市); without either, a county that names one place gives its
  prefecture, and one that names several leaves the prefecture empty (another title of the
  document may give it: ``merge_places``);
- a skipped level holds the unit that governs directly (see ``lvzhi.gazetteer``):
  北京市东城区 -> (北京市, 东城区), 湖北省仙桃市 -> (湖北省, 仙桃市), 石河子市 -> (第八师,
  石河子市), 东莞市虎门镇 -> (东莞市, 东莞市, 虎门镇);
- a title naming only the township gives only the township;
- names the gazetteer does not know fall back to suffix rules (``某某市某某县某某镇``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from lvzhi.gazetteer import COUNTY, PREFECTURE, PROVINCE, Gazetteer, Unit, gazetteer
from lvzhi.text import strip_spaces

# What follows the place in a title: the list's words, a note in brackets, 人民政府.
_LIST_WORDS_RE = re.compile(
    r"(基本|配合|协同|协助|上级部门收回|上级部门上收|上级部门|收回|上收|收归)?(履职)?事项(清单)?$"
    r"|清单$")
_TRAILING_NOTE_RE = re.compile(r"[（(][^（()）]*[)）]$")
_GOVERNMENT_RE = re.compile(r"(党委|党委和政府|人民政府|政府)$")
# A number before a title in a table of contents or a numbered heading (1. / 二、 / （三）).
_LEADING_NUMBER_RE = re.compile(r"^(?:\d{1,3}[.．、]|[一二三四五六七八九十]{1,3}、"
                                r"|[（(](?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）])")
# How a township's name ends; a 兵团 regiment is named by its number alone (一四三团).
_TOWNSHIP_END = r"(?:街道办事处|街道|民族乡|民族苏木|苏木|乡|镇)"
_REGIMENT = r"(?:[一二三四五六七八九十〇零百\d]+团场?)"
_TOWNSHIP_RE = re.compile(rf"{_REGIMENT}|.+?{_TOWNSHIP_END}")
_BARE_TOWNSHIP_RE = re.compile(rf"{_TOWNSHIP_END}|办事处")
# Unknown names, cut by their level words (the province is dropped: it is no field).
_LEVEL_WORDS = (r"(?:自治区|自治州|自治县|自治旗|地区|省|盟|州|市|县|区|旗"
                r"|街道办事处|街道|民族乡|乡|镇|苏木)")
_UNIT_RE = re.compile(rf"{_REGIMENT}$|.*?{_LEVEL_WORDS}")
_LEVEL_WORD_RE = re.compile(_LEVEL_WORDS)
# The townships together, no one township (苍南县乡镇（街道）履职事项清单: a county's cover).
_ALL_TOWNSHIPS_RE = re.compile(r"[各全]?(?:乡|镇|街道|苏木|办事处)"
                               r"(?:[（(、/和及与]*(?:乡|镇|街道|苏木|办事处)[）)]?)*")
_PROVINCE_RE = re.compile(r"^.*?(自治区|省)")


@dataclass(slots=True)
class Place:
    prefecture: str = ""
    county: str = ""
    township: str = ""

    def complete(self) -> bool:
        return bool(self.prefecture and self.county and self.township)


def _clean(title: str) -> str:
    text = _LEADING_NUMBER_RE.sub("", strip_spaces(title))
    while True:
        shorter = _GOVERNMENT_RE.sub("", _LIST_WORDS_RE.sub("", _TRAILING_NOTE_RE.sub("", text)))
        if shorter == text:
            return text
        text = shorter


def _township(rest: str) -> tuple[str, bool]:
    """The township ``rest`` (what follows the county) names, and whether it says nothing
    else."""
    if not rest:
        return "", True
    if _TOWNSHIP_RE.fullmatch(rest):
        return rest, True
    m = _TOWNSHIP_RE.match(rest)
    return (m.group(), False) if m else ("", False)


def _by_suffix(text: str) -> Place:
    """The place read from level words alone: names the gazetteer does not know."""
    units: list[str] = []
    for unit in _UNIT_RE.findall(_PROVINCE_RE.sub("", text)):
        if units and _LEVEL_WORD_RE.fullmatch(unit):
            units[-1] += unit  # 城区 + 街道: one township's name
        else:
            units.append(unit)
    place = Place()
    if units and _TOWNSHIP_RE.fullmatch(units[-1]):
        place.township = units.pop()
    if units:
        place.county = units.pop()
    if units:
        place.prefecture = units.pop()
    return place


def _fits(unit: Unit, chain: tuple[Unit, ...]) -> bool:
    """Whether ``unit`` lies in every unit of ``chain`` (a higher level each)."""
    for above in chain:
        if above.level >= unit.level:
            return False
        if above.level == PROVINCE and unit.province != above.province:
            return False
        if above.level == PREFECTURE and unit.prefecture != above.name:
            return False
    return True


@dataclass(slots=True)
class _Reading:
    place: Place
    score: tuple[int, ...]


def _readings(gaz: Gazetteer, text: str, start: int, chain: tuple[Unit, ...],
              bare_last: bool) -> list[_Reading]:
    """Every reading of ``text[start:]`` that goes on from ``chain`` (names matched so far)."""
    found: list[_Reading] = []
    for name, unit in gaz.at(text, start):
        if _fits(unit, chain):
            found += _readings(gaz, text, start + len(name), (*chain, unit),
                               name in gaz.bare)
    rest = text[start:]
    # A name followed by a bare level word is the township's own name (城区 + 街道).
    if chain and not bare_last and not _BARE_TOWNSHIP_RE.fullmatch(rest):
        found.append(_end(rest, chain, start))
    return found


def _end(rest: str, chain: tuple[Unit, ...], consumed: int) -> _Reading:
    """The reading whose known names are ``chain``, ``rest`` following them."""
    county = next((u for u in chain if u.level == COUNTY), None)
    prefecture = next((u.name for u in chain if u.level == PREFECTURE), "")
    if county is not None:
        township, clean = _township(rest)
        place = Place(prefecture or county.prefecture, county.name, township)
    else:  # the county is unknown to the gazetteer: read it by its level word
        place = _by_suffix(rest)
        clean = bool(place.county or place.township) or not rest
        province = next((u.name for u in chain if u.level == PROVINCE), "")
        if prefecture:
            place.prefecture = prefecture
        elif not place.prefecture and place.county and province.endswith("市"):
            place.prefecture = province  # 北京市某某区: the city is the prefecture
    return _Reading(place, (clean, county is not None, len(chain), consumed))


def parse_place(title: str) -> Place:
    """Prefecture, county and township from a list's title (``伊犁州伊宁市托格拉克乡基本履职事项
    清单``, ``浙江省温州市龙港市龙港街道配合履职事项清单``); see the module docstring."""
    text = _clean(title)
    gaz = gazetteer()
    for start in range(len(text)):
        readings = _readings(gaz, text, start, (), False)
        if not readings:
            continue
        best = max(r.score for r in readings)
        places = [r.place for r in readings if r.score == best]
        place = places[0]
        for attr in ("prefecture", "county", "township"):
            if len({getattr(p, attr) for p in places}) > 1:  # 朝阳区 alone: which one?
                setattr(place, attr, "")
        return _no_collective(place)
    return _no_collective(_by_suffix(text))


def _no_collective(place: Place) -> Place:
    if _ALL_TOWNSHIPS_RE.fullmatch(place.township):
        place.township = ""
    return place


def same_township(a: str, b: str) -> bool:
    """Two titles' readings of one township: the same name, or one the other with more after
    it (龙港街道 / 龙港街道办事处, 吉里于孜 / 吉里于孜镇)."""
    return a.startswith(b) or b.startswith(a)


def merge_places(places: list[Place]) -> Place:
    """The best reading of a document's place from all its titles: the most complete wins."""
    best = Place()
    for place in places:
        for attr in ("prefecture", "county", "township"):
            if not getattr(best, attr) and getattr(place, attr):
                setattr(best, attr, getattr(place, attr))
    return best


# --- masking place names in running text -------------------------------------------------

def mask_names(extra: Iterable[str] = ()) -> set[str]:
    """Place names to mask: every prefecture and county the gazetteer knows, in every printed
    form long enough not to be an ordinary word (``Gazetteer.mask_names``), plus ``extra``
    (the townships of the store), each also without its level word when that short form is
    long enough not to be an ordinary word (新和 or 温泉 are)."""
    return set(_gazetteer_mask_names()) | with_short_forms(extra)


@lru_cache(maxsize=1)
def _gazetteer_mask_names() -> frozenset[str]:
    return frozenset(with_short_forms(gazetteer().mask_names()))


def with_short_forms(names: Iterable[str]) -> set[str]:
    """``names`` of two characters or more, each also without its level word where what is
    left is long enough not to be an ordinary word (伊宁市 → 伊宁 is not; 托格拉克乡 →
    托格拉克 is)."""
    found = {n for n in names if len(n) >= 2}
    for name in list(found):
        short = _MASK_LEVEL_RE.sub("", name)
        if len(short) >= 3 and short != name:
            found.add(short)
    return found


_MASK_LEVEL_RE = re.compile(r"(自治州|自治县|地区|州|县|市|区|乡|镇|街道办事处|街道)$")


class _Alphabet(dict[int, int]):
    """A ``str.translate`` table: a character of some place name stays itself, any other
    becomes ``_OTHER``."""

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__((ord(c), ord(c)) for c in set("".join(names)))

    def __missing__(self, code: int) -> int:
        self[code] = _OTHER_CODE
        return _OTHER_CODE


_OTHER = "\x00"  # what a character of no place name reads as
_OTHER_CODE = ord(_OTHER)
_NEVER = "\uffff"  # a noncharacter: ends the dummy words that put a character at the root
# The characters duty lists use most that place names hold too (counted on the seeds, place
# names left out), most frequent first: looked up first at the root.
_FREQUENT = "工作行和市县业理农查管法建进开村地保资监织政乡定等区安施水好公全会务部防审本方关上合民"


class _Names:
    """One Aho-Corasick automaton (``pyahocorasick``) over a set of names.

    pyahocorasick looks a character up among a node's children one by one, in the order
    they were added, and the root has about a thousand: characters of no name are read as
    one character, ``_OTHER``, added first, and the most frequent ones follow it, so most
    of the text costs a few comparisons (half the time).
    """

    def __init__(self, names: set[str]) -> None:
        self._alphabet = _Alphabet(names)
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        # Dummy words, never matched: they make these characters the root's first children.
        for char in _OTHER + _FREQUENT:
            self._automaton.add_word(char + _NEVER)
        for name in names:
            self._automaton.add_word(name)
        self._automaton.make_automaton()

    def matches(self, text: str) -> Iterable[tuple[int, int]]:
        """(start, -end) of every occurrence of every name."""
        return ((end + 1 - length, -end - 1)
                for end, length in self._automaton.iter(text.translate(self._alphabet)))


@lru_cache(maxsize=1)
def _gazetteer_names() -> _Names:
    return _Names(set(_gazetteer_mask_names()))


class PlaceMasker:
    """Finds place names in text in one Aho-Corasick pass per name set: at each position the
    longest name, then on after it, as a regex of the names as alternatives, longest first,
    would, but in time that barely grows with the number of names (a regex tries every
    alternative at every position).

    The gazetteer's names are one automaton, built once; ``extra`` names (townships) are a
    second, small one, so a masker for one document's township costs next to nothing.
    """

    def __init__(self, extra: tuple[str, ...] = ()) -> None:
        self.extra = extra
        own = with_short_forms(extra) - _gazetteer_mask_names()
        self._parts = [_gazetteer_names(), *([_Names(own)] if own else [])]

    def __reduce__(self) -> tuple[object, tuple[tuple[str, ...]]]:
        return place_masker, (self.extra,)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """[start, end) of every place name in ``text``, left to right, none overlapping."""
        found: list[tuple[int, int]] = []
        covered = 0
        # (start, -end): at each position the longest name first, the shorter ones skipped
        for start, negative_end in sorted(m for part in self._parts
                                          for m in part.matches(text)):
            if start >= covered:
                covered = -negative_end
                found.append((start, covered))
        return found


@lru_cache(maxsize=256)
def place_masker(extra: tuple[str, ...] = ()) -> PlaceMasker:
    """The masker for the gazetteer's names and ``extra`` (built once per ``extra``)."""
    return PlaceMasker(extra)
