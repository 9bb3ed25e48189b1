"""The core never imports the UI: the command line and extraction stay fast and headless."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = ["lvzhi.store", "lvzhi.ingest", "lvzhi.cli", "lvzhi.report",
                "lvzhi.normalize", "lvzhi.plugins", "lvzhi.extractors.plaintext",
                "lvzhi.extractors.markdown", "lvzhi.extractors.tsv", "lvzhi.extractors.pdf",
                "lvzhi.extractors.docx", "lvzhi.extractors.xlsx", "lvzhi.extractors.xls",
                "lvzhi.extractors.legacy_office", "lvzhi.extractors.html",
                "lvzhi.extractors.pdftotext_layout", "lvzhi.extractors.pdftotext_plain"]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = (f"import sys, importlib; importlib.import_module({module!r}); "
            "sys.exit(1 if 'textual' in sys.modules else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"{module} imports textual\n{result.stderr}"
