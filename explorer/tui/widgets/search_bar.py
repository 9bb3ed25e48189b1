"""The search bar on top of the main screen."""

from __future__ import annotations

from textual.widgets import Input

PLACEHOLDER = "/ search names, departments, duties — 工伤, 党代表, pinyin gsrd"


class SearchBar(Input):
    """An Input whose every change re-filters the table (the screen listens to Changed)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)
