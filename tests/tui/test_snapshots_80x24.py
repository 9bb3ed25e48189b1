"""The explorer's screens at 80x24, the smallest terminal it supports (issue 13, item 5);
``test_snapshots.py`` has them at 120x40.

Update after a deliberate change with
``pytest tests/tui/test_snapshots_80x24.py --snapshot-update`` and look at every SVG in
``__snapshots__`` before committing it.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from tui_support import make_app, settle, type_into_focused

SIZE = (80, 24)


def test_main_screen_80x24(snap_compare, samples_store: Path) -> None:
    # Rows 4-6 hold “三会一课”, “四老”, “两委”: shown as 「」, aligned with the rest.
    assert snap_compare(make_app(samples_store), terminal_size=SIZE, run_before=settle)


def test_search_80x24(snap_compare, samples_store: Path) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        await type_into_focused(pilot, "两委")

    assert snap_compare(make_app(samples_store), terminal_size=SIZE, run_before=run_before)


def test_help_screen_80x24(snap_compare, samples_store: Path) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(samples_store), terminal_size=SIZE, run_before=run_before)


def test_counterparts_screen_80x24(snap_compare, samples_store: Path) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        await type_into_focused(pilot, "工伤认定调查")
        await pilot.press("enter", "m")  # 托格拉克乡's reclaimed 工伤认定调查
        await settle(pilot)

    assert snap_compare(make_app(samples_store), terminal_size=SIZE, run_before=run_before)


def test_compare_screen_80x24(snap_compare, samples_store: Path) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("x")  # from 托格拉克乡, the first township
        await type_into_focused(pilot, "昭苏")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(samples_store), terminal_size=SIZE, run_before=run_before)
