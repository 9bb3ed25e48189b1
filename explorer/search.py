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

import contextlib
import functools
import hashlib
import heapq
import itertools
import os
import re
import sqlite3
import stat
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from lvzhi import cachefile
from lvzhi.cachefile import InvalidCache
from lvzhi.index import (
    DUTIES,
    FIELD_NUMBERS,
    INITIALS,
    SYLLABLES,
    RowIndex,
    bigram_tokens,
    offsets_of,
    split_names,
)
from lvzhi.model import Item, ListKind, Row
from lvzhi.places import PlaceMasker, place_masker, with_short_forms
from lvzhi.rows import RowTable
from lvzhi.store import gc_paused, write_atomic
from lvzhi.text import fold

MASK = "◇"  # stands for any place name; equal to itself, so places never tell items apart

# --- match keys ----------------------------------------------------------------------------

# Words ending in 市/镇 that are not region words: they keep their character.
_NOT_REGION = ("市场", "城市", "超市", "集市", "市民", "市容", "市政", "门市", "上市", "夜市",
               "城镇", "集镇")
# Level words that differ only by where the township sits (县 under a county, 市 under a
# city, 师市 in the Corps; 乡 or 镇 for the township itself).
_REGION_LEVEL_RE = re.compile(r"师市|市|镇")
_REGION_LEVEL = {"师市": "县", "市": "县", "镇": "乡"}
# Every occurrence of those words, overlapping ones too (a lookahead matches at each start).
_NOT_REGION_RE = re.compile(f"(?=({'|'.join(_NOT_REGION)}))")


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


# What each character folds to, punctuation dropped: folding is per character and the same
# few thousand characters come back all the time (building a province's index folds
# millions; this cut the build by half).
_KEPT: dict[str, str] = {}


def match_key(text: str, places: PlaceMasker | None = None) -> Key:
    """The comparable form of ``text`` (see the module docstring), with its span map.
    ``places`` masks the gazetteer's names and the store's townships (``place_masker``)."""
    places = places or place_masker(())
    out: list[str] = []
    starts, ends = array("i"), array("i")
    at = 0

    def plain(segment: str, offset: int) -> None:
        for i, char in enumerate(segment):
            kept = _KEPT.get(char)
            if kept is None:
                kept = _KEPT[char] = "".join(f for f in fold(char) if _keep(f))
            for folded in kept:
                out.append(folded)
                starts.append(offset + i)
                ends.append(offset + i + 1)

    for start, end in places.spans(text):
        plain(text[at:start], at)
        out.append(MASK)
        starts.append(start)
        ends.append(end)
        at = end
    plain(text[at:], at)
    folded = "".join(out)
    return _unify_levels(Key(folded, starts, ends))


class _Folding(dict[int, str]):
    """A ``str.translate`` table: each character to what it folds to, punctuation dropped
    (``_KEPT``, computed once per character)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        kept = _KEPT.get(char)
        if kept is None:
            kept = _KEPT[char] = "".join(f for f in fold(char) if _keep(f))
        self[code] = kept
        return kept


_FOLDING = _Folding()


def key_text(text: str, places: PlaceMasker | None = None) -> str:
    """``match_key(text, places).text`` without the span map, at C speed: what indexing a
    document needs for each of its texts (tested to be the same)."""
    places = places or place_masker(())
    parts: list[str] = []
    at = 0
    for start, end in places.spans(text):
        parts.append(text[at:start].translate(_FOLDING))
        parts.append(MASK)
        at = end
    parts.append(text[at:].translate(_FOLDING))
    folded = "".join(parts)
    if not _REGION_LEVEL_RE.search(folded):
        return folded
    # Positions inside a word that is not a region word (市场, 城镇 …), overlaps included.
    kept = {i for m in _NOT_REGION_RE.finditer(folded)
            for i in range(m.start(), m.start() + len(m.group(1)))}
    return _REGION_LEVEL_RE.sub(lambda m: m.group() if m.start() in kept
                                else _REGION_LEVEL[m.group()], folded)


def _unify_levels(key: Key) -> Key:
    text = key.text
    if not _REGION_LEVEL_RE.search(text):
        return key
    out: list[str] = []
    starts, ends = array("i"), array("i")
    at = 0  # copied up to here
    for m in _REGION_LEVEL_RE.finditer(text):
        i = m.start()
        if any(_is_word_at(text, i, word) for word in _NOT_REGION):
            continue
        out.append(text[at:i])
        starts.extend(key.starts[at:i])
        ends.extend(key.ends[at:i])
        out.append(_REGION_LEVEL[m.group()])
        starts.append(key.starts[i])
        ends.append(key.ends[m.end() - 1])
        at = m.end()
    out.append(text[at:])
    starts.extend(key.starts[at:])
    ends.extend(key.ends[at:])
    return Key("".join(out), starts, ends)


def _is_word_at(text: str, i: int, word: str) -> bool:
    """Whether ``word`` occurs in ``text`` covering position ``i``."""
    lo = max(0, i - len(word) + 1)
    at = text.find(word, lo, i + len(word))
    return at != -1 and at <= i


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


# What of one cell is indexed: names run to a few hundred characters, duty cells to a few
# thousand; a crafted 5 MB cell must not cost every later search minutes (its pinyin, its
# fuzzy scores). The cell is still shown and stored whole.
MAX_INDEXED_CHARS = 4000


def indexed(text: str) -> str:
    return text[:MAX_INDEXED_CHARS]


# --- pinyin --------------------------------------------------------------------------------

@dataclass(slots=True)
class Pinyin:
    """Pinyin of a key: one initial per key character, and full syllables with their offsets."""

    initials: str
    full: str
    offsets: array  # offsets[i] = where key character i starts in ``full``; one extra at end


# The syllables of each word pypinyin's segmenter has cut from a key: names are made of the
# same few thousand words (工伤, 认定, 调查), and converting a word was five sixths of a key's
# pinyin. Bounded by words held.
_WORD_SYLLABLES: dict[str, list[str]] = {}
_WORDS_HELD = 200_000


def _syllables(key: str) -> list[str]:
    """``lazy_pinyin(key)``, word by word as pypinyin cuts it, each word converted once."""
    # Imported here: pypinyin's dictionaries cost half a second, paid only when an index is
    # built, not when a cached one is loaded.
    from pypinyin import Style, lazy_pinyin

    global _WORD_SYLLABLES
    syllables: list[str] = []
    for word in _segmenter().seg(key):
        found = _WORD_SYLLABLES.get(word)
        if found is None:
            if len(_WORD_SYLLABLES) > _WORDS_HELD:
                _WORD_SYLLABLES = {}
            # pypinyin documents ``errors`` callables that return a list (one entry per
            # character); its stub types them as returning a str, hence the ignores.
            found = _WORD_SYLLABLES[word] = lazy_pinyin(
                word, style=Style.NORMAL,
                errors=lambda chars: list(chars))  # type: ignore[arg-type, return-value]
        syllables += found
    return syllables


@functools.cache
def _segmenter() -> Any:
    from pypinyin.core import Pinyin as Converter

    return Converter()  # the default converter and segmenter, as ``lazy_pinyin`` uses


def pinyin_of(key: str) -> Pinyin:
    syllables = _syllables(key)
    # lazy_pinyin returns one syllable per Han character and one entry per other character.
    if len(syllables) != len(key):
        from pypinyin import Style, lazy_pinyin

        syllables = [lazy_pinyin(c, style=Style.NORMAL,
                                 errors=lambda x: list(x))[0]  # type: ignore[arg-type, return-value]
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
_HAN_QUERY_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


# --- caching next to the store --------------------------------------------------------------

# Bump when what an index holds or how it scores changes: old caches are then rebuilt.
CACHE_VERSION = 6  # 4: national place names masked; 5: matching cores hold every clause;
# 6: matter caches hold no item ids
# A cache larger than this is not read (a province's search cache is ~80 MB).
MAX_CACHE_BYTES = 2 << 30
_Cached = TypeVar("_Cached", bound="CachedIndex")


# The searched duty text of row ``n`` of a row table (``duty_text_of`` its whole item):
# rows carry no duty text, so whoever holds the whole items (the store, or a list in memory)
# says what it is.
DutyText = Callable[[int], str]


def duty_text_of(item: Item) -> str:
    """What of an item is searched as its duty text: both duty cells and the receiver."""
    return "".join(item.upper_duties) + "".join(item.township_duties) + item.receiver


def duty_texts(rows: RowTable, items: Iterable[Item],
               text_of: Callable[[Item], str] = duty_text_of) -> DutyText:
    """``text_of`` each row of ``rows`` (the searched duty text unless told otherwise), from
    whole items held in memory."""
    texts = {item.id: text_of(item) for item in items}
    return lambda n: texts.get(rows[n].id, "")


def items_digest(rows: RowTable, duty_text: DutyText | None = None) -> str:
    """A hash of what the indexes are built from, in order (for rows that are not a whole
    store, which has ``store_digest``).

    Item ids carry their document's content hash, so any change of a file changes them; the
    names, departments and the length of the duty text catch a different extraction of the
    same file. Without ``duty_text`` (the matcher reads none) it is left out.
    """
    text = "\x1e".join(f"{row.id}\x1f{row.name}\x1f{row.departments}\x1f{len(row.receiver)}"
                        f"\x1f{len(duty_text(n)) if duty_text else '-'}"
                        for n, row in enumerate(rows))
    return hashlib.sha256(f"lvzhi index {CACHE_VERSION}\x1e{text}".encode()).hexdigest()


def store_digest(content_digest: str) -> str:
    """The digest of an index built from a whole store: its content digest
    (``Store.content_digest()``, which reads only the documents) and the index version.
    Half a second cheaper than ``items_digest`` at a province's size."""
    return hashlib.sha256(f"lvzhi index {CACHE_VERSION}\x1e{content_digest}".encode()
                          ).hexdigest()


def cache_path(store_path: Path | str, name: str) -> Path:
    """Where the ``name`` index of a store is cached: beside it (``lvzhi.json.search.cache``)."""
    store_path = Path(store_path)
    return store_path.with_name(f"{store_path.name}.{name}.cache")


def _read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes (a FIFO or a
    device put in a cache's place must not block or fill the memory)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise InvalidCache("not a regular file of a sensible size")
        return handle.read(limit + 1)


class CachedIndex:
    """An index that can be saved beside the store and loaded again while the store is the
    same (checked by a digest), so a restart skips the build.

    ``rows`` is what its results refer to, by position: the store's rows, or the rows of
    items held in memory (``RowTable.from_items``). The cache holds only what is derived
    from them, as plain data (``lvzhi.cachefile``):
    subclasses say what that is (``to_cache``) and how to check and take it back
    (``from_cache``).
    """

    CACHE_KIND = ""
    rows: RowTable
    digest: str = ""

    def to_cache(self) -> tuple[dict[str, Any], dict[str, array]]:
        """JSON-able data and integer arrays from which ``from_cache`` makes this again."""
        raise NotImplementedError

    @classmethod
    def from_cache(cls: type[_Cached], data: dict[str, Any], arrays: dict[str, array],
                   rows: RowTable) -> _Cached:
        """The index ``to_cache`` saved, for ``rows``; InvalidCache if the shapes are wrong."""
        raise NotImplementedError

    @classmethod
    def _load_or_build(cls: type[_Cached], rows: RowTable, cache: Path | None, digest: str,
                       build: Callable[[], _Cached]) -> _Cached:
        """The cached index if ``cache`` holds one built from ``digest``, else ``build()``
        (written to ``cache``; a cache that cannot be written is simply not kept)."""
        if cache is not None:
            try:
                data, arrays = cachefile.decode(_read_regular_file(cache, MAX_CACHE_BYTES),
                                                cls.CACHE_KIND, digest)
                with gc_paused():
                    loaded = cls.from_cache(data, arrays, rows)
                loaded.digest = digest
                return loaded
            except (OSError, InvalidCache, ValueError, TypeError, KeyError, IndexError):
                pass  # missing, stale, damaged or from another version: rebuild
        built = build()
        built.digest = digest
        if cache is not None:
            with contextlib.suppress(OSError):
                write_atomic(cache, cachefile.encode(cls.CACHE_KIND, digest, *built.to_cache()))
        return built


# --- the index -----------------------------------------------------------------------------

@dataclass(slots=True)
class Hit:
    item: Row
    score: float  # 0..100
    spans: list[tuple[int, int]]  # matched character ranges [start, end) in item.name
    field: str = "name"  # where it matched: name / departments / duties


# Re-score at most this many candidates with rapidfuzz: enough for recall, bounded for speed.
MAX_CANDIDATES = 2000
# Stop adding bigram postings to the candidate count beyond this many entries.
POSTING_BUDGET = 60_000
# Below this many texts in the filtered set, score them all instead of using the index.
BRUTE_FORCE_TEXTS = 3000
# Duty texts holding the query exactly come first; below this many, those sharing most of its
# trigrams (a typo in a long query) are looked at too, this many at most.
DUTY_NEAR_WHEN_FEWER = 50
DUTY_NEAR_CANDIDATES = 500
# Key texts, and the first rows of keys, kept in memory once read (a few tens of megabytes).
TEXTS_KEPT = 200_000
ROWS_KEPT = 5_000
# A key held by more rows than this (a matter in most townships) has its first rows found by
# walking the documents in order rather than by sorting all of them.
COMMON_KEY_ROWS = 2_000
ANSWERS_KEPT = 256
# Bigram postings kept in memory once read, in entries (an int each: about 20 megabytes).
POSTINGS_KEPT = 500_000
# A posting entry is (length << _KID_BITS | kid); a candidate's rank puts how many chosen
# bigrams it lacks above that (keys are at most a few thousand characters: 16 bits).
_KID_BITS = 40
_KID_MASK = (1 << _KID_BITS) - 1
_LENGTH_MASK = (1 << 16) - 1
_COUNT_SHIFT = _KID_BITS + 16
_PLACE_MASK = (1 << _COUNT_SHIFT) - 1  # (length, kid) of a candidate code
MIN_SCORE = 60.0


def best_inexact(length: int) -> float:
    """The best partial_ratio a text scores against a query of ``length`` characters when
    neither holds the other: a window of the query's length one character off, or one
    character short at an end of the text (rapidfuzz compares no longer window). 85.7 at
    four characters, 88.9 at five, 90.9 at six: below MIN_SCORE_LONG up to five
    characters, where only an exact occurrence (a substring test) reaches it."""
    if length < 2:
        return 0.0  # one character matches or not
    return 100.0 * max(1 - 1 / length, 2 * (length - 1) / (2 * length - 1))


def min_score(query: str) -> float:
    """How well a name must match ``query``: exactly up to three characters (one wrong
    character of three is a different word), then about one typo per six characters."""
    if len(query) <= 3:
        return 100.0
    return max(MIN_SCORE, 100.0 - 150.0 / len(query))


# Department and duty texts are long: only near-exact occurrences of the query count.
MIN_SCORE_LONG = 90.0
# A name match always ranks above a department match, which ranks above a duty match.
FIELD_WEIGHT = {"name": 1.0, "departments": 0.85, "duties": 0.8}
PINYIN_FULL_SCORE = 95.0  # gongshang: whole syllables
# A pinyin query held by at most this many name keys reads them all and sorts them; one held
# by more reads the keys of its first syllable shortest first, until a page is full.
FEW_PINYIN_KEYS = 500
PINYIN_INITIALS_SCORE = 90.0  # gsrd: initials only
# 公伤 for 工伤: a pinyin input method offers a homophone. Tried for short queries in Han
# characters only while they find few good names, below every match of the characters typed.
HOMOPHONE_SCORE = 85.0
HOMOPHONE_MAX_CHARS = 4
HOMOPHONE_WHEN_FEWER = 10
# Search tags a hit found through its pinyin by; its spans come from the name field.
_NAME_TAGS = frozenset({"name", "pinyin", "homophone"})
FIELDS = ("name", "departments", "duties")


class SearchIndex:
    """Lookup over a ``RowIndex`` (``lvzhi.index``): its grams pick candidate keys, rapidfuzz
    re-scores them, its rows are what a hit shows. Nothing is loaded up front, so a new
    process answers its first query after reading only what that query touches.

    Searches the current version of each township (``RowIndex.sync`` marks them).
    """

    def __init__(self, index: RowIndex) -> None:
        self.index = index
        self.townships = index.townships()
        self._township_forms: dict[str, str] | None = None  # name or short form -> township
        self._longest_form = 0  # of the forms in _township_forms
        self._forms_of: dict[str, tuple[str, ...]] = {}  # township -> its name, short forms
        self._texts_read: dict[int, str] = {}  # key id -> text: typing asks for the same
        self._sizes: dict[tuple[int, str], int] = {}  # (field, bigram) -> keys holding it
        self._postings: dict[tuple[int, str], list[int]] = {}  # (field, bigram) -> _posting
        self._postings_held = 0  # entries in _postings
        # (key column, key id) -> (all read?, the first rows in canonical order)
        self._rows_read: dict[tuple[str, int], tuple[bool, list[tuple[int, Row]]]] = {}
        self._filters: dict[_Filters, tuple[set[int], dict[str, set[int]]]] = {}
        self._answers: dict[tuple, list[Hit]] = {}  # the last searches' hits, by question
        self._name_keys: dict[tuple[str, str], Key] = {}  # (name, township) -> its key
        self._ranks: dict[int, int] | None = None  # document number -> canonical place
        self._order: list[int] | None = None  # the same, as a list in that order

    @classmethod
    def build(cls, items: Iterable[Item]) -> SearchIndex:
        """The index of whole items held in memory (not a store's), kept in memory."""
        from lvzhi.rows import RowTable

        items = list(items)
        by_doc: dict[str, list[Item]] = {}
        for item in items:
            by_doc.setdefault(item.doc_id, []).append(item)
        index = RowIndex(None)
        index.sync(RowTable.from_items(items).documents, lambda _: None, fresh=by_doc)
        return cls(index)

    def _con(self) -> sqlite3.Connection:
        return self.index.connection()

    def is_empty(self) -> bool:
        return self.index.is_empty()

    def warm(self) -> None:
        """Load what a first homophone lookup would (pypinyin's dictionaries, a third of a
        second), for a long-running face to do ahead of the keystrokes."""
        pinyin_of("工作")

    def _query_places(self, query: str) -> PlaceMasker:
        """The gazetteer's names and the store's townships that the query holds."""
        if self._township_forms is None:
            forms = {form: township for township in self.townships
                     for form in with_short_forms([township])}
            # The longest form, measured once: over a country's hundred thousand forms the
            # max was a millisecond of every keystroke.
            self._longest_form = max(map(len, forms), default=0)
            self._township_forms = forms
        forms = self._township_forms
        longest = min(len(query), self._longest_form)
        held = {forms[query[i:j]] for i in range(len(query))
                for j in range(i + 2, min(len(query), i + longest) + 1) if query[i:j] in forms}
        return place_masker(tuple(sorted(held)))

    # -- filters -------------------------------------------------------------------------

    def _allowed(self, signature: _Filters) -> tuple[set[int], dict[str, set[int]]] | None:
        """Rows the filters let through and, per field, their key ids (cached: typing
        repeats the same filters on every keystroke); None when nothing is filtered."""
        if not any(signature):
            return None
        found = self._filters.get(signature)
        if found is None:
            if len(self._filters) > 32:
                self._filters = {}
            found = self._filters[signature] = self._filter_rows(*signature)
        return found

    def _filter_rows(self, townships: frozenset[str], kinds: frozenset[str], category: str,
                     department: str) -> tuple[set[int], dict[str, set[int]]]:
        where, params = ["d.current"], []
        if townships:
            where.append(f"d.id IN ({','.join('?' * len(townships))})")
            params += sorted(townships)
        if kinds:
            where.append(f"r.list IN ({','.join('?' * len(kinds))})")
            params += sorted(kinds)
        allowed: set[int] = set()
        keys: dict[str, set[int]] = {name: set() for name in FIELDS}
        wanted_category, wanted_department = fold(category), fold(department)
        for (row, cat, canonical, departments, names, *kids) in self._con().execute(
                "SELECT r.row, r.category, r.canonical, r.departments, r.department_names, "
                "r.name_key, r.departments_key, r.duties_key FROM rows r JOIN documents d "
                f"USING (doc) WHERE {' AND '.join(where)}", params):
            if category and wanted_category not in (fold(cat), fold(canonical)):
                continue
            if department and not any(wanted_department in fold(d)
                                       for d in split_names(names) or [departments]):
                continue
            allowed.add(row)
            for name, kid in zip(FIELDS, kids, strict=True):
                if kid is not None:
                    keys[name].add(kid)
        return allowed, keys

    # -- searching -----------------------------------------------------------------------

    def search(self, query: str, *, townships: Collection[str] | None = None,
               kinds: Collection[ListKind] | None = None, category: str | None = None,
               department: str | None = None, limit: int = 200) -> list[Hit]:
        """Items matching ``query`` best first: names, then departments, then duty text.

        ``townships`` are document ids. Pinyin (initials or whole syllables) is tried for
        queries written in Latin letters. An empty query with filters lists what the
        filters select, in document order.
        """
        # A place typed into the query must not decide the match either: drop its mask.
        text = match_key(query, self._query_places(query)).text.replace(MASK, "")
        signature = _filter_signature(townships, kinds, category, department)
        filtered = self._allowed(signature)
        allowed_rows = filtered[0] if filtered else None
        if not text:
            if allowed_rows is None or query.strip():
                return []
            return [Hit(row, 100.0, [], "name") for row in self._rows_in_order(
                sorted(allowed_rows), limit)]
        latin = query.strip().lower()
        if not (_LATIN_QUERY_RE.fullmatch(latin) and len(latin) >= 2):
            latin = ""  # only a query in Latin letters is read as pinyin
        # Typing a place after a phrase (做好沙 做好沙湾 做好沙湾市) asks the same question again:
        # its name is masked out of the query.
        asked = (text, latin, signature, limit)
        if (answer := self._answers.get(asked)) is not None:
            return list(answer)
        hits = self._search(text, latin, filtered, limit)
        answers = self._answers
        if len(answers) > ANSWERS_KEPT:
            # The oldest answer goes, one a keystroke: dropping all of them at once freed
            # some 13,000 hits in one keystroke (1-2 ms). A thread asking at the same time
            # may have taken it first, or changed the dict under the iterator.
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                del answers[next(iter(answers))]
        answers[asked] = hits
        return list(hits)

    def _search(self, text: str, latin: str,
                filtered: tuple[set[int], dict[str, set[int]]] | None, limit: int
                ) -> list[Hit]:
        allowed_rows = filtered[0] if filtered else None
        ranked = self._ranked_field("name", text, filtered, limit)
        allowed_keys = filtered[1]["name"] if filtered else None
        pinyins: dict[int, Pinyin] = {}
        if latin:
            ranked += [(s, "pinyin", k) for k, s in self._pinyin_keys(
                latin, allowed_keys, limit, pinyins)]
        sound = ""
        good: int | None = None  # ``_good(ranked, allowed_rows, limit)``, while it holds
        if _HAN_QUERY_RE.fullmatch(text) and 2 <= len(text) <= HOMOPHONE_MAX_CHARS:
            # Counted once up to a page: fewer than HOMOPHONE_WHEN_FEWER counted up to a page
            # are fewer counted up to that.
            good = self._good(ranked, allowed_rows, limit)
            if min(good, HOMOPHONE_WHEN_FEWER) < min(limit, HOMOPHONE_WHEN_FEWER):
                sound = pinyin_of(text).full
                # Whole syllables only: initials are not what a homophone is (and the
                # intersection of a long pinyin's initial bigrams cost more than the rest).
                ranked += [(HOMOPHONE_SCORE, "homophone", k) for k, _ in self._pinyin_keys(
                    sound, allowed_keys, limit, pinyins, initials=False)]
                good = None
        # Departments and duties can only rank below a good name match: look at them only
        # while good name matches do not fill the page.
        if (self._good(ranked, allowed_rows, limit) if good is None else good) < limit:
            for name in FIELDS[1:]:
                ranked += self._ranked_field(name, text, filtered, limit)
        # Best score first; among equals names before departments before duties, then the
        # shorter text.
        order = {"name": 0, "pinyin": 0, "homophone": 0, "departments": 1, "duties": 2}
        texts = self._texts(sorted({r[2] for r in ranked if r[1] in ("pinyin", "homophone")}))
        ranked = [r if len(r) > 3 else (*r, (len(texts.get(r[2], "")), texts.get(r[2], "")))
                  for r in ranked]
        # Read best first from a heap: a page takes a few of a thousand fuzzy matches, and
        # sorting them all compared their texts ten times as often. The position breaks
        # ties, as a stable sort would.
        keyed = [(-r[0], order[r[1]], r[3], at) for at, r in enumerate(ranked)]
        heapq.heapify(keyed)
        best = (ranked[heapq.heappop(keyed)[3]] for _ in range(len(keyed)))
        hits: list[Hit] = []
        self._collect(best, text, latin, sound, allowed_rows, limit, hits, pinyins)
        return hits

    def _good(self, ranked: list[tuple], allowed: set[int] | None, enough: int) -> int:
        """How many rows the good name matches in ``ranked`` stand for, counted up to
        ``enough`` (a common word is held by tens of thousands)."""
        good = 100 * FIELD_WEIGHT["departments"]
        # (indexed, not unpacked: a starred target made a list of every entry of ranked)
        return self._rows_held(sorted({r[2] for r in ranked
                                       if r[0] >= good and r[1] in _NAME_TAGS}),
                               allowed, enough)

    def _rows_held(self, kids: list[int], allowed: set[int] | None, enough: int) -> int:
        """How many current rows (of ``allowed``, unless None) hold the name keys ``kids``,
        counted up to ``enough``."""
        count = 0
        # A few keys at a time: the first ones usually hold ``enough`` rows already, and
        # binding thousands of ids (a common word's keys) cost more than the counting.
        at, step = 0, 32
        while at < len(kids) and count < enough:
            chunk = kids[at:at + step]
            at, step = at + step, min(step * 4, 900)
            found = self._con().execute(
                f"SELECT r.row FROM rows r JOIN documents d USING (doc) WHERE d.current AND "
                f"r.name_key IN ({','.join('?' * len(chunk))})", chunk)
            for (row,) in found:
                if allowed is None or row in allowed:
                    count += 1
                    if count >= enough:
                        break
        return count

    def _ranked_field(self, name: str, text: str,
                      filtered: tuple[set[int], dict[str, set[int]]] | None,
                      limit: int) -> list[tuple]:
        """(weighted score, field, key id, (key length, key)) of the keys of one field that
        match ``text``: shorter keys, then keys in code point order, rank first among
        equals."""
        allowed_keys = filtered[1][name] if filtered else None
        brute = allowed_keys is not None and len(allowed_keys) <= BRUTE_FORCE_TEXTS
        cutoff = min_score(text) if name == "name" else MIN_SCORE_LONG
        if name == "duties":
            if len(text) < 2:
                return []
            ids = (sorted(allowed_keys) if brute and allowed_keys is not None
                   else self._duty_candidates(text, allowed_keys))
        elif brute and allowed_keys is not None:
            ids = sorted(allowed_keys)
        elif len(text) == 1:
            ids = self._candidates(FIELD_NUMBERS[name], text, allowed_keys, limit)
        else:
            field = FIELD_NUMBERS[name]
            codes = self._candidate_codes(field, text, allowed_keys)
            # Only a key holding the query, or held by it, can score 100.
            exact_only = cutoff > best_inexact(len(text))
            maybe = (self._may_be_exact(field, text, codes)
                     if name == "name" or exact_only else [])
            if name == "name":
                exact = self._exact_names(text, maybe, filtered[0] if filtered else None,
                                          limit)
                if exact is not None:
                    return exact
            # Where nothing else reaches the cutoff, no other key's text need be read.
            ids = [code & _KID_MASK for code in (maybe if exact_only else codes)]
        return [(s * FIELD_WEIGHT[name], name, k, order)
                for k, s, order in self._score(text, ids, cutoff, limit)]

    def _may_be_exact(self, field: int, text: str, codes: list[int]) -> list[int]:
        """(length << _KID_BITS | kid) of the candidates ``codes`` that may hold ``text`` or be
        held by it, in the candidates' order. A key lacking a bigram the candidates were
        counted by holds it only if shorter (held by it); if no key holds one of its bigrams
        (乌 of 做好乌苏 is a place, masked in every name) none holds it."""
        length = len(text)
        if not all(self._posting_size(field, gram) for gram in bigrams(text)):
            return [code & _PLACE_MASK for code in codes
                    if (code >> _KID_BITS) & _LENGTH_MASK < length]
        return [code & _PLACE_MASK for code in codes
                if not code >> _COUNT_SHIFT or (code >> _KID_BITS) & _LENGTH_MASK < length]

    def _exact_names(self, text: str, places: list[int], allowed: set[int] | None,
                     limit: int) -> list[tuple] | None:
        """The name keys among candidates ``places`` (``_may_be_exact``) that hold ``text``
        (or that it holds), ranked as ``_ranked_field`` ranks them, as far as their rows
        fill the page; None if all of them do not.

        They score 100 and rank first, so then no fuzzy score can change the page (nor is
        a homophone or another field looked at): rapidfuzz need not score the thousand
        other keys of a common phrase (负责本乡). They are read shortest first, a length at
        a time, until their rows fill the page: a common bigram's page (做好: 1,751 keys)
        is its shortest names, and the texts of the others need not be read, nor all of
        them sorted."""
        if limit <= 0:
            return None
        places = sorted(places)
        entries: list[tuple] = []
        count = 0
        # Whole lengths at a time, a few keys first, then more (as _rows_held counts): the
        # shortest usually fill the page, and a query few names hold is read in a few steps.
        at, step = 0, 32
        while at < len(places):
            end = min(at + step, len(places))
            while end < len(places) and places[end] >> _KID_BITS == places[end - 1] >> _KID_BITS:
                end += 1  # to the end of the last length taken
            kids = [code & _KID_MASK for code in places[at:end]]
            at, step = end, step * 4
            texts = self._texts(kids)
            held = sorted((len(key), key, k) for k in kids
                          if (key := texts.get(k, "")) and (text in key or key in text))
            entries += [(100.0, "name", k, (length, key)) for length, key, k in held]
            count += self._rows_held([k for _, _, k in held], allowed, limit - count)
            if count >= limit:
                return entries
        return None

    def _candidates(self, field: int, query: str, allowed: set[int] | None,
                    need: int) -> list[int]:
        """Key ids worth re-scoring: those sharing the most query bigrams, rarest first,
        shorter keys first among equals. For one character, the keys holding it up to the
        length of the ``need``-th shortest (all a page of them can show: see ``_score``)."""
        if len(query) == 1:
            found = self._con().execute(
                "SELECT kid, length FROM grams WHERE field = ? AND gram = ? "
                "ORDER BY length, kid", (field, query))
            ids: list[int] = []
            last = 0
            for kid, length in found:
                if len(ids) >= need and length > last:
                    break
                if allowed is None or kid in allowed:
                    ids.append(kid)
                    last = length
            return ids
        return [code & _KID_MASK for code in self._candidate_codes(field, query, allowed)]

    def _candidate_codes(self, field: int, query: str, allowed: set[int] | None
                         ) -> list[int]:
        """``_candidates`` of a query of two characters or more, in their order, as
        (bigrams chosen but not held << _COUNT_SHIFT | length << _KID_BITS | kid)."""
        sizes = {gram: self._posting_size(field, gram) for gram in bigrams(query)}
        chosen: list[str] = []
        used = 0
        for gram in sorted(sizes, key=lambda g: (sizes[g], g)):
            if not sizes[gram]:
                continue
            if used and used + sizes[gram] > POSTING_BUDGET:
                break
            chosen.append(gram)
            used += sizes[gram]
        if not chosen:
            return []
        ranked: Sequence[int]
        if len(chosen) == 1 and sizes[chosen[0]] > POSTING_BUDGET:
            # Every key counts one: the table's own order (field, gram, length, kid) is the
            # ranking, read without grouping or sorting thousands of postings.
            ranked = [code for (code,) in self._con().execute(
                f"SELECT (length << {_KID_BITS}) | kid FROM grams WHERE field = ? AND "
                "gram = ? ORDER BY length, kid LIMIT ?",
                (field, chosen[0], -1 if allowed is not None else MAX_CANDIDATES))]
        else:
            # Ranked by how many chosen bigrams a key holds, then by (length, kid): counted
            # here over the postings kept from the last keystrokes (which held all but the
            # newest bigram), a fifth of what SQLite's GROUP BY and ORDER BY took on them.
            postings = [self._posting(field, gram) for gram in chosen]
            if len(postings) == 1:
                ranked = postings[0]  # every key counts one: the posting's order is the rank
            else:
                short = len(postings)
                ranked = sorted([((short - count) << _COUNT_SHIFT) | code for code, count in
                                 Counter(itertools.chain.from_iterable(postings)).items()])
        if allowed is None:
            return list(ranked[:MAX_CANDIDATES])
        return [code for code in ranked if code & _KID_MASK in allowed][:MAX_CANDIDATES]

    def _posting(self, field: int, gram: str) -> list[int]:
        """The keys holding ``gram`` in ``field`` as (length << 40 | kid), in (length, kid)
        order; kept once read (the next keystroke's query holds most of this one's bigrams).
        """
        posting = self._postings.get((field, gram))
        if posting is None:
            posting = [code for (code,) in self._con().execute(
                f"SELECT (length << {_KID_BITS}) | kid FROM grams WHERE field = ? AND gram = ?",
                (field, gram))]
            self._postings_held += len(posting)
            if self._postings_held > POSTINGS_KEPT:
                # replaced, not cleared: another thread may be reading it
                self._postings, self._postings_held = {}, len(posting)
            self._postings[(field, gram)] = posting
        return posting

    def _posting_size(self, field: int, gram: str) -> int:
        """How many keys hold ``gram`` (kept once counted: the next keystroke has most of
        this one's bigrams)."""
        size = self._sizes.get((field, gram))
        if size is None:
            if len(self._sizes) > TEXTS_KEPT:
                self._sizes = {}
            size = self._sizes[(field, gram)] = self._con().execute(
                "SELECT count(*) FROM grams WHERE field = ? AND gram = ?",
                (field, gram)).fetchone()[0]
        return size

    def _duty_candidates(self, query: str, allowed: set[int] | None) -> list[int]:
        """Duty keys holding ``query`` (a phrase of its bigrams), then, for a longer query,
        those sharing most of its bigrams (a typo)."""
        con = self._con()
        phrase = con.execute("SELECT rowid FROM duty_fts WHERE duty_fts MATCH ? LIMIT ?",
                             (f'"{bigram_tokens(query)}"', MAX_CANDIDATES)).fetchall()
        ids = [k for (k,) in phrase if allowed is None or k in allowed]
        if (len(ids) < DUTY_NEAR_WHEN_FEWER and len(query) >= 4
                and self._near_duties_may_match(query, len(phrase))):
            seen = set(ids)
            ids += [k for (k,) in con.execute(
                "SELECT rowid FROM duty_fts WHERE duty_fts MATCH ? ORDER BY rank LIMIT ?",
                (" OR ".join(f'"{g}"' for g in sorted(bigrams(query))),
                 DUTY_NEAR_CANDIDATES))
                if k not in seen and (allowed is None or k in allowed)]
        return ids

    def _near_duties_may_match(self, query: str, found: int) -> bool:
        """Whether a duty key the phrase of ``query``'s bigrams did not find (of the
        ``found`` it did) may still reach MIN_SCORE_LONG. Up to five characters only an
        exact occurrence does (``best_inexact``): a key holding the query, all of which the
        phrase found unless it stopped at MAX_CANDIDATES, or a key the query holds, looked
        up by its text (a duty text that short is rare). Reading and scoring the keys
        sharing most bigrams was a millisecond of every such query finding few names."""
        if best_inexact(len(query)) >= MIN_SCORE_LONG or found >= MAX_CANDIDATES:
            return True
        held = sorted({query[a:b] for a in range(len(query))
                       for b in range(a + 2, len(query) + 1)})
        return self._con().execute(
            f"SELECT 1 FROM keys WHERE field = {DUTIES} AND text IN "
            f"({','.join('?' * len(held))}) LIMIT 1", held).fetchone() is not None

    def _score(self, query: str, ids: list[int], cutoff: float, need: int
               ) -> list[tuple[int, float, tuple[int, str]]]:
        """(key id, score, (key length, key)) of the keys among ``ids`` that match ``query`` at
        ``cutoff`` or better. A one-character query matches exactly or not at all: the
        ``need`` shortest keys holding it are all a page can show."""
        if not ids:
            return []
        texts = self._texts(ids)
        strings = [texts.get(k, "") for k in ids]
        if len(query) == 1:
            return sorted(((k, 100.0, (len(s), s)) for k, s in zip(ids, strings, strict=True)
                           if query in s), key=lambda found: found[2])[:need]
        if cutoff > best_inexact(len(query)):
            # Exact is all that reaches the cutoff (a name of up to three characters, a
            # department or duty text of up to five), and partial_ratio is 100 exactly when
            # one text holds the other: a substring test says the same, in C, without scoring
            # thousands of keys that hold a common bigram (做好, 负责本) or hundreds of
            # duty texts of hundreds of characters.
            return [(k, 100.0, (len(s), s)) for k, s in zip(ids, strings, strict=True)
                    if query in s or (s and s in query)]
        found = process.extract(query, strings, scorer=fuzz.partial_ratio,
                                score_cutoff=cutoff, limit=None)
        return [(ids[position], score, (len(strings[position]), strings[position]))
                for _, score, position in found]

    def _texts(self, ids: Sequence[int]) -> dict[int, str]:
        """The texts of keys, kept once read (each keystroke re-scores most of the last
        one's candidates): a mapping that holds those of ``ids`` (the kept texts
        themselves, not a copy of two thousand of them)."""
        if len(self._texts_read) > TEXTS_KEPT:
            self._texts_read = {}  # replaced, not cleared: another thread may be reading it
        known = self._texts_read
        missing = [k for k in ids if k not in known]
        con = self._con()
        for at in range(0, len(missing), 900):
            chunk = missing[at:at + 900]
            known.update(con.execute(
                f"SELECT kid, text FROM keys WHERE kid IN ({','.join('?' * len(chunk))})",
                chunk))
        return known

    def _pinyin_keys(self, latin: str, allowed: set[int] | None, limit: int,
                     pinyins: dict[int, Pinyin], initials: bool = True
                     ) -> list[tuple[int, float]]:
        """Name keys whose pinyin holds ``latin``: whole syllables (``latin`` starting at a
        syllable) first, then (unless ``initials`` is false) initials; shorter names first,
        at most ``limit`` of each. ``pinyins`` gathers the pinyin read, for the spans."""
        con = self._con()
        # A match starts at a syllable: it is among the keys with a syllable opening with
        # its first two letters (indexed), read shortest first as far as needed. Of a longer
        # query held by few keys (a homophone's whole pinyin, xianweizuzhi), just those the
        # trigram index of full pinyin finds are read; held by many (``gong``: thousands,
        # which cost more to gather than to walk), those of the syllable's keys that hold
        # it, SQLite testing that as it reads them.
        within = None if len(latin) <= 3 else [kid for (kid,) in con.execute(
            "SELECT rowid FROM pinyin_fts WHERE pinyin_fts MATCH ? LIMIT ?",
            (f'"{latin}"', FEW_PINYIN_KEYS + 1))]
        syllables: Iterable[tuple[int, str, str, bytes]]
        if within is not None and len(within) <= FEW_PINYIN_KEYS:
            syllables = self._pinyin_in_order(within)
        else:
            syllables = self._pinyin_by_length(SYLLABLES, [latin[:2]],
                                               latin if within is not None else "")
        full = self._pinyin_matches(syllables, allowed, limit, pinyins,
                                    lambda py: _syllable_match(py, latin) is not None)
        if not initials:
            return [(k, PINYIN_FULL_SCORE) for k in full]
        chosen = set(full)
        by_initials = self._pinyin_by_length(INITIALS, sorted(bigrams(latin)), "")
        held = self._pinyin_matches(by_initials, allowed, limit, pinyins,
                                    lambda py: latin in py.initials, chosen)
        return ([(k, PINYIN_FULL_SCORE) for k in full]
                + [(k, PINYIN_INITIALS_SCORE) for k in held])

    def _pinyin_in_order(self, kids: Collection[int]) -> list[tuple[int, str, str, bytes]]:
        """The pinyin of name keys ``kids``, shorter names first, then in code point order."""
        found = self._pinyin_rows(list(kids))
        found.sort()
        return [row for _, row in found]

    def _pinyin_rows(self, kids: list[int], holding: str = ""
                     ) -> list[tuple[tuple[int, str], tuple[int, str, str, bytes]]]:
        """((length, text), pinyin row) of name keys ``kids`` (those whose full pinyin holds
        ``holding``, if given), in no order."""
        con = self._con()
        found: list[tuple[tuple[int, str], tuple[int, str, str, bytes]]] = []
        test = " AND instr(p.full, ?)" if holding else ""
        for at in range(0, len(kids), 900):
            chunk = kids[at:at + 900]
            found += [((len(text), text), (kid, initials, full, offsets))
                      for kid, initials, full, offsets, text in con.execute(
                          f"SELECT {_PINYIN_SELECT}, k.text FROM pinyin p JOIN keys k "
                          f"ON k.kid = p.kid WHERE p.kid IN ({','.join('?' * len(chunk))})"
                          f"{test}", (*chunk, holding) if holding else chunk)]
        return found

    def _pinyin_by_length(self, field: int, grams: Sequence[str], holding: str
                          ) -> Iterator[tuple[int, str, str, bytes]]:
        """The pinyin of the name keys posted under all of ``grams`` in ``field`` (whose full
        pinyin holds ``holding``, if given), shorter names first, then in code point order,
        read one length at a time: sorting every key that holds a common syllable (``sh``:
        thousands) cost more than the rest of a lookup."""
        con = self._con()
        if len(grams) == 1:
            postings = con.execute("SELECT length, kid FROM grams WHERE field = ? AND "
                                   "gram = ? ORDER BY length, kid", (field, grams[0]))
        else:
            # The rarest gram's keys in order, each looked up under the others (a key's
            # postings all carry its length): read only as far as a page needs, where
            # grouping every posting of them all (``dw`` and ``jy``: thousands) cost a
            # millisecond and more.
            rarest, *others = sorted(grams, key=lambda g: (self._posting_size(field, g), g))
            held = "".join(" AND EXISTS (SELECT 1 FROM grams h WHERE h.field = g.field AND "
                           "h.gram = ? AND h.length = g.length AND h.kid = g.kid)"
                           for _ in others)
            postings = con.execute(f"SELECT g.length, g.kid FROM grams g WHERE g.field = ? "
                                   f"AND g.gram = ?{held} ORDER BY g.length, g.kid",
                                   (field, rarest, *others))
        for _, group in itertools.groupby(postings, key=lambda posting: posting[0]):
            found = self._pinyin_rows([kid for _, kid in group], holding)
            found.sort()
            yield from (row for _, row in found)

    @staticmethod
    def _pinyin_matches(found: Iterable[tuple[int, str, str, bytes]],
                        allowed: set[int] | None, limit: int, pinyins: dict[int, Pinyin],
                        accept: Callable[[Pinyin], bool], skip: set[int] | None = None
                        ) -> list[int]:
        """The first ``limit`` keys of ``found`` (read as needed) whose pinyin ``accept``s."""
        kids: list[int] = []
        for kid, initials, full, offsets in found:
            if (skip and kid in skip) or (allowed is not None and kid not in allowed):
                continue
            pinyin = Pinyin(initials, full, offsets_of(offsets))
            if accept(pinyin):
                pinyins[kid] = pinyin
                kids.append(kid)
                if len(kids) >= limit:
                    break
        return kids

    # -- hits ----------------------------------------------------------------------------

    def _collect(self, ranked: Iterable[tuple], query: str, latin: str, sound: str,
                 allowed: set[int] | None, limit: int, hits: list[Hit],
                 pinyins: dict[int, Pinyin]) -> None:
        seen: set[int] = set()
        spans_of: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
        for score, name, kid, *_ in ranked:
            column = "name_key" if name in _NAME_TAGS else f"{name}_key"
            # Rows of other filters or seen under a better key are skipped: read past them.
            need = None if allowed is not None else limit - len(hits) + len(seen)
            for number, row in self._rows_of_key(column, kid, need):
                if len(hits) >= limit:
                    return
                if number in seen or (allowed is not None and number not in allowed):
                    continue
                seen.add(number)
                spans: list[tuple[int, int]] = []
                if name in _NAME_TAGS:
                    # The same name masked the same way matches the same way: most hits of a
                    # common matter share their spans.
                    township = row.township if self._names_township(row) else ""
                    if (name, row.name, township) not in spans_of:
                        spans_of[(name, row.name, township)] = self._spans(
                            name, row.name, township, query,
                            sound if name == "homophone" else latin, pinyins.get(kid))
                    spans = list(spans_of[(name, row.name, township)])
                hits.append(Hit(row, round(score, 1), spans,
                                "name" if name in _NAME_TAGS else name))

    def _names_township(self, row: Row) -> bool:
        """Whether a row's name holds its own township's name (masked in its key)."""
        if not row.township:
            return False
        forms = self._forms_of.get(row.township)
        if forms is None:
            forms = self._forms_of[row.township] = tuple(with_short_forms([row.township]))
        return any(form in row.name for form in forms)

    def _rows_of_key(self, column: str, kid: int, need: int | None
                     ) -> Iterable[tuple[int, Row]]:
        """The current rows holding a key, in canonical order, at least the first ``need``
        (all if None). Kept once read: the next keystroke asks for most of them again."""
        kept = self._rows_read.get((column, kid))
        if kept is not None and (kept[0] or (need is not None and len(kept[1]) >= need)):
            return kept[1]
        con = self._con()
        rank = self._document_ranks()
        # Where each row is comes from the key's index alone (it holds document and
        # position) and is put in order here: an ORDER BY would read every row to sort it by
        # its document's canonical order. A key held by more than COMMON_KEY_ROWS rows (a
        # matter in most townships) is walked document by document instead of sorted whole.
        limit = -1 if need is None else COMMON_KEY_ROWS + 1
        held = con.execute(f"SELECT row, doc, position FROM rows WHERE {column} = ? LIMIT ?",
                           (kid, limit)).fetchall()
        if need is not None and len(held) > COMMON_KEY_ROWS:
            places = self._first_places(column, kid, need)
        else:
            places = sorted((rank[doc], position, row) for row, doc, position in held
                            if doc in rank)
            if need is not None:
                places = places[:need]
        numbers = [row for _, _, row in places]
        found: dict[int, tuple] = {}
        for at in range(0, len(numbers), 900):
            chunk = numbers[at:at + 900]
            found.update((record[0], record) for record in con.execute(
                f"{_ROW_SELECT} WHERE r.row IN ({','.join('?' * len(chunk))})", chunk))
        rows = [(number, _row(found[number])) for number in numbers]
        if len(self._rows_read) > ROWS_KEPT:
            self._rows_read = {}  # replaced, not cleared: another thread may be reading it
        self._rows_read[(column, kid)] = (need is None or len(rows) < need, rows)
        return rows

    def _first_places(self, column: str, kid: int, need: int) -> list[tuple[int, int, int]]:
        """(rank, position, row) of the first ``need`` current rows holding a common key: the
        documents are walked in canonical order, a few at a time, each looked up in the key's
        index (a key in every township had its 38,000 rows read and sorted to show 50)."""
        order, rank = self._documents_in_order(), self._document_ranks()
        places: list[tuple[int, int, int]] = []
        at, step = 0, max(need, 16)
        while at < len(order):
            chunk = order[at:at + step]
            places += sorted((rank[doc], position, row) for row, doc, position in
                             self._con().execute(
                                 f"SELECT row, doc, position FROM rows WHERE {column} = ? "
                                 f"AND doc IN ({','.join('?' * len(chunk))})", (kid, *chunk)))
            if len(places) >= need:
                break
            at, step = at + len(chunk), min(step * 4, 900)
        return places[:need]

    def _documents_in_order(self) -> list[int]:
        """The current documents' numbers in canonical order."""
        order = self._order
        if order is None:
            order = self._order = list(self._document_ranks())  # a dict keeps rank order
        return order

    def _document_ranks(self) -> dict[int, int]:
        """Each current document's place in canonical order, by its number in the index."""
        ranks = self._ranks
        if ranks is None:
            ranks = self._ranks = {doc: n for n, (doc,) in enumerate(self._con().execute(
                "SELECT doc FROM documents WHERE current ORDER BY sort"))}
        return ranks

    def _rows_in_order(self, numbers: list[int], limit: int) -> list[Row]:
        """Rows by number, in canonical order, at most ``limit``."""
        rows: list[tuple[tuple[str, int], Row]] = []
        con = self._con()
        for at in range(0, len(numbers), 900):
            chunk = numbers[at:at + 900]
            rows += [((record[-2], record[-1]), _row(record)) for record in con.execute(
                f"{_ROW_SELECT.replace(' FROM', ', d.sort, r.position FROM')} "
                f"WHERE r.row IN ({','.join('?' * len(chunk))})", chunk)]
        rows.sort(key=lambda pair: pair[0])
        return [row for _, row in rows[:limit]]

    def _spans(self, name: str, text: str, township: str, query: str, latin: str,
               pinyin: Pinyin | None) -> list[tuple[int, int]]:
        """Where a name ``text`` (of a document of ``township``, if its name is masked in
        it) matched, in the name as printed."""
        key = self._name_keys.get((text, township))
        if key is None:
            # Kept: the next keystroke's hits are mostly this one's.
            if len(self._name_keys) > ROWS_KEPT:
                self._name_keys = {}  # replaced, not cleared: another thread may read it
            key = self._name_keys[(text, township)] = match_key(
                indexed(text), place_masker((township,) if township else ()))
        if name == "name":
            return matched_spans(query, key)
        if pinyin is None or len(pinyin.initials) != len(key.text):
            return []
        syllables = _syllable_match(pinyin, latin)
        if syllables:
            ranges = [syllables]
        else:
            at = pinyin.initials.find(latin)
            ranges = [(at, at + len(latin))] if at != -1 else []
        return _merge([key.span(a, b) for a, b in ranges])


_PINYIN_SELECT = "p.kid, p.initials, p.full, p.offsets"
_ROW_SELECT = ("SELECT r.row, d.id, d.source, d.prefecture, d.county, d.township, r.list, "
               "r.serial, r.category, r.name, r.canonical, r.departments, "
               "r.department_names, r.receiver FROM rows r JOIN documents d USING (doc)")


# What a search is filtered by: townships (document ids), list codes, category, department.
_Filters = tuple[frozenset[str], frozenset[str], str, str]


def _filter_signature(townships: Collection[str] | None,
                      kinds: Collection[ListKind] | None, category: str | None,
                      department: str | None) -> _Filters:
    return (frozenset(townships or ()), frozenset(k.code for k in kinds or ()),
            category or "", department or "")


def _row(record: tuple) -> Row:
    (_, doc_id, source, prefecture, county, township, code, serial, category, name,
     canonical, departments, names, receiver) = record[:14]
    kind = ListKind.of_code(code)
    return Row(f"{doc_id}:{kind.value}:{serial}", doc_id, source, prefecture, county,
               township, kind, serial, category, name, canonical, departments,
               split_names(names), receiver)


def _syllable_match(pinyin: Pinyin, latin: str) -> tuple[int, int] | None:
    """Key characters [a, b) whose full pinyin starts with ``latin`` at a syllable start."""
    offsets = pinyin.offsets
    at = pinyin.full.find(latin)
    while at != -1:
        a = bisect_right(offsets, at) - 1
        if offsets[a] == at:
            b = bisect_right(offsets, at + len(latin) - 1)
            return a, min(b, len(offsets) - 1)
        at = pinyin.full.find(latin, at + 1)
    return None


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
