"""The search bar on top of the main screen."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

PLACEHOLDER = "/ search names, departments, duties — 工伤, 党代表, pinyin gsrd"


class SearchBar(Input):
    """An Input whose every change re-filters the table (the screen listens to Changed).

    It is out of the tab cycle (tab moves between the panes: tree, table, detail) and is
    entered with ``/`` or a click, so tabbing never lands keystrokes in the query by surprise.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)
        self.can_focus = False

    def activate(self) -> None:
        self.can_focus = True
        self.focus()

    def on_click(self, event: events.Click) -> None:
        self.activate()

    def on_blur(self) -> None:
        self.can_focus = False
