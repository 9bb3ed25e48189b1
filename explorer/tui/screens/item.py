"""The item screen (enter on an item): every field, the full width of the terminal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen

from lvzhi.model import Item, Row
from lvzhi.tui.actions import bindings
from lvzhi.tui.plain import content
from lvzhi.tui.widgets.detail_pane import DetailPane
from lvzhi.tui.widgets.key_bar import KeyBar


class ItemScreen(Screen[None]):
    BINDINGS = bindings("item")

    def __init__(self, item: Row, whole: Item) -> None:
        super().__init__()
        self.item = item
        self.whole = whole

    def compose(self) -> ComposeResult:
        yield DetailPane(id="item-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        pane = self.query_one(DetailPane)
        pane.border_title = content(
            f"{self.item.township} · {self.item.list.label} {self.item.serial}")
        pane.resolve = lambda _row: self.whole
        pane.show(self.item)
        pane.focus()

    def action_show_counterparts(self) -> None:
        self.app.show_counterparts(self.item)  # type: ignore[attr-defined]

    def action_show_source(self) -> None:
        self.app.show_source(self.item)  # type: ignore[attr-defined]
