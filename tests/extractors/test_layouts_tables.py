"""The core's table assembler on generated layouts, through the tab-separated reader: headers
by meaning, two-row headers, section rows, lists without categories, split receivers, extra
columns, open category words, list titles with 协同/上收. Every field must come out exact."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from explorer.ingest import extract_file
from explorer.plugins import load_plugins
from tests.layouts import render_tsv
from tests.layouts.truth import PLACES, SEEDS, Layout, expected, layouts, score

REGISTRY = load_plugins([])
XINJIANG = PLACES[-5]  # 伊犁州 伊宁县


def read(tmp_path: Path, seed: str, layout: Layout):
    truth = expected(seed, layout)
    path = tmp_path / "list.tsv"
    path.write_bytes(render_tsv.render(truth, layout))
    extraction = extract_file(REGISTRY, path, forced="tsv")
    doc = extraction.document
    result = score(extraction.items, truth, place=(doc.prefecture, doc.county, doc.township))
    return result, extraction.report


VARIANTS = {
    "seed": Layout(place=XINJIANG),
    "merged categories": Layout(place=XINJIANG, categories="merged"),
    "section rows": Layout(place=XINJIANG, categories="section"),
    "no categories": Layout(place=XINJIANG, categories="none"),
    "outside category words": Layout(place=XINJIANG, category_words=7),
    "two-row header": Layout(place=XINJIANG, two_row_header=True, receiver_split=True),
    "split receiver": Layout(place=XINJIANG, receiver_split=True),
    "extra columns": Layout(place=XINJIANG, extra=(("事项编码", 1), ("履职依据", -1),
                                                  ("备注", -1))),
    "other headers": Layout(place=XINJIANG, headers=tuple(
        (c, 3) for c in ("serial", "category", "name", "departments", "upper_duties",
                         "township_duties", "receiver"))),
    "township header, 协同/上收": Layout(place=XINJIANG, headers=(("township_duties", 3),),
                                      list_words=(0, 1, 2), title="township"),
}


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
@given(layout=layouts(rows=15))
def test_any_layout_reads_exactly(tmp_path, layout):
    for seed in SEEDS[:2]:
        result, report = read(tmp_path, seed, layout)
        assert result.perfect, str(result)
        assert (report.lost, report.added) == ([], [])
