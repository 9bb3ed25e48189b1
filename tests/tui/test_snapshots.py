"""Snapshots of the explorer's screens (pytest-textual-snapshot), at 120x40 and at 80x24, the
smallest terminal it supports (issue 13, item 5).

Update after a deliberate change with ``pytest tests/tui/test_snapshots.py --snapshot-update``
and look at every SVG in ``__snapshots__`` before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_support import make_app, settle, type_into_focused

WIDE, SMALL = (120, 40), (80, 24)
SIZES = [pytest.param(WIDE, id="120x40"), pytest.param(SMALL, id="80x24")]


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, samples_store: Path, size: tuple[int, int]) -> None:
    # Rows 4-6 hold “三会一课”, “四老”, “两委”: shown as 「」, aligned with the rest.
    assert snap_compare(make_app(samples_store), terminal_size=size, run_before=settle)


def test_main_screen_township_and_cooperative_row(snap_compare, samples_store: Path) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("tab", "tab", "j", "j", "j", "enter")  # tree › 托格拉克乡
        await pilot.press(*"j" * 88)  # the fifth cooperative row: long duty steps
        await settle(pilot)

    assert snap_compare(make_app(samples_store), terminal_size=WIDE, run_before=run_before)


@pytest.mark.parametrize(("size", "query"), [
    pytest.param(WIDE, "工伤", id="120x40"),
    pytest.param(SMALL, "两委", id="80x24"),  # hits with “两委” in their names
])
def test_search(snap_compare, samples_store: Path, size: tuple[int, int], query: str) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        await type_into_focused(pilot, query)

    assert snap_compare(make_app(samples_store), terminal_size=size, run_before=run_before)


def test_detail_screen(snap_compare, samples_store: Path) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("tab", "tab", "j", "j", "j", "enter")  # tree › 托格拉克乡
        await pilot.press(*"j" * 88, "enter")  # a cooperative row with numbered steps
        await settle(pilot)

    assert snap_compare(make_app(samples_store), terminal_size=WIDE, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_counterparts_screen(snap_compare, samples_store: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        await type_into_focused(pilot, "工伤认定调查")
        await pilot.press("enter", "m")  # 托格拉克乡's reclaimed 工伤认定调查
        await settle(pilot)

    assert snap_compare(make_app(samples_store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_compare_screen(snap_compare, samples_store: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("x")  # from 托格拉克乡, the first township
        await type_into_focused(pilot, "昭苏")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(samples_store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, samples_store: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(samples_store), terminal_size=size, run_before=run_before)
