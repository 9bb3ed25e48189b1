"""The store: one TinyDB database (tables ``documents``, ``items``, ``meta``) behind our storage.

TinyDB rewrites the whole file on every write, escapes Chinese as ``\\uXXXX`` by default and
corrupts under concurrent writers. So our storage writes UTF-8 with orjson, only once per
transaction (a whole ingest is one write), to a temporary file that is fsynced and renamed over
the old one, under a file lock that also covers the read. A crash at any moment leaves either
the old store or the new one, never a mix; a failed ingest writes nothing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
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

    def items(self) -> list[Item]:
        return [Item.from_dict(d) for d in self._open().table("items").all()]

    def raw_items(self) -> list[dict[str, Any]]:
        """Items as stored (plain dicts): cheaper than ``items()`` for bulk work."""
        return list(self._open().table("items").all())

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
        documents, table = db.table("documents"), db.table("items")
        existing = documents.all()
        if any(d["id"] == doc.id for d in existing):
            return "unchanged"
        old_ids = {d["id"] for d in existing if d["path"] == doc.path}
        if old_ids:
            documents.remove(doc_ids=[d.doc_id for d in existing if d["id"] in old_ids])
            table.remove(doc_ids=[r.doc_id for r in table.all() if r["doc_id"] in old_ids])
        documents.insert(doc.to_dict())
        table.insert_multiple(item.to_dict() for item in items)
        return "replaced" if old_ids else "added"

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
