"""One township, several versions, in the explorer: a revised 昭苏镇 is one township in the tree,
the totals, the pickers and counterparts; ``D`` shows what changed between its versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static
from tui_support import build_store, drive, make_app, press, settle, text_of

from lvzhi.ingest import ingest
from lvzhi.plugins import load_plugins
from lvzhi.store import Store
from lvzhi.tui.actions import ACTIONS
from lvzhi.tui.app import LvzhiApp
from lvzhi.tui.screens.counterparts import CounterpartsScreen
from lvzhi.tui.screens.help import keys_table
from lvzhi.tui.screens.main import MainScreen
from lvzhi.tui.screens.picker import PickerScreen
from lvzhi.tui.screens.versions import VersionsDiffScreen
from lvzhi.tui.widgets.township_tree import TownshipTree
from tests.conftest import SAMPLES
from tests.second_version import ADDED, MOVED, REMOVED, write_second_version

ZHAOSU_V1 = SAMPLES / "001_608acf05b3629a7f.txt"
TUOGELAKE = SAMPLES / "000_8e877d29f72b689e.txt"
# Fixed ingest times, so the diff screen's header is the same on every run.
INGESTED = {ZHAOSU_V1.name: "2026-01-05T09:00:00+00:00",
            TUOGELAKE.name: "2026-01-05T09:00:00+00:00",
            "zhaosu-revised.md": "2026-03-01T10:30:00.250000+00:00"}


@pytest.fixture
def versions_store(tmp_path: Path) -> Path:
    """托格拉克乡 and 昭苏镇, then a revised 昭苏镇 ingested next to it."""
    path = build_store(tmp_path, [ZHAOSU_V1, TUOGELAKE])
    second = write_second_version(tmp_path / "zhaosu-revised.md", dated=True)
    result = ingest(Store(path), load_plugins([]), [second])
    assert not result.failed
    catalog = json.loads(path.read_text("utf-8"))
    for record in catalog["documents"].values():
        record["ingested_at"] = INGESTED[record["source"]]
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    return path


async def to_zhaosu(pilot: Pilot[object]) -> None:
    await press(pilot, "t")
    for char in "昭苏":
        await pilot.press(char)
    await press(pilot, "enter")


def tree_names(app: LvzhiApp) -> list[str]:
    tree = app.main.query_one(TownshipTree)
    out, nodes = [], [tree.root]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.children)
        if not node.children and node is not tree.root:
            out.append(node.label.plain.split("  ")[0])
    return sorted(out)


def test_the_tree_and_totals_count_a_township_once(versions_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        assert tree_names(app) == ["托格拉克乡", "昭苏镇"]
        root = app.main.query_one(TownshipTree).root.label.plain
        assert "基172" in root and "收105" in root  # 84+88, 52+53: the older 昭苏镇 left out
        status = text_of(app.main.query_one("#status-work", Static))
        assert "2 townships" in status and f"{84 + 121 + 52 + 88 + 128 + 53:,} items" in status

    drive(versions_store, scenario)


def test_the_compare_picker_lists_a_township_once(versions_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "t")
        assert isinstance(app.screen, PickerScreen)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(n).prompt)
                  for n in range(options.option_count)]
        assert sum("昭苏镇" in label for label in labels) == 1
        await press(pilot, "escape", "x")  # from 托格拉克乡: 昭苏镇 once
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1

    drive(versions_store, scenario)


def test_counterparts_never_list_the_township_itself(versions_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await to_zhaosu(pilot)
        await press(pilot, "m")
        screen = app.screen
        assert isinstance(screen, CounterpartsScreen)
        assert screen.ids
        assert {app.catalog.item(i).township for i in screen.ids} == {"托格拉克乡"}

    drive(versions_store, scenario)


def test_d_shows_what_changed_and_enter_jumps_to_the_item(versions_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await to_zhaosu(pilot)
        await press(pilot, "D")
        screen = app.screen
        assert isinstance(screen, VersionsDiffScreen)
        assert screen.diff is not None
        assert [c.kind for c in screen.diff.changes] == ["added", "removed", "moved",
                                                         "reworded"]
        assert screen.query_one(DataTable).row_count == 4
        head = text_of(screen.query_one("#diff-head", Static))
        assert "version 1" in head and "version 2 (current)" in head
        assert "1 added · 1 removed · 1 moved · 1 reworded · 266 unchanged" in head
        assert ADDED in text_of(screen.query_one("#diff-text", Static))
        await press(pilot, "j")
        assert REMOVED in text_of(screen.query_one("#diff-text", Static))
        await press(pilot, "enter")  # a removed item is only in the older version: stay
        assert app.screen is screen
        await press(pilot, "j", "j")
        detail = text_of(screen.query_one("#diff-text", Static))
        assert "人民网留言板" in detail and "人民网领导留言板" in detail
        await press(pilot, "k", "enter")  # the moved item, in its new list
        assert isinstance(app.screen, MainScreen)
        current = app.main.current_item
        assert current is not None and (current.name, current.list) == (MOVED, "reclaimed")

    drive(versions_store, scenario)


def test_d_marks_the_changed_characters(versions_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await to_zhaosu(pilot)
        await press(pilot, "D", "j", "j", "j")
        strips = app.screen.query_one("#diff-text", Static).render_lines(
            app.screen.query_one("#diff-text", Static).region.reset_offset)
        marked = "".join(seg.text for strip in strips for seg in strip
                         if seg.style is not None and seg.style.reverse)
        assert marked == "领导"

    drive(versions_store, scenario)


def test_d_on_a_township_with_one_version_says_so(versions_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "t")
        for char in "托格":
            await pilot.press(char)
        await press(pilot, "enter", "D")
        assert isinstance(app.screen, MainScreen)
        assert any("has one version" in n.message for n in app._notifications)

    drive(versions_store, scenario)


def test_d_is_in_the_help_and_the_palette() -> None:
    [action] = [a for a in ACTIONS if a.action == "versions_diff"]
    assert action.keys == "D" and action.palette
    from io import StringIO

    from rich.console import Console

    console = Console(width=160, file=StringIO(), record=True)
    console.print(keys_table())
    text = console.export_text()
    assert "What changed between this township's versions" in text and "Versions diff" in text


def test_escape_leaves_the_diff(versions_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await to_zhaosu(pilot)
        await press(pilot, "D")
        assert isinstance(app.screen, VersionsDiffScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)

    drive(versions_store, scenario)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_diff_screen_snapshot(snap_compare, versions_store: Path, size) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await to_zhaosu(pilot)
        await press(pilot, "D", "j", "j", "j")  # the reworded item: 领导 marked

    assert snap_compare(make_app(versions_store), terminal_size=size, run_before=run_before)


def test_d_with_three_versions_asks_which_older_one(versions_store: Path, tmp_path: Path
                                                    ) -> None:
    third = write_second_version(tmp_path / "zhaosu-third.md")  # undated: other bytes
    assert not ingest(Store(versions_store), load_plugins([]), [third]).failed

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await to_zhaosu(pilot)
        await press(pilot, "D")
        assert isinstance(app.screen, PickerScreen)
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(n).prompt)
                  for n in range(options.option_count)]
        assert [label.split()[:2] for label in labels] == [["version", "2"], ["version", "1"]]
        await press(pilot, "down", "enter")  # version 1, the bundled sample
        screen = app.screen
        assert isinstance(screen, VersionsDiffScreen) and screen.diff is not None
        assert (screen.diff.old.number, screen.diff.new.number) == (1, 3)
        assert screen.diff.counts()["added"] == 1

    drive(versions_store, scenario)
