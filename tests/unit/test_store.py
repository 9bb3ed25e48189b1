"""The store: idempotent ingest, replacement, schema, atomic writes, locks, bad store files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from lvzhi.ingest import ingest
from lvzhi.plugins import load_plugins
from lvzhi.store import SCHEMA_VERSION, Store, StoreError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def registry():
    return load_plugins()


def indexed(store_path: Path) -> dict[str, str]:
    """The documents the index file beside the store holds (id -> stamp), read directly: no
    reconcile runs first."""
    import sqlite3

    from lvzhi.index import index_path

    con = sqlite3.connect(index_path(store_path))
    try:
        return dict(con.execute("SELECT id, stamp FROM documents"))
    finally:
        con.close()


def catalogued(store_path: Path) -> dict[str, str]:
    return {d.id: d.ingested_at for d in Store(store_path).documents()}


def on_disk(store_path: Path) -> dict[str, bytes]:
    """Every file of a store (the catalog and its item files) with its bytes."""
    files = {store_path.name: store_path.read_bytes()} if store_path.exists() else {}
    items_dir = Store(store_path).items_dir
    if items_dir.is_dir():
        files |= {f"{items_dir.name}/{p.name}": p.read_bytes() for p in items_dir.iterdir()}
    return files


def test_ingest_stores_documents_and_items_and_stamps_schema(store_path, csv_list, registry):
    result = ingest(Store(store_path), registry, [csv_list("a.csv")])
    assert result.ok and [e.status for e in result.done] == ["added"]
    store = Store(store_path)
    [doc] = store.documents()
    assert (doc.prefecture, doc.county, doc.township) == ("伊犁州", "伊宁市", "托格拉克乡")
    assert doc.lists == {"basic": 3, "reclaimed": 1}
    assert len(store.items()) == 4
    raw = orjson.loads(store_path.read_bytes())
    assert raw["meta"]["1"]["schema"] == SCHEMA_VERSION


def test_store_is_utf8_not_escaped(store_path, csv_list, registry):
    ingest(Store(store_path), registry, [csv_list()])
    text = store_path.read_text(encoding="utf-8")
    assert "托格拉克乡" in text and "\\u" not in text


def test_same_bytes_twice_changes_nothing(store_path, csv_list, registry):
    path = csv_list()
    ingest(Store(store_path), registry, [path])
    before = on_disk(store_path)
    result = ingest(Store(store_path), registry, [path])
    assert [e.status for e in result.done] == ["unchanged"]
    assert on_disk(store_path) == before


def test_a_changed_file_is_a_new_version_and_the_old_one_stays(store_path, csv_list,
                                                                 registry):
    """A county's list downloaded again to the same file: the new bytes are the township's
    current version, the earlier document stays as its older version (issue 13)."""
    from lvzhi.library import Library

    path = csv_list(rows=3)
    ingest(Store(store_path), registry, [path])
    csv_list(rows=5)  # same path, new bytes
    result = ingest(Store(store_path), registry, [path])
    assert [e.status for e in result.done] == ["added"]
    store = Store(store_path)
    assert len(store.documents()) == 2 and len(store.items()) == 4 + 6
    library = Library(store_path)
    [current] = library.documents()  # one township, counted once
    assert current.id == result.done[0].document.id
    assert [v.document.id for v in library.versions("托格拉克乡")][-1] == current.id


def test_failed_ingest_changes_nothing(store_path, csv_list, tmp_path, registry):
    ingest(Store(store_path), registry, [csv_list()])
    before = on_disk(store_path)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    result = ingest(Store(store_path), registry, [bad])
    assert not result.ok and not result.done
    assert on_disk(store_path) == before


def test_good_files_land_and_bad_ones_are_reported(store_path, csv_list, tmp_path, registry):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = ingest(Store(store_path), registry, [csv_list("a.csv"), bad,
                                                  csv_list("b.csv", township="昭苏镇")])
    assert len(result.done) == 2 and len(result.failed) == 1
    assert "bad.csv" in str(result.failed[0]) and "binary" in str(result.failed[0])
    assert len(Store(store_path).documents()) == 2


def test_a_large_ingest_commits_in_batches_and_resumes_after_a_crash(
        store_path, csv_list, registry, monkeypatch: pytest.MonkeyPatch):
    """Batches of items are committed as they come; a crash keeps the batches before it, and
    the same ingest run again reads only the files not yet stored."""
    import lvzhi.ingest

    files = [csv_list(f"{n}.csv", township=name)
             for n, name in enumerate(["托格拉克乡", "昭苏镇", "喀拉苏乡"])]
    real = lvzhi.ingest.extract_file
    read: list[str] = []

    def crash_on_the_third(registry, path, forced=None):
        if path.name == "2.csv":
            raise KeyboardInterrupt
        read.append(path.name)
        return real(registry, path, forced)

    monkeypatch.setattr(lvzhi.ingest, "extract_file", crash_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        ingest(Store(store_path), registry, files, batch_items=1)  # a commit per file
    assert [d.township for d in Store(store_path).documents()] == ["托格拉克乡", "昭苏镇"]
    assert len(Store(store_path).items()) == 8  # whole documents, nothing half-written
    assert indexed(store_path) == catalogued(store_path)  # each commit updated the index
    monkeypatch.setattr(lvzhi.ingest, "extract_file", real)
    read.clear()
    monkeypatch.setattr(lvzhi.ingest, "extract_file",
                        lambda r, path, forced=None: read.append(path.name) or real(r, path,
                                                                                    forced))
    result = ingest(Store(store_path), registry, files, batch_items=1)
    assert read == ["2.csv"]  # the stored two are not read again
    assert sorted((e.path.name, e.status) for e in result.done) == [
        ("0.csv", "unchanged"), ("1.csv", "unchanged"), ("2.csv", "added")]
    assert len(Store(store_path).documents()) == 3
    assert indexed(store_path) == catalogued(store_path)


def test_an_ingest_leaves_the_garbage_collector_as_it_found_it(store_path, csv_list, registry,
                                                               monkeypatch: pytest.MonkeyPatch):
    """The collector is paused while a batch arrives (its objects are not cyclic), on again
    after the ingest, even one stopped by Ctrl-C, and left off if the caller had it off."""
    import gc

    import lvzhi.ingest

    files = [csv_list(f"{n}.csv", township=f"收集{n}乡") for n in range(3)]
    ingest(Store(store_path), registry, files[:1], batch_items=1)
    assert gc.isenabled()

    def interrupted(registry, path, forced=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(lvzhi.ingest, "extract_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest(Store(store_path), registry, files[1:])
    assert gc.isenabled()
    monkeypatch.undo()
    gc.disable()
    try:
        ingest(Store(store_path), registry, files[1:])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_ingest_keeps_no_items_once_stored(store_path, csv_list, registry):
    result = ingest(Store(store_path), registry, [csv_list("a.csv")])
    [stored] = result.done
    assert not hasattr(stored, "items") and stored.document.lists == {"basic": 3,
                                                                      "reclaimed": 1}
    assert stored.summary is not None and stored.summary.trustworthy
    assert not hasattr(stored, "report")  # only its counts: reports were most of the memory


def test_an_exception_inside_a_transaction_writes_nothing(store_path, csv_list, registry):
    ingest(Store(store_path), registry, [csv_list()])
    before = on_disk(store_path)
    store = Store(store_path)
    with pytest.raises(RuntimeError), store.transaction() as db:
        db.table("documents").truncate()
        raise RuntimeError("crash halfway")
    assert on_disk(store_path) == before
    assert len(store.documents()) == 1


def test_a_failed_write_leaves_the_old_file_and_no_temporary(store_path, csv_list, registry,
                                                            monkeypatch):
    ingest(Store(store_path), registry, [csv_list()])
    before = on_disk(store_path)

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("lvzhi.store.os.fsync", no_space)
    with pytest.raises(StoreError, match="No space left on device"):
        ingest(Store(store_path), registry, [csv_list("b.csv", township="昭苏镇")])
    assert on_disk(store_path) == before  # no temporary, no item file of the failed ingest


def test_a_catalog_that_fails_to_commit_leaves_no_item_files(store_path, csv_list, registry,
                                                            monkeypatch):
    ingest(Store(store_path), registry, [csv_list()])
    before = on_disk(store_path)

    def full_disk(self):
        raise OSError(28, "No space left on device")

    # The item files are written, then the catalog (the commit) fails.
    monkeypatch.setattr("lvzhi.store.AtomicJSONStorage.flush", full_disk)
    with pytest.raises(StoreError, match="No space left on device"):
        ingest(Store(store_path), registry, [csv_list("b.csv", township="昭苏镇")])
    assert on_disk(store_path) == before


def test_each_document_has_one_item_file_and_the_index_holds_its_rows(store_path, csv_list,
                                                                     registry):
    ingest(Store(store_path), registry, [csv_list("a.csv"), csv_list("b.csv", township="昭苏镇")])
    store = Store(store_path)
    docs = store.documents()
    assert sorted(p.name.split(".")[0] for p in store.items_dir.iterdir()) == sorted(
        d.id for d in docs)
    catalog = orjson.loads(store_path.read_bytes())
    assert set(catalog) == {"meta", "documents"}  # no items in the catalog
    rows = store.rows()
    whole = store.items()
    assert [r.id for r in rows] == [i.id for i in whole]
    for row, item in zip(rows, whole, strict=True):
        assert (row.doc_id, row.township, row.list, row.serial, row.category, row.name,
                row.departments, list(row.department_names), row.receiver) == (
            item.doc_id, item.township, item.list, item.serial, item.category, item.name,
            item.departments, item.department_names, item.receiver)
        assert store.item(row.id) == item
    assert [d.township for d in docs] == [d.township for d in rows.documents]


def test_a_removed_document_takes_its_item_file_with_it(store_path, csv_list, registry):
    ingest(Store(store_path), registry, [csv_list("a.csv"), csv_list("b.csv", township="昭苏镇")])
    store = Store(store_path)
    old, kept = store.documents()
    with store.transaction() as db:
        assert store.remove(db, old.id)
    store = Store(store_path)
    assert [d.id for d in store.documents()] == [kept.id]
    assert [p.name.split(".")[0] for p in store.items_dir.iterdir()] == [kept.id]


def test_a_missing_item_file_is_a_clear_error(store_path, csv_list, registry):
    ingest(Store(store_path), registry, [csv_list()])
    store = Store(store_path)
    [doc] = store.documents()
    store.item_file(doc.id).unlink()
    assert len(store.rows()) == 4  # listing needs only the catalog
    with pytest.raises(StoreError, match=r"missing.*ingest the document again"):
        store.items_of(doc.id)


def test_a_schema_1_store_is_read_and_rewritten_by_the_next_ingest(store_path, csv_list,
                                                                  registry):
    ingest(Store(store_path), registry, [csv_list("a.csv")])
    store = Store(store_path)
    expected = [i.to_dict() for i in store.items()]
    # The same store as the first lvzhi wrote it: one file, items in it, no rows.
    catalog = orjson.loads(store_path.read_bytes())
    for doc in catalog["documents"].values():
        doc.pop("rows", None)
    catalog["items"] = {str(n): item for n, item in enumerate(expected, start=1)}
    catalog["meta"] = {"1": {"schema": 1}}
    store_path.write_bytes(orjson.dumps(catalog))
    for path in store.items_dir.iterdir():
        path.unlink()
    old = Store(store_path)
    assert [i.to_dict() for i in old.items()] == expected
    assert [r.name for r in old.rows()] == [i["name"] for i in expected]
    ingest(Store(store_path), registry, [csv_list("b.csv", township="昭苏镇")])
    upgraded = Store(store_path)
    assert orjson.loads(store_path.read_bytes())["meta"]["1"]["schema"] == SCHEMA_VERSION
    assert len(list(upgraded.items_dir.iterdir())) == 2
    assert [i.to_dict() for i in upgraded.items() if i.township == "托格拉克乡"] == expected


@pytest.mark.parametrize(("content", "message"), [
    (b"{\"meta\": {", "corrupt"),
    (b"", "empty"),
    (b"[1, 2]", "not a lvzhi store"),
    (b"{\"documents\": {}}", "no schema version"),
    (orjson.dumps({"meta": {"1": {"schema": SCHEMA_VERSION + 1}}}), "newer"),
])
def test_an_unusable_store_is_a_clear_error_and_is_never_overwritten(
        store_path, csv_list, registry, content, message):
    store_path.write_bytes(content)
    with pytest.raises(StoreError, match=message) as caught:
        ingest(Store(store_path), registry, [csv_list()])
    assert str(store_path) in str(caught.value)
    assert store_path.read_bytes() == content


def test_move_aside_keeps_the_broken_file(store_path):
    store_path.write_bytes(b"garbage")
    items = Store(store_path).items_dir
    items.mkdir()
    (items / "x.json").write_bytes(b"{}")
    target = Store(store_path).move_aside()
    assert target.read_bytes() == b"garbage" and not store_path.exists()
    assert (target.parent / f"{target.name}.items" / "x.json").read_bytes() == b"{}"
    assert not items.exists()
    assert Store(store_path).is_empty()


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
import lvzhi.store as store_module
from lvzhi.ingest import ingest
from lvzhi.plugins import load_plugins

real_fsync = os.fsync
def slow_fsync(fd):
    Path(sys.argv[2]).write_text("writing")  # tell the test we are mid-write
    time.sleep(60)
store_module.os.fsync = slow_fsync
ingest(store_module.Store(sys.argv[1]), load_plugins(), [Path(sys.argv[3])])
"""


def test_kill_9_in_the_middle_of_a_write_leaves_the_old_store(store_path, csv_list,
                                                               tmp_path, registry):
    ingest(Store(store_path), registry, [csv_list("a.csv")])
    before = on_disk(store_path)
    marker = tmp_path / "mid-write"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(store_path), str(marker),
                             str(csv_list("b.csv", township="昭苏镇"))], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert proc.poll() is None, "the writer ended before it was killed"
            assert time.monotonic() < deadline, "the writer never reached the write"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert store_path.read_bytes() == before[store_path.name]
    # The next ingest works (the lock died with the process) and cleans the half-written file.
    result = ingest(Store(store_path), registry, [csv_list("c.csv", township="伽师镇")])
    assert result.ok
    store = Store(store_path)
    assert len(store.documents()) == 2
    assert len(store.items()) == 8
    assert not [name for name in on_disk(store_path) if name.endswith(".tmp")]
    assert len(list(store.items_dir.iterdir())) == 2  # nothing left of the killed ingest
    assert indexed(store_path) == catalogued(store_path)


def test_concurrent_ingests_lose_nothing(store_path, csv_list):
    paths = [csv_list(f"t{n}.csv", township=f"测试{n}乡") for n in range(6)]
    env = {**os.environ, "LVZHI_DB": str(store_path)}
    procs = [subprocess.Popen([sys.executable, "-m", "lvzhi.cli", "ingest", "-q", str(p)],
                              env=env, cwd=ROOT, stderr=subprocess.PIPE) for p in paths]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    townships = {d.township for d in Store(store_path).documents()}
    assert townships == {f"测试{n}乡" for n in range(6)}
    assert indexed(store_path) == catalogued(store_path)  # each writer indexed its own


def test_marked_steps_are_kept_when_they_add_up_to_the_cell() -> None:
    from lvzhi.model import Document, ExtractedRow, ListKind
    from lvzhi.normalize import to_item

    doc = Document(id="d", source="s", path="p", format="f", extractor="e", prefecture="",
                   county="", township="")
    row = ExtractedRow(ListKind.COOPERATIVE, 1, "党的建设", "名", "部",
                       upper_duties="起草方案； 审核人选；",
                       upper_steps=["起草方案； ", "审核人选；"],
                       township_duties="1.推荐；2.上报。", township_steps=["不相符"])
    item = to_item(doc, row)
    assert item.upper_duties == ["起草方案； ", "审核人选；"]
    assert item.township_duties == ["1.推荐；", "2.上报。"]  # marked steps that don't add up


def test_parallel_ingest_reports_bad_files_from_worker_processes(store_path, tmp_path,
                                                                 csv_list, registry):
    good = [csv_list(f"g{n}.csv", township=f"并行{n}乡") for n in range(8)]
    bad = [tmp_path / f"bad{n}.csv" for n in range(2)]
    for path in bad:
        path.write_bytes(b"\x00binary\x00")
    from lvzhi.ingest import extract_each

    results = [outcome for _, outcome in extract_each(registry, good + bad, jobs=2)]
    failures = [r for r in results if not hasattr(r, "document")]
    assert len(failures) == 2 and all("binary" in str(f) for f in failures)
    assert len(results) == 10


def test_content_digest_changes_exactly_when_the_items_do(store_path, csv_list, registry):
    store = Store(store_path)
    empty = store.content_digest()
    path = csv_list()
    ingest(store, registry, [path])
    first = Store(store_path).content_digest()
    assert first != empty
    ingest(Store(store_path), registry, [path])  # same bytes: unchanged
    assert Store(store_path).content_digest() == first
    csv_list(rows=5)  # same path, other bytes: replaced
    ingest(Store(store_path), registry, [path])
    assert Store(store_path).content_digest() not in (first, empty)


def test_item_files_are_gzipped_and_an_uncompressed_one_is_still_read(store_path, csv_list,
                                                                      registry):
    import gzip

    ingest(Store(store_path), registry, [csv_list("a.csv")])
    store = Store(store_path)
    [doc] = store.documents()
    packed = store.item_file(doc.id)
    assert packed.name.endswith(".json.gz")
    expected = [i.to_dict() for i in store.items()]
    plain = packed.with_suffix("")  # what an earlier lvzhi wrote
    plain.write_bytes(gzip.decompress(packed.read_bytes()))
    packed.unlink()
    assert [i.to_dict() for i in Store(store_path).items()] == expected


def test_an_item_file_that_unpacks_too_far_is_a_clear_error(store_path, csv_list, registry,
                                                            monkeypatch):
    import gzip

    import lvzhi.store

    ingest(Store(store_path), registry, [csv_list("a.csv")])
    store = Store(store_path)
    [doc] = store.documents()
    store.item_file(doc.id).write_bytes(gzip.compress(b" " * 5000))
    monkeypatch.setattr(lvzhi.store, "MAX_ITEM_FILE_BYTES", 1000)
    with pytest.raises(StoreError, match="unpacks to more than"):
        Store(store_path).items_of(doc.id)


def test_an_item_file_holds_what_to_dict_says_of_each_item():
    """Item files are written from the items themselves (orjson's dataclass encoding): it
    must give the very bytes of ``Item.to_dict``, for every field."""
    import orjson

    from lvzhi.model import Item, ListKind, Span

    item = Item("d:cooperative:7", "d", "a.pdf", "伊犁州", "昭苏县", "昭苏镇",
                ListKind.COOPERATIVE, 7, "民生服务", "工伤认定调查", "社会保障",
                "县人社局、县医保局", ["县人社局", "县医保局"], ["1.受理", "2.认定"],
                ["协助调查"], "县人社局", "县人社局", "现场办理", {"履职依据": "《工伤保险条例》"},
                Span(3, 5, 1, 2), ["serial gap"])
    assert orjson.dumps(item) == orjson.dumps(item.to_dict())
    assert Item.from_dict(orjson.loads(orjson.dumps(item))) == item
