"""Commands on documents and the store: ingest, list, show, export, plugins, check, store."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from lvzhi.cli import base
from lvzhi.cli.base import (
    KINDS_HELP,
    TOWNSHIP_HELP,
    CommandError,
    arguments,
    command,
    emit_json,
    json_option,
    library_of,
    listing_options,
    note,
    parse_kinds,
    plain_listing,
    plural,
    raw_cells_option,
    registry_of,
    shown,
    store_of,
    write_stdout,
)
from lvzhi.export import export_items
from lvzhi.ingest import (
    Extraction,
    IngestError,
    Stored,
    extract_file,
)
from lvzhi.library import ID_SHOWN, Library
from lvzhi.model import ListKind, Span, counts_label
from lvzhi.plugins import Registry
from lvzhi.report import ExtractionReport
from lvzhi.resources import samples_dir
from lvzhi.store import SCHEMA_VERSION
from lvzhi.text import safe_display

if TYPE_CHECKING:
    from lvzhi.versions import Version


def _print_report_line(extraction: Stored, version: Version | None = None) -> None:
    doc, report = extraction.document, extraction.summary
    status = {"added": "[green]added[/]", "unchanged": "[dim]unchanged[/]"}.get(
        extraction.status, "")
    if report is None:  # the same bytes are in the store already: not read again
        base.console.print(f"{status} {shown(extraction.path.name)}: {shown(doc.place or '?')} "
                           f"{counts_label(doc.lists)} · already in the store")
        return
    parts = [f"{status} {shown(doc.source or extraction.path.name)}: "
             f"{shown(doc.place or '?')} {counts_label(doc.lists)}",
             "[green]conserved[/]" if report.conserved
             else f"[red]{report.lost_chars} lost, {report.added_chars} added chars[/]"]
    if report.errors:
        parts.append(f"[red]{plural(report.errors, 'bad row')}[/]")
    if report.to_review:
        parts.append(f"[yellow]{plural(report.to_review, 'row')} to review[/]")
    if report.serial_problems:
        parts.append(plural(report.serial_problems, "serial problem"))
    if version is not None and version.of > 1:
        parts.append(f"[cyan]{version.label} of {shown(doc.township)}[/]")
    base.console.print(" · ".join(parts))
    for warning in doc.warnings:
        base.console.print(f"    [dim]note:[/] {shown(warning)}")


def run_ingest(library: Library, registry: Registry, paths: list[Path], *,
               forced: str | None = None, plugin_dirs: list[Path] | None = None,
               quiet: bool = False, accept_untrusted: bool = False) -> int:
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), console=base.err_console, transient=True,
                  disable=quiet) as progress:
        task = progress.add_task("Reading", total=None)

        def on_files(n: int) -> None:
            progress.update(task, total=n)

        def on_file(path: Path, _: Extraction | IngestError) -> None:
            progress.update(task, advance=1, description=f"Reading {shown(path.name)}")

        result = library.ingest(paths, registry, forced=forced, plugin_dirs=plugin_dirs,
                                progress=on_file, on_files=on_files,
                                accept_untrusted=accept_untrusted)
    if not quiet:
        from lvzhi.versions import group_versions

        versions = {v.document.id: v for place in group_versions(
            library.store.documents()).values() for v in place}
        for extraction in result.done:
            _print_report_line(extraction, versions.get(extraction.document.id))
    for failure in result.failed:
        base.err_console.print(f"[red]error:[/] {shown(failure)}")
    for other in result.not_lists:
        base.err_console.print(f"[dim]skipped {shown(other)}[/]")
    if not result.done and not result.failed and not result.not_lists:
        raise CommandError("no files to ingest (folders are searched for "
                           + ", ".join(registry.extensions()) + ")")
    return 0 if result.ok else 1


@command("ingest", "read documents (files and folders) into the store", """\
  $ lvzhi ingest lists/                 # every list in a folder, each format guessed
  $ lvzhi ingest --samples              # the five sample lists that ship with lvzhi""")
@arguments(lambda p: (
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="files or folders to read (folders are searched for every known format)"),
    p.add_argument("--samples", action="store_true",
                   help="also read the five sample lists that ship with lvzhi"),
    p.add_argument("--format", dest="forced", metavar="NAME",
                   help="use this extractor instead of guessing"),
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print only errors (no progress, no line per document)"),
    p.add_argument("--accept-untrusted", action="store_true",
                   help="store a file even when its extraction report finds rows missing, "
                        "text lost or a required field empty (its rows carry the warning)"),
))
def cmd_ingest(args: argparse.Namespace) -> int:
    paths = list(args.paths) + ([samples_dir()] if args.samples else [])
    if not paths:
        raise CommandError("name files or folders to read, or --samples for the bundled lists")
    return run_ingest(library_of(args), registry_of(args), paths, forced=args.forced,
                      plugin_dirs=args.plugins_dir, quiet=args.quiet,
                      accept_untrusted=args.accept_untrusted)


@command("list", "townships in the store with rows per list", """\
  $ lvzhi list
  $ lvzhi list --csv > townships.csv""")
@arguments(lambda p: listing_options(p))
def cmd_list(args: argparse.Namespace) -> int:
    from lvzhi.versions import group_versions, place_key

    library = library_of(args)  # one line a township: its current version
    docs = sorted(library.documents(), key=lambda d: (d.prefecture, d.county, d.township))
    count = {place: len(v) for place, v in group_versions(library.store.documents()).items()}
    if args.json:
        emit_json([{"id": d.id, "prefecture": d.prefecture, "county": d.county,
                    "township": d.township, "source": d.source, "format": d.format,
                    "lists": d.lists, "versions": count[place_key(d)]} for d in docs])
        return 0
    if not docs:
        note(args, "The store is empty: lvzhi ingest PATH to add documents, or "
             "lvzhi ingest --samples for the five bundled sample lists "
             f"(store: {shown(store_of(args).path)})")
    if plain_listing(args, ["prefecture", "county", "township", *map(str, ListKind), "source",
                            "id"],
                     ([d.prefecture, d.county, d.township,
                       *[d.lists.get(str(k), 0) for k in ListKind], d.source, d.id]
                      for d in docs)):
        return 0
    if not docs:
        return 0
    several = any(n > 1 for n in count.values())
    table = Table("prefecture", "county", "township", *[k.short for k in ListKind], "source",
                  *(["versions"] if several else []), box=None, header_style="bold")
    for d in docs:
        table.add_row(shown(d.prefecture), shown(d.county), shown(d.township),
                      *[str(d.lists.get(str(k), 0)) for k in ListKind], shown(d.source),
                      *([str(count[place_key(d)])] if several else []))
    base.console.print(table)
    if several:
        base.console.print("[dim]a township with several versions shows its current one: "
                           "lvzhi versions TOWNSHIP lists them[/]")
    return 0


@command("show", "the items of one township", """\
  $ lvzhi show 昭苏镇
  $ lvzhi show 昭苏县昭苏镇 --list reclaimed --json""")
@arguments(lambda p: (
    p.add_argument("township", metavar="TOWNSHIP", help=TOWNSHIP_HELP),
    p.add_argument("--list", dest="kinds", metavar="KIND", help=KINDS_HELP),
    listing_options(p),
))
def cmd_show(args: argparse.Namespace) -> int:
    library = library_of(args)
    doc = library.township(args.township)  # one document, or an error naming the candidates
    items = list(library.items(doc.id, parse_kinds(args.kinds)))
    if (version := library.version_of(doc)).of > 1:
        note(args, f"{shown(doc.township)}: {version.label}, {shown(doc.source)}; "
             f"lvzhi versions {shown(doc.township)} lists the others (show one by its id)")
    if args.json:
        emit_json([i.to_dict() for i in items])
        return 0
    if plain_listing(args, ["list", "serial", "category", "name", "departments / receiver",
                            "id"],
                     ([str(i.list), i.serial, i.category, i.name,
                       i.departments or i.receiver, i.id] for i in items)):
        return 0
    table = Table("list", "#", "category", "name", "departments / receiver", box=None,
                  header_style="bold")
    for i in items:
        table.add_row(i.list.short, str(i.serial), shown(i.category), shown(i.name),
                      shown(i.departments or i.receiver))
    base.console.print(table)
    return 0


@command("export", "write items with every field as jsonl, csv, json or xlsx", """\
  $ lvzhi export --format xlsx -o 昭苏镇.xlsx --township 昭苏镇
  $ lvzhi export --township 昭苏镇 --list reclaimed | jq .name""")
@arguments(lambda p: (
    p.add_argument("--format", dest="fmt", choices=("jsonl", "csv", "json", "xlsx"),
                   default="jsonl",
                   help="jsonl: one JSON object a line (default); csv: for spreadsheets "
                        "(UTF-8 with BOM); json: one array; xlsx: an Excel workbook, one "
                        "sheet a list, frozen header, autofilter (needs -o FILE on a terminal)"),
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write to FILE (whole or not at all) instead of standard output"),
    p.add_argument("--township", metavar="TOWNSHIP",
                   help="only this township: " + TOWNSHIP_HELP),
    p.add_argument("--list", dest="kinds", metavar="KIND", help=KINDS_HELP),
    raw_cells_option(p),
    p.add_argument("--all-versions", action="store_true",
                   help="every version of each township, not only its current one (see "
                        "lvzhi versions)"),
))
def cmd_export(args: argparse.Namespace) -> int:
    library, kinds = library_of(args), parse_kinds(args.kinds)
    if args.output:
        try:
            library.export(args.fmt, args.output, township=args.township, kinds=kinds,
                           raw_cells=args.raw_cells, all_versions=args.all_versions)
        except OSError as exc:
            raise CommandError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
        base.err_console.print(f"wrote {shown(args.output)}")
    elif args.fmt == "xlsx":
        if base.stdout_is_terminal():
            raise CommandError("an xlsx workbook is a binary file: name it with -o FILE")
        # Built in a temporary file, then copied: a reader that stops early (| head) breaks
        # the copy, not the workbook writer half-way through its sheets.
        with tempfile.TemporaryFile() as workbook:
            library.export("xlsx", workbook, township=args.township, kinds=kinds,
                           all_versions=args.all_versions)
            workbook.seek(0)
            shutil.copyfileobj(workbook, sys.stdout.buffer)
    else:  # whole, for write_stdout to make control characters visible on a terminal
        write_stdout(export_items(library.items(args.township, kinds,
                                                all_versions=args.all_versions),
                                  args.fmt, raw_cells=args.raw_cells))
    return 0


@command("plugins", "loaded extractors, what they claim, and plugins that failed", """\
  $ lvzhi plugins
  $ lvzhi --plugins-dir ./my_plugins plugins -v   # with the traceback of a failed plugin""")
@arguments(lambda p: (json_option(p),
                      p.add_argument("-v", "--verbose", action="store_true",
                                     help="print the traceback of each plugin that failed")))
def cmd_plugins(args: argparse.Namespace) -> int:
    registry = registry_of(args)
    extractors = [{"name": name, "version": r.extractor.version, "plugin": r.plugin,
                   "extensions": list(r.extractor.extensions),
                   "description": r.extractor.description}
                  for name, r in sorted(registry.extractors.items())]
    failures = [{"plugin": f.plugin, "error": f.error} for f in registry.failures]
    if args.json:
        emit_json({"extractors": extractors, "failures": failures})
        return 0
    table = Table("extractor", "version", "claims", "plugin", "description", box=None,
                  header_style="bold")
    for column in table.columns[:4]:
        column.no_wrap = True
    # Piped output has no width to keep to: don't fold the descriptions into 80 columns.
    out = base.console if base.console.is_terminal else Console(width=160, highlight=False,
                                                                emoji=False)
    for e in extractors:
        table.add_row(shown(e["name"]), shown(e["version"]), shown(" ".join(e["extensions"])),
                      shown(e["plugin"]), shown(e["description"]))
    out.print(table)
    for f in registry.failures:
        base.err_console.print(f"[red]failed:[/] plugin {shown(f.plugin)}: {shown(f.error)}")
        if args.verbose:
            base.err_console.print(safe_display(f.detail, newlines=True), markup=False)
    return 0


def print_report(report: ExtractionReport) -> None:
    base.console.print(f"[bold]{shown(report.source)}[/] — {shown(report.township or '?')} "
                       f"(extractor {shown(report.extractor)}"
                       + (f", encoding {shown(report.encoding)}" if report.encoding else "") + ")")
    base.console.print("rows: " + ", ".join(f"{shown(k)} {v}" for k, v in report.rows.items()))
    for header in report.headers:
        where = Span(header["line"], page_first=header["page"]).describe()
        cells = " · ".join(f"{shown(printed)} → {shown(read or '(none)')}"
                           for printed, read in header["cells"])
        base.console.print(f"header {shown(header['list'])}"
                           + (f" ({where})" if where != "unknown" else "")
                           + f": {cells}")
    for serial_problem in report.serial_problems:
        base.console.print(f"[red]serials:[/] {shown(serial_problem)}")
    base.console.print(f"text conservation: {report.body_chars} body characters, "
                       f"{report.lost_chars} lost, {report.added_chars} added"
                       + (f" ({report.page_repeats} repeated after page breaks, not counted)"
                     if report.page_repeats else "")
                       + (f" ({report.merge_repeats} of merged cells read again in the rows "
                          "they cover, not counted)" if report.merge_repeats else ""))
    for run in report.lost[:50]:
        where = Span(run.line, page_first=run.page).describe()
        base.console.print(f"  [red]lost[/] {where} ({shown(run.row or 'no row')}): "
                           f"{shown(run.text)}")
    for run in report.added[:50]:
        base.console.print(f"  [red]added[/] {shown(run.row)}: {shown(run.text)}")
    for problem in report.suspicious[:100]:
        label = "[red]error[/]" if problem.severity == "error" else "[yellow]review[/]"
        where = Span(problem.line, page_first=problem.page).describe()
        base.console.print(f"  {label} {shown(problem.list)} {shown(problem.serial)}"
                           + (f" ({where})" if where != "unknown" else "")
                           + f": {shown(problem.problem)}")
    for warning in report.warnings:
        base.console.print(f"  [dim]note:[/] {shown(warning)}")


def print_verdict(report: ExtractionReport) -> None:
    """The first line of ``lvzhi check``: whether the extraction can be trusted."""
    if report.trustworthy:
        base.console.print("[green]trustworthy[/]: every row found, every character placed"
                           + (f"; {plural(len(report.to_review), 'row')} to review"
                         if report.to_review else ""))
    else:
        base.console.print("[red]not trustworthy[/]: see the problems below"
                           + (f" ({escape(report.advice)})" if report.advice else ""))


@command("check", "extract a file without storing it and print the extraction report", """\
  $ lvzhi check 昭苏镇.pdf            # the verdict first, then every problem found
  $ lvzhi check list.txt --format plaintext --json""")
@arguments(lambda p: (
    p.add_argument("file", type=Path, metavar="FILE", help="the document to read"),
    p.add_argument("--format", dest="forced", metavar="NAME",
                   help="use this extractor instead of guessing (see lvzhi plugins)"),
    json_option(p),
))
def cmd_check(args: argparse.Namespace) -> int:
    try:
        extraction = extract_file(registry_of(args), args.file, args.forced)
    except IngestError as exc:
        raise CommandError(str(exc)) from exc
    report = extraction.report
    if args.json:
        emit_json(report.to_dict() | {"document": extraction.document.to_dict()})
    else:
        print_verdict(report)
        print_report(report)
    return 0 if report.trustworthy else 1


@command("remove", "take one document (a township's list, or one version of it) out of the "
         "store", """\
  $ lvzhi remove 001_608acf05b3629a7f.txt  # by file name (lvzhi versions 昭苏镇 lists them)
  $ lvzhi remove 6abf3111598a              # or by the start of its id""")
@arguments(lambda p: (p.add_argument("document", metavar="DOCUMENT",
                                     help="the document's file name or id (or the start of "
                                     "its id), as lvzhi list and lvzhi versions print them"),
                      json_option(p)))
def cmd_remove(args: argparse.Namespace) -> int:
    doc = library_of(args).remove(args.document)
    if args.json:
        emit_json({"removed": doc.to_dict()})
    else:
        base.console.print(f"removed {shown(doc.source)}: {shown(doc.place or '?')} "
                           f"{counts_label(doc.lists)} (id {doc.id[:ID_SHOWN]})")
    return 0


@command("reindex", "rebuild the index and the matters kept beside the store", """\
  $ lvzhi reindex                       # after copying a store, or if a search looks wrong""")
@arguments(lambda p: json_option(p))
def cmd_reindex(args: argparse.Namespace) -> int:
    library = library_of(args)
    if not library.store.documents():  # not the rows: they come from the index rebuilt here
        library.require_rows()  # says the store is empty
    started = time.perf_counter()
    _, matcher = library.reindex()
    seconds = time.perf_counter() - started
    rows = library.rows
    townships, items, matters = len(rows.documents), len(rows), len(matcher.matters())
    if args.json:
        emit_json({"townships": townships, "items": items, "matters": matters,
                   "seconds": round(seconds, 2)})
    else:
        base.console.print(f"reindexed {plural(townships, 'township')}, {plural(items, 'item')}"
                           f" ({plural(matters, 'matter')}) in {seconds:.1f} s")
    return 0


@command("store", "where the store is and what it holds; move an unusable one aside", """\
  $ lvzhi store                       # its path, size and counts
  $ lvzhi store --move-aside          # after an error saying the store cannot be read""")
@arguments(lambda p: (p.add_argument("--move-aside", action="store_true",
                                     help="rename the store and its item files to <name>.broken-N"),
                      json_option(p)))
def cmd_store(args: argparse.Namespace) -> int:
    store = store_of(args)
    if args.move_aside:
        if not store.exists():
            raise CommandError(f"there is no store at {store.path}")
        target = store.move_aside()
        base.console.print(f"moved {shown(store.path)} to {shown(target)}; the next ingest starts "
                           "a new store")
        return 0
    docs = store.documents()
    from lvzhi.versions import current_ids

    info = {"path": str(store.path), "exists": store.exists(), "schema": SCHEMA_VERSION,
            "documents": len(docs), "townships": len(current_ids(docs)),
            "items": sum(sum(d.lists.values()) for d in docs),
            "bytes": store.path.stat().st_size if store.exists() else 0,
            "items_dir": str(store.items_dir),
            "item_bytes": sum(f.stat().st_size for f in store.items_dir.glob("*.json*")),
            "index": str(store.index.path),
            "index_bytes": sum(p.stat().st_size for p in store.index.files())}
    if args.json:
        emit_json(info)
    else:
        for key, value in info.items():
            base.console.print(f"{key:>11}: {shown(value)}")
    return 0
