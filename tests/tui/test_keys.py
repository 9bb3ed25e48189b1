"""Every key of the explorer, driven with Textual's Pilot on a fixed store."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList, Static
from tui_support import drive, press, settle, text_of, type_text

from lvzhi.model import ListKind
from lvzhi.tui.actions import ACTIONS
from lvzhi.tui.app import LvzhiApp
from lvzhi.tui.screens.compare import CompareScreen
from lvzhi.tui.screens.counterparts import CounterpartsScreen
from lvzhi.tui.screens.export import ExportScreen
from lvzhi.tui.screens.help import HelpScreen, keys_table
from lvzhi.tui.screens.item import ItemScreen
from lvzhi.tui.screens.main import MainScreen
from lvzhi.tui.screens.picker import PickerScreen
from lvzhi.tui.screens.source import SourceScreen
from lvzhi.tui.widgets.detail_pane import DetailPane
from lvzhi.tui.widgets.ingest_panel import IngestPanel
from lvzhi.tui.widgets.item_table import ItemTable
from lvzhi.tui.widgets.result_table import ResultTable
from lvzhi.tui.widgets.township_tree import TownshipTree


def table(app: LvzhiApp) -> ItemTable:
    return app.main.query_one(ItemTable)


def names(app: LvzhiApp) -> list[str]:
    return [item.name for item in table(app).rows]


def test_start_shows_every_item_and_the_tree(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        assert len(table(app).rows) == 36
        tree = app.main.query_one(TownshipTree)
        labels = [str(node.label) for node in tree._township_nodes.values()]
        assert "托格拉克乡  基8 配3 收2" in labels
        assert app.focused is table(app)
        assert "36 rows" in text_of(app.main.query_one("#status-view", Static))
        # The app told the screen (IndexesBuilt) what the store holds once matching was built.
        assert text_of(app.main.query_one("#status-work", Static)).strip() == (
            "3 townships · 36 items")

    drive(corpus_store, scenario)


def test_slash_focuses_search_and_typing_filters(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "slash")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "工伤")
        assert names(app)[:3] == ["工伤认定调查"] * 3
        assert all("工伤" in name for name in names(app))
        assert len(names(app)) == 9
        assert table(app).view.spans  # matches are highlighted
        await press(pilot, "enter")
        assert app.focused is table(app)

    drive(corpus_store, scenario)


def test_escape_clears_search_then_filters_and_leaves_the_search_bar(
        corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "slash")
        await type_text(pilot, "工伤")
        await press(pilot, "escape")  # clears the query, stays in the bar
        assert app.main.query_one(Input).value == ""
        assert len(names(app)) == 36
        await press(pilot, "escape")  # leaves the bar
        assert app.focused is table(app)
        await press(pilot, "b", "f")
        await press(pilot, "down", "enter")  # the most common category
        assert app.main.filter.category
        await press(pilot, "escape")
        assert app.main.filter.category is None
        assert app.main.filter.kinds == frozenset(ListKind)

    drive(corpus_store, scenario)


def test_tab_and_shift_tab_move_between_panes(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        order = []
        for _ in range(3):
            await press(pilot, "tab")
            order.append(type(app.focused).__name__)
        assert order == ["DetailPane", "TownshipTree", "ItemTable"]  # search: only with /
        before = app.focused
        await press(pilot, "tab", "shift+tab")
        assert app.focused is before

    drive(corpus_store, scenario)


def test_arrows_and_j_k_move_the_cursor_and_the_detail_follows(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        items = table(app)
        await press(pilot, "j", "j", "down")
        assert items.cursor_row == 3
        await press(pilot, "k", "up")
        assert items.cursor_row == 1
        detail = app.main.query_one(DetailPane)
        assert "履行全面从严治党主体责任" in text_of(detail.query_one("#detail-body", Static))
        await press(pilot, "end")
        assert items.cursor_row == 35
        await press(pilot, "home")
        assert items.cursor_row == 0
        await press(pilot, "pagedown")
        assert items.cursor_row > 10

    drive(corpus_store, scenario)


def test_tree_keys_choose_a_township(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        tree = app.main.query_one(TownshipTree)
        tree.focus()
        await press(pilot, "j", "j", "j")  # 全部 › 伊犁州 › 伊宁市 › 托格拉克乡
        assert {i.township for i in table(app).rows} == {"托格拉克乡"}
        assert len(table(app).rows) == 13
        await press(pilot, "k")  # the county: still just this township here
        assert app.main.place == "伊宁市"
        await press(pilot, "k")  # the prefecture: two townships
        assert {i.township for i in table(app).rows} == {"托格拉克乡", "昭苏镇"}
        await press(pilot, "enter")
        assert app.focused is table(app)

    drive(corpus_store, scenario)


def test_enter_opens_the_item_screen_and_escape_comes_back(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "enter")
        assert isinstance(app.screen, ItemScreen)
        assert app.screen.item.serial == 1
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)

    drive(corpus_store, scenario)


def test_b_c_r_toggle_the_lists(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "b")
        assert {i.list for i in table(app).rows} == {ListKind.COOPERATIVE, ListKind.RECLAIMED}
        await press(pilot, "c")
        assert {i.list for i in table(app).rows} == {ListKind.RECLAIMED}
        await press(pilot, "r")  # would hide everything: refused
        assert {i.list for i in table(app).rows} == {ListKind.RECLAIMED}
        await press(pilot, "b", "c")
        assert len(table(app).rows) == 36
        assert "36 rows" in text_of(app.main.query_one("#status-view", Static))

    drive(corpus_store, scenario)


def test_f_filters_by_category(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "f")
        assert isinstance(app.screen, PickerScreen)
        await type_text(pilot, "平安")
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert {i.category for i in table(app).rows} == {"平安法治"}
        await press(pilot, "f")
        await type_text(pilot, "all")
        await press(pilot, "enter")  # 全部类别 (all categories)
        assert app.main.filter.category is None
        await press(pilot, "f", "escape")
        assert isinstance(app.screen, MainScreen)

    drive(corpus_store, scenario)


def test_m_shows_counterparts_and_enter_jumps_to_one(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "slash")
        await type_text(pilot, "工伤认定调查")
        await press(pilot, "enter", "m")
        screen = app.screen
        assert isinstance(screen, CounterpartsScreen)
        assert screen.item.township == "托格拉克乡"
        found = {app.catalog.item(i).township for i in screen.ids}
        assert found == {"昭苏镇", "吐葫芦乡"}
        assert screen.query_one(ResultTable).row_count == len(screen.ids)
        await press(pilot, "j", "enter")
        chosen = app.catalog.item(screen.ids[1])
        assert isinstance(app.screen, MainScreen)
        assert table(app).current == chosen
        assert app.main.filter.doc_ids == frozenset({chosen.doc_id})
        assert app.main.query_one(Input).value == ""

    drive(corpus_store, scenario)


def test_s_shows_the_source_with_the_row_highlighted(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "j", "s")
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.query_one("#source").border_title == "a_tuogelake.csv · line 4"
        shown = text_of(app.screen.query_one("#source-text", Static)).splitlines()
        marked = [line for line in shown if "▌" in line]
        assert len(marked) == 1 and "2,党的建设,履行全面从严治党主体责任" in marked[0]
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)

    drive(corpus_store, scenario)


def test_x_compares_two_townships_and_enter_jumps(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "x")
        assert isinstance(app.screen, PickerScreen)
        await type_text(pilot, "昭苏")
        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert (screen.doc_a.township, screen.doc_b.township) == ("托格拉克乡", "昭苏镇")
        assert len(screen.ids["both"]) >= 8
        assert len(screen.ids["only-a"]) == 1  # 昭苏镇 has no 开展矛盾纠纷排查化解…
        await press(pilot, "right")
        assert screen.query_one("TabbedContent").active == "only-a"
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert table(app).current.name == "开展矛盾纠纷排查化解，做好信访接待和“三调联动”工作"

    drive(corpus_store, scenario)


def test_e_exports_the_view_as_csv_jsonl_and_xlsx(corpus_store: Path, tmp_path: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "b")  # cooperative + reclaimed: 14 rows
        for fmt in ("csv", "jsonl", "xlsx"):
            await press(pilot, "e")
            assert isinstance(app.screen, ExportScreen)
            field = app.screen.query_one(Input)
            field.value = str(tmp_path / f"view.{fmt}")
            await press(pilot, "enter")
            assert isinstance(app.screen, MainScreen)
        await settle(pilot)

    drive(corpus_store, scenario)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "view.csv").read_text("utf-8-sig"))))
    assert len(rows) == 14 and {r["list"] for r in rows} == {"cooperative", "reclaimed"}
    lines = (tmp_path / "view.jsonl").read_bytes().splitlines()
    assert [orjson.loads(line)["name"] for line in lines] == [r["name"] for r in rows]
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "view.xlsx")
    assert sum(sheet.max_row - 1 for sheet in book) == 14


def test_export_refuses_an_unknown_extension(corpus_store: Path, tmp_path: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "e")
        app.screen.query_one(Input).value = str(tmp_path / "view.ods")
        await press(pilot, "enter")
        assert isinstance(app.screen, ExportScreen)  # stays, with an explanation
        assert ".csv, .xlsx or .jsonl" in text_of(app.screen.query_one("#export-error", Static))

    drive(corpus_store, scenario)
    assert not (tmp_path / "view.ods").exists()


def test_export_asks_before_replacing_a_file(corpus_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "old.csv"
    target.write_text("keep me", encoding="utf-8")

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "e")
        app.screen.query_one(Input).value = str(target)
        await press(pilot, "enter")
        assert isinstance(app.screen, ExportScreen)
        assert "exists" in text_of(app.screen.query_one("#export-error", Static))
        assert target.read_text("utf-8") == "keep me"
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        await settle(pilot)

    drive(corpus_store, scenario)
    assert target.read_text("utf-8-sig").startswith("id,doc_id")


def test_question_mark_shows_every_key(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)

    drive(corpus_store, scenario)
    listed = text_of(Static(keys_table()))
    for action in ACTIONS:
        assert " ".join(action.help.split()[:3]) in listed


def test_q_quits(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await pilot.press("q")
        await pilot.pause()

    app = drive(corpus_store, scenario)
    assert app.return_code == 0


def test_t_and_the_palette_switch_township(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "t")
        await type_text(pilot, "吐葫芦")
        await press(pilot, "enter")
        assert {i.township for i in table(app).rows} == {"吐葫芦乡"}
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Switch to 昭苏镇")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert {i.township for i in table(app).rows} == {"昭苏镇"}

    drive(corpus_store, scenario)


@pytest.mark.parametrize("typed", ["thl", "tuhulu"])
def test_t_takes_pinyin_and_offers_every_township(corpus_store: Path, typed: str) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "t")
        await type_text(pilot, typed)
        await press(pilot, "enter")
        assert {i.township for i in table(app).rows} == {"吐葫芦乡"}
        await press(pilot, "t")
        await type_text(pilot, "全部")
        await press(pilot, "enter")
        assert len({i.township for i in table(app).rows}) == 3

    drive(corpus_store, scenario)


def test_slash_searches_every_township_and_escape_returns_to_the_one_shown(
        corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "t")
        await type_text(pilot, "吐葫芦")
        await press(pilot, "enter")
        await press(pilot, "j", "j")  # the cursor on some item of 吐葫芦乡
        await press(pilot, "slash")
        await type_text(pilot, "工伤认定")
        found = {i.township for i in table(app).rows}
        assert {"托格拉克乡", "昭苏镇", "吐葫芦乡"} <= found
        assert table(app).current == table(app).rows[0]  # the best hit, not the last item
        await press(pilot, "escape")
        assert {i.township for i in table(app).rows} == {"吐葫芦乡"}

    drive(corpus_store, scenario)


def test_escape_after_following_a_counterpart_brings_the_search_back(
        corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "slash")
        await type_text(pilot, "工伤认定调查")
        await press(pilot, "enter")
        before = table(app).current
        rows_before = [i.id for i in table(app).rows]
        await press(pilot, "m")
        await press(pilot, "j", "enter")
        assert isinstance(app.screen, MainScreen) and table(app).current != before
        await press(pilot, "escape")
        assert app.main.query_one(Input).value == "工伤认定调查"
        assert [i.id for i in table(app).rows] == rows_before
        assert table(app).current == before
        from lvzhi.tui.widgets.status_bar import StatusBar

        status = app.main.query_one(StatusBar).query_one("#status-view", Static)
        assert " · 全部 · " in text_of(status)  # the place it showed before

    drive(corpus_store, scenario)


def test_t_puts_the_tree_cursor_on_a_township_of_a_folded_county(
        corpus_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lvzhi.tui.widgets import township_tree
    from lvzhi.tui.widgets.township_tree import TownshipTree

    monkeypatch.setattr(township_tree, "UNFOLD_LIMIT", 0)  # a province: counties folded

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "t")
        await type_text(pilot, "吐葫芦")
        await press(pilot, "enter")
        await pilot.pause(0.1)
        tree = app.main.query_one(TownshipTree)
        assert tree.cursor_node is not None and "吐葫芦乡" in str(tree.cursor_node.label)
        assert {i.township for i in table(app).rows} == {"吐葫芦乡"}

    drive(corpus_store, scenario)


def test_a_folded_county_gets_its_townships_when_unfolded(
        corpus_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A country's townships are not all nodes from the start: a folded county gets its
    townships' nodes when it is unfolded, each shown as before."""
    from lvzhi.tui.widgets import township_tree
    from lvzhi.tui.widgets.township_tree import TownshipTree

    monkeypatch.setattr(township_tree, "UNFOLD_LIMIT", 0)  # a province: counties folded

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        tree = app.main.query_one(TownshipTree)
        counties = [c for p in tree.root.children for c in p.children]
        assert counties and all(not c.children and c.allow_expand for c in counties)
        county = counties[-1]
        tree.focus()
        tree.move_cursor(county)
        await press(pilot, "space")
        await pilot.pause(0.1)
        assert county.is_expanded and county.data is not None
        assert {next(iter(t.data)) for t in county.children if t.data} == set(county.data)
        townships = {app.catalog.document(d).township for d in county.data}
        assert {str(t.label).split("  ")[0] for t in county.children} == townships
        await press(pilot, "space", "space")  # folded and unfolded again: no second copy
        assert len(county.children) == len(county.data)

    drive(corpus_store, scenario)


def test_an_item_file_gone_under_the_explorer_is_a_message_not_a_crash(
        corpus_store: Path) -> None:
    from lvzhi.store import Store
    from lvzhi.tui.widgets.detail_pane import DetailPane

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        store = Store(corpus_store)
        for doc in store.documents():  # as if another lvzhi replaced them all meanwhile
            store.item_file(doc.id).unlink()
        await press(pilot, "end")  # an item of another township: its file was never read
        await pilot.pause(0.2)
        body = app.main.query_one(DetailPane).query_one("#detail-body", Static)
        assert "This item cannot be read" in text_of(body)
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert any("Cannot read the item" in (n.title or "") for n in app._notifications)

    drive(corpus_store, scenario)


def test_palette_runs_actions_from_the_table(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "basic list")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert ListKind.BASIC not in app.main.filter.kinds

    drive(corpus_store, scenario)


def test_first_start_ingests_the_samples_with_progress(
        tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, object]] = []
    for name in ("start", "set_total", "advance", "finish"):
        original = getattr(IngestPanel, name)

        def record(self: IngestPanel, *args: object, _name: str = name,
                   _original: Callable[..., None] = original) -> None:
            calls.append((_name, args[0] if args else None))
            _original(self, *args)

        monkeypatch.setattr(IngestPanel, name, record)

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        assert len(table(app).rows) == 36
        assert not app.main.query_one(IngestPanel).display  # hidden again when done
        assert any(n.title == "Read 3 file(s)" for n in app._notifications)

    drive(tmp_path / "new-store.json", scenario, samples=corpus[0].parent)
    assert [c[0] for c in calls] == ["start", "set_total", "advance", "advance", "advance",
                                     "finish"]
    assert calls[1] == ("set_total", 3)
    assert (tmp_path / "new-store.json").exists()


def test_a_file_that_cannot_be_read_is_a_notification(tmp_path: Path, corpus_store: Path,
                                                      ) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("序号,事项类别,事项名称\n这不是清单\n", encoding="utf-8")

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "i")
        app.screen.query_one(Input).value = str(broken)
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "broken.csv" in errors[0].message
        assert len(table(app).rows) == 36  # the store is as it was

    drive(corpus_store, scenario)


def test_i_ingests_a_new_file(tmp_path: Path, corpus_store: Path) -> None:
    from tui_corpus import township_csv

    extra = tmp_path / "d_new.csv"
    extra.write_text(township_csv("喀什地区伽师县克孜勒苏乡", "县级", "乡", (), True), "utf-8")

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "i")
        app.screen.query_one(Input).value = str(extra)
        await press(pilot, "enter")
        await settle(pilot)
        assert len(app.catalog.documents) == 4
        assert "克孜勒苏乡" in {i.township for i in table(app).rows}

    drive(corpus_store, scenario)


def test_the_ingest_dialog_starts_with_a_real_path_and_says_why_enter_did_nothing(
        corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "i")
        field = app.screen.query_one(Input)
        assert field.value.endswith(os.sep) and Path(field.value).is_dir()
        field.value = ""
        await press(pilot, "enter")
        error = app.screen.query_one("#ingest-error", Label)
        assert "Type the path" in str(error.render())
        field.value = "/no/such/place"
        await press(pilot, "enter")
        assert "No such file or folder" in str(error.render())

    drive(corpus_store, scenario)


def test_options_of_a_picker_follow_typing(corpus_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "t")
        options = app.screen.query_one(OptionList)
        assert options.option_count == 4  # 全部, then the three townships
        await type_text(pilot, "伊犁")
        assert options.option_count == 2
        await press(pilot, "escape")

    drive(corpus_store, scenario)


def test_key_bar_shows_the_focused_keys_and_a_click_presses_one(corpus_store: Path) -> None:
    from lvzhi.tui.widgets.key_bar import KeyBar

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        bar = app.main.query_one(KeyBar)
        hints = text_of(bar)
        for label in ("Open", "Search", "基本", "Counterparts", "Compare", "Export", "palette"):
            assert label in hints
        start = next(s for s, _, key in bar._targets if key == "b")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await settle(pilot)
        assert ListKind.BASIC not in app.main.filter.kinds

    drive(corpus_store, scenario)
