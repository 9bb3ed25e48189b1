"""The search bar on top of the main screen."""

from __future__ import annotations

from typing import Self

from textual import events
from textual.geometry import Region
from textual.widgets import Input

from lvzhi.tui.actions import bindings

PLACEHOLDER = "/ search names, departments, duties — 工伤, 党代表, pinyin gsrd"


class SearchBar(Input):
    """An Input whose every change re-filters the table (the screen listens to Changed).

    It is out of the tab cycle (tab moves between the panes: tree, table, detail) and is
    entered with ``/`` or a click, so tabbing never lands keystrokes in the query by surprise.
    """

    BINDINGS = bindings("search")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)
        self.can_focus = False
        self._typing = False

    # Textual's Input resizes its virtual width to its text on every change, which lays out
    # the whole screen (tens of milliseconds a keystroke with a province loaded). This bar has
    # a fixed size (app.tcss), so a new query needs a repaint of the bar only.
    def _watch_value(self, value: str) -> None:
        self._typing = True
        try:
            super()._watch_value(value)
        finally:
            self._typing = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        return super().refresh(*regions, repaint=repaint, layout=layout and not self._typing,
                               recompose=recompose)

    def activate(self) -> None:
        self.can_focus = True
        self.focus()

    def on_click(self, event: events.Click) -> None:
        self.activate()

    def on_blur(self) -> None:
        self.can_focus = False
