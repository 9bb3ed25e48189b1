"""The items table: a virtual table that renders only the rows on screen.

A Textual DataTable costs ~125 µs a row to fill, so 300,000 rows would take most of a minute;
this table holds a reference to the view's list and draws the visible lines on demand (the
Line API), so showing a new view costs the same for ten rows or a province.
Columns are laid out in terminal cells: Chinese characters take two, and a cell that does not
fit ends in an ellipsis instead of being cut in the middle of a character. Characters of
ambiguous width (“ ” … — ·), which CJK terminals draw two cells wide and Rich measures as
one, are shown as same-meaning twins of a width every terminal agrees on
(``lvzhi.text.unambiguous_width``), and the ellipsis is ⋯, not the ambiguous …, so no row
drifts by a cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from lvzhi.model import Row
from lvzhi.text import unambiguous_width
from lvzhi.tui.actions import bindings
from lvzhi.tui.catalog import View
from lvzhi.tui.messages import ItemHighlighted, ItemOpened
from lvzhi.tui.plain import shown

ELLIPSIS = "⋯"  # U+22EF: one cell in every terminal (U+2026 … is two in CJK ones)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    width: int
    right: bool = False


def room(left: int, least: int, most: int | None = None) -> int:
    """A column's width from what the terminal ``left`` it once the other columns and the
    frame are counted: at least ``least`` (a narrow terminal cuts it, ⋯ shows where), at
    most ``most`` (a wide one does not stretch it past reading)."""
    return max(least, left if most is None else min(most, left))


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` in exactly ``width`` cells, in every terminal: padded, or cut with an
    ellipsis; ambiguous-width punctuation shown as its unambiguous twin."""
    text = unambiguous_width(text.replace("\n", " "))
    length = cell_len(text)
    if length <= width:
        pad = " " * (width - length)
        return pad + text if right else text + pad
    shown = _chop(text, width - 1)
    return shown + ELLIPSIS + " " * (width - 1 - cell_len(shown))


def _chop(text: str, cells: int) -> str:
    """The longest prefix of ``text`` that fits in ``cells`` (never half a wide character)."""
    used = 0
    for n, char in enumerate(text):
        used += get_character_cell_size(char)
        if used > cells:
            return text[:n]
    return text


def fit_marked(text: str, width: int,
               spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Like ``fit``, as runs of (text, matched) so search matches can be highlighted (the
    twins are one character for one: the spans hold)."""
    text = unambiguous_width(text.replace("\n", " "))
    if cell_len(text) > width:
        shown = _chop(text, width - 1)
        tail = ELLIPSIS + " " * (width - 1 - cell_len(shown))
    else:
        shown, tail = text, " " * (width - cell_len(text))
    marked = [False] * len(shown)
    for start, end in spans:
        for n in range(max(start, 0), min(end, len(shown))):
            marked[n] = True
    runs: list[tuple[str, bool]] = []
    start = 0
    for n in range(1, len(shown) + 1):
        if n == len(shown) or marked[n] != marked[start]:
            runs.append((shown[start:n], marked[start] if shown else False))
            start = n
    runs.append((tail, False))
    return runs


def layout(width: int, show_township: bool) -> list[Column]:
    """Column widths for a table ``width`` cells wide; the name takes what is left.

    Narrow tables shorten the category and township columns and drop the department one
    before they squeeze the name, which is what people read.
    """
    roomy = width >= 76
    columns = [Column("serial", "序号", 4, right=True), Column("list", "清单", 4),
               Column("category", "事项类别", 14 if roomy else 8)]
    if show_township:
        columns.append(Column("township", "乡镇", 12 if roomy else 8))
    department_width = 22 if width >= 100 else 14 if width >= 70 else 0
    fixed = sum(c.width for c in columns) + len(columns) + (
        department_width + 1 if department_width else 0)
    columns.append(Column("name", "事项名称", max(width - fixed, 12)))
    if department_width:
        columns.append(Column("department", "部门 / 承接", department_width))
    return columns


def cell_text(item: Row, key: str) -> str:
    """What a column shows of an item, control characters made visible."""
    if key == "serial":
        return str(item.serial)
    if key == "list":
        return item.list.short
    if key == "category":
        return shown(item.category)
    if key == "township":
        return shown(item.township)
    if key == "name":
        return shown(item.name)
    return shown(item.departments or item.receiver)


class ItemTable(ScrollView, can_focus=True):
    """The rows of the current view; posts ItemHighlighted and ItemOpened."""

    BINDINGS = bindings("table")
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "item-table--header", "item-table--cursor", "item-table--cursor-blurred",
        "item-table--match", "item-table--basic", "item-table--cooperative",
        "item-table--reclaimed", "item-table--empty",
    }

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.view = View(rows=[])
        self.show_township = False
        self.empty_message = ""
        self._lines: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}  # component styles, until the CSS changes

    # -- data ------------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[Row]:
        return self.view.rows

    @property
    def current(self) -> Row | None:
        rows = self.view.rows
        return rows[self.cursor_row] if 0 <= self.cursor_row < len(rows) else None

    def show(self, view: View, *, show_township: bool, keep: str | None = None) -> None:
        """Display ``view``; the cursor stays on the item ``keep`` if it is still in view."""
        self.view = view
        self.show_township = show_township
        self._lines.clear()
        self._resize_rows(len(view.rows))
        row = (view.index_of(keep) if keep is not None else None) or 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor_row = row
        self.refresh()

    def _resize_rows(self, rows: int) -> None:
        """Tell the scrollbar how many rows there are, without a layout pass of the screen.

        Setting ``virtual_size`` the usual way lays out every widget again and repaints the
        whole screen: tens of milliseconds per keystroke. The vertical scrollbar is always
        shown (see app.tcss), so the table's size never changes with its row count and only
        the scrollbar needs telling.
        """
        size = Size(self.scrollable_content_region.width, rows + 1)
        if size != self.virtual_size:
            self.set_reactive(ItemTable.virtual_size, size)
            self._scroll_update(size)

    def move_to(self, item_id: str) -> bool:
        """Put the cursor on an item of the current view; False if it is not in view."""
        row = self.view.index_of(item_id)
        if row is None:
            return False
        self.cursor_row = row
        return True

    # -- cursor ----------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self.view.rows) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_to_cursor()
        self.post_message(ItemHighlighted(self.current))

    def _refresh_row(self, row: int) -> None:
        y = row - int(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh_line(y)

    def _scroll_to_cursor(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_page_down(self) -> None:
        self.cursor_row += max(self.size.height - 2, 1)

    def action_page_up(self) -> None:
        self.cursor_row -= max(self.size.height - 2, 1)

    def action_first_row(self) -> None:
        self.cursor_row = 0

    def action_last_row(self) -> None:
        self.cursor_row = len(self.view.rows) - 1

    def action_open_item(self) -> None:
        if (item := self.current) is not None:
            self.post_message(ItemOpened(item))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = int(self.scroll_y) + offset.y - 1
        if row < len(self.view.rows):
            self.cursor_row = row
            if event.chain >= 2:
                self.action_open_item()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._lines.clear()

    def _style(self, component: str) -> Style:
        """A component's style, computed once: rows are drawn by the thousand."""
        if (style := self._styles.get(component)) is None:
            style = (self.rich_style if component == "base"
                     else self.get_component_rich_style(component))
            self._styles[component] = style
        return style

    def on_focus(self) -> None:
        self._lines.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._lines.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._lines.clear()
        self._resize_rows(len(self.view.rows))
        self._scroll_to_cursor()

    # -- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns = layout(width, self.show_township)
        if y == 0:
            return self._header(columns, width)
        row = int(self.scroll_y) + y - 1
        if not self.view.rows:
            return self._empty_line(y, width)
        if row >= len(self.view.rows):
            return Strip.blank(width, self._style("base"))
        is_cursor = row == self.cursor_row
        key = (row, width, is_cursor, is_cursor and self.has_focus)
        if (strip := self._lines.get(key)) is None:
            strip = self._row_line(self.view.rows[row], columns, width, is_cursor)
            self._lines[key] = strip
        return strip

    def _header(self, columns: list[Column], width: int) -> Strip:
        style = self._style("item-table--header")
        text = " ".join(fit(c.title, c.width, c.right) for c in columns)
        return Strip([Segment(fit(text, width), style)], width)

    def _empty_line(self, y: int, width: int) -> Strip:
        if y == 2 and self.empty_message:
            style = self._style("item-table--empty")
            return Strip([Segment(fit("  " + shown(self.empty_message), width), style)],
                         width)
        return Strip.blank(width, self._style("base"))

    def _row_line(self, item: Row, columns: list[Column], width: int,
                  is_cursor: bool) -> Strip:
        base = self._style("base")
        if is_cursor:
            base += self._style(
                "item-table--cursor" if self.has_focus else "item-table--cursor-blurred")
        match = self._style("item-table--match")
        kind = self._style(f"item-table--{item.list}")
        segments: list[Segment] = []
        for n, column in enumerate(columns):
            if n:
                segments.append(Segment(" ", base))
            if column.key == "name" and item.id in self.view.spans \
                    and self.view.fields.get(item.id) == "name":
                segments.extend(
                    Segment(text, base + match if marked else base)
                    for text, marked in fit_marked(shown(item.name), column.width,
                                                   self.view.spans[item.id]) if text)
            else:
                style: Style = base + kind if column.key == "list" else base
                segments.append(Segment(fit(cell_text(item, column.key), column.width,
                                            column.right), style))
        used = sum(c.width for c in columns) + len(columns) - 1
        if used < width:
            segments.append(Segment(" " * (width - used), base))
            used = width
        strip = Strip(segments, used)
        return strip if used == width else strip.crop(0, width)
