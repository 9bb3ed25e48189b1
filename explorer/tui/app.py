"""The lvzhi explorer: ``lvzhi`` with no sub-command.

The first screen comes up at once, empty; a worker reads the store (ingesting the bundled
samples on the very first start, with a progress bar), then another builds the search index and
the matcher. Until they are ready, search falls back to exact text and counterparts to a plain
name search, so nothing ever waits on an index.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import get_current_worker

from lvzhi.ingest import Extraction, IngestError, IngestResult
from lvzhi.library import Library, LibraryError
from lvzhi.model import Item, Row, counts_label
from lvzhi.plugins import PluginError, Registry, load_plugins
from lvzhi.store import StoreError
from lvzhi.tui.actions import bindings
from lvzhi.tui.catalog import Catalog
from lvzhi.tui.commands import (
    REPLACED_SYSTEM_COMMANDS,
    PinyinCommands,
    TownshipCommands,
    app_commands,
)
from lvzhi.tui.errors import guarded
from lvzhi.tui.messages import (
    CatalogChanged,
    CatalogLoaded,
    DocumentsIngested,
    IndexesBuilt,
    IngestCounted,
    IngestFileRead,
    IngestFinished,
    IngestStarted,
    SearchReady,
    ShowItem,
    ShowTownship,
    ViewShown,
    Waiting,
    WorkStatus,
)
from lvzhi.tui.plain import shown
from lvzhi.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from lvzhi.audit import Audit
    from lvzhi.matching import Comparison, Matcher
    from lvzhi.search import SearchIndex

# How many failures one notification lists before it says "and N more".
FAILURES_SHOWN = 3


def settle_heap() -> None:
    """Exempt what is loaded now from garbage collection.

    A province is millions of long-lived objects; every full collection would walk them all
    and freeze the screen for a second in the middle of typing. Items hold no reference
    cycles, so a replaced catalog is still freed (by reference counting).
    """
    gc.freeze()


class LvzhiApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "lvzhi 履职"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {TownshipCommands, PinyinCommands}
    # Wide terminals get the detail pane beside the table, narrow ones a slimmer tree; short
    # ones a one-line search bar (see app.tcss). The ignores: Textual declares these
    # ``ClassVar[...] | None``, which mypy reads as instance variables.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [  # type: ignore[misc]
        (0, "-narrow"), (100, "-normal"), (150, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [  # type: ignore[misc]
        (0, "-short"), (30, "-tall")]

    def __init__(self, store_path: Path | str, plugin_dirs: Iterable[Path] = (),
                 samples_dir: Path | None = None) -> None:
        super().__init__()
        self.store_path = Path(store_path)
        self.plugin_dirs = list(plugin_dirs)
        self.samples_dir = samples_dir
        # The store, its rows and indexes: what search, counterparts, compare and export ask.
        self.library = Library(self.store_path)
        self.catalog = Catalog()
        self.search_index: SearchIndex | None = None
        self.matcher: Matcher | None = None
        self._matcher_ready = threading.Event()
        self._unindexed: Catalog | None = None  # loaded, indexes not started yet
        self.ingesting = False
        self.main = MainScreen()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification is plain text, whoever sends it: messages carry file names,
        township names and plugin errors, which are never markup (``markup`` is ignored)
        and never reach the terminal with a control character in them."""
        super().notify(shown(message, newlines=True), title=shown(title), severity=severity,
                       timeout=timeout, markup=False)

    @property
    def indexes_ready(self) -> bool:
        """The store is loaded and its search index and matcher are built."""
        return self._matcher_ready.is_set()

    @property
    def search_engine(self) -> Library | None:
        """What searches the catalog: the library, once its index is built for it (before,
        the screen matches exact text)."""
        return self.library if self.search_index is not None else None

    def on_mount(self) -> None:
        self.push_screen(self.main)
        self.load_store(ingest_samples=True)

    # -- loading ---------------------------------------------------------------------------

    def _load_registry(self) -> Registry:
        registry = load_plugins(self.plugin_dirs)
        for failure in registry.failures:
            self.call_from_thread(self.notify, failure.error, title=f"Plugin {failure.plugin} "
                                  "failed to load", severity="warning", timeout=10)
        return registry

    @work(thread=True, exclusive=True, group="store")
    @guarded("Cannot read the store")
    def load_store(self, ingest_samples: bool = False) -> None:
        library = self.library
        try:
            library.refresh()
            if ingest_samples and library.store.is_empty() and self._has_samples():
                self._run_ingest([self.samples_dir],  # type: ignore[list-item]
                                 "First start: reading the bundled sample lists")
            catalog = self._catalog()
        except (StoreError, PluginError) as exc:
            self.call_from_thread(self.notify, str(exc), title="Cannot open the store",
                                  severity="error", timeout=30)
            catalog = Catalog()
        self.post_message(CatalogLoaded(catalog))

    def _has_samples(self) -> bool:
        return self.samples_dir is not None and self.samples_dir.is_dir() and any(
            self.samples_dir.iterdir())

    def _catalog(self) -> Catalog:
        """The library's rows as the explorer browses them (the very same table)."""
        rows, digest = self.library.loaded()
        catalog = Catalog(rows, store=self.library.store)
        catalog.digest = digest
        return catalog

    def _run_ingest(self, paths: list[Path], title: str) -> IngestResult:
        """Ingest in the current worker thread; its progress goes to the main screen as
        messages."""
        tell = self.main.post_message
        tell(IngestStarted(title))
        tell(Waiting(f"{title}…"))

        def progress(path: Path, outcome: Extraction | IngestError) -> None:
            tell(IngestFileRead(path.name, isinstance(outcome, Extraction)))

        def on_files(count: int) -> None:
            tell(IngestCounted(count))

        try:
            result = self.library.ingest(paths, self._load_registry(),
                                         plugin_dirs=self.plugin_dirs, progress=progress,
                                         on_files=on_files)
        finally:
            tell(IngestFinished())
        self.post_message(DocumentsIngested(result))
        return result

    @on(CatalogLoaded)
    def catalog_loaded(self, event: CatalogLoaded) -> None:
        self.catalog = event.catalog
        settle_heap()
        self.search_index = None
        self.matcher = None
        self._matcher_ready.clear()
        self._unindexed = self.catalog if len(self.catalog) else None
        if self._unindexed is None:
            self._matcher_ready.set()  # nothing to match: never keep a compare waiting
        self.main.post_message(CatalogChanged())

    @on(ViewShown)
    def view_shown(self) -> None:
        """The main screen painted rows: now build the indexes of a newly loaded catalog
        (started earlier, their thread would compete with the first screen)."""
        if self._unindexed is not None and self._unindexed is self.catalog:
            self.build_indexes(self._unindexed)
        self._unindexed = None

    @work(thread=True, exclusive=True, group="index")
    @guarded("Indexing failed")
    def build_indexes(self, catalog: Catalog) -> None:
        def status(text: str) -> None:
            self.main.post_message(WorkStatus(text))

        started = time.perf_counter()
        try:
            if catalog.rows is not self.library.rows:
                return  # the store changed since: its own catalog is on its way
            status("indexing for search…")
            # The store's SQLite index, brought up to date (shared with the command line):
            # a restart opens it; a keystroke reads only what its query touches.
            index = self.library.build_search_index()
            if get_current_worker().is_cancelled:
                return
            self.call_from_thread(self._index_ready, catalog, index)
            # pinyin's dictionaries (a third of a second), loaded here rather than on the
            # first homophone lookup, which waits for this import if it comes first; then
            # exempted from garbage collection, or a full collection walks their millions
            # of objects on a keystroke while the matcher is being built.
            index.warm()
            self.call_from_thread(settle_heap)
            status("matching townships…")
            matcher = self.library.build_matcher()
            if get_current_worker().is_cancelled:
                return
            self.call_from_thread(self._matcher_built, catalog, matcher)
            self.log.info(f"indexes built in {time.perf_counter() - started:.2f} s")
        finally:
            # Whatever happened, nobody waits for this catalog's matcher any longer.
            self.call_from_thread(self._indexing_finished, catalog)

    def _index_ready(self, catalog: Catalog, index: SearchIndex) -> None:
        if catalog is self.catalog:
            self.search_index = index
            self.main.post_message(SearchReady())

    def _matcher_built(self, catalog: Catalog, matcher: Matcher) -> None:
        if catalog is self.catalog:
            self.matcher = matcher

    def _indexing_finished(self, catalog: Catalog) -> None:
        if catalog is self.catalog:
            settle_heap()
            self._matcher_ready.set()
            self.main.post_message(IndexesBuilt(len(catalog.documents), len(catalog),
                                                self.matcher is not None))

    @on(DocumentsIngested)
    def documents_ingested(self, event: DocumentsIngested) -> None:
        result = event.result
        if result.done:
            lines = [f"{e.document.township or e.path.name} {counts_label(e.document.lists)}"
                     + ("" if e.status != "unchanged" else " (unchanged)") for e in result.done]
            self.notify("\n".join(lines[:8]) + (f"\n… and {len(lines) - 8} more"
                                                if len(lines) > 8 else ""),
                        title=f"Read {len(result.done)} file(s)", timeout=6)
        if result.failed:
            listed = "\n".join(str(f) for f in result.failed[:FAILURES_SHOWN])
            more = len(result.failed) - FAILURES_SHOWN
            self.notify(listed + (f"\n… and {more} more" if more > 0 else ""),
                        title=f"{len(result.failed)} file(s) could not be read",
                        severity="error", timeout=20)
        if not result.done and not result.failed:
            self.notify("No files of a known format there.", severity="warning")

    def ingest_paths(self, paths: list[Path]) -> None:
        if self.ingesting:
            self.notify("An ingest is already running.", severity="warning")
            return
        self._ingest(paths)

    @work(thread=True, group="ingest")
    @guarded("Ingest failed")
    def _ingest(self, paths: list[Path]) -> None:
        self.ingesting = True
        try:
            result = self._run_ingest(paths, f"Reading {', '.join(p.name for p in paths)}")
            if result.done:
                self.post_message(CatalogLoaded(self._catalog()))
        except (StoreError, PluginError) as exc:
            self.call_from_thread(self.notify, str(exc), title="Ingest failed",
                                  severity="error", timeout=20)
        finally:
            self.ingesting = False

    # -- what screens ask for --------------------------------------------------------------

    def counterparts(self, item: Row) -> tuple[list[tuple[Row, float, str]], str]:
        """The item's counterparts (called in a worker), each with why it was joined: the
        matcher's, or a name search while it is being built (``Library.counterparts``)."""
        found, note = self.library.counterparts(item, build=False)
        return [(c.item, c.score, c.why) for c in found], note

    def correct(self, a_id: str, b_id: str, same: bool) -> bool:
        """Keep a person's judgement on two items (one matter or not) and apply it to the
        matches at once; False (and a notification) when it cannot be done now."""
        if self.matcher is None or self.ingesting:
            self.notify("Matching is not ready (being built, or an ingest is running): try "
                        "again in a moment.", title="Not now", severity="warning")
            return False
        try:
            a, b = self.library.correct(a_id, b_id, same)
        except (StoreError, LibraryError, ValueError, OSError) as exc:
            self.notify(str(exc), title="Correction not kept", severity="error", timeout=15)
            return False
        self.notify(f"{a.township} {a.list.short}{a.serial} and {b.township} "
                    f"{b.list.short}{b.serial}: " + ("one matter" if same else "different "
                                                     "matters"), title="Kept", timeout=4)
        return True

    def _matcher_awaited(self, failing: str) -> bool:
        """Wait (in a worker) until the matcher is built; False if the worker was cancelled
        meanwhile. ``failing`` says what cannot be done if building it failed."""
        worker = get_current_worker()
        while not self._matcher_ready.wait(0.2):
            if worker.is_cancelled:
                return False
        if self.matcher is None:
            raise RuntimeError(f"{failing}: building the matcher failed")
        return True

    def compare(self, doc_a: str, doc_b: str) -> Comparison | None:
        """Compare two townships (called in a worker); waits for the matcher if needed."""
        if not self._matcher_awaited("townships cannot be compared"):
            return None
        return self.library.compare(doc_a, doc_b)[2]

    def _whole(self, item: Row) -> Item | None:
        """The whole item of a row, or None (and a notification) if it cannot be read."""
        try:
            return self.catalog.full(item)
        except (StoreError, LookupError) as exc:
            self.notify(str(exc), title="Cannot read the item", severity="error", timeout=15)
            return None

    def open_item(self, item: Row) -> None:
        from lvzhi.tui.screens.item import ItemScreen

        if whole := self._whole(item):
            self.push_screen(ItemScreen(item, whole))

    def show_counterparts(self, item: Row) -> None:
        from lvzhi.tui.screens.counterparts import CounterpartsScreen

        self.push_screen(CounterpartsScreen(item), self._jump)

    def show_source(self, item: Row) -> None:
        from lvzhi.tui.screens.source import SourceScreen

        if whole := self._whole(item):
            self.push_screen(SourceScreen(whole, self.catalog.document(item.doc_id)))

    def choose_compare(self, doc_a: str) -> None:
        from lvzhi.tui.screens.picker import PickerScreen, township_choices

        first = self.catalog.document(doc_a)
        if first is None:
            return

        def chosen(doc_b: str | None) -> None:
            second = self.catalog.document(doc_b) if doc_b else None
            if second is not None:
                from lvzhi.tui.screens.compare import CompareScreen

                self.push_screen(CompareScreen(first, second), self._jump)

        self.push_screen(PickerScreen(f"Compare {first.township} with…",
                                      township_choices(self.catalog, exclude=doc_a)), chosen)

    def show_versions_diff(self, doc_id: str) -> None:
        """What changed between the township's previous and current versions."""
        from lvzhi.tui.screens.versions import VersionsDiffScreen

        doc = self.catalog.document(doc_id)
        if doc is None:
            return
        try:
            versions = self.library.versions(doc_id)
        except (LibraryError, StoreError) as exc:
            self.notify(str(exc), title="No versions", severity="warning", timeout=8)
            return
        if len(versions) < 2:
            self.notify(f"{doc.township or doc.source} has one version: a newer document of "
                        "the same place, once ingested, becomes its next version.",
                        title="Nothing to compare", timeout=6)
            return
        if len(versions) == 2:
            self.push_screen(VersionsDiffScreen(doc), self._jump)
            return
        from lvzhi.tui.screens.picker import PickerScreen, version_choices

        def chosen(old: str | None) -> None:
            if old:
                self.push_screen(VersionsDiffScreen(doc, old), self._jump)

        self.push_screen(PickerScreen(f"Compare {doc.township} (current) with…",
                                      version_choices(versions)), chosen)

    def _jump(self, item_id: str | None) -> None:
        if item_id:
            self.main.pop_until_active()
            self.main.post_message(ShowItem(item_id))

    def switch_township(self, doc_id: str) -> None:
        self.main.pop_until_active()
        self.main.post_message(ShowTownship(doc_id))

    def run_on_main(self, action: str) -> Any:
        """Palette commands act on the main screen, whatever screen the palette was opened on
        (the screens above it are popped first: Textual pops them later, so the action runs
        after them, or it would open its screen under the pops)."""
        if self.screen is self.main:
            return self.main.run_action(action)
        self.main.pop_until_active()
        self.call_later(self.main.run_action, action)
        return None

    def export_view(self, rows: list[Row], place: str, fmt: str) -> None:
        from lvzhi.tui.screens.export import ExportScreen

        safe = "".join(c for c in place if c.isalnum()) or "view"
        default = Path.cwd() / f"lvzhi-{safe}-{date.today():%Y%m%d}.{fmt}"

        def chosen(answer: tuple[Path, str] | None) -> None:
            if answer is not None:
                self._export(rows, *answer)

        self.push_screen(ExportScreen(default, len(rows)), chosen)

    @work(thread=True, group="export")
    @guarded("Export failed")
    def _export(self, rows: list[Row], path: Path, fmt: str) -> None:
        try:
            self.library.export(fmt, path, items=rows)
        except OSError as exc:
            self.call_from_thread(self.notify, f"{path}: {exc.strerror or exc}",
                                  title="Export failed", severity="error", timeout=15)
            return
        self.call_from_thread(self.notify, f"{len(rows):,} rows to {path}", title="Exported")

    # -- departments and audits -------------------------------------------------------------

    def show_departments(self) -> None:
        from lvzhi.tui.screens.departments import DepartmentsScreen

        self.push_screen(DepartmentsScreen(), self._jump)

    def show_audit(self, doc_id: str) -> None:
        from lvzhi.tui.screens.audit import AuditScreen

        if (document := self.catalog.document(doc_id)) is not None:
            self.push_screen(AuditScreen(document), self._jump)

    def audit(self, doc_id: str, scope: str) -> Audit | None:
        """Audit a township (called in a worker); waits for the matcher if needed."""
        if not self._matcher_awaited("the township cannot be audited"):
            return None
        return self.library.audit(doc_id, scope)

    # -- keys ------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from app_commands(self)
        for command in super().get_system_commands(screen):
            if command.title not in REPLACED_SYSTEM_COMMANDS:
                yield command

    def action_show_help(self) -> None:
        from lvzhi.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.exit(0)


def run(store_path: Path | str, plugin_dirs: Iterable[Path] = (),
        samples_dir: Path | None = None) -> int:
    """Open the explorer on ``store_path``; returns the exit status."""
    app = LvzhiApp(store_path, plugin_dirs, samples_dir)
    app.run()
    return app.return_code or 0
