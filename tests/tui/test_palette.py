"""The command palette takes pinyin and initials as the t, x and f pickers do (issue 13, item 8)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_support import make_app, settle

from lvzhi.model import ListKind
from lvzhi.tui.app import LvzhiApp
from lvzhi.tui.commands import spells
from lvzhi.tui.widgets.item_table import ItemTable


def test_spells_takes_initials_and_syllables_only_of_chinese() -> None:
    assert spells("tky", "第一师 阿拉尔市 托喀依乡 003.txt")
    assert spells("tuo kayi", "第一师 阿拉尔市 托喀依乡 003.txt")
    assert spells("JB", "Toggle the basic list (基本)")
    assert not spells("t", "托喀依乡")  # one letter would match nearly everything
    assert not spells("basic", "Toggle the basic list")  # no Chinese: the fuzzy matcher's
    assert not spells("托喀", "托喀依乡")


async def palette(pilot: object, app: LvzhiApp, typed: str) -> None:
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    focused = app.focused
    assert isinstance(focused, Input)
    for char in typed:
        focused.insert_text_at_cursor(char)
    await pilot.pause(0.4)  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["thl", "tuhulu", "yiwu"])
def test_palette_switches_township_by_pinyin(corpus_store: Path, typed: str) -> None:
    app = make_app(corpus_store, None)

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await palette(pilot, app, typed)
            assert {i.township for i in app.main.query_one(ItemTable).rows} == {"吐葫芦乡"}

    asyncio.run(run())


@pytest.mark.parametrize("typed", ["jb", "jiben"])
def test_palette_runs_a_command_by_the_pinyin_of_its_chinese(corpus_store: Path,
                                                            typed: str) -> None:
    app = make_app(corpus_store, None)

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await palette(pilot, app, typed)
            assert ListKind.BASIC not in app.main.filter.kinds

    asyncio.run(run())


def test_help_says_the_palette_takes_pinyin() -> None:
    import io

    from rich.console import Console

    from lvzhi.tui.screens.help import keys_table

    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(keys_table())
    assert "pinyin works too" in console.export_text()
