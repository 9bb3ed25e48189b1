"""The core's table assembler on generated layouts, through the tab-separated reader: headers
by meaning, two-row headers, section rows, lists without categories, split receivers, extra
columns, open category words, list titles with 协同/上收, and real tables' quirks (title, 填报单位,
注 and 合计 rows inside the table, other column orders, serials （1） or 1.0, three lists in one
table, stray whitespace). Every field must come out exact."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.layouts import render_tsv
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


def read(tmp_path: Path, seed: str, layout: Layout):
    truth = expected(seed, layout)
    result, extraction = extract_and_score(tmp_path / "list.tsv", render_tsv.render(truth, layout),
                                           truth, forced="tsv")
    return result, extraction.report


VARIANTS = {"seed": Layout(place=XINJIANG), **COMMON_VARIANTS, **QUIRK_VARIANTS}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_in_every_variant_reads_exactly(tmp_path, seed, variant):
    result, report = read(tmp_path, seed, VARIANTS[variant])
    assert result.perfect, str(result)
    assert (report.lost, report.added, report.serial_problems, report.errors) == ([], [], [], [])


def test_the_report_shows_how_each_header_was_read(tmp_path):
    _, report = read(tmp_path, SEEDS[1], Layout(place=XINJIANG, two_row_header=True,
                                                 receiver_split=True, extra=(("备注", -1),)))
    cooperative = next(h for h in report.headers if h["list"] == "cooperative")
    assert cooperative["cells"] == [
        ["序号", "serial"], ["事项类别", "category"], ["事项名称", "name"],
        ["对应上级部门", "departments"], ["上级部门职责", "upper_duties"],
        ["乡镇配合职责", "township_duties"], ["备注", "extra"]]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=15, quirks=True))
def test_any_layout_reads_exactly(tmp_path, layout):
    for seed in SEEDS[:2]:
        result, report = read(tmp_path, seed, layout)
        assert result.perfect, str(result)
        assert (report.lost, report.added) == ([], [])


@pytest.mark.parametrize("seed", SEEDS[::2])
def test_duty_columns_named_by_side_and_content_read_by_their_words(tmp_path, seed):
    """部门履职内容 names 部门 first and 乡镇（街道）履职内容 names 内容 (a name's word): taken by
    another column, each is read as the duties of the side it names. Without a category column
    the usual order cannot stand in for the words (it refused the list)."""
    layout = Layout(place=XINJIANG, categories="none", headers=(
        ("departments", "牵头部门"), ("upper_duties", "部门履职内容"),
        ("township_duties", "乡镇（街道）履职内容")))
    result, report = read(tmp_path, seed, layout)
    assert result.perfect, str(result)
    cooperative = next(h for h in report.headers if h["list"] == "cooperative")
    assert [field for _, field in cooperative["cells"]][-2:] == ["upper_duties",
                                                                 "township_duties"]
