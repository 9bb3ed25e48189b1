"""The store: a catalog and one file of items per document, all TinyDB databases.

``lvzhi.json`` (the catalog: tables ``meta`` and ``documents``) holds every document.
``lvzhi.json.items/<document id>.json.gz`` (table ``items``, gzipped) holds a document's items
in full.
These are the store of record. What listing, search and matching read of every item lives in
a derived SQLite index beside them (``lvzhi.index``), brought up to date after each commit
and checked against the catalog when the store is opened.

TinyDB rewrites the whole file on every write, escapes Chinese as ``\\uXXXX`` by default and
corrupts under concurrent writers. So our storage writes UTF-8 with orjson, only once per
transaction (a whole ingest is one write), under a file lock that also covers the re-read.
Every file is written to a temporary, fsynced and renamed into place. Item files are named by
their document's id (the hash of its bytes), so they never change once written: a
transaction writes the new ones first and the catalog last, which is the commit. A crash at
any moment leaves the old catalog with all its item files, or the new one with all of its;
files no catalog names are removed by the next writer. A failed ingest changes nothing.
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import hashlib
import os
import stat
import tempfile
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import orjson
from filelock import FileLock, Timeout
from platformdirs import user_data_path
from tinydb import TinyDB
from tinydb.storages import Storage

from lvzhi.index import IndexUnavailable, RowIndex, index_path
from lvzhi.model import Document, Item
from lvzhi.rows import ColumnsReader, RowTable, document_order, item_order, row_columns

# 1: one file with an ``items`` table (read, and rewritten as 3 by the next ingest).
# 2: catalog (documents and their rows' columns) + one item file per document.
# 3: catalog of documents only (the rows are in the index) + one item file per document.
SCHEMA_VERSION = 3
# Item files of one document read lately, kept for the detail pane and the source view.
ITEMS_CACHED = 64
WRITER_THREADS = 4
# What one document's item file may unpack to (a list of a few hundred items is ~1 MB).
MAX_ITEM_FILE_BYTES = 1 << 30
DB_ENV = "LVZHI_DB"
LOCK_TIMEOUT_S = 60


class StoreError(Exception):
    """The store cannot be used as it is (corrupt, newer schema, locked). Says which file."""


def default_db_path() -> Path:
    if env := os.environ.get(DB_ENV):
        return Path(env).expanduser()
    return user_data_path("lvzhi", appauthor=False) / "lvzhi.json"


class AtomicJSONStorage(Storage):
    """A TinyDB storage held in memory; ``flush()`` writes it atomically as UTF-8 JSON."""

    def __init__(self, path: str | Path, data: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        self._data = data

    def read(self) -> dict[str, Any] | None:
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data  # kept in memory until flush(): one disk write per transaction

    def flush(self) -> None:
        write_atomic(self.path, orjson.dumps(self._data or {}))

    def close(self) -> None:
        pass


@contextlib.contextmanager
def atomic_file(path: Path, sync_dir: bool = True) -> Iterator[IO[bytes]]:
    """A binary file that replaces ``path`` only when the block ends without an error: a
    temporary beside it, fsynced, renamed over it, the dir fsynced (unless the caller syncs it
    once after writing many files there). An error or interrupt leaves ``path`` as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with contextlib.suppress(FileNotFoundError):  # keep the file's permissions
            os.chmod(tmp, path.stat().st_mode & 0o777)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def write_atomic(path: Path, payload: bytes, sync_dir: bool = True) -> None:
    """``payload`` written to ``path`` whole or not at all (see ``atomic_file``)."""
    with atomic_file(path, sync_dir) as handle:
        handle.write(payload)


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not supported on every platform
        dir_fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects are built at once.

    Reading a province's store builds millions of objects, none of them cyclic; the collector
    would walk the growing heap again and again meanwhile (at 1,000 townships: 5.7 s to read
    the documents and items with it, 3.1 s without).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_raw(path: Path) -> dict[str, Any] | None:
    """The store's JSON, or None if there is no store yet. Raises StoreError if unusable."""
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise StoreError(f"store path {path} is a directory")
        if not stat.S_ISREG(mode):  # /dev/zero or a FIFO would be read forever
            raise StoreError(f"store path {path} is not a regular file (a device or a FIFO?)")
        payload = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read store {path}: {exc.strerror or exc}") from exc
    if not payload.strip():
        raise StoreError(f"store {path} is empty (not a lvzhi store)")
    try:
        with gc_paused():
            data = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"store {path} is corrupt (not valid JSON: {exc})") from exc
    if not isinstance(data, dict):
        raise StoreError(f"store {path} is not a lvzhi store")
    schema = _schema_of(data)
    if schema is None:
        raise StoreError(f"store {path} is not a lvzhi store (no schema version)")
    if schema > SCHEMA_VERSION:
        raise StoreError(f"store {path} has schema {schema}, newer than this lvzhi "
                         f"understands ({SCHEMA_VERSION}); upgrade lvzhi")
    return data


def _schema_of(data: dict[str, Any]) -> int | None:
    meta = data.get("meta") or {}
    for record in meta.values():
        if isinstance(record, dict) and "schema" in record:
            return int(record["schema"])
    return None


class Store:
    """Documents and items on disk. Reads are snapshots; writes go through ``transaction()``."""

    def __init__(self, path: Path | str | None = None) -> None:
        # A store reached through a symlink lives where the link points: its item files are
        # there, and a commit must replace the catalog there, not the link.
        self.path = (Path(path) if path is not None else default_db_path()).expanduser()
        if self.path.is_symlink():
            self.path = self.path.resolve()
        self.items_dir = self.path.with_name(f"{self.path.name}.items")
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S)
        self._db: TinyDB | None = None
        self._rows: RowTable | None = None
        # Items of a schema-1 store, held in memory until the next write gives them files.
        self._inline: dict[str, list[dict[str, Any]]] = {}
        # Items to write to their files when the current transaction commits, and to index
        # once it is done: document id -> its items, in order.
        self._staged: dict[str, list[Item]] = {}
        self.index = RowIndex(index_path(self.path))
        # A document's items never change (its id is the hash of its bytes), so a cache of
        # them never goes stale.
        self._cached: OrderedDict[str, list[Item]] = OrderedDict()
        self._cache_lock = threading.Lock()

    # -- reading -------------------------------------------------------------------------

    def _open(self) -> TinyDB:
        if self._db is None:
            self._db = self._load()
        return self._db

    def _load(self) -> TinyDB:
        data = read_raw(self.path)
        if data is None:
            data = {"meta": {"1": {"schema": SCHEMA_VERSION}}, "documents": {}}
        elif "items" in data:
            self._inline = _upgrade_from_1(data)
        for record in data.get("documents", {}).values():
            record.pop("rows", None)  # schema 2 kept them here; the index has them now
        data["meta"] = {"1": {"schema": SCHEMA_VERSION}}
        return TinyDB(storage=AtomicJSONStorage, path=self.path, data=data)

    def reload(self) -> None:
        self._db = None
        self._rows = None

    def exists(self) -> bool:
        return self.path.exists()

    def _records(self, table: str) -> Iterable[dict[str, Any]]:
        """A table's records as stored, without the copy TinyDB's ``all()`` makes of each."""
        return (self._open().storage.read() or {}).get(table, {}).values()

    def _document_records(self) -> list[dict[str, Any]]:
        return sorted(self._records("documents"), key=document_order)

    def records_by_id(self) -> dict[str, dict[str, Any]]:
        """Every document's catalog record, by id, in no order: what an ingest checks its
        files against (making and sorting 38,000 ``Document``s took 0.4 s)."""
        return {record["id"]: record for record in self._records("documents")}

    def documents(self) -> list[Document]:
        """Every document, in canonical order (by place)."""
        return [Document.from_dict(d) for d in self._document_records()]

    def document(self, doc_id: str) -> Document | None:
        for record in self._records("documents"):
            if record["id"] == doc_id:
                return Document.from_dict(record)
        return None

    def rows(self) -> RowTable:
        """Every item as a light row, in canonical order: read from the index (brought up
        to date first), or from the item files when the index cannot be used here."""
        if self._rows is None:
            documents = self.documents()
            if not documents:  # nothing to read (and no index file made for a new store)
                self._rows = RowTable([], [])
                return self._rows
            try:
                index = self.synced_index()
                ids = [d.id for d in documents]
                # Read as looked at: the first screen needs a few documents' rows, not all.
                self._rows = RowTable.lazy(documents, index.row_counts(ids), _columns_reader(index))
            except IndexUnavailable:
                self._rows = RowTable(documents, [
                    row_columns(self.items_of(d.id, keep=False)) for d in documents])
        return self._rows

    def synced_index(self) -> RowIndex:
        """The derived index, reconciled with the catalog if it changed since the index
        last saw it (IndexUnavailable if the index cannot be used here)."""
        # The stamp first, the documents read after it: were the catalog replaced between the
        # two, the index would hold the newer documents under the older stamp, and the next
        # open reconciles again (never the other way round, which would stick).
        stamp = self.catalog_stamp()
        if not stamp or self.index.stamp() != stamp:
            data = read_raw(self.path) or {}
            self._sync_index(stamp, [Document.from_dict(d) for d in sorted(
                data.get("documents", {}).values(), key=document_order)])
        return self.index

    def _sync_index(self, stamp: str, documents: list[Document],
                    fresh: dict[str, list[Item]] | None = None) -> None:
        def items_or_none(doc_id: str) -> list[Item] | None:
            try:
                return self._read_items(doc_id)
            except StoreError:
                return None

        self.index.sync(documents, items_or_none, fresh, stamp)

    def catalog_stamp(self) -> str:
        """Which catalog file this is: every commit renames a new one into place."""
        try:
            info = self.path.stat()
        except OSError:
            return ""
        return f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"

    def reindex(self) -> None:
        """Throw the derived index away and build it again from the catalog and item files."""
        self.index.rebuild()
        self._rows = None
        self.synced_index()

    def items_of(self, doc_id: str, keep: bool = True) -> list[Item]:
        """A document's items in full, by list and serial. Its item file is read once and
        kept among the last few read, unless ``keep`` is false (a pass over every document
        would only push out what the user looked at). Safe from several threads."""
        with self._cache_lock:
            if (items := self._cached.get(doc_id)) is not None:
                self._cached.move_to_end(doc_id)
                return items
        items = self._read_items(doc_id)
        if keep:
            with self._cache_lock:
                self._cached[doc_id] = items
                while len(self._cached) > ITEMS_CACHED:
                    self._cached.popitem(last=False)
        return items

    def _read_items(self, doc_id: str) -> list[Item]:
        if (staged := self._staged.get(doc_id)) is not None:
            return list(staged)
        records = self._inline.get(doc_id)
        if records is None:
            path = self.item_file(doc_id)
            if not path.exists() and (plain := path.with_suffix("")).exists():
                path = plain  # written uncompressed by an earlier lvzhi
            try:
                payload = path.read_bytes()
                if path.suffix == ".gz":
                    payload = _gunzip(payload)
                with gc_paused():
                    records = list(orjson.loads(payload)["items"].values())
            except FileNotFoundError as exc:
                doc = self.document(doc_id)
                name = doc.source if doc else f"document {doc_id[:12]}"
                raise StoreError(f"the items of {name} are missing from store {self.path} "
                                 f"({path.name}): another lvzhi changed the store since it "
                                 "was opened (reopen it), or the file was deleted (ingest "
                                 "the document again)") from exc
            except (OSError, zlib.error, orjson.JSONDecodeError, KeyError, TypeError,
                    AttributeError, ValueError) as exc:
                raise StoreError(f"store {self.path}: cannot read {path} ({exc})") from exc
        with gc_paused():
            return [Item.from_dict(r) for r in records]

    def item_file(self, doc_id: str) -> Path:
        return self.items_dir / f"{doc_id}.json.gz"

    def items(self) -> list[Item]:
        """Every item in full, in canonical order (reads every item file: for building
        indexes and exports, not for listing)."""
        items: list[Item] = []
        for record in self._document_records():
            items.extend(self.items_of(record["id"], keep=False))
        return items

    def item(self, item_id: str) -> Item | None:
        doc_id = item_id.partition(":")[0]
        if not any(d["id"] == doc_id for d in self._records("documents")):
            return None
        return next((i for i in self.items_of(doc_id) if i.id == item_id), None)

    def content_digest(self) -> str:
        """A hash that changes whenever the items change: every ingest that changes anything
        adds or replaces documents (ids are file hashes, each stamped when ingested). Cheap:
        documents only."""
        digest = hashlib.sha256(f"lvzhi store {SCHEMA_VERSION}".encode())
        # In id order: any fixed order does, and the place order took 0.4 s at 38,000.
        for record in sorted(self._records("documents"), key=itemgetter("id")):
            digest.update(f"\x1e{record['id']}\x1f{record.get('ingested_at', '')}".encode())
        return digest.hexdigest()

    def is_empty(self) -> bool:
        return len(self._open().table("documents")) == 0

    # -- writing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[TinyDB]:
        """Lock, re-read the catalog, yield it, and commit it if no exception: new item files
        first, the catalog last, then item files no document names any more are removed.

        Another process's ingest that finished while we were extracting is seen here, so
        concurrent ingests never lose each other's documents.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except Timeout as exc:
            raise StoreError(f"store {self.path} is locked by another lvzhi process") from exc
        except OSError as exc:  # a folder or lock file the user cannot write
            raise StoreError(f"cannot write the store's folder {self.path.parent}: "
                             f"{exc.strerror or exc}") from exc
        try:
            self._remove_stale_temporaries()
            self._inline = {}
            self._staged = {}
            db = self._load()
            yield db
            try:
                self._commit(db)
            except OSError as exc:  # a full disk, a folder turned read-only: nothing changed
                where = exc.filename or self.path
                raise StoreError(f"cannot write the store ({where}): {exc.strerror or exc}; "
                                 "the store is as it was") from exc
            self._db = db
            # Derived: a failure here is mended when the store is next opened.
            with contextlib.suppress(IndexUnavailable):
                self._sync_index(self.catalog_stamp(), self.documents(), self._staged)
        except BaseException:
            self._db = None  # drop whatever was changed in memory
            raise
        finally:
            self._staged = {}
            self._rows = None
            self._lock.release()

    def _commit(self, db: TinyDB) -> None:
        data = db.storage.read() or {}
        named = {d["id"] for d in data.get("documents", {}).values()}
        # Items (orjson writes a dataclass as Item.to_dict would, without the copy: a third
        # of the time storing a province took) or a schema-1 store's records.
        to_write: dict[str, Sequence[Item | dict[str, Any]]] = {
            doc_id: items for doc_id, items in self._staged.items() if doc_id in named}
        for doc_id, records in self._inline.items():  # a schema-1 store's items get files
            if doc_id in named and doc_id not in to_write:
                to_write[doc_id] = records
        written: list[Path] = []
        try:
            if to_write:
                self.items_dir.mkdir(parents=True, exist_ok=True)

                def write(doc_id: str) -> None:
                    payload = orjson.dumps({"items": {str(n): r for n, r in
                                                      enumerate(to_write[doc_id], start=1)}})
                    # gzip, fastest level: a fifth of the bytes (the disk budget is twice the
                    # documents'), `zcat` still shows it, and zlib lets other threads run.
                    payload = gzip.compress(payload, compresslevel=1, mtime=0)
                    write_atomic(self.item_file(doc_id), payload, sync_dir=False)
                    written.append(self.item_file(doc_id))

                # fsync waits for the disk and lets other threads run: a province's 1,000
                # files are written in 1.2 s less this way.
                with ThreadPoolExecutor(WRITER_THREADS) as pool:
                    list(pool.map(write, to_write))
                fsync_dir(self.items_dir)
            db.storage.flush()  # type: ignore[attr-defined]  # the commit
        except BaseException:
            # The catalog was not replaced: the files written for it are named by nothing.
            for path in written:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
        self._inline = {}
        self._remove_unnamed(named)

    def _remove_unnamed(self, named: set[str]) -> None:
        """Delete item files of documents no longer in the catalog (replaced, removed, or
        written by a transaction that failed before its commit)."""
        try:
            # One listing, names only: two globs took 0.3 s a commit at 38,000 documents.
            with os.scandir(self.items_dir) as entries:
                names = [e.name for e in entries]
        except OSError:  # no folder yet
            return
        for name in names:
            if (name.endswith((".json", ".json.gz")) and not name.startswith(".")
                    and name.split(".")[0] not in named):
                with contextlib.suppress(OSError):
                    (self.items_dir / name).unlink()

    def _remove_stale_temporaries(self) -> None:
        """Delete half-written files left by a writer that was killed (we hold the lock, so
        nobody else is writing one now)."""
        stale = list(self.path.parent.glob(f".{self.path.name}.*.tmp"))
        if self.items_dir.is_dir():
            stale += self.items_dir.glob(".*.tmp")
        for path in stale:
            with contextlib.suppress(OSError):
                path.unlink()

    def put(self, db: TinyDB, doc: Document, items: list[Item]) -> str:
        """Add a document inside a transaction; returns "added" or "unchanged".

        Same bytes (same id): nothing changes. Other bytes, even read from the same path (a
        county's list downloaded again): another document, kept beside the earlier one, which
        stays as an older version of its township (``lvzhi.versions``). Nothing is dropped.
        """
        return self.put_many(db, [(doc, items)])[0]

    def put_many(self, db: TinyDB, batch: Iterable[tuple[Document, list[Item]]]) -> list[str]:
        """``put`` for many documents at once, in one pass over the catalog; returns the
        status of each, in order.

        TinyDB rewrites a whole table (converting every key) on each insert or remove, so
        putting a document at a time made an ingest quadratic: 1,000 townships took minutes.
        """
        documents = db.table("documents")
        stored = db.storage.read() or {}
        known = {d["id"] for d in stored.get("documents", {}).values()}
        statuses: list[str] = []
        added: dict[str, tuple[Document, list[Item]]] = {}
        for doc, items in batch:
            if doc.id in known or doc.id in added:
                statuses.append("unchanged")
                continue
            statuses.append("added")
            added[doc.id] = (doc, items)
        if added:
            records = []
            with gc_paused():
                for doc, items in added.values():
                    ordered = sorted(items, key=item_order)
                    records.append(doc.to_dict())
                    self._staged[doc.id] = ordered
                documents.insert_multiple(records)
        return statuses

    def remove(self, db: TinyDB, doc_id: str) -> bool:
        documents = db.table("documents")
        found = [key for key, d in (db.storage.read() or {}).get(
            "documents", {}).items() if d["id"] == doc_id]
        if not found:
            return False
        documents.remove(doc_ids=[int(key) for key in found])
        return True

    def move_aside(self) -> Path:
        """Rename an unusable store (and its item files) out of the way, never deleting
        anything; returns the new path of the catalog. Only a store file of this user that
        cannot be used (corrupt, or of a newer lvzhi) is moved: never a device, a folder, a
        good store or another user's."""
        info = os.lstat(self.path)
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(f"{self.path} is not a regular file: lvzhi moves aside only a "
                             "store file it cannot read")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise StoreError(f"store {self.path} belongs to another user: not moved")
        try:
            read_raw(self.path)
        except StoreError:
            pass
        else:
            raise StoreError(f"store {self.path} is a good store: nothing to move aside")
        n = 1
        while (target := self.path.with_name(f"{self.path.name}.broken-{n}")).exists():
            n += 1
        os.replace(self.path, target)
        if self.items_dir.is_dir():
            os.replace(self.items_dir, target.with_name(f"{target.name}.items"))
        self.index.rebuild()  # derived from what was moved: the next store builds its own
        self.reload()
        return target


def _columns_reader(index: RowIndex) -> ColumnsReader:
    def read(doc_ids: Sequence[str]) -> list[dict[str, Any]]:
        with gc_paused():  # a country's columns are millions of objects, none of them cyclic
            return list(index.columns(doc_ids))
    return read


def _gunzip(payload: bytes) -> bytes:
    """An item file's JSON; refuses to grow past ``MAX_ITEM_FILE_BYTES`` (a crafted file
    handed over with a store must not fill the memory)."""
    inflate = zlib.decompressobj(wbits=31)  # gzip
    out = inflate.decompress(payload, MAX_ITEM_FILE_BYTES)
    if inflate.unconsumed_tail:
        raise ValueError(f"unpacks to more than {MAX_ITEM_FILE_BYTES >> 20} MB")
    return out


def _upgrade_from_1(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Turn a schema-1 store read into memory into schema 3; returns the items by document
    (written to their files by the next commit)."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    with gc_paused():
        for record in data.pop("items").values():
            by_doc.setdefault(record["doc_id"], []).append(record)
        for doc in data.get("documents", {}).values():
            items = sorted((Item.from_dict(r) for r in by_doc.get(doc["id"], [])),
                           key=item_order)
            by_doc[doc["id"]] = [i.to_dict() for i in items]
    data["meta"] = {"1": {"schema": SCHEMA_VERSION}}
    return by_doc
