"""The department view (d) and the audit screen (a): Pilot tests and snapshots at 80×24 and
120×40, on the bundled samples (real department names and real findings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from tui_support import drive, make_app, press, settle, text_of, type_text

from lvzhi.model import ListKind
from lvzhi.tui.app import LvzhiApp
from lvzhi.tui.commands import app_commands
from lvzhi.tui.screens.audit import AuditScreen
from lvzhi.tui.screens.departments import DepartmentsScreen
from lvzhi.tui.screens.help import keys_table
from lvzhi.tui.screens.main import MainScreen
from lvzhi.tui.widgets.item_table import ItemTable

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def current(app: LvzhiApp) -> str | None:
    item = app.main.query_one(ItemTable).current
    return item.id if item else None


@pytest.mark.parametrize("size", SIZES)
def test_d_lists_departments_enter_shows_rows_and_enter_jumps(samples_store: Path,
                                                              size: tuple[int, int]) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        before = current(app)
        await press(pilot, "d")
        screen = app.screen
        assert isinstance(screen, DepartmentsScreen)
        assert "人社" in {s.key for s in screen.summaries}
        await type_text(pilot, "县人社局")  # folded: the 人社 entry
        assert [s.key for s in screen.shown] == ["人社"]
        await press(pilot, "enter")
        assert screen.view is not None and screen.view.summary.key == "人社"
        assert screen.ids[0] is None  # a township heading, then its rows
        rows = screen.query_one("#department-rows", DataTable)
        assert rows.display and rows.cursor_row == 1
        assert screen.query_one("#departments-filter", Input).has_focus  # type to narrow
        chosen = screen.ids[1]
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen)
        assert current(app) == chosen
        await press(pilot, "escape")  # back where the main screen was
        assert current(app) == before

    drive(samples_store, scenario, size=size)


def test_department_counts_of_a_province_are_never_cut(samples_store: Path, monkeypatch) -> None:
    from lvzhi.department_view import DepartmentSummary

    big = DepartmentSummary("农业农村", "农业农村局", ["县农业农村局"], 207880, 46110, 997)
    monkeypatch.setattr("lvzhi.library.Library.departments", lambda self: [big])

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "d")
        table = app.screen.query_one("#departments-table", DataTable)
        cells = [str(table.get_cell_at((0, n))) for n in range(2, 5)]
        assert cells == ["207880", "46110", "997"]
        widths = [table.ordered_columns[n].width for n in range(2, 5)]
        assert all(len(c) <= w for c, w in zip(cells, widths, strict=True)), widths

    drive(samples_store, scenario, size=(80, 24))


def test_escape_goes_from_a_department_back_to_the_list_then_out(samples_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "d", "enter")
        screen = app.screen
        assert isinstance(screen, DepartmentsScreen) and screen.view is not None
        await press(pilot, "escape")
        assert screen.view is None and screen.query_one("#departments-table").display
        assert isinstance(app.screen, DepartmentsScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)

    drive(samples_store, scenario)


def test_a_departments_rows_narrow_by_township_and_stop_at_a_bound(samples_store: Path,
                                                                     monkeypatch) -> None:
    monkeypatch.setattr("lvzhi.tui.screens.departments.ROWS_SHOWN", 20)

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "d")
        screen = app.screen
        assert isinstance(screen, DepartmentsScreen)
        await type_text(pilot, "人社局")
        await press(pilot, "enter")
        rows = screen.query_one("#department-rows", DataTable)
        assert rows.row_count <= 21 and screen.ids[-1] is None
        assert "more rows in" in str(rows.get_cell_at((rows.row_count - 1, 3)))
        await type_text(pilot, "昭苏镇")
        townships = {i.split(":")[0] for i in screen.ids if i}
        assert townships == {d.id for d in app.catalog.documents if d.township == "昭苏镇"}
        assert screen.ids[0] is None
        await press(pilot, "down", "enter")
        assert isinstance(app.screen, MainScreen)
        assert current(app) == screen.ids[2]

    drive(samples_store, scenario)


def test_departments_filter_takes_pinyin(samples_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "d")
        screen = app.screen
        assert isinstance(screen, DepartmentsScreen)
        await type_text(pilot, "rsj")  # 人社局's initials
        assert "人社" in [s.key for s in screen.shown]
        await type_text(pilot, "zzz")
        assert not screen.shown

    drive(samples_store, scenario)


@pytest.mark.parametrize("size", SIZES)
def test_a_audits_the_township_in_view_and_enter_jumps_to_a_row(
        samples_store: Path, size: tuple[int, int]) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "a")  # 全部: the highlighted item's township, 托格拉克乡
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.result is not None
        assert screen.document.township == "托格拉克乡"
        assert screen.result.scope == "prefecture"  # no other township of 伊宁市
        table = screen.query_one(DataTable)
        assert screen.ids[table.cursor_row] is not None  # on the first finding
        assert "peer" in text_of(screen.query_one("#audit-note", Static))
        await press(pilot, "p")  # prefecture → all
        assert screen.result.scope == "all" and len(screen.result.peers) == 4
        await press(pilot, "j")  # the first row behind the first finding
        chosen = screen.ids[table.cursor_row]
        assert chosen is not None
        await press(pilot, "enter")
        assert isinstance(app.screen, MainScreen) and current(app) == chosen
        await press(pilot, "escape")
        assert current(app) != chosen

    drive(samples_store, scenario, size=size)


def test_audit_shows_a_near_duplicate_pair(samples_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        app.main.switch_to(next(d.id for d in app.catalog.documents
                                if d.township == "克孜勒苏乡"))
        await settle(pilot)
        await press(pilot, "a")
        screen = app.screen
        assert isinstance(screen, AuditScreen) and screen.result is not None
        await press(pilot, "p")  # its county has no peer: prefecture has none, so all
        (pair,) = screen.result.of_kind("near_duplicate")
        assert {(r.list, r.serial) for r in pair.rows} == {(ListKind.BASIC, 94),
                                                          (ListKind.RECLAIMED, 42)}
        assert pair.rows[0].id in screen.ids

    drive(samples_store, scenario)


def test_palette_opens_departments_and_audit(samples_store: Path) -> None:
    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        commands = {c.title: c.callback for c in app_commands(app)}
        await commands["Departments across townships…"]()
        await settle(pilot)
        assert isinstance(app.screen, DepartmentsScreen)
        commands["Audit this township against its peers…"]()  # from the department view
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)

    drive(samples_store, scenario)


def test_help_lists_the_new_keys() -> None:
    listed = text_of(Static(keys_table()))
    assert "Department view" in listed and "Audit screen" in listed
    assert "Departments: what each leads" in listed and "Audit this township" in listed


# -- snapshots -------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_department_view_snapshot(snap_compare, samples_store: Path,
                                  size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("d")
        await type_text(pilot, "人社局")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(samples_store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_departments_list_snapshot(snap_compare, samples_store: Path,
                                   size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        pilot.app.focused.cursor_blink = False  # type: ignore[union-attr]

    assert snap_compare(make_app(samples_store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_audit_snapshot(snap_compare, samples_store: Path, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("p")  # all peers
        await settle(pilot)

    assert snap_compare(make_app(samples_store), terminal_size=size, run_before=run_before)


def drawn_width(text: str, ambiguous: int) -> int:
    """Cells a terminal moves for ``text`` drawing East Asian ambiguous characters
    ``ambiguous`` cells wide (1: most Western terminals, 2: CJK ones)."""
    import unicodedata

    from rich.cells import get_character_cell_size

    return sum(ambiguous if unicodedata.east_asian_width(c) == "A"
               else get_character_cell_size(c) for c in text)


def test_department_and_audit_tables_hold_in_every_terminal(samples_store: Path) -> None:
    """Every cell (names with “ ” … · from the lists) is as wide drawn either way."""
    def cells(table: DataTable) -> list[str]:
        return [str(table.get_cell_at((r, c))) for r in range(table.row_count)
                for c in range(len(table.columns))]

    async def scenario(pilot: Pilot[object], app: LvzhiApp) -> None:
        await press(pilot, "d")
        screen = app.screen
        for key in ("农业农村", "人社", "住建"):
            screen.show_department(app.library.department(key))  # type: ignore[attr-defined]
            await settle(pilot)
            found = cells(screen.query_one("#department-rows", DataTable))
            assert all(drawn_width(c, 1) == drawn_width(c, 2) for c in found)
        await press(pilot, "escape", "escape", "a", "p")
        found = cells(app.screen.query_one(DataTable))
        assert len(found) > 20
        assert all(drawn_width(c, 1) == drawn_width(c, 2) for c in found)

    drive(samples_store, scenario)
