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

import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any, Generic, TypeVar, cast, overload

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


# Reads the row columns of documents, by id, in that order (``RowIndex.columns``).
ColumnsReader = Callable[[Sequence[str]], Iterable[dict[str, Any]]]
# A table read as it is looked at reads this many documents at a time (a screen of rows
# spans a few; the next screen is likely the next documents).
CHUNK_DOCUMENTS = 16


class _Flat:
    """Every document's columns joined into one list per column."""

    __slots__ = ("canonicals", "categories", "department_names", "departments", "kinds",
                 "names", "receivers", "serials")

    def __init__(self, columns: Iterable[dict[str, Any]], starts: list[int] | None) -> None:
        """``starts``, when given, gets where each document's rows start."""
        self.serials: list[int] = []
        self.categories: list[str] = []
        self.canonicals: list[str] = []
        self.names: list[str] = []
        self.departments: list[str] = []
        self.department_names: list[tuple[str, ...]] = []
        self.receivers: list[str] = []
        kinds: list[str] = []
        # Each document's columns are decoded apart, so every township's copy of 经济发展 or
        # 县人社局 would be an object of its own (most of a country's rows' memory): equal
        # texts share one, and each distinct list of department names is one tuple.
        texts: dict[str, str] = {}
        lists: dict[tuple[str, ...], tuple[str, ...]] = {}
        share = texts.setdefault
        for cols in columns:
            if starts is not None:
                starts.append(len(self.names))
            kinds.append(cols["list"])
            self.serials.extend(cols["serial"])
            for column, values in ((self.categories, cols["category"]),
                                   (self.canonicals, cols["category_canonical"]),
                                   (self.names, cols["name"]),
                                   (self.departments, cols["departments"]),
                                   (self.receivers, cols["receiver"])):
                column.extend([share(value, value) for value in values])
            for names in cols["department_names"]:
                key = tuple(map(share, names, names))
                self.department_names.append(lists.setdefault(key, key))
        self.kinds = "".join(kinds)  # one ListKind.code per row

    def row(self, n: int) -> tuple[Any, ...]:
        """Row ``n``'s cells, in ``COLUMNS`` order."""
        return (self.kinds[n], self.serials[n], self.categories[n], self.canonicals[n],
                self.names[n], self.departments[n], self.department_names[n],
                self.receivers[n])

    def columns(self, at: slice) -> dict[str, Any]:
        """Some rows' columns as ``row_columns`` gives them."""
        return dict(zip(COLUMNS, (self.kinds[at], self.serials[at], self.categories[at],
                                  self.canonicals[at], self.names[at], self.departments[at],
                                  self.department_names[at], self.receivers[at]),
                        strict=True))


T = TypeVar("T")


class _Column(Generic[T]):
    """A whole column of a ``RowTable``, read the first time it is asked for."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, table: RowTable, owner: type | None = None) -> T:
        return cast(T, getattr(table._whole(), self.name))


class RowTable(Sequence[Row]):
    """The rows of many documents, in canonical order, as one sequence.

    Made from every document's columns at once, or (``lazy``) from how many rows each
    document has and a reader of their columns: rows are then read a few documents at a
    time as they are looked at, so a screen of them is drawn without reading a country's
    rows, and the whole columns (``names``, ``serials`` …, which matching and filters walk)
    are read the first time one of them is asked for.
    """

    def __init__(self, documents: Iterable[Document],
                 columns: Iterable[dict[str, Any]]) -> None:
        """``columns[n]`` are the row columns of ``documents[n]`` (see ``row_columns``)."""
        self.documents: list[Document] = list(documents)
        self.starts: list[int] = []
        self._flat: _Flat | None = _Flat(columns, self.starts)
        if len(self.starts) != len(self.documents):
            raise ValueError("one set of columns per document")
        self._length = len(self._flat.names)
        self._doc_index = {doc.id: n for n, doc in enumerate(self.documents)}
        self._read: ColumnsReader | None = None
        self._chunks: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()  # reading a few documents' columns
        self._whole_lock = threading.Lock()  # reading all of them

    @classmethod
    def lazy(cls, documents: Iterable[Document], counts: Sequence[int],
             read: ColumnsReader) -> RowTable:
        """A table of documents having ``counts[n]`` rows each, whose columns ``read``
        gives when they are looked at."""
        table = cls([], [])
        table.documents = list(documents)
        if len(counts) != len(table.documents):
            raise ValueError("one row count per document")
        table.starts = list(accumulate(counts, initial=0))[:-1]
        table._length = sum(counts)
        table._doc_index = {doc.id: n for n, doc in enumerate(table.documents)}
        table._read = read
        table._flat = None
        return table

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

    # -- the whole columns -------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """Whether the whole columns are read (always, for a table not made ``lazy``)."""
        return self._flat is not None

    def _whole(self) -> _Flat:
        flat = self._flat
        if flat is not None:
            return flat
        # Not under ``_lock``: reading a country's columns takes seconds, and rows on screen
        # (read a few documents at a time under it) must not wait for them.
        with self._whole_lock:
            if self._flat is None:
                self._flat = _Flat(self._columns_of(range(len(self.documents))), None)
                self._chunks = {}
            return self._flat

    kinds = _Column[str]()  # one ListKind.code per row
    serials = _Column[list[int]]()
    categories = _Column[list[str]]()
    canonicals = _Column[list[str]]()
    names = _Column[list[str]]()
    departments = _Column[list[str]]()
    department_names = _Column[list[tuple[str, ...]]]()
    receivers = _Column[list[str]]()

    # -- one document at a time ------------------------------------------------------------

    def _columns_of(self, numbers: Iterable[int]) -> Iterator[dict[str, Any]]:
        """The columns of documents by number, read (512 at a time) unless kept, each
        checked against its count."""
        assert self._read is not None
        numbers = list(numbers)
        for at in range(0, len(numbers), 512):
            chunk = numbers[at:at + 512]
            missing = [d for d in chunk if d not in self._chunks]
            read = dict(zip(missing, self._read([self.documents[d].id for d in missing]),
                            strict=True))
            for d in chunk:
                cols = self._chunks.get(d) or read[d]
                if len(cols["list"]) != self._count(d):
                    # Removed from the store by another process since this table was made:
                    # its rows show empty until the store is read again (never shifted onto
                    # another document's).
                    cols = _blank_columns(self._count(d))
                yield cols

    def _count(self, d: int) -> int:
        end = self.starts[d + 1] if d + 1 < len(self.starts) else self._length
        return end - self.starts[d]

    def _document_columns(self, d: int) -> dict[str, Any]:
        """Document ``d``'s columns, read with the next few documents' if not kept."""
        cols = self._chunks.get(d)
        if cols is not None:
            return cols
        with self._lock:
            if d not in self._chunks:
                if len(self._chunks) > 64 * CHUNK_DOCUMENTS:
                    self._chunks = {}  # a screen's worth is what matters: start again
                ahead = range(d, min(d + CHUNK_DOCUMENTS, len(self.documents)))
                for n, cols in zip(ahead, self._columns_of(ahead), strict=True):
                    self._chunks[n] = cols
            return self._chunks[d]

    # -- the sequence ----------------------------------------------------------------------

    def __len__(self) -> int:
        return self._length

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

    def _cells(self, n: int) -> tuple[int, tuple[Any, ...]]:
        """Row ``n``'s document number and its cells, in ``COLUMNS`` order."""
        d = bisect_right(self.starts, n) - 1
        flat = self._flat
        if flat is not None:
            return d, flat.row(n)
        cols, i = self._document_columns(d), n - self.starts[d]
        return d, tuple(cols[column][i] for column in COLUMNS)

    def _row(self, n: int) -> Row:
        d, (code, serial, category, canonical, name, departments, names, receiver) = (
            self._cells(n))
        doc, kind = self.documents[d], ListKind.of_code(code)
        return Row(_item_id(doc.id, kind, serial), doc.id, doc.source, doc.prefecture,
                   doc.county, doc.township, kind, serial, category, name, canonical,
                   departments, tuple(names), receiver)

    def _key_of(self, n: int) -> tuple[str, int]:
        """Row ``n``'s list code and serial (``index_of`` asks for a document's rows)."""
        if (flat := self._flat) is not None:
            return flat.kinds[n], flat.serials[n]
        code, serial = self._cells(n)[1][:2]
        return code, serial

    def id_of(self, n: int) -> str:
        """Row ``n``'s item id, without making the row."""
        code, serial = self._key_of(n)
        return _item_id(self.doc_of(n).id, ListKind.of_code(code), serial)

    def doc_of(self, n: int) -> Document:
        return self.documents[bisect_right(self.starts, n) - 1]

    def range_of(self, doc_id: str) -> range:
        """Where a document's rows are (empty if it is not here)."""
        d = self._doc_index.get(doc_id)
        if d is None:
            return range(0)
        return range(self.starts[d], self.starts[d] + self._count(d))

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
            if self._key_of(n) == (code, number):
                return n
        return None

    def subset(self, documents: Sequence[Document]) -> RowTable:
        """The rows of some of this table's documents (in this table's order), read the
        same way as this table's."""
        numbers = [self._doc_index[d.id] for d in documents]
        if self._flat is None and self._read is not None:
            return RowTable.lazy([self.documents[d] for d in numbers],
                                 [self._count(d) for d in numbers], self._read)
        flat = self._whole()
        return RowTable([self.documents[d] for d in numbers], (
            flat.columns(slice(self.starts[d], self.starts[d] + self._count(d)))
            for d in numbers))


def _blank_columns(count: int) -> dict[str, Any]:
    return {"list": ListKind.BASIC.code * count, "serial": [0] * count,
            **{name: [""] * count for name in ("category", "category_canonical", "name",
                                               "departments", "receiver")},
            "department_names": [[] for _ in range(count)]}


def _document_of(item: Item) -> Document:
    return Document(item.doc_id, item.source, "", "", "", item.prefecture, item.county,
                    item.township)


def _item_id(doc_id: str, kind: ListKind, serial: int) -> str:
    """``Item.make_id`` for a kind already known to be a ``ListKind`` (made per row shown)."""
    return f"{doc_id}:{kind.value}:{serial}"
