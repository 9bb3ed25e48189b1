"""The derived index beside the store: one SQLite file, ``lvzhi.json.index.sqlite``.

The TinyDB catalog and the item files are the store of record. Everything listing, search
and matching read of every item is kept here instead, so the catalog holds documents only
and a commit rewrites a few kilobytes a document instead of every item's columns:

- ``documents``: each document's place, whether it is its township's current version, and
  how many rows it has;
- ``columns``: each document's rows as columns in one compressed JSON value (a document's
  rows read fastest that way), apart from ``documents``, which stays small enough to scan;
- ``rows``: a row per item (what a search hit shows) with the ids of its three search keys;
- ``keys``: the distinct match keys (``lvzhi.search.match_key``) of names, departments and
  duty texts, shared by every row that has them;
- ``grams``: for name and department keys, each character and character bigram, and for
  names each bigram of their pinyin initials and the first two letters of each syllable,
  with the key's length: the postings a lookup counts to find candidates, shortest first;
- ``pinyin``: the pinyin of each name key; ``pinyin_fts`` (FTS5, trigram) finds whole
  syllables in it;
- ``duty_fts`` (FTS5 over each duty key's bigrams as tokens): finds a query in duty texts,
  whose postings in a table like ``grams`` would outgrow the documents.

It is updated per document right after the transaction that adds or removes the document,
reconciled against the catalog when the store is opened (a document it lacks or holds stale
is indexed again from its item file, one the catalog no longer names is dropped; a stamp of
the catalog file makes that check free when nothing changed) and rebuilt from the TinyDB
files by ``lvzhi reindex``. Deleting it loses nothing.

A store folder is something people hand to each other, so the file is read as data only: no
SQL function of ours is registered, ``trusted_schema`` is off, and a file of another version,
or one SQLite cannot read, is thrown away and built again.
"""

from __future__ import annotations

import contextlib
import sqlite3
import stat
import threading
import uuid
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from lvzhi.model import Document, Item
from lvzhi.places import PlaceMasker, place_masker
from lvzhi.rows import document_order, item_order, row_columns

# Bump when the tables or what a key holds change: an index of another version is rebuilt.
INDEX_VERSION = 4  # 4: a key's rows indexed with their document and position (a common
# name's 10,000 rows are put in order without reading the table); documents' columns in a
# table of their own (a scan of documents read every document's compressed rows)
# A reconcile commits every this many documents it adds.
SYNC_BATCH = 200
# How long a reader or writer waits for another process's write to end.
BUSY_TIMEOUT_MS = 30_000
# Page cache of a connection to the file, at most (KiB; only pages read take memory).
CACHE_KIB = 64 * 1024
_SEPARATOR = "\x1f"  # between a row's department names (a control character no cell keeps)
# Key fields, as numbered in ``keys.field`` and ``grams.field``.
NAME, DEPARTMENTS, DUTIES, INITIALS, SYLLABLES = 0, 1, 2, 3, 4
FIELD_NUMBERS = {"name": NAME, "departments": DEPARTMENTS, "duties": DUTIES}

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    stamp TEXT NOT NULL,         -- the catalog's ingested_at: a document stored again differs
    sort TEXT NOT NULL,          -- canonical order (lvzhi.rows.document_order) as one string
    source TEXT NOT NULL, prefecture TEXT NOT NULL, county TEXT NOT NULL,
    township TEXT NOT NULL,
    current INTEGER NOT NULL,    -- 1 if the current version of its township
    count INTEGER NOT NULL       -- how many rows it has
);
CREATE TABLE columns (
    doc INTEGER PRIMARY KEY,
    data BLOB NOT NULL           -- its rows as columns (zlib'd JSON, lvzhi.rows.row_columns)
);
CREATE TABLE rows (
    row INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,
    position INTEGER NOT NULL,   -- canonical order within the document (list, serial)
    list TEXT NOT NULL,          -- ListKind.code
    serial INTEGER NOT NULL,
    category TEXT NOT NULL, canonical TEXT NOT NULL, name TEXT NOT NULL,
    departments TEXT NOT NULL, department_names TEXT NOT NULL, receiver TEXT NOT NULL,
    name_key INTEGER, departments_key INTEGER, duties_key INTEGER
);
CREATE INDEX rows_doc ON rows (doc, position);
CREATE INDEX rows_name_key ON rows (name_key, doc, position);
CREATE INDEX rows_departments_key ON rows (departments_key, doc, position);
CREATE INDEX rows_duties_key ON rows (duties_key, doc, position);
CREATE TABLE keys (
    kid INTEGER PRIMARY KEY,
    field INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (field, text)
);
CREATE TABLE grams (
    field INTEGER NOT NULL, gram TEXT NOT NULL, length INTEGER NOT NULL, kid INTEGER NOT NULL,
    PRIMARY KEY (field, gram, length, kid)
) WITHOUT ROWID;
CREATE TABLE pinyin (
    kid INTEGER PRIMARY KEY, initials TEXT NOT NULL, full TEXT NOT NULL,
    offsets BLOB NOT NULL
);
CREATE VIRTUAL TABLE pinyin_fts USING fts5 (full, content='', tokenize='trigram');
CREATE VIRTUAL TABLE duty_fts USING fts5 (bigrams, content='', tokenize="unicode61 tokenchars '◇'")
"""

Columns = dict[str, Any]  # one document's row columns (``lvzhi.rows.row_columns``)


class IndexUnavailable(Exception):
    """The index file cannot be opened or written here (a read-only folder, a full disk)."""


def index_path(store_path: Path) -> Path:
    return store_path.with_name(f"{store_path.name}.index.sqlite")


def document_sort(doc: Document) -> str:
    """``document_order`` as one string that sorts the same (NUL is below any character)."""
    return "\x00".join(document_order(doc.to_dict()))


class RowIndex:
    """The rows and search keys of every document of a store, in SQLite. One connection
    per thread; ``path`` None keeps it in memory (items held by a test or a plugin)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._uri = (f"file:lvzhi-{uuid.uuid4().hex}?mode=memory&cache=shared"
                     if path is None else None)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._masker_names: tuple[str, ...] | None = None
        if self._uri:
            self._connect()  # the first connection keeps the memory database alive

    # -- connections ---------------------------------------------------------------------

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (opened, and the file made or upgraded, on first use)."""
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        return con if con is not None else self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            con = self._open()
        except sqlite3.DatabaseError:
            if self.path is None:
                raise
            # Not a database, or damaged: it is derived, so it is built again.
            self._discard()
            try:
                con = self._open()
            except sqlite3.Error as exc:
                raise IndexUnavailable(f"cannot use the index {self.path}: {exc}") from exc
        except sqlite3.Error as exc:
            raise IndexUnavailable(f"cannot use the index {self.path}: {exc}") from exc
        self._local.con = con
        with self._lock:
            self._connections.append(con)
        return con

    def _open(self, anew: bool = True) -> sqlite3.Connection:
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                # A FIFO or a device in its place would block or feed SQLite forever.
                if not stat.S_ISREG(self.path.stat().st_mode):
                    raise IndexUnavailable(f"the index {self.path} is not a regular file")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                  isolation_level=None, check_same_thread=False)
        else:
            con = sqlite3.connect(self._uri or "", uri=True, isolation_level=None,
                                  check_same_thread=False)
        try:
            con.execute("PRAGMA trusted_schema = OFF")
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if self.path is not None:
                con.execute("PRAGMA journal_mode = WAL")
                # WAL: a crash loses at most the last commits, never the file's consistency,
                # and the catalog has the truth to reconcile from.
                con.execute("PRAGMA synchronous = NORMAL")
                # SQLite's default 2 MB of page cache makes an ingest read the same pages
                # of the row and key B-trees again and again (a second of a province's).
                con.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            version = _version(con)
            if version != INDEX_VERSION:
                if anew and self.path is not None and _has_tables(con):
                    # Another version's (or a foreign) file: start a new one rather than drop
                    # its tables, which would leave the file at its old size.
                    con.close()
                    self._discard()
                    return self._open(anew=False)
                _create(con)
        except BaseException:
            con.close()
            raise
        return con

    def _discard(self) -> None:
        self.close()
        if self.path is None:
            return
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):  # missing, or not a file: opening says so
                Path(f"{self.path}{suffix}").unlink()

    def close(self) -> None:
        with self._lock:
            for con in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    con.close()
            self._connections.clear()
        self._local = threading.local()

    def files(self) -> list[Path]:
        """The index's files on disk (the database and its write-ahead log)."""
        if self.path is None:
            return []
        found = [Path(f"{self.path}{suffix}") for suffix in ("", "-wal")]
        return [p for p in found if p.is_file()]

    def rebuild(self) -> None:
        """Throw the index away; the next ``sync`` builds it again from the store."""
        self._discard()

    # -- keeping it in step with the catalog ----------------------------------------------

    def stamp(self) -> str:
        """The catalog stamp recorded by the last ``sync`` ("" if none)."""
        found = self.connection().execute(
            "SELECT value FROM meta WHERE key = 'catalog'").fetchone()
        return found[0] if found else ""

    def sync(self, documents: Sequence[Document], items_of: Callable[[str], list[Item] | None],
             fresh: dict[str, list[Item]] | None = None, stamp: str = "") -> int:
        """Make the index hold exactly ``documents`` (the catalog's): drop what they do not
        name, add what it lacks (its items from ``fresh``, else ``items_of``, which may
        return None for a document whose items cannot be read: it is left out and tried
        again next time), mark the current versions, and record ``stamp``. Returns how many
        documents were added or dropped."""
        from lvzhi.versions import current_ids, place_key

        want = {d.id: d.ingested_at or "" for d in documents}
        fresh = fresh or {}
        batch = _Batch()
        try:
            con = self.connection()
            con.execute("BEGIN IMMEDIATE")
            try:
                # The last sync did not finish (or left a document out): the current
                # versions of every place are marked again, not only of the places changed.
                finished = bool(self.stamp())
                have = dict(con.execute("SELECT id, stamp FROM documents"))
                gone = [doc_id for doc_id, at in have.items() if want.get(doc_id) != at]
                places = self._drop(con, gone)
                changed = len(gone)
                skipped = False
                for doc in documents:
                    if have.get(doc.id) == want[doc.id]:
                        continue
                    items = fresh.get(doc.id)
                    if items is None:
                        items = items_of(doc.id)
                    if items is None:
                        skipped = True
                        continue
                    self._add(con, doc, items, batch)
                    places.add(place_key(doc))
                    changed += 1
                    if changed % SYNC_BATCH == 0:
                        # A long reconcile (a reindex, an old store's first open) commits
                        # as it goes: interrupted, it goes on from there next time (no stamp
                        # is recorded until the end, and what it added is not current yet).
                        batch.write_grams(con)
                        con.execute("INSERT OR REPLACE INTO meta VALUES ('catalog', '')")
                        con.execute("COMMIT")
                        con.execute("BEGIN IMMEDIATE")
                if changed or not finished:
                    # Which version is current changes only in places that gained or lost
                    # one: a batch of a country's ingest marks its own places, not 38,000.
                    mark = [d for d in documents if not finished or place_key(d) in places]
                    current = current_ids(mark)
                    con.executemany("UPDATE documents SET current = ? WHERE id = ?",
                                    ((int(d.id in current), d.id) for d in mark))
                batch.write_grams(con)
                con.execute("INSERT OR REPLACE INTO meta VALUES ('catalog', ?)",
                            ("" if skipped else stamp,))
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise IndexUnavailable(f"cannot update the index {self.path}: {exc}") from exc
        return changed

    @staticmethod
    def _drop(con: sqlite3.Connection, doc_ids: Iterable[str]) -> set[tuple[str, ...]]:
        """Drop documents, their rows, and the keys no other row holds; returns the places
        (``lvzhi.versions.place_key``) of the documents dropped."""
        places: set[tuple[str, ...]] = set()
        for doc_id in doc_ids:
            row = con.execute("SELECT doc, prefecture, county, township FROM documents "
                              "WHERE id = ?", (doc_id,)).fetchone()
            if not row:
                continue
            found, place = row[:1], tuple(row[1:])
            places.add(place if place[2] else ("", "", "", doc_id))  # as place_key has it
            kids = {k for row in con.execute(
                "SELECT name_key, departments_key, duties_key FROM rows WHERE doc = ?", found)
                for k in row if k is not None}
            con.execute("DELETE FROM rows WHERE doc = ?", found)
            con.execute("DELETE FROM documents WHERE doc = ?", found)
            con.execute("DELETE FROM columns WHERE doc = ?", found)
            for kid in kids:
                if not con.execute("SELECT 1 FROM rows WHERE name_key = ?1 OR "
                                   "departments_key = ?1 OR duties_key = ?1 LIMIT 1",
                                   (kid,)).fetchone():
                    _drop_key(con, kid)
        return places

    def _add(self, con: sqlite3.Connection, doc: Document, items: list[Item],
             batch: _Batch) -> None:
        from lvzhi.places import with_short_forms
        from lvzhi.search import duty_text_of, indexed

        ordered = sorted(items, key=item_order)
        cols = row_columns(ordered)
        number = con.execute(
            "INSERT INTO documents (id, stamp, sort, source, prefecture, county, township, "
            "current, count) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (doc.id, doc.ingested_at or "", document_sort(doc), doc.source, doc.prefecture,
             doc.county, doc.township, len(ordered))).lastrowid
        con.execute("INSERT INTO columns VALUES (?, ?)",
                    (number, zlib.compress(orjson.dumps(cols), 1)))
        # A document's own township is masked in its texts; the gazetteer's names in all.
        places = place_masker((doc.township,) if doc.township else ())
        # A text holding a longer form holds the shorter one within it: test those only.
        every = set(with_short_forms([doc.township])) if doc.township else set()
        forms = tuple(f for f in every if not any(o != f and o in f for o in every))
        texts = [(indexed(item.name), indexed(item.departments), indexed(duty_text_of(item)))
                 for item in ordered]
        by_text: dict[tuple[int, str], str] = {}  # (field, text) -> its key ("" for none)
        for three in texts:
            for field, text in enumerate(three):  # NAME, DEPARTMENTS, DUTIES
                if (field, text) not in by_text:
                    by_text[(field, text)] = _key_text(text, places, forms) if text else ""
        kids = _key_ids(con, {(f, k) for (f, _), k in by_text.items() if k}, batch)
        keys = [[kids.get((field, by_text[(field, text)])) for field, text in enumerate(three)]
                for three in texts]

        con.executemany(
            "INSERT INTO rows (doc, position, list, serial, category, canonical, name, "
            "departments, department_names, receiver, name_key, departments_key, "
            "duties_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(number, n, item.list.code, item.serial, item.category,
              item.category_canonical, item.name, item.departments,
              _SEPARATOR.join(item.department_names), item.receiver, *keys[n])
             for n, item in enumerate(ordered)])

    # -- reading ---------------------------------------------------------------------------

    def columns(self, doc_ids: Sequence[str]) -> Iterator[Columns]:
        """The row columns of each of ``doc_ids``, in that order (empty for one not here)."""
        con = self.connection()
        for at in range(0, len(doc_ids), 900):
            chunk = doc_ids[at:at + 900]
            found = dict(con.execute(
                "SELECT d.id, c.data FROM documents d JOIN columns c USING (doc) "
                f"WHERE d.id IN ({','.join('?' * len(chunk))})", chunk))
            for doc_id in chunk:
                blob = found.get(doc_id)
                yield (orjson.loads(zlib.decompress(blob)) if blob is not None
                       else row_columns([]))

    def row_counts(self, doc_ids: Sequence[str]) -> list[int]:
        """How many rows each of ``doc_ids`` has (0 for one not here)."""
        counts = dict(self.connection().execute("SELECT id, count FROM documents"))
        return [counts.get(doc_id, 0) for doc_id in doc_ids]

    def townships(self) -> tuple[str, ...]:
        """The townships of the current documents, sorted (their names are masked in
        queries)."""
        return tuple(t for (t,) in self.connection().execute(
            "SELECT DISTINCT township FROM documents WHERE current AND township != '' "
            "ORDER BY township"))

    def is_empty(self) -> bool:
        return self.connection().execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None


# Key texts of texts met lately, by text: the townships of a county publish much the same
# lists, so most of a new document's texts were keyed before. Bounded by characters held.
_KEY_TEXTS: dict[str, str] = {}
_KEY_TEXT_CHARS = 20_000_000
_key_text_chars = 0


def _key_text(text: str, places: PlaceMasker, forms: tuple[str, ...]) -> str:
    """``key_text(text, places)``, from the cache unless the text names the document's own
    township (masked for this document only)."""
    global _KEY_TEXTS, _key_text_chars
    from lvzhi.search import key_text

    for form in forms:  # (a loop: a generator in ``any`` cost as much as the rest here)
        if form in text:
            return key_text(text, places)
    found = _KEY_TEXTS.get(text)
    if found is None:
        found = key_text(text, place_masker(()))
        if _key_text_chars > _KEY_TEXT_CHARS:
            _KEY_TEXTS, _key_text_chars = {}, 0
        _KEY_TEXTS[text] = found
        _key_text_chars += len(text) + len(found)
    return found


def split_names(value: str) -> tuple[str, ...]:
    """A row's department names as stored (joined by a separator no cell holds)."""
    return tuple(value.split(_SEPARATOR)) if value else ()


class _Batch:
    """What one ``sync`` has learnt of keys: the ids of keys met in it (the townships of a
    batch share most texts; a key is dropped only before any is added, so an id stays
    right to the end), and the postings of the keys it added, written in order before each
    commit (a million postings written one key at a time hit the B-tree's pages at random:
    sorted, the same inserts take a fraction of the time)."""

    def __init__(self) -> None:
        self.kids: dict[tuple[int, str], int] = {}
        self.grams: list[tuple[int, str, int, int]] = []

    def write_grams(self, con: sqlite3.Connection) -> None:
        self.grams.sort()
        con.executemany("INSERT OR IGNORE INTO grams VALUES (?, ?, ?, ?)", self.grams)
        self.grams = []


def _key_ids(con: sqlite3.Connection, wanted: set[tuple[int, str]], batch: _Batch
             ) -> dict[tuple[int, str], int]:
    """The ids of keys (field, text), those not in the index added (their postings left in
    ``batch`` to be written)."""
    found = {key: batch.kids[key] for key in wanted if key in batch.kids}
    by_field: dict[int, list[str]] = {NAME: [], DEPARTMENTS: [], DUTIES: []}
    for field, text in wanted - found.keys():
        by_field[field].append(text)
    for field, texts in by_field.items():
        for at in range(0, len(texts), 900):
            chunk = texts[at:at + 900]
            found.update(((field, text), kid) for kid, text in con.execute(
                f"SELECT kid, text FROM keys WHERE field = ? AND text IN "
                f"({','.join('?' * len(chunk))})", (field, *chunk)))
    for field, text in sorted(wanted - found.keys()):
        found[(field, text)] = _new_key(con, field, text, batch.grams)
    batch.kids.update(found)
    return found


def _new_key(con: sqlite3.Connection, field: int, text: str,
             grams: list[tuple[int, str, int, int]]) -> int:
    """A key added to the index, its postings added to ``grams``; returns its id."""
    from lvzhi.search import bigrams, pinyin_of

    kid = con.execute("INSERT INTO keys (field, text) VALUES (?, ?)", (field, text)).lastrowid
    assert kid is not None
    if field == DUTIES:
        con.execute("INSERT INTO duty_fts (rowid, bigrams) VALUES (?, ?)",
                    (kid, bigram_tokens(text)))
        return kid
    grams += [(field, gram, len(text), kid) for gram in {*bigrams(text), *text}]
    if field == NAME:
        pinyin = pinyin_of(text)
        con.execute("INSERT INTO pinyin VALUES (?, ?, ?, ?)",
                    (kid, pinyin.initials, pinyin.full, pinyin.offsets.tobytes()))
        con.execute("INSERT INTO pinyin_fts (rowid, full) VALUES (?, ?)", (kid, pinyin.full))
        grams += _pinyin_grams(pinyin.initials, pinyin.full, pinyin.offsets, len(text), kid)
    return kid


def _pinyin_grams(initials: str, full: str, offsets: array, length: int, kid: int
                  ) -> list[tuple[int, str, int, int]]:
    """A name key's pinyin postings: each letter and bigram of its initials (``gsrd``), and
    the two letters of its full pinyin at each syllable start (``go``, ``sh`` of gongshang):
    a two-letter query is looked up in them; a longer one in ``pinyin_fts``."""
    from lvzhi.search import bigrams

    starts = {full[at:at + 2] for at in offsets[:-1]}
    return ([(INITIALS, gram, length, kid) for gram in {*bigrams(initials), *initials}]
            + [(SYLLABLES, gram, length, kid) for gram in starts if len(gram) == 2])


def _drop_key(con: sqlite3.Connection, kid: int) -> None:
    from lvzhi.search import bigrams

    found = con.execute("SELECT field, text FROM keys WHERE kid = ?", (kid,)).fetchone()
    if not found:
        return
    field, text = found
    con.execute("DELETE FROM keys WHERE kid = ?", (kid,))
    if field == DUTIES:
        con.execute("INSERT INTO duty_fts (duty_fts, rowid, bigrams) "
                    "VALUES ('delete', ?, ?)", (kid, bigram_tokens(text)))
        return
    doomed = [(field, gram, len(text), kid) for gram in {*bigrams(text), *text}]
    if field == NAME:
        pinyin = con.execute("SELECT initials, full, offsets FROM pinyin WHERE kid = ?",
                             (kid,)).fetchone()
        if pinyin:
            con.execute("DELETE FROM pinyin WHERE kid = ?", (kid,))
            con.execute("INSERT INTO pinyin_fts (pinyin_fts, rowid, full) "
                        "VALUES ('delete', ?, ?)", (kid, pinyin[1]))
            doomed += _pinyin_grams(pinyin[0], pinyin[1], offsets_of(pinyin[2]), len(text),
                                    kid)
    con.executemany("DELETE FROM grams WHERE field = ? AND gram = ? AND length = ? "
                    "AND kid = ?", doomed)


def bigram_tokens(text: str) -> str:
    """A key as FTS5 sees it: its bigrams in order, one token each, so that a phrase of a
    query's bigrams finds the query anywhere (FTS5's own trigram tokenizer cannot look for
    two characters, the commonest query)."""
    return " ".join(text[i:i + 2] for i in range(len(text) - 1))


def offsets_of(blob: bytes) -> array:
    values = array("i")
    values.frombytes(blob)
    return values


def _version(con: sqlite3.Connection) -> int | None:
    try:
        found = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    except sqlite3.OperationalError:  # no meta table: a new (or foreign) file
        return None
    try:
        return int(found[0]) if found else None
    except (TypeError, ValueError):
        return None


def _has_tables(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def _create(con: sqlite3.Connection) -> None:
    """Make the tables, dropping whatever another version (or anything else) left."""
    con.execute("BEGIN IMMEDIATE")
    try:
        if _version(con) == INDEX_VERSION:  # another connection made it meanwhile
            con.execute("COMMIT")
            return
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%'")]
        for name in names:  # FTS5 shadow tables go with their table
            with contextlib.suppress(sqlite3.OperationalError):
                con.execute(f'DROP TABLE IF EXISTS "{name}"')
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                con.execute(statement)
        con.execute("INSERT INTO meta VALUES ('version', ?)", (str(INDEX_VERSION),))
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            con.execute("ROLLBACK")
        raise
