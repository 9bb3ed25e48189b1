"""Every key of the explorer, as data.

One table generates the bindings of each screen and widget, the footer hints, the help
screen and the command-palette entries, so they never drift apart. Vim aliases share a
binding (``"down,j"``).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
class Action:
    scope: str  # who binds it: "app", "main", "item", "picker", "table", "tree", "compare"
    keys: str  # Textual key names, comma-separated
    action: str  # runs action_<action> on the binding's owner
    label: str  # footer hint
    help: str  # one line for the help screen and the palette
    footer: bool = True
    palette: str = ""  # its title in the command palette (runs on the main screen); "": not there
    display: str | None = None  # how the key is shown, if not its name
    essential: bool = False  # the key bar keeps it however narrow the terminal is


ACTIONS: tuple[Action, ...] = (
    # Everywhere.
    Action("app", "question_mark", "show_help", "Help", "Show every key", display="?",
           palette="Help: every key", essential=True),
    Action("app", "q", "quit", "Quit", "Quit lvzhi", palette="Quit", essential=True),
    # The main screen.
    Action("main", "slash", "focus_search", "Search", "Search names, departments and duties "
           "(pinyin initials work: gsrd)", display="/", essential=True),
    Action("main", "escape", "back", "Clear", "Back where a followed counterpart came "
           "from; clear the search, then the filters; leave the search bar", footer=False,
           display="esc"),
    Action("main", "b", "toggle_kind('basic')", "基本", "Show or hide the basic list (基本)",
           palette="Toggle the basic list (基本)"),
    Action("main", "c", "toggle_kind('cooperative')", "配合",
           "Show or hide the cooperative list (配合)",
           palette="Toggle the cooperative list (配合)"),
    Action("main", "r", "toggle_kind('reclaimed')", "收回",
           "Show or hide the reclaimed list (上级部门收回)",
           palette="Toggle the reclaimed list (上级部门收回)"),
    Action("main", "f", "filter_category", "Category", "Filter by category (事项类别)",
           palette="Filter by category (事项类别)…"),
    Action("main", "m", "show_counterparts", "Counterparts",
           "The same matter in every other township",
           palette="Counterparts of the highlighted item"),
    Action("main", "s", "show_source", "Source", "The item's original text in its document",
           palette="Source text of the highlighted item"),
    Action("main", "x", "compare", "Compare", "Compare this township with another",
           palette="Compare this township with another…"),
    Action("main", "e", "export_view", "Export", "Export the rows in view (csv or jsonl)",
           palette="Export the rows in view…"),
    Action("main", "t", "switch_township", "Township", "Jump to a township by name",
           footer=False, palette="Switch township…"),
    Action("main", "i", "ingest_file", "Ingest", "Read a file or folder into the store",
           footer=False, palette="Ingest a file or folder…"),
    Action("main", "D", "versions_diff", "Versions", "What changed between this township's "
           "versions: items added, removed, moved, reworded", footer=False,
           palette="What changed in this township's versions…"),
    Action("main", "d", "show_departments", "Departments",
           "Departments: what each leads or took back, across townships", footer=False,
           palette="Departments across townships…"),
    Action("main", "a", "audit_township", "Audit",
           "Audit this township against its peers", footer=False,
           palette="Audit this township against its peers…"),
    Action("main", "tab", "app.focus_next", "Next pane", "Next pane", footer=False),
    Action("main", "shift+tab", "app.focus_previous", "Previous pane", "Previous pane",
           footer=False),
    # The search bar.
    Action("search", "enter", "submit", "Results", "Go to the results", display="⏎"),
    # Typing owns ? and q here: the bar says how to get out to them.
    Action("search", "escape", "screen.back", "Back", "Clear the search; again: leave the "
           "search bar (then ? and q work)", display="esc", essential=True),
    # The item screen (enter on an item).
    Action("item", "escape", "app.pop_screen", "Back", "Back to the list", display="esc",
           essential=True),
    Action("item", "m", "show_counterparts", "Counterparts",
           "The same matter in every other township"),
    Action("item", "s", "show_source", "Source", "The item's original text in its document"),
    # The source view and the help overlay.
    Action("source", "escape,s", "app.pop_screen", "Back", "Back to where you were",
           display="esc", essential=True),
    Action("help", "escape,question_mark,q", "dismiss_screen", "Close", "Close the help",
           display="esc", essential=True),
    # The versions diff (D).
    Action("diff", "escape", "dismiss_screen", "Back", "Back to the list", display="esc",
           essential=True),
    Action("diff", "enter", "choose", "Show", "Show the highlighted item (current version) on "
           "the main screen", display="⏎"),
    # Lists of results on their own screens (counterparts, compare, pickers, source).
    Action("picker", "escape", "dismiss_screen", "Back", "Close without choosing",
           display="esc", essential=True),
    Action("picker", "enter", "choose", "Open", "Open the highlighted row", display="⏎"),
    Action("compare", "left,h", "previous_tab", "Tab", "Previous tab", display="←"),
    Action("compare", "right,l", "next_tab", "Tab", "Next tab", display="→"),
    # Result tables (counterparts, compare).
    Action("results", "enter", "select_cursor", "Open", "Show this item on the main screen",
           display="⏎"),
    Action("results", "down,j", "cursor_down", "Down", "Next row", footer=False),
    Action("results", "up,k", "cursor_up", "Up", "Previous row", footer=False),
    Action("results", "plus,equals_sign", "screen.mark_same", "Same",
           "Mark the highlighted pair one matter (kept in the store, overrides matching)",
           display="+"),
    Action("results", "minus", "screen.mark_different", "Different",
           "Mark the highlighted pair different matters (kept in the store)", display="-"),
    # The department view and the audit screen.
    Action("departments", "enter", "open_highlighted", "Open", "Show the highlighted "
           "department's rows; on a row, show it on the main screen", display="⏎"),
    Action("departments", "escape", "back", "Back", "Back to the list of departments, then "
           "to where you were", display="esc", essential=True),
    Action("audit", "escape", "dismiss_screen", "Back", "Back to where you were",
           display="esc", essential=True),
    Action("audit", "p", "next_peers", "Peers", "Peers: its county, its prefecture, all"),
    # The items table.
    Action("table", "enter", "open_item", "Open", "Open the highlighted item", display="⏎"),
    Action("table", "down,j", "cursor_down", "Down", "Next row", footer=False),
    Action("table", "up,k", "cursor_up", "Up", "Previous row", footer=False),
    Action("table", "pagedown", "page_down", "Page down", "One page down", footer=False),
    Action("table", "pageup", "page_up", "Page up", "One page up", footer=False),
    Action("table", "home,g", "first_row", "First", "First row", footer=False),
    Action("table", "end,G", "last_row", "Last", "Last row", footer=False),
    # The township tree (Textual's own tree keys plus vim aliases).
    Action("tree", "j", "cursor_down", "Down", "Next township", footer=False),
    Action("tree", "k", "cursor_up", "Up", "Previous township", footer=False),
    Action("tree", "enter", "select_cursor", "Show", "Show this township's items",
           footer=False),
    Action("tree", "space", "toggle_node", "Fold", "Fold or unfold a county", footer=False),
)

SCOPE_TITLES: dict[str, str] = {
    "app": "Everywhere",
    "main": "Main screen",
    "search": "Search bar",
    "table": "Items table",
    "tree": "Township tree",
    "item": "Item screen",
    "picker": "Counterparts, compare and pickers",
    "compare": "Compare screen",
    "results": "Counterparts and compare tables",
    "source": "Source view",
    "diff": "Versions diff",
    "departments": "Department view",
    "audit": "Audit screen",
    "help": "This help",
}


def bindings(scope: str, without: tuple[str, ...] = ()) -> list[BindingType]:
    """The bindings of one scope, in table order (the footer shows them in this order);
    ``without`` leaves those actions out."""
    return [Binding(a.keys, a.action, a.label, show=a.footer, key_display=a.display)
            for a in ACTIONS if a.scope == scope and a.action not in without]


def essential_actions() -> frozenset[str]:
    """The actions the key bar never drops for width: help, quit, search and the way back."""
    return frozenset(a.action for a in ACTIONS if a.essential)


def key_label(action: Action) -> str:
    """Keys as a person reads them: ``↓ j``, ``?``, ``shift+tab``."""
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter",
             "plus": "+", "equals_sign": "=", "minus": "-",
             "down": "↓", "up": "↑", "left": "←", "right": "→", "pagedown": "pgdn",
             "pageup": "pgup"}
    return " ".join(names.get(k, k) for k in action.keys.split(","))


def palette_actions() -> list[Action]:
    return [a for a in ACTIONS if a.palette]
