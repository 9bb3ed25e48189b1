"""Ask for a file or folder to ingest (the ingest itself runs in the app's worker)."""

from __future__ import annotations

import os
from pathlib import Path

from lvzhi.tui.screens.path_prompt import PathPrompt


class IngestScreen(PathPrompt[str]):
    """Returns the path typed, or None."""

    name_prefix = "ingest"
    dialog_title = "Ingest"

    def prompt(self) -> str:
        return "A duty-list file (txt, md, tsv, pdf, …) or a folder of them:"

    def initial(self) -> tuple[str, str]:
        # The current folder as real text, not a placeholder: enter takes it as shown, and
        # it is the start most paths are typed from.
        return str(Path.cwd()) + os.sep, "a path to a file or folder"

    def accept(self, value: str) -> str | None:
        if not value:
            self.show_error("Type the path of a file or a folder (escape to cancel)")
            return None
        if not Path(value).expanduser().exists():
            self.show_error(f"No such file or folder: {value}")
            return None
        return value
