"""What changed between two versions of a township: items added, removed, moved to another
list and reworded, the changed characters highlighted. Enter shows the item on the main screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from lvzhi.library import LibraryError
from lvzhi.model import Document
from lvzhi.store import StoreError
from lvzhi.tui.actions import ACTIONS, bindings
from lvzhi.tui.errors import guarded
from lvzhi.tui.plain import content, plain, shown
from lvzhi.tui.widgets.cjk_text import FoldedText
from lvzhi.tui.widgets.item_table import fit, room
from lvzhi.tui.widgets.key_bar import KeyBar
from lvzhi.versions import (
    Change,
    Version,
    VersionDiff,
    date_label,
    diff_runs,
    field_label,
    field_texts,
)

if TYPE_CHECKING:
    from lvzhi.tui.app import LvzhiApp

KIND_STYLES = {"added": "green", "removed": "red", "moved": "yellow", "reworded": "cyan"}
DELETED = "bold red reverse"  # characters the newer version no longer has
INSERTED = "bold green reverse"  # characters the newer version added
# The kind, old and new columns, their padding, the frame and a scrollbar: the name gets
# the rest (an ellipsis where it is cut).
FIXED = 9 + 5 + 5 + 4 * 2 + 4 + 2
NAME_WIDTH = 80


def version_line(sign: str, version: Version) -> Text:
    doc = version.document
    line = Text()
    line.append(f"{sign} ", style="bold red" if sign == "−" else "bold green")
    line.append(f"version {version.number}" + (" (current)" if version.current else ""),
                style="bold")
    line.append(f"  {shown(doc.source)}")
    line.append(f"  {date_label(version.dated) or 'undated'} · ingested "
                f"{doc.ingested_at[:16].replace('T', ' ')}", style="dim")
    return line


def where(change: Change) -> str:
    return " → ".join(f"{i.list.short}{i.serial}" for i in (change.old, change.new) if i)


def spans(runs: list[tuple[str, bool]]) -> list[tuple[int, int]]:
    """Where the changed runs stand in the text the runs make up."""
    out, at = [], 0
    for part, changed in runs:
        if changed:
            out.append((at, at + len(part)))
        at += len(part)
    return out


def _sides() -> Table:
    """A − / + column and the text, folded the way Chinese is (``FoldedText``)."""
    grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    return grid


def change_detail(change: Change) -> Group:
    """Every changed field of a change, old over new, the changed characters highlighted;
    an added or removed item whole."""
    head = Text()  # a base style would apply to every piece: each is styled alone
    head.append(f"{where(change)}  ", style="bold")
    head.append(change.kind, style=f"bold {KIND_STYLES[change.kind]}")
    parts: list[RenderableType] = [head]
    if change.kind in ("added", "removed"):
        sign, style = ("+", "green") if change.kind == "added" else ("−", "red")
        for name, value in field_texts(change.item).items():
            if value:
                parts.append(Text(field_label(name), style="dim"))
                grid = _sides()
                grid.add_row(Text(sign, style=f"bold {style}"), FoldedText(value, style))
                parts.append(grid)
        return Group(*parts)
    if change.kind == "moved" and change.old and change.new:
        parts.append(Text(f"{change.old.list.label} → {change.new.list.label}",
                          style="yellow"))
    if not change.fields:
        parts.append(Text("the text is unchanged", style="dim"))
    for field in change.fields:
        before, after = diff_runs(field)
        parts.append(Text(field.label, style="dim"))
        grid = _sides()
        grid.add_row(Text("−", style="bold red"),
                     FoldedText(field.old, "", spans(before), DELETED) if field.old
                     else Text("(empty)", style="dim"))
        grid.add_row(Text("+", style="bold green"),
                     FoldedText(field.new, "", spans(after), INSERTED) if field.new
                     else Text("(empty)", style="dim"))
        parts.append(grid)
    return Group(*parts)


def _table_bindings() -> list[BindingType]:
    """The results table's keys without marking pairs (a diff has none to mark)."""
    return [Binding(a.keys, a.action, a.label, show=a.footer, key_display=a.display)
            for a in ACTIONS if a.scope == "results" and not a.action.startswith("screen.")]


class DiffTable(DataTable[object]):
    """The changes, one a row."""

    BINDINGS = _table_bindings()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)


class VersionsDiffScreen(Screen[str | None]):
    """An older version of a township (the previous one unless told) against its current
    one. Returns the id of an item to show on the main screen, or None."""

    BINDINGS = bindings("diff")

    def __init__(self, doc: Document, old: str | None = None) -> None:
        """``doc`` is the township's current version; ``old`` the id of the version to
        compare it with (default: the one before it)."""
        super().__init__()
        self.doc = doc
        self.old = old
        self.diff: VersionDiff | None = None
        self.name_width = NAME_WIDTH

    def compose(self) -> ComposeResult:
        with Vertical(id="diff"):
            yield Static(Text("Comparing the versions…", style="dim"), id="diff-head")
            yield DiffTable(id="diff-table")
            with VerticalScroll(id="diff-detail"):
                yield Static(id="diff-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#diff").border_title = content(
            f"Versions of {self.doc.township or self.doc.source}")
        self.query_one("#diff-detail").border_title = "What changed"
        self.name_width = room(self.app.size.width - FIXED, 12, NAME_WIDTH)
        table = self.query_one(DataTable)
        table.add_column("change", width=9)
        table.add_column("old", width=5)
        table.add_column("new", width=5)
        table.add_column("事项名称", width=self.name_width)
        table.focus()
        self._compute()

    @work(thread=True, exclusive=True)
    @guarded("Diff failed")
    def _compute(self) -> None:
        app: LvzhiApp = self.app  # type: ignore[assignment]
        try:
            diff = app.library.diff(self.doc.id, self.old,
                                    None if self.old is None else self.doc.id)
        except (LibraryError, StoreError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, diff)

    def _failed(self, message: str) -> None:
        self.notify(message, title="No diff", severity="warning", timeout=8)
        self.dismiss(None)

    def _show(self, diff: VersionDiff) -> None:
        self.diff = diff
        head = version_line("−", diff.old)
        head.append("\n")
        head.append_text(version_line("+", diff.new))
        head.append(f"\n{diff.summary()}")
        self.query_one("#diff-head", Static).update(head)
        table = self.query_one(DataTable)
        table.clear()
        for change in diff.changes:
            table.add_row(Text(change.kind, style=KIND_STYLES[change.kind]),
                          f"{change.old.list.short}{change.old.serial}" if change.old else "",
                          f"{change.new.list.short}{change.new.serial}" if change.new else "",
                          plain(fit(change.item.name, self.name_width)))
        if not diff.changes:
            table.add_row("", "", "", Text("None: the two versions list the same items.",
                                           style="dim"))
        self._explain(table.cursor_row)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain(event.cursor_row)

    def _explain(self, row: int) -> None:
        changes = self.diff.changes if self.diff else []
        detail = change_detail(changes[row]) if 0 <= row < len(changes) else Text("")
        self.query_one("#diff-text", Static).update(detail)

    @on(DataTable.RowSelected)
    def action_choose(self) -> None:
        changes = self.diff.changes if self.diff else []
        row = self.query_one(DataTable).cursor_row
        if not 0 <= row < len(changes):
            return
        change = changes[row]
        if change.new is None or not self.diff or not self.diff.new.current:
            self.notify("That item is only in an older version.", timeout=4)
            return
        self.dismiss(change.new.id)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
