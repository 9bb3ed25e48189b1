"""Ask where to export the rows in view; the format follows the file's extension."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from explorer.tui.actions import bindings

FORMATS = {".csv": "csv", ".jsonl": "jsonl"}


class ExportScreen(ModalScreen[tuple[Path, str] | None]):
    """Returns (path, format) or None."""

    BINDINGS = bindings("picker")

    def __init__(self, default: Path, rows: int) -> None:
        super().__init__()
        self.default = default
        self.rows = rows
        self._overwrite: Path | None = None  # a file the user confirmed to replace

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label(f"Write the {self.rows:,} rows in view to (.csv or .jsonl):")
            yield Input(str(self.default), id="export-path")
            yield Label("", id="export-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#export-dialog").border_title = "Export"
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def action_choose(self) -> None:
        path = Path(self.query_one(Input).value.strip()).expanduser()
        fmt = FORMATS.get(path.suffix.lower())
        error = self.query_one("#export-error", Label)
        if fmt is None:
            error.update("The file name must end in .csv or .jsonl.")
        elif not path.parent.is_dir():
            error.update(f"No such folder: {path.parent}")
        elif path.exists() and path != self._overwrite:
            self._overwrite = path
            error.update(f"{path.name} exists: press enter again to replace it.")
        else:
            self.dismiss((path, fmt))

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
