"""Fixtures for the explorer's tests: a fixed store built from the CSV corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

# pytest puts this folder (it has no __init__.py) on sys.path: the helpers import as modules.
from tui_corpus import write_corpus
from tui_support import SAMPLES, build_store


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def corpus_store(tmp_path: Path, corpus: list[Path]) -> Path:
    return build_store(tmp_path, corpus)


@pytest.fixture
def samples_store(tmp_path: Path) -> Path:
    """A fixed store: the five bundled samples, ingested afresh (never the user's store)."""
    return build_store(tmp_path, [SAMPLES])
