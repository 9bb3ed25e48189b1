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
from textual.widgets import Static
from textual.worker import get_current_worker

from lvzhi.model import Document, Item
from lvzhi.tui.actions import bindings
from lvzhi.tui.errors import guarded
from lvzhi.tui.plain import content, plain
from lvzhi.tui.widgets.key_bar import KeyBar

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
                     plain(lines[number - 1], style="reverse" if marked else "",
                           overflow="fold"))
    return grid


def pdf_excerpt(path: Path, first: int, last: int, item: Item) -> Table:
    """The text pdfplumber extracts from the item's pages, from a few lines before the row;
    the lines that hold the row's text are highlighted (found by its name, then followed
    while the lines belong to its cells)."""
    import pdfplumber  # only for PDFs, and only when asked

    own_text = _squeeze("".join([item.category, item.name, item.departments, item.receiver,
                                 *item.upper_duties, *item.township_duties]))
    needle = _squeeze(item.name)[:6]
    lines: list[tuple[str, bool]] = []
    with pdfplumber.open(path) as pdf:
        for number in range(first, min(last, len(pdf.pages)) + 1):
            page = pdf.pages[number - 1]
            lines.append((f"— page {number} —", False))
            lines += [(line, False) for line in (page.extract_text() or "").split("\n")]
            page.close()
    start = next((n for n, (line, _) in enumerate(lines) if needle and needle in
                  _squeeze(line)), None)
    if start is None:
        return _grid(lines)
    # The row's cells print side by side, vertically centred: its lines run up and down
    # from the line with its name as long as they hold mostly the row's own text.
    end = start + 1
    while end < len(lines) and _belongs(lines[end][0], own_text):
        end += 1
    while start > 0 and _belongs(lines[start - 1][0], own_text + str(item.serial)):
        start -= 1
    marked = [(line, start <= n < end) for n, (line, _) in enumerate(lines)]
    shown = marked[max(start - CONTEXT_BEFORE, 0):]
    if start > CONTEXT_BEFORE:
        shown = [(lines[0][0], False), ("⋮", False), *shown]
    return _grid(shown)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _belongs(line: str, own_text: str) -> bool:
    """A printed line is part of a row when most of its text is text of the row's cells
    (a line can also carry the end of a neighbouring row's cell)."""
    words = line.split()
    own = sum(len(w) for w in words if w in own_text)
    return bool(words) and own * 2 >= sum(len(w) for w in words)


def _grid(lines: list[tuple[str, bool]]) -> Table:
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for line, marked in lines:
        grid.add_row(Text("▌" if marked else " ", style="bold"),
                     plain(line, style="reverse" if marked else "", overflow="fold"))
    return grid


def excerpt(doc: Document, item: Item) -> RenderableType:
    """What the source view shows; a one-line explanation when the source cannot be shown."""
    from lvzhi.extractor import ExtractionError
    from lvzhi.text import read_text

    path = Path(doc.path)
    if not path.exists():
        return plain(f"The source file is no longer at {path}.\n"
                     "Ingest it again from its new place to see its text here.", newlines=True)
    span = item.span
    try:
        if doc.format == "pdf" and span.page_first is not None:
            return pdf_excerpt(path, span.page_first, span.page_last or span.page_first, item)
        if span.line_first is None:
            return plain("The extractor did not record where this row stands in "
                         f"{path.name}.")
        text, _ = read_text(path)
    except (OSError, ExtractionError) as exc:
        return plain(f"Cannot read {path}: {exc}")
    except Exception as exc:  # a damaged PDF: say so, never a traceback
        return plain(f"Cannot read {path}: {type(exc).__name__}: {exc}")
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
        yield KeyBar()

    def on_mount(self) -> None:
        scroll = self.query_one("#source")
        scroll.border_title = content(f"{self.item.source} · {self.item.span.describe()}")
        scroll.border_subtitle = content(f"{self.item.township} · {self.item.list.label} "
                                         f"{self.item.serial}")
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
