"""The source view: the item's text as it stands in its document, the row highlighted.

Text formats are read again from ``Document.path`` and shown around the item's lines; a PDF
shows the text pdfplumber extracts from the item's pages. Reading happens in a worker, so a
large PDF never freezes the screen.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from explorer.model import Document, Item
from explorer.tui.actions import bindings
from explorer.tui.errors import guarded

CONTEXT_BEFORE = 6
CONTEXT_AFTER = 24


def text_excerpt(text: str, first: int, last: int) -> Table:
    """Numbered lines around ``first..last`` (1-based, inclusive), those highlighted.

    A grid keeps a long line folding under its own text, not under the line numbers.
    """
    lines = text.split("\n")
    start = max(first - CONTEXT_BEFORE, 1)
    end = min(last + CONTEXT_AFTER, len(lines))
    grid = Table.grid()
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for number in range(start, end + 1):
        marked = first <= number <= last
        grid.add_row(Text(str(number), style="bold" if marked else "dim"),
                     Text("▌" if marked else " ", style="bold"),
                     Text(lines[number - 1], style="reverse" if marked else "",
                          overflow="fold"))
    return grid


def pdf_excerpt(path: Path, first: int, last: int, item: Item) -> Text:
    """The extracted text of the item's pages; lines that hold the item's name highlighted."""
    import pdfplumber  # only for PDFs, and only when asked

    needle = item.name[:8]
    out = Text(overflow="fold")
    with pdfplumber.open(path) as pdf:
        for number in range(first, min(last, len(pdf.pages)) + 1):
            page = pdf.pages[number - 1]
            out.append(f"— page {number} —\n", style="bold")
            for line in (page.extract_text() or "").split("\n"):
                marked = bool(needle) and needle in line.replace(" ", "")
                out.append(line + "\n", style="reverse" if marked else "")
            page.close()
    return out


def excerpt(doc: Document, item: Item) -> RenderableType:
    """What the source view shows; a one-line explanation when the source cannot be shown."""
    from explorer.extractor import ExtractionError
    from explorer.text import read_text

    path = Path(doc.path)
    if not path.exists():
        return Text(f"The source file is no longer at {path}.\n"
                    "Ingest it again from its new place to see its text here.")
    span = item.span
    try:
        if doc.format == "pdf" and span.page_first is not None:
            return pdf_excerpt(path, span.page_first, span.page_last or span.page_first, item)
        if span.line_first is None:
            return Text(f"The extractor did not record where this row stands in {path.name}.")
        text, _ = read_text(path)
    except (OSError, ExtractionError) as exc:
        return Text(f"Cannot read {path}: {exc}")
    except Exception as exc:  # a damaged PDF: say so, never a traceback
        return Text(f"Cannot read {path}: {type(exc).__name__}: {exc}")
    return text_excerpt(text, span.line_first, span.line_last or span.line_first)


class SourceScreen(Screen[None]):
    BINDINGS = bindings("source")

    def __init__(self, item: Item, doc: Document | None) -> None:
        super().__init__()
        self.item = item
        self.doc = doc

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="source"):
            yield Static(Text("Reading…", style="dim"), id="source-text")
        yield Footer()

    def on_mount(self) -> None:
        scroll = self.query_one("#source")
        scroll.border_title = f"{self.item.source} · {self.item.span.describe()}"
        scroll.border_subtitle = f"{self.item.township} · {self.item.list.label} " \
                                 f"{self.item.serial}"
        scroll.focus()
        if self.doc is None:
            self.query_one("#source-text", Static).update("This item's document is gone.")
        else:
            self._read(self.doc)

    @work(thread=True, exclusive=True)
    @guarded("Cannot show the source")
    def _read(self, doc: Document) -> None:
        text = excerpt(doc, self.item)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.query_one("#source-text", Static).update, text)
