"""A small modal to pick one of many: a township, a category. Type to narrow, enter to pick."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from lvzhi.model import counts_label
from lvzhi.search import pinyin_of
from lvzhi.tui.actions import bindings
from lvzhi.tui.catalog import Catalog
from lvzhi.tui.plain import plain, shown
from lvzhi.versions import Version, date_label

LIST_MOVES = {"down": "cursor_down", "up": "cursor_up", "pagedown": "page_down",
              "pageup": "page_up"}


@dataclass(frozen=True, slots=True)
class Choice:
    value: str  # what the picker returns ("" means "none / all")
    label: str | Text
    search: str  # what typing matches against


@lru_cache(maxsize=1 << 16)  # a picker opens on every t, x and f: spell each place once
def with_pinyin(text: str) -> str:
    """``text`` and its pinyin, initials and syllables: typing ``tky`` or ``tuokayi`` finds
    托喀依乡, ``msfw`` finds 民生服务, as in the search bar."""
    spelled = pinyin_of(text)
    return f"{text} {spelled.initials} {spelled.full}"


def township_choices(catalog: Catalog, exclude: str | None = None, *,
                     everything: bool = False) -> list[Choice]:
    """One choice a township; ``everything`` puts 全部 (every township, value "") first."""
    choices = [Choice("", Text("全部 (every township)", style="bold"), "全部 all quanbu qb")
               ] if everything else []
    for doc in catalog.documents:
        if doc.id == exclude:
            continue
        label = plain(doc.township or doc.source, style="bold")
        label.append(f"  {shown(doc.prefecture)} {shown(doc.county)}  ", style="dim")
        label.append(counts_label(doc.lists), style="dim")
        choices.append(Choice(doc.id, label, with_pinyin(f"{doc.place} {doc.source}")))
    return choices


def version_choices(versions: list[Version]) -> list[Choice]:
    """The older versions of a township, newest first (the current one is what they are
    compared with)."""
    choices = []
    for version in reversed(versions[:-1]):
        doc = version.document
        label = plain(f"version {version.number}", style="bold")
        label.append(f"  {shown(doc.source)}  ")
        label.append(f"{date_label(version.dated) or 'undated'} · ingested "
                     f"{doc.ingested_at[:10]}  {counts_label(doc.lists)}", style="dim")
        choices.append(Choice(doc.id, label, f"{version.number} {doc.source} {doc.id}"))
    return choices


def category_choices(counts: list[tuple[str, int]]) -> list[Choice]:
    choices = [Choice("", Text("全部类别 (all categories)", style="bold"), "全部 all")]
    for category, count in counts:
        label = plain(category)
        label.append(f"  {count}", style="dim")
        choices.append(Choice(category, label, with_pinyin(category)))
    return choices


class PickerScreen(ModalScreen[str | None]):
    """Returns the chosen value, or None when dismissed with escape."""

    BINDINGS = bindings("picker")

    def __init__(self, title: str, choices: list[Choice], *, current: str | None = None,
                 placeholder: str = "type to narrow the list") -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="dialog"):
            yield Input(placeholder=self.placeholder, id="picker-filter")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self.query_one("#picker").border_title = self.title_text
        self._fill("")
        self.query_one("#picker-filter", Input).focus()

    def _fill(self, needle: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        matching = [c for c in self.choices if needle.lower() in c.search.lower()] \
            if needle else self.choices
        options.add_options(Option(c.label, id=c.value or "\0all") for c in matching)
        if matching:
            at = next((n for n, c in enumerate(matching) if c.value == self.current), 0)
            options.highlighted = at

    @on(Input.Changed, "#picker-filter")
    def narrow(self, event: Input.Changed) -> None:
        self._fill(event.value.strip())

    def on_key(self, event: events.Key) -> None:
        # Arrows move in the list while typing goes to the filter.
        if (move := LIST_MOVES.get(event.key)) is not None:
            getattr(self.query_one(OptionList), f"action_{move}")()
            event.stop()

    @on(Input.Submitted, "#picker-filter")
    def submitted(self) -> None:
        self.action_choose()

    @on(OptionList.OptionSelected)
    def selected(self) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        option_id = options.get_option_at_index(options.highlighted).id
        self.dismiss("" if option_id == "\0all" else option_id)

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
