"""Commands that search and match across townships: search, matches, counterparts, compare,
coverage, and a person's corrections (link, unlink, corrections)."""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.table import Table

from lvzhi.cli import base
from lvzhi.cli.base import (
    ITEM_HELP,
    KINDS_HELP,
    STDOUT,
    TOWNSHIP_HELP,
    CommandError,
    arguments,
    command,
    emit_json,
    item_row,
    json_option,
    library_of,
    listing_options,
    note,
    parse_kinds,
    plain_listing,
    plural,
    raw_cell,
    raw_cells_option,
    shown,
    store_of,
    write_output_or_fail,
    write_stdout,
)
from lvzhi.library import Library
from lvzhi.model import ListKind, Row
from lvzhi.text import safe_cell

# --- search and matching -----------------------------------------------------------------
# lvzhi.search and lvzhi.matching are imported inside the commands: pypinyin and the
# indexes are not needed by any other command. Their indexes are cached beside the store.

def _highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    """Markup for ``text`` with the matched spans in bold yellow (each piece made safe on its
    own: spans count characters of the text as stored)."""
    out, at = [], 0
    for start, end in spans:
        out.append(shown(text[at:start]) + f"[bold yellow]{shown(text[start:end])}[/]")
        at = end
    return "".join(out) + shown(text[at:])


@command("search", "fuzzy lookup of a matter across townships (Chinese or pinyin)", """\
  $ lvzhi search 工伤认定
  $ lvzhi search gsrd --list reclaimed --limit 10   # pinyin initials of 工伤认定""")
@arguments(lambda p: (
    p.add_argument("query", metavar="QUERY",
                   help="words of a name, department or duty; or pinyin: gsrd, gongshang"),
    p.add_argument("--township", metavar="TOWNSHIP",
                   help="only this township: " + TOWNSHIP_HELP),
    p.add_argument("--list", dest="kinds", metavar="KIND", help=KINDS_HELP),
    p.add_argument("--category", help="only this 事项类别"),
    p.add_argument("--department", metavar="NAME", help="only items with this department"),
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help="at most N results, best first (default: 50)"),
    listing_options(p),
))
def cmd_search(args: argparse.Namespace) -> int:
    if not args.query.strip():
        raise CommandError("the query is empty")
    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    library = library_of(args)
    kinds = parse_kinds(args.kinds) if args.kinds else None
    hits = library.search(
        args.query, townships=args.township or None, kinds=kinds, category=args.category,
        department=args.department, limit=args.limit)
    if args.json:
        emit_json([item_row(h.item, h.score) | {"spans": [list(s) for s in h.spans],
                                                "field": h.field} for h in hits])
        return 0
    if not hits:
        note(args, f"nothing matches {shown(repr(args.query))}")
    if plain_listing(args, ["score", "township", "list", "serial", "name", "matched in", "id"],
                     ([round(h.score), h.item.township, str(h.item.list), h.item.serial,
                       h.item.name, h.field, h.item.id] for h in hits)):
        return 0
    if not hits:
        return 0
    table = Table("score", "township", "list", "#", "name", "matched in", box=None,
                  header_style="bold")
    for h in hits:
        table.add_row(f"{h.score:.0f}", shown(h.item.township), h.item.list.short,
                      str(h.item.serial),
                      _highlighted(h.item.name, h.spans), "" if h.field == "name" else h.field)
    base.console.print(table)
    return 0


@command("matches", "every matter found in two or more townships, with its members", """\
  $ lvzhi matches --why | less
  $ lvzhi matches --csv > matters.csv""")
@arguments(lambda p: (
    p.add_argument("--why", action="store_true",
                   help="say why each member is in its matter (against the label's item)"),
    listing_options(p),
))
def cmd_matches(args: argparse.Namespace) -> int:
    library = library_of(args)
    library.require_rows()
    matters = library.matters()
    matcher = library.build_matcher()

    def why(m: Any, c: Any) -> str:
        return matcher.why_member(m, c.item) if args.why else ""

    if args.json:
        emit_json([{"matter": m.id, "label": m.label,
                    "members": [item_row(c.item, c.score)
                                | ({"why": why(m, c)} if args.why else {})
                                for c in m.members]}
                   for m in matters])
        return 0
    if plain_listing(args, ["matter", "label", "township", "list", "serial", "score", "name",
                            *(["why"] if args.why else []), "id"],
                     ([m.id, m.label, c.item.township, str(c.item.list), c.item.serial,
                       round(c.score), c.item.name, *([why(m, c)] if args.why else []),
                       c.item.id] for m in matters for c in m.members)):
        note(args, plural(len(matters), "matter"))
        return 0
    summarised = 0
    for m in matters:
        kinds = Counter(c.item.list for c in m.members)
        base.console.print(f"[bold]{shown(m.label)}[/] [dim]{m.id} · {len(m.members)} "
                           "townships · " + " ".join(f"{k.short}{kinds[k]}" for k in ListKind
                                                     if kinds[k]) + "[/]")
        if len(m.members) > MEMBERS_LISTED and not args.why:
            # Hundreds of townships are read as the ways they word it, not line by line.
            summarised += 1
            wordings = Counter(c.item.name for c in m.members)
            for name, count in wordings.most_common(WORDINGS_SHOWN):
                base.console.print(f"  [dim]×{count:<4}[/] {shown(name)}")
            if len(wordings) > WORDINGS_SHOWN:
                more = plural(len(wordings) - WORDINGS_SHOWN, "more wording")
                base.console.print(f"  [dim]… {more}[/]")
            continue
        for c in m.members:
            base.console.print(f"  {shown(c.item.township)} {c.item.list.short}{c.item.serial} "
                               f"[dim]{c.score:.0f}[/] {shown(c.item.name)}"
                               + (f"  [dim]{shown(why(m, c))}[/]" if args.why else ""))
    base.console.print(plural(len(matters), "matter") + (
        f"; {summarised} of more than {MEMBERS_LISTED} townships shown by wording (every "
        "member: --why, --csv, --json, or piped)" if summarised else ""))
    return 0


# A matter of more townships than this is shown on a terminal by its wordings, the most
# common first: a province's largest matters have a member in every township.
MEMBERS_LISTED = 12
WORDINGS_SHOWN = 5


@command("counterparts", "the same matter in other townships, and in which list", """\
  $ lvzhi counterparts 昭苏镇:收:2      # the 2nd item of 昭苏镇's reclaimed list
  $ lvzhi counterparts 昭苏镇:reclaimed:2 --json""")
@arguments(lambda p: (
    p.add_argument("item", metavar="ITEM", help=ITEM_HELP),
    listing_options(p),
))
def cmd_counterparts(args: argparse.Namespace) -> int:
    library = library_of(args)
    item = library.item(args.item)
    found, _ = library.counterparts(item)
    matter = library.matter_of(item)
    if args.json:
        emit_json({"item": item_row(item), "matter": matter.id if matter else None,
                   "label": matter.label if matter else None,
                   "counterparts": [item_row(c.item, c.score) | {"why": c.why}
                                    for c in found]})
        return 0
    if plain_listing(args, ["score", "township", "list", "serial", "name", "why", "id"],
                     ([round(c.score), c.item.township, str(c.item.list), c.item.serial,
                       c.item.name, c.why, c.item.id] for c in found)):
        if not found:
            note(args, "no other township has this matter")
        return 0
    base.console.print(f"[bold]{shown(item.township)} {item.list.label} {item.serial}[/] "
                       f"{shown(item.name)}")
    if not found:
        base.console.print("no other township has this matter")
        return 0
    table = Table("score", "township", "list", "#", "name", "why", box=None,
                  header_style="bold")
    for c in found:
        table.add_row(f"{c.score:.0f}", shown(c.item.township), c.item.list.label,
                      str(c.item.serial), shown(c.item.name), f"[dim]{shown(c.why)}[/]")
    base.console.print(table)
    return 0


def _pair_rows(pairs: list[tuple[Row, Row, float]]) -> list[dict[str, Any]]:
    return [{"a": item_row(a), "b": item_row(b), "score": score} for a, b, score in pairs]


@command("compare", "two townships side by side: shared matters, lists that differ, the rest",
         """\
  $ lvzhi compare 昭苏镇 托格拉克乡
  $ lvzhi compare 昭苏镇 托格拉克乡 --json | jq '.different_lists | length'""")
@arguments(lambda p: (
    p.add_argument("township_a", metavar="TOWNSHIP_A",
                   help="the first township: " + TOWNSHIP_HELP),
    p.add_argument("township_b", metavar="TOWNSHIP_B", help="the second township"),
    json_option(p),
))
def cmd_compare(args: argparse.Namespace) -> int:
    library = library_of(args)
    library.require_rows()
    a, b, result = library.compare(args.township_a, args.township_b)
    if args.json:
        emit_json({"a": {"id": a.id, "township": a.township, "county": a.county},
                   "b": {"id": b.id, "township": b.township, "county": b.county},
                   "both": _pair_rows(result.both),
                   "different_lists": _pair_rows(result.different_lists),
                   "only_a": [item_row(i) for i in result.only_a],
                   "only_b": [item_row(i) for i in result.only_b]})
        return 0
    base.console.print(f"[bold]{shown(a.place)}[/] ⇄ [bold]{shown(b.place)}[/]")
    base.console.print(f"same matter, same list: {len(result.both)} · in different lists: "
                       f"{len(result.different_lists)} · only in {shown(a.township)}: "
                       f"{len(result.only_a)} · only in {shown(b.township)}: {len(result.only_b)}")
    for title, pairs in (("same matter, same list", result.both),
                         ("same matter, different lists", result.different_lists)):
        if pairs:
            base.console.print(f"\n[bold]{title}[/]")
        for x, y, _ in pairs:
            if x.name == y.name:  # worded alike: the name once
                base.console.print(f"  {x.list.short}{x.serial} ⇄ {y.list.short}{y.serial} "
                                   f"{shown(x.name)}")
            else:
                base.console.print(f"  {x.list.short}{x.serial} {shown(x.name)}  ⇄  "
                                   f"{y.list.short}{y.serial} {shown(y.name)}")
    for title, part in ((f"only in {shown(a.township)}", result.only_a),
                        (f"only in {shown(b.township)}", result.only_b)):
        if part:
            base.console.print(f"\n[bold]{title}[/]")
            for i in part:
                base.console.print(f"  {i.list.short}{i.serial} {shown(i.name)}")
    return 0


@command("coverage", "matters × townships: the list each matter is in, everywhere", """\
  $ lvzhi coverage --xlsx -o coverage.xlsx   # the grid for a spreadsheet
  $ lvzhi coverage | cut -f1-4          # piped: tab-separated, one matter a line""")
@arguments(lambda p: (
    p.add_argument("--csv", type=Path, metavar="FILE", nargs="?", const=STDOUT,
                   help="the grid as CSV, written to FILE or, without one, to standard output"),
    p.add_argument("--xlsx", action="store_true",
                   help="the grid as an Excel workbook (frozen header, autofilter); needs "
                        "-o FILE on a terminal"),
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="with --xlsx: write the workbook to FILE (whole or not at all)"),
    json_option(p),
    raw_cells_option(p),
))
def cmd_coverage(args: argparse.Namespace) -> int:
    library = library_of(args)
    library.require_rows()
    if args.output and not args.xlsx:
        raise CommandError("-o FILE goes with --xlsx (--csv takes its FILE itself)")
    if args.xlsx:
        return _coverage_xlsx(args, library)
    townships, rows = library.coverage()
    docs = {d.id: d for d in library.documents()}
    if args.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        cell = raw_cell if args.raw_cells else safe_cell
        writer.writerow(["matter", "label",
                         *(cell(f"{docs[t].county}{docs[t].township}") for t in townships)])
        for matter, cells in rows:
            writer.writerow([matter.id, cell(matter.label),
                             *(str(cells[t]) if t in cells else "" for t in townships)])
        if args.csv == STDOUT:
            write_stdout(buffer.getvalue().encode("utf-8"))
        else:
            write_output_or_fail(args.csv, buffer.getvalue().encode("utf-8-sig"))  # BOM: Excel
            base.err_console.print(f"wrote {shown(args.csv)} ({plural(len(rows), 'matter')} × "
                                   f"{plural(len(townships), 'township')})")
    if args.json:
        emit_json({"townships": [{"id": t, "township": docs[t].township,
                                  "county": docs[t].county} for t in townships],
                   "matters": [{"matter": m.id, "label": m.label,
                                "lists": {t: str(k) for t, k in cells.items()}}
                               for m, cells in rows]})
    elif not args.csv and not plain_listing(
            args, ["matter", "label", *(f"{docs[t].county}{docs[t].township}"
                                        for t in townships)],
            ([m.id, m.label, *(str(cells[t]) if t in cells else "" for t in townships)]
             for m, cells in rows)):
        if not _grid_fits(base.console.width, [docs[t].township for t in townships]):
            _coverage_summary(rows, len(townships))
            return 0
        table = Table("matter", *(shown(docs[t].township) for t in townships), box=None,
                      header_style="bold")
        for matter, cells in rows:
            table.add_row(shown(matter.label), *(cells[t].short if t in cells else "·"
                                          for t in townships))
        base.console.print(table)
    return 0


# The matter column of the grid needs at least this many cells to be read.
GRID_LABEL_WIDTH = 24


def _grid_fits(width: int, townships: list[str]) -> bool:
    """Whether a column per township, each as wide as its name, fits beside the matters."""
    return GRID_LABEL_WIDTH + sum(cell_len(t) + 1 for t in townships) <= width


def _coverage_summary(rows: list[tuple[Any, dict[str, ListKind]]], townships: int) -> None:
    """Too many townships for the terminal: per matter, how many townships have it in
    each list; and how to get the whole grid."""
    table = Table("matter", "townships", *(k.short for k in ListKind), box=None,
                  header_style="bold")
    for column in table.columns[1:]:
        column.justify = "right"
    for matter, cells in rows:
        counts = Counter(cells.values())
        table.add_row(shown(matter.label), str(len(cells)),
                      *(str(counts.get(k, 0) or "·") for k in ListKind))
    base.console.print(table)
    base.console.print(f"{plural(len(rows), 'matter')} × {plural(townships, 'township')}: too "
                       f"many townships for {base.console.width} columns, so townships are counted "
                       "per list. The whole grid: lvzhi coverage --xlsx -o FILE, --csv FILE, "
                       "--json, or piped (tab-separated).")


def _coverage_xlsx(args: argparse.Namespace, library: Library) -> int:
    if args.output:
        try:
            matters, townships = library.coverage_workbook(args.output)
        except OSError as exc:
            raise CommandError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
        base.err_console.print(f"wrote {shown(args.output)} ({plural(matters, 'matter')} × "
                               f"{plural(townships, 'township')})")
        return 0
    if base.stdout_is_terminal():
        raise CommandError("an xlsx workbook is a binary file: name it with -o FILE")
    with tempfile.TemporaryFile() as workbook:  # as lvzhi export: a reader may stop early
        library.coverage_workbook(workbook)
        workbook.seek(0)
        shutil.copyfileobj(workbook, sys.stdout.buffer)
    return 0


# --- corrections: a person's links and unlinks ------------------------------------------
# Kept in the store (lvzhi.corrections); the matcher applies them over what it found.

def _correct(args: argparse.Namespace, same: bool) -> int:
    library = library_of(args)
    a, b = library.correct(args.item_a, args.item_b, same)
    matter = library.matter_of(a)
    together = matter is not None and any(m.item.id == b.id for m in matter.members)
    if args.json:
        emit_json({"a": item_row(a), "b": item_row(b), "same": same,
                   "matter": matter.id if matter else None, "together": together})
        return 0
    verb = "linked" if same else "unlinked"
    base.console.print(f"{verb}: {a.township} {a.list.short}{a.serial} {a.name[:30]}  ⇄  "
                       f"{b.township} {b.list.short}{b.serial} {b.name[:30]}")
    base.console.print(f"[dim]now {'in one matter' if together else 'in different matters'}"
                       f"{f' ({matter.label})' if together and matter else ''}[/]")
    return 0


def _pair_arguments(p: argparse.ArgumentParser) -> None:
    for name in ("item_a", "item_b"):
        p.add_argument(name, metavar="ITEM", help=ITEM_HELP)
    json_option(p)


@command("link", "say two items of different townships are one matter (kept in the store)",
         """\
  $ lvzhi link 昭苏镇:收:2 托格拉克乡:配:7""")
@arguments(_pair_arguments)
def cmd_link(args: argparse.Namespace) -> int:
    return _correct(args, same=True)


@command("unlink", "say two items are not one matter (kept in the store)", """\
  $ lvzhi unlink 昭苏镇:基:3 托格拉克乡:基:5""")
@arguments(_pair_arguments)
def cmd_unlink(args: argparse.Namespace) -> int:
    return _correct(args, same=False)


@command("corrections", "list, export or import the links and unlinks people made", """\
  $ lvzhi corrections
  $ lvzhi corrections export mine.json   # then on another machine: import mine.json""")
@arguments(lambda p: (
    p.add_argument("action", nargs="?", default="list", choices=("list", "export", "import"),
                   help="list them (default), export them to FILE, or import them from FILE"),
    p.add_argument("file", nargs="?", type=Path, metavar="FILE",
                   help="the JSON file to write (export) or read (import)"),
    json_option(p),
))
def cmd_corrections(args: argparse.Namespace) -> int:
    from lvzhi import corrections

    store = store_of(args)
    if args.action in ("export", "import") and args.file is None:
        raise CommandError(f"lvzhi corrections {args.action} needs a FILE")
    if args.action == "export":
        count = corrections.export(store.path, args.file)
        base.err_console.print(f"wrote {shown(args.file)} ({plural(count, 'correction')})")
        return 0
    if args.action == "import":
        read, now = corrections.import_file(store.path, args.file)
        base.err_console.print(f"read {plural(read, 'correction')} from {shown(args.file)}; "
                               f"the store has {now}")
        return 0
    found = corrections.load(store.path)
    if args.json:
        emit_json([c.to_dict() for c in found])
        return 0
    for c in found:
        base.console.print(f"{'link  ' if c.same else 'unlink'} {c.a.label()}  ⇄  {c.b.label()} "
                           f"[dim]{c.at}[/]")
    base.console.print(plural(len(found), "correction"))
    return 0
