"""What the explorer shows, computed without any UI: the loaded store and its filtered views.

Items are kept sorted by place, list and serial, so each township's items are one contiguous
range: a view of one township (or a county, or everything) is a few slices, never a scan of
300,000 items. Search goes through ``explorer.search`` once its index is built; until then a
plain substring filter answers, so the first screen never waits for an index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from explorer.model import Document, Item, ListKind
from explorer.store import Store

# Search results are ranked; the table shows the best ones, not every weak match.
SEARCH_LIMIT = 1000

LIST_ORDER: dict[ListKind, int] = {kind: n for n, kind in enumerate(ListKind)}
ALL_KINDS: frozenset[ListKind] = frozenset(ListKind)
# Two-character names of the lists, for narrow columns where 基/配/收 alone is too terse.
KIND_WORDS: dict[ListKind, str] = {ListKind.BASIC: "基本", ListKind.COOPERATIVE: "配合",
                                   ListKind.RECLAIMED: "收回"}


def place_key(doc: Document) -> tuple[str, str, str, str]:
    return (doc.prefecture, doc.county, doc.township, doc.source)


def counts_label(lists: dict[str, int]) -> str:
    """``基84 配127 收52``: rows per list, short."""
    return " ".join(f"{kind.short}{lists.get(str(kind), 0)}" for kind in ListKind)


class SearchEngine(Protocol):
    def search(self, query: str, **filters: Any) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class ViewFilter:
    """Everything that decides which items the table shows."""

    doc_ids: frozenset[str] | None = None  # None: every township
    kinds: frozenset[ListKind] = ALL_KINDS
    category: str | None = None
    query: str = ""


@dataclass(slots=True)
class View:
    """The rows of the table and, for a search, where each matched."""

    rows: Sequence[Item]
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # item id -> field the match is in
    limited: bool = False  # a search hit the result limit: there may be more
    searched: bool = False  # ranked by a search index (not the plain fallback)
    # Where an item id stands in ``rows``, when known without a scan (the whole store).
    position: Mapping[str, int] | None = None

    def index_of(self, item_id: str) -> int | None:
        if self.position is not None:
            return self.position.get(item_id)
        return next((n for n, item in enumerate(self.rows) if item.id == item_id), None)


class Catalog:
    """Documents and items of the store, sorted, with the lookups the explorer needs."""

    @classmethod
    def from_store(cls, store: Store) -> Catalog:
        """The whole store, with its content digest (which keys the index caches)."""
        catalog = cls(store.documents(), store.items())
        catalog.digest = store.content_digest()
        return catalog

    def __init__(self, documents: Iterable[Document], items: Iterable[Item]) -> None:
        # Store order, as the command line builds its indexes from it: the search and
        # matching caches beside the store are then shared with `lvzhi search` and friends.
        self.stored: list[Item] = list(items)
        # The store's content digest when the catalog is the whole store (keys the caches).
        self.digest: str = ""
        self.documents: list[Document] = sorted(documents, key=place_key)
        self.document_by_id: dict[str, Document] = {d.id: d for d in self.documents}
        # Group by document, then order each document's items: linear in the store's size
        # (a global sort of 300,000 items costs half a second).
        by_doc: dict[str, list[Item]] = {d.id: [] for d in self.documents}
        for item in self.stored:
            if (bucket := by_doc.get(item.doc_id)) is not None:
                bucket.append(item)
        self.items: list[Item] = []
        self.ranges: dict[str, range] = {}
        for doc in self.documents:
            bucket = by_doc[doc.id]
            bucket.sort(key=lambda i: (LIST_ORDER[i.list], i.serial))
            start = len(self.items)
            self.items.extend(bucket)
            if bucket:
                self.ranges[doc.id] = range(start, len(self.items))
        self.position: dict[str, int] = {item.id: n for n, item in enumerate(self.items)}

    def __len__(self) -> int:
        return len(self.items)

    def item(self, item_id: str) -> Item | None:
        n = self.position.get(item_id)
        return self.items[n] if n is not None else None

    def document(self, doc_id: str) -> Document | None:
        return self.document_by_id.get(doc_id)

    def township_items(self, doc_ids: frozenset[str] | None) -> Sequence[Item]:
        if doc_ids is None:
            return self.items
        selected: list[Item] = []
        for doc in self.documents:  # in place order, so the table reads like the tree
            if doc.id in doc_ids and (span := self.ranges.get(doc.id)):
                selected.extend(self.items[span.start:span.stop])
        return selected

    def categories(self, doc_ids: frozenset[str] | None,
                   kinds: frozenset[ListKind] = ALL_KINDS) -> list[tuple[str, int]]:
        """Categories of the items in view with their counts, most common first."""
        counts: dict[str, int] = {}
        for item in self.township_items(doc_ids):
            if item.list in kinds:
                key = category_of(item)
                counts[key] = counts.get(key, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def select(self, flt: ViewFilter, engine: SearchEngine | None = None,
               limit: int = SEARCH_LIMIT) -> View:
        """The items ``flt`` lets through: ranked hits for a query, place order otherwise."""
        query = flt.query.strip()
        if query and engine is not None:
            return self._search(flt, query, engine, limit)
        rows = self.township_items(flt.doc_ids)
        if flt.kinds != ALL_KINDS or flt.category:
            rows = [i for i in rows if i.list in flt.kinds
                    and (not flt.category or category_of(i) == flt.category)]
        if query:
            return _substring_view(rows, query, limit)
        return View(rows=rows, position=self.position if rows is self.items else None)

    def _search(self, flt: ViewFilter, query: str, engine: SearchEngine, limit: int) -> View:
        filters: dict[str, Any] = {"limit": limit + 1}
        if flt.doc_ids is not None:
            filters["townships"] = set(flt.doc_ids)
        if flt.kinds != ALL_KINDS:
            filters["kinds"] = set(flt.kinds)
        if flt.category:
            filters["category"] = flt.category
        hits = engine.search(query, **filters)
        view = View(rows=[hit.item for hit in hits[:limit]], limited=len(hits) > limit,
                    searched=True)
        for hit in hits[:limit]:
            view.spans[hit.item.id] = [tuple(s) for s in hit.spans]
            view.fields[hit.item.id] = hit.field
        return view


def category_of(item: Item) -> str:
    return item.category_canonical or item.category


def _substring_view(rows: Sequence[Item], query: str, limit: int) -> View:
    """What answers a query before the search index is ready: names first, then departments
    and receivers (duty text waits for the index: scanning it all would take a second at a
    province's size)."""
    by_name: list[Item] = []
    by_other: list[Item] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    fields: dict[str, str] = {}
    for item in rows:
        at = item.name.find(query)
        if at >= 0:
            by_name.append(item)
            spans[item.id] = [(at, at + len(query))]
            fields[item.id] = "name"
        elif query in item.departments or query in item.receiver:
            by_other.append(item)
            fields[item.id] = "text"
    found = by_name + by_other
    return View(rows=found[:limit], spans=spans, fields=fields, limited=len(found) > limit)
