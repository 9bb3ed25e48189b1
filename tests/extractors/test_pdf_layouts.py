"""The PDF reader (pdfplumber) on ruled-table PDFs rendered from the ground truth
(``tests/layouts/render_pdf.py``): every layout variation, merged categories above all (a
run of rows under one category cell, rows broken across pages, the header printed again).

Two things the renderer prints that a reader cannot give back are left out of the comparison
of the duty cells: a no-break space (reportlab's CID font draws none) and a space the PDF
sets as glyph spacing only. Every other field, and every row, must come out exact."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st
from reportlab.platypus.doctemplate import LayoutError

from lvzhi.ingest import IngestError, extract_file
from lvzhi.plugins import load_plugins
from tests.extractors.test_pdftotext import printed
from tests.layouts.render_pdf import PdfStyle, dump, have_pdftotext, render_as
from tests.layouts.truth import (
    MERGE_VARIANTS,
    PLACES,
    QUIRK_VARIANTS,
    SEEDS,
    VARIANTS,
    XINJIANG,
    Layout,
    Truth,
    expected,
    layouts,
)

REGISTRY = load_plugins([])
_DUTIES = ("upper_duties", "township_duties")


def _squeezed(text: str) -> str:
    return text.replace(" ", "").replace("\xa0", "")


def differences(tmp_path: Path, truth: Truth, layout: Layout, style: PdfStyle | None = None,
                reader: str = "pdf") -> tuple[list[str], bool]:
    """What the PDF reader (or ``reader``: "pdftotext-layout" reads the PDF's dump) gets
    wrong, field by field, and whether it trusted its reading."""
    pdf, _ = render_as(truth, layout, style)
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    if reader != "pdf":
        path = tmp_path / "list.txt"
        path.write_text(dump(pdf, layout=True), encoding="utf-8")
    extraction = extract_file(REGISTRY, path, forced=reader)
    found = {(item.list, item.serial): item for item in extraction.items}
    wrong = [f"{item.list} {item.serial}: not in the truth" for key, item in found.items()
             if key not in {(row.list, row.serial) for row in truth.rows}]
    for row in printed(truth).rows:
        item = found.get((row.list, row.serial))
        if item is None:
            wrong.append(f"{row.list} {row.serial}: missing")
            continue
        for name in ("category", "name", "departments", "receiver", "receiver_department",
                     "receiver_method", "extra"):
            if getattr(item, name) != getattr(row, name):
                wrong.append(f"{row.list} {row.serial} {name}: got {getattr(item, name)!r:.60}"
                             f", want {getattr(row, name)!r:.60}")
        for name in _DUTIES:
            got = "".join(getattr(item, name))
            if _squeezed(got) != _squeezed(getattr(row, name)):
                wrong.append(f"{row.list} {row.serial} {name}: got {got[:60]!r}")
    return wrong, extraction.report.trustworthy


def drawn_differences(tmp_path: Path, truth: Truth, layout: Layout) -> tuple[list[str], bool]:
    """``differences`` for a drawn layout; one reportlab cannot print at all (a row or a
    merged run taller than a page, even set smaller and broken) is no draw, as
    ``benchmarks/pdf_quirks.py`` skips it."""
    try:
        if layout.department_rows and render_as(truth, layout)[1].split_rows:
            reject()  # reportlab overprints the text of a merged run it breaks over a page
        return differences(tmp_path, truth, layout)
    except LayoutError:
        reject()


CASES = {"seed": Layout(place=XINJIANG), **{name: VARIANTS[name] for name in (
    "merged categories", "section rows", "two-row header", "extra columns")},
    "merged, two-row header, extra": Layout(place=PLACES[3], categories="merged",
                                            two_row_header=True, receiver_split=True,
                                            extra=(("备注", 1),)),
    # the group cell 承接部门及工作方式 over 承接单位 | 承接方式 names the receiver itself: it
    # was run into 承接单位 below it, and the department column read as the whole receiver
    "a group cell naming a column": Layout(place=XINJIANG, two_row_header=True, group=1,
                                           receiver_split=True)}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_in_every_variant_reads_exactly(tmp_path, seed, case):
    layout = replace(CASES[case], rows=25)
    wrong, _ = differences(tmp_path, expected(seed, layout), layout)
    assert wrong == []


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=14), seed=st.sampled_from(SEEDS))
# Found by hypothesis: a merged run broken across pages; reportlab printed the header again
# above the broken row's first part, which holds no serial (that stands on the next page). The
# part was joined to the row above it; it is the head of the row below.
@example(layout=Layout(place=PLACES[11], list_words=(0, 3, 2), headers=(
    ("serial", 1), ("category", 4), ("departments", 1), ("upper_duties", 2),
    ("township_duties", 3), ("receiver", 4), ("receiver_method", 2)), group=2,
    categories="merged", extra=(("事项编码", -1), ("备注", 1)), rows=14), seed=SEEDS[0])
def test_any_layout_with_merged_categories_reads_exactly(tmp_path, layout, seed):
    layout = replace(layout, categories="merged")
    wrong, trusted = drawn_differences(tmp_path, expected(seed, layout), layout)
    assert wrong == [] or not trusted, wrong


@pytest.mark.parametrize("case", MERGE_VARIANTS)
@pytest.mark.parametrize("seed", SEEDS[::2])
def test_columns_merged_over_rows(tmp_path, seed, case):
    """A cell merged over a run of rows (no rule between them): every row of the run holds
    its text."""
    layout = replace(MERGE_VARIANTS[case], rows=12)
    truth = expected(seed, layout)
    split_rows = render_as(truth, layout)[1].split_rows
    if split_rows and layout.department_rows:
        pytest.skip("reportlab overprints the text of a merged run it breaks over a page")
    wrong, trusted = differences(tmp_path, truth, layout)
    if split_rows or layout.department_rows:
        # a merged run taller than the page left: reportlab breaks its rows, printing the
        # header again above the rest, as no office does; a matter printed a row per
        # department whose rows a page break cuts: reportlab prints its merged name on both
        # sides, read as the next row's head; never trusted while wrong
        assert wrong == [] or not trusted, wrong
    else:
        # a run meeting a page break may be one cell cut in two: exact, but not trusted
        assert wrong == [], wrong


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=12, merges=True), seed=st.sampled_from(SEEDS))
def test_any_layout_with_merged_columns_is_never_trusted_while_wrong(tmp_path, layout, seed):
    wrong, trusted = drawn_differences(tmp_path, expected(seed, layout), layout)
    assert wrong == [] or not trusted, wrong


# Real county tables' quirks as an office suite's PDF export prints them (title and 填报单位
# rows inside the table, 注 / 合计 / blank rows, other column orders, serial styles, serials
# anew in each category, no 序号 column, three lists in one table, line breaks at cell ends).
@pytest.mark.parametrize("case", QUIRK_VARIANTS)
@pytest.mark.parametrize("seed", SEEDS[1::2])
def test_every_quirk_reads_exactly(tmp_path, seed, case):
    layout = replace(QUIRK_VARIANTS[case], rows=12)
    wrong, _ = differences(tmp_path, expected(seed, layout), layout)
    assert wrong == []


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=10, quirks=True), seed=st.sampled_from(SEEDS))
# Found by hypothesis: three lists without 序号 in one table; a row broken across pages whose
# name, vertically centred, stands on the second page. The part before the break (duty text
# only, no name) was joined to the row above it, trusted; it is the head of the row below.
@example(layout=Layout(place=PLACES[0], headers=(
    ("serial", 0), ("category", 0), ("name", 0), ("departments", 0), ("upper_duties", 0),
    ("township_duties", 0), ("receiver", 0), ("receiver_department", 0),
    ("receiver_method", 0)), categories="merged", extra=(("履职依据", -1),), rows=10,
    footers=("note", "total", "blank"), one_table=True, stray_spaces=True,
    serials_per_category=True, no_serial=True), seed=SEEDS[0])
# Found by hypothesis: a list without 序号 whose rows reportlab breaks over pages (a merged run
# taller than a page); a row's name printed on both sides of the break. The part after the
# break was read as a row of its own (a row too many, two names cut), trusted: nothing tells
# it from a row, so it is reported as a doubt where the name above runs to its cell's foot.
@example(layout=Layout(place=PLACES[0], headers=(("serial", "顺序号"),), two_row_header=True,
                       categories="merged", extra=(("备注", 1), ("履职依据", 1)), rows=10,
                       one_table=True, stray_spaces=True, serials_per_category=True,
                       no_serial=True), seed=SEEDS[3])
# Found by hypothesis: as above; the reclaimed list's merged category goes on over a whole
# page, drawn open at both breaks. The column was no column on that page: its rows had a
# cell too few, and the reader refused the file (an error, not a report).
@example(layout=Layout(place=PLACES[0], title="township", list_words=(0, 3, 0), headers=(
    ("serial", "顺序号"), ("category", "领域"), ("upper_duties", "部门主要职责"), ("receiver", 2),
    ("receiver_method", "履职方式")), two_row_header=True, categories="merged",
    category_words=6206, extra=(("备注", 1), ("履职依据", 1)), rows=10, table_title="unit",
    footers=("total",), order=1, one_table=True, stray_spaces=True, serials_per_category=True,
    no_serial=True), seed=SEEDS[3])
def test_any_layout_with_quirks_is_exact_or_not_trusted(tmp_path, layout, seed):
    wrong, trusted = drawn_differences(tmp_path, expected(seed, layout), layout)
    assert wrong == [] or not trusted, wrong


# Print styles of office suites (``PdfStyle``): rows broken over a page as Word breaks them
# (its cells' text going on at the top of the next page, the serial on the first part, the
# header repeated or not, the cut ruled or left open), other rulings, page furniture, a 说明
# preface and a list starting mid-page. Each on a layout that makes it harder.
WORD_BREAKS = PdfStyle(word_breaks=True, portrait=True)
PRINT_STYLES = {
    "rows broken, header repeated": (WORD_BREAKS, Layout(place=XINJIANG)),
    "rows broken, no header repeated, cut ruled": (
        replace(WORD_BREAKS, repeat_header=False, cut_rules=True),
        Layout(place=XINJIANG, two_row_header=True, receiver_split=True)),
    "rows broken, merged categories": (replace(WORD_BREAKS, cut_rules=True),
                                       Layout(place=XINJIANG, categories="merged")),
    "rows broken, title and 填报单位 rows repeated": (
        WORD_BREAKS, Layout(place=XINJIANG, table_title="unit", serial_style="comma")),
    "rows broken, three lists in one table": (
        replace(WORD_BREAKS, repeat_header=False),
        Layout(place=XINJIANG, one_table=True, categories="section")),
    "thick frame and header rule": (PdfStyle(rules="thick"), Layout(place=XINJIANG,
                                                                    two_row_header=True)),
    "rules as filled rectangles": (replace(WORD_BREAKS, rules="filled", cut_rules=True),
                                   Layout(place=XINJIANG, categories="merged")),
    # a cut row left open at the page's foot, its rules filled rectangles: their short ends
    # were taken for rules closing the cut, and the row's first part fell out of the table
    "rules as filled rectangles, cut left open": (
        replace(WORD_BREAKS, rules="filled"), Layout(place=XINJIANG, no_serial=True,
                                                     table_title="title")),
    "cells as rectangles": (replace(WORD_BREAKS, rules="rects"),
                            Layout(place=XINJIANG, categories="merged", two_row_header=True)),
    "第 1 页 共 9 页, 附件1": (PdfStyle(page_numbers="of", attachment=True), Layout(
        place=XINJIANG)),
    "— 1 —, rows broken": (replace(WORD_BREAKS, page_numbers="em"), Layout(place=XINJIANG)),
    "说明 preface, list mid-page": (PdfStyle(preface=True, cover_page=False, page_numbers="none"),
                                  Layout(place=XINJIANG, title="township")),
}


@pytest.mark.parametrize("case", PRINT_STYLES)
@pytest.mark.parametrize("seed", SEEDS[::2])
def test_every_print_style_reads_exactly(tmp_path, seed, case):
    style, layout = PRINT_STYLES[case]
    layout = replace(layout, rows=14)
    wrong, trusted = differences(tmp_path, expected(seed, layout), layout, style)
    assert wrong == [] and trusted


def test_word_breaks_rows_over_pages(tmp_path):
    """The renderer breaks rows over pages (a row's parts on two pages), the serial on the
    first part only, and prints no header between the rows above and that part."""
    layout = Layout(place=XINJIANG, rows=14)
    pdf, used = render_as(expected(SEEDS[0], layout), layout, WORD_BREAKS)
    assert used.word_breaks and not used.split_rows
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    extraction = extract_file(REGISTRY, path, forced="pdf")
    broken = [item for item in extraction.items
              if item.span.page_first != item.span.page_last]
    assert len(broken) >= 2
    pages = dump(pdf, layout=False).split("\f") if have_pdftotext() else []
    for page in pages:  # the header once a page at most
        assert page.count("上级部门职责") <= 1


# Tables whose rules draw no cells (a frame only; a 三线表's rules over and under the header
# and under the table): the PDF reader does not read them, and says why and what to do; the
# pdftotext -layout reader reads their dump, and is never trusted while wrong.
@pytest.mark.parametrize("rules", ["outer", "three_line"])
def test_a_table_without_cell_rules_is_refused_with_advice(tmp_path, rules):
    layout = Layout(place=XINJIANG, rows=8)
    pdf, _ = render_as(expected(SEEDS[1], layout), layout, PdfStyle(rules=rules))
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    with pytest.raises(IngestError, match=r"三线表.*pdftotext -layout"):
        extract_file(REGISTRY, path, forced="pdf")


@pytest.mark.skipif(not have_pdftotext(), reason="needs poppler's pdftotext")
@pytest.mark.parametrize("rules", ["outer", "three_line"])
@pytest.mark.parametrize("seed", SEEDS[::2])
def test_a_table_without_cell_rules_dumped_is_exact_or_not_trusted(tmp_path, rules, seed):
    layout = Layout(place=XINJIANG, rows=10, categories="merged")
    wrong, trusted = differences(tmp_path, expected(seed, layout), layout,
                                 PdfStyle(rules=rules), reader="pdftotext-layout")
    assert wrong == [] or not trusted, wrong


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=12, quirks=True), seed=st.sampled_from(SEEDS),
       style=st.builds(PdfStyle, portrait=st.booleans(), font_size=st.sampled_from((8, 9, 10.5)),
                       word_breaks=st.just(True), repeat_header=st.booleans(),
                       cut_rules=st.booleans(),
                       rules=st.sampled_from(("grid", "thick", "filled", "rects")),
                       page_numbers=st.sampled_from(("dash", "em", "of", "none")),
                       attachment=st.booleans(), preface=st.booleans(),
                       cover_page=st.booleans()))
# Found by hypothesis: rules drawn as filled rectangles, a row broken over a page and left
# open there. The short ends of the vertical rules' rectangles were taken for rules closing
# the cut: the row's first part was no cell (text outside the table, dropped) and its second
# part ran into the header repeated above it; read as a row, trusted.
@example(layout=Layout(place=PLACES[-3], headers=(
    ("serial", "顺序号"), ("upper_duties", 3), ("township_duties", "属地职责"), ("receiver", 2),
    ("receiver_department", 3), ("receiver_method", "履职方式")), group=2,
    extra=(("履职依据", -1),), rows=12, table_title="title", footers=("note",),
    serial_style="float", stray_spaces=True, no_serial=True), seed=SEEDS[2], style=PdfStyle(
    portrait=True, font_size=10.5, word_breaks=True, rules="filled", page_numbers="em",
    attachment=True, preface=True, cover_page=False))
def test_any_layout_in_any_print_style_is_exact_or_not_trusted(tmp_path, layout, seed, style):
    try:
        wrong, trusted = differences(tmp_path, expected(seed, layout), layout, style)
    except LayoutError:
        reject()
    assert wrong == [] or not trusted, wrong
