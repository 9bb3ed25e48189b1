"""The markdown reader on generated layouts, as three converters write them (see
``tests/layouts/render_markdown.py``): pipe tables one a page (pandoc, marker), pipe tables
with a merged cell's text repeated in every cell it covers (docling), and HTML tables inside
the markdown (MinerU). Every field must come out exact, no text lost or added."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.layouts import render_markdown
from tests.layouts.truth import (
    MERGE_VARIANTS,
    QUIRK_VARIANTS,
    SEEDS,
    XINJIANG,
    Layout,
    expected,
    extract_and_score,
    layouts,
)
from tests.layouts.truth import VARIANTS as COMMON_VARIANTS

VARIANTS = {"seed": Layout(place=XINJIANG), **COMMON_VARIANTS, **QUIRK_VARIANTS}


def assert_exact(tmp_path: Path, seed: str, layout: Layout, style: str) -> None:
    truth = expected(seed, layout)
    result, extraction = extract_and_score(
        tmp_path / "list.md", render_markdown.render(truth, layout, style=style), truth)
    report = extraction.report
    assert extraction.extractor == "markdown"
    assert result.perfect, str(result)
    assert (report.lost, report.added, report.serial_problems, report.errors) == ([], [], [], [])


@pytest.mark.parametrize("style", render_markdown.STYLES)
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_in_every_variant_reads_exactly(tmp_path, seed, variant, style):
    assert_exact(tmp_path, seed, VARIANTS[variant], style)


@pytest.mark.parametrize("variant", MERGE_VARIANTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_columns_merged_over_rows_in_html_tables_read_exactly(tmp_path, seed, variant):
    """MinerU writes a column merged over rows as ``rowspan``: the rows below hold its text
    (a pipe table cannot mark a merge: only the HTML style prints these)."""
    assert_exact(tmp_path, seed, MERGE_VARIANTS[variant], "html")


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=12, quirks=True), seed=st.sampled_from(SEEDS),
       style=st.sampled_from(render_markdown.STYLES))
def test_any_layout_reads_exactly(tmp_path, layout, seed, style):
    assert_exact(tmp_path, seed, layout, style)
