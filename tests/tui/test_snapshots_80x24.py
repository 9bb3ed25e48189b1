"""The explorer's screens at 80x24, the smallest terminal it supports (issue 13, item 5);
``test_snapshots.py`` has them at 120x40.

Update after a deliberate change with
``pytest tests/tui/test_snapshots_80x24.py --snapshot-update`` and look at every SVG in
``__snapshots__`` before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_support import build_store, make_app, settle

SIZE = (80, 24)
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture
def snapshot_store(tmp_path: Path) -> Path:
    """A fixed store: the five bundled samples, ingested afresh (never the user's store)."""
    return build_store(tmp_path, [SAMPLES])


async def type_into_focused(pilot: Pilot[object], text: str) -> None:
    from textual.widgets import Input

    focused = pilot.app.focused
    assert isinstance(focused, Input)
    focused.cursor_blink = False  # a blinking cursor would make the snapshot flaky
    for char in text:
        focused.insert_text_at_cursor(char)
    await settle(pilot)
    await pilot.pause(0.5)  # the detail pane follows once typing rests


def test_main_screen_80x24(snap_compare, snapshot_store: Path) -> None:
    # Rows 4-6 hold “三会一课”, “四老”, “两委”: shown as 「」, aligned with the rest.
    assert snap_compare(make_app(snapshot_store), terminal_size=SIZE, run_before=settle)


def test_search_80x24(snap_compare, snapshot_store: Path) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        await type_into_focused(pilot, "两委")

    assert snap_compare(make_app(snapshot_store), terminal_size=SIZE, run_before=run_before)


def test_help_screen_80x24(snap_compare, snapshot_store: Path) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(make_app(snapshot_store), terminal_size=SIZE, run_before=run_before)


def test_counterparts_screen_80x24(snap_compare, snapshot_store: Path) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        await type_into_focused(pilot, "工伤认定调查")
        await pilot.press("enter", "m")  # 托格拉克乡's reclaimed 工伤认定调查
        await settle(pilot)

    assert snap_compare(make_app(snapshot_store), terminal_size=SIZE, run_before=run_before)


def test_compare_screen_80x24(snap_compare, snapshot_store: Path) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("x")  # from 托格拉克乡, the first township
        await type_into_focused(pilot, "昭苏")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(snapshot_store), terminal_size=SIZE, run_before=run_before)
