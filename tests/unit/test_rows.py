"""RowTable: the light rows of many documents as one sequence, in canonical order."""

from __future__ import annotations

import pytest

from lvzhi.model import Document, Item, ListKind, Row
from lvzhi.rows import RowTable


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
