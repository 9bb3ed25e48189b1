"""The ingest panel: which file is being read and a progress bar, while an ingest runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

from lvzhi.tui.plain import plain


class IngestPanel(Vertical):
    """Hidden until ``start``; the app's ingest worker drives it from its thread."""

    files = 0
    done = 0

    def compose(self) -> ComposeResult:
        yield Label("", id="ingest-title")
        yield ProgressBar(id="ingest-bar", show_eta=False)
        yield Label("", id="ingest-file")

    def start(self, title: str) -> None:
        self.query_one("#ingest-title", Label).update(plain(title))
        self.query_one("#ingest-file", Label).update("looking for files…")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.display = True

    def set_total(self, files: int) -> None:
        self.files = files
        self.done = 0
        self.query_one(ProgressBar).update(total=max(files, 1), progress=0)
        self.query_one("#ingest-file", Label).update(
            f"reading {files} file{'s' if files != 1 else ''}…")

    def advance(self, name: str, ok: bool) -> None:
        self.done += 1
        self.query_one(ProgressBar).advance(1)
        self.query_one("#ingest-file", Label).update(
            plain(f"{self.done} of {self.files} · {'read' if ok else 'FAILED'}: {name}"))

    def finish(self) -> None:
        self.display = False
