"""What the explorer shows, computed without any UI: the loaded store and its filtered views.

Rows are sorted by place, list and serial (the store's canonical order), so each township's
rows are one contiguous range: a view of one township (or a county, or everything) is a few
ranges, never a scan of 300,000 items, and rows are built only for the lines on screen.
Search goes through ``lvzhi.search`` once its index is built; until then a plain
substring filter answers, so the first screen never waits for an index.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, overload

from lvzhi.model import Document, Item, ListKind, Row
from lvzhi.rows import RowTable
from lvzhi.store import Store

# Search results are ranked; the table shows the best ones, not every weak match.
SEARCH_LIMIT = 1000

ALL_KINDS: frozenset[ListKind] = frozenset(ListKind)
class SearchEngine(Protocol):
    def search(self, query: str, *, townships: Collection[str] | None = ...,
               kinds: Collection[ListKind] | None = ..., category: str | None = ...,
               limit: int = ...) -> list[Any]: ...


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

    rows: Sequence[Row]
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # item id -> field the match is in
    limited: bool = False  # a search hit the result limit: there may be more
    searched: bool = False  # ranked by a search index (not the plain fallback)
    # Where an item id stands in ``rows``, when known without a scan (the whole store).
    position: Callable[[str], int | None] | None = None

    def index_of(self, item_id: str) -> int | None:
        if self.position is not None:
            return self.position(item_id)
        return next((n for n, item in enumerate(self.rows) if item.id == item_id), None)


class Catalog:
    """Documents and item rows of the store, sorted, with the lookups the explorer needs.

    Rows are light (``lvzhi.model.Row``: no duty text); ``full`` gives the whole item,
    read from the store when it is shown.
    """

    @classmethod
    def from_store(cls, store: Store) -> Catalog:
        """The whole store, with its content digest (which keys the index caches)."""
        catalog = cls(store.rows(), store=store)
        catalog.digest = store.content_digest()
        return catalog

    def __init__(self, rows: RowTable | None = None, store: Store | None = None) -> None:
        """``rows`` are the rows of ``store``, which gives the whole items when they are
        shown (no rows: an empty catalog)."""
        self.store = store
        self._full: dict[str, Item] = {}
        self.rows = rows if rows is not None else RowTable([], [])
        # The store's content digest when the catalog is the whole store (keys the caches).
        self.digest: str = ""
        self.documents: list[Document] = self.rows.documents
        self.document_by_id: dict[str, Document] = {d.id: d for d in self.documents}
        # Rows are in canonical order (documents by place, then list and serial), so each
        # township's rows are one range and the whole store is the table itself.
        self.items: Sequence[Row] = self.rows
        self.ranges: dict[str, range] = {}
        for doc in self.documents:
            if span := self.rows.range_of(doc.id):
                self.ranges[doc.id] = span

    def __len__(self) -> int:
        return len(self.rows)

    def item(self, item_id: str) -> Row | None:
        n = self.rows.index_of(item_id)
        return self.rows[n] if n is not None else None

    @classmethod
    def of_items(cls, items: Iterable[Item], documents: Iterable[Document] | None = None
                 ) -> Catalog:
        """A catalog of whole items held in memory (tests; nothing read from a store)."""
        items = list(items)
        catalog = cls(RowTable.from_items(items, documents))
        catalog._full = {i.id: i for i in items}
        return catalog

    def full(self, item: Row) -> Item:
        """The whole item (duty text, provenance) of a row."""
        if self.store is None:
            return self._full[item.id]
        for whole in self.store.items_of(item.doc_id):
            if whole.id == item.id:
                return whole
        raise LookupError(f"no item {item.id} in the store")

    def document(self, doc_id: str) -> Document | None:
        return self.document_by_id.get(doc_id)

    def _indices(self, doc_ids: frozenset[str] | None) -> Iterable[int]:
        if doc_ids is None:
            return range(len(self.rows))
        return (n for doc in self.documents if doc.id in doc_ids
                for n in self.ranges.get(doc.id, ()))

    def categories(self, doc_ids: frozenset[str] | None,
                   kinds: frozenset[ListKind] = ALL_KINDS) -> list[tuple[str, int]]:
        """Categories of the items in view with their counts, most common first."""
        rows, codes = self.rows, {k.code for k in kinds}
        counts: dict[str, int] = {}
        for n in self._indices(doc_ids):
            if rows.kinds[n] in codes:
                key = rows.canonicals[n] or rows.categories[n]
                counts[key] = counts.get(key, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def select(self, flt: ViewFilter, engine: SearchEngine | None = None,
               limit: int = SEARCH_LIMIT) -> View:
        """The items ``flt`` lets through: ranked hits for a query, place order otherwise."""
        query = flt.query.strip()
        if query and engine is not None:
            return self._search(flt, query, engine, limit)
        table = self.rows
        if flt.kinds == ALL_KINDS and not flt.category:
            indices: Iterable[int] = self._indices(flt.doc_ids)
        else:  # filtered on the columns: no row is built for what is left out
            codes = {k.code for k in flt.kinds}
            indices = [n for n in self._indices(flt.doc_ids)
                       if table.kinds[n] in codes and (not flt.category or flt.category == (
                           table.canonicals[n] or table.categories[n]))]
        if query:
            return _substring_view(table, indices, query, limit)
        if flt.doc_ids is None and isinstance(indices, range):
            return View(rows=table, position=table.index_of)
        return View(rows=_Subset(table, list(indices)))

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


class _Subset(Sequence[Row]):
    """Some rows of a table, made when looked at (a filtered view of 300,000 rows would
    otherwise build them all)."""

    def __init__(self, rows: RowTable, indices: list[int]) -> None:
        self.rows = rows
        self.indices = indices

    def __len__(self) -> int:
        return len(self.indices)

    @overload
    def __getitem__(self, n: int) -> Row: ...
    @overload
    def __getitem__(self, n: slice) -> list[Row]: ...
    def __getitem__(self, n: int | slice) -> Row | list[Row]:
        if isinstance(n, slice):
            return [self.rows[i] for i in self.indices[n]]
        return self.rows[self.indices[n]]


def category_of(item: Row) -> str:
    return item.category_canonical or item.category


def _substring_view(rows: RowTable, indices: Iterable[int], query: str, limit: int) -> View:
    """What answers a query before the search index is ready: names first, then departments
    and receivers (duty text waits for the index: scanning it all would take a second at a
    province's size). Read from the columns: no row is built for what does not match."""
    by_name: list[int] = []
    by_other: list[int] = []
    starts: dict[int, int] = {}
    names, departments, receivers = rows.names, rows.departments, rows.receivers
    for n in indices:
        at = names[n].find(query)
        if at >= 0:
            by_name.append(n)
            starts[n] = at
        elif query in departments[n] or query in receivers[n]:
            by_other.append(n)
    found = by_name + by_other
    view = View(rows=_Subset(rows, found[:limit]), limited=len(found) > limit)
    for n in found[:limit]:
        item_id = rows[n].id
        if n in starts:
            view.spans[item_id] = [(starts[n], starts[n] + len(query))]
            view.fields[item_id] = "name"
        else:
            view.fields[item_id] = "text"
    return view
