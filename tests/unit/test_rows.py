"""RowTable: the light rows of many documents as one sequence, in canonical order."""

from __future__ import annotations

import pytest

from lvzhi.model import Document, Item, ListKind, Row
from lvzhi.rows import RowTable, row_columns


def doc(doc_id: str, township: str, county: str = "昭苏县") -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", path=f"/{doc_id}.txt", format="plaintext",
                    extractor="plaintext 1", prefecture="伊犁州", county=county,
                    township=township)


def item(d: Document, kind: ListKind, serial: int, name: str, **more) -> Item:
    return Item(id=Item.make_id(d.id, kind, serial), doc_id=d.id, source=d.source,
                prefecture=d.prefecture, county=d.county, township=d.township, list=kind,
                serial=serial, category="党的建设", name=name, **more)


@pytest.fixture()
def table() -> RowTable:
    a, b = doc("aaa", "昭苏镇"), doc("bbb", "阿克达拉镇", county="伊宁县")
    items = [item(a, ListKind.RECLAIMED, 1, "工伤认定调查", receiver="县人社局承接"),
             item(a, ListKind.BASIC, 2, "第二项"), item(a, ListKind.BASIC, 1, "第一项"),
             item(b, ListKind.COOPERATIVE, 1, "配合", departments="县委组织部、县民政局",
                  department_names=["县委组织部", "县民政局"])]
    return RowTable.from_items(items, [a, b])


def test_documents_by_place_items_by_list_and_serial(table: RowTable) -> None:
    assert [d.township for d in table.documents] == ["阿克达拉镇", "昭苏镇"]  # 伊宁县 < 昭苏县
    assert [(r.township, r.list, r.serial) for r in table] == [
        ("阿克达拉镇", ListKind.COOPERATIVE, 1), ("昭苏镇", ListKind.BASIC, 1),
        ("昭苏镇", ListKind.BASIC, 2), ("昭苏镇", ListKind.RECLAIMED, 1)]


def test_rows_carry_what_lists_show(table: RowTable) -> None:
    first, last = table[0], table[-1]
    assert first.id == "bbb:cooperative:1" and first.department_names == ("县委组织部", "县民政局")
    assert last.receiver == "县人社局承接" and last.source == "aaa.txt"
    assert table[1:3] == [table[1], table[2]]
    with pytest.raises(IndexError):
        table[4]


def test_where_items_and_documents_are(table: RowTable) -> None:
    assert table.range_of("aaa") == range(1, 4) and table.range_of("zzz") == range(0)
    assert table.index_of("aaa:reclaimed:1") == 3
    assert table.index_of("aaa:basic:2") == 2
    assert table.index_of("aaa:basic:9") is None
    assert table.index_of("aaa:nonsense:1") is None and table.index_of("garbage") is None
    assert table.doc_of(2).id == "aaa"


def test_a_row_is_an_item_without_its_text() -> None:
    """Row repeats Item's fields on purpose (code that reads only them takes either):
    they must not drift apart."""
    from dataclasses import fields

    item_fields = [f.name for f in fields(Item)]
    row_fields = [f.name for f in fields(Row)]
    assert row_fields == [name for name in item_fields if name in row_fields]
    assert set(item_fields) - set(row_fields) == {"upper_duties", "township_duties", "span",
                                                  "warnings", "receiver_department",
                                                  "receiver_method", "extra"}


# -- a table read as it is looked at ----------------------------------------------------------

def lazy_copy(table: RowTable, reads: list[list[str]] | None = None,
              gone: frozenset[str] = frozenset()) -> RowTable:
    """``table`` made ``lazy`` over its own columns; each read's ids go in ``reads``; the
    documents in ``gone`` are no longer there when read (removed by another process)."""
    columns = {}
    for d in table.documents:
        span = table.range_of(d.id)
        columns[d.id] = {"list": table.kinds[span.start:span.stop],
                         "serial": table.serials[span.start:span.stop],
                         "category": table.categories[span.start:span.stop],
                         "category_canonical": table.canonicals[span.start:span.stop],
                         "name": table.names[span.start:span.stop],
                         "departments": table.departments[span.start:span.stop],
                         "department_names": table.department_names[span.start:span.stop],
                         "receiver": table.receivers[span.start:span.stop]}

    def read(ids):
        if reads is not None:
            reads.append(list(ids))
        return [columns[i] if i not in gone else row_columns([]) for i in ids]

    return RowTable.lazy(table.documents, [len(table.range_of(d.id)) for d in table.documents],
                         read)


@pytest.fixture()
def many() -> RowTable:
    """100 documents of 0-5 rows each (some empty), over three lists."""
    docs, items = [], []
    for n in range(100):
        d = doc(f"d{n:03}", f"乡{n:03}")
        docs.append(d)
        for s in range(n % 6):
            items.append(item(d, list(ListKind)[s % 3], s + 1, f"事项{n}-{s}",
                              receiver=f"承接{s}", department_names=[f"部门{s}"]))
    return RowTable.from_items(items, docs)


def test_a_lazy_table_is_the_same_table(many: RowTable) -> None:
    lazy = lazy_copy(many)
    assert len(lazy) == len(many) and not lazy.loaded
    assert list(lazy) == list(many) and lazy[-3:] == many[-3:]
    for n in range(len(many)):
        assert lazy.id_of(n) == many.id_of(n) and lazy.doc_of(n) == many.doc_of(n)
        assert lazy.index_of(many.id_of(n)) == n
    assert all(lazy.range_of(d.id) == many.range_of(d.id) for d in many.documents)
    assert lazy.index_of("d005:basic:99") is None
    assert not lazy.loaded  # rows, ids and ranges were read a few documents at a time
    assert lazy.names == many.names and lazy.kinds == many.kinds and lazy.loaded
    assert lazy.department_names == many.department_names
    assert list(lazy) == list(many)


def test_a_row_reads_its_document_and_the_next_few_only(many: RowTable) -> None:
    from lvzhi.rows import CHUNK_DOCUMENTS

    reads: list[list[str]] = []
    lazy = lazy_copy(many, reads)
    assert reads == []  # making it reads nothing
    row = lazy[len(lazy) // 2]
    assert row == many[len(many) // 2]
    assert len(reads) == 1 and len(reads[0]) <= CHUNK_DOCUMENTS and row.doc_id in reads[0]
    lazy[len(lazy) // 2 + 1]
    assert len(reads) == 1  # the next row's document was read with it
    lazy.names  # noqa: B018 - the whole columns: what was read already is not read again
    assert not set(reads[0]) & {i for ids in reads[1:] for i in ids}


def test_a_subset_of_a_lazy_table_stays_lazy(many: RowTable) -> None:
    lazy = lazy_copy(many)
    some = [d for d in many.documents if d.id.endswith(("1", "4"))]
    sub = lazy.subset(some)
    assert not sub.loaded and sub.documents == some
    assert list(sub) == [r for r in many if r.doc_id in {d.id for d in some}]
    assert many.subset(some).names == sub.names


def test_a_document_removed_meanwhile_shows_blank_rows_not_its_neighbours(
        many: RowTable) -> None:
    gone = many.documents[10].id
    lazy = lazy_copy(many, gone=frozenset({gone}))
    span = many.range_of(gone)
    assert span and all(lazy[n].name == "" for n in span)
    after = span.stop
    assert lazy[after] == many[after]  # the next document's rows are still its own
    assert lazy.names[after:] == many.names[after:]


def test_a_lazy_table_read_from_two_threads(many: RowTable) -> None:
    """The explorer draws rows while its matcher reads every column in another thread."""
    import threading

    lazy = lazy_copy(many)
    seen: list[list] = []

    def draw() -> None:
        seen.append([lazy[n] for n in range(len(lazy) - 1, -1, -1)])

    threads = [threading.Thread(target=draw) for _ in range(3)]
    threads.append(threading.Thread(target=lambda: seen.append(list(lazy.names))))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = list(reversed(list(many)))
    assert [s for s in seen if s and isinstance(s[0], Row)] == [rows] * 3
    assert [s for s in seen if s and isinstance(s[0], str)] == [many.names]
