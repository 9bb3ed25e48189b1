"""The main screen: search bar, township tree, items table, detail pane, status bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input
from textual.widgets.tree import TreeNode, UnknownNodeID
from textual.worker import get_current_worker

from lvzhi.model import ListKind, Row
from lvzhi.tui.actions import bindings
from lvzhi.tui.catalog import ALL_KINDS, Catalog, View, ViewFilter
from lvzhi.tui.errors import guarded
from lvzhi.tui.messages import (
    CatalogChanged,
    IndexesBuilt,
    IngestCounted,
    IngestFileRead,
    IngestFinished,
    IngestStarted,
    ItemHighlighted,
    ItemOpened,
    SearchReady,
    ShowItem,
    ShowTownship,
    TownshipSelected,
    ViewShown,
    Waiting,
    WorkStatus,
)
from lvzhi.tui.widgets.detail_pane import DetailPane
from lvzhi.tui.widgets.ingest_panel import IngestPanel
from lvzhi.tui.widgets.item_table import ItemTable
from lvzhi.tui.widgets.key_bar import KeyBar
from lvzhi.tui.widgets.search_bar import SearchBar
from lvzhi.tui.widgets.status_bar import StatusBar
from lvzhi.tui.widgets.township_tree import TownshipTree

if TYPE_CHECKING:
    from lvzhi.tui.app import LvzhiApp

# The detail pane follows the cursor once it rests this long (see DetailPane).
DETAIL_DELAY_S = 0.05
TYPING_DETAIL_DELAY_S = 0.3

EMPTY_STORE = ("The store is empty: press i to read a file or folder "
               "(or run: lvzhi ingest PATH).")


class MainScreen(Screen[None]):
    BINDINGS = bindings("main")

    def __init__(self) -> None:
        super().__init__()
        self.filter = ViewFilter()
        self.place = "全部"
        self.view = View(rows=[])
        self._shown: ViewFilter | None = None  # the filter of the rows on screen
        self._keep: str | None = None  # item to put the cursor on when the next view lands
        # A new query puts the cursor on its best hit, not on the item viewed before it.
        self._to_best_hit = False
        # The township the tree showed before ``/`` widened the search to 全部; escape that
        # clears the search goes back to it.
        self._scope_before_search: str | None = None
        # Where jump_to came from (a counterpart or compare row followed): escape goes back.
        self._came_from: list[tuple[ViewFilter, str, str, str | None, TreeNode[Any] | None]] = []

    @property
    def lvzhi(self) -> LvzhiApp:
        return self.app  # type: ignore[return-value]

    @property
    def catalog(self) -> Catalog:
        return self.lvzhi.catalog

    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        yield IngestPanel(id="ingest")
        with Horizontal(id="body"):
            yield TownshipTree(id="tree")
            with Vertical(id="panes"):
                table = ItemTable(id="items")
                table.empty_message = "Loading the store…"
                yield table
                yield DetailPane(id="detail", delay=DETAIL_DELAY_S)
        yield StatusBar(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#tree").border_title = "Townships"
        self.query_one("#items").border_title = "Items"
        detail = self.query_one(DetailPane)
        detail.border_title = "Detail"
        detail.resolve = lambda row: self.catalog.full(row)
        self.query_one(ItemTable).focus()

    # -- what the app and its workers say --------------------------------------------------

    @on(CatalogChanged)
    def catalog_changed(self) -> None:
        """The app loaded (or reloaded) the store: rebuild the tree and the table."""
        catalog = self.catalog
        tree = self.query_one(TownshipTree)
        tree.load(catalog.documents)
        table = self.query_one(ItemTable)
        table.empty_message = EMPTY_STORE if not catalog.documents else "No items match."
        known = {d.id for d in catalog.documents}
        if self.filter.doc_ids is not None and not self.filter.doc_ids <= known:
            self.filter = ViewFilter(kinds=self.filter.kinds, query=self.filter.query)
        self.refresh_view(force=True)

    @on(Waiting)
    def show_waiting(self, event: Waiting) -> None:
        """What the table says while it has nothing to show yet."""
        table = self.query_one(ItemTable)
        if not table.rows:
            table.empty_message = event.text
            table.refresh()

    @on(WorkStatus)
    def status_work(self, event: WorkStatus) -> None:
        self.query_one(StatusBar).show_work(event.text)

    @on(SearchReady)
    def search_ready(self) -> None:
        """Redo a search typed while the index was building: it is ranked now."""
        if self.filter.query.strip():
            self.refresh_view(force=True)

    @on(IndexesBuilt)
    def indexes_built(self, event: IndexesBuilt) -> None:
        self.query_one(StatusBar).show_work(
            f"{event.townships:,} townships · {event.items:,} items"
            + ("" if event.matching else " · matching unavailable"))

    @on(IngestStarted)
    def ingest_started(self, event: IngestStarted) -> None:
        self.query_one(IngestPanel).start(event.title)

    @on(IngestCounted)
    def ingest_counted(self, event: IngestCounted) -> None:
        self.query_one(IngestPanel).set_total(event.files)

    @on(IngestFileRead)
    def ingest_file_read(self, event: IngestFileRead) -> None:
        self.query_one(IngestPanel).advance(event.name, event.ok)

    @on(IngestFinished)
    def ingest_finished(self) -> None:
        self.query_one(IngestPanel).finish()

    @on(ShowTownship)
    def township_asked(self, event: ShowTownship) -> None:
        self.switch_to(event.doc_id)

    @on(ShowItem)
    def item_asked(self, event: ShowItem) -> None:
        self.jump_to(event.item_id)

    def switch_to(self, doc_id: str) -> None:
        self.query_one(TownshipTree).select_document(doc_id)
        self.query_one(ItemTable).focus()

    # -- the view --------------------------------------------------------------------------

    def set_filter(self, flt: ViewFilter, *, keep: str | None = None) -> None:
        self.filter = flt
        self.refresh_view(keep=keep)

    def refresh_view(self, *, force: bool = False, keep: str | None = None) -> None:
        if keep is not None:
            self._keep = keep
        if not force and self.filter == self._shown:
            if self._keep is not None and self.query_one(ItemTable).move_to(self._keep):
                self._keep = None
            return
        self._compute_view(self.filter)

    @work(thread=True, exclusive=True, group="view")
    @guarded("Search failed")
    def _compute_view(self, flt: ViewFilter) -> None:
        """Filter or search off the UI thread; only the latest request is shown."""
        view = self.catalog.select(flt, self.lvzhi.search_engine)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._apply_view, flt, view)

    def _apply_view(self, flt: ViewFilter, view: View) -> None:
        if flt != self.filter:  # a newer request is on its way
            return
        table = self.query_one(ItemTable)
        keep = self._keep or (None if self._to_best_hit or not table.current
                              else table.current.id)
        self._keep, self._to_best_hit = None, False
        self.view = view
        self._shown = flt
        several = flt.doc_ids is None or len(flt.doc_ids) > 1
        table.show(view, show_township=several and len(self.catalog.documents) > 1, keep=keep)
        self.query_one(StatusBar).show_view(view, flt, self.place)
        self.call_after_refresh(self.post_message, ViewShown())

    @on(TownshipSelected)
    def township_selected(self, event: TownshipSelected) -> None:
        self.place = event.label
        if event.doc_ids != self.filter.doc_ids:
            self.set_filter(ViewFilter(event.doc_ids, self.filter.kinds, self.filter.category,
                                       self.filter.query))
        else:
            self.query_one(StatusBar).show_view(self.view, self.filter, self.place)

    @on(TownshipTree.NodeSelected)
    def township_chosen(self) -> None:
        self.query_one(ItemTable).focus()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self._to_best_hit = bool(event.value.strip())
        self.set_filter(ViewFilter(self.filter.doc_ids, self.filter.kinds,
                                   self.filter.category, event.value))

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.query_one(ItemTable).focus()

    @on(ItemHighlighted)
    def item_highlighted(self, event: ItemHighlighted) -> None:
        item, view = event.item, self.query_one(ItemTable).view
        name_spans = None
        if item is not None and view.fields.get(item.id) in ("name", "pinyin"):
            name_spans = view.spans.get(item.id)
        # While a query is typed the detail waits for a pause: its re-layout would slow the
        # table, which is what the user watches then.
        typing = self.query_one(SearchBar).has_focus
        self.query_one(DetailPane).show(item, self.filter.query, name_spans,
                                        delay=TYPING_DETAIL_DELAY_S if typing else None)

    @on(ItemOpened)
    def item_opened(self, event: ItemOpened) -> None:
        self.lvzhi.open_item(event.item)

    def jump_to(self, item_id: str) -> None:
        """Show an item (from counterparts or compare): its township, its list, the cursor on it."""
        item = self.catalog.item(item_id)
        if item is None:
            self.notify("That item is no longer in the store.", severity="warning")
            return
        query = self.query_one(SearchBar)
        current = self.query_one(ItemTable).current
        self._came_from.append((self.filter, query.value, self.place,
                                current.id if current else None,
                                self.query_one(TownshipTree).cursor_node))
        with query.prevent(Input.Changed):
            query.value = ""
        self.place = item.township
        self.query_one(TownshipTree).select_document(item.doc_id)
        self.set_filter(ViewFilter(frozenset({item.doc_id}), self.filter.kinds | {item.list}),
                        keep=item.id)
        self.query_one(ItemTable).focus()

    # -- actions ---------------------------------------------------------------------------

    @property
    def current_item(self) -> Row | None:
        return self.query_one(ItemTable).current

    def action_focus_search(self) -> None:
        """``/`` searches every township: a narrower tree selection is widened to 全部 (shown
        in the tree and the status bar); escape that clears the search narrows it again."""
        search = self.query_one(SearchBar)
        if not search.value and self.filter.doc_ids is not None:
            tree = self.query_one(TownshipTree)
            node = tree.cursor_node
            self._scope_before_search = (next(iter(self.filter.doc_ids))
                                         if len(self.filter.doc_ids) == 1 and node else None)
            tree.select_all()
        search.activate()

    def go_back(self) -> bool:
        """Back to the view a followed counterpart or compare row left: the search, the
        township and the item it showed. False when there is nowhere to go back to."""
        if not self._came_from:
            return False
        flt, query, self.place, keep, node = self._came_from.pop()
        search = self.query_one(SearchBar)
        with search.prevent(Input.Changed):
            search.value = query
        tree = self.query_one(TownshipTree)
        if node is not None:
            try:  # the same node, unless the tree was rebuilt since (then stay put)
                if tree.get_node_by_id(node.id) is node:
                    tree.move_cursor(node)
            except UnknownNodeID:
                pass
        self.set_filter(flt, keep=keep)
        self.query_one(ItemTable).focus()
        return True

    def action_back(self) -> None:
        search = self.query_one(SearchBar)
        if not search.has_focus and not search.value and self.go_back():
            return
        if search.has_focus and not search.value:
            self.query_one(ItemTable).focus()
        elif search.value:
            search.value = ""  # Changed re-filters
            if self._scope_before_search is not None:
                self.query_one(TownshipTree).select_document(self._scope_before_search)
                self._scope_before_search = None
        elif self.filter.category or self.filter.kinds != ALL_KINDS:
            self.set_filter(ViewFilter(self.filter.doc_ids, query=self.filter.query))
            self.notify("Filters cleared.", timeout=2)
        elif not self.query_one(ItemTable).has_focus:
            self.query_one(ItemTable).focus()

    def action_toggle_kind(self, kind: str) -> None:
        toggled = ListKind(kind)
        kinds = self.filter.kinds ^ {toggled}
        if not kinds:
            self.notify("At least one list stays shown.", severity="warning", timeout=2)
            return
        self.set_filter(ViewFilter(self.filter.doc_ids, kinds, self.filter.category,
                                   self.filter.query))

    def action_filter_category(self) -> None:
        from lvzhi.tui.screens.picker import PickerScreen, category_choices

        choices = category_choices(self.catalog.categories(self.filter.doc_ids,
                                                           self.filter.kinds))

        def chosen(category: str | None) -> None:
            if category is None:
                return
            self.set_filter(ViewFilter(self.filter.doc_ids, self.filter.kinds,
                                       category or None, self.filter.query))

        self.app.push_screen(PickerScreen("Category (事项类别)", choices,
                                          current=self.filter.category or ""), chosen)

    def _need_item(self) -> Row | None:
        item = self.current_item
        if item is None:
            self.notify("No item highlighted.", severity="warning", timeout=2)
        return item

    def action_show_counterparts(self) -> None:
        if item := self._need_item():
            self.lvzhi.show_counterparts(item)

    def action_show_source(self) -> None:
        if item := self._need_item():
            self.lvzhi.show_source(item)

    def _township_in_view(self) -> str | None:
        """The township the user is looking at: the selected one, or the highlighted item's."""
        if self.filter.doc_ids is not None and len(self.filter.doc_ids) == 1:
            return next(iter(self.filter.doc_ids))
        item = self.current_item
        return item.doc_id if item else None

    def action_compare(self) -> None:
        doc_a = self._township_in_view()
        if doc_a is None or len(self.catalog.documents) < 2:
            self.notify("Comparing needs two townships in the store.", severity="warning")
            return
        self.lvzhi.choose_compare(doc_a)

    def action_show_departments(self) -> None:
        if not self.catalog.documents:
            self.notify("The store is empty.", severity="warning")
            return
        self.lvzhi.show_departments()

    def action_audit_township(self) -> None:
        """Audit the township in view; with none (全部, nothing highlighted) pick one."""
        from lvzhi.tui.screens.picker import PickerScreen, township_choices

        if not self.catalog.documents:
            self.notify("The store is empty.", severity="warning")
            return
        if (doc_id := self._township_in_view()) is not None:
            self.lvzhi.show_audit(doc_id)
            return

        def chosen(picked: str | None) -> None:
            if picked:
                self.lvzhi.show_audit(picked)

        self.app.push_screen(PickerScreen("Audit which township?",
                                          township_choices(self.catalog)), chosen)

    def action_switch_township(self) -> None:
        from lvzhi.tui.screens.picker import PickerScreen, township_choices

        def chosen(doc_id: str | None) -> None:
            if doc_id is None:
                return
            if doc_id:
                self.switch_to(doc_id)
            else:  # 全部
                self.query_one(TownshipTree).select_all()
                self.query_one(ItemTable).focus()

        self.app.push_screen(PickerScreen("Township", township_choices(
            self.catalog, everything=True)), chosen)

    def action_export_view(self, fmt: str = "csv") -> None:
        if not self.view.rows:
            self.notify("Nothing to export: the view is empty.", severity="warning")
            return
        self.lvzhi.export_view(list(self.view.rows), self.place, fmt)

    def action_ingest_file(self) -> None:
        from lvzhi.tui.screens.ingest import IngestScreen

        def chosen(path: str | None) -> None:
            if path:
                self.lvzhi.ingest_paths([Path(path).expanduser()])

        self.app.push_screen(IngestScreen(), chosen)

    def action_versions_diff(self) -> None:
        doc_id = self._township_in_view()
        if doc_id is None:
            self.notify("Choose a township first (t, or the tree).", severity="warning")
            return
        self.lvzhi.show_versions_diff(doc_id)
