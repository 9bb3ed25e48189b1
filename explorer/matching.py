"""Matters: the same duty as written by different townships, found across all of them.

How items become matters, in two passes that never compare all pairs:

1. **Gathering.** Items are taken township by township and join a cluster when they score
   at least ``JOIN_SCORE`` against one of its *representatives* (a few distinct wordings
   kept per cluster). Candidate clusters come from an inverted index of the representatives'
   rarest character bigrams (each wording looks up with its own), so the work per item is
   bounded and the pass is linear in the number of items. Identical wordings join without
   being scored.
2. **Pairing up.** Clusters whose townships do not overlap are merged when they are each
   other's best candidate and score at least ``MUTUAL_SCORE``, or when they score
   ``JOIN_SCORE`` outright. The mutual-best rule is what lets a reworded item (兵团 lists
   word things their own way) find its matter without a low global threshold: a township
   that has the right counterpart never pairs with a near miss, because its own item is
   the better candidate and its township already sits in the other cluster.

An item is never matched to another item of its own township: a cluster holds at most one
item per document, in both passes.

Names are compared on their *core*: ``lvzhi.search.match_key`` (place names masked,
县/市/师市 and 乡/镇 unified, width and punctuation folded), with the domain's aliases put in
(``lvzhi.aliases``: 测量标志 → 测绘基础设施, “两违” ← 违法用地、违法建设 …; shipped as data,
extended by ``aliases.toml`` next to the store), without the words every duty starts or ends
with (负责, 做好, 开展 … 工作). ``Scorer`` says how alike two cores are (0..100): the mean of
rapidfuzz's ``ratio`` (same wording) and the cosine of IDF-weighted character bigrams (sharing
the rare words that name a matter, 工会 vs 妇联, whatever the order of the clauses), scaled
down when only the administrative words agree (草原违法行为处置 vs 拖欠农民工工资违法行为处置).
A name of several clauses is also compared clause by clause (a list of tasks against one of
them: ``CLAUSE_WEIGHT``, never above ``CLAUSE_CAP``, so a shared clause only pairs mutual best
candidates). An opening clause that only frames the duty (落实安全生产责任制，…; 按照干部管理
权限，…) and whose field the rest of the name does not take up is a *preamble*: between two
names that both go on it counts for nothing, so such a shared opening never carries a join by
itself (``core_with_head``). Two names of different kinds of one *contrast* of the alias
table (林业 vs 草原, 价格监测 vs 价格监督检查, 法律援助 vs 普法 — terms the lists keep apart) keep
``CONTRAST_FACTOR`` of their score, whole or by their headlines.

The rest of the row is added to that (``row_evidence``): the lead departments, folded by
``lvzhi.departments`` (市监局 = 市场监督管理局), agree (+``DEPARTMENT_AGREE``) or share
nothing (−``DEPARTMENT_DISAGREE``) — names alone cannot tell two duties of different
departments apart when they share most characters; the canonical category; the same list;
the duty text of cooperative and reclaimed rows (``duty_text``, ``duty_evidence``).
A cluster carries the departments, categories and lists of all its members.

The constants were chosen on the *tune* half of the labeled items in ``tests/matching_eval``
(a grid over the thresholds and the row weights: no hard non-match joined first, then the
highest recall); its docstring gives both halves' figures. Lower thresholds start pairing
unrelated leftovers (公益性墓地 with 农村公路管理).

A person's corrections (``lvzhi.corrections``: link, unlink) are applied over the result
by ``apply_corrections`` and override the scorer; ``explain`` says why two items are joined.

Limits, by design: near misses that differ in one word are told apart only when some
township lists both or their lead departments differ, and a leftover item with no true
counterpart pairs with its mutual best when that scores ``MUTUAL_SCORE`` (价格监测 with
价格监督检查, whose lead departments are 发改 and 市监局 but which both name 发改).
"""

from __future__ import annotations

import hashlib
import math
import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from operator import le
from pathlib import Path
from sys import intern
from typing import Any, NamedTuple, cast, overload

from rapidfuzz import fuzz

from lvzhi import aliases as alias_data
from lvzhi import cachefile
from lvzhi.cachefile import InvalidCache, Ragged
from lvzhi.departments import lead_departments, row_departments
from lvzhi.model import Item, ListKind, Row
from lvzhi.places import PlaceMasker, place_masker
from lvzhi.rows import RowTable
from lvzhi.search import MASK, CachedIndex, DutyText, match_key

# Bump when matters come out differently for the same rows and aliases: a store's cached
# matcher (``for_store``) is then rebuilt. 2: preambles, lookups by every wording.
VERSION = 2

# Join a cluster, or merge two clusters, outright at this score (name and row evidence).
JOIN_SCORE = 60.0
# Merge two clusters that are each other's best candidate at this score.
MUTUAL_SCORE = 40.0
# Representatives kept per cluster: enough to bridge rewordings, few enough to stay fast.
MAX_REPRESENTATIVES = 4
# Clusters scored per item (pass 1) or per cluster (pass 2), picked by the IDF weight of
# the bigrams they share: the right one is nearly always among the first few.
GATHER_CANDIDATES = 8
MAX_CANDIDATES = 24
# Bigrams of an item used to look candidates up: its rarest ones carry the matter.
LOOKUP_BIGRAMS = 12
MERGE_ROUNDS = 3
# Up to this many members, a matter worded differently everywhere is labeled by the wording
# closest to all others (quadratic, so only for small matters).
LABEL_MEDOID_MAX = 30
# The rest of the row, added to the name score (see ``RowEvidence``). Lead departments agree
# in most true pairs that have them and in few random ones; a disagreeing department is the
# one thing that tells apart two duties whose names share most characters (monitoring vs
# enforcement). Chosen on the tune half of tests/matching_eval (its docstring has the figures).
DEPARTMENT_AGREE = 6.0  # the lead departments agree
DEPARTMENT_SHARED = -6.0  # the leads differ, but one side's lead is among the other's
DEPARTMENT_DISAGREE = 12.0  # no department in common
CATEGORY_AGREE = 0.0
CATEGORY_DISAGREE = 6.0
SAME_LIST = 2.0
# Canonical categories that townships use for one another's duties: 社会保障 is filed under 民生服务
# by some (37 of the 62 category disagreements of true pairs on the tune half), 投资促进 under
# 经济发展. They count as one category.
CATEGORY_FAMILY = {"社会保障": "民生服务", "投资促进": "经济发展"}
# The duty text of cooperative and reclaimed rows (what the upper level and the township do):
# when both sides have some, IDF-weighted bigram cosine (0..100) at least DUTY_HIGH adds
# DUTY_AGREE, below DUTY_LOW costs DUTY_DISAGREE. True pairs mostly share 10–30 of it, random
# pairs almost never 10; counties word the steps of one duty their own way, so it is weak.
DUTY_HIGH = 30.0
DUTY_AGREE = 4.0
DUTY_LOW = 8.0
DUTY_DISAGREE = 4.0
# Rows whose duty texts weigh the bigrams (an even sample), and duty texts kept per cluster.
DUTY_IDF_SAMPLE = 2000
MAX_DUTY_TEXTS = 4
# The most the rest of a row can add to a name score.
MOST_EVIDENCE = DEPARTMENT_AGREE + max(CATEGORY_AGREE, 0.0) + SAME_LIST + DUTY_AGREE
# A name of several clauses leads with its headline (落实乡村两级河湖长制，做好…岸线日常巡查):
# two headlines alike count this much of their score when the whole names are not.
HEAD_WEIGHT = 1.0
# Two names of different kinds of one contrast (``lvzhi.aliases``: 林业 vs 草原 有害生物, 价格监测
# vs 价格监督检查), whole or by their headlines, keep this share of their name score.
CONTRAST_FACTOR = 0.5
# Any clause of one name against any clause of the other counts this much of their score; a
# clause shorter than CLAUSE_MIN characters (its core) is not compared alone; names are cut
# into at most MAX_CLAUSES clauses.
CLAUSE_WEIGHT = 0.7
CLAUSE_MIN = 4
# A shared clause alone never joins outright (below ``JOIN_SCORE``): two lists of tasks share
# boilerplate clauses (履行全面从严治党主体责任), so it only pairs mutual best candidates.
CLAUSE_CAP = 55.0
MAX_CLAUSES = 6
# Scores of headlines and clauses kept at most (``Scorer._part_alike``: ~30 MB).
MAX_KEPT_PARTS = 250_000
# Between a core's headline and the whole core (see ``core_with_head``).
HEAD_SEP = "\x1f"
# Before the headline of a core when it is a preamble (see ``core_with_head``).
PREAMBLE_MARK = "\x1e"
_CLAUSE = re.compile(r"[，,；;。：:]")
# An opening clause that states a responsibility, not a duty (see ``core_with_head``).
_PREAMBLE = re.compile(r"(责任制|主体责任|责任|职责|权限)(目标任务)?$|^(按照|依照|根据|依据)")

# Words that open or close almost every duty and say nothing about which duty it is.
_LEADING = re.compile(r"^(负责|做好|开展|落实|加强|推进|推动|组织|协助|配合|依法依规|依法|积极|"
                      r"深化|健全|认真|及时|全面|进一步|大力|常态化|持续|统筹|着力|切实|扎实|"
                      r"深入|广泛|不断)+")
_TRAILING = re.compile(r"(相关|有关|等|日常)?(工作|事项)$")
_ANYWHERE = re.compile(r"本乡|本辖区|辖区内|本级|" + MASK)
# What duties do, as opposed to what they do it to: cut out when comparing objects.
_GENERIC = re.compile(
    "工作|管理|管控|监督|检查|监管|处置|整治|专项|服务|保障|建设|审批|审核|办理|指导|组织|开展|"
    "落实|负责|做好|推进|加强|相关|日常|宣传|教育|培训|申报|实施|维护|运行|防治|处罚|违法|"
    "行为|普及|推广|提升|促进|规范|健全|完善|机制|制度|责任|体系|领域|事项|各类|查处|农村|乡村|城乡|"
    "[等和及的与对]")


def core_of(key: str) -> str:
    """A match key without the boilerplate around the matter's own words (never empty when
    the key is not: 工作 alone stays 工作)."""
    core = key
    while True:
        stripped = _TRAILING.sub("", _LEADING.sub("", core))
        if stripped == core or not stripped:
            break
        core = stripped
    return _ANYWHERE.sub("", core) or core


# The alias table a matcher is built with when none is given: the shipped one, or what
# ``using_aliases`` set (a command knows the store, hence the user's file; the cache's
# ``load_or_build`` makes the matcher with its items alone).
_ALIASES: ContextVar[alias_data.AliasTable | None] = ContextVar("lvzhi_aliases", default=None)


def active_aliases() -> alias_data.AliasTable:
    table = _ALIASES.get()
    if table is None:
        table = alias_data.load()
        _ALIASES.set(table)
    return table


@contextmanager
def using_aliases(table: alias_data.AliasTable) -> Iterator[None]:
    """Build matchers with ``table`` inside this block."""
    token = _ALIASES.set(table)
    try:
        yield
    finally:
        _ALIASES.reset(token)


def plain_core(text: str, places: PlaceMasker, table: alias_data.AliasTable) -> str:
    # Aliases on the key and again on its core: 本乡, 负责 … stand between the words of a
    # variant in some names (集中管理本乡档案).
    return table.apply(core_of(table.apply(match_key(text, places).text)[0]))[0]


def _taken_up(opening: str, rest: str) -> bool:
    """Whether the rest of a name goes on about the field its opening clause names (at least
    half of the opening's object bigrams recur: 落实农产品质量安全监督责任，…农产品质量安全
    事故先期处置 does; 落实安全生产责任制，做好应急队伍建设… does not)."""
    grams = {g for part in _GENERIC.split(opening) for g in _bigrams(part) if len(g) == 2}
    return bool(grams) and sum(g in rest for g in grams) * 2 >= len(grams)


def core_with_head(name: str, places: PlaceMasker, table: alias_data.AliasTable,
                   known: dict[str, str] | None = None) -> str:
    """The core of a name; for a name of several clauses, its clauses' cores (the first is
    its headline, at most ``MAX_CLAUSES``), each followed by ``HEAD_SEP``, then the whole
    core (the scorer reads them all; bigrams only the whole).

    An opening clause that only states a responsibility (落实安全生产责任制，做好应急队伍建设…)
    and whose field the rest of the name does not take up is a *preamble* (marked
    ``PREAMBLE_MARK``): it frames the duty without naming it, and different duties of one
    field open with the same such clause, so between two names that both go on it carries
    nothing; against a name of one clause it still counts (see ``Scorer.score``).

    ``known`` keeps ``plain_core`` of the texts met (names share clauses: a third of them
    at 1,000 townships)."""
    def plain(text: str) -> str:
        if known is None:
            return plain_core(text, places, table)
        core = known.get(text)
        if core is None:
            core = known[text] = plain_core(text, places, table)
        return core

    parts = [p for p in _CLAUSE.split(name.strip()) if p.strip()]
    if len(parts) < 2 or not _CLAUSE.split(name.strip(), maxsplit=1)[0].strip():
        return plain(name)
    clauses = [c for c in dict.fromkeys(plain(p) for p in parts[:MAX_CLAUSES]) if c]
    core = plain(name)
    if _PREAMBLE.search(parts[0].strip()) and len(clauses) > 1 and not _taken_up(
            clauses[0], "".join(clauses[1:])):
        clauses[0] = PREAMBLE_MARK + clauses[0]
    if not clauses or clauses == [core]:
        return core
    return HEAD_SEP.join([*clauses, core])


def item_departments(item: Row) -> RowDepartments:
    """Department keys of a row: its departments, else who takes a reclaimed duty back."""
    return RowDepartments(row_departments(item.department_names, item.receiver),
                          lead_departments(item.department_names, item.receiver))


def duty_text(item: Item) -> str:
    """What matching reads of an item's duty text: the upper level's and the township's
    steps ("" for a basic row). A matcher gets it row by row (``DutyText``) from whoever
    holds the whole items: the library reads it from the store."""
    upper, township = item.upper_duties, item.township_duties
    return "".join(upper) + "\n" + "".join(township) if upper or township else ""


_STEP_NUMBER = re.compile(r"\d+[.、．]|[（(]\d+[)）]|[一二三四五六七八九十]+、")


class DutyTexts:
    """Duty texts of the rows being matched, read only when asked (``text_of(n)`` for row
    ``n``), as IDF-weighted bigram vectors, and how alike two sets of them are.

    A province holds ~100,000 duty texts of a few hundred characters: turning them all into
    vectors would cost more than matching itself. So a text is read and turned into a vector
    the first time a comparison needs it (``duty_evidence`` is asked only where it can decide,
    see ``Matcher._with_duties``), and the weights come from an even sample of at most
    ``DUTY_IDF_SAMPLE`` rows."""

    def __init__(self, text_of: Callable[[int], str], size: int) -> None:
        self._text_of = text_of
        self._vectors: dict[int, dict[str, float] | None] = {}
        step = max(1, size // DUTY_IDF_SAMPLE)
        df: Counter[str] = Counter()
        total = 0
        for n in range(0, size, step):
            grams = self._grams(text_of(n))
            if grams:
                total += 1
                df.update(set(grams))
        self._idf = {g: math.log((total + 1) / (k + 0.5)) for g, k in df.items()}
        self._unseen = math.log(total + 1) if total else 1.0  # a bigram no sampled text has

    @staticmethod
    def _grams(text: str) -> list[str]:
        if not text:
            return []
        text = _STEP_NUMBER.sub("", match_key(text).text)
        return [text[i:i + 2] for i in range(len(text) - 1)]

    def vector(self, n: int) -> dict[str, float] | None:
        if n in self._vectors:
            return self._vectors[n]
        grams = self._grams(self._text_of(n))
        vector: dict[str, float] | None = None
        if grams:
            counts = Counter(grams)
            vector = {k: (1 + math.log(c)) * self._idf.get(k, self._unseen)
                      for k, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            vector = {k: v / norm for k, v in vector.items()}
        self._vectors[n] = vector
        return vector

    def similarity(self, a: Iterable[int], b: Iterable[int]) -> float | None:
        """The best cosine (0..100) between a duty text of ``a`` and one of ``b`` (row
        numbers, a few each), None when one side has none."""
        vectors_b = [v for v in map(self.vector, b) if v is not None]
        if not vectors_b:
            return None
        best: float | None = None
        for va in map(self.vector, a):
            if va is None:
                continue
            for vb in vectors_b:
                dot = 100.0 * sum(va[g] * vb[g] for g in va.keys() & vb.keys())
                best = dot if best is None else max(best, dot)
        return best


def duty_evidence(similarity: float | None) -> float:
    """What two duty texts add: ``DUTY_AGREE`` when alike, ``-DUTY_DISAGREE`` when they share
    next to nothing, 0 in between or when a side has none."""
    if similarity is None:
        return 0.0
    if similarity >= DUTY_HIGH:
        return DUTY_AGREE
    return -DUTY_DISAGREE if similarity < DUTY_LOW else 0.0


def full_of(core: str) -> str:
    """A core without its headline part."""
    return core.rpartition(HEAD_SEP)[2]


def clauses_of(core: str) -> list[str]:
    """A core's clauses (see ``core_with_head``), or the whole core when it has one."""
    return core.split(HEAD_SEP)[:-1] if HEAD_SEP in core else [core]


def head_of(core: str) -> str:
    """A core's headline: its first clause (a preamble too), or the whole core when it has
    one clause."""
    head, _, full = core.partition(HEAD_SEP)
    return head.removeprefix(PREAMBLE_MARK) if full else core


def is_preamble(clause: str) -> bool:
    return clause.startswith(PREAMBLE_MARK)


def _bigrams(text: str) -> list[str]:
    text = full_of(text)
    return [text[i:i + 2] for i in range(len(text) - 1)] or ([text] if text else [])


@dataclass(slots=True)
class Counterpart:
    item: Row
    score: float
    why: str = ""  # filled by ``Matcher.counterparts``: see ``Explanation``


@dataclass(slots=True)
class Explanation:
    """Why two items are (or are not) one matter: what ``lvzhi counterparts`` shows."""

    score: float  # the whole-row score, 0..100
    name: float  # the name score alone
    shared_departments: list[str] = field(default_factory=list)
    other_departments: bool = False  # both name departments and none is shared
    same_category: bool | None = None  # None: one of them has none
    aliases: list[str] = field(default_factory=list)  # canonical wordings used
    user: str = ""  # "link" / "unlink" when a person said so
    contrast: bool = False  # the names hold different kinds of one contrast (林业 vs 草原)

    def __str__(self) -> str:
        parts = [f"name {self.name:.0f}"]
        if self.shared_departments:
            parts.append("same department " + "、".join(self.shared_departments))
        elif self.other_departments:
            parts.append("other department")
        if self.same_category is not None:
            parts.append("same category" if self.same_category else "other category")
        if self.aliases:
            parts.append("alias " + "、".join(self.aliases))
        if self.contrast:
            parts.append("contrast")
        if self.user:
            parts.append("user " + self.user)
        return " · ".join(parts)


class Pairs(Sequence[tuple[int, float]]):
    """A matter's members as (row number, score) pairs, held in two arrays: a country's ten
    million members were a gigabyte as tuples of Python numbers."""

    __slots__ = ("rows", "scores")

    def __init__(self, pairs: Iterable[tuple[int, float]] = ()) -> None:
        self.rows = array("i")
        self.scores = array("d")
        for n, score in pairs:
            self.rows.append(n)
            self.scores.append(score)

    @classmethod
    def of(cls, rows: array, scores: array) -> Pairs:
        """The pairs of two arrays of one length (taken, not copied)."""
        pairs = cls()
        pairs.rows, pairs.scores = rows, scores
        return pairs

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, i: int) -> tuple[int, float]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, float]]: ...

    def __getitem__(self, i: int | slice) -> tuple[int, float] | list[tuple[int, float]]:
        if isinstance(i, slice):
            return list(zip(self.rows[i], self.scores[i], strict=True))
        return self.rows[i], self.scores[i]

    def __iter__(self) -> Iterator[tuple[int, float]]:
        return zip(self.rows, self.scores, strict=True)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


# A matter as built: its id, its label and its members.
Group = tuple[str, str, Pairs]


class GroupOf:
    """Each row's group (its matter's number), ``get`` as a dict's: one machine integer a
    row, where a dict of a country's rows held ten million Python integers."""

    __slots__ = ("_groups",)

    def __init__(self, rows: int, groups: Iterable[Iterable[int]]) -> None:
        self._groups = array("i", [-1]) * rows
        for g, members in enumerate(groups):
            for n in members:
                self._groups[n] = g

    def get(self, n: int, default: int | None = None) -> int | None:
        g = self._groups[n] if 0 <= n < len(self._groups) else -1
        return default if g < 0 else g

    def to_dict(self) -> dict[int, int]:
        return {n: g for n, g in enumerate(self._groups) if g >= 0}


class Members(Sequence[Counterpart]):
    """A matter's members, made into rows only when read: listing every matter of a
    province must not build a ``Row`` per item (262,000 of them at 1,000 townships) when
    most callers count townships or show a few matters."""

    __slots__ = ("_made", "_members", "_rows")

    def __init__(self, rows: RowTable, members: Sequence[tuple[int, float]]) -> None:
        self._rows, self._members = rows, members
        self._made: list[Counterpart] | None = None

    def _all(self) -> list[Counterpart]:
        if self._made is None:
            rows = self._rows
            self._made = [Counterpart(rows[n], score) for n, score in self._members]
        return self._made

    def __len__(self) -> int:
        return len(self._members)

    @overload
    def __getitem__(self, i: int) -> Counterpart: ...
    @overload
    def __getitem__(self, i: slice) -> list[Counterpart]: ...

    def __getitem__(self, i: int | slice) -> Counterpart | list[Counterpart]:
        return self._all()[i]

    def __iter__(self) -> Iterator[Counterpart]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def doc_ids(self) -> set[str]:
        """The townships (document ids) of the members, without making rows."""
        rows = self._rows
        return {rows.doc_of(n).id for n, _ in self._members}


@dataclass(slots=True)
class Matter:
    id: str
    label: str
    members: Sequence[Counterpart]

    @property
    def townships(self) -> set[str]:
        if isinstance(self.members, Members):
            return self.members.doc_ids()
        return {m.item.doc_id for m in self.members}


@dataclass(slots=True)
class Comparison:
    both: list[tuple[Row, Row, float]]
    only_a: list[Row]
    only_b: list[Row]
    different_lists: list[tuple[Row, Row, float]]


class Scorer:
    """Similarity of two cores, 0..100.

    The base is the mean of rapidfuzz's ``ratio`` (same wording) and the cosine of
    IDF-weighted character bigrams (sharing the rare words that name a matter, in any
    clause order). It is then scaled down when the names agree only on what is done and
    not on what it is done to: the cosine of the *object* bigrams — what is left once the
    administrative words (管理, 监督, 检查, 处置, 违法行为 …) are cut out — below 30 costs
    up to 60% of the score (草原违法行为处置 vs 拖欠农民工工资违法行为处置).
    """

    def __init__(self, cores: list[str], table: alias_data.AliasTable | None = None) -> None:
        self.table = table if table is not None else active_aliases()
        self._kinds: dict[str, frozenset[tuple[int, int]]] = {}
        distinct = set(cores)
        df: Counter[str] = Counter()
        for core in distinct:
            df.update(set(_bigrams(core)))
        total = max(len(distinct), 1)
        self.idf = {g: math.log((total + 1) / (n + 0.5)) for g, n in df.items()}
        # Per text compared (a whole core, a headline, a clause): its bigram vector and its
        # object vector, made once.
        self._vectors: dict[str, tuple[dict[str, float], dict[str, float]]] = {}
        # Per core: its parts as ``score`` reads them (see ``_form``), split once.
        self._forms: dict[str, _Form] = {}
        self._scores: dict[tuple[str, str], float] = {}
        # ``_alike`` of headlines and clauses (``_part_alike``), as called: at most
        # ``MAX_KEPT_PARTS``.
        self._parts: dict[tuple[str, str], float] = {}
        # Per core: its distinct bigrams, heaviest first (``Matcher._ranked``).
        self._lookup: dict[str, list[str]] = {}

    @classmethod
    def from_idf(cls, idf: dict[str, float],
                 table: alias_data.AliasTable | None = None) -> Scorer:
        """A scorer with the weights of another (a cache keeps only those: the memos are
        rebuilt on demand)."""
        scorer = cls([], table)
        scorer.idf = idf
        return scorer

    def weight(self, gram: str) -> float:
        return self.idf.get(gram, 1.0)

    def lookup_grams(self, core: str) -> list[str]:
        """A core's distinct bigrams by falling (weight, bigram): the order in which
        ``Matcher`` looks candidates up with them."""
        grams = self._lookup.get(core)
        if grams is None:
            # By bigram, then stably by weight: two sorts in C (``weight`` is the IDF's own
            # lookup for bigrams it has, as every core's are when built from the cores).
            grams = sorted(set(map(intern, _bigrams(core))), reverse=True)
            idf = self.idf
            grams.sort(key=idf.__getitem__ if all(map(idf.__contains__, grams))
                       else self.weight, reverse=True)
            self._lookup[core] = grams
        return grams

    def _normalized(self, grams: list[str]) -> dict[str, float]:
        counts = Counter(grams)
        # Interned: every wording's vector would otherwise keep its own copy of each bigram
        # (a third of matching's memory at a province's size).
        vector = {intern(g): (1 + math.log(n)) * self.weight(g) for g, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {g: v / norm for g, v in vector.items()}

    def _vectors_of(self, text: str) -> tuple[dict[str, float], dict[str, float]]:
        vectors = self._vectors.get(text)
        if vectors is None:
            objects = [g for part in _GENERIC.split(text) for g in _bigrams(part)]
            vectors = self._vectors[text] = (self._normalized(_bigrams(text)),
                                             self._normalized(objects))
        return vectors

    def vector(self, core: str) -> dict[str, float]:
        return self._vectors_of(core)[0]

    def object_vector(self, core: str) -> dict[str, float]:
        return self._vectors_of(core)[1]

    @staticmethod
    def _dot(va: dict[str, float], vb: dict[str, float]) -> float:
        # Names share few bigrams: intersecting the key views (in C) beats a full scan, and
        # summing a list made over the few common keys beats mapping C functions over them
        # (same order, same sum).
        common = va.keys() & vb.keys()
        if not common:
            return 0.0
        return 100.0 * sum([va[g] * vb[g] for g in common])

    def cosine(self, a: str, b: str) -> float:
        return self._dot(self.vector(a), self.vector(b))

    def _form(self, core: str) -> _Form:
        form = self._forms.get(core)
        if form is None:
            clauses = clauses_of(core)
            # A clause is compared when long enough (its mark counted), without its mark.
            compared = [(c.removeprefix(PREAMBLE_MARK), is_preamble(c)) for c in clauses
                        if len(c) >= CLAUSE_MIN]
            form = self._forms[core] = _Form(
                full_of(core), HEAD_SEP in core, head_of(core), is_preamble(clauses[0]),
                [c for c, _ in compared], [c for c, preamble in compared if not preamble])
        return form

    def score(self, a: str, b: str) -> float:
        if a == b:
            return 100.0
        if not a or not b:
            return 0.0
        pair = (a, b) if a < b else (b, a)
        score = self._scores.get(pair)
        if score is None:
            score = self._scores[pair] = self._score(a, b)
        return score

    def highest(self, core: str, others: list[str]) -> float:
        """``max(self.score(core, other) for other in others)``, the kept scores read here
        (most are kept: gathering asks for the same pairs again and again)."""
        get, score = self._scores.get, self.score
        return max([get((core, other) if core < other else (other, core)) or score(core, other)
                    for other in others])

    def _score(self, a: str, b: str) -> float:
        form_a, form_b = self._form(a), self._form(b)
        alike = self._alike
        score = alike(form_a.full, form_b.full)
        if HEAD_WEIGHT and (form_a.several or form_b.several):
            # A preamble is compared only with a name of one clause (see core_with_head).
            both = form_a.several and form_b.several
            head_a, head_b = form_a.head, form_b.head
            if min(len(head_a), len(head_b)) >= 4 and not (both and (
                    form_a.preamble or form_b.preamble)):
                score = max(score, HEAD_WEIGHT * self._part_alike(head_a, head_b))
            if CLAUSE_WEIGHT and score < CLAUSE_CAP:  # else clauses cannot raise it
                # A list of tasks against one of them (规范村工作机制、牌子、证明事项 is
                # the third clause of 推进为基层减负，…，规范工作机制、挂牌和证明事项).
                clauses_a, clauses_b = ((form_a.plain_clauses, form_b.plain_clauses) if both
                                        else (form_a.clauses, form_b.clauses))
                part = self._part_alike
                clauses = max((part(x, y) for x in clauses_a for y in clauses_b),
                              default=0.0)
                score = max(score, min(CLAUSE_WEIGHT * clauses, CLAUSE_CAP))
        if self._contrasted(form_a, form_b):
            score = score * CONTRAST_FACTOR
        return score

    def kinds(self, text: str) -> frozenset[tuple[int, int]]:
        found = self._kinds.get(text)
        if found is None:
            found = self._kinds[text] = self.table.kinds_in(text)
        return found

    def contrasted(self, a: str, b: str) -> bool:
        """Whether two cores name different kinds of one contrast, whole or by their
        headlines (法律援助 against 法治宣传教育，提供法律咨询、法律援助: that list leads
        with 普法)."""
        return self._contrasted(self._form(a), self._form(b))

    def _contrasted(self, a: _Form, b: _Form) -> bool:
        contrasted = self.table.contrasted
        kinds_a = self.kinds(a.full)
        if kinds_a and contrasted(kinds_a, self.kinds(b.full)):
            return True
        if not a.several and not b.several:
            return False
        heads_a = self.kinds(a.head)
        return bool(heads_a) and contrasted(heads_a, self.kinds(b.head))

    def _alike(self, a: str, b: str) -> float:
        if a == b:
            return 100.0
        vectors = self._vectors
        vector_a, objects_a = vectors.get(a) or self._vectors_of(a)
        vector_b, objects_b = vectors.get(b) or self._vectors_of(b)
        # ``_dot`` written out (the commonest call of a matching run).
        common = vector_a.keys() & vector_b.keys()
        cosine = 100.0 * sum([vector_a[g] * vector_b[g] for g in common]) if common else 0.0
        base = (fuzz.ratio(a, b) + cosine) / 2
        common = objects_a.keys() & objects_b.keys()
        objects = 100.0 * sum([objects_a[g] * objects_b[g] for g in common]) if common else 0.0
        return base * min(1.0, 0.4 + objects / 50)

    def _part_alike(self, a: str, b: str) -> float:
        """``_alike`` of two headlines or clauses, kept: names share them (a clause of
        boilerplate recurs in hundreds of names), so most are compared again and again."""
        alike = self._parts.get((a, b))
        if alike is None:
            if len(self._parts) >= MAX_KEPT_PARTS:
                self._parts.clear()  # a bound on its memory: what recurs comes back soon
            alike = self._parts[(a, b)] = self._alike(a, b)
        return alike


class _Form(NamedTuple):
    """A core's parts as ``Scorer.score`` reads them."""

    full: str  # ``full_of``
    several: bool  # of several clauses
    head: str  # ``head_of``
    preamble: bool  # its first clause is a preamble
    clauses: list[str]  # the clauses compared alone, without their mark
    plain_clauses: list[str]  # those of them that are not a preamble


@dataclass(slots=True)
class _Cluster:
    # Members: row numbers and scores, as machine numbers (a country's ten million members
    # were a gigabyte as tuples of Python numbers).
    rows: array = field(default_factory=lambda: array("i"))
    scores: array = field(default_factory=lambda: array("d"))
    # Its documents, by number in gathering's order (ascending): 4 bytes a member, where a
    # set took some 55.
    docs: array = field(default_factory=lambda: array("i"))
    representatives: list[str] = field(default_factory=list)  # cores
    merged_into: int = -1
    departments: set[str] = field(default_factory=set)  # department keys of its members
    leads: set[str] = field(default_factory=set)  # lead department keys of its members
    categories: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)  # ListKind codes
    duties: list[int] = field(default_factory=list)  # a few members (their duty texts)
    last_profile: int = -1  # gathering: the ``_Profile`` of the row that joined last
    row_departments: RowDepartments = field(init=False)  # of its members, as they grow

    def __post_init__(self) -> None:
        self.row_departments = RowDepartments(self.departments, self.leads)


class _Profile(NamedTuple):
    """What a row adds to its cluster besides its name."""

    departments: RowDepartments
    category: str  # canonical
    kind: str  # ListKind code


class _DocNumbers:
    """An ascending array of document numbers (a cluster's), asked whether it shares one
    with others: it walks the other array against its own numbers as a set (made once,
    when first needed), or, when one array is far longer, looks the shorter one's numbers
    up in the longer by bisection."""

    __slots__ = ("_docs", "_set")

    def __init__(self, docs: array) -> None:
        self._docs = docs
        self._set: set[int] | None = None

    def meets(self, other: array) -> bool:
        docs = self._docs
        if not docs or not other or docs[-1] < other[0] or other[-1] < docs[0]:
            return False
        short, long = (docs, other) if len(docs) <= len(other) else (other, docs)
        if len(short) * 16 < len(long):
            at, end = 0, len(long)
            for d in short:
                at = bisect_left(long, d, at)
                if at == end:
                    return False
                if long[at] == d:
                    return True
            return False
        if self._set is None:
            self._set = set(docs)
        return not self._set.isdisjoint(other)


@dataclass(frozen=True, slots=True)
class RowDepartments:
    """Department keys of a row (or a cluster of rows): all of them, and the leads'."""

    every: frozenset[str] | set[str]
    leads: frozenset[str] | set[str]


def department_evidence(a: RowDepartments, b: RowDepartments) -> float:
    """Departments count only when both sides name some (basic lists name none): the same
    lead adds ``DEPARTMENT_AGREE``; a lead found only among the other side's other
    departments adds ``DEPARTMENT_SHARED``; nothing in common costs ``DEPARTMENT_DISAGREE``."""
    if not (a.every and b.every):
        return 0.0
    if not set(a.leads).isdisjoint(b.leads):
        return DEPARTMENT_AGREE
    if not (set(a.leads).isdisjoint(b.every) and set(b.leads).isdisjoint(a.every)):
        return DEPARTMENT_SHARED
    return -DEPARTMENT_DISAGREE


def row_evidence(departments_a: RowDepartments, departments_b: RowDepartments,
                 categories_a: Collection[str], categories_b: Collection[str],
                 kinds_a: Collection[ListKind | str],
                 kinds_b: Collection[ListKind | str]) -> float:
    """What the rest of two rows (or two clusters of rows) adds to their name score: their
    departments (``department_evidence``); the canonical category when both have one
    (``CATEGORY_AGREE`` / ``-CATEGORY_DISAGREE``, read by ``CATEGORY_FAMILY``); the same list
    adds ``SAME_LIST`` (a matter may sit in another list elsewhere, so a different list costs
    nothing). Lists are ``ListKind``s or their codes, the same on both sides."""
    bonus = department_evidence(departments_a, departments_b)
    if categories_a and categories_b:
        family_a = {CATEGORY_FAMILY.get(c, c) for c in categories_a}
        bonus += (CATEGORY_AGREE if not family_a.isdisjoint(
            CATEGORY_FAMILY.get(c, c) for c in categories_b) else -CATEGORY_DISAGREE)
    if not set(kinds_a).isdisjoint(kinds_b):
        bonus += SAME_LIST
    return bonus


def _matter_id(item_ids: list[str]) -> str:
    """A matter's id: its members' item ids, hashed (stable whatever their order)."""
    return "m" + hashlib.sha1("\n".join(sorted(item_ids)).encode()).hexdigest()[:10]


class Matcher(CachedIndex):
    """Matters over a set of items; build once per store content."""

    CACHE_KIND = "matters"

    def __init__(self, rows: RowTable, aliases: alias_data.AliasTable | None = None,
                 duty_text: DutyText | None = None) -> None:
        """``duty_text(n)`` is ``duty_text`` of row ``n``'s whole item (none: matching
        reads names, departments and categories only)."""
        self.rows = rows
        places = place_masker(tuple(sorted({d.township for d in rows.documents
                                            if d.township and rows.range_of(d.id)})))
        table = aliases if aliases is not None else active_aliases()
        keys: dict[str, str] = {}
        known: dict[str, str] = {}
        self.cores = []
        for name in rows.names:
            core = keys.get(name)
            if core is None:
                core = keys[name] = core_with_head(name, places, table, known)
            self.cores.append(core)
        del keys, known
        # The rest of each row, for the passes only (a query recomputes what it needs), read
        # from the table's columns: no row is made.
        self._kinds: str = rows.kinds  # ListKind codes
        self._serials: list[int] = rows.serials
        # What a row adds to a cluster besides its name, as a number into the distinct ones
        # (4 bytes a row; a country's rows have some thousands).
        self._profiles: list[_Profile] = []
        self._profile_of = array("i")
        profiles: dict[tuple[tuple[str, ...], str, str, str], int] = {}
        departments: dict[tuple[tuple[str, ...], str], RowDepartments] = {}
        for key in zip(rows.department_names, rows.receivers, rows.canonicals, rows.kinds,
                       strict=True):
            found = profiles.get(key)
            if found is None:
                names_list, receiver, category, kind = key
                names = tuple(names_list)
                row_deps = departments.get((names, receiver))
                if row_deps is None:
                    row_deps = departments[(names, receiver)] = RowDepartments(
                        row_departments(names, receiver), lead_departments(names, receiver))
                found = profiles[key] = len(self._profiles)
                self._profiles.append(_Profile(row_deps, category, kind))
            self._profile_of.append(found)
        self._duties = DutyTexts(duty_text or (lambda n: ""), len(rows))
        self.scorer = Scorer(self.cores, table)
        self._clusters: list[_Cluster] = []
        self._postings: dict[str, list[int]] = {}  # bigram -> clusters with a rep holding it
        self._exact: dict[str, list[int]] = {}  # representative core -> clusters
        self._gather()
        for _ in range(MERGE_ROUNDS):
            if not self._pair_up():
                break
        # What queries need: per matter its id, label and (item index, score) members. The
        # clustering state goes, and items are referred to by index, so a cached matcher
        # holds no copy of the store.
        self._groups = self._make_groups()
        self._group_of = GroupOf(len(rows), (members.rows for _, _, members in self._groups))
        del self._clusters, self._postings, self._exact, self._profiles, self._profile_of
        del self._duties, self._kinds, self._serials
        self._matters: list[Matter] | None = None

    @classmethod
    def build(cls, items: Iterable[Item]) -> Matcher:
        """The matcher of whole items held in memory (not a store's)."""
        from lvzhi.search import duty_texts

        items = list(items)
        rows = RowTable.from_items(items)
        return cls(rows, duty_text=duty_texts(rows, items, duty_text))

    @classmethod
    def load_or_build(cls, rows: RowTable, cache: Path | None = None,
                      digest: str | None = None,
                      duty_text: DutyText | None = None) -> Matcher:
        """The matcher of ``rows`` from its cache if that was built from ``digest`` (see
        ``matcher_digest``; else ``items_digest`` of the rows is computed), or built
        (reading ``duty_text`` where it can decide)."""
        from lvzhi.search import items_digest

        return cls._load_or_build(rows, cache, digest or items_digest(rows, duty_text),
                                  lambda: cls(rows, duty_text=duty_text))

    def to_cache(self) -> tuple[dict[str, Any], dict[str, array]]:
        distinct = {core: None for core in self.cores}  # one of each, in order
        numbers = {core: n for n, core in enumerate(distinct)}
        data = {"cores": list(distinct), "idf": self.scorer.idf,
                "matters": [g[0] for g in self._groups], "labels": [g[1] for g in self._groups],
                "scores": [score for _, _, members in self._groups for _, score in members]}
        members = Ragged.of([n for n, _ in members] for _, _, members in self._groups)
        return data, {"core_of": array("i", map(numbers.__getitem__, self.cores)),
                      **members.to_arrays("members")}

    @classmethod
    def from_cache(cls, data: dict[str, Any], arrays: dict[str, array],
                   rows: RowTable) -> Matcher:
        cores = cachefile.strings(data.get("cores"), "cores")
        core_of = cachefile.one_array(arrays, "core_of", len(rows))
        matter_ids = cachefile.strings(data.get("matters"), "matters")
        labels = cachefile.strings(data.get("labels"), "labels")
        members = Ragged.from_arrays(arrays, "members", len(matter_ids))
        scores, idf = data.get("scores"), data.get("idf")
        if len(labels) != len(matter_ids):
            raise InvalidCache("matters: not one label per matter")
        cachefile.ints_in_array(core_of, len(cores), "core_of")
        cachefile.ints_in_array(members.values, len(rows), "members")
        if not (isinstance(scores, list) and len(scores) == len(members.values)
                and set(map(type, scores)) <= {float}):
            raise InvalidCache("matters: scores")
        if not (isinstance(idf, dict) and set(map(type, idf.values())) <= {float}):
            raise InvalidCache("matters: idf is not weights")
        matcher = cls.__new__(cls)
        matcher.rows = rows
        matcher.cores = list(map(cores.__getitem__, core_of))
        matcher.scorer = Scorer.from_idf(idf)
        matcher._groups = [
            (matter_id, label, Pairs(zip(row, scores[start:end], strict=True)))
            for matter_id, label, row, start, end in zip(
                matter_ids, labels, members, members.bounds, members.bounds[1:], strict=False)]
        matcher._group_of = GroupOf(len(rows), members)
        matcher._matters = None
        return matcher

    # -- pass 1: gathering ---------------------------------------------------------------

    def _gather(self) -> None:
        """Every item in turn: documents by id, each one's items by list and serial."""
        rows, documents = self.rows, self.rows.documents
        cores, kinds, serials = self.cores, self._kinds, self._serials
        profiles, profile_of = self._profiles, self._profile_of
        clusters, exact = self._clusters, self._exact
        order = {code: ListKind.of_code(code).order for code in set(kinds)}
        basic = ListKind.BASIC.code
        by_id = sorted(range(len(documents)), key=lambda d: documents[d].id)
        for number, d in enumerate(by_id):
            doc = documents[d].id
            span = rows.range_of(doc)
            at = slice(span.start, span.stop)
            # By list and serial, ties in table order (the row number last), last first.
            queue = [n for _, _, n in sorted(zip(map(order.__getitem__, kinds[at]),
                                                 serials[at], span, strict=True), reverse=True)]
            # The document's member (row, score) in each cluster it joined: a cluster holds
            # one item per document, and only the document at hand's are looked at.
            held: dict[int, tuple[int, float]] = {}
            while queue:
                n = queue.pop()
                core = cores[n]
                best, best_score = -1, 0.0
                for cid in exact.get(core, ()):
                    member = held.get(cid)
                    if member is None:
                        best, best_score = cid, 100.0
                        break
                    # The township's item there was only alike (医疗救助 joined 医疗救助待遇
                    # 审批 before the township's own 医疗救助待遇审批 came): the same wording
                    # takes its place, and it looks for a cluster again.
                    if member[1] < 100.0:
                        cluster = clusters[cid]
                        # Nothing joined that cluster since (one item per document), so the
                        # member is its last.
                        assert cluster.rows[-1] == member[0]
                        cluster.rows.pop()
                        cluster.scores.pop()
                        del held[cid]
                        evicted = member[0]
                        queue.append(evicted)
                        self._drop_representative(cid, cores[evicted])
                        best, best_score = cid, 100.0
                        break
                if best < 0 and core:
                    found = []
                    for cid in self._ranked([core]):
                        if cid not in held:
                            found.append(cid)
                            if len(found) >= GATHER_CANDIDATES:
                                break
                    best, best_score = self._best_of(n, found, JOIN_SCORE)
                if best < 0:
                    best, best_score = len(clusters), 100.0
                    clusters.append(_Cluster())
                    self._add_representative(best, core)
                cluster = clusters[best]
                score = min(best_score, 100.0)
                cluster.rows.append(n)
                cluster.scores.append(score)
                held[best] = (n, score)
                if not cluster.docs or cluster.docs[-1] != number:  # else it replaced one
                    cluster.docs.append(number)
                profile = profile_of[n]
                if cluster.last_profile != profile:  # else it holds what this row adds
                    cluster.last_profile = profile
                    row_deps, category, kind = profiles[profile]
                    cluster.departments |= row_deps.every
                    cluster.leads |= row_deps.leads
                    if category:
                        cluster.categories.add(category)
                    cluster.kinds.add(kind)
                if len(cluster.duties) < MAX_DUTY_TEXTS and kinds[n] != basic:
                    cluster.duties.append(n)
                if (len(cluster.representatives) < MAX_REPRESENTATIVES
                        and core not in cluster.representatives):
                    self._add_representative(best, core)

    def _drop_representative(self, cid: int, core: str) -> None:
        """An evicted wording no longer stands for the cluster (unless a member still has
        it): else its own township's next item of that wording would join here."""
        cluster = self._clusters[cid]
        cores = self.cores
        if core not in cluster.representatives or any(cores[m] == core for m in cluster.rows):
            return
        cluster.representatives.remove(core)
        self._exact[core].remove(cid)

    def _add_representative(self, cid: int, core: str) -> None:
        self._clusters[cid].representatives.append(core)
        self._exact.setdefault(core, []).append(cid)
        for gram in set(_bigrams(core)):
            posting = self._postings.setdefault(gram, [])
            if not posting or posting[-1] != cid:
                posting.append(cid)

    def _ranked(self, cores: list[str], skip: int = -1) -> list[int]:
        """Clusters sharing rare bigrams with ``cores``, best first by the IDF weight they
        share (then by number); the caller leaves out those it cannot take."""
        rare: set[str] = set()
        for core in cores:
            rare.update(self._rarest(core, skip))
        return self._rank(rare)

    def _rarest(self, core: str, skip: int) -> list[str]:
        """The ``LOOKUP_BIGRAMS`` heaviest bigrams of ``core`` that some cluster other than
        ``skip`` holds."""
        # A bigram only the asking cluster holds finds nothing: skip it. Each wording looks
        # with its own rarest bigrams: a long one (a 兵团 list's row of many clauses) would
        # otherwise fill the lookup with words only its own township's rows share.
        postings = self._postings
        rare: list[str] = []
        for gram in self.scorer.lookup_grams(core):
            posting = postings.get(gram)
            if posting and (len(posting) > 1 or posting[0] != skip):
                rare.append(gram)
                if len(rare) == LOOKUP_BIGRAMS:
                    break
        return rare

    def _rank(self, rare: Iterable[str]) -> list[int]:
        """Clusters holding any of the bigrams ``rare``, by the weight of those they hold."""
        postings, weight = self._postings, self.scorer.weight
        weights: dict[int, float] = {}
        get = weights.get
        for gram in sorted(rare):
            w = weight(gram)
            for cid in postings[gram]:
                weights[cid] = get(cid, 0.0) + w
        # By falling weight, then by number: a stable sort of the numbers in order (sorts of
        # plain ints and floats compare in C, where pairs compare as objects).
        ranked = sorted(weights)
        ranked.sort(key=weights.__getitem__, reverse=True)
        return ranked

    def _candidates(self, cores: list[str], exclude: array, skip: int = -1,
                    limit: int = MAX_CANDIDATES) -> list[int]:
        """Live clusters sharing rare bigrams with ``cores``, none holding a doc in
        ``exclude`` (see ``_Cluster.docs``), best first by the IDF weight they share."""
        clusters = self._clusters
        found: list[int] = []
        excluded = _DocNumbers(exclude)
        for cid in self._ranked(cores, skip):
            cluster = clusters[cid]
            if cid == skip or cluster.merged_into >= 0 or excluded.meets(cluster.docs):
                continue
            found.append(cid)
            if len(found) >= limit:
                break
        return found

    def _best_of(self, n: int, candidates: list[int], threshold: float) -> tuple[int, float]:
        core = self.cores[n]
        departments, category, kind = self._profiles[self._profile_of[n]]
        categories = (category,) if category else ()
        best, best_score = -1, 0.0
        highest = self.scorer.highest
        for cid in candidates:
            cluster = self._clusters[cid]
            score = highest(core, cluster.representatives)
            if score + MOST_EVIDENCE < max(threshold, best_score):
                continue  # the rest of the row cannot lift it: not worth reading
            score += row_evidence(departments, cluster.row_departments, categories,
                                  cluster.categories, (kind,), cluster.kinds)
            score = self._with_duties(score, (n,), cluster.duties, threshold, threshold)
            if score >= threshold and score > best_score:
                best, best_score = cid, score
        return best, best_score

    # -- pass 2: pairing up --------------------------------------------------------------

    def _cluster_score(self, a: int, b: int) -> float:
        ca, cb = self._clusters[a], self._clusters[b]
        highest = self.scorer.highest
        name = max([highest(x, cb.representatives) for x in ca.representatives])
        score = name + row_evidence(ca.row_departments, cb.row_departments, ca.categories,
                                    cb.categories, ca.kinds, cb.kinds)
        return self._with_duties(score, ca.duties, cb.duties, MUTUAL_SCORE, JOIN_SCORE)

    def _with_duties(self, score: float, a: Collection[int], b: Collection[int],
                     low: float, high: float) -> float:
        """``score`` plus ``duty_evidence`` of the duty texts of ``a`` and ``b`` (row numbers),
        read only when it can move the score across a threshold in [``low``, ``high``]:
        elsewhere the duty text decides nothing and is not read."""
        if not a or not b or score < low - DUTY_AGREE or score >= high + DUTY_DISAGREE:
            return score
        return score + duty_evidence(self._duties.similarity(a, b))

    def _pair_up(self) -> bool:
        """Merge clusters that are mutual best candidates (or close enough outright)."""
        live = [cid for cid, c in enumerate(self._clusters) if c.merged_into < 0]
        best: dict[int, tuple[int, float]] = {}
        for cid in live:
            cluster = self._clusters[cid]
            scored = [(other, self._cluster_score(cid, other)) for other in
                      self._candidates(cluster.representatives, cluster.docs, skip=cid)]
            if scored:
                best[cid] = max(scored, key=lambda s: (s[1], -s[0]))
        edges = []
        for cid, (other, score) in best.items():
            mutual = best.get(other, (-1, 0.0))[0] == cid
            if (score >= JOIN_SCORE or (mutual and score >= MUTUAL_SCORE)) and (
                    not mutual or cid < other):
                edges.append((score, min(cid, other), max(cid, other)))
        merged = False
        for score, a, b in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
            a, b = self._live(a), self._live(b)
            if a == b or _DocNumbers(self._clusters[a].docs).meets(self._clusters[b].docs):
                continue
            self._merge(a, b, score)
            merged = True
        return merged

    def _live(self, cid: int) -> int:
        while self._clusters[cid].merged_into >= 0:
            cid = self._clusters[cid].merged_into
        return cid

    def _merge(self, into: int, other: int, score: float) -> None:
        target, source = self._clusters[into], self._clusters[other]
        target.rows.extend(source.rows)
        target.scores.extend([min(s, score, 100.0) for s in source.scores])
        target.docs = array("i", sorted(target.docs + source.docs))  # two runs: merged
        target.departments |= source.departments
        target.leads |= source.leads
        target.categories |= source.categories
        target.kinds |= source.kinds
        target.duties.extend(source.duties[:max(0, MAX_DUTY_TEXTS - len(target.duties))])
        for core in source.representatives:
            if len(target.representatives) < MAX_REPRESENTATIVES * 2 and (
                    core not in target.representatives):
                self._add_representative(into, core)
        source.merged_into = into
        source.rows, source.scores = array("i"), array("d")

    # -- matters -------------------------------------------------------------------------

    def _make_groups(self) -> list[Group]:
        # ``_member_order`` and ``RowTable.id_of`` of every member, from keys made once per
        # document and list kind (each looks its document up: 262,000 times at 1,000
        # townships).
        rows = self.rows
        places: dict[tuple[str, str, str], int] = {}
        place_of = [places.setdefault((d.prefecture, d.county, d.township), len(places))
                    for d in rows.documents]
        codes = {code: ListKind.of_code(code) for code in set(self._kinds)}
        order = {code: kind.order for code, kind in codes.items()}
        word = {code: kind.value for code, kind in codes.items()}
        kinds, serials = self._kinds, self._serials
        prefixes = [f"{doc.id}:" for doc in rows.documents]
        word = {code: f"{kind}:" for code, kind in word.items()}
        doc_of = array("i")  # each row's document, by number
        for d, doc in enumerate(rows.documents):
            doc_of.extend(array("i", [d]) * len(rows.range_of(doc.id)))
        # When every document has a place of its own and the documents are in place order
        # (as a store keeps them), a cluster's members (one per document) are in place order
        # by row number.
        by_row = len(places) == len(place_of) and all(map(le, place_of, place_of[1:]))
        groups = []
        for cluster in self._clusters:
            if cluster.merged_into >= 0 or len(cluster.docs) < 2:
                continue
            members, scores = cluster.rows, cluster.scores
            if by_row:
                at = sorted(range(len(members)), key=members.__getitem__)
            else:
                keys = [(place_of[doc_of[n]], order[kinds[n]], serials[n]) for n in members]
                at = sorted(range(len(members)), key=keys.__getitem__)  # ties keep order
            # (Most members joined by their wording, at 100: ``round`` is slow.)
            pairs = Pairs.of(array("i", [members[i] for i in at]), array("d", [
                s if s == 100.0 else round(s, 1) for s in map(scores.__getitem__, at)]))
            ids = [f"{prefixes[doc_of[n]]}{word[kinds[n]]}{serials[n]}" for n in pairs.rows]
            groups.append((_matter_id(ids), self._label(pairs.rows), pairs))
        groups.sort(key=lambda g: (-len(g[2]), g[1], g[0]))
        return groups

    def _matter_id(self, members: list[int]) -> str:
        return _matter_id(list(map(self.rows.id_of, members)))

    def _label(self, members: Sequence[int]) -> str:
        """The wording most townships print (among equals the shortest); when every
        township words it its own way, the one closest to all the others."""
        names = self.rows.names
        printed = Counter(map(names.__getitem__, members))
        top = min(printed, key=lambda name: (-printed[name], len(name), name))
        if printed[top] > 1 or len(members) > LABEL_MEDOID_MAX:
            return top
        central = max(members, key=lambda n: (
            sum(self.scorer.score(self.cores[n], self.cores[m]) for m in members),
            -len(names[n])))
        return names[central]

    def _member_order(self, n: int) -> tuple[str, str, str, int, int]:
        rows = self.rows
        doc = rows.doc_of(n)
        return (doc.prefecture, doc.county, doc.township,
                ListKind.of_code(rows.kinds[n]).order, rows.serials[n])

    # -- queries -------------------------------------------------------------------------

    def matters(self) -> list[Matter]:
        """Every matter that spans at least two townships, largest first."""
        if self._matters is None:
            self._matters = [self._matter(g) for g in range(len(self._groups))]
        return list(self._matters)

    def _matter(self, group: int) -> Matter:
        matter_id, label, members = self._groups[group]
        return Matter(matter_id, label, Members(self.rows, members))

    def _matter_at(self, n: int) -> Matter | None:
        """The matter of item ``n``, made alone: counterparts and compare need a few
        matters, and making all of them builds a row for every item of the store."""
        group = self._group_of.get(n)
        if group is None:
            return None
        return self._matters[group] if self._matters is not None else self._matter(group)

    def matter_of(self, item_id: str) -> Matter | None:
        n = self.rows.index_of(item_id)
        return self._matter_at(n) if n is not None else None

    def similarity(self, a: Row, b: Row) -> float:
        return round(self.scorer.score(self.cores[self._at(a)], self.cores[self._at(b)]), 1)

    def _at(self, row: Row) -> int:
        n = self.rows.index_of(row.id)
        if n is None:
            raise KeyError(row.id)
        return n

    def explain(self, a: Row, b: Row) -> Explanation:
        """Why ``a`` and ``b`` are (or are not) one matter: name score, departments,
        category, aliases used, a contrast that kept them apart, and a person's link or
        unlink."""
        name = self.similarity(a, b)
        dept_a, dept_b = item_departments(a), item_departments(b)
        shared = sorted(dept_a.every & dept_b.every)
        cats = (a.category_canonical, b.category_canonical)
        score = name + row_evidence(dept_a, dept_b, [c for c in cats[:1] if c],
                                    [c for c in cats[1:] if c], (a.list,), (b.list,))
        # An alias helped when it put a wording both names now share in place of another.
        table = active_aliases()
        (key_a, used_a), (key_b, used_b) = (table.apply(match_key(i.name).text) for i in (a, b))
        used = [c for c in dict.fromkeys(used_a + used_b) if c in key_a and c in key_b]
        return Explanation(
            round(max(0.0, min(100.0, score)), 1), name, shared,
            bool(dept_a.every and dept_b.every and not shared),
            (CATEGORY_FAMILY.get(cats[0], cats[0]) == CATEGORY_FAMILY.get(cats[1], cats[1]))
            if all(cats) else None, used,
            getattr(self, "_user_says", {}).get(frozenset((a.id, b.id)), ""),
            self.scorer.contrasted(self.cores[self._at(a)], self.cores[self._at(b)]))

    def why_member(self, matter: Matter, item: Row) -> str:
        """Why ``item`` is in ``matter``: explained against the item its label comes from
        ("" for that item itself)."""
        anchor = next((m.item for m in matter.members if m.item.name == matter.label),
                      matter.members[0].item)
        return "label" if anchor.id == item.id else str(self.explain(anchor, item))

    def counterparts(self, item_id: str) -> list[Counterpart]:
        """The items of other townships in the same matter, most similar first, each with
        why it was joined."""
        n = self.rows.index_of(item_id)
        if n is None:
            raise KeyError(item_id)
        matter = self._matter_at(n)
        if matter is None:
            return []
        own = self.rows[n]
        found = []
        for m in matter.members:
            if m.item.doc_id == own.doc_id:
                continue
            why = self.explain(own, m.item)
            found.append(Counterpart(m.item, why.score, str(why)))
        found.sort(key=lambda c: -c.score)
        return found

    # -- a person's corrections ----------------------------------------------------------

    def apply_corrections(self, links: Iterable[tuple[str, str]],
                          unlinks: Iterable[tuple[str, str]]) -> None:
        """Make the matters say what a person said: each linked pair (item ids) in one matter,
        each unlinked pair apart. Overrides the scorer; applied on the matters as built, so
        applying again (after a new correction) starts from them, not from the last result.

        A link merges the two matters when their townships do not overlap, else moves the
        second item into the first one's matter (the item it held for that township leaves).
        An unlink takes the second item out of the matter. Links first, then unlinks.
        """
        if not hasattr(self, "_built"):
            self._built = (self._groups, self._group_of)
        links, unlinks = list(links), list(unlinks)
        self._groups, self._group_of = self._built
        self._matters = None
        self._user_says: dict[frozenset[str], str] = {}
        if not links and not unlinks:
            return
        built = self._built[0]
        groups: list[Sequence[tuple[int, float]]] = [
            members for _, _, members in built]  # copied (as lists) when touched
        group_of = self._built[1].to_dict()
        touched: set[int] = set()
        says = self._user_says

        def doc(n: int) -> str:
            return self.rows.doc_of(n).id

        def touch(g: int) -> list[tuple[int, float]]:
            if g not in touched:
                touched.add(g)
                groups[g] = list(groups[g])
            return cast(list[tuple[int, float]], groups[g])

        def leave(n: int) -> None:
            g = group_of.pop(n, None)
            if g is not None:
                touch(g)
                groups[g] = [m for m in groups[g] if m[0] != n]

        def join(n: int, g: int) -> None:
            for m, _ in [m for m in groups[g] if doc(m[0]) == doc(n) and m[0] != n]:
                leave(m)
            leave(n)
            touch(g).append((n, 100.0))
            group_of[n] = g

        for a_id, b_id in links:
            a, b = self.rows.index_of(a_id), self.rows.index_of(b_id)
            if a is None or b is None or doc(a) == doc(b):
                continue
            says[frozenset((a_id, b_id))] = "link"
            ga, gb = group_of.get(a), group_of.get(b)
            if ga is None:
                if gb is None:
                    groups.append([(a, 100.0)])
                    ga = len(groups) - 1
                    touched.add(ga)
                    group_of[a] = ga
                else:
                    a, b, ga, gb = b, a, gb, ga
            if ga == gb:
                continue
            if gb is not None and {doc(m) for m, _ in groups[ga]}.isdisjoint(
                    doc(m) for m, _ in groups[gb]):
                for m, score in groups[gb]:
                    touch(ga).append((m, score))
                    group_of[m] = ga
                touch(gb).clear()
            else:
                join(b, ga)
        for a_id, b_id in unlinks:
            a, b = self.rows.index_of(a_id), self.rows.index_of(b_id)
            if a is None or b is None:
                continue
            says[frozenset((a_id, b_id))] = "unlink"
            if group_of.get(a) is not None and group_of.get(a) == group_of.get(b):
                leave(b)
        made = []
        for g, members in enumerate(groups):
            if g not in touched:
                made.append(built[g])
                continue
            if len({doc(n) for n, _ in members}) < 2:
                continue
            members = sorted(members, key=lambda m: self._member_order(m[0]))
            made.append((self._matter_id([n for n, _ in members]),
                         self._label([n for n, _ in members]), Pairs(members)))
        made.sort(key=lambda g: (-len(g[2]), g[1], g[0]))
        self._groups = made
        self._group_of = GroupOf(len(self.rows), ([n for n, _ in members]
                                                  for _, _, members in made))

    def compare(self, doc_a: str, doc_b: str) -> Comparison:
        """Matters both townships have (same list or not), and what only one of them has."""
        comparison = Comparison([], [], [], [])
        for n in self.rows.range_of(doc_a):
            item = self.rows[n]
            matter = self._matter_at(n)
            other = next((m.item for m in matter.members if m.item.doc_id == doc_b),
                         None) if matter else None
            if other is None:
                comparison.only_a.append(item)
                continue
            target = comparison.both if other.list == item.list else comparison.different_lists
            target.append((item, other, self.similarity(item, other)))
        matched_b = {b.id for _, b, _ in comparison.both + comparison.different_lists}
        comparison.only_b = [i for i in map(self.rows.__getitem__, self.rows.range_of(doc_b))
                             if i.id not in matched_b]
        for part in (comparison.only_a, comparison.only_b):
            part.sort(key=lambda i: (i.list.order, i.serial))
        for pairs in (comparison.both, comparison.different_lists):
            pairs.sort(key=lambda p: (p[0].list.order, p[0].serial))
        return comparison

    def coverage(self) -> tuple[list[str], list[tuple[Matter, dict[str, ListKind]]]]:
        """Townships (doc ids, in place order) and, per matter, the list it is in each one."""
        docs = {doc.id: (doc.prefecture, doc.county, doc.township)
                for doc in self.rows.documents if self.rows.range_of(doc.id)}
        townships = sorted(docs, key=lambda d: (docs[d], d))
        rows = [(matter, {m.item.doc_id: m.item.list for m in matter.members})
                for matter in self.matters()]
        return townships, rows


# -- a store's matcher: its aliases, its cache, its corrections ------------------------------

def matcher_digest(content_digest: str, aliases: alias_data.AliasTable) -> str:
    """The cache key of a store's matcher: its content and the alias table it was built
    with (editing ``aliases.toml`` rebuilds it; corrections do not, they apply on top)."""
    from lvzhi.search import store_digest

    return store_digest(f"{content_digest}\x1ealiases {aliases.digest}\x1ematching {VERSION}")


def for_store(store_path: Path, rows: RowTable, content_digest: str,
              cache: Path | None = None, duty_text: DutyText | None = None) -> Matcher:
    """The matcher of a store: built with the shipped and the user's aliases, loaded from
    (or saved to) ``cache``, and corrected by the store's corrections."""
    table = alias_data.load(store_path)
    with using_aliases(table):
        matcher = Matcher.load_or_build(rows, cache, matcher_digest(content_digest, table),
                                        duty_text)
    refresh_corrections(matcher, store_path)
    return matcher


def refresh_corrections(matcher: Matcher, store_path: Path) -> None:
    """Apply the store's corrections as they are now (after a link or unlink)."""
    from lvzhi import corrections

    links, unlinks = corrections.resolve(corrections.load(store_path), matcher.rows)
    matcher.apply_corrections(links, unlinks)
