"""At 80×24 nothing runs off the screen and no count is cut mid-number (issue 13, item 5)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable
from tui_support import make_app, settle

from lvzhi.tui.screens.counterparts import CounterpartsScreen
from lvzhi.tui.screens.help import HelpScreen
from lvzhi.tui.widgets.township_tree import fit_counts


def test_fit_counts_drops_whole_counts_never_digits() -> None:
    label = Text("托格拉克乡  基84 配121 收52")
    assert fit_counts(label.copy(), 40).plain == "托格拉克乡  基84 配121 收52"
    assert fit_counts(label.copy(), 26).plain == "托格拉克乡  基84 配121⋯"
    assert fit_counts(label.copy(), 17).plain == "托格拉克乡  基84⋯"
    assert fit_counts(label.copy(), 12).plain == "托格拉克乡"


def test_dialogs_fit_an_80_by_24_terminal(corpus_store: Path) -> None:
    app = make_app(corpus_store, None)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("m")
            await settle(pilot)
            assert isinstance(app.screen, CounterpartsScreen)
            box = app.screen.query_one("#counterparts").region
            assert box.right <= 80 and box.bottom <= 24
            table = app.screen.query_one(DataTable)
            widths = sum(c.get_render_width(table) for c in table.columns.values())
            assert widths <= box.width - 2  # the 相似度 column is on screen
            await pilot.press("escape", "question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            region = app.screen.query_one("#help").region
            assert region.right <= 80 and region.bottom <= 24

    asyncio.run(run())


def test_compare_keeps_side_b_and_the_score_on_an_80_column_terminal(corpus_store: Path) -> None:
    from lvzhi.tui.screens.compare import CompareScreen

    app = make_app(corpus_store, None)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            a, b = app.catalog.documents[:2]
            app.push_screen(CompareScreen(a, b))
            await settle(pilot)
            box = app.screen.query_one("#compare").region
            for table in app.screen.query(DataTable):
                widths = sum(c.get_render_width(table) for c in table.columns.values())
                assert widths <= box.width - 2, table.id

    asyncio.run(run())


def test_key_bar_keeps_help_quit_and_search_at_80_columns(corpus_store: Path) -> None:
    from tui_support import text_of

    from lvzhi.tui.widgets.key_bar import KeyBar

    app = make_app(corpus_store, None)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            bar = app.main.query_one(KeyBar)
            hints = text_of(bar)
            for hint in ("? Help", "q Quit", "/ Search", "^p palette"):
                assert hint in hints, hints
            assert max(end for _, end, _ in bar._targets) <= 80
            await pilot.press("m")  # the counterparts modal: its way back stays too
            await settle(pilot)
            assert "esc Back" in text_of(app.screen.query_one(KeyBar))

    asyncio.run(run())


def test_search_bar_shows_the_way_out_at_80_columns(corpus_store: Path) -> None:
    """In the search bar ? and q are typed, not pressed: esc is shown, and works, instead."""
    from textual.widgets import Input
    from tui_support import text_of

    from lvzhi.tui.widgets.item_table import ItemTable
    from lvzhi.tui.widgets.key_bar import KeyBar

    app = make_app(corpus_store, None)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("slash", "q")
            await settle(pilot)
            search = app.focused
            assert isinstance(search, Input) and search.value == "q"
            assert "esc Back" in text_of(app.main.query_one(KeyBar))
            await pilot.press("escape")  # clears the query
            await settle(pilot)
            assert search.value == "" and app.focused is search
            await pilot.press("escape")  # leaves the bar: q quits again
            await settle(pilot)
            assert isinstance(app.focused, ItemTable)
            assert "q Quit" in text_of(app.main.query_one(KeyBar))

    asyncio.run(run())
