"""The command palette (ctrl+p): the actions table's commands, then townships by name.

Both take pinyin as the pickers do (``with_pinyin``): ``tky`` or ``tuokayi`` finds
``Switch to 托喀依乡``, ``jb`` the basic-list toggle (基本).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.command import Hit, Hits, Matcher, Provider
from textual.markup import escape

from lvzhi.tui.actions import key_label, palette_actions
from lvzhi.tui.plain import shown
from lvzhi.tui.screens.picker import with_pinyin

if TYPE_CHECKING:
    from lvzhi.tui.app import LvzhiApp

def spells(query: str, text: str) -> bool:
    """True if ``query`` is pinyin (initials or syllables, two letters or more) of some of
    ``text``, matched as the t, x and f pickers match."""
    needle = "".join(query.split()).lower()
    if len(needle) < 2 or not needle.isascii() or not needle.isalpha() or text.isascii():
        return False
    return needle in with_pinyin(text).lower()


def pinyin_score(matcher: Matcher, query: str, text: str) -> float:
    """A pinyin hit scores as the query typed out as a whole word of a title would: above a
    scattered fuzzy match (``thl`` in ``Toggle the basic list``), below the title itself."""
    return matcher.match(query) * 0.75 if spells(query, text) else 0.0


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
            score = max(score, pinyin_score(matcher, query, f"{doc.place} {doc.source}"))
            if score > 0:
                yield Hit(score, matcher.highlight(escape(title)),
                          partial(app.switch_township, doc.id), text=title,
                          help=escape(help_text))


class PinyinCommands(Provider):
    """lvzhi's own commands by the pinyin of their Chinese words (``jb`` → 基本); the fuzzy
    matcher of Textual's system commands already finds them by their titles."""

    async def search(self, query: str) -> Hits:
        app: LvzhiApp = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for command in app_commands(app):
            if matcher.match(command.title) > 0:
                continue  # Textual's system commands provider offers it already
            if score := pinyin_score(matcher, query, command.title):
                yield Hit(score, escape(command.title), command.callback,
                          text=command.title, help=command.help)
