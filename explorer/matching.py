"""Matters: the same duty as written by different townships, found across all of them.

Items are clustered incrementally against cluster *representatives* (a few distinct wordings
per cluster), never all pairs: an item's rarest bigrams pick a handful of candidate clusters
through an inverted index, rapidfuzz scores it against their representatives, and it joins
the best cluster that does not yet hold an item of its own township — or starts a new one.
The work per item is bounded, so matching grows linearly with the number of items.

Names are compared as ``explorer.search.match_key`` makes them: place names masked and region
levels unified (县/市/师市, 乡/镇), width and punctuation folded.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from explorer.model import Item, ListKind
from explorer.search import MASK, _place_regex, bigrams, match_key

# A wording joins a cluster when it scores at least this against one of its representatives.
JOIN_THRESHOLD = 80.0
# Representatives kept per cluster: enough to bridge rewordings, few enough to stay fast.
MAX_REPRESENTATIVES = 4
# Clusters re-scored per item, picked by how many of the item's rare bigrams they share.
MAX_CANDIDATE_CLUSTERS = 40
RARE_BIGRAMS = 12
_KIND_ORDER = {kind: n for n, kind in enumerate(ListKind)}


@dataclass(slots=True)
class Counterpart:
    item: Item
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
    both: list[tuple[Item, Item, float]]
    only_a: list[Item]
    only_b: list[Item]
    different_lists: list[tuple[Item, Item, float]]


def similarity(a: str, b: str) -> float:
    """How alike two match keys are, 0..100.

    ``ratio`` for wordings of similar length; when one is much longer (a short reclaimed
    name against a long basic duty that contains it) the best partial alignment counts, a
    little discounted, as rapidfuzz's WRatio does.
    """
    if a == b:
        return 100.0
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not short or short.strip(MASK) == "":
        return 0.0
    score = fuzz.ratio(a, b)
    if len(long) >= 1.5 * len(short):
        score = max(score, fuzz.partial_ratio(short, long) * 0.9)
    return score


@dataclass(slots=True)
class _Cluster:
    members: list[tuple[int, float]] = field(default_factory=list)  # (item index, score)
    docs: set[str] = field(default_factory=set)
    representatives: list[str] = field(default_factory=list)


class Matcher:
    """Matters over a set of items; build once per store content."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.index_of = {item.id: n for n, item in enumerate(items)}
        places = _place_regex(tuple(sorted({i.township for i in items if i.township})))
        self.keys = [match_key(item.name, places).text for item in items]
        self._clusters: list[_Cluster] = []
        self._cluster_of: list[int] = [-1] * len(items)
        self._postings: dict[str, list[int]] = {}  # bigram -> clusters with a rep holding it
        self._exact: dict[str, list[int]] = {}  # rep key -> clusters
        self._cluster()
        self._matters = self._make_matters()
        self._matter_of: dict[int, Matter] = {}
        for matter in self._matters:
            for member in matter.members:
                self._matter_of[self.index_of[member.item.id]] = matter

    @classmethod
    def build(cls, items: list[Item]) -> Matcher:
        return cls(items)

    # -- clustering ----------------------------------------------------------------------

    def _order(self) -> list[int]:
        return sorted(range(len(self.items)), key=lambda n: (
            self.items[n].doc_id, _KIND_ORDER[self.items[n].list], self.items[n].serial))

    def _cluster(self) -> None:
        for n in self._order():
            key, doc = self.keys[n], self.items[n].doc_id
            best, best_score = -1, 0.0
            for cid in self._exact.get(key, ()):
                if doc not in self._clusters[cid].docs:
                    best, best_score = cid, 100.0
                    break
            if best < 0 and key.strip(MASK):
                best, best_score = self._best_cluster(key, doc)
            if best < 0:
                best, best_score = len(self._clusters), 100.0
                self._clusters.append(_Cluster())
                self._add_representative(best, key)
            cluster = self._clusters[best]
            cluster.members.append((n, best_score))
            cluster.docs.add(doc)
            self._cluster_of[n] = best
            if (best_score < 100.0 and len(cluster.representatives) < MAX_REPRESENTATIVES
                    and key not in cluster.representatives):
                self._add_representative(best, key)

    def _add_representative(self, cid: int, key: str) -> None:
        self._clusters[cid].representatives.append(key)
        self._exact.setdefault(key, []).append(cid)
        for gram in bigrams(key):
            posting = self._postings.setdefault(gram, [])
            if not posting or posting[-1] != cid:
                posting.append(cid)

    def _best_cluster(self, key: str, doc: str) -> tuple[int, float]:
        grams = sorted((g for g in bigrams(key) if g in self._postings),
                       key=lambda g: len(self._postings[g]))[:RARE_BIGRAMS]
        counts: Counter[int] = Counter()
        for gram in grams:
            counts.update(self._postings[gram])
        candidates = heapq.nlargest(MAX_CANDIDATE_CLUSTERS, counts.items(),
                                    key=lambda kv: kv[1])
        best, best_score = -1, 0.0
        for cid, _ in candidates:
            cluster = self._clusters[cid]
            if doc in cluster.docs:
                continue
            score = max(similarity(key, rep) for rep in cluster.representatives)
            if score >= JOIN_THRESHOLD and score > best_score:
                best, best_score = cid, score
        return best, best_score

    def _make_matters(self) -> list[Matter]:
        matters: list[Matter] = []
        for cluster in self._clusters:
            if len(cluster.docs) < 2:
                continue
            members = [Counterpart(self.items[n], round(score, 1))
                       for n, score in cluster.members]
            members.sort(key=lambda m: (m.item.prefecture, m.item.county, m.item.township,
                                        _KIND_ORDER[m.item.list], m.item.serial))
            labels = Counter(self.keys[n] for n, _ in cluster.members)
            top_key = labels.most_common(1)[0][0]
            label = next(self.items[n].name for n, _ in cluster.members
                         if self.keys[n] == top_key)
            ids = "\n".join(sorted(m.item.id for m in members))
            matter_id = "m" + hashlib.sha1(ids.encode()).hexdigest()[:10]
            matters.append(Matter(matter_id, label, members))
        matters.sort(key=lambda m: (-len(m.members), m.label))
        return matters

    # -- queries -------------------------------------------------------------------------

    def matters(self) -> list[Matter]:
        """Every matter that spans at least two townships, largest first."""
        return list(self._matters)

    def matter_of(self, item_id: str) -> Matter | None:
        n = self.index_of.get(item_id)
        return self._matter_of.get(n) if n is not None else None

    def counterparts(self, item_id: str) -> list[Counterpart]:
        """The items of other townships in the same matter, most similar first."""
        n = self.index_of.get(item_id)
        if n is None:
            raise KeyError(item_id)
        matter = self._matter_of.get(n)
        if matter is None:
            return []
        own = self.items[n]
        found = [Counterpart(m.item, round(similarity(self.keys[n],
                                                      self.keys[self.index_of[m.item.id]]), 1))
                 for m in matter.members if m.item.doc_id != own.doc_id]
        found.sort(key=lambda c: -c.score)
        return found

    def compare(self, doc_a: str, doc_b: str) -> Comparison:
        """Matters both townships have (same list or not), and what only one of them has."""
        comparison = Comparison([], [], [], [])
        for n, item in enumerate(self.items):
            if item.doc_id != doc_a:
                continue
            matter = self._matter_of.get(n)
            other = next((m.item for m in matter.members if m.item.doc_id == doc_b),
                         None) if matter else None
            if other is None:
                comparison.only_a.append(item)
                continue
            score = round(similarity(self.keys[n], self.keys[self.index_of[other.id]]), 1)
            target = comparison.both if other.list == item.list else comparison.different_lists
            target.append((item, other, score))
        matched_b = {b.id for _, b, _ in comparison.both + comparison.different_lists}
        comparison.only_b = [i for i in self.items if i.doc_id == doc_b and i.id not in matched_b]
        for part in (comparison.only_a, comparison.only_b):
            part.sort(key=lambda i: (_KIND_ORDER[i.list], i.serial))
        for pairs in (comparison.both, comparison.different_lists):
            pairs.sort(key=lambda p: (_KIND_ORDER[p[0].list], p[0].serial))
        return comparison

    def coverage(self) -> tuple[list[str], list[tuple[Matter, dict[str, ListKind]]]]:
        """Townships (doc ids, in place order) and, per matter, the list it is in each one."""
        docs: dict[str, tuple[str, str, str]] = {}
        for item in self.items:
            docs.setdefault(item.doc_id, (item.prefecture, item.county, item.township))
        townships = sorted(docs, key=lambda d: (docs[d], d))
        rows = [(matter, {m.item.doc_id: m.item.list for m in matter.members})
                for matter in self._matters]
        return townships, rows
