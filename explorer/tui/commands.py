"""Command-palette providers (ctrl+p): the actions table, townships by name, exports."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from explorer.tui.actions import key_label, palette_actions

if TYPE_CHECKING:
    from explorer.tui.app import LvzhiApp


def _commands(app: LvzhiApp) -> list[tuple[str, str, Callable[[], object]]]:
    """(title, help, callback) for every palette command."""
    commands = []
    for action in palette_actions():
        title = action.help
        commands.append((title, f"key: {key_label(action)}",
                         partial(app.run_on_main, action.action)))
    for fmt in ("csv", "jsonl"):
        commands.append((f"Export the rows in view as {fmt.upper()}", "key: e",
                         partial(app.run_on_main, f"export_view('{fmt}')")))
    return commands


class ActionCommands(Provider):
    """Every palette action of the actions table, with its key as help."""

    async def discover(self) -> Hits:
        for title, help_text, callback in _commands(self.app):  # type: ignore[arg-type]
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in _commands(self.app):  # type: ignore[arg-type]
            if (score := matcher.match(title)) > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title,
                          help=help_text)


class TownshipCommands(Provider):
    """``Switch to 托格拉克乡``: every township of the store by name (or county, or file)."""

    def _townships(self) -> list[tuple[str, str, str]]:
        app: LvzhiApp = self.app  # type: ignore[assignment]
        return [(f"Switch to {doc.township or doc.source}", f"{doc.place} · {doc.source}",
                 doc.id) for doc in app.catalog.documents]

    async def search(self, query: str) -> Hits:
        app: LvzhiApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for title, help_text, doc_id in self._townships():
            score = max(matcher.match(title), matcher.match(help_text) * 0.9)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(app.switch_township, doc_id),
                          text=title, help=help_text)
