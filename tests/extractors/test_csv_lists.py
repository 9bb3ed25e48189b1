"""The example plugin ``plugins/csv_lists.py`` on generated layouts: a CSV file handed row by
row to the core's table assembler reads every variant and quirk the built-in table readers
read, in UTF-8 and in GBK."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.layouts import render_csv
from tests.layouts.truth import (
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


def read(tmp_path: Path, seed: str, layout: Layout, encoding: str = "utf-8-sig"):
    truth = expected(seed, layout)
    result, extraction = extract_and_score(
        tmp_path / "list.csv", render_csv.render(truth, layout, encoding), truth)
    assert extraction.document.extractor.startswith("csv")
    return result, extraction.report


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_in_every_variant_reads_exactly(tmp_path, seed, variant):
    result, report = read(tmp_path, seed, VARIANTS[variant])
    assert result.perfect, str(result)
    assert (report.lost, report.added, report.serial_problems, report.errors) == ([], [], [], [])


@pytest.mark.parametrize("seed", SEEDS)
def test_a_gbk_csv_reads_exactly(tmp_path, seed):
    result, report = read(tmp_path, seed, Layout(place=XINJIANG), encoding="gbk")
    assert result.perfect, str(result)
    assert report.encoding in ("gbk", "gb18030")  # read as GB 18030, its superset


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=15, quirks=True), seed=st.sampled_from(SEEDS))
# Found by hypothesis: a list numbered anew in each category whose category of one row (1)
# is followed by the next category's first row (1), a blank row between them, which a CSV
# reader takes for a break between tables: the second row was joined to the first as a
# row printed again after a break, trusted.
@example(layout=Layout(serials_per_category=True, footers=("blank",), rows=15),
         seed=SEEDS[2])
def test_any_layout_reads_exactly(tmp_path, layout, seed):
    result, report = read(tmp_path, seed, layout)
    assert result.perfect, str(result)
    assert (report.lost, report.added) == ([], [])
