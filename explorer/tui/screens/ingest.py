"""Ask for a file or folder to ingest (the ingest itself runs in the app's worker)."""

from __future__ import annotations

from pathlib import Path

from lvzhi.tui.screens.path_prompt import PathPrompt


class IngestScreen(PathPrompt[str]):
    """Returns the path typed, or None."""

    name_prefix = "ingest"
    dialog_title = "Ingest"

    def prompt(self) -> str:
        return "A duty-list file (txt, md, tsv, pdf, …) or a folder of them:"

    def initial(self) -> tuple[str, str]:
        return "", str(Path.cwd())

    def accept(self, value: str) -> str | None:
        if not value:
            return None
        if not Path(value).expanduser().exists():
            self.show_error(f"No such file or folder: {value}")
            return None
        return value
