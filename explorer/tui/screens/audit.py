"""The audit screen: one township against its peers, finding by finding, each followed by
the rows behind it; enter shows a row on the main screen (escape there comes back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from lvzhi.audit import KIND_TITLES, KINDS, SCOPES
from lvzhi.model import Document
from lvzhi.tui.actions import bindings
from lvzhi.tui.errors import guarded
from lvzhi.tui.plain import content, plain, shown
from lvzhi.tui.widgets.item_table import fit, room
from lvzhi.tui.widgets.key_bar import KeyBar
from lvzhi.tui.widgets.result_table import ItemResultTable

if TYPE_CHECKING:
    from lvzhi.audit import Audit, Finding
    from lvzhi.tui.app import LvzhiApp

ROWS_SHOWN = 5  # rows listed under one finding; the rest are counted
FIXED = 4 + 2 + 2  # frame and padding, scrollbar, the column's padding


class AuditScreen(Screen[str | None]):
    """Returns the id of the item to show on the main screen, or None."""

    BINDINGS = bindings("audit")

    def __init__(self, document: Document, scope: str = "county") -> None:
        super().__init__()
        self.document = document
        self.scope = scope
        self.result: Audit | None = None
        # Per table row: the item enter jumps to (None: a heading) and the finding it is of.
        self.ids: list[str | None] = []
        self.findings: list[Finding | None] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="audit"):
            yield Static(id="audit-head")
            yield ItemResultTable(id="audit-table")
            yield Static(id="audit-note")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#audit").border_title = content(f"Audit {self.document.township}")
        self.width = room(self.app.size.width - FIXED, 20)
        table = self.query_one(DataTable)
        table.add_column("finding, then the rows behind it", width=self.width)
        table.focus()
        self._run()

    @work(thread=True, exclusive=True)
    @guarded("Audit failed")
    def _run(self) -> None:
        self.app.call_from_thread(self._waiting)
        app: LvzhiApp = self.app  # type: ignore[assignment]
        result = app.audit(self.document.id, self.scope)
        if result is not None and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, result)

    def _waiting(self) -> None:
        head = plain(self.document.place, style="bold")
        head.append(f"\nAuditing against the peers of its {self.scope}…", style="dim")
        self.query_one("#audit-head", Static).update(head)

    def _show(self, result: Audit) -> None:
        self.result = result
        head = plain(result.document.place, style="bold")
        count = len(result.peers)
        peers = "、".join(d.township for d in result.peers[:8]) + (
            f" and {count - 8} more" if count > 8 else "")
        head.append(f" against {count} {'peer' if count == 1 else 'peers'} ({result.scope})"
                    + (f": {shown(peers)}" if peers else ""), style="")
        for message in result.notes:
            head.append(f"\n{shown(message)}", style="dim")
        head.append("\n" + result.counts_line(), style="bold")
        head.overflow = "fold"
        self.query_one("#audit-head", Static).update(head)
        table = self.query_one(DataTable)
        table.clear()
        self.ids, self.findings = [], []
        for kind in KINDS:
            found = result.of_kind(kind)
            if not found:
                continue
            self._line(Text(fit(f"{KIND_TITLES[kind]} ({len(found)})", self.width),
                            style="bold underline"), None, None)
            for finding in found:
                self._line(plain(fit(finding.title, self.width), style="bold"),
                           finding.rows[0].id if finding.rows else None, finding)
                for row in finding.rows[:ROWS_SHOWN]:
                    self._line(plain(fit(f"  {row.township} {row.list.short}{row.serial} "
                                         f"{row.name}", self.width)), row.id, finding)
                if len(finding.rows) > ROWS_SHOWN:
                    self._line(Text(fit(f"  … and {len(finding.rows) - ROWS_SHOWN} more",
                                        self.width), style="dim"), None, finding)
        if not self.ids:
            self._line(Text("No finding.", style="dim"), None, None)
        at = next((n for n, item in enumerate(self.ids) if item is not None), 0)
        table.move_cursor(row=at)
        self._explain(at)

    def _line(self, text: Text, item_id: str | None, finding: Finding | None) -> None:
        self.query_one(DataTable).add_row(text)
        self.ids.append(item_id)
        self.findings.append(finding)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain(event.cursor_row)

    def _explain(self, row: int) -> None:
        """What the highlighted finding is, and how many rows are behind it."""
        finding = self.findings[row] if 0 <= row < len(self.findings) else None
        if finding is None:
            text = Text("⏎ on a finding or a row shows the row on the main screen · p: "
                        "other peers", style="dim")
        else:
            text = plain(finding.detail, overflow="fold")
            rows = len(finding.rows)
            text.append(f" · {rows} {'row' if rows == 1 else 'rows'} behind it", style="dim")
        self.query_one("#audit-note", Static).update(text)

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        row = event.cursor_row
        if 0 <= row < len(self.ids) and (item_id := self.ids[row]) is not None:
            self.dismiss(item_id)

    def action_next_peers(self) -> None:
        """Audit again against the next group of peers: county, prefecture, all."""
        result = self.result
        if result is not None and result.scope == "all" and result.asked != "all":
            self.notify("No other township of its county or prefecture is in the store: "
                        "its peers are every township.", timeout=4)
            return
        used = result.scope if result is not None else self.scope
        self.scope = SCOPES[(SCOPES.index(used) + 1) % len(SCOPES)]
        self._run()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
