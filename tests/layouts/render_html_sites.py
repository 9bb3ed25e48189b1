"""A ``Truth`` published as county sites really publish it: other site templates, other tools.

``render_html`` prints one site's page. Here a ``Site`` draws what varies between counties,
each choice on its own (``random_site``):

- **template**: a TRS content-management page (nested layout tables, ``<div class=TRS_Editor>``,
  a footer table with 主办单位 and 备案号), a UEditor page (``view TRS_UEDITOR``, ``<th>`` headers
  in ``<thead>``), Word's "Save as HTML" (``WordSection1``, ``MsoNormalTable``, ``<o:p>``,
  conditional comments, a ``supportMisalignedColumns`` spacer row), WPS's export, or Excel's
  "Save as Web Page" (``<col>``, ``x:str``/``x:num``, class=xl65, ``<br
  style='mso-data-placement:same-cell;'>``, the titles as rows of the sheet's one table);
- **lists**: all three on the page, or one list per page (a county publishing one page, or a
  workbook one sheet, per list: the truth is then that list's rows);
- **titles**: in ``<h1>``, in ``<p align=center><b>``, in the table's ``<caption>``, or, for
  one list per page, only in ``<title>``; broken after the township's name by ``<br>`` or
  into two centred paragraphs;
- **split**: a list cut into several tables (one per Word page) every few rows, the header
  printed again or not, and a row cut between two tables (its text goes on in the next
  table's first row, whose other cells are empty);
- **tfoot first**: a note row in ``<tfoot>`` written before ``<tbody>``, as HTML 4 wanted it;
- **spacer**: an empty first column (a sheet's margin, a template's spacer cells), and empty
  cells after each row's last (a sheet's used range wider than the list);
- **charset**: UTF-8 declared, GBK declared by http-equiv, GB18030, a UTF-8 BOM and no
  declaration, gb2312 declared over UTF-8 bytes, none declared (UTF-8 or GBK bytes);
- **continued**: between a list's tables nothing, a （续表） line, the list title again
  with （续）, or a page number; a cut row's rest with its serial printed again or not;
- **tabs**: the three lists in tab panes, all but the first ``display:none`` (a script shows
  them); serial cells as ``<th scope=row>``; Word's header spaces as ``&#12288;``;
- **fillers**: UEditor's zero-width spaces (``&#8203;``) at the ends of cells;
- **noise**: ``display:none`` and ``class=hidden`` boxes and hidden inputs naming another
  township's list, share buttons, 上一篇/下一篇 links to other townships' lists,
  ``&#12288;`` indents, scripts and styles, 打印本页/关闭窗口;
- **hidden**: rows kept hidden inside a list (an old copy of a row, or its text without a
  serial) and a hidden helper column (first, under a section row's or title's merged cell),
  hidden as Excel writes them (``<tr style='display:none'>``, ``<col style='display:none'>``
  and ``<td style='display:none'>``) or by a ``hidden`` attribute or a class the page's own
  ``<style>`` hides (which also hides boxes naming another township's list, by class and
  by id).

The chrome names another township on purpose: a reader that takes it for a title reads the
wrong place.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from tests.layouts.render_html import (
    _cut,
    _escape,
    _word,
    cell_markup,
    header_spans,
    section_markup,
)
from tests.layouts.truth import (
    KINDS,
    PLACES,
    Layout,
    Printed,
    Truth,
    preamble_rows,
    printed_rows,
)

TEMPLATES = ("trs", "ueditor", "word", "wps", "excel")
CHARSETS = ("utf-8", "gbk", "gb18030", "bom", "wrong", "none-utf-8", "none-gbk")
TITLES = ("h1", "p", "caption", "title-only")


@dataclass(slots=True, frozen=True)
class Site:
    template: str = "trs"
    charset: str = "utf-8"
    title: str = "h1"
    only: int | None = None  # one list per page: the index of its kind in KINDS
    split: int = 0  # rows per table (0: each list one table)
    repeat_header: bool = True
    cut_rows: bool = False  # the last row of a table goes on in the next one
    tfoot_first: bool = False
    spacer: bool = False
    noise: bool = True
    cut_serial: bool = False  # a cut row's rest prints its serial again
    cut_all: bool = False  # a cut row's every cell longer than a line goes on (as a page
    # break cuts it), not its longest only (not drawn: the draws stay as they were)
    continued: str = ""  # between a list's tables: "续表", "title" (the list title again) or
    # "page" (a page number)
    tabs: bool = False  # three lists in tab panes, all but the first display:none
    row_th: bool = False  # serial cells as <th scope=row>
    trailing: int = 0  # empty cells after each row's last (a sheet's used range is wider)
    title_break: str = ""  # centred titles broken after the township's name: "br" by <br>,
    # "p" into two centred paragraphs (or two <h1>)
    hidden_rows: bool = False  # hidden rows after some rows (not part of the list)
    hidden_column: bool = False  # a hidden helper column before the list's first
    hide_by: str = "style"  # "style" (display:none; Excel's always), "attribute" (hidden),
    # "class" (a class the page's <style> hides)


def random_site(rnd: random.Random) -> Site:
    """A site drawn at random, every choice on its own."""
    only = rnd.choice((None, None, 0, 1, 2))
    title = rnd.choice(TITLES if only is not None else TITLES[:3])
    return Site(template=rnd.choice(TEMPLATES), charset=rnd.choice(CHARSETS), title=title,
                only=only, split=rnd.choice((0, 0, 1, 3, 4, 5)),
                repeat_header=rnd.random() < 0.5, cut_rows=rnd.random() < 0.5,
                tfoot_first=rnd.random() < 0.25, spacer=rnd.random() < 0.3,
                noise=rnd.random() < 0.8, cut_serial=rnd.random() < 0.3,
                continued=rnd.choice(("", "", "续表", "title", "page")), tabs=rnd.random() < 0.3,
                row_th=rnd.random() < 0.3, trailing=rnd.choice((0, 0, 0, 1, 2)),
                title_break=rnd.choice(("", "", "", "br", "p")),
                hidden_rows=rnd.random() < 0.3, hidden_column=rnd.random() < 0.3,
                hide_by=rnd.choice(("style", "attribute", "class")))


def site_layout(layout: Layout, site: Site) -> Layout:
    """The layout as the site can print it: one list per page is never one table for three;
    a title only in ``<title>`` or ``<caption>`` is no row of the table."""
    if site.only is not None or site.template == "excel":
        layout = replace(layout, one_table=False)
    if site.title in ("title-only", "caption") and site.template != "excel":
        layout = replace(layout, table_title="")
    return layout


def site_truth(truth: Truth, site: Site) -> Truth:
    """The rows the page holds."""
    if site.only is None:
        return truth
    return Truth(truth.place, truth.of(KINDS[site.only]))


# --- tables ---------------------------------------------------------------------------------

_HIDE_CLASS = "yc"  # 隐藏: a class no reader knows, hidden by the page's own style


def _hide(site: Site) -> str:
    """The markup that hides a row or cell on this site."""
    if site.template == "excel" or site.hide_by == "style":
        return " style='display:none'"
    return " hidden" if site.hide_by == "attribute" else f" class={_HIDE_CLASS}"


def _hidden_cell(site: Site, text: str, tag: str = "td", span: str = "") -> str:
    """The hidden helper column's cell (nothing if the site has none)."""
    return f"<{tag}{span}{_hide(site)}>{text}</{tag}>" if site.hidden_column else ""


def _cell(text: str, way: int, site: Site, attributes: str = "") -> str:
    if site.template == "excel":
        markup = _escape(text)
        at = text.find("2.")
        if text[:2] == "1." and at > 0 and not text[at - 1].isspace():  # Alt+Enter
            markup = (f"{_escape(text[:at])}<br style='mso-data-placement:same-cell;'>"
                      f"{_escape(text[at:])}")
        kind = " x:num" if text.isdigit() else " x:str"
        return f"<td class=xl{66 + way % 3}{attributes}{kind}>{markup}</td>"
    style = (" width=47 valign=top style='width:35.45pt;border:solid windowtext 1.0pt;"
             "border-top:none;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'"
             if site.template in ("word", "wps") else "")
    markup = cell_markup(text, way)
    if site.template == "ueditor" and way % 5 == 0:
        markup = f"&#8203;{markup}&#8203;"  # the editor's caret fillers
    return f"<td{attributes}{style}>{markup}</td>"


def _header_rows(layout: Layout, kind, site: Site) -> list[str]:
    rows = header_spans(layout, kind)
    def esc(text: str) -> str:  # Word writes a full-width space as &#12288;
        return _escape(text).replace("\u3000", "&#12288;" if site.template in (
            "word", "wps") else "\u3000")

    tag = "th" if site.template == "ueditor" else "td"
    spacer = f"<{tag}>&nbsp;</{tag}>" if site.spacer else ""
    if len(rows) == 1:
        return ["<tr>" + spacer + _hidden_cell(site, "辅助列", tag) + "".join(
            f"<{tag}>{_word(esc(c))}</{tag}>"
                                          for c, _, _ in rows[0]) + _tail(site) + "</tr>"]
    upper = [f"<{tag} rowspan=2>{esc(text)}</{tag}>" if down == 2 else
             f"<{tag} colspan={across}><b>{esc(text)}</b></{tag}>"
             for text, down, across in rows[0]]
    lower = [f"<{tag}>{esc(text)}</{tag}>" for text, _, _ in rows[1]]
    lead = f"<{tag} rowspan=2>&nbsp;</{tag}>" if site.spacer else ""
    return ["<tr>" + lead + _hidden_cell(site, "辅助列", tag, " rowspan=2") + "".join(upper)
            + _tail(site, " rowspan=2") + "</tr>",
            "<tr>" + "".join(lower) + "</tr>"]


def _tail(site: Site, span: str = "") -> str:
    return f"<td{span} class=xl65></td>" * site.trailing


def _body_row(printed: Printed, layout: Layout, kind, site: Site, number: int,
              spans: dict[int, int], width: int, hidden: bool = False) -> str:
    """A body row (``hidden``: a row the page hides, its serial left out on odd numbers)."""
    spacer = "<td>&nbsp;</td>" if site.spacer else ""
    if printed.section:  # merged over the hidden column: its text shows in the next
        return (f"<tr>{spacer}<td colspan={width + site.hidden_column}>"
                f"{section_markup(printed.section)}</td>{_tail(site)}</tr>")
    cells = []
    serial_at = layout.columns(kind).index("serial") if "serial" in layout.columns(kind) else -1
    for column, text in enumerate(printed.cells):
        if column in spans and spans[column] == 0:
            continue  # covered by a merged cell above
        span = f" rowspan={spans[column]}" if spans.get(column, 1) > 1 else ""
        if column == serial_at and site.row_th and site.template != "excel":
            cells.append(f"<th scope=row{span}>{_escape(text)}</th>")
            continue
        if hidden and column == serial_at and number % 2:
            text = ""  # reads as the rest of the row above
        cells.append(_cell(text, number + column, site, span))
    row = "<tr height=0" + _hide(site) if hidden else "<tr"
    return (f"{row}>{spacer}{_hidden_cell(site, f'备注{number}')}" + "".join(cells)
            + _tail(site) + "</tr>")


_LINE = 6  # a cell longer than this takes more than one line: a page break may cut it


def _pieces(rows: list[Printed], site: Site, columns: list[str]) -> list[list[Printed]]:
    """The body cut into tables of ``site.split`` rows; a cut row's text goes on in the next
    table's first row."""
    if not site.split:
        return [rows]
    pieces: list[list[Printed]] = [[]]
    for printed in rows:
        if len(pieces[-1]) >= site.split:
            last = pieces[-1][-1]
            pieces.append([])
            if site.cut_rows and not last.section and last.serial:
                longest = max(range(len(last.cells)), key=lambda c: len(last.cells[c]))
                cut = [c for c, text in enumerate(last.cells) if len(text) > _LINE and (
                    site.cut_all or c == longest) and _cut(text)]
                if cut:
                    first, rest = list(last.cells), [""] * len(last.cells)
                    for c in cut:
                        at = _cut(last.cells[c])
                        first[c], rest[c] = last.cells[c][:at], last.cells[c][at:]
                    pieces[-2][-1] = replace(last, cells=first)
                    if site.cut_serial and "serial" in columns:
                        rest[columns.index("serial")] = last.cells[columns.index("serial")]
                    pieces[-1].append(Printed(rest, serial=last.serial))
        pieces[-1].append(printed)
    return [piece for piece in pieces if piece]


def _spans(piece: list[Printed], at: int, column: int | None) -> dict[int, int]:
    """Row spans of a merged category column in one table: a run cut by the table's end is
    merged down to it, and starts again in the next table."""
    if column is None or piece[at].section:
        return {}
    row = piece[at]
    if column in row.merged_from_above and at > 0:
        return {column: 0}  # the cell of the run's first row in this table covers it
    run = 1
    while at + run < len(piece) and column in piece[at + run].merged_from_above:
        run += 1
    return {column: run}


def render_tables(truth: Truth, layout: Layout, kind, site: Site) -> list[str]:
    """A list's tables (several if the site splits it)."""
    columns = layout.columns(kind)
    width = len(columns)
    merged = columns.index("category") if (
        layout.categories == "merged" and "category" in columns) else None
    header = _header_rows(layout, kind, site)
    body = printed_rows(truth, layout, kind)
    preamble = preamble_rows(layout, kind)
    notes = [p for p in body if p.section and p.section.startswith(("注", "备注"))]
    if site.tfoot_first and notes and body[-1] is notes[-1]:
        body = body[:-1]
    else:
        notes = []
    tables = []
    pieces = _pieces(body, site, columns)
    for number, piece in enumerate(pieces):
        open_tag = ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
                    "style='border-collapse:collapse;border:none;mso-yfti-tbllook:1184'>"
                    if site.template in ("word", "wps") else
                    "<table border=1 width=100% cellspacing=0>")
        lines = [open_tag]
        if number == 0 and site.title == "caption":
            caption = layout.list_title(kind) if site.only is None else page_title(layout, site)
            lines.append(f"<caption>{_escape(caption)}</caption>")
        head = [_body_row(p, layout, kind, site, 0, {}, width) for p in preamble] + header \
            if number == 0 else (header if site.repeat_header else [])
        if head and site.template == "ueditor":
            lines += ["<thead>", *head, "</thead>"]
        else:
            lines += head
        if number == len(pieces) - 1 and notes:
            lines += ["<tfoot>", *(_body_row(p, layout, kind, site, 0, {}, width)
                                   for p in notes), "</tfoot>"]
        lines.append("<tbody>")
        # hidden rows after these rows; one inside a merged run is covered by its cell, whose
        # rowspan counts it (as Excel writes a merged range over a hidden row)
        hidden = {at for at, printed in enumerate(piece) if site.hidden_rows and at % 4 == 1
                  and at + 1 < len(piece) and not printed.section}
        for at, printed in enumerate(piece):
            spans = _spans(piece, at, merged)
            if merged is not None and spans.get(merged, 0) > 1:
                spans[merged] += sum(1 for h in hidden if at <= h < at + spans[merged] - 1)
            lines.append(_body_row(printed, layout, kind, site, at + 7 * number, spans, width))
            if at in hidden:
                inside = merged is not None and merged in piece[at + 1].merged_from_above
                lines.append(_body_row(printed, layout, kind, site, at + 7 * number,
                                       {merged: 0} if inside else {}, width, hidden=True))
        lines.append("</tbody>")
        if site.template == "word":
            widths = "".join("<td width=47 style='border:none'></td>"
                             for _ in range(width + site.spacer + site.hidden_column))
            lines.append(f"<![if !supportMisalignedColumns]><tr height=0>{widths}</tr>"
                         "<![endif]>")
        lines.append("</table>")
        tables.append("\n".join(lines))
    return tables


_PAGE_BREAK = ("<span lang=EN-US style='font-size:10.5pt;font-family:\"Times New Roman\"'>"
               "<br clear=all style='page-break-before:always'></span>")


def _excel_sheet(truth: Truth, layout: Layout, kinds: list, site: Site) -> str:
    """A sheet's one table: each list's title as a row across it, then its header and rows."""
    width = max(len(layout.columns(kind)) for kind in kinds)
    lines = ["<table border=0 cellpadding=0 cellspacing=0 width=900 "
             "style='border-collapse:collapse;table-layout:fixed'>",
             *(f"<col width={64 + 16 * c} style='width:{48 + 12 * c}pt'>"
               for c in range(width + site.spacer))]
    if site.hidden_column:  # Excel's hidden column, after the margin
        lines.insert(1 + site.spacer, "<col width=0 span=1 style='display:none;"
                     "mso-width-source:userset;mso-width-alt:0'>")
    spacer = "<td class=xl65></td>" if site.spacer else ""
    across = width + site.hidden_column
    lines.append(f"<tr height=48 style='height:36.0pt'>{spacer}<td colspan={across} height=48 "
                 f"class=xl65>{_escape(page_title(layout, site))}</td></tr>")
    for number, kind in enumerate(kinds):
        if number:
            lines.append(f"<tr height=18>{spacer}{_hidden_cell(site, '')}" + "<td></td>" * width
                         + _tail(site) + "</tr>")
        if not layout.table_title and len(kinds) > 1:
            lines.append(f"<tr height=40 style='height:30.0pt'>{spacer}<td colspan="
                         f"{len(layout.columns(kind)) + site.hidden_column} height=40 "
                         "class=xl65>"
                         f"{_escape(layout.list_title(kind))}</td></tr>")
        for table in render_tables(truth, layout, kind, replace(site, split=0)):
            rows = table.split("\n")[1:-1]
            lines += [r for r in rows if r not in ("<tbody>", "</tbody>", "<thead>",
                                                    "</thead>")]
    lines.append("</table>")
    return "\n".join(lines)


def page_title(layout: Layout, site: Site) -> str:
    """The page's heading: the cover title, or one list's title (with its county: a page
    of one list names its place somewhere)."""
    if site.only is None:
        return layout.cover_title()
    title = layout.list_title(KINDS[site.only])
    return title if layout.title == "full" else layout.place.county + title


# --- the page ---------------------------------------------------------------------------------

def _noise(other, where: str) -> str:
    if where == "top":
        return (f'<div style="display:none" id="shareTitle">{other.county}{other.township}'
                '基本履职事项清单</div>'
                f'<input type="hidden" name="title" value="{other.township}配合履职事项清单">'
                f'<span class="hidden">{other.county}{other.township}上级部门收回事项清单</span>')
    if where == "share":
        return ('<div class="bdsharebuttonbox"><span>分享到：</span><a class="bds_weixin">微信'
                '</a><a class="bds_tsina">新浪微博</a><a class="bds_qzone">QQ空间</a></div>'
                "<div class=print>【<a href='javascript:window.print()'>打印本页</a>】"
                "【<a href='javascript:window.close()'>关闭窗口</a>】</div>")
    return (f"<div class=fy><p>上一篇：<a href='/a1.html'>{other.township}基本履职事项清单"
            f"</a></p><p>下一篇：<a href='/a2.html'>{other.county}{other.township}上级部门收回"
            "事项清单</a></p></div>")


def _title(title: str, layout: Layout, site: Site, tag: str = "p") -> str:
    """A centred title, broken after the township's name if the site does (``tag``: the
    element it stands in, h1 or a p holding <b><span>)."""
    township = layout.place.township
    if site.title_break and township in title and not title.endswith(township):
        at = title.index(township) + len(township)
        cut = ("<br>\n" if site.title_break == "br" else "</h1>\n<h1>" if tag == "h1" else
               "</span></b></p>\n<p align=center style='text-align:center'><b><span>")
        return f"{_escape(title[:at])}{cut}{_escape(title[at:])}"
    return _escape(title)


def _article(truth: Truth, layout: Layout, site: Site) -> list[str]:
    kinds = list(KINDS) if site.only is None else [KINDS[site.only]]
    cover = page_title(layout, site)
    out = []
    if site.title != "title-only":
        out.append(f"<h1>{_title(cover, layout, site, 'h1')}</h1>" if site.title == "h1" else
                   f"<p align=center style='text-align:center'><b><span style='font-size:"
                   f"22.0pt'>{_title(cover, layout, site)}</span></b></p>")
    out.append("<p class=MsoNormal style='text-indent:2em'>&#12288;&#12288;根据工作安排，"
               "现将清单予以公布。</p>")
    if site.template == "excel":
        return [*out[:0], _excel_sheet(truth, layout, kinds, site)]
    if layout.one_table:
        whole = replace(site, split=0)
        rows = []
        for kind in kinds:
            table = render_tables(truth, layout, kind, whole)[0].split("\n")
            rows += [r for r in table[1:-1] if not r.startswith(("<caption", "<![if"))]
        return [*out, "<table border=1 cellspacing=0>", *rows, "</table>"]
    tabs = site.tabs and len(kinds) > 1 and site.template in ("trs", "ueditor")
    if tabs:
        out.append("<ul class=tab-title>" + "".join(
            f"<li onclick='show({n})'>{kind.label}</li>" for n, kind in enumerate(kinds))
            + "</ul>")
    for number, kind in enumerate(kinds):
        if tabs:
            hidden = " style='display:none'" if number else ""
            out.append(f"<div class=tab-pane id=tab{number}{hidden}>")
        if site.title in ("h1", "p") and not layout.table_title and site.only is None:
            out.append(f"<p class=MsoNormal align=center style='text-align:center'><b><span "
                       f"style='font-size:16.0pt;font-family:黑体'>"
                       f"{_title(layout.list_title(kind), layout, site)}<span lang=EN-US>"
                       "<o:p></o:p>"
                       "</span></span></b></p>")
        tables = render_tables(truth, layout, kind, site)
        joint = f"\n{_PAGE_BREAK}\n" if site.template == "word" else "\n<p>&nbsp;</p>\n"
        if site.continued == "page":  # a converted PDF's page number
            joint += "<p class=MsoFooter align=center style='text-align:center'>- 2 -</p>\n"
        elif site.continued == "续表":
            joint += "<p class=MsoNormal align=right style='text-align:right'>（续表）</p>\n"
        elif site.continued == "title":
            joint += f"<p align=center><b>{_escape(layout.list_title(kind))}（续）</b></p>\n"
        out += [joint.join(tables), "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p>"
                "</span></p>"]
        if tabs:
            out.append("</div>")
    return out


def _head(site: Site, title: str) -> list[str]:
    charset = {"utf-8": '<meta charset="utf-8">',
               "gbk": '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
               "gb18030": '<meta http-equiv=Content-Type content="text/html; charset=GB18030">',
               "wrong": '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
               }.get(site.charset, "")
    head = ["<head>", charset]
    if site.hide_by == "class" and site.template != "excel":
        head.append(f"<style type='text/css'>/* template */ .ycx {{color:#333}} td.{_HIDE_CLASS}, "
                    f"tr.{_HIDE_CLASS},\n.{_HIDE_CLASS} {{ display: none; }}"
                    "@media print { .noprint { display:none } } #shareTit{display:none}</style>")
    if site.template in ("word", "wps"):
        head += ["<meta name=ProgId content=Word.Document>",
                 "<meta name=Generator content=\"Microsoft Word 15\">"
                 if site.template == "word" else '<meta name="Generator" content="WPS Office">',
                 "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View>"
                 "</w:WordDocument></xml><![endif]-->",
                 "<style><!-- p.MsoNormal {margin:0cm;font-size:10.5pt} --></style>"]
    if site.template == "excel":
        head += ["<meta name=ProgId content=Excel.Sheet>",
                 "<style>.xl65 {font-size:16.0pt;text-align:center}</style>",
                 "<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets>"
                 "<x:ExcelWorksheet><x:Name>Sheet1</x:Name></x:ExcelWorksheet>"
                 "</x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]-->"]
    if site.template != "excel" or site.title == "title-only":
        head.append(f"<title>{_escape(title)}</title>")
    return [*head, "<script type='text/javascript'>var _hmt = _hmt || [];</script>", "</head>"]


def render(truth: Truth, layout: Layout, site: Site) -> bytes:
    """The page's bytes (``truth`` and ``layout`` as ``site_truth`` / ``site_layout`` give)."""
    place = truth.place
    other = next(p for p in PLACES if p.township != place.township)
    cover = page_title(layout, site)
    title = (f"{cover}_{place.county}人民政府网" if site.template in ("trs", "ueditor")
             else cover if site.title == "title-only" else "附件1")  # Word's: the file's
    article = _article(truth, layout, site)
    if site.template in ("word", "wps", "excel"):
        body = ["<body lang=ZH-CN style='tab-interval:21.0pt'>",
                "<div class=WordSection1 style='layout-grid:15.6pt'>" if site.template != "excel"
                else "", *article, "</div>" if site.template != "excel" else "", "</body>"]
    else:
        editor = ('<div class="TRS_Editor">' if site.template == "trs" else
                  '<div class="view TRS_UEDITOR trs_paper_default trs_web">')
        body = [
            "<body>",
            _noise(other, "top") if site.noise else "",
            f"<h2 class={_HIDE_CLASS}>{other.county}{other.township}基本履职事项清单</h2>"
            f"<p align=center id=shareTit>{other.county}{other.township}配合履职事项清单</p>"
            if site.noise and site.hide_by == "class" else "",
            f"<table width=1000 align=center><tr><td><img src=/logo.png alt='{place.county}"
            f"人民政府'></td><td class=search><input type=text value='请输入关键字'></td></tr>"
            "</table>",
            f"<table width=1000 align=center><tr><td width=240 valign=top><div class=left>"
            f"<p>信息公开目录</p><p><a>{other.township}配合履职事项清单</a></p></div></td>",
            "<td valign=top><table width=100%><tr><td>",
            f"<div class=position>您当前的位置：首页 &gt; 政务公开 &gt; {other.township}</div>",
            "</td></tr><tr><td>",
            "<div class=info>发布日期：2025-03-01 &nbsp; 来源：县政府办 &nbsp; 浏览次数："
            "<script>document.write(123)</script></div>",
            editor, *article, "</div>",
            _noise(other, "share") if site.noise else "",
            _noise(other, "links") if site.noise else "",
            "</td></tr></table></td></tr></table>",
            f"<table width=1000 align=center class=bottom_table><tr><td>主办单位：{place.county}"
            f"人民政府办公室</td><td>承办：{other.county}大数据中心</td></tr><tr><td>地址："
            f"{other.township}人民路1号</td><td>备案号：新ICP备05001234号-1 政府网站标识码："
            "6540210001</td></tr></table>",
            "</body>"]
    xmlns = ('<html xmlns:v="urn:schemas-microsoft-com:vml" '
             'xmlns:o="urn:schemas-microsoft-com:office:office" '
             'xmlns:x="urn:schemas-microsoft-com:office:excel">'
             if site.template in ("word", "wps", "excel") else '<html lang="zh-CN">')
    doctype = "" if site.template in ("word", "excel") else "<!DOCTYPE html>"
    page = "\n".join([doctype, xmlns, *_head(site, title), *body, "</html>", ""])
    if site.charset in ("gbk", "gb18030", "none-gbk"):
        return page.encode("gb18030" if site.charset == "gb18030" else "gbk",
                           errors="xmlcharrefreplace")
    data = page.encode("utf-8")
    return b"\xef\xbb\xbf" + data if site.charset == "bom" else data
