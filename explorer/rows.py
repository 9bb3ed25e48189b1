"""Every item of a store as light ``Row``s, held column by column.

The store's catalog keeps, for each document, its items' list, serial, category, name,
departments and receiver as columns (``row_columns``). ``RowTable`` joins the columns of all
documents into one sequence without building an object per item: at a province's size
(~300,000 items) that alone would cost most of the time the first screen may take. A
``Row`` is made when one is looked at; the whole ``Item`` comes from the store.

Order is canonical everywhere (the store, its indexes, the explorer): documents by place
(prefecture, county, township, file name, id), then each document's items by list and serial.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from lvzhi.model import Document, Item, ListKind, Row

COLUMNS = ("list", "serial", "category", "category_canonical", "name", "departments",
           "department_names", "receiver")


def document_order(record: dict[str, Any]) -> tuple[str, ...]:
    """Canonical order of stored documents: by place, then file name and id (never ties)."""
    return tuple(record.get(key) or "" for key in
                 ("prefecture", "county", "township", "source", "id"))


def item_order(item: Item) -> tuple[int, int]:
    return item.list.order, item.serial


def row_columns(items: Sequence[Item]) -> dict[str, Any]:
    """The catalog's columns for one document's items, in the order given."""
    return {
        "list": "".join(i.list.code for i in items),
        "serial": [i.serial for i in items],
        "category": [i.category for i in items],
        "category_canonical": [i.category_canonical for i in items],
        "name": [i.name for i in items],
        "departments": [i.departments for i in items],
        "department_names": [list(i.department_names) for i in items],
        "receiver": [i.receiver for i in items],
    }


class RowTable(Sequence[Row]):
    """The rows of many documents, in canonical order, as one sequence."""

    def __init__(self, documents: Iterable[Document],
                 columns: Iterable[dict[str, Any]]) -> None:
        """``columns[n]`` are the row columns of ``documents[n]`` (see ``row_columns``)."""
        self.documents: list[Document] = list(documents)
        self.kinds = ""  # one ListKind.code per row
        self.serials: list[int] = []
        self.categories: list[str] = []
        self.canonicals: list[str] = []
        self.names: list[str] = []
        self.departments: list[str] = []
        self.department_names: list[list[str]] = []
        self.receivers: list[str] = []
        self.starts: list[int] = []
        kinds: list[str] = []
        for cols in columns:
            self.starts.append(len(self.names))
            kinds.append(cols["list"])
            self.serials.extend(cols["serial"])
            self.categories.extend(cols["category"])
            self.canonicals.extend(cols["category_canonical"])
            self.names.extend(cols["name"])
            self.departments.extend(cols["departments"])
            self.department_names.extend(cols["department_names"])
            self.receivers.extend(cols["receiver"])
        self.kinds = "".join(kinds)
        if len(self.starts) != len(self.documents):
            raise ValueError("one set of columns per document")
        self._doc_index = {doc.id: n for n, doc in enumerate(self.documents)}

    @classmethod
    def from_items(cls, items: Iterable[Item],
                   documents: Iterable[Document] | None = None) -> RowTable:
        """Rows of items already in memory, in canonical order. Without ``documents`` (items
        made in a test or by a plugin, not read from a store) each document is described by
        what its items say of it."""
        items = list(items)
        if documents is None:
            documents = {i.doc_id: _document_of(i) for i in items}.values()
        docs = sorted(documents, key=lambda d: document_order(d.to_dict()))
        by_doc: dict[str, list[Item]] = {d.id: [] for d in docs}
        for item in items:
            if (bucket := by_doc.get(item.doc_id)) is not None:
                bucket.append(item)
        return cls(docs, (row_columns(sorted(by_doc[d.id], key=item_order)) for d in docs))

    def __len__(self) -> int:
        return len(self.names)

    @overload
    def __getitem__(self, n: int) -> Row: ...
    @overload
    def __getitem__(self, n: slice) -> list[Row]: ...

    def __getitem__(self, n: int | slice) -> Row | list[Row]:
        if isinstance(n, slice):
            return [self._row(i) for i in range(*n.indices(len(self)))]
        if n < 0:
            n += len(self)
        if not 0 <= n < len(self):
            raise IndexError(n)
        return self._row(n)

    def __iter__(self) -> Iterator[Row]:
        for n in range(len(self)):
            yield self._row(n)

    def _row(self, n: int) -> Row:
        doc = self.documents[bisect_right(self.starts, n) - 1]
        kind = ListKind.of_code(self.kinds[n])
        serial = self.serials[n]
        return Row(_item_id(doc.id, kind, serial), doc.id, doc.source, doc.prefecture,
                   doc.county, doc.township, kind, serial, self.categories[n], self.names[n],
                   self.canonicals[n], self.departments[n], tuple(self.department_names[n]),
                   self.receivers[n])

    def id_of(self, n: int) -> str:
        """Row ``n``'s item id, without making the row."""
        return _item_id(self.doc_of(n).id, ListKind.of_code(self.kinds[n]), self.serials[n])

    def doc_of(self, n: int) -> Document:
        return self.documents[bisect_right(self.starts, n) - 1]

    def range_of(self, doc_id: str) -> range:
        """Where a document's rows are (empty if it is not here)."""
        d = self._doc_index.get(doc_id)
        if d is None:
            return range(0)
        end = self.starts[d + 1] if d + 1 < len(self.starts) else len(self)
        return range(self.starts[d], end)

    def index_of(self, item_id: str) -> int | None:
        """Where the item ``item_id`` ("<doc id>:<list>:<serial>") is, without a scan of
        the store: only its document's rows are looked at."""
        doc_id, _, rest = item_id.partition(":")
        kind, _, serial = rest.partition(":")
        try:
            code = ListKind(kind).code
        except ValueError:
            return None
        if not serial.isdigit():
            return None
        number = int(serial)
        for n in self.range_of(doc_id):
            if self.serials[n] == number and self.kinds[n] == code:
                return n
        return None


def _document_of(item: Item) -> Document:
    return Document(item.doc_id, item.source, "", "", "", item.prefecture, item.county,
                    item.township)


def _item_id(doc_id: str, kind: ListKind, serial: int) -> str:
    """``Item.make_id`` for a kind already known to be a ``ListKind`` (made per row shown)."""
    return f"{doc_id}:{kind.value}:{serial}"
