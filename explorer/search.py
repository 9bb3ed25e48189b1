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
import hashlib
import os
import re
import stat
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from lvzhi import cachefile
from lvzhi.cachefile import InvalidCache, Ragged, RaggedMap
from lvzhi.model import Item, ListKind, Row
from lvzhi.places import PlaceMasker, place_masker
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


def _indexed(text: str) -> str:
    return text[:MAX_INDEXED_CHARS]


# --- pinyin --------------------------------------------------------------------------------

@dataclass(slots=True)
class Pinyin:
    """Pinyin of a key: one initial per key character, and full syllables with their offsets."""

    initials: str
    full: str
    offsets: array  # offsets[i] = where key character i starts in ``full``; one extra at end


def pinyin_of(key: str) -> Pinyin:
    # Imported here: pypinyin's dictionaries cost half a second, paid only when an index is
    # built, not when a cached one is loaded.
    from pypinyin import Style, lazy_pinyin

    # pypinyin documents ``errors`` callables that return a list (one entry per character);
    # its stub types them as returning a str, hence the two targeted ignores.
    syllables = lazy_pinyin(key, style=Style.NORMAL,
                            errors=lambda chars: list(chars))  # type: ignore[arg-type, return-value]
    # lazy_pinyin returns one syllable per Han character and one entry per other character.
    if len(syllables) != len(key):
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


class _PinyinTable(Sequence[Pinyin]):
    """The pinyin of every name key, by key id, made on demand from the concatenated
    initials and syllables (``SearchIndex._initials``, ``_full``) and the flat offsets."""

    def __init__(self, initials: str, initials_at: array, full: str, full_at: array,
                 offsets: Ragged) -> None:
        if not len(initials_at) == len(full_at) == len(offsets):
            raise InvalidCache("pinyin: a row for every key")
        self.initials, self.initials_at = initials, initials_at
        self.full, self.full_at = full, full_at
        self.offsets = offsets

    def __len__(self) -> int:
        return len(self.offsets)

    def __getitem__(self, kid: int) -> Pinyin:  # type: ignore[override]
        offsets = self.offsets[kid]
        if not offsets:
            raise InvalidCache("pinyin: no offsets")
        at, full_at = self.initials_at[kid], self.full_at[kid]
        return Pinyin(self.initials[at:at + len(offsets) - 1],
                      self.full[full_at:full_at + offsets[-1]], offsets)


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
MIN_SCORE = 60.0


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
PINYIN_INITIALS_SCORE = 90.0  # gsrd: initials only
# 公伤 for 工伤: a pinyin input method offers a homophone. Tried for short queries in Han
# characters only while they find few good names, below every match of the characters typed.
HOMOPHONE_SCORE = 85.0
HOMOPHONE_MAX_CHARS = 4
HOMOPHONE_WHEN_FEWER = 10
# Search tags a hit found through its pinyin by; its spans come from the name field.
_NAME_TAGS = frozenset({"name", "pinyin", "homophone"})
FIELDS = ("name", "departments", "duties")


class _Keys(Sequence[Key]):
    """The keys of a field by id, made on demand from their texts and flat span arrays."""

    def __init__(self, strings: list[str], starts: Ragged, ends: Ragged) -> None:
        if not len(strings) == len(starts) == len(ends):
            raise InvalidCache("a span row for every key")
        self.strings, self.starts, self.ends = strings, starts, ends

    def __len__(self) -> int:
        return len(self.strings)

    def __getitem__(self, kid: int) -> Key:  # type: ignore[override]
        return Key(self.strings[kid], self.starts[kid], self.ends[kid])


class _Field:
    """One searchable field: its distinct keys, their bigram postings and the items holding them.

    Keys are numbered shortest first, so every posting lists shorter texts first: when a
    query occurs exactly in thousands of texts, the first ones met are the best matches (the
    query covers more of them) and the search can stop early. Everything is held in flat
    integer arrays (``Ragged``), which is also how a cache stores them.
    """

    def __init__(self, strings: list[str], spans: tuple[Ragged, Ragged], items_of: Ragged,
                 item_key: array, postings: RaggedMap, chars: RaggedMap) -> None:
        self.strings = strings  # the distinct keys' texts, by key id
        self.keys = _Keys(strings, *spans)
        self.items_of = items_of  # key id -> the items holding it
        self.item_key = item_key  # item -> key id (-1: empty text)
        self.postings = postings  # bigram -> key ids holding it
        self.chars = chars  # character -> key ids holding it

    @classmethod
    def build(cls, texts: list[str], places: PlaceMasker) -> _Field:
        by_raw: dict[str, Key | None] = {}
        by_key: dict[str, list[int]] = {}
        for index, text in enumerate(texts):
            if not text:
                continue
            if text not in by_raw:
                matched = match_key(text, places)
                by_raw[text] = matched if matched.text else None
            key = by_raw[text]
            if key is not None:
                by_key.setdefault(key.text, []).append(index)
        keyed = {k.text: k for k in by_raw.values() if k is not None}
        order = sorted(by_key, key=lambda t: (len(t), t))
        keys = [keyed[t] for t in order]
        spans = (Ragged.with_lengths(array("i", [n for k in keys for n in k.starts]),
                                     map(len, order)),
                 Ragged.with_lengths(array("i", [n for k in keys for n in k.ends]),
                                     map(len, order)))
        items_of = Ragged.of(by_key[t] for t in order)
        item_key = array("i", [-1]) * len(texts)
        for kid, indices in enumerate(items_of):
            for index in indices:
                item_key[index] = kid
        postings: dict[str, list[int]] = {}
        chars: dict[str, list[int]] = {}
        for kid, text in enumerate(order):
            for gram in bigrams(text):
                postings.setdefault(gram, []).append(kid)
            for char in set(text):
                chars.setdefault(char, []).append(kid)
        return cls(order, spans, items_of, item_key, RaggedMap.of(postings),
                   RaggedMap.of(chars))

    def to_cache(self, name: str) -> tuple[dict[str, Any], dict[str, array]]:
        data: dict[str, Any] = {f"{name}.strings": self.strings}
        arrays = {f"{name}.item_key": self.item_key,
                  **self.keys.starts.to_arrays(f"{name}.starts"),
                  **self.keys.ends.to_arrays(f"{name}.ends"),
                  **self.items_of.to_arrays(f"{name}.items_of")}
        for part in ("postings", "chars"):
            part_data, part_arrays = getattr(self, part).to_cache(f"{name}.{part}")
            data.update(part_data)
            arrays.update(part_arrays)
        return data, arrays

    @classmethod
    def from_cache(cls, data: dict[str, Any], arrays: dict[str, array], name: str,
                   items: int) -> _Field:
        """The field saved by ``to_cache``, its shapes checked against ``items`` items."""
        strings = cachefile.strings(data.get(f"{name}.strings"), f"{name}.strings")
        lengths = list(map(len, strings))
        spans = []
        for part in ("starts", "ends"):
            values = cachefile.one_array(arrays, f"{name}.{part}.values", sum(lengths))
            spans.append(Ragged.with_lengths(values, lengths))
        items_of = Ragged.from_arrays(arrays, f"{name}.items_of", len(strings))
        item_key = cachefile.one_array(arrays, f"{name}.item_key", items)
        cachefile.ints_in_array(items_of.values, items, f"{name}.items_of")
        if min(item_key, default=-1) < -1 or max(item_key, default=-1) >= len(strings):
            raise InvalidCache(f"{name}.item_key: not key ids")
        postings = RaggedMap.from_cache(data, arrays, f"{name}.postings")
        chars = RaggedMap.from_cache(data, arrays, f"{name}.chars")
        for table in (postings, chars):
            cachefile.ints_in_array(table.rows.values, len(strings), f"{name} postings")
        return cls(strings, (spans[0], spans[1]), items_of, item_key, postings, chars)

    def candidates(self, query: str, allowed: set[int] | None) -> list[int]:
        """Key ids worth re-scoring: those sharing the most query bigrams, rarest first."""
        if len(query) == 1:
            ids: Iterable[int] = self.chars.get(query, ())
            if allowed is not None:
                ids = (k for k in ids if k in allowed)
            return list(ids)
        grams = sorted(bigrams(query), key=lambda g: len(self.postings.get(g, ())))
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
        # most_common keeps first-counted (shorter) keys first among equal counts.
        return [k for k, _ in counts.most_common(MAX_CANDIDATES)]

    def score(self, query: str, allowed: set[int] | None, cutoff: float,
              brute_force: bool, need: int) -> list[tuple[int, float]]:
        """(key id, score) of the keys matching ``query`` at ``cutoff`` or better.

        A one-character query matches exactly or not at all: the ``need`` shortest keys
        holding it are all a page can show.
        """
        ids = sorted(allowed) if brute_force and allowed is not None else (
            self.candidates(query, allowed))
        if not ids:
            return []
        if len(query) == 1:
            return [(k, 100.0) for k in ids if query in self.strings[k]][:need]
        if len(query) == 2 and cutoff >= 100.0:
            # Exact is all a two-character query may be, and partial_ratio is 100 exactly when
            # one text holds the other: a substring test says the same, in C, without scoring
            # thousands of keys that hold the common bigram (做好, 工作).
            strings = self.strings
            return [(k, 100.0) for k in ids if query in strings[k] or strings[k] in query]
        choices = [self.strings[k] for k in ids]
        found = process.extract(query, choices, scorer=fuzz.partial_ratio,
                                score_cutoff=cutoff, limit=None)
        return [(ids[position], score) for _, score, position in found]


class SearchIndex(CachedIndex):
    """Build once per store content (``build``); ``search`` per keystroke."""

    CACHE_KIND = "search"

    def __init__(self, rows: RowTable, duty_text: DutyText) -> None:
        self.rows = rows
        self.townships = tuple(sorted({d.township for d in rows.documents
                                       if d.township and rows.range_of(d.id)}))
        self.places = place_masker(self.townships)
        self.fields = {
            "name": _Field.build(list(map(_indexed, rows.names)), self.places),
            "departments": _Field.build(list(map(_indexed, rows.departments)), self.places),
            "duties": _Field.build([_indexed(duty_text(n)) for n in range(len(rows))],
                                   self.places),
        }
        pinyins = [pinyin_of(text) for text in self.fields["name"].strings]
        # All initials / full pinyin in one string each, in key order: str.find runs at C
        # speed over it and meets shorter names first.
        self._initials, self._initials_at = _concatenate(p.initials for p in pinyins)
        self._full, self._full_at = _concatenate(p.full for p in pinyins)
        self.pinyin = _PinyinTable(self._initials, self._initials_at, self._full,
                                   self._full_at, Ragged.of(p.offsets for p in pinyins))
        by_doc = {d.id: list(rows.range_of(d.id)) for d in rows.documents}
        by_kind: dict[str, list[int]] = {}
        for index, code in enumerate(rows.kinds):
            by_kind.setdefault(str(ListKind.of_code(code)), []).append(index)
        self._by_doc, self._by_kind = RaggedMap.of(by_doc), RaggedMap.of(by_kind)
        self._filters: dict[tuple, tuple[set[int], dict[str, set[int]]]] = {}

    @classmethod
    def build(cls, items: Iterable[Item]) -> SearchIndex:
        """The index of whole items held in memory (not a store's)."""
        items = list(items)
        rows = RowTable.from_items(items)
        return cls(rows, duty_texts(rows, items))

    @classmethod
    def load_or_build(cls, rows: RowTable, duty_text: DutyText, cache: Path | None = None,
                      digest: str | None = None) -> SearchIndex:
        """The index of ``rows`` from its cache if that was built from ``digest`` (a store's
        ``store_digest``; else ``items_digest`` is computed), or built and cached. Duty text
        is read only to build."""
        return cls._load_or_build(rows, cache, digest or items_digest(rows, duty_text),
                                  lambda: cls(rows, duty_text))

    def to_cache(self) -> tuple[dict[str, Any], dict[str, array]]:
        data: dict[str, Any] = {"townships": list(self.townships),
                                "initials": self._initials, "full": self._full}
        arrays = {"initials_at": self._initials_at, "full_at": self._full_at,
                  **self.pinyin.offsets.to_arrays("pinyin_offsets")}
        parts: list[tuple[str, _Field | RaggedMap]] = [
            *self.fields.items(), ("by_doc", self._by_doc), ("by_kind", self._by_kind)]
        for name, part in parts:
            part_data, part_arrays = part.to_cache(name)
            data.update(part_data)
            arrays.update(part_arrays)
        return data, arrays

    @classmethod
    def from_cache(cls, data: dict[str, Any], arrays: dict[str, array],
                   rows: RowTable) -> SearchIndex:
        index = cls.__new__(cls)
        index.rows = rows
        index.townships = tuple(cachefile.strings(data.get("townships"), "townships"))
        index.places = place_masker(index.townships)
        index.fields = {name: _Field.from_cache(data, arrays, name, len(rows))
                        for name in FIELDS}
        keys = len(index.fields["name"].strings)
        index._initials = cachefile.string(data.get("initials"), "initials")
        index._full = cachefile.string(data.get("full"), "full")
        index._initials_at = cachefile.one_array(arrays, "initials_at", keys)
        index._full_at = cachefile.one_array(arrays, "full_at", keys)
        index.pinyin = _PinyinTable(index._initials, index._initials_at, index._full,
                                    index._full_at,
                                    Ragged.from_arrays(arrays, "pinyin_offsets", keys))
        index._by_doc = RaggedMap.from_cache(data, arrays, "by_doc")
        index._by_kind = RaggedMap.from_cache(data, arrays, "by_kind")
        for part in (index._by_doc, index._by_kind):
            cachefile.ints_in_array(part.rows.values, len(rows), "filters")
        index._filters = {}
        return index

    # -- filters -------------------------------------------------------------------------

    def _allowed(self, townships: Collection[str] | None, kinds: Collection[ListKind] | None,
                 category: str | None, department: str | None
                 ) -> tuple[set[int], dict[str, set[int]]] | None:
        """Items the filters let through and, per field, their key ids (cached: typing
        repeats the same filters on every keystroke)."""
        if not (townships or kinds or category or department):
            return None
        signature = (frozenset(townships or ()), frozenset(str(k) for k in kinds or ()),
                     category or "", department or "")
        if signature not in self._filters:
            if len(self._filters) > 32:
                self._filters.clear()
            allowed = self._filter_items(*signature)
            keys = {name: {f.item_key[i] for i in allowed} - {-1}
                    for name, f in self.fields.items()}
            self._filters[signature] = (allowed, keys)
        return self._filters[signature]

    def _filter_items(self, townships: frozenset[str], kinds: frozenset[str], category: str,
                      department: str) -> set[int]:
        pools = []
        if townships:
            pools.append({i for d in townships for i in self._by_doc.get(d, ())})
        if kinds:
            pools.append({i for k in kinds for i in self._by_kind.get(k, ())})
        pools.sort(key=len)
        rows = self.rows
        allowed = pools[0] if pools else set(range(len(rows)))
        for pool in pools[1:]:
            allowed &= pool
        if category:
            wanted = fold(category)
            allowed = {i for i in allowed if wanted in (fold(rows.categories[i]),
                                                        fold(rows.canonicals[i]))}
        if department:
            wanted = fold(department)
            allowed = {i for i in allowed if any(
                wanted in fold(d) for d in rows.department_names[i] or [rows.departments[i]])}
        return allowed

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
        text = match_key(query, self.places).text.replace(MASK, "")
        filtered = self._allowed(townships, kinds, category, department)
        allowed_items = filtered[0] if filtered else None
        if not text:
            if allowed_items is None or query.strip():
                return []
            return [Hit(self.rows[i], 100.0, [], "name") for i in sorted(allowed_items)[:limit]]
        latin = query.strip().lower()
        ranked = self._ranked_field("name", text, filtered, limit)
        allowed_keys = filtered[1]["name"] if filtered else None
        if _LATIN_QUERY_RE.fullmatch(latin) and len(latin) >= 2:
            ranked += [(s, "pinyin", k) for k, s in self._pinyin_keys(latin, allowed_keys,
                                                                        limit)]
        sound = ""
        if (_HAN_QUERY_RE.fullmatch(text) and 2 <= len(text) <= HOMOPHONE_MAX_CHARS
                and self._good(ranked) < min(limit, HOMOPHONE_WHEN_FEWER)):
            sound = pinyin_of(text).full
            ranked += [(HOMOPHONE_SCORE, "homophone", k)
                       for k, s in self._pinyin_keys(sound, allowed_keys, limit)
                       if s == PINYIN_FULL_SCORE]
        # Departments and duties can only rank below a good name match: look at them only
        # while good name matches do not fill the page.
        if self._good(ranked) < limit:
            for name in FIELDS[1:]:
                ranked += self._ranked_field(name, text, filtered, limit)
        # Best score first; among equals names before departments before duties, then the
        # shorter text (lower key id).
        order = {"name": 0, "pinyin": 0, "homophone": 0, "departments": 1, "duties": 2}
        ranked.sort(key=lambda r: (-r[0], order[r[1]], r[2]))
        hits: list[Hit] = []
        self._collect(ranked, text, latin, sound, allowed_items, limit, hits, set())
        return hits

    def _good(self, ranked: list[tuple[float, str, int]]) -> int:
        """How many items the good name matches in ``ranked`` stand for."""
        return sum(len(self.fields["name" if f in _NAME_TAGS else f].items_of[k])
                   for s, f, k in ranked if s >= 100 * FIELD_WEIGHT["departments"])

    def _ranked_field(self, name: str, text: str,
                      filtered: tuple[set[int], dict[str, set[int]]] | None,
                      limit: int) -> list[tuple[float, str, int]]:
        """(weighted score, field, key id) of the keys of one field that match ``text``."""
        allowed_keys = filtered[1][name] if filtered else None
        brute = allowed_keys is not None and len(allowed_keys) <= BRUTE_FORCE_TEXTS
        cutoff = min_score(text) if name == "name" else MIN_SCORE_LONG
        return [(s * FIELD_WEIGHT[name], name, k) for k, s in
                self.fields[name].score(text, allowed_keys, cutoff, brute, limit)]

    def _collect(self, ranked: list[tuple[float, str, int]], query: str, latin: str,
                 sound: str, allowed: set[int] | None, limit: int, hits: list[Hit],
                 seen: set[int]) -> None:
        for score, name, kid in ranked:
            field = self.fields["name" if name in _NAME_TAGS else name]
            spans: list[tuple[int, int]] | None = None  # the same for every item of a key
            for index in field.items_of[kid]:
                if len(hits) >= limit:
                    return
                if index in seen or (allowed is not None and index not in allowed):
                    continue
                seen.add(index)
                if spans is None:
                    spans = (self._spans("pinyin", kid, query, sound) if name == "homophone"
                             else self._spans(name, kid, query, latin))
                hits.append(Hit(self.rows[index], round(score, 1), list(spans),
                                "name" if name in _NAME_TAGS else name))

    def _pinyin_keys(self, latin: str, allowed: set[int] | None,
                     limit: int) -> list[tuple[int, float]]:
        """Name keys whose pinyin holds ``latin``: whole syllables first, then initials."""
        found: dict[int, float] = {}

        def accept(kid: int) -> bool:
            return allowed is None or kid in allowed

        for kid in _find_all(self._full, self._full_at, latin, accept, limit):
            if self._syllable_match(kid, latin) is not None:
                found[kid] = PINYIN_FULL_SCORE
        for kid in _find_all(self._initials, self._initials_at, latin, accept, limit):
            found.setdefault(kid, PINYIN_INITIALS_SCORE)
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

    def _spans(self, name: str, kid: int, query: str, latin: str) -> list[tuple[int, int]]:
        """Where a name matched, in the name as printed (no spans for other fields)."""
        if name == "pinyin":
            key = self.fields["name"].keys[kid]
            return _merge([key.span(a, b) for a, b in self._pinyin_ranges(kid, latin)])
        if name != "name":
            return []
        return matched_spans(query, self.fields["name"].keys[kid])

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


def _find_all(haystack: str, starts: array, needle: str, accept: Callable[[int], bool],
              limit: int) -> list[int]:
    """Part numbers containing ``needle``, each once, in order, at most ``limit`` accepted."""
    found: list[int] = []
    at = haystack.find(needle)
    while at != -1 and len(found) < limit:
        part = bisect_right(starts, at) - 1
        if accept(part):
            found.append(part)
        # One hit per part is enough: skip to the next part.
        next_start = starts[part + 1] if part + 1 < len(starts) else len(haystack)
        at = haystack.find(needle, next_start)
    return found
