"""The detail pane: every field of one item, wrapped in full.

Rich wraps only at spaces, and Chinese has none; every value here is a ``FoldedText``, which
breaks between characters, keeps full-width punctuation intact and never starts a line with
a closing mark. What a search matched is highlighted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from lvzhi.model import Item, ListKind, Row
from lvzhi.store import StoreError
from lvzhi.tui.plain import plain
from lvzhi.tui.widgets.cjk_text import FoldedText

LABEL_STYLE = "bold"
MUTED = "dim"
MATCH_STYLE = "bold reverse"

Spans = Sequence[tuple[int, int]]


def occurrences(text: str, query: str) -> list[tuple[int, int]]:
    """Where ``query`` stands in ``text`` (exact text; pinyin queries match nothing here)."""
    query = query.strip()
    if not query:
        return []
    found, at = [], text.find(query)
    while at >= 0:
        found.append((at, at + len(query)))
        at = text.find(query, at + len(query))
    return found


def _value(text: str, query: str, style: str = "", spans: Spans | None = None) -> FoldedText:
    marks = spans if spans is not None else occurrences(text, query)
    return FoldedText(text, style, marks, MATCH_STYLE)


def _steps(steps: list[str], query: str) -> FoldedText:
    """Duty steps one a line, as printed (their own numbering kept); unnumbered ones numbered."""
    steps = [s.strip() for s in steps if s.strip()]
    lines = [step if step[:1].isdigit() or len(steps) == 1 else f"{n}. {step}"
             for n, step in enumerate(steps, start=1)]
    return _value("\n".join(lines), query)


def source_line(item: Item) -> str:
    where = item.span.describe()
    return f"{item.source} · {where}" if where != "unknown" else item.source


def item_fields(item: Item, query: str = "",
                name_spans: Spans | None = None) -> list[tuple[str, FoldedText]]:
    """(label, value) for every field the item has, in the order the lists print them."""
    category = item.category + (f"（{item.category_canonical}）"
                                if item.category_canonical
                                and item.category_canonical != item.category else "")
    fields = [("事项类别", _value(category, query)),
              ("事项名称", _value(item.name, query, "bold", name_spans or None))]
    if item.list == ListKind.COOPERATIVE:
        fields += [("上级部门", _value(item.departments, query)),
                   ("上级职责", _steps(item.upper_duties, query)),
                   ("配合职责", _steps(item.township_duties, query))]
    if item.list == ListKind.RECLAIMED:
        if item.receiver_department or item.receiver_method:
            fields += [("承接部门", _value(item.receiver_department, query)),
                       ("工作方式", _value(item.receiver_method, query))]
        else:
            fields.append(("承接部门", _value(item.receiver, query)))
    # Columns the model has no field for (履职依据, 备注 …), under their own headers.
    fields += [(header, _value(text, query)) for header, text in item.extra.items()]
    fields.append(("来源", FoldedText(source_line(item), MUTED)))
    return [(label, value) for label, value in fields if value.plain]


def item_renderable(item: Item, query: str = "",
                    name_spans: Spans | None = None) -> RenderableType:
    """Everything about ``item``, ready for a Static: labels in a column, values folded."""
    head = FoldedText(f"{item.township} · {item.list.label} · 第 {item.serial} 项", "bold")
    place = FoldedText(" ".join(p for p in (item.prefecture, item.county, item.township)
                                if p), MUTED)
    grid = Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(style=LABEL_STYLE, no_wrap=True)
    grid.add_column(ratio=1)
    for label, value in item_fields(item, query, name_spans):
        grid.add_row(plain(label), value)  # extra columns' headers come from the document
    warnings = [FoldedText(f"⚠ {w}", "yellow") for w in item.warnings]
    return Group(head, place, Text(""), grid, *warnings)


class DetailPane(VerticalScroll, can_focus=True):
    """Scrolls when the item is longer than the pane (tab to it, then arrows).

    ``show`` waits for the cursor to rest (``delay`` seconds): re-laying out the pane for
    every row passed while a key repeats, or every keystroke of a search, would slow the
    table down, which is what the user watches.
    """

    def __init__(self, *, id: str | None = None, delay: float = 0.0) -> None:
        super().__init__(id=id)
        self.delay = delay
        self._pending: Timer | None = None
        self.item: Row | None = None
        # Gives the whole item of a row (read from the store only when the pane renders).
        self.resolve: Callable[[Row], Item] | None = None
        self.highlight = ""  # the search to highlight (not `query`: that is Textual's DOM query)
        self.name_spans: Spans | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")

    def show(self, item: Row | None, query: str = "", name_spans: Spans | None = None,
             *, delay: float | None = None) -> None:
        """Show ``item`` once the cursor rests ``delay`` seconds (default: the pane's);
        ``query`` and ``name_spans`` (from a search) are highlighted."""
        self.item = item
        self.highlight = query
        self.name_spans = name_spans
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        delay = self.delay if delay is None else delay
        if delay > 0:
            self._pending = self.set_timer(delay, self._render_item)
        else:
            self._render_item()

    def _render_item(self) -> None:
        self._pending = None
        body = self.query_one("#detail-body", Static)
        if self.item is None:
            body.update(Text("No item selected.", MUTED))
        else:
            if self.resolve is None:
                raise TypeError("DetailPane.resolve is needed to show a row")
            try:
                item = self.resolve(self.item)
            except (StoreError, LookupError) as exc:  # e.g. replaced by another ingest
                body.update(plain(f"This item cannot be read: {exc}", "red"))
                return
            body.update(item_renderable(item, self.highlight, self.name_spans))
        self.scroll_home(animate=False)
