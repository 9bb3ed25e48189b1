"""Messages the explorer's widgets and workers send: past tense, they say what happened."""

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


class IndexesBuilt(Message):
    """The search index and the matcher for the current catalog are ready."""


class DocumentsIngested(Message):
    """An ingest finished (some files may have failed)."""

    def __init__(self, result: IngestResult) -> None:
        super().__init__()
        self.result = result
