"""As-you-type lookup over every item: a character-bigram index picks candidates, rapidfuzz
re-scores at most a few thousand of them.

Chinese has no word spaces, so the unit of indexing is the character bigram. Before anything
is indexed or compared, text goes through ``match_key``: width and punctuation folded away,
place names masked (伊宁市 / 昭苏县 / 伽师县 all become one mask character) and region words
that differ only by level unified (市/师市 -> 县, 镇 -> 乡), so "推荐县级以上党代表" finds
"推荐市级以上党代表" and a township's own name never dominates a score. Every key keeps, per
character, the range of the original text it came from, so matches map back to spans the UI
can highlight in the text as printed.

Queries written in Latin letters are also tried as pinyin: initials (``gsrd``) or full
syllables (``gongshang``) find 工伤认定. Pinyin is computed once per distinct name at build.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from explorer.gazetteer import PREFECTURE_ALIASES, PREFECTURES
from explorer.model import Item, ListKind
from explorer.text import fold

MASK = "◇"  # stands for any place name; equal to itself, so places never tell items apart

# --- match keys ----------------------------------------------------------------------------

# Words ending in 市/镇 that are not region words: they keep their character.
_NOT_REGION = ("市场", "城市", "超市", "集市", "市民", "市容", "市政", "门市", "上市", "夜市",
               "城镇", "集镇")
# Level words that differ only by where the township sits (县 under a county, 市 under a
# city, 师市 in the Corps; 乡 or 镇 for the township itself).
_REGION_LEVEL_RE = re.compile(r"师市|市|镇")
_REGION_LEVEL = {"师市": "县", "市": "县", "镇": "乡"}


def _place_names(extra: Iterable[str] = ()) -> list[str]:
    """Place names to mask: every known prefecture and county, plus ``extra`` (the townships
    of the store), each also without its level suffix when that short form is long enough
    not to be an ordinary word (two-character short forms such as 新和 or 温泉 are)."""
    names: set[str] = set()
    for prefecture, counties in PREFECTURES.items():
        names.add(prefecture)
        names.update(counties)
    names.update(PREFECTURE_ALIASES)
    names.update(n for n in extra if len(n) >= 2)
    for name in list(names):
        short = re.sub(r"(自治州|自治县|地区|州|县|市|区|乡|镇|街道办事处|街道)$", "", name)
        if len(short) >= 3 and short != name:
            names.add(short)
    return sorted(names, key=len, reverse=True)


@lru_cache(maxsize=8)
def _place_regex(extra: tuple[str, ...]) -> re.Pattern[str]:
    names = _place_names(extra)
    # The Corps' divisions (第一师 …) are places too, whatever their number.
    return re.compile("第[一二三四五六七八九十]+师|" + "|".join(map(re.escape, names)))


@dataclass(slots=True)
class Key:
    """A text made comparable, and for each of its characters the original range it stands for."""

    text: str
    starts: array = field(default_factory=lambda: array("i"))
    ends: array = field(default_factory=lambda: array("i"))

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original [start, end) of key characters [a, b)."""
        return self.starts[a], self.ends[b - 1]


def _keep(char: str) -> bool:
    """Letters, digits and Han survive into a key; punctuation and symbols do not."""
    return char == MASK or unicodedata.category(char)[0] in "LN"


def match_key(text: str, places: re.Pattern[str] | None = None) -> Key:
    """The comparable form of ``text`` (see the module docstring), with its span map."""
    places = places or _place_regex(())
    out: list[str] = []
    starts, ends = array("i"), array("i")
    at = 0

    def plain(segment: str, offset: int) -> None:
        for i, char in enumerate(segment):
            for folded in fold(char):
                if _keep(folded):
                    out.append(folded)
                    starts.append(offset + i)
                    ends.append(offset + i + 1)

    for m in places.finditer(text):
        plain(text[at:m.start()], at)
        out.append(MASK)
        starts.append(m.start())
        ends.append(m.end())
        at = m.end()
    plain(text[at:], at)
    folded = "".join(out)
    return _unify_levels(Key(folded, starts, ends))


def _unify_levels(key: Key) -> Key:
    text = key.text
    if not _REGION_LEVEL_RE.search(text):
        return key
    out: list[str] = []
    starts, ends = array("i"), array("i")
    i = 0
    while i < len(text):
        m = _REGION_LEVEL_RE.match(text, i)
        if m and not any(_is_word_at(text, i, word) for word in _NOT_REGION):
            out.append(_REGION_LEVEL[m.group()])
            starts.append(key.starts[i])
            ends.append(key.ends[m.end() - 1])
            i = m.end()
            continue
        out.append(text[i])
        starts.append(key.starts[i])
        ends.append(key.ends[i])
        i += 1
    return Key("".join(out), starts, ends)


def _is_word_at(text: str, i: int, word: str) -> bool:
    """Whether ``word`` occurs in ``text`` covering position ``i``."""
    lo = max(0, i - len(word) + 1)
    at = text.find(word, lo, i + len(word))
    return at != -1 and at <= i


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


# --- pinyin --------------------------------------------------------------------------------

@dataclass(slots=True)
class Pinyin:
    """Pinyin of a key: one initial per key character, and full syllables with their offsets."""

    initials: str
    full: str
    offsets: array  # offsets[i] = where key character i starts in ``full``; one extra at end


def pinyin_of(key: str) -> Pinyin:
    syllables = lazy_pinyin(key, style=Style.NORMAL, errors=lambda chars: list(chars))
    # lazy_pinyin returns one syllable per Han character and one entry per other character.
    if len(syllables) != len(key):
        syllables = [lazy_pinyin(c, style=Style.NORMAL, errors=lambda x: list(x))[0]
                     for c in key]
    initials: list[str] = []
    offsets = array("i")
    full: list[str] = []
    at = 0
    for syllable in syllables:
        syllable = "#" if syllable == MASK else syllable.lower()
        initials.append(syllable[0])
        offsets.append(at)
        full.append(syllable)
        at += len(syllable)
    offsets.append(at)
    return Pinyin("".join(initials), "".join(full), offsets)


_LATIN_QUERY_RE = re.compile(r"[a-z]+")


# --- the index -----------------------------------------------------------------------------

@dataclass(slots=True)
class Hit:
    item: Item
    score: float  # 0..100
    spans: list[tuple[int, int]]  # matched character ranges [start, end) in item.name
    field: str = "name"  # where it matched: name / departments / duties


# Re-score at most this many candidates with rapidfuzz: enough for recall, bounded for speed.
MAX_CANDIDATES = 2000
# Stop adding bigram postings to the candidate count beyond this many entries.
POSTING_BUDGET = 60_000
# Below this many texts in the filtered set, score them all instead of using the index.
BRUTE_FORCE_TEXTS = 3000
MIN_SCORE = 60.0
# Ranks of the fields: a name match always ranks above a department or duty match.
FIELD_WEIGHT = {"name": 1.0, "departments": 0.85, "duties": 0.8}
_KIND_ORDER = {kind: n for n, kind in enumerate(ListKind)}


class _Field:
    """One searchable field: distinct keys, their bigram postings and the items holding them."""

    def __init__(self, name: str, texts: list[str], places: re.Pattern[str]) -> None:
        self.name = name
        self.keys: list[Key] = []
        self.items_of: list[array] = []  # key id -> item indices
        self.key_of: dict[str, int] = {}
        self._raw_key: dict[str, int] = {}
        self.item_key = array("i")  # item index -> key id (-1: empty)
        for index, text in enumerate(texts):
            self.item_key.append(self._add(text, index, places))
        postings: dict[str, list[int]] = {}
        chars: dict[str, list[int]] = {}
        for kid, key in enumerate(self.keys):
            for gram in bigrams(key.text):
                postings.setdefault(gram, []).append(kid)
            for char in set(key.text):
                chars.setdefault(char, []).append(kid)
        self.postings = {g: array("i", ids) for g, ids in postings.items()}
        self.chars = {c: array("i", ids) for c, ids in chars.items()}
        self.strings = [k.text for k in self.keys]

    def _add(self, text: str, index: int, places: re.Pattern[str]) -> int:
        if not text:
            return -1
        kid = self._raw_key.get(text)
        if kid is None:
            key = match_key(text, places)
            if not key.text:
                self._raw_key[text] = -1
                return -1
            kid = self.key_of.get(key.text)
            if kid is None:
                kid = len(self.keys)
                self.keys.append(key)
                self.items_of.append(array("i"))
                self.key_of[key.text] = kid
            self._raw_key[text] = kid
        if kid >= 0:
            self.items_of[kid].append(index)
        return kid

    def candidates(self, query: str, allowed: set[int] | None) -> list[int]:
        """Key ids worth re-scoring: those sharing the most (rarest-first) query bigrams."""
        grams = sorted(bigrams(query), key=lambda g: len(self.postings.get(g, ())))
        if not grams:  # a one-character query: every key holding that character
            ids: Iterable[int] = self.chars.get(query, ())
            if allowed is not None:
                ids = (k for k in ids if k in allowed)
            return list(ids)
        counts: Counter[int] = Counter()
        used = 0
        for gram in grams:
            posting = self.postings.get(gram)
            if not posting:
                continue
            if used and used + len(posting) > POSTING_BUDGET:
                break
            counts.update(posting)
            used += len(posting)
        if allowed is not None:
            counts = Counter({k: c for k, c in counts.items() if k in allowed})
        if len(counts) <= MAX_CANDIDATES:
            return list(counts)
        return [k for k, _ in heapq.nlargest(MAX_CANDIDATES, counts.items(),
                                             key=lambda kv: kv[1])]


class SearchIndex:
    """Build once per store content (``build``); ``search`` per keystroke."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        townships = tuple(sorted({i.township for i in items if i.township}))
        self.places = _place_regex(townships)
        self.fields = {
            "name": _Field("name", [i.name for i in items], self.places),
            "departments": _Field("departments", [i.departments for i in items], self.places),
            "duties": _Field("duties", [_duty_text(i) for i in items], self.places),
        }
        names = self.fields["name"]
        self.pinyin = [pinyin_of(k.text) for k in names.keys]
        # All initials / full pinyin in one string each: str.find runs at C speed over it.
        self._initials, self._initials_at = _concatenate(p.initials for p in self.pinyin)
        self._full, self._full_at = _concatenate(p.full for p in self.pinyin)

    @classmethod
    def build(cls, items: list[Item]) -> SearchIndex:
        return cls(items)

    # -- filters -------------------------------------------------------------------------

    def _allowed_items(self, townships: Collection[str] | None,
                       kinds: Collection[ListKind] | None, category: str | None,
                       department: str | None) -> set[int] | None:
        if not (townships or kinds or category or department):
            return None
        wanted_docs = set(townships) if townships else None
        wanted_kinds = {ListKind(k) for k in kinds} if kinds else None
        category_key = fold(category) if category else None
        department_key = fold(department) if department else None
        allowed = set()
        for index, item in enumerate(self.items):
            if wanted_docs is not None and item.doc_id not in wanted_docs:
                continue
            if wanted_kinds is not None and item.list not in wanted_kinds:
                continue
            if category_key and category_key not in (fold(item.category),
                                                     fold(item.category_canonical)):
                continue
            if department_key and not any(department_key in fold(d)
                                          for d in item.department_names or [item.departments]):
                continue
            allowed.add(index)
        return allowed

    # -- searching -----------------------------------------------------------------------

    def search(self, query: str, *, townships: Collection[str] | None = None,
               kinds: Collection[ListKind] | None = None, category: str | None = None,
               department: str | None = None, limit: int = 200) -> list[Hit]:
        """Items matching ``query`` best first: names, then departments, then duty text."""
        key = match_key(query, self.places)
        allowed = self._allowed_items(townships, kinds, category, department)
        if not key.text.strip(MASK):
            if allowed is None or key.text:
                return []
            # No query but filters: list what the filters select, in document order.
            return [Hit(self.items[i], 100.0, [], "name") for i in sorted(allowed)[:limit]]
        scored: dict[int, tuple[float, str, int]] = {}  # item -> (score, field, key id)
        for name in ("name", "departments", "duties"):
            if name != "name" and len(scored) >= limit:
                break  # names fill the page already: later fields would rank below them
            for kid, score in self._score_field(name, key.text, allowed):
                weighted = score * FIELD_WEIGHT[name]
                for index in self.fields[name].items_of[kid]:
                    if allowed is not None and index not in allowed:
                        continue
                    if index not in scored or scored[index][0] < weighted:
                        scored[index] = (weighted, name, kid)
        latin = query.strip().lower()
        if _LATIN_QUERY_RE.fullmatch(latin) and len(latin) >= 2:
            for kid, score in self._pinyin_keys(latin):
                for index in self.fields["name"].items_of[kid]:
                    if allowed is not None and index not in allowed:
                        continue
                    if index not in scored or scored[index][0] < score:
                        scored[index] = (score, "pinyin", kid)
        ranked = heapq.nsmallest(limit, scored.items(), key=lambda kv: (
            -kv[1][0], len(self.fields["name"].strings[self.fields["name"].item_key[kv[0]]])
            if self.fields["name"].item_key[kv[0]] >= 0 else 0, kv[0]))
        return [self._hit(index, score, name, kid, key.text, latin)
                for index, (score, name, kid) in ranked]

    def _score_field(self, name: str, query: str, allowed_items: set[int] | None
                     ) -> list[tuple[int, float]]:
        data = self.fields[name]
        allowed_keys = None
        if allowed_items is not None:
            allowed_keys = {data.item_key[i] for i in allowed_items} - {-1}
        if allowed_keys is not None and len(allowed_keys) <= BRUTE_FORCE_TEXTS:
            ids = list(allowed_keys)
        else:
            ids = data.candidates(query, allowed_keys)
        if not ids:
            return []
        if len(query) == 1:
            return [(k, 100.0) for k in ids if query in data.strings[k]]
        choices = [data.strings[k] for k in ids]
        cutoff = MIN_SCORE if name == "name" else 90.0  # long texts: near-exact only
        results = process.extract(query, choices, scorer=fuzz.partial_ratio,
                                  score_cutoff=cutoff, limit=None)
        return [(ids[position], score) for _, score, position in results]

    def _pinyin_keys(self, latin: str) -> list[tuple[int, float]]:
        found: dict[int, float] = {}
        for kid in _find_all(self._initials, self._initials_at, latin):
            found[kid] = 90.0
        for kid in _find_all(self._full, self._full_at, latin):
            if self._syllable_match(kid, latin) is not None:
                found[kid] = 95.0
        return list(found.items())

    def _syllable_match(self, kid: int, latin: str) -> tuple[int, int] | None:
        """Key characters [a, b) whose full pinyin starts with ``latin`` at a syllable start."""
        py = self.pinyin[kid]
        offsets = py.offsets
        at = py.full.find(latin)
        while at != -1:
            a = bisect_right(offsets, at) - 1
            if offsets[a] == at:
                b = bisect_right(offsets, at + len(latin) - 1)
                return a, min(b, len(offsets) - 1)
            at = py.full.find(latin, at + 1)
        return None

    # -- spans ---------------------------------------------------------------------------

    def _hit(self, index: int, score: float, name: str, kid: int, query: str,
             latin: str) -> Hit:
        item = self.items[index]
        if name == "pinyin":
            key = self.fields["name"].keys[kid]
            ranges = self._pinyin_ranges(kid, latin)
            return Hit(item, round(score, 1), _merge([key.span(a, b) for a, b in ranges]),
                       "name")
        if name != "name":
            return Hit(item, round(score, 1), [], name)
        key = self.fields["name"].keys[kid]
        return Hit(item, round(score, 1), matched_spans(query, key), "name")

    def _pinyin_ranges(self, kid: int, latin: str) -> list[tuple[int, int]]:
        syllables = self._syllable_match(kid, latin)
        if syllables:
            return [syllables]
        at = self.pinyin[kid].initials.find(latin)
        return [(at, at + len(latin))] if at != -1 else []


def matched_spans(query: str, key: Key) -> list[tuple[int, int]]:
    """Original ranges of ``key`` that match ``query``: exact occurrences if there are any,
    otherwise the equal blocks of the best fuzzy alignment (runs of two characters or more,
    so single scattered characters do not light up)."""
    text = key.text
    if not query:
        return []
    ranges: list[tuple[int, int]] = []
    at = text.find(query)
    while at != -1:
        ranges.append((at, at + len(query)))
        at = text.find(query, at + len(query))
    if not ranges:
        alignment = fuzz.partial_ratio_alignment(query, text)
        if alignment is not None:
            window = text[alignment.dest_start:alignment.dest_end]
            for op in Indel.opcodes(query, window):
                if op.tag == "equal" and (op.dest_end - op.dest_start >= 2 or len(query) == 1):
                    ranges.append((alignment.dest_start + op.dest_start,
                                   alignment.dest_start + op.dest_end))
    return _merge([key.span(a, b) for a, b in ranges])


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _duty_text(item: Item) -> str:
    return "".join(item.upper_duties) + "".join(item.township_duties) + item.receiver


def _concatenate(parts: Iterable[str]) -> tuple[str, array]:
    """Join with a separator no query contains; remember where each part starts."""
    starts = array("i")
    chunks: list[str] = []
    at = 0
    for part in parts:
        starts.append(at)
        chunks.append(part)
        at += len(part) + 1
    return "\x00".join(chunks), starts


def _find_all(haystack: str, starts: array, needle: str) -> list[int]:
    """Part numbers containing ``needle`` (each once)."""
    found: list[int] = []
    at = haystack.find(needle)
    while at != -1:
        part = bisect_right(starts, at) - 1
        found.append(part)
        # Skip to the next part: one hit per part is enough.
        next_start = starts[part + 1] if part + 1 < len(starts) else len(haystack)
        at = haystack.find(needle, next_start)
    return found
