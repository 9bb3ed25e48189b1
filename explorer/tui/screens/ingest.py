"""Ask for a file or folder to ingest (the ingest itself runs in the app's worker)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from explorer.tui.actions import bindings


class IngestScreen(ModalScreen[str | None]):
    """Returns the path typed, or None."""

    BINDINGS = bindings("picker")

    def compose(self) -> ComposeResult:
        with Vertical(id="ingest-dialog", classes="dialog"):
            yield Label("A duty-list file (txt, md, tsv, pdf, …) or a folder of them:")
            yield Input(placeholder=str(Path.cwd()), id="ingest-path")
            yield Label("", id="ingest-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#ingest-dialog").border_title = "Ingest"
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def action_choose(self) -> None:
        value = self.query_one(Input).value.strip()
        if not value:
            return
        if not Path(value).expanduser().exists():
            self.query_one("#ingest-error", Label).update(f"No such file or folder: {value}")
            return
        self.dismiss(value)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
