"""The key bar at the bottom: the useful keys of what has focus, as one line of text.

Textual's Footer rebuilds one widget per key on every focus change (~50 ms here, a third of
the start-up time); this bar draws the same hints — the bindings marked ``show`` in the
actions table, for the focused widget, its screen and the app — as a single line, and a
click on a key presses it. When they do not all fit, the essential ones (help, quit, search,
the way back) stay and the others give way from the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Static

from lvzhi.tui.actions import essential_actions

ESSENTIAL = essential_actions()


def shown_bindings(screen: Screen[object]) -> Iterator[tuple[Binding, bool]]:
    """(binding, enabled) of every shown action, once each, innermost first."""
    seen: set[str] = set()
    for _node, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.show and binding.action not in seen:
            seen.add(binding.action)
            yield binding, enabled


def _as_markup_style(style: Style) -> str:
    """A component style as a Rich style string (the theme's colours, resolved)."""
    parts = ["bold"] if style.bold else []
    if style.foreground is not None:
        parts.append(style.foreground.hex)
    if style.background is not None:
        parts += ["on", style.background.hex]
    return " ".join(parts)


def _width(parts: list[tuple[Text, str, bool]]) -> int:
    return sum(text.cell_len + 1 for text, _, _ in parts) - 1


class KeyBar(Static):
    """Rendered again only when the screen says its bindings changed (or its width)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--disabled"}

    def __init__(self) -> None:
        super().__init__()
        self._targets: list[tuple[int, int, str]] = []  # cells where a click presses a key

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.call_after_refresh(self._draw)

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if not self.is_attached:
            return
        key_style = _as_markup_style(self.get_visual_style("key-bar--key"))
        disabled = _as_markup_style(self.get_visual_style("key-bar--disabled"))
        # (key as shown, label, its style, key, essential)
        hints: list[tuple[str, str, str, str, bool]] = []
        for binding, enabled in shown_bindings(self.screen):
            hints.append((self.app.get_key_display(binding), binding.description,
                          "" if enabled else disabled, binding.key,
                          binding.action in ESSENTIAL))
        hints.append(("^p", "palette", "", "ctrl+p", True))

        def assemble(pad: str) -> list[tuple[Text, str, bool]]:
            return [(Text.assemble((f"{pad}{shown} ", key_style), (label, style)), key, keep)
                    for shown, label, style, key, keep in hints]

        # Too many keys for the width: first the gaps narrow to one space, then the last of
        # the others give way, so help, quit, search, the way back and the palette stay on
        # an 80-column terminal.
        parts = assemble(" ")
        if _width(parts) > self.size.width:
            parts = assemble("")
        while _width(parts) > self.size.width:
            optional = [n for n, (_, _, keep) in enumerate(parts) if not keep]
            parts.pop(optional[-1] if optional else -2 if len(parts) > 1 else -1)
        self._targets = []
        at = 0
        for content, key, _ in parts:
            self._targets.append((at, at + content.cell_len, key))
            at += content.cell_len + 1
        self.update(Text(" ").join([content for content, _, _ in parts]), layout=False)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._targets:
            if start <= event.x < end:
                self.action_press(key)
                return

    def action_press(self, key: str) -> None:
        self.app.simulate_key(key.split(",")[0])
