"""A person's judgements on matches, kept in the store: these two items are one matter
(link), these two are not (unlink).

They live in a small file of their own beside the store (``<store>.corrections.json``),
written atomically under the store's lock. An item is named by what survives a re-ingest of
its document — the place, the list and the item's text — not by its id (the hash of the
file's bytes), so a corrected or re-exported list keeps its corrections. The last word on a
pair wins. ``export`` writes the same JSON to share with another office; ``import_file``
merges one in (its judgements win over ours on the same pair).

The matcher applies them on top of what it found (``Matcher.apply_corrections``): they
override the scorer.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout

from lvzhi.model import ListKind, Row
from lvzhi.rows import RowTable
from lvzhi.store import LOCK_TIMEOUT_S, StoreError, write_atomic

FORMAT = "lvzhi corrections"
VERSION = 1


@dataclass(frozen=True, slots=True)
class ItemKey:
    """An item as a person would name it again after a re-ingest."""

    prefecture: str
    county: str
    township: str
    list: str
    name: str  # whitespace removed

    @classmethod
    def of(cls, item: Row) -> ItemKey:
        return cls(item.prefecture, item.county, item.township, str(item.list),
                   _text(item.name))

    def to_dict(self) -> dict[str, str]:
        return {"prefecture": self.prefecture, "county": self.county,
                "township": self.township, "list": self.list, "name": self.name}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ItemKey:
        values = [data.get(k) for k in ("prefecture", "county", "township", "list", "name")]
        strings = [v for v in values if isinstance(v, str)]
        if len(strings) != len(values) or not strings[4]:
            raise ValueError(f"not an item: {data!r}")
        ListKind(strings[3])  # raises ValueError for an unknown list
        return cls(*strings)

    def label(self) -> str:
        return f"{self.township} {self.list} {self.name[:30]}"


def _text(name: str) -> str:
    return re.sub(r"\s+", "", name)


@dataclass(frozen=True, slots=True)
class Correction:
    a: ItemKey
    b: ItemKey
    same: bool  # True: one matter (link); False: not (unlink)
    at: str = ""  # when it was said (ISO 8601, UTC)

    @property
    def pair(self) -> frozenset[ItemKey]:
        return frozenset((self.a, self.b))

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a.to_dict(), "b": self.b.to_dict(),
                "same": self.same, "at": self.at}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Correction:
        if not isinstance(data, dict) or not isinstance(data.get("same"), bool):
            raise ValueError(f"not a correction: {data!r}")
        return cls(ItemKey.from_dict(data["a"]), ItemKey.from_dict(data["b"]), data["same"],
                   str(data.get("at", "")))


def path_for(store_path: Path) -> Path:
    return store_path.with_name(f"{store_path.name}.corrections.json")


def parse(payload: bytes, where: str) -> list[Correction]:
    try:
        data = orjson.loads(payload)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")
        if int(data.get("version", 0)) > VERSION:
            raise ValueError(f"written by a newer lvzhi (version {data['version']})")
        return [Correction.from_dict(c) for c in data.get("corrections", [])]
    except (orjson.JSONDecodeError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"{where}: cannot read corrections ({exc})") from exc


def dump(corrections: Sequence[Correction]) -> bytes:
    return orjson.dumps({"format": FORMAT, "version": VERSION,
                         "corrections": [c.to_dict() for c in corrections]},
                        option=orjson.OPT_INDENT_2) + b"\n"


def load(store_path: Path) -> list[Correction]:
    """The store's corrections, oldest first (none when it has no file)."""
    path = path_for(store_path)
    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return parse(payload, str(path))


@contextlib.contextmanager
def _locked(store_path: Path) -> Iterator[None]:
    """The store's own lock (the file ``Store`` uses), so a correction never interleaves
    with an ingest or another correction."""
    lock = FileLock(str(store_path) + ".lock", timeout=LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except Timeout as exc:
        raise StoreError(f"store {store_path} is locked by another lvzhi process") from exc
    try:
        yield
    finally:
        lock.release()


def merge(ours: Sequence[Correction], theirs: Sequence[Correction]) -> list[Correction]:
    """``ours`` then ``theirs``, one judgement per pair: the later one in that order."""
    by_pair: dict[frozenset[ItemKey], Correction] = {}
    for correction in [*ours, *theirs]:
        by_pair.pop(correction.pair, None)  # re-inserted last: the order says what is newest
        by_pair[correction.pair] = correction
    return list(by_pair.values())


def record(store_path: Path, a: Row, b: Row, same: bool) -> Correction:
    """Say that ``a`` and ``b`` are one matter (``same``) or not, replacing what was said."""
    if a.doc_id == b.doc_id:
        raise ValueError("both items are in the same document: a matter holds one item per "
                         "township")
    correction = Correction(ItemKey.of(a), ItemKey.of(b), same,
                            datetime.now(UTC).isoformat(timespec="seconds"))
    add(store_path, [correction])
    return correction


def add(store_path: Path, new: Sequence[Correction]) -> int:
    """Merge ``new`` into the store's corrections; how many there are now."""
    with _locked(store_path):
        merged = merge(load(store_path), new)
        write_atomic(path_for(store_path), dump(merged))
    return len(merged)


def import_file(store_path: Path, source: Path) -> tuple[int, int]:
    """Merge the corrections in ``source`` (an export); (how many read, how many now)."""
    try:
        payload = source.read_bytes()
    except OSError as exc:
        raise StoreError(f"{source}: cannot read ({exc.strerror or exc})") from exc
    theirs = parse(payload, str(source))
    return len(theirs), add(store_path, theirs)


def export(store_path: Path, target: Path) -> int:
    corrections = load(store_path)
    try:
        write_atomic(target, dump(corrections))
    except OSError as exc:
        raise StoreError(f"{target}: cannot write ({exc.strerror or exc})") from exc
    return len(corrections)


def resolve(corrections: Sequence[Correction], rows: RowTable
            ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(linked pairs, unlinked pairs) of item ids in ``rows``; a correction naming an item
    the store no longer has (or has twice) is left out."""
    if not corrections:
        return [], []
    wanted = {key for c in corrections for key in (c.a, c.b)}
    places = {(k.prefecture, k.county, k.township) for k in wanted}
    found: dict[ItemKey, list[str]] = {}
    for item in _rows_at(rows, places):
        key = ItemKey.of(item)
        if key in wanted:
            found.setdefault(key, []).append(item.id)
    links: list[tuple[str, str]] = []
    unlinks: list[tuple[str, str]] = []
    for c in corrections:
        a, b = found.get(c.a, []), found.get(c.b, [])
        if len(a) == 1 and len(b) == 1:
            (links if c.same else unlinks).append((a[0], b[0]))
    return links, unlinks


def _rows_at(rows: RowTable, places: set[tuple[str, str, str]]) -> Iterator[Row]:
    """The rows of documents at ``places`` (only their rows are made)."""
    for doc in rows.documents:
        if (doc.prefecture, doc.county, doc.township) in places:
            for n in rows.range_of(doc.id):
                yield rows[n]
