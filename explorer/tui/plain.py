"""Text from documents, file names and plugins, made fit to show in the explorer.

Such text is never a markup string here (a name holding ``[/]`` would crash the view, one
holding ``[link=…]`` would turn into a link): it goes in as a Rich ``Text`` or a Textual
``Content``, which are not parsed. And no control character reaches the terminal
(``lvzhi.text.safe_display``: ESC shows as ``␛``, one character for one, so match spans
and column widths still hold).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content

from lvzhi.text import safe_display


def plain(text: object, style: str = "", *, newlines: bool = False, **options: Any) -> Text:
    """A Rich ``Text`` of ``text`` as written (``options`` as Text takes them)."""
    return Text(safe_display(str(text), newlines=newlines), style=style, **options)


def content(text: object) -> Content:
    """A Textual ``Content`` of ``text`` as written (border titles, tab labels)."""
    return Content(safe_display(str(text)))


def shown(text: object, *, newlines: bool = False) -> str:
    """``text`` with its control characters made visible, for places that take plain text
    and never parse it (Segments, ``Text.append``, notifications sent with markup off)."""
    return safe_display(str(text), newlines=newlines)
