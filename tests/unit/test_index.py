"""The derived SQLite index beside the store: kept in step with the catalog per document,
reconciled at open, rebuilt from the store of record at will."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvzhi.index import IndexUnavailable, RowIndex, index_path
from lvzhi.ingest import ingest
from lvzhi.library import Library
from lvzhi.plugins import load_plugins
from lvzhi.store import Store


@pytest.fixture(scope="module")
def registry():
    return load_plugins()


def names(library: Library, query: str) -> list[tuple[str, str]]:
    return [(h.item.township, h.item.name) for h in library.search(query)]


def counted_syncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many documents each ``RowIndex.sync`` added or dropped, in order."""
    counts: list[int] = []
    real = RowIndex.sync

    def sync(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        counts.append(real(self, *args, **kwargs))
        return counts[-1]

    monkeypatch.setattr(RowIndex, "sync", sync)
    return counts


def test_the_index_sits_beside_the_store_and_an_ingest_indexes_only_its_documents(
        store_path, csv_list, registry, monkeypatch):
    ingest(Store(store_path), registry, [csv_list("a.csv")])
    assert index_path(store_path).exists()
    syncs = counted_syncs(monkeypatch)
    ingest(Store(store_path), registry, [csv_list("b.csv", township="昭苏镇",
                                                  county="昭苏县")])
    assert syncs == [1]  # the new document, not the first one again
    library = Library(store_path)
    assert names(library, "工伤认定") == [("托格拉克乡", "工伤认定调查"),
                                      ("昭苏镇", "工伤认定调查")]
    assert syncs == [1]  # a new process finds the index in step: nothing to reconcile
    assert len(library.rows) == 8


def test_the_catalog_has_documents_only(store_path, csv_list, registry):
    import orjson

    ingest(Store(store_path), registry, [csv_list("a.csv")])
    [doc] = orjson.loads(store_path.read_bytes())["documents"].values()
    assert "rows" not in doc


def test_a_commit_whose_index_update_failed_is_reconciled_at_the_next_open(
        store_path, csv_list, registry, monkeypatch):
    ingest(Store(store_path), registry, [csv_list("a.csv")])

    def broken(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise IndexUnavailable("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(RowIndex, "sync", broken)
        result = ingest(Store(store_path), registry, [csv_list("b.csv", township="昭苏镇")])
    assert result.ok  # the store of record took the document
    syncs = counted_syncs(monkeypatch)
    library = Library(store_path)
    assert ("昭苏镇", "工伤认定调查") in names(library, "工伤认定")
    assert syncs == [1]


def test_a_document_removed_elsewhere_leaves_the_index_and_its_keys(store_path, csv_list,
                                                                   registry):
    ingest(Store(store_path), registry, [csv_list("a.csv"),
                                         csv_list("b.csv", township="昭苏镇", extra="乙")])
    library = Library(store_path)
    assert names(library, "基本事项乙")
    store = Store(store_path)
    [doc] = [d for d in store.documents() if d.township == "昭苏镇"]
    with store.transaction() as db:
        store.remove(db, doc.id)
    library.refresh()
    assert "昭苏镇" not in {township for township, _ in names(library, "基本事项乙")}
    con = Store(store_path).synced_index().connection()
    assert not con.execute("SELECT 1 FROM keys WHERE text LIKE '%乙%'").fetchall()
    assert not con.execute("SELECT 1 FROM grams WHERE gram = '项乙'").fetchall()


def test_a_damaged_or_foreign_index_is_built_again(store_path, csv_list, registry):
    ingest(Store(store_path), registry, [csv_list("a.csv")])
    path = index_path(store_path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    assert names(Library(store_path), "工伤认定") == [("托格拉克乡", "工伤认定调查")]
    path.write_bytes(b"not a database at all")
    assert names(Library(store_path), "工伤认定") == [("托格拉克乡", "工伤认定调查")]


def test_an_index_that_cannot_be_written_falls_back_to_memory(store_path, csv_list, registry):
    ingest(Store(store_path), registry, [csv_list("a.csv")])
    path = index_path(store_path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.mkdir()  # a folder where the file should be
    library = Library(store_path)
    assert names(library, "工伤认定") == [("托格拉克乡", "工伤认定调查")]
    assert len(library.rows) == 4


def test_reindex_builds_the_same_index_from_the_store(store_path, csv_list, registry):
    ingest(Store(store_path), registry, [csv_list("a.csv"),
                                         csv_list("b.csv", township="昭苏镇")])
    library = Library(store_path)
    before = names(library, "gsrd")
    library.reindex()
    assert names(Library(store_path), "gsrd") == before
    assert len(before) == 2


def test_older_versions_are_indexed_but_not_searched(store_path, csv_list, registry):
    first = csv_list("a.csv", extra="甲")
    ingest(Store(store_path), registry, [first])
    newer = csv_list("a2.csv", extra="乙")
    ingest(Store(store_path), registry, [newer])
    library = Library(store_path)
    [current] = library.documents()
    assert current.source == "a2.csv"
    hits = library.search("基本事项")
    assert len(hits) == 3 and {h.item.doc_id for h in hits} == {current.id}


def test_a_search_of_a_store_not_made_yet_makes_no_file(tmp_path):
    from lvzhi.library import LibraryError

    path = tmp_path / "not yet" / "store.json"
    with pytest.raises(LibraryError, match="the store is empty"):
        Library(path).search("工伤")
    assert not (tmp_path / "not yet").exists()


def test_an_interrupted_reconcile_goes_on_from_where_it_stopped(store_path, csv_list,
                                                                registry, monkeypatch):
    import lvzhi.index

    files = [csv_list(f"{n}.csv", township=f"测试{n}乡") for n in range(5)]
    ingest(Store(store_path), registry, files)
    monkeypatch.setattr(lvzhi.index, "SYNC_BATCH", 2)
    store = Store(store_path)
    store.index.rebuild()
    read: list[str] = []
    real = Store._read_items

    def fail_on_the_fifth(self, doc_id):  # type: ignore[no-untyped-def]
        read.append(doc_id)
        if len(read) == 5:
            raise KeyboardInterrupt
        return real(self, doc_id)

    monkeypatch.setattr(Store, "_read_items", fail_on_the_fifth)
    with pytest.raises(KeyboardInterrupt):
        store.synced_index()
    syncs = counted_syncs(monkeypatch)
    monkeypatch.setattr(Store, "_read_items", real)
    again = Store(store_path)
    assert len(again.synced_index().connection().execute(
        "SELECT id FROM documents").fetchall()) == 5
    assert syncs == [1]  # the four committed before the interruption were kept
    assert len(Library(store_path).search("基本事项", limit=100)) == 15


def current_of(store_path: Path) -> dict[str, int]:
    """Each indexed document's file name and whether it is marked current."""
    con = Store(store_path).synced_index().connection()
    return dict(con.execute("SELECT source, current FROM documents"))


def test_a_batch_marks_current_versions_only_in_its_own_places(store_path, csv_list,
                                                               registry, monkeypatch):
    ingest(Store(store_path), registry, [csv_list("a.csv", extra="甲"),
                                         csv_list("b.csv", township="昭苏镇", extra="甲")])
    marked: list[list[str]] = []
    import lvzhi.versions

    real = lvzhi.versions.current_ids

    def counted(docs):  # type: ignore[no-untyped-def]
        docs = list(docs)
        marked.append(sorted(d.source for d in docs))
        return real(docs)

    monkeypatch.setattr(lvzhi.versions, "current_ids", counted)
    ingest(Store(store_path), registry, [csv_list("a2.csv", extra="乙")])
    assert marked == [["a.csv", "a2.csv"]]  # 昭苏镇 was not looked at again
    assert current_of(store_path) == {"a.csv": 0, "a2.csv": 1, "b.csv": 1}


def test_a_reconcile_interrupted_after_its_last_commit_still_marks_current_versions(
        store_path, csv_list, registry):
    ingest(Store(store_path), registry, [csv_list("a.csv", extra="甲"),
                                         csv_list("a2.csv", extra="乙")])
    store = Store(store_path)
    con = store.synced_index().connection()
    # As a reconcile killed after committing its last documents and before marking them:
    # nothing current, no stamp.
    con.execute("UPDATE documents SET current = 0")
    con.execute("UPDATE meta SET value = '' WHERE key = 'catalog'")
    assert current_of(store_path) == {"a.csv": 0, "a2.csv": 1}


@pytest.mark.parametrize(("name", "need"), [("工伤认定调查", 1), ("工伤认定调查", 40),
                                          ("第1项基本事项稀", 1), ("第1项基本事项稀", 8),
                                          ("第1项基本事项稀", 100)])
def test_a_common_key_s_first_rows_are_those_a_full_sort_gives(store_path, csv_list, registry,
                                                               monkeypatch, name, need):
    """A key held by many rows has its first rows found by walking the documents in order,
    a few more at a time: the same rows, in the same order, as reading all and sorting."""
    import lvzhi.search

    # 120 townships ingested out of their canonical order; every tenth in that order holds
    # 第1项基本事项稀, so the walk takes three steps to find eight; one has an older version.
    places = [(n * 37) % 120 for n in range(120)]
    files = [csv_list(f"{n}.csv", township=f"测试{k:03d}乡", extra="稀" if k % 10 == 0 else "")
             for n, k in enumerate(places)]
    ingest(Store(store_path), registry, files)
    ingest(Store(store_path), registry, [csv_list("again.csv", township="测试020乡")])

    def first_rows(common_rows: int) -> list[tuple[str, int]]:
        monkeypatch.setattr(lvzhi.search, "COMMON_KEY_ROWS", common_rows)
        index = Library(store_path).build_search_index()
        [(kid,)] = index.index.connection().execute(
            "SELECT DISTINCT name_key FROM rows WHERE name = ?", (name,)).fetchall()
        return [(row.township, row.serial) for _, row in
                index._rows_of_key("name_key", kid, need)]

    walked, sorted_ = first_rows(0), first_rows(10**9)
    assert walked == sorted_
    # 测试020乡's current version does not hold it: eleven townships do
    assert len(set(walked)) == len(walked) == min(need, 120 if name == "工伤认定调查" else 11)
