"""Messages the explorer's widgets, screens, workers and app send: they say what happened.

Widgets and screens tell the app what the user did (their messages bubble up to it); the app
tells the main screen what its workers found (posted to the screen, handled there with
``@on``), so the app never calls into a screen to update it.
"""

from __future__ import annotations

from textual.message import Message

from lvzhi.ingest import IngestResult
from lvzhi.model import Row
from lvzhi.tui.catalog import Catalog


class TownshipSelected(Message):
    """The tree's cursor moved to a township, a county, a prefecture or everything."""

    def __init__(self, doc_ids: frozenset[str] | None, label: str) -> None:
        super().__init__()
        self.doc_ids = doc_ids
        self.label = label


class ItemHighlighted(Message):
    """The table's cursor is on another item (None: the table is empty)."""

    def __init__(self, item: Row | None) -> None:
        super().__init__()
        self.item = item


class ItemOpened(Message):
    """The user chose an item (enter or a double click)."""

    def __init__(self, item: Row) -> None:
        super().__init__()
        self.item = item


class CatalogLoaded(Message):
    """The store was read (at start, or again after an ingest)."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog


class ViewShown(Message):
    """The main screen painted the rows of a view (the app starts building indexes then)."""


# -- from the app to the main screen ----------------------------------------------------------

class CatalogChanged(Message):
    """The app took a newly loaded catalog (``app.catalog``): show it."""


class SearchReady(Message):
    """The search index of the current catalog is built: search is ranked from now on."""


class IndexesBuilt(Message):
    """The search index and the matcher for the current catalog are ready (or, with
    ``matching=False``, matching could not be built)."""

    def __init__(self, townships: int, items: int, matching: bool) -> None:
        super().__init__()
        self.townships = townships
        self.items = items
        self.matching = matching


class WorkStatus(Message):
    """What a worker is busy with, for the status bar."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class Waiting(Message):
    """What the empty table says while a worker fills the store (an ingest at first start)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class IngestStarted(Message):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title


class IngestCounted(Message):
    """The ingest knows how many files it will read."""

    def __init__(self, files: int) -> None:
        super().__init__()
        self.files = files


class IngestFileRead(Message):
    def __init__(self, name: str, ok: bool) -> None:
        super().__init__()
        self.name = name
        self.ok = ok


class IngestFinished(Message):
    pass


class ShowItem(Message):
    """Put an item on screen: its township, its list, the cursor on it."""

    def __init__(self, item_id: str) -> None:
        super().__init__()
        self.item_id = item_id


class ShowTownship(Message):
    def __init__(self, doc_id: str) -> None:
        super().__init__()
        self.doc_id = doc_id


class DocumentsIngested(Message):
    """An ingest finished (some files may have failed)."""

    def __init__(self, result: IngestResult) -> None:
        super().__init__()
        self.result = result
