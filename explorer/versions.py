"""One township, several versions: which document of a place is current, and what changed.

A township is its place (prefecture, county, township), not its file: a second document of the
same place (a revised list, the same list as a PDF) is a newer *version*, never a second
township. Versions are ordered by the date the document prints in its title or notes when
every version of the place prints one (``2025年7月``, ``二〇二五年七月``), else by when they were
ingested; the newest is current. Everything that counts, lists, searches or matches townships
works over current versions only; older ones stay reachable through ``versions`` and ``diff``.

``diff`` matches the items of two versions (same list and name, then same name in another
list, then the most similar names left) and names what was added, removed, moved to another
list and reworded (matched, text changed), with the changed characters of each field.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from rapidfuzz import fuzz

from lvzhi.model import Document, Item
from lvzhi.rows import RowTable

# A name at least this similar (rapidfuzz ratio, 0-100) to an unmatched name of the other
# version is taken for the same item, reworded; below it the two are a removal and an addition.
REWORDED_AT = 60.0
# Years a printed date may have (a list of duties printed before 1990 is a misreading).
YEARS = range(1990, 2101)

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"[0-9０-９]{1,4}|[〇零○Ｏ一二三四五六七八九十]{1,4}"
# 2025年7月, 2025 年 7 月 3 日, 二〇二五年七月; the year alone only in a title.
_DATE = re.compile(rf"(?P<y>[0-9０-９]{{4}}|[〇零○Ｏ一二三四五六七八九]{{4}})\s*年"
                   rf"(?:\s*(?P<m>{_NUMBER})\s*月(?:\s*(?P<d>{_NUMBER})\s*日)?)?")
KINDS = ("added", "removed", "moved", "reworded")
FIELD_LABELS: dict[str, str] = {
    "category": "事项类别", "name": "事项名称", "departments": "对应上级部门",
    "upper_duties": "上级部门职责", "township_duties": "乡镇配合职责",
    "receiver": "承接部门及工作方式",
}


class VersionError(ValueError):
    """A version asked for that the township does not have."""


def _number(text: str) -> int | None:
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if "十" in text:  # 十, 十二, 二十, 二十一
        tens, _, ones = text.partition("十")
        value = (_CN_DIGITS.get(tens, -100) if tens else 1) * 10
        value += _CN_DIGITS.get(ones, -100) if ones else 0
        return value if value > 0 else None
    if all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    return None


def _dates(text: str, *, year_alone: bool) -> list[tuple[int, int, int]]:
    found = []
    for match in _DATE.finditer(text):
        year = _number(match["y"])
        month = _number(match["m"]) if match["m"] else 0
        day = _number(match["d"]) if match["d"] else 0
        if year is None or year not in YEARS or month is None or day is None:
            continue
        if not 0 <= month <= 12 or not 0 <= day <= 31 or (not month and not year_alone):
            continue
        found.append((year, month, day))
    return found


def printed_date(doc: Document) -> tuple[int, int, int] | None:
    """The date the document prints: in its title (a year alone will do), else the latest
    year and month its notes (a 说明 preface) name; (year, month or 0, day or 0)."""
    if found := _dates(doc.title, year_alone=True):
        return max(found)
    if found := _dates(doc.notes, year_alone=False):
        return max(found)
    return None


def date_label(date: tuple[int, int, int] | None) -> str:
    """``2025-07``, ``2025``, ``2025-07-03``; empty when there is none."""
    if date is None:
        return ""
    year, month, day = date
    return f"{year}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def place_key(doc: Document) -> tuple[str, ...]:
    """What makes two documents one township: their place. A document whose township was not
    read is a place of its own."""
    if not doc.township:
        return ("", "", "", doc.id)
    return (doc.prefecture, doc.county, doc.township)


@dataclass(frozen=True, slots=True)
class Version:
    """One document of a township: its number (1 the oldest) among the place's versions."""

    number: int
    document: Document
    dated: tuple[int, int, int] | None
    current: bool
    of: int  # how many versions the place has

    @property
    def label(self) -> str:
        """``version 2 of 2 (current)``."""
        return f"version {self.number} of {self.of}" + (" (current)" if self.current else "")

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {"version": self.number, "current": self.current, "id": doc.id,
                "source": doc.source, "path": doc.path, "format": doc.format,
                "dated": date_label(self.dated) or None, "ingested_at": doc.ingested_at,
                "title": doc.title, "lists": doc.lists}


def order_versions(docs: Iterable[Document]) -> list[Version]:
    """The documents of one place, oldest first, the last current: by printed date when
    every one prints a date (ingest time breaks a tie), else by ingest time."""
    docs = list(docs)
    dated = {d.id: printed_date(d) for d in docs}
    by_date = all(dated.values())

    def key(d: Document) -> tuple[Any, ...]:
        return ((dated[d.id] if by_date else (0, 0, 0)), d.ingested_at, d.source, d.id)

    ordered = sorted(docs, key=key)
    return [Version(n, d, dated[d.id], n == len(ordered), len(ordered))
            for n, d in enumerate(ordered, start=1)]


def _by_place(docs: Iterable[Document]) -> dict[tuple[str, ...], list[Document]]:
    places: dict[tuple[str, ...], list[Document]] = {}
    for doc in docs:
        places.setdefault(place_key(doc), []).append(doc)
    return places


def group_versions(docs: Iterable[Document]) -> dict[tuple[str, ...], list[Version]]:
    """Every place's versions, oldest first."""
    return {place: order_versions(group) for place, group in _by_place(docs).items()}


def current_ids(docs: Iterable[Document]) -> set[str]:
    """Ids of the current version of every place."""
    # A place of one document needs no dates read (38,000 of them took 0.5 s).
    return {group[0].id if len(group) == 1 else order_versions(group)[-1].document.id
            for group in _by_place(docs).values()}


def current_rows(table: RowTable) -> RowTable:
    """The rows of current versions only: ``table`` itself when no document is superseded
    (the common case costs nothing), else a table of the current documents' rows."""
    keep = current_ids(table.documents)
    if len(keep) == len(table.documents):
        return table
    return table.subset([d for d in table.documents if d.id in keep])


def versions_digest(content_digest: str, table: RowTable) -> str:
    """The digest that keys caches built from the current versions of a store: the store's
    content and which documents are current (a cache of every version never matches)."""
    ids = ",".join(d.id for d in table.documents)
    return hashlib.sha256(f"lvzhi current versions 1\x1e{content_digest}\x1e{ids}".encode()
                          ).hexdigest()


def pick(versions: Sequence[Version], ref: str) -> Version:
    """A version by its number (``1`` the oldest; ``-1`` the current) or its document id's
    first digits (4 or more)."""
    ref = ref.strip()
    if re.fullmatch(r"-?\d{1,3}", ref):
        n = int(ref)
        if 1 <= n <= len(versions):
            return versions[n - 1]
        if -len(versions) <= n <= -1:
            return versions[n]
        if len(ref) < 4:
            raise VersionError(f"there is no version {ref}: the township has "
                               f"{len(versions)} (1 the oldest, {len(versions)} current)")
    if len(ref) >= 4:
        found = [v for v in versions if v.document.id.startswith(ref.lower())]
        if len(found) == 1:
            return found[0]
        if found:
            raise VersionError(f"{ref!r} starts the ids of several versions: give more digits")
    raise VersionError(f"no version {ref!r}: give a version number (1 to {len(versions)}) or "
                       "the first digits of a document id (see lvzhi versions)")


# -- what changed between two versions ------------------------------------------------------

def _squeezed(text: str) -> str:
    return "".join(text.split())


def field_texts(item: Item) -> dict[str, str]:
    """The texts a diff compares, by field (extra columns by their header)."""
    texts = {"category": item.category, "name": item.name, "departments": item.departments,
             "upper_duties": "".join(item.upper_duties),
             "township_duties": "".join(item.township_duties), "receiver": item.receiver}
    texts.update({f"extra:{header}": value for header, value in item.extra.items()})
    return texts


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name) or name.removeprefix("extra:")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a matched item whose text changed (whitespace alone is no change)."""

    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return field_label(self.field)

    def opcodes(self) -> list[tuple[str, int, int, int, int]]:
        """difflib's opcodes over the characters: ``equal``, ``delete``, ``insert``,
        ``replace`` with their spans in ``old`` and ``new``."""
        return [(str(tag), i1, i2, j1, j2) for tag, i1, i2, j1, j2 in
                SequenceMatcher(None, self.old, self.new, autojunk=False).get_opcodes()]

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new,
                "spans": [[tag, i1, i2, j1, j2] for tag, i1, i2, j1, j2 in self.opcodes()
                          if tag != "equal"]}


@dataclass(frozen=True, slots=True)
class Change:
    """An item added, removed, moved to another list or reworded between two versions. A
    moved item may be reworded too (its ``fields``)."""

    kind: str  # one of KINDS
    old: Item | None
    new: Item | None
    fields: tuple[FieldChange, ...] = ()
    similarity: float = 100.0  # of the names, for a matched pair

    @property
    def item(self) -> Item:
        """The newer side when there is one (what the explorer can show)."""
        return self.new or self.old  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        def side(item: Item | None) -> dict[str, Any] | None:
            if item is None:
                return None
            return {"id": item.id, "list": str(item.list), "serial": item.serial,
                    "category": item.category, "name": item.name}

        return {"kind": self.kind, "old": side(self.old), "new": side(self.new),
                "similarity": round(self.similarity, 1),
                "changes": [f.to_dict() for f in self.fields]}


@dataclass(slots=True)
class VersionDiff:
    old: Version
    new: Version
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def counts(self) -> dict[str, int]:
        return {kind: len(self.of_kind(kind)) for kind in KINDS} | {
            "unchanged": self.unchanged}

    def summary(self) -> str:
        """``1 added · 1 removed · 1 moved · 1 reworded · 265 unchanged``."""
        return " · ".join(f"{n} {kind}" for kind, n in self.counts().items())

    def to_dict(self) -> dict[str, Any]:
        doc = self.new.document
        return {"prefecture": doc.prefecture, "county": doc.county, "township": doc.township,
                "old": self.old.to_dict(), "new": self.new.to_dict(), "counts": self.counts(),
                **{kind: [c.to_dict() for c in self.of_kind(kind)] for kind in KINDS}}


def _field_changes(old: Item, new: Item) -> tuple[FieldChange, ...]:
    before, after = field_texts(old), field_texts(new)
    names = list(before) + [n for n in after if n not in before]
    return tuple(FieldChange(n, before.get(n, ""), after.get(n, "")) for n in names
                 if _squeezed(before.get(n, "")) != _squeezed(after.get(n, "")))


def _order(item: Item) -> tuple[int, int]:
    return item.list.order, item.serial


def match_items(old: Sequence[Item], new: Sequence[Item]
                ) -> tuple[list[tuple[Item, Item, float]], list[Item], list[Item]]:
    """Pairs (old, new, name similarity) of the same item, and what is left of each side:
    the same name in the same list first, then the same name in another list, then the most
    similar names (at least ``REWORDED_AT``, the same list and serial preferred)."""
    pairs: list[tuple[Item, Item, float]] = []
    left_old, left_new = sorted(old, key=_order), sorted(new, key=_order)
    for same_list in (True, False):
        waiting: dict[tuple[Any, ...], list[Item]] = {}
        for item in left_new:
            key = (item.list if same_list else None, _squeezed(item.name))
            waiting.setdefault(key, []).append(item)
        rest: list[Item] = []
        for item in left_old:
            key = (item.list if same_list else None, _squeezed(item.name))
            if candidates := waiting.get(key):
                pairs.append((item, candidates.pop(0), 100.0))
            else:
                rest.append(item)
        taken = {id(b) for _, b, _ in pairs}
        left_old, left_new = rest, [i for i in left_new if id(i) not in taken]
    scored: list[tuple[float, int, int, int]] = []
    for a, x in enumerate(left_old):
        for b, y in enumerate(left_new):
            score = fuzz.ratio(_squeezed(x.name), _squeezed(y.name))
            if score >= REWORDED_AT:
                bonus = (x.list == y.list) + (x.list == y.list and x.serial == y.serial)
                scored.append((score, bonus, a, b))
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, _, a, b in sorted(scored, key=lambda s: (-s[0], -s[1], s[2], s[3])):
        if a not in used_old and b not in used_new:
            used_old.add(a)
            used_new.add(b)
            pairs.append((left_old[a], left_new[b], score))
    return (pairs, [x for a, x in enumerate(left_old) if a not in used_old],
            [y for b, y in enumerate(left_new) if b not in used_new])


def diff_items(old_version: Version, new_version: Version, old: Sequence[Item],
               new: Sequence[Item]) -> VersionDiff:
    """What changed from the items ``old`` of one version to ``new`` of another: added,
    removed, moved, reworded, each in list and serial order (of the newer version; a removed
    item's of the older)."""
    pairs, removed, added = match_items(old, new)
    result = VersionDiff(old_version, new_version)
    changes: list[tuple[tuple[int, int, int], Change]] = []
    for a, b, score in pairs:
        fields = _field_changes(a, b)
        if a.list != b.list:
            changes.append(((*_order(b), 0), Change("moved", a, b, fields, score)))
        elif fields:
            changes.append(((*_order(b), 0), Change("reworded", a, b, fields, score)))
        else:
            result.unchanged += 1
    changes += [((*_order(b), 0), Change("added", None, b)) for b in added]
    changes += [((*_order(a), 1), Change("removed", a, None)) for a in removed]
    result.changes = [c for _, c in sorted(changes, key=lambda kc: (KINDS.index(kc[1].kind),
                                                                      kc[0]))]
    return result


def diff_runs(change: FieldChange) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The old and the new text as runs of (text, changed): what to strike out of the one
    and what to mark in the other."""
    old: list[tuple[str, bool]] = []
    new: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in change.opcodes():
        if i2 > i1:
            old.append((change.old[i1:i2], tag != "equal"))
        if j2 > j1:
            new.append((change.new[j1:j2], tag != "equal"))
    return old, new
