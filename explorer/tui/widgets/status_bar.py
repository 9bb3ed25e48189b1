"""The status bar: rows in view and the filters that produced them, and what runs behind."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from lvzhi.model import ListKind
from lvzhi.tui.catalog import View, ViewFilter
from lvzhi.tui.plain import plain, shown


def describe_view(view: View, flt: ViewFilter, place: str) -> Text:
    """``258 rows · 托格拉克乡 · 基 配 收 · 类别 党的建设 · search 工伤``."""
    text = Text()
    count = f"{len(view.rows):,}" + ("+" if view.limited else "")
    text.append(f"{count} {'row' if count == '1' else 'rows'}", style="bold")
    text.append(f" · {shown(place)}")
    text.append(" · ")
    for n, kind in enumerate(ListKind):
        if n:
            text.append(" ")
        on = kind in flt.kinds
        text.append(kind.short, style="bold" if on else "dim strike")
    hidden = [kind.word for kind in ListKind if kind not in flt.kinds]
    if hidden:
        text.append(f" ({'、'.join(hidden)} hidden)", style="dim")
    if flt.category:
        text.append(f" · 类别 {shown(flt.category)}")
    if flt.query.strip():
        text.append(f" · search “{shown(flt.query.strip())}”")
        if view.limited:
            text.append(f" (best {len(view.rows):,})", style="dim")
        elif not view.searched:
            text.append(" (exact text; index not ready)", style="dim")
    return text


class StatusBar(Horizontal):
    """Left: the view. Right: background work (loading, indexing)."""

    def compose(self) -> ComposeResult:
        yield Static(id="status-view")
        yield Static(id="status-work")

    def show_view(self, view: View, flt: ViewFilter, place: str) -> None:
        # Its size never depends on the text: no layout pass per keystroke.
        self.query_one("#status-view", Static).update(describe_view(view, flt, place),
                                                      layout=False)

    def show_work(self, message: str) -> None:
        self.query_one("#status-work", Static).update(plain(message, style="dim"))
