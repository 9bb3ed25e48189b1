"""The normalized data model: one schema for every document format.

Extractors produce an ``ExtractedDocument`` made of ``ExtractedRow`` objects (raw cell text,
exactly as printed). ``lvzhi.normalize`` turns that into one ``Document`` and its ``Item``s,
which is what the store holds and every other part of the program reads.
"""

from __future__ import annotations

import builtins
import functools
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from operator import itemgetter
from typing import Any, Self


class ListKind(StrEnum):
    """The three lists every township publishes, with every way lvzhi names them.

    The per-list names live here once: ``label`` (the list's title), ``word`` (two
    characters, for narrow columns), ``short`` (one character: 基 / 配 / 收, which the command
    line also takes), ``code`` (one ASCII letter, the catalog's column) and ``order``.
    """

    BASIC = "basic"  # 基本履职事项清单
    COOPERATIVE = "cooperative"  # 配合履职事项清单
    RECLAIMED = "reclaimed"  # 上级部门收回事项清单

    @property
    def label(self) -> str:
        return _KIND_NAMES[self][0]

    @property
    def word(self) -> str:
        """Two characters, for narrow columns where 基/配/收 alone is too terse."""
        return _KIND_NAMES[self][1]

    @property
    def short(self) -> str:
        """One character for the narrowest columns: 基 / 配 / 收."""
        return _KIND_NAMES[self][2]

    @property
    def code(self) -> str:
        """One letter per row in the catalog's ``list`` column (a document's lists are one
        string)."""
        return _KIND_NAMES[self][3]

    @property
    def order(self) -> int:
        """Where the list comes in a township's lists: basic, cooperative, reclaimed."""
        return _KIND_ORDER[self]

    @classmethod
    def of_code(cls, code: str) -> ListKind:
        return _CODE_KIND[code]


# label, word, short, code
_KIND_NAMES: dict[ListKind, tuple[str, str, str, str]] = {
    ListKind.BASIC: ("基本履职事项", "基本", "基", "b"),
    ListKind.COOPERATIVE: ("配合履职事项", "配合", "配", "c"),
    ListKind.RECLAIMED: ("上级部门收回事项", "收回", "收", "r"),
}
_KIND_ORDER: dict[ListKind, int] = {kind: n for n, kind in enumerate(ListKind)}
_CODE_KIND: dict[str, ListKind] = {names[3]: kind for kind, names in _KIND_NAMES.items()}


def counts_label(lists: dict[str, int]) -> str:
    """``基84 配127 收52``: a document's rows per list, short."""
    return " ".join(f"{kind.short}{lists.get(str(kind), 0)}" for kind in ListKind)


@dataclass(slots=True)
class Span:
    """Where a row stands in its source: 1-based lines and/or pages, inclusive."""

    line_first: int | None = None
    line_last: int | None = None
    page_first: int | None = None
    page_last: int | None = None

    def describe(self) -> str:
        parts = []
        if self.page_first is not None:
            last = self.page_last if self.page_last is not None else self.page_first
            parts.append(f"p. {self.page_first}" if last == self.page_first
                         else f"pp. {self.page_first}–{last}")
        if self.line_first is not None:
            last = self.line_last if self.line_last is not None else self.line_first
            parts.append(f"line {self.line_first}" if last == self.line_first
                         else f"lines {self.line_first}–{last}")
        return ", ".join(parts) or "unknown"


@dataclass(slots=True)
class SourceLine:
    """A piece of table-body text as the extractor read it (markup removed), with its line.

    The extraction report checks that every non-whitespace character of these lands in
    exactly one field of the row that claims them.
    """

    line: int
    text: str
    page: int | None = None


@dataclass(slots=True)
class ExtractedRow:
    """One table row as printed: cell texts joined from their wrapped lines, nothing else done."""

    list: ListKind
    serial: int
    category: str
    name: str
    departments: str = ""  # 对应上级部门 (cooperative)
    upper_duties: str = ""  # 上级部门职责 (cooperative), whole cell
    township_duties: str = ""  # 乡镇配合职责 (cooperative), whole cell
    receiver: str = ""  # 承接部门及工作方式 (reclaimed), whole cell; two columns joined by a space
    # Its parts, where the document prints them as two columns (承接部门 | 工作方式) or labels
    # them inside the cell (``承接部门：… 工作方式：…``); empty where it does neither.
    receiver_department: str = ""
    receiver_method: str = ""
    # Columns the model has no field for (履职依据, 备注, 事项编码 …): header as printed
    # (whitespace removed) -> cell text, in the order the table prints them.
    extra: dict[str, str] = field(default_factory=dict)
    # Steps of the duty cells where the source marks them without printed numbers (an HTML
    # <ol>); "".join(steps) must equal the cell. None: split at the cell's own numbering.
    upper_steps: builtins.list[str] | None = None
    township_steps: builtins.list[str] | None = None
    span: Span = field(default_factory=Span)
    # The body text this row was built from, for the conservation check and the source view.
    source: builtins.list[SourceLine] = field(default_factory=builtins.list)
    # True when the category was not printed on this row but filled down from the row above
    # (a vertically merged cell), so its characters are not expected in ``source``.
    category_filled: bool = False
    # Text this row's fields hold from a cell merged over it and the rows above (牵头部门
    # printed once for a run of rows): printed on the run's first row, read again here, so
    # its characters are not expected in ``source``.
    merged: builtins.list[str] = field(default_factory=builtins.list)
    warnings: builtins.list[str] = field(default_factory=builtins.list)
    # True when ``serial`` is the row's place in its list, not the number printed: a list
    # numbered anew in each category (the printed number is kept in ``extra["序号"]``).
    serial_counted: bool = False


@dataclass(slots=True)
class HeaderMapping:
    """How one list's column header was read: each header cell as printed and the field it
    was read as (a model column, ``extra`` for a column kept in ``extra``, ``""`` for a cell
    that names none, such as the group cell of a two-row header)."""

    list: ListKind
    cells: builtins.list[tuple[str, str]]
    line: int | None = None
    page: int | None = None


@dataclass(slots=True)
class ExtractedDocument:
    """Everything an extractor found in one file."""

    title: str = ""
    prefecture: str = ""
    county: str = ""
    township: str = ""
    notes: str = ""  # e.g. a 说明 preface
    rows: list[ExtractedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Table-body text no row claimed: reported as lost by the conservation check.
    orphans: list[SourceLine] = field(default_factory=list)
    # Characters of cells printed again on the next page when a row is cut by a page break:
    # page furniture, neither lost nor duplicated, counted apart by the report.
    page_repeats: int = 0
    # Characters of cells merged over several rows, read again in each row below the first.
    merge_repeats: int = 0
    encoding: str | None = None  # the text encoding used, for text formats
    pages: int | None = None
    # How each list's header was read (table formats), for ``lvzhi check``.
    headers: list[HeaderMapping] = field(default_factory=list)
    # What the user can do where the reading is not trusted, in a few words (``dump it with
    # pdftotext -layout``): said with the reason an untrusted reading is refused.
    advice: str = ""


@functools.cache
def _field_names(cls: type) -> frozenset[str]:
    # ``fields`` walks the class each call: it was half of reading a 38,000-document catalog.
    return frozenset(f.name for f in fields(cls))


class _JSONMixin:
    """asdict/from_dict round-trip for the stored records."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        names = _field_names(cls)  # type: ignore[arg-type]
        values = {k: v for k, v in data.items() if k in names}
        if "span" in values and isinstance(values["span"], dict):
            values["span"] = Span(**values["span"])
        if "list" in values:
            values["list"] = ListKind(values["list"])
        return cls(**values)


@dataclass(slots=True)
class Document(_JSONMixin):
    id: str  # sha256 of the file's bytes
    source: str  # file name
    path: str
    format: str
    extractor: str  # "name version"
    prefecture: str
    county: str
    township: str
    title: str = ""
    notes: str = ""
    lists: dict[str, int] = field(default_factory=dict)  # list kind -> row count
    warnings: list[str] = field(default_factory=list)
    ingested_at: str = ""
    encoding: str | None = None

    @property
    def place(self) -> str:
        return " ".join(p for p in (self.prefecture, self.county, self.township) if p)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        try:  # the catalog's own records hold exactly the fields: no filtering
            return cls(**data)
        except TypeError:  # older or foreign records: what we know
            return _JSONMixin.from_dict.__func__(cls, data)  # type: ignore[attr-defined]


@dataclass(slots=True)
class Item(_JSONMixin):
    id: str  # "<doc id>:<list>:<serial>"
    doc_id: str
    source: str
    prefecture: str
    county: str
    township: str
    list: ListKind
    serial: int
    category: str
    name: str
    category_canonical: str = ""
    departments: str = ""
    department_names: builtins.list[str] = field(default_factory=builtins.list)
    # Steps keep their text exactly as printed, numbering included: "".join(steps) == cell.
    upper_duties: builtins.list[str] = field(default_factory=builtins.list)
    township_duties: builtins.list[str] = field(default_factory=builtins.list)
    receiver: str = ""
    receiver_department: str = ""
    receiver_method: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # header -> text, columns in order
    span: Span = field(default_factory=Span)
    warnings: builtins.list[str] = field(default_factory=builtins.list)

    # ``asdict`` copies recursively and was most of the time spent storing a province; an
    # item is flat apart from its span, its lists of strings and ``extra``, so it is copied
    # by hand.
    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name in _ITEM_FIELDS:
            value = getattr(self, name)
            data[name] = (list(value) if isinstance(value, list)
                          else dict(value) if isinstance(value, dict) else value)
        data["list"] = str(self.list)
        data["span"] = {name: getattr(self.span, name) for name in _SPAN_FIELDS}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        try:  # the store's own records: every field, taken in one C call, built positionally
            values = list(_ITEM_VALUES(data))
            values[_LIST_AT] = _LIST_KINDS[values[_LIST_AT]]
            span = values[_SPAN_AT]
            values[_SPAN_AT] = Span(span["line_first"], span["line_last"], span["page_first"],
                                    span["page_last"])
            return cls(*values)
        except (TypeError, KeyError, ValueError):  # older or foreign records: what we know
            # (zero-argument super() does not work in a slots dataclass)
            return _JSONMixin.from_dict.__func__(cls, data)  # type: ignore[attr-defined]

    @staticmethod
    def make_id(doc_id: str, kind: ListKind | str, serial: int) -> str:
        return f"{doc_id}:{ListKind(kind)}:{serial}"


@dataclass(slots=True, frozen=True)
class Row:
    """What lists, views and indexes need of an item, without its duty text or provenance.

    The store keeps these for every item in its catalog, so the whole store can be listed,
    searched and matched without reading any item's full text; the whole ``Item`` is read
    from its document's file when it is shown. Field names are those of ``Item``, so code
    that only reads these fields takes either.
    """

    id: str
    doc_id: str
    source: str
    prefecture: str
    county: str
    township: str
    list: ListKind
    serial: int
    category: str
    name: str
    category_canonical: str = ""
    departments: str = ""
    department_names: tuple[str, ...] = ()
    receiver: str = ""

    @classmethod
    def of(cls, item: Item) -> Row:
        """The row of a whole item."""
        return cls(item.id, item.doc_id, item.source, item.prefecture, item.county,
                   item.township, item.list, item.serial, item.category, item.name,
                   item.category_canonical, item.departments, tuple(item.department_names),
                   item.receiver)


_ITEM_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Item))
_SPAN_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Span))
_ITEM_VALUES = itemgetter(*_ITEM_FIELDS)
_LIST_AT, _SPAN_AT = _ITEM_FIELDS.index("list"), _ITEM_FIELDS.index("span")
_LIST_KINDS: dict[str, ListKind] = {str(kind): kind for kind in ListKind}
