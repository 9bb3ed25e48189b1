"""What the Word and Excel reader tests share: generated documents read back through ingest and
scored field by field against the layout generator's truth. The workbook checks (``WORKBOOKS``)
are the .xlsx and .xls tests' own, written once: each file calls them for its format."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from lvzhi.ingest import Extraction, IngestError, extract_file
from lvzhi.plugins import load_plugins
from tests.layouts import render_xls, render_xlsx
from tests.layouts.sheet_quirks import SheetQuirks, draw_sheet_quirks
from tests.layouts.truth import (
    PLACES,
    QUIRK_VARIANTS,
    SEEDS,
    XINJIANG,
    Layout,
    Score,
    Truth,
    expected,
    extract_and_score,
    random_layout,
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


def assert_reads_exactly(path: Path, render: Renderer, layout: Layout, seeds: Iterable[str],
                         extractor: str | None = None) -> Extraction:
    """Each seed printed by ``render`` in ``layout`` reads exactly (by ``extractor``, if
    given); the last seed's extraction."""
    extraction = None
    for seed in seeds:
        result, extraction = read_layout(path, render, seed, layout)
        if extractor is not None:
            assert extraction.extractor == extractor
        assert_exact(result, extraction, layout)
    assert extraction is not None
    return extraction


# --- workbooks: .xlsx and .xls ---------------------------------------------------------------

WORKBOOKS: dict[str, Callable[..., bytes]] = {"xlsx": render_xlsx.render, "xls": render_xls.render}


def workbook(fmt: str, **options: object) -> Renderer:
    """The ``fmt`` workbook renderer with its options (sheets, title_rows, quirks) set."""
    render = WORKBOOKS[fmt]
    return lambda truth, layout: render(truth, layout, **options)


def assert_variant_reads_exactly(tmp_path: Path, fmt: str, seed: str, variant: str) -> None:
    assert_reads_exactly(tmp_path / f"list.{fmt}", WORKBOOKS[fmt], VARIANTS[variant], [seed],
                         extractor=fmt)


def assert_merged_columns_read(tmp_path: Path, fmt: str, seed: str, layout: Layout,
                               **options: object) -> None:
    """Columns merged over runs of rows: every row of a run holds the merged text, and the
    report counts it once."""
    extraction = assert_reads_exactly(tmp_path / f"list.{fmt}", workbook(fmt, **options),
                                      layout, [seed])
    assert extraction.report.merge_repeats > 0


def assert_saved_workbooks_read(tmp_path: Path, fmt: str, quirks: SheetQuirks,
                                variant: str) -> None:
    """A variant saved with ``quirks`` (table not at A1, hidden rows …), every other seed."""
    assert_reads_exactly(tmp_path / f"list.{fmt}", workbook(fmt, quirks=quirks),
                         VARIANTS[variant], SEEDS[::2])


def assert_drawn_workbook_reads(tmp_path: Path, fmt: str, draw: int) -> None:
    """A layout and saving quirks drawn together (as benchmarks/office_quirks.py draws them)."""
    rnd = random.Random(f"{fmt} quirks {draw}")
    layout = random_layout(rnd)
    quirks = draw_sheet_quirks(rnd, xls=fmt == "xls")
    assert_reads_exactly(tmp_path / f"list.{fmt}", workbook(fmt, quirks=quirks), layout,
                         [SEEDS[draw % len(SEEDS)]])
