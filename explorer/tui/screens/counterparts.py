"""Counterparts: the highlighted item's matter in every other township; enter jumps to one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from lvzhi.model import Item, Row
from lvzhi.text import safe_display
from lvzhi.tui.actions import bindings
from lvzhi.tui.errors import guarded
from lvzhi.tui.plain import plain, shown
from lvzhi.tui.widgets.item_table import fit, room
from lvzhi.tui.widgets.key_bar import KeyBar
from lvzhi.tui.widgets.result_table import ResultTable

if TYPE_CHECKING:
    from lvzhi.tui.app import LvzhiApp


MISSING_SHOWN = 8


def similarity_text(score: float) -> Text:
    style = "bold green" if score >= 90 else "green" if score >= 75 else "yellow"
    return Text(f"{score:5.1f}", style=style, justify="right")


def place_cell(item: Item, width: int) -> Text:
    return plain(fit(f"{item.county} {item.township}".strip(), width))


class CounterpartsScreen(ModalScreen[str | None]):
    """Returns the id of the counterpart chosen, or None."""

    BINDINGS = bindings("picker")

    def __init__(self, item: Row) -> None:
        super().__init__()
        self.item = item
        self.ids: list[str] = []
        self.whys: list[str] = []  # why each counterpart was joined
        self.summary = Text("")

    def compose(self) -> ComposeResult:
        with Vertical(id="counterparts", classes="dialog"):
            yield Static(id="counterparts-item")
            yield ResultTable(id="counterparts-table")
            yield Static(Text("Finding counterparts…", style="dim"), id="counterparts-note")
        yield KeyBar()

    def on_mount(self) -> None:
        box = self.query_one("#counterparts")
        box.border_title = "Counterparts"
        head = plain(f"{self.item.township} · {self.item.list.label} {self.item.serial}",
                     style="bold")
        head.append(f"\n{shown(self.item.name)}", style="")
        head.overflow = "fold"
        self.query_one("#counterparts-item", Static).update(head)
        table = self.query_one(DataTable)
        table.add_column("县市 乡镇", width=22)
        table.add_column("清单", width=4)
        table.add_column("序号", width=4)
        # The name takes what the other columns and the dialog's frame leave (112 at most).
        fixed = 22 + 4 + 4 + 6 + 5 * 2 + 4 + 2
        table.add_column("事项名称", width=room(self.app.size.width - fixed, 16, 60))
        table.add_column("相似度", width=6)
        table.focus()
        self._find()

    @work(thread=True, exclusive=True)
    @guarded("Counterparts failed")
    def _find(self) -> None:
        app: LvzhiApp = self.app  # type: ignore[assignment]
        found, note = app.counterparts(self.item)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, found, note)

    def _show(self, found: list[tuple[Item, float, str]], note: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.ids, self.whys = [], []
        for item, score, why in found:
            table.add_row(place_cell(item, 22), item.list.word, str(item.serial),
                          plain(fit(item.name, 60)), similarity_text(score))
            self.ids.append(item.id)
            self.whys.append(why)
        app: LvzhiApp = self.app  # type: ignore[assignment]
        having = {item.doc_id for item, _, _ in found}
        summary = (f"{len(found)} counterparts in {len(having)} other townships"
                   if found else "No counterpart in any other township.")
        missing = [doc.township or doc.source for doc in app.catalog.documents
                   if doc.id != self.item.doc_id and doc.id not in having]
        if found and missing:
            listed = "、".join(missing[:MISSING_SHOWN])
            more = len(missing) - MISSING_SHOWN
            summary += f" · not found in {listed}" + (f" and {more} more" if more > 0 else "")
        self.summary = plain(summary + (f" · {note}" if note else ""), style="dim",
                             overflow="fold")
        self._explain(table.cursor_row)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain(event.cursor_row)

    def _explain(self, row: int) -> None:
        """The summary, and why the highlighted counterpart was joined."""
        text = self.summary.copy()
        if 0 <= row < len(self.whys) and self.whys[row]:
            text.append("\nwhy: ", style="bold")
            text.append(safe_display(self.whys[row]))
        self.query_one("#counterparts-note", Static).update(text)

    @on(DataTable.RowSelected)
    def action_choose(self) -> None:
        table = self.query_one(DataTable)
        if self.ids and 0 <= table.cursor_row < len(self.ids):
            self.dismiss(self.ids[table.cursor_row])

    def _mark(self, same: bool) -> None:
        table = self.query_one(DataTable)
        if not self.ids or not 0 <= table.cursor_row < len(self.ids):
            return
        app: LvzhiApp = self.app  # type: ignore[assignment]
        if app.correct(self.item.id, self.ids[table.cursor_row], same):
            self._find()

    def action_mark_same(self) -> None:
        self._mark(True)

    def action_mark_different(self) -> None:
        self._mark(False)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
