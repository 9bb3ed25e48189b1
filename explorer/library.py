"""The library both faces use: one store, its rows, its search index and matcher.

``Library`` owns what is loaded and whether it is fresh (the rows of the store as it is, the
indexes cached beside it under the store's content digest) and offers what people do: find
townships and items, search, counterparts, compare, coverage, matters, export, ingest. The
command line and the explorer call it; it never imports a user interface.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING

from lvzhi.model import Document, Item, ListKind, Row
from lvzhi.rows import RowTable
from lvzhi.store import Store

if TYPE_CHECKING:
    from lvzhi.audit import Audit
    from lvzhi.department_view import DepartmentIndex, DepartmentSummary, DepartmentView
    from lvzhi.ingest import Extraction, IngestError, IngestResult
    from lvzhi.matching import Comparison, Matcher, Matter
    from lvzhi.plugins import Registry
    from lvzhi.search import DutyText, Hit, SearchIndex
    from lvzhi.versions import Version, VersionDiff

# How many documents' duty texts the indexes keep at hand while they are built: a province
# (~1,000), so the matcher, which reads some here and there, reads each file once.
DOCUMENTS_HELD = 1024
# The caches kept beside a store (``<store>.<name>.cache``): derived, rebuilt at will
# ("search" is no longer written: its place is the SQLite index, ``lvzhi.index``).
INDEXES = ("search", "matters")
# How many name-search hits the counterparts fallback looks through.
COUNTERPART_FALLBACK_LIMIT = 60
# A document id is a 64-digit hash: this many digits name it (and are shown).
ID_SHOWN = 12
ITEM_REF_HELP = "TOWNSHIP:LIST:SERIAL, e.g. 昭苏镇:reclaimed:2 or 昭苏镇:收:2"


class LibraryError(Exception):
    """What a person asked for cannot be done: one line that says why (and what to do)."""


class AmbiguousTownship(LibraryError):
    """A township name that fits several documents; ``candidates`` are they."""

    def __init__(self, query: str, candidates: list[Document]) -> None:
        self.query = query
        self.candidates = candidates
        names = ", ".join(f"{d.county}{d.township} ({d.source}, id {d.id[:ID_SHOWN]})"
                          for d in candidates)
        super().__init__(f"{query!r} matches several documents: {names}; name one by its "
                         "county and township, its source file or its id")


@dataclass(frozen=True, slots=True)
class Counterpart:
    """An item of another township that is the same matter, and why it is thought so."""

    item: Row
    score: float
    why: str


def list_kind(word: str) -> ListKind:
    """``basic``, ``cooperative``, ``reclaimed`` or their one character 基 / 配 / 收."""
    word = word.strip()
    for kind in ListKind:
        if word in (kind.value, kind.short, kind.label):
            return kind
    raise ValueError(f"unknown list kind {word!r}")


class Library:
    """One store and everything built from it, kept fresh.

    The rows are read once and reloaded when the store's content changes (``refresh``); the
    search index and the matcher are built (or loaded from their caches) when first needed,
    or ahead of time by ``build_search_index`` / ``build_matcher`` in a worker. Safe to use
    from worker threads.
    """

    def __init__(self, store: Store | Path | str | None = None) -> None:
        self.store = store if isinstance(store, Store) else Store(store)
        self._lock = threading.RLock()  # the rows
        self._index_lock = threading.Lock()  # one build at a time; search never waits on
        self._matcher_lock = threading.Lock()  # the matcher being built
        self._rows: RowTable | None = None
        self._digest = ""
        self._content = ""  # the store's content digest when the rows or index were read
        self._stamp = ""  # which catalog file that was (Store.catalog_stamp): "" unknown
        self._index: SearchIndex | None = None
        self._matcher: Matcher | None = None
        self._department_index: DepartmentIndex | None = None  # of ``_rows`` (checked)

    @property
    def path(self) -> Path:
        return self.store.path

    # -- what is loaded, and its freshness ---------------------------------------------------

    @property
    def rows(self) -> RowTable:
        """Every item of the current version of every township as a row (no item file is
        read): older versions of a place are left out (``versions``, ``diff`` reach them)."""
        from lvzhi.versions import current_rows, versions_digest

        with self._lock:
            if self._rows is None:
                self._stamp = self.store.catalog_stamp()  # before the content: see refresh
                self._content = self.store.content_digest()
                self._rows = current_rows(self.store.rows())
                self._digest = versions_digest(self._content, self._rows)
            return self._rows

    @property
    def digest(self) -> str:
        """The digest of the store's content and its current versions (keys the caches)."""
        with self._lock:
            self.rows  # noqa: B018 - loads the rows and their digest
            return self._digest

    def loaded(self) -> tuple[RowTable, str]:
        """The rows and their digest, read together (a refresh may run in another thread)."""
        with self._lock:
            return self.rows, self.digest

    def refresh(self) -> bool:
        """Reload the store if its content changed (an ingest here or elsewhere): rows,
        index and matcher are then dropped and rebuilt when next needed. True if changed."""
        with self._lock:
            self.store.reload()
            loaded = self._rows is not None or self._index is not None
            # The same catalog file (every commit renames a new one into place): nothing
            # changed, and the catalog need not be read (0.25 s at 38,000 townships).
            stamp = self.store.catalog_stamp()
            if loaded and stamp and stamp == self._stamp:
                return False
            if loaded and self._content and self.store.content_digest() == self._content:
                self._stamp = stamp  # another file of the same content
                return False
            self._rows, self._index, self._matcher = None, None, None
            self._content = self._stamp = ""
            return True

    def documents(self) -> list[Document]:
        """The current version of every township, in place order."""
        return self.rows.documents

    def require_rows(self) -> RowTable:
        """The rows, or an error saying the store is empty."""
        rows = self.rows
        if not len(rows):
            raise self._empty()
        return rows

    def _empty(self) -> LibraryError:
        return LibraryError("the store is empty: lvzhi ingest PATH first, or lvzhi ingest "
                            f"--samples for the five bundled lists (store: {self.path})")

    def _cache(self, name: str) -> Path | None:
        from lvzhi.search import cache_path

        return cache_path(self.path, name) if self.store.exists() else None

    @property
    def search_index(self) -> SearchIndex | None:
        """The search index if it is built (``build_search_index`` builds it)."""
        return self._index

    @property
    def matcher(self) -> Matcher | None:
        """The matcher if it is built (``build_matcher`` builds it)."""
        return self._matcher

    def build_search_index(self) -> SearchIndex:
        """The search index: the store's derived SQLite index, brought up to date with the
        catalog (only documents added or removed since are indexed). Where that file cannot
        be written, one is built in memory from the item files."""
        from lvzhi.index import IndexUnavailable
        from lvzhi.search import SearchIndex

        if (index := self._index) is not None:
            return index
        with self._index_lock:
            if (index := self._index) is not None:
                return index
            stamp = self.store.catalog_stamp()  # before the index reads the catalog
            try:
                # No store yet: nothing to index, and no file made beside where it will be.
                index = (SearchIndex(self.store.synced_index()) if self.store.exists()
                         else SearchIndex.build([]))
            except IndexUnavailable:
                index = SearchIndex.build(self.items())
            with self._lock:
                self._index = index
                # What a refresh compares with: read now only if the rows have not been.
                self._stamp = self._stamp or stamp
            return index

    def build_matcher(self) -> Matcher:
        """The matcher of the rows (matters across townships), cached like the index."""
        from lvzhi.aliases import AliasError
        from lvzhi.matching import duty_text, for_store

        if (matcher := self._matcher) is not None:
            return matcher
        with self._matcher_lock:
            if (matcher := self._matcher) is not None:
                return matcher
            rows, digest = self.rows, self.digest
            try:
                matcher = for_store(self.path, rows, digest, self._cache("matters"),
                                    self._item_text(rows, duty_text))
            except AliasError as exc:
                raise LibraryError(str(exc)) from exc
            with self._lock:
                if self._rows is rows:
                    self._matcher = matcher
            return matcher

    def reindex(self) -> tuple[SearchIndex, Matcher]:
        """Throw away what is derived from the store (the SQLite index of rows and search
        keys, the cached matters) and build it again from the catalog and item files."""
        from lvzhi.index import IndexUnavailable
        from lvzhi.search import cache_path

        with self._index_lock, self._matcher_lock:
            for name in INDEXES:
                cache_path(self.path, name).unlink(missing_ok=True)
            try:
                self.store.reindex()
            except IndexUnavailable as exc:
                raise LibraryError(str(exc)) from exc
            with self._lock:
                self._rows, self._index, self._matcher = None, None, None
        return self.build_search_index(), self.build_matcher()

    def _item_text(self, rows: RowTable, text_of: Callable[[Item], str]) -> DutyText:
        """``text_of`` row ``n``'s whole item, read from its document's item file. The texts of
        the last ``DOCUMENTS_HELD`` documents read are kept (their items are not): the search
        index reads the rows in order, the matcher a few here and there."""

        @lru_cache(maxsize=DOCUMENTS_HELD)
        def texts(doc_id: str) -> dict[tuple[str, int], str]:
            found = ((item.list.code, item.serial, text_of(item))
                     for item in self.store.items_of(doc_id, keep=False))
            return {(code, serial): text for code, serial, text in found if text}

        def text(n: int) -> str:
            return texts(rows.doc_of(n).id).get((rows.kinds[n], rows.serials[n]), "")

        return text

    # -- finding townships and items ---------------------------------------------------------

    def townships(self, query: str) -> list[Document]:
        """Documents ``query`` names: by source file, id or the start of an id (``ID_SHOWN``
        digits or more) exactly, any version; else the current versions whose township is
        ``query``, else whose prefecture+county+township contains it."""
        by_file = self._by_file(query)
        current = self.documents()
        exact = [d for d in current if query == d.township]
        if by_file or exact:
            return exact + [d for d in by_file if d not in exact]
        return [d for d in current
                if query and query in f"{d.prefecture}{d.county}{d.township}"]

    def township_ids(self, query: str) -> list[str]:
        """Ids of ``townships(query)``; an error if none."""
        found = [d.id for d in self.townships(query)]
        if not found:
            raise LibraryError(f"no township matches {query!r} (see lvzhi list)")
        return found

    def township(self, query: str) -> Document:
        """The one document ``query`` names; an error listing the candidates if several."""
        found = self.townships(query)
        if not found:
            raise LibraryError(f"no township matches {query!r} (see lvzhi list)")
        if len(found) > 1:
            raise AmbiguousTownship(query, found)
        return found[0]

    def _by_file(self, query: str) -> list[Document]:
        """Documents, any version, ``query`` names by file name, id, or the start of an id
        (``ID_SHOWN`` digits or more)."""
        return [d for d in self.store.documents() if query in (d.source, d.id)
                or (len(query) >= ID_SHOWN and d.id.startswith(query))]

    def remove(self, query: str) -> Document:
        """Take one document (a version of a township) out of the store, named by its file
        name or id (or the start of its id); its item file goes with it, nothing else
        changes. A township name is not taken: it would not say which version."""
        docs = self._by_file(query)
        if not docs:
            raise LibraryError(f"no document {query!r}: name it by its file name or id "
                               "(lvzhi versions TOWNSHIP lists a township's documents)")
        if len(docs) > 1:
            raise LibraryError(f"{query!r} names several documents: " + ", ".join(
                f"{d.source} (id {d.id[:ID_SHOWN]})" for d in docs) + "; name one by its id")
        try:
            with self.store.transaction() as db:
                if not self.store.remove(db, docs[0].id):
                    raise LibraryError(f"{query!r} was removed meanwhile")
        finally:
            self.refresh()
        return docs[0]

    def item(self, ref: str | Row) -> Row:
        """An item by id, or by TOWNSHIP:LIST:SERIAL (township as ``townships`` takes it, or
        the start of a document id; list as basic/cooperative/reclaimed or 基/配/收)."""
        rows = self.require_rows()
        if isinstance(ref, Row):
            ref = ref.id
        if (n := rows.index_of(ref)) is not None:
            return rows[n]
        try:
            place, kind, serial = ref.rsplit(":", 2)
            key = (list_kind(kind), int(serial))
        except ValueError as exc:
            raise LibraryError(f"{ref!r} is not an item: use an id from lvzhi search --json "
                               f"or {ITEM_REF_HELP}") from exc
        doc_ids = {d.id for d in self.townships(place)} or {
            d.id for d in rows.documents if len(place) >= 6 and d.id.startswith(place)}
        found = [rows[n] for d in sorted(doc_ids) for n in rows.range_of(d)
                 if (rows[n].list, rows[n].serial) == key]
        if not found:
            if older := [d for d in doc_ids if rows.range_of(d) == range(0)]:
                self._require_current(self.store.document(older[0]))
            raise LibraryError(f"no item {ref!r} in the store (see lvzhi show TOWNSHIP)")
        if len(found) > 1:
            raise LibraryError(f"{ref!r} names items of several documents; use its id: "
                               + ", ".join(f"{i.id} ({i.township}, {i.source})"
                                           for i in found))
        return found[0]

    def whole(self, item: Row) -> Item:
        """The whole item (duty text, provenance) of a row, read from the store."""
        for whole in self.store.items_of(item.doc_id):
            if whole.id == item.id:
                return whole
        raise LookupError(f"no item {item.id} in the store")

    def items(self, township: str | None = None,
              kinds: Collection[ListKind] | None = None, *,
              all_versions: bool = False) -> Iterator[Item]:
        """Whole items, a document at a time (only its item file is read), in place, list
        and serial order: of the townships ``township`` names, or of all; of their current
        versions (or a version named by its file or id), or with ``all_versions`` of every
        version of those places."""
        doc_ids = set(self.township_ids(township)) if township else None  # fails at once
        if all_versions:
            doc_ids = self._all_versions_of(doc_ids)
        elif doc_ids is None:
            doc_ids = {d.id for d in self.documents()}
        docs = [d for d in self.store.documents() if doc_ids is None or d.id in doc_ids]
        return (item for doc in docs for item in self.store.items_of(doc.id, keep=False)
                if kinds is None or item.list in kinds)

    # -- what people do ----------------------------------------------------------------------

    def search(self, query: str, *, townships: Collection[str] | str | None = None,
               kinds: Collection[ListKind] | None = None, category: str | None = None,
               department: str | None = None, limit: int = 50) -> list[Hit]:
        """Ranked hits for ``query`` (Chinese or pinyin). ``townships`` are document ids, or
        one name as ``townships`` takes it."""
        index = self.build_search_index()  # before the townships: it checks the store
        if isinstance(townships, str):
            townships = self.township_ids(townships)
        if index.is_empty():
            raise self._empty()
        return index.search(
            query, townships=townships, kinds=kinds, category=category,
            department=department, limit=limit)

    def counterparts(self, ref: str | Row, *, build: bool = True
                     ) -> tuple[list[Counterpart], str]:
        """The same matter in other townships, each with why, and a note when the answer is
        partial. With ``build=False`` nothing is built: before the matcher is ready this is a
        name search (best hit per township), before the index an empty list."""
        item = self.item(ref)
        matcher = self.build_matcher() if build else self._matcher
        if matcher is not None:
            return [Counterpart(c.item, c.score, c.why)
                    for c in matcher.counterparts(item.id)], ""
        index = self._index
        if index is None:
            return [], "the search index is still being built; try again in a moment"
        best: dict[str, Counterpart] = {}
        for hit in index.search(item.name, limit=COUNTERPART_FALLBACK_LIMIT):
            doc = hit.item.doc_id
            if doc != item.doc_id and hit.field == "name" and (
                    doc not in best or best[doc].score < hit.score):
                best[doc] = Counterpart(hit.item, hit.score, "name search")
        return (sorted(best.values(), key=lambda c: -c.score),
                "by name only: the matcher is still being built")

    def matter_of(self, ref: str | Row) -> Matter | None:
        return self.build_matcher().matter_of(self.item(ref).id)

    def correct(self, a: str | Row, b: str | Row, same: bool
                ) -> tuple[Row, Row]:
        """Keep a person's judgement that two items (of different townships) are one matter
        (``same``) or not, in the store; a matcher already built applies it at once."""
        from lvzhi import corrections
        from lvzhi.matching import refresh_corrections

        first, second = self.item(a), self.item(b)
        try:
            corrections.record(self.path, first, second, same)
        except ValueError as exc:
            raise LibraryError(str(exc)) from exc
        if (matcher := self._matcher) is not None:
            refresh_corrections(matcher, self.path)
        return first, second

    def compare(self, a: str, b: str) -> tuple[Document, Document, Comparison]:
        """Two townships (as ``township`` takes them) side by side."""
        doc_a, doc_b = self.township(a), self.township(b)
        if doc_a.id == doc_b.id:
            raise LibraryError("compare needs two different townships")
        for doc in (doc_a, doc_b):
            self._require_current(doc)
        return doc_a, doc_b, self.build_matcher().compare(doc_a.id, doc_b.id)

    def coverage(self) -> tuple[list[str], list[tuple[Matter, dict[str, ListKind]]]]:
        """Document ids, and per matter the list it is in for each township having it."""
        return self.build_matcher().coverage()

    def matters(self) -> list[Matter]:
        """Every matter found in two or more townships."""
        return self.build_matcher().matters()

    def export(self, fmt: str, target: Path | IO[bytes], *,
               items: Iterable[Row] | None = None, township: str | None = None,
               kinds: Collection[ListKind] | None = None, raw_cells: bool = False,
               all_versions: bool = False) -> int:
        """Write items (given, or of ``township`` and ``kinds``, or all; current versions
        unless ``all_versions``) to a file (whole or not at all) or a binary stream,
        streamed; returns how many."""
        from lvzhi.export import export_to_file, write_items

        chosen: Iterable[Item] = (self.items(township, kinds, all_versions=all_versions)
                                  if items is None
                                  else (self.whole(i) for i in items))
        if isinstance(target, Path):
            return export_to_file(target, chosen, fmt, raw_cells=raw_cells)
        return write_items(chosen, fmt, target, raw_cells=raw_cells)

    def ingest(self, paths: Iterable[Path], registry: Registry | None = None, *,
               progress: Callable[[Path, Extraction | IngestError], None] | None = None,
               on_files: Callable[[int], None] | None = None,
               plugin_dirs: list[Path] | None = None, forced: str | None = None,
               accept_untrusted: bool = False) -> IngestResult:
        """Read documents into the store (``progress`` after each file, ``on_files`` once
        the number is known); what was loaded is refreshed when next needed."""
        from lvzhi.ingest import ingest
        from lvzhi.plugins import load_plugins

        if registry is None:
            registry = load_plugins(plugin_dirs or [])
        try:
            return ingest(self.store, registry, list(paths), forced=forced,
                          plugin_dirs=plugin_dirs, progress=progress, on_files=on_files,
                          accept_untrusted=accept_untrusted)
        finally:
            self.refresh()

    # -- versions: several documents of one township -----------------------------------------

    def versions(self, query: str) -> list[Version]:
        """Every version of the one township ``query`` names (as ``township`` takes it: a
        version's file or id names its township), oldest first; the last is current."""
        from lvzhi.versions import place_key

        doc = self.township(query)
        return self._versions_at(place_key(doc))

    def version_of(self, doc: Document) -> Version:
        """Which version of its township ``doc`` is."""
        from lvzhi.versions import place_key

        return next(v for v in self._versions_at(place_key(doc)) if v.document.id == doc.id)

    def diff(self, query: str, old: str | None = None, new: str | None = None
             ) -> VersionDiff:
        """What changed between two versions of a township: ``old`` and ``new`` are version
        numbers or the first digits of document ids; by default the one before the current
        and the current."""
        from lvzhi.versions import VersionError, diff_items, pick

        versions = self.versions(query)
        if len(versions) < 2:
            doc = versions[0].document
            raise LibraryError(f"{doc.township or doc.source} has one version: nothing to "
                               "compare (a newer document of the same place, once ingested, "
                               "becomes its next version)")
        if (old is None) != (new is None):
            raise LibraryError("name both versions to compare (OLD NEW), or neither")
        try:
            first = pick(versions, old) if old is not None else versions[-2]
            second = pick(versions, new) if new is not None else versions[-1]
        except VersionError as exc:
            raise LibraryError(str(exc)) from exc
        if first.document.id == second.document.id:
            raise LibraryError("name two different versions")
        return diff_items(first, second, self.store.items_of(first.document.id),
                          self.store.items_of(second.document.id))

    def _versions_at(self, place: tuple[str, ...]) -> list[Version]:
        from lvzhi.versions import order_versions, place_key

        return order_versions(d for d in self.store.documents() if place_key(d) == place)

    def _all_versions_of(self, doc_ids: set[str] | None) -> set[str] | None:
        """Ids of every version of the places of ``doc_ids`` (None: of every place)."""
        from lvzhi.versions import place_key

        if doc_ids is None:
            return None
        docs = self.store.documents()
        places = {place_key(d) for d in docs if d.id in doc_ids}
        return {d.id for d in docs if place_key(d) in places}

    def _require_current(self, doc: Document | None) -> None:
        """An error naming the township's versions if ``doc`` is an older version."""
        if doc is None or self.rows.range_of(doc.id) or doc in self.documents():
            return
        version = self.version_of(doc)
        if not version.current:
            name = doc.township or doc.source
            raise LibraryError(f"{doc.source} is {version.label} of {name}, not the current "
                               f"one: see lvzhi versions {name}, and lvzhi diff {name} for "
                               "what changed")

    # -- departments and audits (lvzhi.department_view, lvzhi.audit) --------------------------

    def department_index(self) -> DepartmentIndex:
        """Every department the rows name, folded (built once per rows)."""
        from lvzhi.department_view import DepartmentIndex

        rows = self.rows
        with self._lock:
            cached = self._department_index
            if cached is not None and cached.rows is rows:
                return cached
        index = DepartmentIndex(rows)
        with self._lock:
            self._department_index = index
        return index

    def departments(self) -> list[DepartmentSummary]:
        """Every department with its cooperative and reclaimed rows and townships counted."""
        self.require_rows()
        return self.department_index().summaries()

    def department(self, name: str) -> DepartmentView:
        """One department's rows by township: ``name`` is a key (人社) or a printed name
        (县人社局, 人力资源和社会保障局); an error when it names none or several."""
        self.require_rows()
        index = self.department_index()
        keys = index.resolve(name)
        if not keys:
            raise LibraryError(f"no department matches {name!r} (see lvzhi departments)")
        if len(keys) > 1:
            listed = ", ".join(f"{k} ({index.summary(k).label})" for k in keys[:10])
            more = f" and {len(keys) - 10} more" if len(keys) > 10 else ""
            raise LibraryError(f"{name!r} names several departments: {listed}{more}; name "
                               "one of them")
        return index.view(keys[0])

    def audit(self, township: str, peers: str = "county") -> Audit:
        """``township`` (as ``township`` takes it) audited against its peers."""
        from lvzhi.audit import audit

        self.require_rows()
        doc = self.township(township)
        matcher = self.build_matcher()

        def warnings() -> dict[str, list[str]]:
            return {item.id: list(item.warnings)
                    for item in self.store.items_of(doc.id, keep=False) if item.warnings}

        try:
            return audit(doc, self.rows, matcher, self.department_index(), warnings, peers)
        except ValueError as exc:
            raise LibraryError(str(exc)) from exc

    def coverage_workbook(self, target: Path | IO[bytes]) -> tuple[int, int]:
        """The coverage grid (matters × townships, the list each is in) as an xlsx
        workbook, to a file (whole or not at all) or a binary stream; (matters, townships)."""
        from lvzhi.export import streamed_to_file, write_grid_xlsx

        townships, grid = self.coverage()
        docs = {d.id: d for d in self.documents()}
        header = ["matter", "label", *(f"{docs[t].county}{docs[t].township}"
                                       for t in townships)]
        rows = ([m.id, m.label, *(cells[t].short if t in cells else "" for t in townships)]
                for m, cells in grid)
        widths = [14.0, 48.0, *(10.0 for _ in townships)]

        def write(out: IO[bytes]) -> int:
            return write_grid_xlsx(out, "coverage", header, rows, widths)

        if isinstance(target, Path):
            streamed_to_file(target, write)
        else:
            write(target)
        return len(grid), len(townships)
