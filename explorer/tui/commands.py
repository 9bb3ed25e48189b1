"""The command palette (ctrl+p): the actions table's commands, then townships by name."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.command import Hit, Hits, Provider
from textual.markup import escape

from lvzhi.tui.actions import key_label, palette_actions
from lvzhi.tui.plain import shown

if TYPE_CHECKING:
    from lvzhi.tui.app import LvzhiApp

# Textual's own commands that lvzhi replaces (its Quit, its key panel: see the help screen).
REPLACED_SYSTEM_COMMANDS = {"Quit", "Keys"}


def app_commands(app: LvzhiApp) -> Iterator[SystemCommand]:
    """Every palette entry of the actions table, with its key as help, and the exports."""
    for action in palette_actions():
        if action.scope == "app":
            callback = partial(app.run_action, action.action)
        else:
            callback = partial(app.run_on_main, action.action)
        yield SystemCommand(action.palette, f"{action.help} · key {key_label(action)}",
                            callback)
    for fmt in ("csv", "jsonl"):
        yield SystemCommand(f"Export the rows in view as {fmt.upper()}…",
                            "Every field of the rows the table shows · key e",
                            partial(app.run_on_main, f"export_view('{fmt}')"))


class TownshipCommands(Provider):
    """``Switch to 托格拉克乡``: every township of the store by name (or county, or file)."""

    async def search(self, query: str) -> Hits:
        app: LvzhiApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for doc in app.catalog.documents:
            # The palette reads prompts and help as markup: names go in escaped.
            title = f"Switch to {shown(doc.township or doc.source)}"
            help_text = shown(f"{doc.place} · {doc.source}")
            score = max(matcher.match(title), matcher.match(help_text) * 0.9)
            if score > 0:
                yield Hit(score, matcher.highlight(escape(title)),
                          partial(app.switch_township, doc.id), text=title,
                          help=escape(help_text))
