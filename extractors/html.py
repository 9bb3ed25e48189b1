"""Web pages that publish the lists as HTML tables, as county governments put them online.

The page is parsed with lxml.html: libxml2's HTML parser is a mature, maintained C parser that
reads the broken markup of real pages (Word-pasted spans, ``<o:p>``, conditional comments,
unclosed cells) without complaint, and unlike the faster Lexbor-based selectolax it records
the source line of every element, which lvzhi needs to point a user back to a row.

What this module knows is the web page: its encoding (``<meta charset>``, often GBK), the
page chrome around the article (navigation, breadcrumbs, header, footer, scripts), layout
tables that hold other tables, merged cells, Word's markup inside cells, and what the page
hides: a browser shows no box, table row, column or cell that is ``display:none``, ``hidden``
or of a class the page's own ``<style>`` hides (Excel writes hidden rows and columns so), and
what it does not show is not part of the list as published. Duty lists are
``lvzhi.extractors.tables``' business: it gets the article's text lines and every data table's rows.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from pathlib import Path

import lxml.etree
import lxml.html

from lvzhi.extractor import ExtractionError, Extractor, NoDutyListError
from lvzhi.extractors.tables import (
    TableAssembler,
    is_cover_title,
    list_items,
    section_category,
)
from lvzhi.hookspecs import hookimpl
from lvzhi.model import ExtractedDocument
from lvzhi.text import decode, decode_head, looks_binary
from lvzhi.vocabulary import list_kind_of_title, parse_place

# --- decoding ----------------------------------------------------------------------------

# A page's own charset declaration: <meta charset="gbk">, the http-equiv Content-Type form, or
# an XHTML page's XML declaration.
_META_CHARSET_RE = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)"""
    rb"""|^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 8192
# GB2312 and GBK (and the names pages give them) are read as GB18030, their superset.
_GB_NAMES = {"gb2312", "gbk", "x-gbk", "gb_2312", "gb_2312-80", "csgb2312", "chinese",
             "iso-ir-58", "cp936", "ms936", "windows-936", "euc-cn", "x-euc-cn", "gb18030"}
# Western single-byte charsets decode any bytes: on a Chinese page they are a template's
# default left in place, never the truth, when the bytes read as GB18030.
_WESTERN = {"latin-1", "iso8859-1", "cp1252", "ascii"}


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first bytes, as a Python codec name (GB2312/GBK as
    gb18030); None if it declares none or one Python does not know."""
    match = _META_CHARSET_RE.search(data[:_PRESCAN_BYTES])
    if match is None:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii").lower()
    if name in _GB_NAMES:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # A byte page cannot be UTF-16 (HTML reads such a declaration as UTF-8).
    return "utf-8" if codec.startswith("utf-16") else codec


def decode_page(data: bytes) -> tuple[str, str, str]:
    """(text, encoding used, a warning or "") of a web page's bytes.

    A byte order mark wins, then text that is valid UTF-8 (GBK text never is, a page's
    declaration is often a template's leftover), then the declared charset, then GB18030.
    """
    declared = declared_charset(data)
    if declared is None or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                            codecs.BOM_UTF16_BE)):
        return (*decode(data), "")
    if looks_binary(data):
        raise ExtractionError("the file is binary, not a web page")
    tried = ["utf-8", declared] if declared not in _WESTERN else ["utf-8", "gb18030", declared]
    for encoding in dict.fromkeys([*tried, "gb18030"]):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" and declared != "utf-8" and data.isascii():
            encoding = declared  # ASCII only: the declaration is as good as anything
        warning = "" if encoding == declared else (
            f"the page declares charset {declared} but is {encoding}; read as {encoding}")
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, warning
    raise ExtractionError(f"the page declares charset {declared} but is neither that, "
                          "UTF-8 nor GB18030")


# --- parsing -----------------------------------------------------------------------------

# C0 control characters are no text; libxml2 would turn each into U+FFFD.
_CONTROLS_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_pis=True, no_network=True)


def parse_page(text: str) -> lxml.html.HtmlElement:
    """The page's element tree. Bytes are handed over as UTF-8 with the encoding named, so a
    ``<meta charset>`` in the text cannot make libxml2 decode it a second time."""
    try:
        return lxml.html.document_fromstring(_CONTROLS_RE.sub("", text).encode("utf-8"),
                                             parser=_PARSER)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractionError(f"not a readable web page: {exc}") from exc


# --- page chrome -------------------------------------------------------------------------

# Never text: code, styles, forms, embedded frames, the head's machinery.
_SKIPPED = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
            "select", "option", "button", "textarea", "input", "meta", "link", "base", "xml"}
# Page chrome by element: navigation, sidebars, the page footer.
_CHROME_TAGS = {"nav", "aside", "footer"}
# Page chrome by class or id.
_CHROME_WORDS_RE = re.compile(r"nav|crumb|menu|footer|copyright|position|location|sitemap"
                              r"|daohang|dqwz|weizhi|banquan")  # pinyin: 导航 当前位置 版权
_CHROME_TOKENS = {"header", "head", "top", "topbar", "foot", "bottom", "banner", "logo"}
# A class naming the article's own parts (``article-header``) is no chrome.
_ARTICLE_TOKENS = {"article", "content", "title", "detail", "main", "text", "news", "info",
                   "body", "con", "doc", "table"}
_TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "html", "body"}
# Breadcrumbs printed as plain text: 当前位置：首页>政务公开>…
_BREADCRUMB_RE = re.compile(
    r"^\s*(?:(?:当前|您的|您现在的|您当前的|当前所在)位置|(?:所在)?位置\s*[:：>»])")
_DUTY_HEADER_RE = re.compile(r"序\s*号|事项名称")
# Lines that lead to other articles (上一篇：…清单, 相关链接): never this page's titles.
_ELSEWHERE_RE = re.compile(r"^\s*(?:上一[篇条]|下一[篇条]|相关(?:链接|文章|阅读|新闻|信息))")
# A site footer's words: a table holding them (and no other table) is chrome, whatever its
# class (old templates lay the footer out as a table of 主办单位 | 备案号 cells).
_FOOTER_RE = re.compile(r"ICP备|网站标识码|公网安备|版权所有")
# An inline style that hides the element: a browser shows none of it.
_HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)",
                        re.IGNORECASE)
# Classes that hide by the site's style sheet (Bootstrap's and most templates' names); a
# page's own <style> blocks name more (``mark_hidden``).
_HIDDEN_CLASSES = {"hidden", "hide", "d-none", "sr-only", "visually-hidden", "invisible"}
# A style block's rules: selectors { declarations }; @media blocks hide for print or small
# screens only, and are left out.
_CSS_COMMENT_RE = re.compile(r"/\*.*?\*/|<!--|-->", re.DOTALL)
_MEDIA_RE = re.compile(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", re.IGNORECASE)
_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
# .c, tag.c, #id, tag#id
_SIMPLE_SELECTOR_RE = re.compile(r"^[a-z0-9]*([.#][\w-]+)$", re.IGNORECASE)


def _tag(element: lxml.html.HtmlElement) -> str:
    """The lower-case tag name ("" for comments and processing instructions)."""
    return element.tag.lower() if isinstance(element.tag, str) else ""


def is_chrome(element: lxml.html.HtmlElement, tag: str) -> bool:
    """Navigation, breadcrumbs, the page header and footer: by element or by class and id.
    Never a part of a table, nor an element holding a duty-list table (some sites wrap the
    whole article in one badly named box)."""
    if tag in _TABLE_PARTS:
        return False
    if tag == "header":
        chrome = not any(_tag(a) in ("article", "main") for a in element.iterancestors())
    elif tag in _CHROME_TAGS:
        chrome = True
    else:
        names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        if not names.strip():
            return False
        tokens = set(re.split(r"[^a-z0-9]+", names))
        chrome = bool(_CHROME_WORDS_RE.search(names)) or bool(
            tokens & _CHROME_TOKENS and not tokens & _ARTICLE_TOKENS)
    return chrome and not holds_duty_table(element)


def page_hidden_selectors(root: lxml.html.HtmlElement) -> set[str]:
    """Classes (``.yc``) and ids (``#sharetitle``), lower case, the page's own ``<style>`` blocks
    hide (``.yc{display:none}``, ``td.xl70{display:none}``): simple selectors only, outside
    @media blocks."""
    names: set[str] = set()
    for style in root.iter("style"):
        css = _MEDIA_RE.sub("", _CSS_COMMENT_RE.sub("", style.text or ""))
        for selectors, declarations in _RULE_RE.findall(css):
            if _HIDDEN_RE.search(declarations):
                names.update(match.group(1).lower() for selector in selectors.split(",")
                             if (match := _SIMPLE_SELECTOR_RE.match(selector.strip())))
    return names


def mark_hidden(root: lxml.html.HtmlElement) -> None:
    """Give every element of a class or id the page's style hides the ``hidden`` attribute
    (what a browser does with it is the same), so that cells and boxes read as hidden
    wherever they are looked at."""
    selectors = page_hidden_selectors(root) - {f".{name}" for name in _HIDDEN_CLASSES}
    if selectors:
        for element in root.iter():
            if isinstance(element.tag, str) and not selectors.isdisjoint(
                    [f".{name}" for name in (element.get("class") or "").lower().split()]
                    + [f"#{(element.get('id') or '').lower()}"]):
                element.set("hidden", "hidden")


def hides(element: lxml.html.HtmlElement) -> bool:
    """Whether the element is hidden itself: ``hidden``, an inline ``display:none`` or
    ``visibility:hidden``, a class hiding it."""
    return element.get("hidden") is not None or bool(_HIDDEN_RE.search(
        element.get("style") or "")) or not _HIDDEN_CLASSES.isdisjoint(
        (element.get("class") or "").lower().split())


def is_hidden(element: lxml.html.HtmlElement, tag: str) -> bool:
    """An element the page hides (``style="display:none"``, ``hidden``): share widgets' and
    templates' copies of titles, often another article's. Never a part of a table (a table
    leaves its hidden rows and columns out itself, ``table_grid``), nor a box holding a table
    (a tab a script shows: its list may have no header the reader knows)."""
    if tag in _TABLE_PARTS or not isinstance(element.tag, str):
        return False
    return hides(element) and next(element.iter("table"), None) is None


def is_site_footer(element: lxml.html.HtmlElement, tag: str) -> bool:
    """A table of the site's footer (备案号, 网站标识码, 版权所有) that holds no other table
    and no duty-list header."""
    return (tag == "table" and next(element.iterdescendants("table"), None) is None
            and bool(_FOOTER_RE.search(element.text_content()))
            and not holds_duty_table(element))


def holds_duty_table(element: lxml.html.HtmlElement) -> bool:
    return any(_DUTY_HEADER_RE.search(cell.text_content())
               for cell in element.iter("td", "th"))


# --- text --------------------------------------------------------------------------------

# Whitespace HTML collapses (a no-break space, &nbsp;, reads as a space; the full-width space
# U+3000 is text and is kept where the page has it).
_COLLAPSIBLE_RE = re.compile(r"[ \t\n\r\f\xa0]+")
# Nor are the zero-width spaces web editors leave as caret fillers (UEditor's &#8203;, a BOM
# pasted inside, U+2060) text: a serial cell "\u200b1" would be no number. ZWJ and ZWNJ stay
# (Arabic-script text such as Uyghur shapes with them).
_ZERO_WIDTH_RE = re.compile("[\u200b\u2060\ufeff]")
_BLOCKS = {"p", "div", "li", "ol", "ul", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
           "tr", "td", "th", "table", "caption", "blockquote", "pre", "section", "article",
           "main", "center", "address", "hr", "form", "fieldset", "figure", "figcaption",
           "header", "title", "body", "html"}


def _joins_without_space(before: str, after: str) -> bool:
    """Whether a line break between two characters is no space: both wide (Chinese), or one
    wide and the other ambiguous (“”…—, punctuation Chinese text uses)."""
    widths = {unicodedata.east_asian_width(before), unicodedata.east_asian_width(after)}
    return widths <= {"W", "F", "A"} and bool(widths & {"W", "F"})


def collapse(text: str) -> str:
    """A run of whitespace as one space, except that a line break between Chinese characters
    is no space at all (as browsers render it: Word wraps its HTML source inside
    Chinese text); ends stripped of collapsible whitespace."""
    def space(match: re.Match[str]) -> str:
        run = match.group()
        if "\n" in run:
            start, end = match.span()
            if start and end < len(text) and _joins_without_space(text[start - 1], text[end]):
                return ""
        return " "
    text = _ZERO_WIDTH_RE.sub("", text)
    return _COLLAPSIBLE_RE.sub(space, text).strip(" ")


class _Flow:
    """Text of an element tree split into paragraphs (block elements end one), each the lines
    its ``<br>`` cut it into joined with nothing."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._lines: list[str] = []
        self._parts: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self._parts.append(text)

    def end_line(self) -> None:
        if self._parts:
            if line := collapse("".join(self._parts)):
                self._lines.append(line)
            self._parts = []

    def end(self) -> None:
        self.end_line()
        if self._lines:
            self.paragraphs.append("".join(self._lines))
            self._lines = []

    def walk(self, element: lxml.html.HtmlElement) -> None:
        tag = _tag(element)
        if tag in _SKIPPED or is_hidden(element, tag):
            return
        if tag == "br":
            self.end_line()
            return
        block = tag in _BLOCKS
        if block:
            self.end()
        self.add(element.text if tag else None)  # a comment's text is no text
        for child in element:
            self.walk(child)
            self.add(child.tail)
        if block:
            self.end()


def element_text(element: lxml.html.HtmlElement, paragraph_gap: str = "") -> str:
    """An element's text as a cell holds it: paragraphs and ``<br>`` lines joined with
    ``paragraph_gap`` (nothing: they are one cell's wrapped lines), whitespace collapsed,
    ends stripped (full-width spaces too)."""
    flow = _Flow()
    flow.walk(element)
    flow.end()
    return paragraph_gap.join(flow.paragraphs).strip()


def _fragment_text(markup: str) -> str:
    """The text of a piece of a list cell's markup, paragraphs apart by one space."""
    try:
        fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return ""
    return element_text(fragment, " ")


def _inner_html(element: lxml.html.HtmlElement) -> str:
    return html.escape(element.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in element)


def cell_text(cell: lxml.html.HtmlElement) -> tuple[str, list[str] | None]:
    """A cell's text and, if its markup holds a list (``<ol>``, ``<li>``), the list's items.

    Paragraphs and ``<br>`` lines are joined with nothing; in a cell with a list, items and
    the paragraphs beside them stay apart by one space (``lvzhi.extractors.tables.list_items``).
    """
    if next(cell.iter("ol", "ul", "li"), None) is None:
        return element_text(cell), None
    markup = _inner_html(cell)
    return _fragment_text(markup), list_items(markup, _fragment_text)


# --- tables ------------------------------------------------------------------------------

_MAX_COLUMNS = 200
_SPAN_RE = re.compile(r"\s*(\d{1,5})")


def _span(value: str | None, limit: int) -> int:
    """A rowspan/colspan value as browsers read it: leading digits, at least 1 (0 for a
    rowspan: to the end of the table), at most ``limit``."""
    match = _SPAN_RE.match(value or "")
    if match is None:
        return 1
    number = int(match.group(1))
    return limit if number == 0 else max(1, min(number, limit))


def own_rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's rows as a browser shows them: the first ``<thead>`` first and the first
    ``<tfoot>`` last, wherever they are written (HTML 4 wanted ``<tfoot>`` before
    ``<tbody>``); any other ``<thead>``/``<tfoot>`` stands where it is, as a body."""
    head, foot = table.find("thead"), table.find("tfoot")
    rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    return sorted(rows, key=lambda row: 0 if row.getparent() is head
                  else 2 if row.getparent() is foot else 1)


def own_cells(row: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return [child for child in row if _tag(child) in ("td", "th")]


def is_layout_table(table: lxml.html.HtmlElement) -> bool:
    """A table that lays out the page rather than holding data: its cells hold other tables
    (unless its own rows carry a duty-list header), or it has a single column."""
    rows = own_rows(table)
    if max((len(own_cells(row)) for row in rows), default=0) <= 1:
        return True
    if next(table.iterdescendants("table"), None) is None:
        return False
    depth = sum(1 for a in table.iterancestors("table")) + 1
    return not any(_DUTY_HEADER_RE.search("".join(cell.xpath(
        ".//text()[count(ancestor::table) = $depth]", depth=depth))) for row in rows[:4]
        for cell in own_cells(row))


def is_section_table(table: lxml.html.HtmlElement) -> bool:
    """A table of one column whose every row is a numbered section heading (``二、民生服务``):
    a list's section row printed as a table of its own (a page that gives each row its own
    table). A one-column table is otherwise layout, its rows text."""
    if next(table.iterdescendants("table"), None) is not None:
        return False
    texts = [text for row in own_rows(table) for cell in own_cells(row)
             if (text := element_text(cell))]
    # section_category takes text standing in a later cell only when it is numbered
    return bool(texts) and all(section_category(["", text]) for text in texts)


Grid = list[tuple[int, list[str | None], list[list[str] | None], list[bool]]]
_Value = tuple[str, list[str] | None]


def hidden_columns(table: lxml.html.HtmlElement) -> set[int]:
    """Columns (0-based) the table's ``<col>``/``<colgroup>`` hide (Excel's "Save as Web
    Page" writes a hidden column as ``<col ... style='display:none'>``)."""
    hidden: set[int] = set()
    at = 0
    for group in table.xpath("./col | ./colgroup"):
        cols = [group] if _tag(group) == "col" else group.findall("col") or [group]
        for col in cols:
            span = _span(col.get("span"), _MAX_COLUMNS)
            if hides(col) or hides(group):
                hidden.update(range(at, at + span))
            at += span
    return hidden


def _first_shown(start: int, span: int, hidden: set[int]) -> int | None:
    return next((n for n in range(start, start + span) if n not in hidden), None)


def table_grid(table: lxml.html.HtmlElement, notes: list[str] | None = None) -> Grid:
    """The table's rows as a browser shows them, rectangular: (line, cells, items per cell,
    whether a cell merged down from the row above covers each position). A merged cell's
    text stands in its top-left position and every position it covers is None; a row
    shorter than the table is filled with empty cells.

    The grid is laid out over every row and cell first (spans count hidden rows, as Excel
    writes them), then hidden rows (``<tr style='display:none'>``, ``hidden``, in a hidden
    ``<tbody>``) and columns (``<col>`` hiding them, or every cell in them hidden) are left
    out, as the office readers leave out what Excel hides; a merged cell whose top-left
    position is hidden shows its text in its first shown position, and a hidden cell's text
    is no text. ``notes`` gets one warning naming the hidden rows and columns that held
    text."""
    rows = own_rows(table)
    covered: dict[int, set[int]] = {}  # row index -> columns a cell above covers
    # (row, column, rows, columns, value, hidden itself) of every cell
    anchors: list[tuple[int, int, int, int, _Value, bool]] = []
    filled: list[set[int]] = []
    for at, row in enumerate(rows):
        taken = covered.pop(at, set())
        column = 0
        for cell in own_cells(row):
            while column in taken:
                column += 1
            if column >= _MAX_COLUMNS:
                break
            row_span = _span(cell.get("rowspan"), len(rows) - at)
            column_span = _span(cell.get("colspan"), _MAX_COLUMNS - column)
            anchors.append((at, column, row_span, column_span, cell_text(cell), hides(cell)))
            taken.update(range(column, column + column_span))
            for below in range(at + 1, at + row_span):
                covered.setdefault(below, set()).update(range(column, column + column_span))
            column += column_span
        filled.append(taken)
    width = max((max(taken, default=-1) + 1 for taken in filled), default=0)
    hidden_rows = {at for at, row in enumerate(rows)  # the row, or its <tbody>, hidden
                   if hides(row) or (row.getparent() is not table and hides(row.getparent()))}
    hidden_cols = hidden_columns(table)
    by_column: dict[int, list[bool]] = {}
    for _, column, _, column_span, _, hidden in anchors:
        if column_span == 1:
            by_column.setdefault(column, []).append(hidden)
    hidden_cols |= {column for column, flags in by_column.items() if all(flags)}
    placed: dict[tuple[int, int], _Value | None] = {}
    down: set[tuple[int, int]] = set()  # positions merged down from a shown row above
    lost_rows: set[int] = set()
    lost_columns: set[int] = set()
    lost_cells = 0
    for at, column, row_span, column_span, value, hidden in anchors:
        first_row = _first_shown(at, row_span, hidden_rows)
        first_column = _first_shown(column, column_span, hidden_cols)
        if value[0] and (hidden or first_row is None or first_column is None):
            lost_rows.update([at] if first_row is None else [])
            lost_columns.update([column] if first_column is None else [])
            lost_cells += not (first_row is None or first_column is None)
        top, left = (at if first_row is None else first_row,
                     column if first_column is None else first_column)
        for below in range(at, at + row_span):
            for beside in range(column, column + column_span):
                placed[below, beside] = None
                if below > top:
                    down.add((below, beside))
        placed[top, left] = ("", None) if hidden else value
    shown = [column for column in range(width) if column not in hidden_cols]
    result: Grid = []
    for at, row in enumerate(rows):
        if at in hidden_rows:
            continue
        values = [placed.get((at, column), ("", None)) for column in shown]
        result.append((row.sourceline or 0, [None if v is None else v[0] for v in values],
                       [None if v is None else v[1] for v in values],
                       [(at, column) in down for column in shown]))
    if notes is not None and (lost_rows or lost_columns or lost_cells):
        parts = ([f"rows at lines {_lines(rows, lost_rows)}"] if lost_rows else []) + (
            [f"columns {_numbers(sorted(c + 1 for c in lost_columns))}"]
            if lost_columns else []) + ([f"{lost_cells} cell(s)"] if lost_cells else [])
        notes.append(f"line {table.sourceline}: the table's hidden {' and '.join(parts)} "
                     "hold text, not read (a browser does not show them)")
    return result


def _numbers(numbers: list[int]) -> str:
    return "、".join(map(str, numbers[:5])) + ("…" if len(numbers) > 5 else "")


def _lines(rows: list[lxml.html.HtmlElement], indexes: set[int]) -> str:
    return _numbers([rows[at].sourceline or 0 for at in sorted(indexes)])


def feed_table(tables: TableAssembler, table: lxml.html.HtmlElement, shift: int = 0) -> None:
    """Feed one data table to ``tables``: its captions as text, a page break, its rows
    (``shift``: lines before the parsed text, for a table inside other text: markdown)."""
    for caption in table.iterchildren("caption"):
        at = caption.sourceline
        tables.text(element_text(caption), line=at + shift if at else at)
    tables.page_break()
    grid = table_grid(table, tables.document.warnings)
    # The table's last row with text may be cut where the table ends (a list pasted one
    # table per page): its cells are said to run to their foot, so a list without 序号
    # doubts a row that starts the next table with a name.
    last = max((at for at, (_, cells, _, _) in enumerate(grid) if any(cells)), default=-1)
    for at, (line, cells, items, merged) in enumerate(grid):
        full = [bool(cell) for cell in cells] if at == last else None
        tables.row(cells, line=line + shift if line else line, items=items, full=full,
                   merged=merged)


# --- the page in reading order -----------------------------------------------------------

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CENTRED_RE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)


def is_heading(element: lxml.html.HtmlElement, tag: str) -> bool:
    """A heading, or a centred paragraph (how Word and editors print a title): a title broken
    over two lines by ``<br>`` (伊宁县吉里于孜镇<br>基本履职事项清单) is one title."""
    if tag in _HEADINGS:
        return True
    return tag in ("p", "center") and (
        tag == "center" or (element.get("align") or "").lower() == "center"
        or bool(_CENTRED_RE.search(element.get("style") or "")))


# Between a page's title and the site's name: 清单_伊宁县人民政府网, 清单 - 县政府 (a hyphen
# between digits, 2025-2027年, is part of the title).
_TITLE_SEPARATOR_RE = re.compile(r"\s*(?:[_|｜]|(?<!\d)--?(?!\d)|——|—|–)\s*")


class PageReader:
    """Walks a page in reading order and feeds a ``TableAssembler``: the ``<title>``, each
    paragraph and heading of the article as a text line, each data table's rows; chrome is
    left out, layout tables are walked into."""

    def __init__(self, tables: TableAssembler) -> None:
        self.tables = tables
        self.data_tables = 0
        self._parts: list[str] = []
        self._line: int | None = None
        self._in_heading = 0  # inside a heading: a <br> breaks the line, not the title
        self._heading_line = False  # the line being built stands in a heading
        # A heading that names a place only (伊宁县吉里于孜镇), held: a title may follow in the
        # next heading (基本履职事项清单), the two lines one title.
        self._held_place: tuple[str, int | None] | None = None

    def read(self, root: lxml.html.HtmlElement) -> None:
        for title in root.iter("title"):
            for part in _TITLE_SEPARATOR_RE.split(element_text(title)):
                self.tables.text(part, line=title.sourceline)
            break
        body = root.find("body")
        self._walk(body if body is not None else root)
        self._end_line()
        self._release_place()

    def _add(self, text: str | None, line: int | None) -> None:
        if text:
            self._heading_line = self._heading_line or self._in_heading > 0
            if not self._parts:
                self._line = line
            self._parts.append(text)

    def _end_line(self) -> None:
        if self._parts:
            line = collapse("".join(self._parts)).strip()
            heading, self._heading_line = self._heading_line, False
            self._parts = []
            if line and not _BREADCRUMB_RE.match(line) and not _ELSEWHERE_RE.match(line):
                self._text(line, self._line, heading=heading)

    def _text(self, line: str, at: int | None, *, heading: bool) -> None:
        """A text line for the assembler, a title over two headings joined."""
        title = bool(list_kind_of_title(line) or is_cover_title(line))
        if self._held_place is not None:
            held, held_at = self._held_place
            self._held_place = None
            if heading and title:
                self.tables.text(held + line, line=held_at)
                return
            self.tables.text(held, line=held_at)
        place = parse_place(line) if heading and not title and len(line) <= 40 else None
        if place is not None and (place.county or place.township):
            self._held_place = (line, at)
        else:
            self.tables.text(line, line=at)

    def _release_place(self) -> None:
        if self._held_place is not None:
            held, at = self._held_place
            self._held_place = None
            self.tables.text(held, line=at)

    def _walk(self, element: lxml.html.HtmlElement) -> None:
        tag = _tag(element)
        if tag in _SKIPPED or tag in ("head", "title") or is_chrome(element, tag) or (
                is_hidden(element, tag) or is_site_footer(element, tag)):
            return
        if tag == "br":
            if self._in_heading:
                self._add("\n", element.sourceline)  # no space between Chinese lines
            else:
                self._end_line()
            return
        if tag == "table" and (not is_layout_table(element) or is_section_table(element)):
            self._end_line()
            self._table(element)
            return
        block = tag in _BLOCKS
        if block:
            self._end_line()
        heading = is_heading(element, tag)
        self._in_heading += heading
        if tag:
            self._add(element.text, element.sourceline)
        for child in element:
            self._walk(child)
            self._add(child.tail, child.sourceline)
        self._in_heading -= heading
        if block:
            self._end_line()

    def _table(self, table: lxml.html.HtmlElement) -> None:
        self._release_place()
        self.data_tables += 1
        feed_table(self.tables, table)


# --- the plugin ----------------------------------------------------------------------------

_PAGE_RE = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]", re.IGNORECASE)
_PAGE_EXTENSIONS = (".html", ".htm", ".shtml", ".xhtml")


class HTMLExtractor(Extractor):
    name = "html"
    version = "1.0"
    description = "web pages with lists as HTML tables (GBK or UTF-8, merged cells, Word markup)"
    extensions = _PAGE_EXTENSIONS

    def sniff(self, path: Path, head: bytes) -> float:
        text = decode_head(head)
        page = bool(_PAGE_RE.search(text))
        if page and "<table" in text.lower():
            return 0.97  # above markdown's 0.95 for a file with an HTML table in it
        if page or path.suffix.lower() in _PAGE_EXTENSIONS:
            return 0.96 if "<table" in text.lower() else 0.9
        return 0.0

    def extract(self, path: Path) -> ExtractedDocument:
        text, encoding, warning = decode_page(path.read_bytes())
        tables = TableAssembler()
        reader = PageReader(tables)
        root = parse_page(text)
        mark_hidden(root)
        reader.read(root)
        if reader.data_tables == 0:
            # Excel saves a workbook of several sheets as a frameset and one file per sheet
            frames = [src for frame in root.iter("frame") if (src := frame.get("src"))]
            if frames:
                raise NoDutyListError("this page only frames other files (" + ", ".join(
                    frames[:4]) + "): read those, e.g. an Excel workbook's sheet001.htm")
            raise NoDutyListError("no table in this web page (the lists are not published as "
                                  "HTML tables here)")
        document = tables.finish()
        document.encoding = encoding
        if warning:
            document.warnings.append(warning)
        return document


@hookimpl
def register_extractors(register):
    register(HTMLExtractor())
