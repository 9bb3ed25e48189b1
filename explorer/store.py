"""The store: one TinyDB database (tables ``documents``, ``items``, ``meta``) behind our storage.

TinyDB rewrites the whole file on every write, escapes Chinese as ``\\uXXXX`` by default and
corrupts under concurrent writers. So our storage writes UTF-8 with orjson, only once per
transaction (a whole ingest is one write), to a temporary file that is fsynced and renamed over
the old one, under a file lock that also covers the read. A crash at any moment leaves either
the old store or the new one, never a mix; a failed ingest writes nothing.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from platformdirs import user_data_path
from tinydb import TinyDB
from tinydb.storages import Storage

from explorer.model import Document, Item

SCHEMA_VERSION = 1
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


def write_atomic(path: Path, payload: bytes) -> None:
    """Write a temporary file beside ``path``, fsync it, rename it over ``path``, fsync the dir."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with contextlib.suppress(FileNotFoundError):  # keep the file's permissions
            os.chmod(tmp, path.stat().st_mode & 0o777)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # not supported on every platform
        dir_fd = os.open(path.parent, os.O_RDONLY)
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
        payload = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise StoreError(f"store path {path} is a directory") from exc
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
        self.path = Path(path) if path is not None else default_db_path()
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S)
        self._db: TinyDB | None = None

    # -- reading -------------------------------------------------------------------------

    def _open(self) -> TinyDB:
        if self._db is None:
            self._db = self._load()
        return self._db

    def _load(self) -> TinyDB:
        data = read_raw(self.path)
        if data is None:
            data = {"meta": {"1": {"schema": SCHEMA_VERSION}}, "documents": {}, "items": {}}
        return TinyDB(storage=AtomicJSONStorage, path=self.path, data=data)

    def reload(self) -> None:
        self._db = None

    def exists(self) -> bool:
        return self.path.exists()

    def documents(self) -> list[Document]:
        return [Document.from_dict(d) for d in self._open().table("documents").all()]

    def document(self, doc_id: str) -> Document | None:
        for doc in self.documents():
            if doc.id == doc_id:
                return doc
        return None

    def _records(self, table: str) -> Iterable[dict[str, Any]]:
        """A table's records as stored, without the copy TinyDB's ``all()`` makes of each
        (at a province's ~300,000 items the copies cost as much as building the items)."""
        return (self._open().storage.read() or {}).get(table, {}).values()  # type: ignore[union-attr]

    def items(self) -> list[Item]:
        records = self._records("items")
        with gc_paused():
            return [Item.from_dict(d) for d in records]

    def raw_items(self) -> list[dict[str, Any]]:
        """Items as stored (plain dicts): cheaper than ``items()`` for bulk work."""
        return list(self._records("items"))

    def content_digest(self) -> str:
        """A hash that changes whenever the items change: every ingest that changes anything
        adds or replaces documents (ids are file hashes, each stamped when ingested), and
        items are stored in the order of their documents. Cheap: documents only."""
        digest = hashlib.sha256(f"lvzhi store {SCHEMA_VERSION}".encode())
        for record in self._records("documents"):
            digest.update(f"\x1e{record['id']}\x1f{record.get('ingested_at', '')}".encode())
        return digest.hexdigest()

    def is_empty(self) -> bool:
        return len(self._open().table("documents")) == 0

    # -- writing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[TinyDB]:
        """Lock, re-read the file, yield the database, write it atomically if no exception.

        Another process's ingest that finished while we were extracting is seen here, so
        concurrent ingests never lose each other's documents.
        """
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise StoreError(f"store {self.path} is locked by another lvzhi process") from exc
        try:
            self._remove_stale_temporaries()
            db = self._load()
            yield db
            db.storage.flush()  # type: ignore[attr-defined]
            self._db = db
        except BaseException:
            self._db = None  # drop whatever was changed in memory
            raise
        finally:
            self._lock.release()

    def _remove_stale_temporaries(self) -> None:
        """Delete half-written files left by a writer that was killed (we hold the lock, so
        nobody else is writing one now)."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def put(self, db: TinyDB, doc: Document, items: list[Item]) -> str:
        """Add a document inside a transaction; returns "added", "replaced" or "unchanged".

        Same bytes (same id): nothing changes. Same path, other bytes: the old version and its
        items are replaced.
        """
        return self.put_many(db, [(doc, items)])[0]

    def put_many(self, db: TinyDB, batch: Iterable[tuple[Document, list[Item]]]) -> list[str]:
        """``put`` for many documents at once, in one pass over each table; returns the
        status of each, in order.

        TinyDB rewrites a whole table (converting every key) on each insert or remove, so
        putting a document at a time made an ingest quadratic: 1,000 townships took minutes.
        """
        documents, table = db.table("documents"), db.table("items")
        stored = db.storage.read() or {}  # type: ignore[union-attr]
        key_of = {d["id"]: int(key) for key, d in stored.get("documents", {}).items()}
        ids_at: dict[str, set[str]] = {}  # path -> ids of the documents read from it
        for d in stored.get("documents", {}).values():
            ids_at.setdefault(d["path"], set()).add(d["id"])
        statuses: list[str] = []
        dropped: set[str] = set()
        added: dict[str, tuple[Document, list[Item]]] = {}
        for doc, items in batch:
            if doc.id in key_of or doc.id in added:
                statuses.append("unchanged")
                continue
            old_ids = ids_at.get(doc.path, set())
            for old in old_ids:  # a stored version goes; one added earlier in this batch
                if added.pop(old, None) is None:  # is simply not added
                    dropped.add(old)
            statuses.append("replaced" if old_ids else "added")
            ids_at[doc.path] = {doc.id}
            added[doc.id] = (doc, items)
        if dropped:
            documents.remove(doc_ids=[key_of[d] for d in dropped])
            table.remove(doc_ids=[int(key) for key, r in stored.get("items", {}).items()
                                  if r["doc_id"] in dropped])
        if added:
            with gc_paused():
                documents.insert_multiple(doc.to_dict() for doc, _ in added.values())
                table.insert_multiple(item.to_dict() for _, items in added.values()
                                      for item in items)
        return statuses

    def remove(self, db: TinyDB, doc_id: str) -> bool:
        documents, table = db.table("documents"), db.table("items")
        found = [d.doc_id for d in documents.all() if d["id"] == doc_id]
        if not found:
            return False
        documents.remove(doc_ids=found)
        table.remove(doc_ids=[r.doc_id for r in table.all() if r["doc_id"] == doc_id])
        return True

    def move_aside(self) -> Path:
        """Rename an unusable store out of the way (never delete it); returns the new path."""
        n = 1
        while (target := self.path.with_name(f"{self.path.name}.broken-{n}")).exists():
            n += 1
        os.replace(self.path, target)
        self._db = None
        return target
