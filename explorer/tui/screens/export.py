"""Ask where to export the rows in view; the format follows the file's extension."""

from __future__ import annotations

from pathlib import Path

from lvzhi.tui.screens.path_prompt import PathPrompt

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".xlsx": "xlsx"}


class ExportScreen(PathPrompt[tuple[Path, str]]):
    """Returns (path, format) or None."""

    name_prefix = "export"
    dialog_title = "Export"

    def __init__(self, default: Path, rows: int) -> None:
        super().__init__()
        self.default = default
        self.rows = rows
        self._overwrite: Path | None = None  # a file the user confirmed to replace

    def prompt(self) -> str:
        return f"Write the {self.rows:,} rows in view to (.csv, .xlsx or .jsonl):"

    def initial(self) -> tuple[str, str]:
        return str(self.default), ""

    def accept(self, value: str) -> tuple[Path, str] | None:
        path = Path(value).expanduser()
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            self.show_error("The file name must end in .csv, .xlsx or .jsonl.")
        elif not path.parent.is_dir():
            self.show_error(f"No such folder: {path.parent}")
        elif path.exists() and path != self._overwrite:
            self._overwrite = path
            self.show_error(f"{path.name} exists: press enter again to replace it.")
        else:
            return path, fmt
        return None
