"""Commands that look at the store another way: departments, department, audit, versions,
diff."""

from __future__ import annotations

import argparse

from rich.table import Table

from lvzhi.cli import base
from lvzhi.cli.base import (
    TOWNSHIP_HELP,
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
    shown,
)
from lvzhi.model import ListKind, counts_label

# --- departments and audits ---------------------------------------------------------------
# lvzhi.department_view folds department names (lvzhi.departments); lvzhi.audit holds a
# township's lists against its peers.

ROWS_SHOWN = 5  # rows printed under one finding of an audit on a terminal


@command("departments", "county-level departments: rows each leads or took back, and where",
         """\
  $ lvzhi departments                   # 县人社局, 人社局 … counted as one department
  $ lvzhi departments --json | jq '.[0]'""")
@arguments(lambda p: listing_options(p))
def cmd_departments(args: argparse.Namespace) -> int:
    found = library_of(args).departments()
    if args.json:
        emit_json([s.to_dict() for s in found])
        return 0
    if plain_listing(args, ["key", "department", "cooperative", "reclaimed", "townships",
                            "leads", "spellings"],
                     ([s.key, s.label, s.cooperative, s.reclaimed, s.townships, s.leads,
                       "、".join(s.spellings)] for s in found)):
        return 0
    table = Table("department", "key", ListKind.COOPERATIVE.short, ListKind.RECLAIMED.short,
                  "townships", "printed as", box=None, header_style="bold")
    for s in found:
        table.add_row(shown(s.label), shown(s.key), str(s.cooperative), str(s.reclaimed),
                      str(s.townships), f"[dim]{shown('、'.join(s.spellings[:3]))}[/]")
    base.console.print(table)
    base.console.print(f"{plural(len(found), 'department')} · lvzhi department NAME for one")
    return 0


@command("department", "one department's cooperative and reclaimed rows, by township", """\
  $ lvzhi department 人社局              # also 县人社局, 人力资源和社会保障局 or the key 人社
  $ lvzhi department 市监局 --list 收 --json""")
@arguments(lambda p: (
    p.add_argument("name", metavar="NAME",
                   help="a department as printed (县人社局) or its key (人社, lvzhi departments)"),
    p.add_argument("--list", dest="kinds", metavar="KIND",
                   help="only these lists: cooperative, reclaimed (or 配, 收)"),
    listing_options(p),
))
def cmd_department(args: argparse.Namespace) -> int:
    view = library_of(args).department(args.name)
    kinds = set(parse_kinds(args.kinds))
    groups = [(doc, [r for r in rows if r.row.list in kinds]) for doc, rows in view.groups]
    groups = [(doc, rows) for doc, rows in groups if rows]
    summary = view.summary
    if args.json:
        emit_json({"department": summary.to_dict(),
                   "townships": [{"id": doc.id, "prefecture": doc.prefecture,
                                  "county": doc.county, "township": doc.township,
                                  "rows": [item_row(r.row) | {"lead": r.lead,
                                                              "printed": r.printed}
                                           for r in rows]}
                                 for doc, rows in groups]})
        return 0
    if plain_listing(args, ["county", "township", "list", "serial", "lead", "name",
                            "printed", "id"],
                     ([doc.county, doc.township, str(r.row.list), r.row.serial,
                       "lead" if r.lead else "", r.row.name, r.printed, r.row.id]
                      for doc, rows in groups for r in rows)):
        return 0
    base.console.print(f"[bold]{shown(summary.label)}[/] [dim]({shown(summary.key)}; printed as "
                       f"{shown('、'.join(summary.spellings))})[/]")
    base.console.print(f"{ListKind.COOPERATIVE.label} {summary.cooperative} · "
                       f"{ListKind.RECLAIMED.label} {summary.reclaimed} · "
                       f"{plural(summary.townships, 'township')} · 主: named first (its lead)")
    for doc, rows in groups:
        base.console.print(f"\n[bold]{shown(doc.county)} {shown(doc.township)}[/] "
                           f"[dim]{plural(len(rows), 'row')}[/]")
        for r in rows:
            base.console.print(f"  {r.row.list.short}{r.row.serial:<4}{'主' if r.lead else '  '} "
                               f"{shown(r.row.name)}  [dim]{shown(r.printed)}[/]")
    return 0


# lvzhi.audit.SCOPES, spelled here so that parsing the command line imports no matcher.
PEER_SCOPES = ("county", "prefecture", "all")


@command("audit", "a township's lists against its peers: what it lacks, lists differently, "
         "repeats, names alone, and rows flagged", """\
  $ lvzhi audit 昭苏镇                   # peers: the other townships of its county
  $ lvzhi audit 托喀依乡 --peers all --json | jq '.counts'""")
@arguments(lambda p: (
    p.add_argument("township", metavar="TOWNSHIP", help=TOWNSHIP_HELP),
    p.add_argument("--peers", choices=PEER_SCOPES, default="county",
                   help="whom to hold it against: the other townships of its county "
                        "(default; its prefecture's, then all, when the county has none), "
                        "of its prefecture, or of the whole store"),
    listing_options(p),
))
def cmd_audit(args: argparse.Namespace) -> int:
    from lvzhi.audit import KIND_TITLES, KINDS

    result = library_of(args).audit(args.township, args.peers)
    if args.json:
        emit_json(result.to_dict())
        return 0
    doc = result.document
    for message in result.notes:
        note(args, f"note: {shown(message)}")
    if plain_listing(args, ["kind", "finding", "detail", "township", "list", "serial", "name",
                            "id"],
                     ([f.kind, f.title, f.detail, r.township, str(r.list), r.serial, r.name,
                       r.id] for f in result.findings for r in f.rows)):
        return 0
    peers = "、".join(d.township for d in result.peers[:6]) + (
        f" and {len(result.peers) - 6} more" if len(result.peers) > 6 else "")
    base.console.print(f"[bold]{shown(doc.place)}[/] against {plural(len(result.peers), 'peer')} "
                       f"({result.scope}){': ' + shown(peers) if peers else ''}")
    base.console.print(result.counts_line())
    for kind in KINDS:
        findings = result.of_kind(kind)
        if not findings:
            continue
        base.console.print(f"\n[bold]{KIND_TITLES[kind]}[/] [dim]({len(findings)})[/]")
        for f in findings:
            base.console.print(f"  {shown(f.title)}  [dim]{shown(f.detail)}[/]")
            for r in f.rows[:ROWS_SHOWN]:
                base.console.print(f"    [dim]{shown(r.township)} {r.list.short}{r.serial}[/] "
                                   f"{shown(r.name)}")
            if len(f.rows) > ROWS_SHOWN:
                base.console.print(f"    [dim]… and {len(f.rows) - ROWS_SHOWN} more[/]")
    return 0


# --- versions: several documents of one township ----------------------------------------

@command("versions", "the versions of a township (its documents, oldest first) and which is "
         "current", """\
  $ lvzhi versions 昭苏镇
  $ lvzhi versions 昭苏镇 --json | jq '.[] | select(.current) | .source'""")
@arguments(lambda p: (
    p.add_argument("township", metavar="TOWNSHIP", help=TOWNSHIP_HELP),
    listing_options(p),
))
def cmd_versions(args: argparse.Namespace) -> int:
    from lvzhi.versions import date_label

    versions = library_of(args).versions(args.township)
    if args.json:
        emit_json([v.to_dict() for v in versions])
        return 0
    if plain_listing(args, ["version", "current", "dated", "ingested", *map(str, ListKind),
                            "source", "id"],
                     ([v.number, "yes" if v.current else "", date_label(v.dated),
                       v.document.ingested_at, *[v.document.lists.get(str(k), 0)
                                                 for k in ListKind],
                       v.document.source, v.document.id] for v in versions)):
        return 0
    doc = versions[-1].document
    base.console.print(f"[bold]{shown(doc.township or doc.source)}[/] {shown(doc.place)} · "
                       f"{plural(len(versions), 'version')}, the newest current (by the date "
                       "printed in each, else when it was ingested)")
    table = Table("#", "", "dated", "ingested", "rows", "source", "id", box=None,
                  header_style="bold")
    for v in versions:
        table.add_row(str(v.number), "[green]current[/]" if v.current else "",
                      date_label(v.dated), v.document.ingested_at[:16].replace("T", " "),
                      counts_label(v.document.lists), shown(v.document.source),
                      v.document.id[:12])
    base.console.print(table)
    if len(versions) > 1:
        base.console.print(f"[dim]lvzhi diff {shown(doc.township)} shows what changed; "
                           "lvzhi show ID shows an older version[/]")
    return 0


def _marked(runs: list[tuple[str, bool]], style: str, opener: str, closer: str) -> str:
    """Markup of a text with its changed runs marked (``[-…-]`` / ``{+…+}``, so a pipe sees
    them too) and styled."""
    return "".join(f"[{style}]{shown(opener + text + closer)}[/]" if changed else shown(text)
                   for text, changed in runs)


@command("diff", "what changed between two versions of a township: items added, removed, "
         "moved to another list, reworded", """\
  $ lvzhi diff 昭苏镇              # the version before the current one ⇄ the current one
  $ lvzhi diff 昭苏镇 1 3 --json   # versions by number (lvzhi versions) or by id prefix""")
@arguments(lambda p: (
    p.add_argument("township", metavar="TOWNSHIP", help=TOWNSHIP_HELP),
    p.add_argument("old", nargs="?", metavar="OLD",
                   help="the older version: its number (1 the oldest) or the first digits of "
                        "its id (default: the one before the current)"),
    p.add_argument("new", nargs="?", metavar="NEW",
                   help="the newer version, likewise (default: the current one)"),
    json_option(p),
))
def cmd_diff(args: argparse.Namespace) -> int:
    from lvzhi.versions import date_label, diff_runs

    diff = library_of(args).diff(args.township, args.old, args.new)
    if args.json:
        emit_json(diff.to_dict())
        return 0
    old, new = diff.old, diff.new
    base.console.print(f"[bold]{shown(new.document.township)}[/] "
                       f"{shown(new.document.prefecture)} {shown(new.document.county)}")
    for sign, v in (("-", old), ("+", new)):
        base.console.print(f"{sign} version {v.number}{' (current)' if v.current else ''}: "
                           f"{shown(v.document.source)} [dim]{date_label(v.dated) or 'undated'} · "
                           f"ingested {v.document.ingested_at[:16].replace('T', ' ')} · "
                           f"{v.document.id[:12]}[/]")
    base.console.print(diff.summary())
    for kind in ("added", "removed", "moved", "reworded"):
        changes = diff.of_kind(kind)
        if not changes:
            continue
        base.console.print(f"\n[bold]{kind}[/]")
        for c in changes:
            where = " → ".join(f"{i.list.short}{i.serial}" for i in (c.old, c.new) if i)
            base.console.print(f"  {where} {shown(c.item.name)}")
            for f in c.fields:
                before, after = diff_runs(f)
                base.console.print(f"    [dim]{shown(f.label)}[/]")
                base.console.print("      - " + (_marked(before, "bold red", "[-", "-]")
                                              or "[dim](empty)[/]"))
                base.console.print("      + " + (_marked(after, "bold green", "{+", "+}")
                                              or "[dim](empty)[/]"))
    return 0
