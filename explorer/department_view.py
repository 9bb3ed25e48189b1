"""The department view: what each county-level department leads or took back, everywhere.

A cooperative row names the upper departments the township works with (its lead first); a
reclaimed row names, in its receiver, who took the duty back. Each printed name is folded by
``lvzhi.departments`` (县人社局, 县人力资源和社会保障局 and 人社局 are the key 人社), so one
department is one entry however the lists spell it.

A row is under every department it names; ``lead`` says whether the department is the one it
names first (the lead of a cooperative row, the receiver of a reclaimed one). Basic rows name
no upper department and are not here.

Built from the rows' columns only (no item file is read): the keys of each distinct
(departments, receiver) pair are folded once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from lvzhi.departments import ABBREVIATIONS, department_keys, receiver_department
from lvzhi.model import Document, ListKind, Row
from lvzhi.rows import RowTable

# How many printed spellings of a department its summary keeps (most frequent first).
SPELLINGS_KEPT = 6
_LISTED = (ListKind.COOPERATIVE, ListKind.RECLAIMED)


@dataclass(slots=True)
class DepartmentSummary:
    """One department: its key, a name to show, how the lists spell it, and its counts."""

    key: str
    label: str  # the full name the abbreviation table gives, else its commonest spelling
    spellings: list[str]
    cooperative: int  # cooperative rows naming it
    reclaimed: int  # reclaimed rows whose receiver names it
    townships: int  # documents with at least one such row
    leads: int = 0  # rows where it is named first

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "spellings": self.spellings,
                "cooperative": self.cooperative, "reclaimed": self.reclaimed,
                "townships": self.townships, "leads": self.leads}


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    row: Row
    lead: bool  # the department is the first the row names
    printed: str  # the row's department cell (cooperative) or receiver's department


@dataclass(slots=True)
class DepartmentView:
    """One department's rows, grouped by township in place order."""

    summary: DepartmentSummary
    groups: list[tuple[Document, list[DepartmentRow]]] = field(default_factory=list)

    def rows(self) -> Iterable[DepartmentRow]:
        for _, rows in self.groups:
            yield from rows


@dataclass(slots=True)
class _Entry:
    rows: list[tuple[int, bool]] = field(default_factory=list)  # (row index, lead)
    spellings: Counter[str] = field(default_factory=Counter)


def _row_keys(names: tuple[str, ...], receiver: str) -> tuple[list[tuple[str, str]], str]:
    """(key, printed name) for each department a row names, in the order printed (the
    first is the lead), and the cell they were read from."""
    found: list[tuple[str, str]] = []
    for name in names:
        for key in sorted(department_keys(name)):
            found.append((key, name))
    if found:
        return found, "、".join(names)
    head = receiver_department(receiver) if receiver else ""
    return [(key, head) for key in sorted(department_keys(head))], head


class DepartmentIndex:
    """Every department of a set of rows, with the rows that name it."""

    def __init__(self, rows: RowTable) -> None:
        self.rows = rows
        self._entries: dict[str, _Entry] = {}
        self._doc_ids: dict[str, set[str]] = {}
        folded: dict[tuple[tuple[str, ...], str], tuple[list[tuple[str, str]], str]] = {}
        for n, code in enumerate(rows.kinds):
            if ListKind.of_code(code) not in _LISTED:
                continue
            names = tuple(rows.department_names[n])
            receiver = rows.receivers[n] if not names else ""
            pair = (names, receiver)
            keys = folded.get(pair)
            if keys is None:
                keys = folded[pair] = _row_keys(names, receiver)
            named = keys[0]
            lead_name = named[0][1] if named else ""
            seen: set[str] = set()
            for key, printed in named:
                entry = self._entries.setdefault(key, _Entry())
                entry.spellings[printed] += 1
                if key not in seen:  # names are in printed order: the lead's come first
                    seen.add(key)
                    entry.rows.append((n, printed == lead_name))

    def every_key(self) -> list[str]:
        return list(self._entries)

    def doc_ids(self, key: str) -> set[str]:
        """The documents with a row naming ``key`` (found once per key)."""
        found = self._doc_ids.get(key)
        if found is None:
            found = self._doc_ids[key] = {self.rows.doc_of(n).id
                                          for n, _ in self._entries[key].rows}
        return found

    def rows_in(self, key: str, doc_id: str) -> list[Row]:
        """The rows of one document naming ``key``."""
        span = self.rows.range_of(doc_id)
        return [self.rows[n] for n, _ in self._entries[key].rows if n in span]

    def summary(self, key: str) -> DepartmentSummary:
        entry = self._entries[key]
        rows = self.rows
        cooperative = sum(1 for n, _ in entry.rows
                          if ListKind.of_code(rows.kinds[n]) is ListKind.COOPERATIVE)
        townships = len(self.doc_ids(key))
        spellings = [s for s, _ in entry.spellings.most_common(SPELLINGS_KEPT) if s]
        full = ABBREVIATIONS.get(key)
        label = full[0] if full else (spellings[0] if spellings else key)
        return DepartmentSummary(key, label, spellings, cooperative,
                                 len(entry.rows) - cooperative, townships,
                                 sum(1 for _, lead in entry.rows if lead))

    def summaries(self) -> list[DepartmentSummary]:
        """Every department, most rows first (then by key)."""
        found = [self.summary(key) for key in self._entries]
        found.sort(key=lambda s: (-(s.cooperative + s.reclaimed), -s.townships, s.key))
        return found

    def resolve(self, name: str) -> list[str]:
        """The keys ``name`` means: a key itself (人社), a printed name folded (县人社局,
        人力资源和社会保障局), else keys and spellings containing it."""
        name = name.strip()
        if not name:
            return []
        if name in self._entries:
            return [name]
        folded = [k for k in sorted(department_keys(name)) if k in self._entries]
        if folded:
            return folded
        return [key for key, entry in self._entries.items()
                if name in key or any(name in s for s in entry.spellings)
                or any(name in s for s in ABBREVIATIONS.get(key, ()))]

    def view(self, key: str) -> DepartmentView:
        entry = self._entries[key]
        rows = self.rows
        groups: dict[str, list[DepartmentRow]] = {}
        docs: dict[str, Document] = {}
        for n, lead in entry.rows:
            doc = rows.doc_of(n)
            docs[doc.id] = doc
            row = rows[n]
            printed = ("、".join(row.department_names) if row.department_names
                       else receiver_department(row.receiver))
            groups.setdefault(doc.id, []).append(DepartmentRow(row, lead, printed))
        return DepartmentView(self.summary(key),
                              [(docs[doc_id], found) for doc_id, found in groups.items()])
