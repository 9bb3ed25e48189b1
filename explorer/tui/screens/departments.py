"""The department view: every department with its counts; enter shows its rows across
townships, enter on a row shows that item on the main screen (escape there comes back)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from lvzhi.model import ListKind
from lvzhi.tui.actions import bindings
from lvzhi.tui.errors import guarded
from lvzhi.tui.plain import content, plain, shown
from lvzhi.tui.screens.picker import LIST_MOVES, with_pinyin
from lvzhi.tui.widgets.item_table import fit, room
from lvzhi.tui.widgets.key_bar import KeyBar
from lvzhi.tui.widgets.result_table import ItemResultTable

if TYPE_CHECKING:
    from lvzhi.department_view import DepartmentSummary, DepartmentView
    from lvzhi.tui.app import LvzhiApp

# Cells the frame, padding, scrollbar and the fixed columns (with their padding) take.
LIST_FIXED = 4 + 2 + (10 + 6 + 6 + 5) + 6 * 2  # counts of a province take six digits
ROWS_FIXED = 4 + 2 + (4 + 4 + 2) + 4 * 2
PRINTED_WIDTH = 24  # the department cell, where the terminal has room for it
ROWS_SHOWN = 2000  # lines of one department's rows (the rest: narrow, or the command line)
FILTER_PLACEHOLDER = "type to narrow (人社, rsj, 县人社局)"


class DepartmentsScreen(Screen[str | None]):
    """Returns the id of the item chosen, or None."""

    BINDINGS = bindings("departments")

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[DepartmentSummary] = []
        self.shown: list[DepartmentSummary] = []  # the list rows, as filtered
        self.view: DepartmentView | None = None
        self.ids: list[str | None] = []  # the rows table: an item id, None for a township
        self.list_filter = ""  # what narrowed the list, back after a department's rows

    def compose(self) -> ComposeResult:
        with Vertical(id="departments"):
            yield Static(id="departments-head")
            yield Input(placeholder=FILTER_PLACEHOLDER, id="departments-filter")
            yield ItemResultTable(id="departments-table")
            yield ItemResultTable(id="department-rows")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#departments").border_title = "Departments"
        width = self.app.size.width
        table = self.query_one("#departments-table", DataTable)
        self.label_width = room(width - LIST_FIXED - 13, 10, 30)
        self.spellings_width = room(width - LIST_FIXED - self.label_width, 0)
        table.add_column("部门", width=self.label_width)
        table.add_column("简称", width=10)
        table.add_column("配合", width=6)
        table.add_column("收回", width=6)
        table.add_column("乡镇", width=5)
        if self.spellings_width >= 8:
            table.add_column("写法", width=self.spellings_width)
        rows = self.query_one("#department-rows", DataTable)
        self.printed_width = PRINTED_WIDTH if width >= 100 else 0
        self.name_width = max(12, width - ROWS_FIXED - self.printed_width
                              - (2 if self.printed_width else 0))
        rows.add_column("清单", width=4)
        rows.add_column("序号", width=4)
        rows.add_column("主", width=2)  # ★ is ambiguous-width: 主 (its lead) is not
        rows.add_column("事项名称", width=self.name_width)
        if self.printed_width:
            rows.add_column("部门 (as printed)", width=self.printed_width)
        rows.display = False
        self._head(Text("Reading departments…", style="dim"))
        self.query_one("#departments-filter", Input).focus()
        self._load()

    def _head(self, text: Text) -> None:
        self.query_one("#departments-head", Static).update(text)

    @work(thread=True, exclusive=True)
    @guarded("Departments failed")
    def _load(self) -> None:
        app: LvzhiApp = self.app  # type: ignore[assignment]
        found = app.library.departments() if len(app.catalog) else []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, found)

    def _loaded(self, found: list[DepartmentSummary]) -> None:
        self.summaries = found
        self._fill(self.query_one("#departments-filter", Input).value)

    def _list_head(self) -> Text:
        text = Text(f"{len(self.summaries)} departments", style="bold")
        text.append(", names folded (县人社局 = 人社局) · rows in 配合, 收回 · ⏎ its rows",
                    style="dim")
        text.overflow = "fold"
        return text

    def _fill(self, needle: str) -> None:
        table = self.query_one("#departments-table", DataTable)
        table.clear()
        needle = needle.strip().lower()
        self.shown = [s for s in self.summaries if not needle or needle in with_pinyin(
            f"{s.label} {s.key} {' '.join(s.spellings)}").lower()]
        for s in self.shown:
            cells = [plain(fit(s.label, self.label_width), style="bold"),
                     plain(fit(s.key, 10)), Text(str(s.cooperative), justify="right"),
                     Text(str(s.reclaimed), justify="right"),
                     Text(str(s.townships), justify="right")]
            if self.spellings_width >= 8:
                cells.append(plain(fit("、".join(s.spellings), self.spellings_width),
                                   style="dim"))
            table.add_row(*cells)
        if not self.shown:
            table.add_row(Text("No department matches." if self.summaries
                               else "No department named in the store.", style="dim"),
                          *[""] * (len(table.columns) - 1))
        self._head(self._list_head())

    def _active_table(self) -> DataTable[object]:
        return self.query_one("#department-rows" if self.view is not None
                              else "#departments-table", DataTable)

    @on(Input.Changed, "#departments-filter")
    def _narrow(self, event: Input.Changed) -> None:
        if self.view is not None:
            self._fill_rows(event.value)
        else:
            self._fill(event.value)

    def on_key(self, event: events.Key) -> None:
        # While the filter is typed into, the arrows move in the table shown.
        if self.query_one("#departments-filter", Input).has_focus and (
                move := LIST_MOVES.get(event.key)) is not None:
            getattr(self._active_table(), f"action_{move}")()
            event.stop()

    @on(Input.Submitted, "#departments-filter")
    def action_open_highlighted(self) -> None:
        row = self._active_table().cursor_row
        if self.view is not None:
            self._choose_row(row)
        else:
            self._open(row)

    @on(DataTable.RowSelected, "#departments-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self._open(event.cursor_row)

    def _open(self, row: int) -> None:
        if not 0 <= row < len(self.shown):
            return
        app: LvzhiApp = self.app  # type: ignore[assignment]
        self.show_department(app.library.department(self.shown[row].key))

    def show_department(self, view: DepartmentView) -> None:
        """The rows of one department, by township (the list stays behind escape); typing
        narrows them by place or name."""
        search = self.query_one("#departments-filter", Input)
        self.list_filter = search.value
        self.view = view
        s = view.summary
        self.query_one("#departments").border_title = content(f"Department {s.label}")
        head = plain(f"{s.label} ({s.key})", style="bold")
        head.append(f" · {ListKind.COOPERATIVE.label} {s.cooperative} · "
                    f"{ListKind.RECLAIMED.label} {s.reclaimed} · {s.townships} townships",
                    style="")
        head.append("\nprinted as " + shown(" / ".join(s.spellings[:4])) + " · 主 named first"
                    " · ⏎ shows a row in the items table", style="dim")
        head.overflow = "fold"
        self._head(head)
        with search.prevent(Input.Changed):
            search.value = ""
        search.placeholder = "type to narrow by township or name"
        self._fill_rows("")
        self.query_one("#departments-table").display = False
        self.query_one("#department-rows").display = True
        search.focus()

    def _fill_rows(self, needle: str) -> None:
        """The department's rows whose place or name holds ``needle``, by township; at most
        ``ROWS_SHOWN`` lines (a DataTable row costs ~125 µs: a province has ~14,000)."""
        view = self.view
        if view is None:
            return
        table = self.query_one("#department-rows", DataTable)
        table.clear()
        self.ids = []
        needle = needle.strip()
        left, townships = 0, 0
        for doc, rows in view.groups:
            if needle and needle not in f"{doc.county}{doc.township}":
                rows = [r for r in rows if needle in r.row.name]
            if not rows:
                continue
            if len(self.ids) + 1 + len(rows) > ROWS_SHOWN and self.ids:
                left += len(rows)
                townships += 1
                continue
            place = plain(fit(f"{doc.county} {doc.township} · {len(rows)}", self.name_width),
                          style="bold")
            table.add_row("", "", "", place, *([""] if self.printed_width else []))
            self.ids.append(None)
            for r in rows:
                cells: list[Text | str] = [
                    r.row.list.word, str(r.row.serial), "主" if r.lead else "",
                    plain(fit(r.row.name, self.name_width))]
                if self.printed_width:
                    cells.append(plain(fit(r.printed, self.printed_width), style="dim"))
                table.add_row(*cells)
                self.ids.append(r.row.id)
        if left:
            more = (f"… {left} more rows in {townships} more townships: type a township to "
                    f"narrow (lvzhi department {view.summary.key} lists them all)")
            table.add_row("", "", "", Text(fit(more, self.name_width), style="dim"),
                          *([""] if self.printed_width else []))
            self.ids.append(None)
        if not self.ids:
            table.add_row("", "", "", Text("No row matches.", style="dim"),
                          *([""] if self.printed_width else []))
        if len(self.ids) > 1:
            table.move_cursor(row=1)

    @on(DataTable.RowSelected, "#department-rows")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        self._choose_row(event.cursor_row)

    def _choose_row(self, row: int) -> None:
        if 0 <= row < len(self.ids) and (item_id := self.ids[row]) is not None:
            self.dismiss(item_id)

    def action_back(self) -> None:
        """From a department's rows back to the list; from the list back to where you were."""
        if self.view is None:
            self.dismiss(None)
            return
        self.view = None
        self.query_one("#departments").border_title = "Departments"
        self.query_one("#department-rows").display = False
        self.query_one("#departments-table").display = True
        search = self.query_one("#departments-filter", Input)
        with search.prevent(Input.Changed):
            search.value = self.list_filter
        search.placeholder = FILTER_PLACEHOLDER
        self._head(self._list_head())
        search.focus()
