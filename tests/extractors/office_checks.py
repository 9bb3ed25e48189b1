"""What the Word and Excel reader tests share: generated documents read back through ingest and
scored field by field against the layout generator's truth."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lvzhi.ingest import Extraction, IngestError, extract_file
from lvzhi.plugins import load_plugins
from tests.layouts.truth import (
    PLACES,
    QUIRK_VARIANTS,
    XINJIANG,
    Layout,
    Score,
    Truth,
    expected,
    extract_and_score,
)
from tests.layouts.truth import VARIANTS as COMMON_VARIANTS

REGISTRY = load_plugins([])

Renderer = Callable[[Truth, Layout], bytes]

VARIANTS = {
    "seed": Layout(place=XINJIANG),
    **COMMON_VARIANTS,
    "two-row header, merged categories": Layout(place=XINJIANG, two_row_header=True,
                                                categories="merged", receiver_split=True),
    "a place outside Xinjiang": Layout(place=PLACES[3], categories="merged"),
    **QUIRK_VARIANTS,
}


def read(path: Path, data: bytes) -> Extraction:
    path.write_bytes(data)
    return extract_file(REGISTRY, path)


def one_line_error(path: Path, data: bytes, extractor: str) -> str:
    """The error ingesting ``data`` saved as ``path`` gives, checked to be one line that names
    the extractor."""
    with pytest.raises(IngestError) as error:
        read(path, data)
    message = str(error.value)
    assert "\n" not in message and f"[{extractor}]" in message
    return message


def read_layout(path: Path, render: Renderer, seed: str, layout: Layout) -> tuple[
        Score, Extraction]:
    truth = expected(seed, layout)
    return extract_and_score(path, render(truth, layout), truth)


def assert_exact(result: Score, extraction: Extraction, layout: Layout) -> None:
    """Every row and field exact and no text lost or added. The place is compared only where
    the title parser knows it (outside Xinjiang that waits for the national gazetteer)."""
    report = extraction.report
    assert (report.lost, report.added, report.serial_problems, report.errors) == (
        [], [], [], [])
    if layout.place.province == "新疆维吾尔自治区" or result.place_ok:
        assert result.perfect, str(result)
    else:
        assert (result.rows_matched, result.fields_exact, result.rows_found) == (
            result.rows_expected, result.fields_expected, result.rows_expected), str(result)
