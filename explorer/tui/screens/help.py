"""The help overlay: every key, generated from the actions table."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from explorer.tui.actions import ACTIONS, SCOPE_TITLES, bindings, key_label

SCOPE_ORDER = ("main", "table", "tree", "item", "source", "picker", "compare", "app")


def keys_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=14)
    table.add_column()
    for scope in SCOPE_ORDER:
        actions = [a for a in ACTIONS if a.scope == scope]
        if not actions:
            continue
        table.add_row(Text(SCOPE_TITLES[scope], style="bold underline"), "")
        for action in actions:
            table.add_row(key_label(action), Text(action.help, overflow="fold"))
        table.add_row("", "")
    table.add_row(Text("ctrl+p", style="bold"), "Command palette: every command above by name, "
                  "switch township, export, ingest")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings("help")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(keys_table())

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys"
        self.query_one("#help").border_subtitle = "esc to close"
        self.query_one("#help").focus()

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
