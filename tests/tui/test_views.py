"""The explorer's parts that need no screen: views of the catalog, CJK cell layout, keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.widgets import Static

from lvzhi.model import ListKind
from lvzhi.store import Store
from lvzhi.tui.actions import ACTIONS, bindings
from lvzhi.tui.catalog import Catalog, ViewFilter
from lvzhi.tui.widgets.cjk_text import NO_LINE_START, wrap_cjk
from lvzhi.tui.widgets.item_table import fit, fit_marked, layout
from lvzhi.tui.widgets.township_tree import short_count


def catalog_of(store_path: Path) -> Catalog:
    return Catalog.from_store(Store(store_path))


def test_a_catalog_of_whole_items_is_the_catalog_of_the_store(corpus_store: Path) -> None:
    store = Store(corpus_store)
    from_items = Catalog.of_items(store.items(), store.documents())
    from_store = catalog_of(corpus_store)
    assert list(from_items.items) == list(from_store.items)
    assert from_items.ranges == from_store.ranges
    row = from_store.items[17]
    assert from_store.full(row) == from_items.full(row) == store.item(row.id)
    assert from_store.full(row).upper_duties or from_store.full(row).receiver or row.list == "basic"


def test_listing_filtering_and_fallback_search_read_no_item_file(
        corpus_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    real = Store._read_items
    monkeypatch.setattr(Store, "_read_items", lambda self, doc_id: reads.append(doc_id)
                        or real(self, doc_id))
    catalog = Catalog.from_store(Store(corpus_store))
    everything = catalog.select(ViewFilter())
    some = catalog.select(ViewFilter(kinds=frozenset({ListKind.RECLAIMED}), category="民生服务"))
    found = catalog.select(ViewFilter(query="工伤"))  # before the index: the columns
    shown = [*everything.rows[:40], *some.rows[:40], *found.rows]
    assert len(everything.rows) == len(catalog) and found.rows and some.rows
    assert catalog.categories(None) and reads == []
    whole = catalog.full(shown[-1])
    assert reads == [whole.doc_id] and whole.name == shown[-1].name


def test_items_are_in_place_list_serial_order(corpus_store: Path) -> None:
    catalog = catalog_of(corpus_store)
    assert [d.township for d in catalog.documents] == ["托格拉克乡", "昭苏镇", "吐葫芦乡"]
    first = catalog.items[: len(catalog.ranges[catalog.documents[0].id])]
    order = {k: n for n, k in enumerate(ListKind)}
    assert first == sorted(first, key=lambda i: (order[i.list], i.serial))
    view = catalog.select(ViewFilter())
    assert all(view.index_of(catalog.items[n].id) == n for n in range(len(catalog)))
    assert view.index_of("nope:basic:1") is None


def test_views_by_township_list_and_category(corpus_store: Path) -> None:
    catalog = catalog_of(corpus_store)
    a = catalog.documents[0].id
    one = catalog.select(ViewFilter(doc_ids=frozenset({a})))
    assert len(one.rows) == 13 and {i.doc_id for i in one.rows} == {a}
    reclaimed = catalog.select(ViewFilter(kinds=frozenset({ListKind.RECLAIMED})))
    assert [i.name for i in reclaimed.rows].count("工伤认定调查") == 2
    safety = catalog.select(ViewFilter(category="平安法治"))
    assert {i.category for i in safety.rows} == {"平安法治"}
    assert catalog.categories(frozenset({a}))[0] == ("民生服务", 4)
    everything = catalog.select(ViewFilter())
    assert everything.rows is catalog.items and everything.index_of(catalog.items[7].id) == 7


def test_search_before_the_index_is_ready_finds_exact_text(corpus_store: Path) -> None:
    catalog = catalog_of(corpus_store)
    view = catalog.select(ViewFilter(query="工伤认定"))
    assert len(view.rows) == 6 and all("工伤认定" in i.name for i in view.rows)
    item = view.rows[0]
    start, end = view.spans[item.id][0]
    assert item.name[start:end] == "工伤认定"
    by_department = catalog.select(ViewFilter(query="禁毒办"))
    assert {i.name for i in by_department.rows} == {"禁毒宣传教育"}


def test_search_with_the_index_is_ranked_and_filtered(corpus_store: Path) -> None:
    from lvzhi.search import SearchIndex
    from lvzhi.store import Store

    catalog = catalog_of(corpus_store)
    index = SearchIndex(Store(corpus_store).synced_index())
    a = catalog.documents[0].id
    view = catalog.select(ViewFilter(doc_ids=frozenset({a}), query="gsrd"), index)
    assert view.searched
    assert {i.doc_id for i in view.rows} == {a}
    assert view.rows[0].name.startswith("工伤认定")


def test_fit_counts_chinese_as_two_cells_and_cuts_with_an_ellipsis() -> None:
    assert fit("工伤认定调查", 12) == "工伤认定调查"
    assert fit("工伤认定调查", 14) == "工伤认定调查  "
    assert fit("工伤认定调查", 11) == "工伤认定调⋯"
    assert fit("工伤认定调查", 10) == "工伤认定⋯ "  # never half a character
    assert fit("12", 4, right=True) == "  12"
    for width in range(2, 30):
        for text in ("做好“两个维护”，坚定拥护", "a工b伤c", "县人社局 承接方式：由县"):
            assert cell_len(fit(text, width)) == width


def test_fit_marked_keeps_matches_and_width() -> None:
    runs = fit_marked("开展工伤保险政策宣传", 12, [(2, 4)])
    assert runs[0] == ("开展", False) and runs[1] == ("工伤", True)
    assert sum(cell_len(text) for text, _ in runs) == 12
    assert "".join(text for text, _ in runs).rstrip().endswith("⋯")


def test_layout_fills_the_width_and_gives_the_name_the_rest() -> None:
    for width in (40, 52, 60, 82, 120, 200):
        for township in (True, False):
            columns = layout(width, township)
            used = sum(c.width for c in columns) + len(columns) - 1
            name = next(c for c in columns if c.key == "name")
            assert used == width or (used > width and name.width == 12)
            assert name.width >= 12
    assert "department" not in {c.key for c in layout(52, True)}  # narrow: name first


def test_tree_counts_stay_short() -> None:
    assert short_count(84) == "84"
    assert short_count(9_866) == "9866"
    assert short_count(99_556) == "10.0万"


def test_every_action_is_bound_where_it_belongs() -> None:
    scopes = {a.scope for a in ACTIONS}
    for scope in scopes:
        keys = {b.key for b in bindings(scope)}
        assert keys == {a.keys for a in ACTIONS if a.scope == scope}
    issue_keys = {"slash", "escape", "tab", "shift+tab", "down,j", "up,k", "enter", "b", "c",
                  "r", "f", "m", "s", "x", "e", "question_mark", "q"}
    assert issue_keys <= {a.keys for a in ACTIONS}


@given(text=st.text(alphabet="工伤认定调查，。、（）“”；1.ab \n", max_size=80),
       width=st.integers(min_value=2, max_value=30))
def test_cjk_wrapping_keeps_every_character_within_the_width(text: str, width: int) -> None:
    lines = wrap_cjk(text, width)
    assert "".join(lines) == text.replace("\n", "")
    assert all(cell_len(line) <= width or len(line) == 1 for line in lines)


@given(words=st.lists(st.sampled_from(["工伤认定", "调查", "做好", "本乡"]), min_size=1,
                      max_size=12),
       marks=st.lists(st.sampled_from("，。、；：”）"), min_size=12, max_size=12),
       width=st.integers(min_value=8, max_value=30))
def test_cjk_wrapping_never_starts_a_line_with_a_closing_mark(
        words: list[str], marks: list[str], width: int) -> None:
    text = "".join(w + m for w, m in zip(words, marks, strict=False))
    for line in wrap_cjk(text, width)[1:]:
        assert line[0] not in NO_LINE_START


def test_cjk_wrapping_moves_a_character_down_with_a_closing_mark() -> None:
    assert wrap_cjk("做好本乡工作，加强", 12) == ["做好本乡工", "作，加强"]
    assert wrap_cjk("报州党委组织部、州人社局", 14) == ["报州党委组织", "部、州人社局"]
    assert wrap_cjk("择优推荐招录（聘）初步人选", 14) == ["择优推荐招录", "（聘）初步人选"]


def test_source_of_a_text_document_marks_the_row_lines(tmp_path: Path) -> None:
    from tui_support import text_of

    from lvzhi.model import Document, Item, Span
    from lvzhi.tui.screens.source import excerpt

    path = tmp_path / "list.txt"
    path.write_text("".join(f"第{n}行\n" for n in range(1, 41)), encoding="utf-8")
    doc = Document("d", "list.txt", str(path), "plaintext", "x", "", "", "某乡")
    item = Item("d:basic:1", "d", "list.txt", "", "", "某乡", ListKind.BASIC, 1, "", "名",
                span=Span(line_first=20, line_last=21))
    shown = text_of(Static(excerpt(doc, item))).splitlines()
    marked = [line for line in shown if "▌" in line]
    assert [m.split("▌")[0].strip() for m in marked] == ["20", "21"]
    assert shown[0].split()[0] == "14"  # a few lines of context before
    doc.path = str(tmp_path / "moved.txt")
    assert "no longer at" in text_of(Static(excerpt(doc, item)))


def test_source_of_a_pdf_shows_the_page_and_marks_the_row(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from tui_support import text_of

    from lvzhi.model import Document, Item, Span
    from lvzhi.tui.screens.source import excerpt

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "list.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 12)
    rows = ["1 党的建设 推荐县级以上党代表工作", "2 民生服务 工伤认定调查",
            "3 平安法治 禁毒宣传教育"]
    for n, row in enumerate(rows):
        pdf.drawString(72, 760 - 20 * n, row)
    pdf.showPage()
    pdf.save()
    doc = Document("d", "list.pdf", str(path), "pdf", "x", "", "", "某乡")
    item = Item("d:basic:2", "d", "list.pdf", "", "", "某乡", ListKind.BASIC, 2, "民生服务",
                "工伤认定调查", span=Span(page_first=1, page_last=1))
    shown = text_of(Static(excerpt(doc, item))).splitlines()
    assert "— page 1 —" in shown[0]
    marked = [line for line in shown if "▌" in line]
    assert len(marked) == 1 and "工伤认定调查" in marked[0]
