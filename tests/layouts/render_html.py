"""A ``Truth`` published as a county government's web page, in UTF-8 or GBK.

The page as such sites print it: a doctype, a head with the title and the charset, a header
with the site name and a navigation bar, a breadcrumb, a layout table holding a sidebar and
the article; the article with its centred cover title, a line of publishing details, each
list title followed by a ``<table border=1>`` with the layout's merged cells (a two-row header,
section rows spanning the table, a category merged down its run); then a footer. Chrome,
scripts and the sidebar name another township on purpose: a reader that takes them for
titles reads the wrong place.

Cells are written the ways such pages write them, chosen by row and column so every table
has each: plain text, Word's pasted markup (``<p class=MsoNormal><span lang=EN-US
style='mso-…'>…<o:p></o:p></span></p>``), a long cell cut by ``<br>`` or into two paragraphs,
source lines wrapped inside Chinese text (Word wraps its HTML), spaces written as ``&nbsp;``,
duty steps as ``<ol><li>`` items, ``<![if !supportLists]>`` markers, empty cells as
``&nbsp;``. Every way reads back as the cell's text.
"""

from __future__ import annotations

import html
import unicodedata

from tests.layouts.truth import KINDS, PLACES, Layout, Truth, preamble_rows, printed_rows

_WORD_SPAN = ("<span lang=EN-US style='font-size:10.5pt;font-family:宋体;mso-bidi-font-family:"
              "宋体;mso-font-kerning:0pt'>")
_WORD_P = "<p class=MsoNormal align=left style='text-align:left;mso-pagination:widow-orphan'>"


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _cut(text: str) -> int | None:
    """A place near the middle of ``text`` between two characters that are no spaces."""
    middle = len(text) // 2
    for at in sorted(range(1, len(text)), key=lambda at: abs(at - middle)):
        if not text[at - 1].isspace() and not text[at].isspace():
            return at
    return None


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _wrapped(text: str) -> str:
    """Word's HTML source wraps inside Chinese text: a line break between two wide characters
    (which a browser shows as nothing)."""
    out, run = [], 0
    for at, char in enumerate(text):
        out.append(_escape(char))
        run += 1
        if run >= 17 and at + 1 < len(text) and _wide(char) and _wide(text[at + 1]):
            out.append("\n")
            run = 0
    return "".join(out)


def _word(markup: str) -> str:
    return f"\n{_WORD_P}{_WORD_SPAN}{markup}<o:p></o:p></span></p>\n"


def cell_markup(text: str, way: int) -> str:
    """One cell's inner HTML, written in one of the ways pages write cells."""
    if not text:
        return ("&nbsp;", "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>",
                "")[way % 3]
    cut = _cut(text)
    way %= 8
    if way == 1:
        return _word(_escape(text))
    if way == 2 and cut:
        return f"{_escape(text[:cut])}<br>\n{_escape(text[cut:])}"
    if way == 3 and cut:
        return _word(_escape(text[:cut])) + _word(_escape(text[cut:]))
    if way == 4:
        return _word(_wrapped(text))
    if way == 5:
        return _escape(text).replace(" ", "&nbsp;")
    if way == 6 and " " in text:
        items = "".join(f"\n<li>{_escape(item)}</li>" for item in text.split(" "))
        return f"<ol style='margin-top:0cm' start=1 type=1>{items}\n</ol>"
    if way == 7 and text[:2] in ("1.", "1、"):
        return (f"{_WORD_P}<![if !supportLists]><span lang=EN-US style='mso-list:Ignore'>"
                f"{_escape(text[:2])}</span><![endif]>{_escape(text[2:])}</p>")
    return _escape(text)


def section_markup(text: str) -> str:
    """A section, title or note row's one cell's inner HTML, as Word pastes it (bold)."""
    return f"{_word('<b>' + _escape(text))}</b>"


def header_spans(layout: Layout, kind) -> list[list[tuple[str, int, int]]]:
    """The header's rows as cells (text, rows spanned, columns spanned): in a two-row header a
    cell without a lower part spans both rows, a group cell its columns (``colspan`` 1 or
    more), the columns' own names stand in the lower row."""
    rows = layout.header_cells(kind)
    if len(rows) == 1:
        return [[(text, 1, 1) for text in rows[0]]]
    top, bottom = rows
    upper: list[tuple[str, int, int]] = []
    lower: list[tuple[str, int, int]] = []
    for at, (up, low) in enumerate(zip(top, bottom, strict=True)):
        if not low:
            upper.append((up, 2, 1))
            continue
        lower.append((low, 1, 1))
        if up:
            span = 1
            while at + span < len(top) and not top[at + span] and bottom[at + span]:
                span += 1
            upper.append((up, 1, span))
    return [upper, lower]


def _header(layout: Layout, kind) -> list[str]:
    rows = header_spans(layout, kind)
    if len(rows) == 1:
        return ["<tr>" + "".join(f"<td>{_word(_escape(c))}</td>" for c, _, _ in rows[0])
                + "</tr>"]
    upper = [f"<td rowspan=2>{_word(_escape(text))}</td>" if down == 2 else
             f"<td colspan={across} style='mso-border-alt:solid windowtext .5pt'>"
             f"<b>{_escape(text)}</b></td>" for text, down, across in rows[0]]
    lower = [f"<td>{_escape(text)}</td>" for text, _, _ in rows[1]]
    return ["<tr>" + "".join(upper) + "</tr>", "<tr>" + "".join(lower) + "</tr>"]


_TABLE = ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=100% "
          "style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
          "mso-yfti-tbllook:1184'>")


def render_table(truth: Truth, layout: Layout, kind, *, whole: bool = True) -> str:
    """One list's table (``whole=False``: its rows only, for a table of several lists)."""
    width = len(layout.columns(kind))
    lines = [_TABLE] if whole else []
    for printed in preamble_rows(layout, kind):
        lines.append(f"<tr><td colspan={width}>{section_markup(printed.section)}</td></tr>"
                     if printed.section else "<tr>" + "".join(
                         f"<td>{cell_markup(text, 0)}</td>" for text in printed.cells) + "</tr>")
    lines += _header(layout, kind)
    for number, printed in enumerate(printed_rows(truth, layout, kind)):
        if printed.section:
            lines.append(f"<tr><td colspan={width}>{section_markup(printed.section)}</td></tr>")
            continue
        cells = []
        beside = {c + k for c, n in printed.across.items() for k in range(1, n)}
        for column, text in enumerate(printed.cells):
            if column in printed.merged_from_above or column in beside:
                continue
            run = printed.runs.get(column, 1)
            span = f" rowspan={run}" if run > 1 else ""
            if column in printed.across:
                span += f" colspan={printed.across[column]}"
            cells.append(f"<td{span} valign=top>{cell_markup(text, number + column)}</td>")
        body = "\n".join(cells)
        lines.append(f"<tr style='mso-yfti-irow:{number}'>\n{body}\n</tr>")
    if whole:
        lines.append("</table>")
    return "\n".join(lines)


def render(truth: Truth, layout: Layout, encoding: str = "utf-8") -> bytes:
    """The page's bytes: ``encoding`` "utf-8" (declared by ``<meta charset>``) or "gbk"
    (declared as gb2312 by the http-equiv form, as old sites do; a character GBK lacks is
    written as a character reference)."""
    place = truth.place
    other = next(p for p in PLACES if p.township != place.township)  # the chrome's decoy
    cover = layout.cover_title()
    charset = ('<meta charset="utf-8">' if encoding == "utf-8" else
               '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    article = [f"<h1 align=center>{_escape(cover)}</h1>" if len(truth.rows) % 2 else
               f"<p align=center style='text-align:center'><b><span style='font-size:22.0pt'>"
               f"{_escape(cover)}</span></b></p>",
               f"<div class=article-info>发布时间：2025-03-01 来源：{place.county}人民政府</div>"]
    if layout.one_table:
        article += [_TABLE, *(render_table(truth, layout, kind, whole=False) for kind in KINDS),
                    "</table>"]
    for kind in KINDS if not layout.one_table else ():
        if not layout.table_title:
            article.append(
                f"<p class=MsoNormal align=center style='text-align:center'><b><span "
                f"style='font-size:16.0pt;font-family:黑体'>{_escape(layout.list_title(kind))}"
                "<span lang=EN-US><o:p></o:p></span></span></b></p>")
        article += [render_table(truth, layout, kind), "<p class=MsoNormal>&nbsp;</p>"]
    page = "\n".join([
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
        '<html xmlns:o="urn:schemas-microsoft-com:office:office">',
        "<head>", charset,
        f"<title>{_escape(cover)}_{place.county}人民政府</title>",
        "<style>.nav li{float:left} p.MsoNormal{margin:0cm}</style>",
        f"<script>var title = '{other.township}基本履职事项清单';</script>",
        "<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>办公室</o:Author>"
        "</o:DocumentProperties></xml><![endif]-->",
        "</head>", "<body>",
        f'<div class="header"><div class="logo">{place.county}人民政府</div>',
        f'<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>'
        f'<li><a href="/lz">{other.township}履职事项清单</a></li></ul></div>',
        f'<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a>政务公开</a> &gt; '
        f"<a>{other.county}{other.township}履职事项清单</a></div>",
        "<table class=layout width=1000 border=0><tr>",
        f'<td width=200 valign=top><div class="sidebar-menu"><p>相关链接</p><p>'
        f"{other.township}配合履职事项清单</p></div></td>",
        '<td valign=top><div class="article-content">', *article, "</div></td>",
        "</tr></table>",
        f'<div class="footer"><p>主办：{place.county}人民政府办公室 地址：{other.township}'
        "人民路1号</p><p>您的位置：首页 &gt; 基本履职事项清单</p></div>",
        "<script>document.write('上级部门收回事项清单');</script>",
        "</body>", "</html>", ""])
    if encoding == "utf-8":
        return page.encode("utf-8")
    return page.encode("gbk", errors="xmlcharrefreplace")
