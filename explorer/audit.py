"""A township's lists audited against its peers: what a county office checks by hand.

Five kinds of finding, each with the rows behind it:

``missing``
    a matter most peers list (more than half of them, and at least two unless there is
    one peer) that the township lists nowhere; its rows are the peers' items.
``different_list``
    a matter the township lists in one list while most peers having it (more than half,
    at least two unless there is one peer) put it in another; the township's item first.
``near_duplicate``
    two items of the township's own lists that say nearly the same thing (the matcher's
    name score at least ``NEAR_DUPLICATE``, place names and filler words aside).
``lone_department``
    a department the township's cooperative or reclaimed rows name that no other
    township of its county names (a misspelling, or an office the county does not have);
    when the store holds no other township of the county, no peer.
``flagged``
    rows the extraction report flagged when the document was read (item warnings).

Peers are the other townships of the county (``county``), of the prefecture
(``prefecture``) or of the store (``all``); another version of the same place is never a
peer. Matters come from the library's matcher (``Matcher.matters``), so a person's links
and unlinks count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from lvzhi.department_view import DepartmentIndex
from lvzhi.matching import Matcher
from lvzhi.model import Document, Row
from lvzhi.rows import RowTable

SCOPES = ("county", "prefecture", "all")
KINDS = ("missing", "different_list", "near_duplicate", "lone_department", "flagged")
KIND_TITLES = {
    "missing": "Matters most peers list and it lacks",
    "different_list": "Matters in a different list than most peers",
    "near_duplicate": "Near-duplicates inside its own lists",
    "lone_department": "Departments named nowhere else in its county",
    "flagged": "Rows the extraction report flagged",
}
KIND_SHORT = {"missing": "missing", "different_list": "other list",
              "near_duplicate": "duplicates", "lone_department": "lone departments",
              "flagged": "flagged"}
# The matcher's name score (0..100) from which two items of one township read as one duty.
NEAR_DUPLICATE = 85.0
# rapidfuzz's plain ratio a pair needs before the matcher's scorer looks at it.
_PREFILTER = 60.0


@dataclass(slots=True)
class Finding:
    kind: str  # one of KINDS
    title: str  # what it is about: a matter's label, a department, an item's name
    detail: str  # why it is a finding, in a few words
    rows: list[Row] = field(default_factory=list)  # the rows behind it, most telling first

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "title": self.title, "detail": self.detail,
                "rows": [row_dict(r) for r in self.rows]}


@dataclass(slots=True)
class Audit:
    document: Document
    scope: str  # the peers used
    asked: str  # the peers asked for (a wider scope is used when it has none)
    peers: list[Document]
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def counts_line(self) -> str:
        """``missing 10 · other list 0 · …``: findings per kind."""
        return " · ".join(f"{KIND_SHORT[kind]} {len(self.of_kind(kind))}" for kind in KINDS)

    def to_dict(self) -> dict[str, object]:
        doc = self.document
        return {"township": {"id": doc.id, "prefecture": doc.prefecture, "county": doc.county,
                             "township": doc.township, "source": doc.source},
                "scope": self.scope, "asked": self.asked,
                "peers": [{"id": d.id, "county": d.county, "township": d.township}
                          for d in self.peers],
                "counts": {kind: len(self.of_kind(kind)) for kind in KINDS},
                "notes": self.notes,
                "findings": [f.to_dict() for f in self.findings]}


def row_dict(row: Row) -> dict[str, object]:
    return {"id": row.id, "township": row.township, "list": str(row.list),
            "serial": row.serial, "name": row.name}


def _place(doc: Document) -> tuple[str, str, str]:
    return doc.prefecture, doc.county, doc.township


def peers_of(document: Document, documents: Iterable[Document], scope: str) -> list[Document]:
    """The other townships of ``scope`` (another document of the same place is none)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown peers {scope!r}; use {', '.join(SCOPES)}")
    own = _place(document)
    found = []
    for doc in documents:
        if doc.id == document.id or _place(doc) == own:
            continue
        if scope == "county" and (doc.prefecture, doc.county) != own[:2]:
            continue
        if scope == "prefecture" and doc.prefecture != own[0]:
            continue
        found.append(doc)
    return found


def _most(count: int, of: int, peers: int) -> bool:
    """More than half, and at least two unless there is only one peer."""
    return count * 2 > of and count >= min(2, peers)


def _matter_findings(document: Document, peer_ids: set[str], peers: int,
                     matcher: Matcher) -> tuple[list[Finding], list[Finding]]:
    missing: list[tuple[float, Finding]] = []
    moved: list[tuple[float, Finding]] = []
    for matter in matcher.matters():
        own: Row | None = None
        by_peer: dict[str, Row] = {}
        for member in matter.members:
            item = member.item
            if item.doc_id == document.id:
                own = own or item
            elif item.doc_id in peer_ids:
                by_peer.setdefault(item.doc_id, item)
        having = len(by_peer)
        if not having:
            continue
        if own is None:
            if _most(having, peers, peers):
                missing.append((having / peers, Finding(
                    "missing", matter.label, f"{having} of {peers} peers list it" if peers > 1
                    else "its one peer lists it",
                    list(by_peer.values()))))
            continue
        lists = Counter(row.list for row in by_peer.values())
        kind, count = lists.most_common(1)[0]
        if kind is not own.list and _most(count, having, peers):
            moved.append((count / having, Finding(
                "different_list", matter.label,
                f"{own.list.short} here, {kind.short} in {count} of {having} peers",
                [own, *(r for r in by_peer.values() if r.list is kind)])))
    missing.sort(key=lambda p: (-p[0], p[1].title))
    moved.sort(key=lambda p: (-p[0], p[1].rows[0].list, p[1].rows[0].serial))
    return [f for _, f in missing], [f for _, f in moved]


def near_duplicates(rows: Sequence[Row], matcher: Matcher,
                    threshold: float = NEAR_DUPLICATE) -> list[Finding]:
    """Pairs of one township's items whose names read as one duty."""
    from rapidfuzz import fuzz, process

    positions = [matcher.rows.index_of(r.id) for r in rows]
    cores = [matcher.cores[n] if n is not None else r.name
             for n, r in zip(positions, rows, strict=True)]
    if len(cores) < 2:
        return []
    found: list[tuple[float, Finding]] = []
    for a in range(len(rows) - 1):
        near = process.extract(cores[a], cores[a + 1:], scorer=fuzz.ratio,
                               score_cutoff=_PREFILTER, limit=None)
        for _, _, at in sorted(near, key=lambda hit: hit[2]):
            b = a + 1 + at
            score = matcher.scorer.score(cores[a], cores[b])
            if score < threshold:
                continue
            x, y = rows[a], rows[b]
            where = ("both in " + x.list.label if x.list is y.list
                     else f"{x.list.label} and {y.list.label}")
            found.append((score, Finding(
                "near_duplicate", x.name,
                f"{x.list.short}{x.serial} ≈ {y.list.short}{y.serial} ({score:.0f}, {where})",
                [x, y])))
    found.sort(key=lambda p: (-p[0], p[1].rows[0].list, p[1].rows[0].serial))
    return [f for _, f in found]


def lone_departments(document: Document, county: list[Document],
                     departments: DepartmentIndex) -> list[Finding]:
    """Departments the township names and no other township of its county does."""
    others = {d.id for d in county}
    found = []
    for key in departments.every_key():
        docs = departments.doc_ids(key)
        if document.id not in docs or docs & others:
            continue
        summary = departments.summary(key)
        own = departments.rows_in(key, document.id)
        printed = "、".join(summary.spellings[:3])
        found.append(Finding("lone_department", summary.label,
                             f"key {summary.key} · printed {printed} · {len(own)} "
                             + ("row" if len(own) == 1 else "rows"), own))
    return found


def flagged(rows: Sequence[Row], warnings: dict[str, list[str]]) -> list[Finding]:
    return [Finding("flagged", row.name, "; ".join(warnings[row.id]), [row])
            for row in rows if warnings.get(row.id)]


def audit(document: Document, rows: RowTable, matcher: Matcher,
          departments: DepartmentIndex, warnings: Callable[[], dict[str, list[str]]],
          scope: str = "county") -> Audit:
    """Every finding of ``document`` against its peers in ``scope``; a wider scope is used
    (and said in ``notes``) when ``scope`` has no peer."""
    documents = [d for d in rows.documents if len(rows.range_of(d.id))]
    asked, used = scope, scope
    peers = peers_of(document, documents, scope)
    notes: list[str] = []
    for wider in SCOPES[SCOPES.index(scope) + 1:]:
        if peers:
            break
        peers, used = peers_of(document, documents, wider), wider
    if used != asked:
        where = document.county if asked == "county" else document.prefecture
        notes.append(f"no other township of {where or 'its ' + asked} here: peers are "
                     + ("every township" if used == "all" else f"its {used}'s"))
    own = [rows[n] for n in rows.range_of(document.id)]
    findings: list[Finding] = []
    if peers:
        missing, moved = _matter_findings(document, {d.id for d in peers}, len(peers),
                                          matcher)
        findings += missing + moved
    else:
        notes.append("no other township in the store: nothing to compare with")
    findings += near_duplicates(own, matcher)
    county = peers_of(document, documents, "county")
    if not county and peers and asked != "county":
        notes.append(f"no other township of {document.county or 'its county'} here: "
                     "departments checked against the peers")
    elif not county and peers:
        notes[-1] += ", departments too"
    if county or peers:
        findings += lone_departments(document, county or peers, departments)
    findings += flagged(own, warnings())
    return Audit(document, used, asked, peers, findings, notes)
