"""What the Word and Excel reader tests share: generated documents read back through ingest and
scored field by field against the layout generator's truth."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from explorer.ingest import Extraction, extract_file
from explorer.plugins import load_plugins
from tests.layouts.truth import PLACES, Layout, Score, Truth, expected, score

REGISTRY = load_plugins([])
XINJIANG = PLACES[-5]  # 伊犁州 伊宁县: a place the title parser knew before the gazetteer

Renderer = Callable[[Truth, Layout], bytes]

VARIANTS = {
    "seed": Layout(place=XINJIANG),
    "merged categories": Layout(place=XINJIANG, categories="merged"),
    "section rows": Layout(place=XINJIANG, categories="section"),
    "no categories": Layout(place=XINJIANG, categories="none"),
    "outside category words": Layout(place=XINJIANG, category_words=7),
    "two-row header": Layout(place=XINJIANG, two_row_header=True, receiver_split=True),
    "two-row header, merged categories": Layout(place=XINJIANG, two_row_header=True,
                                                categories="merged", receiver_split=True),
    "split receiver": Layout(place=XINJIANG, receiver_split=True),
    "extra columns": Layout(place=XINJIANG, extra=(("事项编码", 1), ("履职依据", -1),
                                                  ("备注", -1))),
    "other headers": Layout(place=XINJIANG, headers=tuple(
        (c, 3) for c in ("serial", "category", "name", "departments", "upper_duties",
                         "township_duties", "receiver"))),
    "township header, 协同/上收": Layout(place=XINJIANG, headers=(("township_duties", 3),),
                                      list_words=(0, 1, 2), title="township"),
    "a place outside Xinjiang": Layout(place=PLACES[3], categories="merged"),
}


def read(path: Path, data: bytes) -> Extraction:
    path.write_bytes(data)
    return extract_file(REGISTRY, path)


def read_layout(path: Path, render: Renderer, seed: str, layout: Layout) -> tuple[
        Score, Extraction]:
    truth = expected(seed, layout)
    extraction = read(path, render(truth, layout))
    doc = extraction.document
    return score(extraction.items, truth, place=(doc.prefecture, doc.county, doc.township)), \
        extraction


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
