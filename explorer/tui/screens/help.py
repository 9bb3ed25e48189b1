"""The help overlay: every key, generated from the actions table."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from lvzhi.tui.actions import ACTIONS, SCOPE_TITLES, bindings, key_label

# Two columns of sections: what a user needs first on the left.
LEFT = ("main", "table", "tree")
RIGHT = ("search", "item", "source", "picker", "results", "compare", "diff", "departments",
         "audit", "help", "app")


def section(scope: str) -> Table:
    table = Table(title=SCOPE_TITLES[scope], title_justify="left", title_style="bold underline",
                  box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
    table.add_column(style="bold", no_wrap=True, width=10)
    table.add_column(ratio=1, overflow="fold")
    for action in ACTIONS:
        if action.scope == scope:
            table.add_row(key_label(action), Text(action.help, overflow="fold"))
    return table


def keys_table() -> Table:
    """Every key of the actions table, by scope, in two columns."""
    palette = Table(title="Command palette", title_justify="left",
                    title_style="bold underline", box=None, show_header=False,
                    padding=(0, 1, 0, 0), expand=True)
    palette.add_column(style="bold", no_wrap=True, width=10)
    palette.add_column(ratio=1, overflow="fold")
    palette.add_row("ctrl+p", "Every command by name: townships, lists, export, ingest; "
                    "pinyin works too (tky: 托喀依乡, jb: 基本)")
    grid = Table.grid(expand=True, padding=(0, 3, 0, 0))
    grid.add_column(ratio=1)
    grid.add_column(ratio=1)
    grid.add_row(Group(*(item for scope in LEFT for item in (section(scope), Text("")))),
                 Group(*(item for scope in RIGHT for item in (section(scope), Text(""))),
                       palette))
    return grid


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
