"""The township tree: everything › prefecture › county › township, with rows per list.

Moving the cursor is enough to show a node's items (as in lazygit's side lists); a county or a
prefecture shows all its townships at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import groupby

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from lvzhi.model import Document, ListKind
from lvzhi.tui.actions import bindings
from lvzhi.tui.messages import TownshipSelected
from lvzhi.tui.plain import plain
from lvzhi.tui.widgets.item_table import ELLIPSIS

# Above this many townships the counties start folded: the tree stays readable.
UNFOLD_LIMIT = 60

NodeData = frozenset[str] | None  # the documents a node stands for; None: all of them


def _total(parts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Rows per list kind of documents' ``lists`` (or of nodes' totals) added up."""
    totals: dict[str, int] = {}
    for part in parts:
        for kind, count in part.items():
            totals[kind] = totals.get(kind, 0) + count
    return totals


def short_count(count: int) -> str:
    """``84``, ``9866``, ``9.9万``: a province's totals stay narrow enough for the tree."""
    return str(count) if count < 10_000 else f"{count / 10_000:.1f}万"


def fit_counts(label: Text, room: int) -> Text:
    """``label`` made to fit ``room`` cells by dropping whole counts from the right, marked
    with ``⋯`` (ELLIPSIS: one cell in every terminal): a narrow tree shows ``收52`` or
    nothing, never ``收5``. A name too long on its own is left to the tree, which crops it."""
    name_end = label.plain.find("  ")
    while label.cell_len > room and name_end >= 0:
        cut = label.plain.rstrip(ELLIPSIS).rfind(" ")
        if cut <= name_end + 1:  # only the name is left
            return label[:name_end]
        label = label[:cut]
        label.append(ELLIPSIS, style="dim")
    return label


def node_label(name: str, counts: Mapping[str, int], *, bold: bool = False) -> Text:
    """``name`` and its rows per list (``counts``: list kind -> rows)."""
    label = plain(name, style="bold" if bold else "")
    label.append("  ")
    for n, kind in enumerate(ListKind):
        if n:
            label.append(" ")
        label.append(f"{kind.short}{short_count(counts.get(str(kind), 0))}", style="dim")
    return label


class TownshipTree(Tree[NodeData]):
    """Posts TownshipSelected when its cursor moves to another node."""

    BINDINGS = bindings("tree")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("全部", data=None, id=id)
        self.show_root = True
        self.guide_depth = 2
        self.auto_expand = False  # enter shows the node's items; space folds it
        self._township_nodes: dict[str, TreeNode[NodeData]] = {}  # doc id -> its township node
        # A folded county's townships get their nodes when it is unfolded: a country's
        # 38,000 leaves would hold up the first screen for a second and more.
        self._folded: dict[int, list[Document]] = {}  # county node id -> its documents
        self._county_of: dict[str, TreeNode[NodeData]] = {}  # doc id -> its county node
        self._places: Counter[str] = Counter()

    def render_label(self, node: TreeNode[NodeData], base_style: Style, style: Style) -> Text:
        depth, parent = 0, node.parent  # the root's guides take no room; each level one guide
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth
        label = super().render_label(node, base_style, style)
        return fit_counts(label, room) if room > 0 else label

    def load(self, documents: list[Document]) -> None:
        """Rebuild the tree from ``documents`` (already in place order)."""
        self.clear()
        self._township_nodes.clear()
        self._folded.clear()
        self._county_of.clear()
        root = self.root
        self.border_subtitle = f"{len(documents):,} townships"
        root.data = None
        unfold = len(documents) <= UNFOLD_LIMIT
        self._places = Counter(d.place for d in documents)
        # Each level's totals are its children's added up: a country's 38,000 documents are
        # counted once, not once a level.
        prefecture_totals = []
        for prefecture, in_prefecture in groupby(documents, key=lambda d: d.prefecture):
            docs = list(in_prefecture)
            p_node = root.add("", data=frozenset(d.id for d in docs), expand=True)
            county_totals = []
            for county, in_county in groupby(docs, key=lambda d: d.county):
                county_docs = list(in_county)
                county_totals.append(_total(d.lists for d in county_docs))
                c_node = p_node.add(node_label(county or "（未知县市）", county_totals[-1]),
                                    data=frozenset(d.id for d in county_docs), expand=unfold)
                self._county_of.update((doc.id, c_node) for doc in county_docs)
                if unfold:
                    self._add_townships(c_node, county_docs)
                else:
                    self._folded[c_node.id] = county_docs
            prefecture_totals.append(_total(county_totals))
            p_node.set_label(node_label(prefecture or "（未知地区）", prefecture_totals[-1],
                                        bold=True))
        root.set_label(node_label("全部", _total(prefecture_totals), bold=True))
        root.expand()
        self.move_cursor(root)

    def _add_townships(self, county: TreeNode[NodeData], docs: list[Document]) -> None:
        for doc in docs:
            name = doc.township or doc.source
            if self._places[doc.place] > 1:  # the same township from two files: say which
                name = f"{name} · {doc.source}"
            self._township_nodes[doc.id] = county.add_leaf(node_label(name, doc.lists),
                                                           data=frozenset({doc.id}))

    def _unfolded(self, county: TreeNode[NodeData]) -> None:
        """Give a county its townships' nodes if it has none yet."""
        docs = self._folded.pop(county.id, None)
        if docs is not None:
            self._add_townships(county, docs)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        self._unfolded(event.node)

    def select_all(self) -> None:
        """Move the cursor to 全部: every township's items."""
        self.move_cursor(self.root)

    def select_document(self, doc_id: str) -> None:
        """Move the cursor to a township (unfolding its county), which shows its items."""
        if (county := self._county_of.get(doc_id)) is not None:
            self._unfolded(county)
        node = self._township_nodes.get(doc_id)
        if node is None:
            return
        parent = node.parent
        folded = False
        while parent is not None:
            folded = folded or not parent.is_expanded
            parent.expand()
            parent = parent.parent
        if folded:  # the node has no line until the tree is laid out again
            self.call_after_refresh(self.move_cursor, node)
        else:
            self.move_cursor(node)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        event.stop()
        node = event.node
        self.post_message(TownshipSelected(node.data, _plain(node)))



def _plain(node: TreeNode[NodeData]) -> str:
    """The node's name without its counts, for the status bar."""
    label = node.label.plain if isinstance(node.label, Text) else str(node.label)
    return label.split("  ")[0]
