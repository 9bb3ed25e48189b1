"""The core never imports the UI: the command line and extraction stay fast and headless."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = ["explorer.store", "explorer.ingest", "explorer.cli", "explorer.report",
                "explorer.normalize", "explorer.plugins", "extractors.plaintext",
                "extractors.markdown", "extractors.tsv", "extractors.pdf",
                "extractors.docx", "extractors.xlsx", "extractors.xls",
                "extractors.legacy_office", "extractors.html",
                "extractors.pdftotext_layout", "extractors.pdftotext_plain"]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = (f"import sys, importlib; importlib.import_module({module!r}); "
            "sys.exit(1 if 'textual' in sys.modules else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} imports textual\n{result.stderr}"
