"""Compare two townships: matters in both, only in one, and in both but in different lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from lvzhi.model import Document, Row
from lvzhi.tui.actions import ACTIONS
from lvzhi.tui.errors import guarded
from lvzhi.tui.plain import content, plain, shown
from lvzhi.tui.screens.counterparts import similarity_text
from lvzhi.tui.widgets.item_table import fit, room
from lvzhi.tui.widgets.key_bar import KeyBar
from lvzhi.tui.widgets.result_table import ResultTable

if TYPE_CHECKING:
    from lvzhi.matching import Comparison
    from lvzhi.tui.app import LvzhiApp

TABS = ("both", "only-a", "only-b", "different")
EMPTY = {"both": "None: no matter in common.",
         "only-a": "None: every matter is in both.",
         "only-b": "None: every matter is in both.",
         "different": "None: no matter changed lists."}
NAME_WIDTH = 38  # each side of a pair at 120 columns and wider
SINGLE_NAME_WIDTH = 70
# What the other columns, their padding, the frame and a scrollbar take: the names get the
# rest, so side B and 相似度 stay on a small terminal (names end in … instead).
PAIR_FIXED, SINGLE_FIXED = 38, 36


def _compare_bindings() -> list[BindingType]:
    # Priority: the tables would otherwise take left/right for their own (unused) columns.
    out: list[BindingType] = []
    for a in ACTIONS:
        if a.scope in ("picker", "compare"):
            out.append(Binding(a.keys, a.action, a.label, show=a.footer,
                               key_display=a.display, priority=a.scope == "compare"))
    return out


def _kind(item: Row) -> str:
    return item.list.short


class CompareScreen(Screen[str | None]):
    """Returns the id of an item to show on the main screen, or None."""

    BINDINGS = _compare_bindings()

    def __init__(self, doc_a: Document, doc_b: Document) -> None:
        super().__init__()
        self.doc_a = doc_a
        self.doc_b = doc_b
        self.ids: dict[str, list[str]] = {tab: [] for tab in TABS}
        self.partners: dict[str, list[str]] = {tab: [] for tab in TABS}  # B of each pair
        self.name_width, self.single_width = NAME_WIDTH, SINGLE_NAME_WIDTH  # set at mount

    def compose(self) -> ComposeResult:
        a, b = self.doc_a.township, self.doc_b.township
        with Vertical(id="compare"):
            yield Static(id="compare-head")
            with TabbedContent(id="compare-tabs"):
                with TabPane("Both", id="both"):
                    yield ResultTable(id="table-both")
                with TabPane(f"Only in {a}", id="only-a"):
                    yield ResultTable(id="table-only-a")
                with TabPane(f"Only in {b}", id="only-b"):
                    yield ResultTable(id="table-only-b")
                with TabPane("Different lists", id="different"):
                    yield ResultTable(id="table-different")
        yield KeyBar()

    def on_mount(self) -> None:
        a, b = self.doc_a, self.doc_b
        self.query_one("#compare").border_title = content(
            f"Compare {a.township} ⟷ {b.township}")
        head = Text()
        head.append(f"A  {shown(a.place)}", style="bold")
        head.append(f"   {shown(a.source)}\n", style="dim")
        head.append(f"B  {shown(b.place)}", style="bold")
        head.append(f"   {shown(b.source)}\n", style="dim")
        head.append("Matching…", style="dim")
        self.query_one("#compare-head", Static).update(head)
        width = self.app.size.width
        self.name_width = room((width - PAIR_FIXED) // 2, 10, NAME_WIDTH)
        self.single_width = room(width - SINGLE_FIXED, 16, SINGLE_NAME_WIDTH)
        for tab in ("both", "different"):
            table = self.query_one(f"#table-{tab}", DataTable)
            table.add_column("A", width=2)
            table.add_column("序号", width=4)
            table.add_column(plain(f"{a.township} 事项名称"), width=self.name_width)
            table.add_column("B", width=2)
            table.add_column("序号", width=4)
            table.add_column(plain(f"{b.township} 事项名称"), width=self.name_width)
            table.add_column("相似度", width=6)
        for tab in ("only-a", "only-b"):
            table = self.query_one(f"#table-{tab}", DataTable)
            table.add_column("清单", width=4)
            table.add_column("序号", width=4)
            table.add_column("事项类别", width=14)
            table.add_column("事项名称", width=self.single_width)
        self.query_one("#table-both", DataTable).focus()
        self._compare()

    @work(thread=True, exclusive=True)
    @guarded("Compare failed")
    def _compare(self) -> None:
        app: LvzhiApp = self.app  # type: ignore[assignment]
        comparison = app.compare(self.doc_a.id, self.doc_b.id)
        if comparison is not None and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, comparison)

    def _show(self, comparison: Comparison) -> None:
        a, b = self.doc_a.township, self.doc_b.township
        self._fill_pairs("both", comparison.both)
        self._fill_pairs("different", comparison.different_lists)
        self._fill_single("only-a", comparison.only_a)
        self._fill_single("only-b", comparison.only_b)
        tabs = self.query_one(TabbedContent)
        counts = {"both": len(comparison.both), "only-a": len(comparison.only_a),
                  "only-b": len(comparison.only_b),
                  "different": len(comparison.different_lists)}
        titles = {"both": "Both", "only-a": f"Only in {a}", "only-b": f"Only in {b}",
                  "different": "Different lists"}
        for tab in TABS:
            tabs.get_tab(tab).label = content(f"{titles[tab]} {counts[tab]}")
        head = self.query_one("#compare-head", Static)
        text = Text()
        text.append(f"A  {shown(self.doc_a.place)}", style="bold")
        text.append(f"   {shown(self.doc_a.source)}\n", style="dim")
        text.append(f"B  {shown(self.doc_b.place)}", style="bold")
        text.append(f"   {shown(self.doc_b.source)}\n", style="dim")
        text.append(f"{counts['both']} matters in both (same list), "
                    f"{counts['different']} in both but in different lists, "
                    f"{counts['only-a']} only in {shown(a)}, {counts['only-b']} only in "
                    f"{shown(b)}.")
        head.update(text)

    def _fill_pairs(self, tab: str, pairs: list[tuple[Row, Row, float]]) -> None:
        table = self.query_one(f"#table-{tab}", DataTable)
        table.clear()
        self.ids[tab] = []
        self.partners[tab] = []
        for item_a, item_b, score in pairs:
            table.add_row(_kind(item_a), str(item_a.serial),
                          plain(fit(item_a.name, self.name_width)), _kind(item_b),
                          str(item_b.serial), plain(fit(item_b.name, self.name_width)),
                          similarity_text(score))
            self.ids[tab].append(item_a.id)
            self.partners[tab].append(item_b.id)
        if not pairs:
            table.add_row("", "", Text(EMPTY[tab], style="dim"), "", "", "", "")

    def _fill_single(self, tab: str, items: list[Row]) -> None:
        table = self.query_one(f"#table-{tab}", DataTable)
        table.clear()
        self.ids[tab] = []
        for item in items:
            table.add_row(_kind(item), str(item.serial), plain(fit(item.category, 14)),
                          plain(fit(item.name, self.single_width)))
            self.ids[tab].append(item.id)
        if not items:
            table.add_row("", "", "", Text(EMPTY[tab], style="dim"))

    # -- keys ------------------------------------------------------------------------------

    def _switch(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        at = TABS.index(tabs.active) if tabs.active in TABS else 0
        tabs.active = TABS[(at + step) % len(TABS)]
        self.query_one(f"#table-{tabs.active}", DataTable).focus()

    def action_next_tab(self) -> None:
        self._switch(1)

    def action_previous_tab(self) -> None:
        self._switch(-1)

    @on(TabbedContent.TabActivated)
    def tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.query_one(f"#table-{event.pane.id}", DataTable).focus()

    @on(DataTable.RowSelected)
    def action_choose(self) -> None:
        tab = self.query_one(TabbedContent).active
        table = self.query_one(f"#table-{tab}", DataTable)
        ids = self.ids.get(tab, [])
        if ids and 0 <= table.cursor_row < len(ids):
            self.dismiss(ids[table.cursor_row])

    def _mark(self, same: bool) -> None:
        """Mark the highlighted pair; on a tab of one township's items there is no pair."""
        tab = self.query_one(TabbedContent).active
        table = self.query_one(f"#table-{tab}", DataTable)
        partners = self.partners.get(tab, [])
        if not partners or not 0 <= table.cursor_row < len(partners):
            self.notify("Mark a pair on the Both or Different lists tab.", timeout=4)
            return
        app: LvzhiApp = self.app  # type: ignore[assignment]
        if app.correct(self.ids[tab][table.cursor_row], partners[table.cursor_row], same):
            self._compare()

    def action_mark_same(self) -> None:
        self._mark(True)

    def action_mark_different(self) -> None:
        self._mark(False)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
