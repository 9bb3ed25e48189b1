"""Matters: the same duty as written by different townships, found across all of them.

How items become matters, in two passes that never compare all pairs:

1. **Gathering.** Items are taken township by township and join a cluster when they score
   at least ``JOIN_SCORE`` against one of its *representatives* (a few distinct wordings
   kept per cluster). Candidate clusters come from an inverted index of the representatives'
   rarest character bigrams, so the work per item is bounded and the pass is linear in the
   number of items. Identical wordings join without being scored.
2. **Pairing up.** Clusters whose townships do not overlap are merged when they are each
   other's best candidate and score at least ``MUTUAL_SCORE``, or when they score
   ``JOIN_SCORE`` outright. The mutual-best rule is what lets a reworded item (兵团 lists
   word things their own way) find its matter without a low global threshold: a township
   that has the right counterpart never pairs with a near miss, because its own item is
   the better candidate and its township already sits in the other cluster.

An item is never matched to another item of its own township: a cluster holds at most one
item per document, in both passes.

Names are compared on their *core*: ``explorer.search.match_key`` (place names masked,
县/市/师市 and 乡/镇 unified, width and punctuation folded) without the words every duty
starts or ends with (负责, 做好, 开展 … 工作). ``Scorer`` says how alike two cores are
(0..100): the mean of rapidfuzz's ``ratio`` (same wording) and the cosine of IDF-weighted
character bigrams (sharing the rare words that name a matter, 工会 vs 妇联, whatever the
order of the clauses), scaled down when only the administrative words agree (草原违法行为处置
vs 拖欠农民工工资违法行为处置).

The two thresholds were chosen on the labeled seed pairs in ``tests/matching_eval`` (its
docstring gives the precision and recall): ``JOIN_SCORE`` sits in a plateau where
precision barely moves; ``MUTUAL_SCORE`` trades recall for precision and is the highest
value that keeps recall above the target. Lower, it starts pairing unrelated leftovers
(公益性墓地 with 农村公路管理).

Limits, by design: near misses that differ in one word are told apart only when some
township lists both (价格监测 and 价格监督检查 are merged: no seed has both), and a matter
worded with no common words (测量标志保护 vs 测绘基础设施保护) is not found.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from explorer import cachefile
from explorer.cachefile import InvalidCache, Ragged
from explorer.model import Item, ListKind, Row
from explorer.places import place_masker
from explorer.rows import RowTable
from explorer.search import MASK, CachedIndex, match_key

# Join a cluster, or merge two clusters, outright at this score.
JOIN_SCORE = 64.0
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
_KIND_ORDER = {kind: n for n, kind in enumerate(ListKind)}

# Words that open or close almost every duty and say nothing about which duty it is.
_LEADING = re.compile(r"^(负责|做好|开展|落实|加强|推进|推动|组织|协助|配合|依法|积极|深化|"
                      r"健全|认真|及时|全面|进一步)+")
_TRAILING = re.compile(r"(相关|有关|等|日常)?(工作|事项)$")
_ANYWHERE = re.compile(r"本乡|本辖区|辖区内|本级|" + MASK)
# What duties do, as opposed to what they do it to: cut out when comparing objects.
_GENERIC = re.compile(
    "工作|管理|监督|检查|监管|处置|整治|专项|服务|保障|建设|审批|审核|办理|指导|组织|开展|"
    "落实|负责|做好|推进|加强|相关|日常|宣传|教育|培训|申报|实施|维护|运行|防治|处罚|违法|"
    "行为|普及|推广|提升|促进|规范|健全|完善|机制|制度|责任|体系|领域|事项|各类|查处|农村|城乡|"
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


def _bigrams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)] or ([text] if text else [])


@dataclass(slots=True)
class Counterpart:
    item: Item | Row
    score: float


@dataclass(slots=True)
class Matter:
    id: str
    label: str
    members: list[Counterpart]

    @property
    def townships(self) -> set[str]:
        return {m.item.doc_id for m in self.members}


@dataclass(slots=True)
class Comparison:
    both: list[tuple[Item | Row, Item | Row, float]]
    only_a: list[Item | Row]
    only_b: list[Item | Row]
    different_lists: list[tuple[Item | Row, Item | Row, float]]


class Scorer:
    """Similarity of two cores, 0..100.

    The base is the mean of rapidfuzz's ``ratio`` (same wording) and the cosine of
    IDF-weighted character bigrams (sharing the rare words that name a matter, in any
    clause order). It is then scaled down when the names agree only on what is done and
    not on what it is done to: the cosine of the *object* bigrams — what is left once the
    administrative words (管理, 监督, 检查, 处置, 违法行为 …) are cut out — below 30 costs
    up to 60% of the score (草原违法行为处置 vs 拖欠农民工工资违法行为处置).
    """

    def __init__(self, cores: list[str]) -> None:
        distinct = set(cores)
        df: Counter[str] = Counter()
        for core in distinct:
            df.update(set(_bigrams(core)))
        total = max(len(distinct), 1)
        self.idf = {g: math.log((total + 1) / (n + 0.5)) for g, n in df.items()}
        self._vectors: dict[str, dict[str, float]] = {}
        self._objects: dict[str, dict[str, float]] = {}
        self._scores: dict[tuple[str, str], float] = {}

    @classmethod
    def from_idf(cls, idf: dict[str, float]) -> Scorer:
        """A scorer with the weights of another (a cache keeps only those: the memos are
        rebuilt on demand)."""
        scorer = cls([])
        scorer.idf = idf
        return scorer

    def weight(self, gram: str) -> float:
        return self.idf.get(gram, 1.0)

    def _normalized(self, grams: list[str]) -> dict[str, float]:
        counts = Counter(grams)
        vector = {g: (1 + math.log(n)) * self.weight(g) for g, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {g: v / norm for g, v in vector.items()}

    def vector(self, core: str) -> dict[str, float]:
        vector = self._vectors.get(core)
        if vector is None:
            vector = self._vectors[core] = self._normalized(_bigrams(core))
        return vector

    def object_vector(self, core: str) -> dict[str, float]:
        vector = self._objects.get(core)
        if vector is None:
            grams = [g for part in _GENERIC.split(core) for g in _bigrams(part)]
            vector = self._objects[core] = self._normalized(grams)
        return vector

    @staticmethod
    def _dot(va: dict[str, float], vb: dict[str, float]) -> float:
        # Names share few bigrams: intersecting the key views (in C) beats a full scan.
        return 100.0 * sum(va[g] * vb[g] for g in va.keys() & vb.keys())

    def cosine(self, a: str, b: str) -> float:
        return self._dot(self.vector(a), self.vector(b))

    def score(self, a: str, b: str) -> float:
        if a == b:
            return 100.0
        if not a or not b:
            return 0.0
        pair = (a, b) if a < b else (b, a)
        score = self._scores.get(pair)
        if score is None:
            base = (fuzz.ratio(a, b) + self.cosine(a, b)) / 2
            objects = self._dot(self.object_vector(a), self.object_vector(b))
            score = self._scores[pair] = base * min(1.0, 0.4 + objects / 50)
        return score


@dataclass(slots=True)
class _Cluster:
    members: list[tuple[int, float]] = field(default_factory=list)  # (item index, score)
    docs: set[str] = field(default_factory=set)
    representatives: list[str] = field(default_factory=list)  # cores
    merged_into: int = -1


class Matcher(CachedIndex):
    """Matters over a set of items; build once per store content."""

    CACHE_KIND = "matters"

    def __init__(self, items: Sequence[Item | Row]) -> None:
        # Built once into a list: the passes below look at every item many times.
        self.items = items if isinstance(items, list) else list(items)
        items = self.items
        self.index_of = {item.id: n for n, item in enumerate(items)}
        places = place_masker(tuple(sorted({i.township for i in items if i.township})))
        keys: dict[str, str] = {}
        self.cores = []
        for item in items:
            core = keys.get(item.name)
            if core is None:
                core = keys[item.name] = core_of(match_key(item.name, places).text)
            self.cores.append(core)
        self.scorer = Scorer(self.cores)
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
        self._group_of = {n: g for g, (_, _, members) in enumerate(self._groups)
                          for n, _ in members}
        del self._clusters, self._postings, self._exact
        self._matters: list[Matter] | None = None

    @classmethod
    def build(cls, items: Sequence[Item | Row]) -> Matcher:
        return cls(items)

    def to_cache(self) -> tuple[dict[str, Any], dict[str, array]]:
        ids = [""] * len(self.index_of)
        for item_id, n in self.index_of.items():
            ids[n] = item_id
        distinct = {core: None for core in self.cores}  # one of each, in order
        numbers = {core: n for n, core in enumerate(distinct)}
        data = {"ids": ids, "cores": list(distinct), "idf": self.scorer.idf,
                "matters": [g[0] for g in self._groups], "labels": [g[1] for g in self._groups],
                "scores": [score for _, _, members in self._groups for _, score in members]}
        members = Ragged.of([n for n, _ in members] for _, _, members in self._groups)
        return data, {"core_of": array("i", map(numbers.__getitem__, self.cores)),
                      **members.to_arrays("members")}

    @classmethod
    def from_cache(cls, data: dict[str, Any], arrays: dict[str, array],
                   items: Sequence[Item | Row]) -> Matcher:
        ids = cachefile.strings(data.get("ids"), "ids")
        cores = cachefile.strings(data.get("cores"), "cores")
        core_of = cachefile.one_array(arrays, "core_of", len(items))
        matter_ids = cachefile.strings(data.get("matters"), "matters")
        labels = cachefile.strings(data.get("labels"), "labels")
        members = Ragged.from_arrays(arrays, "members", len(matter_ids))
        scores, idf = data.get("scores"), data.get("idf")
        if len(ids) != len(items) or len(labels) != len(matter_ids):
            raise InvalidCache("matters: not one id per item, one label per matter")
        cachefile.ints_in_array(core_of, len(cores), "core_of")
        cachefile.ints_in_array(members.values, len(items), "members")
        if not (isinstance(scores, list) and len(scores) == len(members.values)
                and set(map(type, scores)) <= {float}):
            raise InvalidCache("matters: scores")
        if not (isinstance(idf, dict) and set(map(type, idf.values())) <= {float}):
            raise InvalidCache("matters: idf is not weights")
        matcher = cls.__new__(cls)
        matcher.items = items
        matcher.index_of = dict(zip(ids, range(len(ids)), strict=True))
        matcher.cores = list(map(cores.__getitem__, core_of))
        matcher.scorer = Scorer.from_idf(idf)
        matcher._groups = [
            (matter_id, label, list(zip(row, scores[start:end], strict=True)))
            for matter_id, label, row, start, end in zip(
                matter_ids, labels, members, members.bounds, members.bounds[1:], strict=False)]
        matcher._group_of = {n: g for g, row in enumerate(members) for n in row}
        matcher._matters = None
        return matcher

    # -- pass 1: gathering ---------------------------------------------------------------

    def _order(self) -> list[int]:
        return sorted(range(len(self.items)), key=lambda n: (
            self.items[n].doc_id, _KIND_ORDER[self.items[n].list], self.items[n].serial))

    def _gather(self) -> None:
        for n in self._order():
            core, doc = self.cores[n], self.items[n].doc_id
            best, best_score = -1, 0.0
            for cid in self._exact.get(core, ()):
                if doc not in self._clusters[cid].docs:
                    best, best_score = cid, 100.0
                    break
            if best < 0 and core:
                candidates = self._candidates([core], {doc}, limit=GATHER_CANDIDATES)
                best, best_score = self._best_of(core, candidates, JOIN_SCORE)
            if best < 0:
                best, best_score = len(self._clusters), 100.0
                self._clusters.append(_Cluster())
                self._add_representative(best, core)
            cluster = self._clusters[best]
            cluster.members.append((n, best_score))
            cluster.docs.add(doc)
            if (len(cluster.representatives) < MAX_REPRESENTATIVES
                    and core not in cluster.representatives):
                self._add_representative(best, core)

    def _add_representative(self, cid: int, core: str) -> None:
        self._clusters[cid].representatives.append(core)
        self._exact.setdefault(core, []).append(cid)
        for gram in set(_bigrams(core)):
            posting = self._postings.setdefault(gram, [])
            if not posting or posting[-1] != cid:
                posting.append(cid)

    def _candidates(self, cores: list[str], exclude: set[str], skip: int = -1,
                    limit: int = MAX_CANDIDATES) -> list[int]:
        """Live clusters sharing rare bigrams with ``cores``, none holding a doc in
        ``exclude``, best first by the IDF weight they share."""
        # A bigram only the asking cluster holds finds nothing: skip it.
        grams = {g for core in cores for g in _bigrams(core)
                 if (posting := self._postings.get(g)) and posting != [skip]}
        rare = heapq.nlargest(LOOKUP_BIGRAMS, grams, key=lambda g: (self.scorer.weight(g), g))
        weights: Counter[int] = Counter()
        for gram in rare:
            w = self.scorer.weight(gram)
            for cid in self._postings[gram]:
                weights[cid] += w
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
        found: list[int] = []
        for cid, _ in ranked:
            cluster = self._clusters[cid]
            if cid == skip or cluster.merged_into >= 0 or not cluster.docs.isdisjoint(exclude):
                continue
            found.append(cid)
            if len(found) >= limit:
                break
        return found

    def _best_of(self, core: str, candidates: list[int], threshold: float) -> tuple[int, float]:
        best, best_score = -1, 0.0
        for cid in candidates:
            score = max(self.scorer.score(core, rep)
                        for rep in self._clusters[cid].representatives)
            if score >= threshold and score > best_score:
                best, best_score = cid, score
        return best, best_score

    # -- pass 2: pairing up --------------------------------------------------------------

    def _cluster_score(self, a: int, b: int) -> float:
        return max(self.scorer.score(x, y) for x in self._clusters[a].representatives
                   for y in self._clusters[b].representatives)

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
            if a == b or self._clusters[a].docs & self._clusters[b].docs:
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
        target.members.extend((n, min(s, score)) for n, s in source.members)
        target.docs |= source.docs
        for core in source.representatives:
            if len(target.representatives) < MAX_REPRESENTATIVES * 2 and (
                    core not in target.representatives):
                self._add_representative(into, core)
        source.merged_into = into
        source.members = []

    # -- matters -------------------------------------------------------------------------

    def _make_groups(self) -> list[tuple[str, str, list[tuple[int, float]]]]:
        groups = []
        for cluster in self._clusters:
            if cluster.merged_into >= 0 or len(cluster.docs) < 2:
                continue
            members = sorted(((n, round(score, 1)) for n, score in cluster.members),
                             key=lambda m: self._member_order(m[0]))
            label = self._label([n for n, _ in members])
            ids = "\n".join(sorted(self.items[n].id for n, _ in members))
            matter_id = "m" + hashlib.sha1(ids.encode()).hexdigest()[:10]
            groups.append((matter_id, label, members))
        groups.sort(key=lambda g: (-len(g[2]), g[1], g[0]))
        return groups

    def _label(self, members: list[int]) -> str:
        """The wording most townships print (among equals the shortest); when every
        township words it its own way, the one closest to all the others."""
        printed = Counter(self.items[n].name for n in members)
        top = min(printed, key=lambda name: (-printed[name], len(name), name))
        if printed[top] > 1 or len(members) > LABEL_MEDOID_MAX:
            return top
        central = max(members, key=lambda n: (
            sum(self.scorer.score(self.cores[n], self.cores[m]) for m in members),
            -len(self.items[n].name)))
        return self.items[central].name

    def _member_order(self, n: int) -> tuple[str, str, str, int, int]:
        item = self.items[n]
        return (item.prefecture, item.county, item.township, _KIND_ORDER[item.list],
                item.serial)

    # -- queries -------------------------------------------------------------------------

    def matters(self) -> list[Matter]:
        """Every matter that spans at least two townships, largest first."""
        if self._matters is None:
            self._matters = [self._matter(g) for g in range(len(self._groups))]
        return list(self._matters)

    def _matter(self, group: int) -> Matter:
        matter_id, label, members = self._groups[group]
        return Matter(matter_id, label, [Counterpart(self.items[n], score)
                                         for n, score in members])

    def _matter_at(self, n: int) -> Matter | None:
        """The matter of item ``n``, made alone: counterparts and compare need a few
        matters, and making all of them builds a row for every item of the store."""
        group = self._group_of.get(n)
        if group is None:
            return None
        return self._matters[group] if self._matters is not None else self._matter(group)

    def matter_of(self, item_id: str) -> Matter | None:
        n = self.index_of.get(item_id)
        return self._matter_at(n) if n is not None else None

    def similarity(self, a: Item | Row, b: Item | Row) -> float:
        return round(self.scorer.score(self.cores[self.index_of[a.id]],
                                       self.cores[self.index_of[b.id]]), 1)

    def counterparts(self, item_id: str) -> list[Counterpart]:
        """The items of other townships in the same matter, most similar first."""
        n = self.index_of.get(item_id)
        if n is None:
            raise KeyError(item_id)
        matter = self._matter_at(n)
        if matter is None:
            return []
        own = self.items[n]
        found = [Counterpart(m.item, self.similarity(own, m.item))
                 for m in matter.members if m.item.doc_id != own.doc_id]
        found.sort(key=lambda c: -c.score)
        return found

    def compare(self, doc_a: str, doc_b: str) -> Comparison:
        """Matters both townships have (same list or not), and what only one of them has."""
        comparison = Comparison([], [], [], [])
        for n in self._indices_of(doc_a):
            item = self.items[n]
            matter = self._matter_at(n)
            other = next((m.item for m in matter.members if m.item.doc_id == doc_b),
                         None) if matter else None
            if other is None:
                comparison.only_a.append(item)
                continue
            target = comparison.both if other.list == item.list else comparison.different_lists
            target.append((item, other, self.similarity(item, other)))
        matched_b = {b.id for _, b, _ in comparison.both + comparison.different_lists}
        comparison.only_b = [i for i in map(self.items.__getitem__, self._indices_of(doc_b))
                             if i.id not in matched_b]
        for part in (comparison.only_a, comparison.only_b):
            part.sort(key=lambda i: (_KIND_ORDER[i.list], i.serial))
        for pairs in (comparison.both, comparison.different_lists):
            pairs.sort(key=lambda p: (_KIND_ORDER[p[0].list], p[0].serial))
        return comparison

    def _indices_of(self, doc_id: str) -> Iterable[int]:
        """Positions of a document's items: its range in the store's rows, else a scan."""
        if isinstance(self.items, RowTable):
            return self.items.range_of(doc_id)
        return (n for n, item in enumerate(self.items) if item.doc_id == doc_id)

    def coverage(self) -> tuple[list[str], list[tuple[Matter, dict[str, ListKind]]]]:
        """Townships (doc ids, in place order) and, per matter, the list it is in each one."""
        docs: dict[str, tuple[str, str, str]] = {}
        if isinstance(self.items, RowTable):  # its documents: no row built per item
            for doc in self.items.documents:
                if self.items.range_of(doc.id):
                    docs[doc.id] = (doc.prefecture, doc.county, doc.township)
        else:
            for item in self.items:
                docs.setdefault(item.doc_id, (item.prefecture, item.county, item.township))
        townships = sorted(docs, key=lambda d: (docs[d], d))
        rows = [(matter, {m.item.doc_id: m.item.list for m in matter.members})
                for matter in self.matters()]
        return townships, rows
