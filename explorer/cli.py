"""The ``lvzhi`` command line.

Every command prints a clear one-line error and exits non-zero on failure; every listing
command takes ``--json``. ``lvzhi`` alone opens the explorer.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from explorer import __version__
from explorer.ingest import Extraction, IngestError, extract_file, ingest
from explorer.model import Item, ListKind
from explorer.plugins import PluginError, Registry, load_plugins
from explorer.report import ExtractionReport
from explorer.store import SCHEMA_VERSION, Store, StoreError, default_db_path, read_raw

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)  # one-line errors


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


# --- helpers -----------------------------------------------------------------------------

def emit_json(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def counts_label(lists: dict[str, int]) -> str:
    """``基84 配127 收52``: rows per list, short."""
    return " ".join(f"{kind.short}{lists.get(str(kind), 0)}" for kind in ListKind)


def find_township(store: Store, query: str) -> list[str]:
    """Document ids whose township (or county+township, or source file) matches ``query``."""
    docs = store.documents()
    exact = [d.id for d in docs if query in (d.township, d.source, d.id)]
    if exact:
        return exact
    partial = [d.id for d in docs if query in f"{d.prefecture}{d.county}{d.township}"]
    return partial


def _registry(args: argparse.Namespace) -> Registry:
    try:
        return load_plugins(args.plugins_dir)
    except PluginError as exc:
        raise CommandError(str(exc)) from exc


def _store(args: argparse.Namespace) -> Store:
    return Store(args.db)


# --- commands ----------------------------------------------------------------------------

COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], Callable[..., None], str]] = {}


def command(name: str, help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``cmd_<name>``; its docstring-free ``configure`` adds the arguments."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        configure = getattr(func, "configure", lambda parser: None)
        COMMANDS[name] = (func, configure, help_text)
        return func

    return decorate


def arguments(configure: Callable[[argparse.ArgumentParser], None]) -> Callable[..., Any]:
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func.configure = configure  # type: ignore[attr-defined]
        return func

    return decorate


def _print_report_line(extraction: Extraction) -> None:
    doc, report = extraction.document, extraction.report
    status = {"added": "[green]added[/]", "replaced": "[yellow]replaced[/]",
              "unchanged": "[dim]unchanged[/]"}.get(extraction.status, "")
    trust = ("[green]conserved[/]" if not (report.lost or report.added)
             else f"[red]{report.lost_chars} lost, {report.added_chars} added chars[/]")
    console.print(f"{status} {extraction.path.name}: {doc.place or '?'} "
                  f"{counts_label(doc.lists)} · {trust}"
                  + (f" · [red]{len(report.errors)} bad rows[/]" if report.errors else "")
                  + (f" · [yellow]{len(report.to_review)} to review[/]"
                     if report.to_review else "")
                  + (f" · {len(report.serial_problems)} serial problems"
                     if report.serial_problems else ""))
    for warning in doc.warnings:
        console.print(f"    [yellow]warning:[/] {warning}")


def run_ingest(store: Store, registry: Registry, paths: list[Path], *,
               forced: str | None = None, plugin_dirs: list[Path] | None = None,
               quiet: bool = False) -> int:
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), console=err_console, transient=True,
                  disable=quiet) as progress:
        task = progress.add_task("Reading", total=None)

        def on_files(n: int) -> None:
            progress.update(task, total=n)

        def on_file(path: Path, _: Extraction | IngestError) -> None:
            progress.update(task, advance=1, description=f"Reading {path.name}")

        result = ingest(store, registry, paths, forced=forced, plugin_dirs=plugin_dirs,
                        progress=on_file, on_files=on_files)
    if not quiet:
        for extraction in result.done:
            _print_report_line(extraction)
    for failure in result.failed:
        err_console.print(f"[red]error:[/] {failure}")
    if not result.done and not result.failed:
        raise CommandError("no files to ingest (folders are searched for "
                           + ", ".join(registry.extensions()) + ")")
    return 0 if result.ok else 1


@command("ingest", "read documents (files and folders) into the store")
@arguments(lambda p: (
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH"),
    p.add_argument("--format", dest="forced", metavar="NAME",
                   help="use this extractor instead of guessing"),
    p.add_argument("-q", "--quiet", action="store_true"),
))
def cmd_ingest(args: argparse.Namespace) -> int:
    return run_ingest(_store(args), _registry(args), args.paths, forced=args.forced,
                      plugin_dirs=args.plugins_dir, quiet=args.quiet)


@command("list", "townships in the store with rows per list")
@arguments(lambda p: p.add_argument("--json", action="store_true"))
def cmd_list(args: argparse.Namespace) -> int:
    docs = sorted(_store(args).documents(), key=lambda d: (d.prefecture, d.county, d.township))
    if args.json:
        emit_json([{"id": d.id, "prefecture": d.prefecture, "county": d.county,
                    "township": d.township, "source": d.source, "format": d.format,
                    "lists": d.lists} for d in docs])
        return 0
    if not docs:
        console.print("The store is empty: lvzhi ingest PATH to add documents "
                      f"(store: {_store(args).path})")
        return 0
    table = Table("prefecture", "county", "township", *[k.short for k in ListKind], "source",
                  box=None, header_style="bold")
    for d in docs:
        table.add_row(d.prefecture, d.county, d.township,
                      *[str(d.lists.get(str(k), 0)) for k in ListKind], d.source)
    console.print(table)
    return 0


def _kinds(value: str | None) -> list[ListKind]:
    if not value:
        return list(ListKind)
    try:
        return [ListKind(v.strip()) for v in value.split(",")]
    except ValueError as exc:
        raise CommandError(f"unknown list kind {value!r}; use basic, cooperative, "
                           "reclaimed") from exc


def _select_items(store: Store, township: str | None, kinds: list[ListKind]) -> list[Item]:
    items = store.items()
    if township:
        doc_ids = set(find_township(store, township))
        if not doc_ids:
            raise CommandError(f"no township matches {township!r} (see lvzhi list)")
        items = [i for i in items if i.doc_id in doc_ids]
    order = {k: n for n, k in enumerate(ListKind)}
    items = [i for i in items if i.list in kinds]
    items.sort(key=lambda i: (i.prefecture, i.county, i.township, order[i.list], i.serial))
    return items


@command("show", "the items of one township")
@arguments(lambda p: (
    p.add_argument("township"),
    p.add_argument("--list", dest="kinds", metavar="KIND",
                   help="basic, cooperative, reclaimed (comma-separated)"),
    p.add_argument("--json", action="store_true"),
))
def cmd_show(args: argparse.Namespace) -> int:
    store = _store(args)
    doc_ids = find_township(store, args.township)
    if len(doc_ids) > 1:
        names = ", ".join(f"{d.township} ({d.source})" for d in store.documents()
                          if d.id in doc_ids)
        raise CommandError(f"{args.township!r} matches several documents: {names}")
    items = _select_items(store, args.township, _kinds(args.kinds))
    if args.json:
        emit_json([i.to_dict() for i in items])
        return 0
    table = Table("list", "#", "category", "name", "departments / receiver", box=None,
                  header_style="bold")
    for i in items:
        table.add_row(i.list.short, str(i.serial), i.category, i.name,
                      i.departments or i.receiver)
    console.print(table)
    return 0


EXPORT_FIELDS = ("id", "doc_id", "source", "prefecture", "county", "township", "list",
                 "serial", "category", "category_canonical", "name", "departments",
                 "department_names", "upper_duties", "township_duties", "receiver", "span",
                 "warnings")


def export_items(items: list[Item], fmt: str) -> bytes:
    rows = [i.to_dict() for i in items]
    if fmt == "json":
        return orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n"
    if fmt == "jsonl":
        return b"".join(orjson.dumps(r) + b"\n" for r in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    for r in rows:
        writer.writerow([
            "\n".join(r[f]) if f in ("upper_duties", "township_duties", "warnings")
            else "、".join(r[f]) if f == "department_names"
            else orjson.dumps(r[f]).decode() if f == "span" else r[f]
            for f in EXPORT_FIELDS
        ])
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel opens Chinese CSV correctly


@command("export", "write items with every field as jsonl, csv or json")
@arguments(lambda p: (
    p.add_argument("--format", dest="fmt", choices=("jsonl", "csv", "json"), default="jsonl"),
    p.add_argument("-o", "--output", type=Path, metavar="FILE"),
    p.add_argument("--township"),
    p.add_argument("--list", dest="kinds", metavar="KIND"),
))
def cmd_export(args: argparse.Namespace) -> int:
    payload = export_items(_select_items(_store(args), args.township, _kinds(args.kinds)),
                           args.fmt)
    if args.output:
        args.output.write_bytes(payload)
        err_console.print(f"wrote {args.output}")
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return 0


@command("plugins", "loaded extractors, what they claim, and plugins that failed")
@arguments(lambda p: (p.add_argument("--json", action="store_true"),
                      p.add_argument("-v", "--verbose", action="store_true")))
def cmd_plugins(args: argparse.Namespace) -> int:
    registry = _registry(args)
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
    for e in extractors:
        table.add_row(e["name"], e["version"], " ".join(e["extensions"]), e["plugin"],
                      e["description"])
    console.print(table)
    for f in registry.failures:
        err_console.print(f"[red]failed:[/] plugin {f.plugin}: {f.error}")
        if args.verbose:
            err_console.print(f.detail)
    return 0


def print_report(report: ExtractionReport) -> None:
    console.print(f"[bold]{report.source}[/] — {report.township or '?'} "
                  f"(extractor {report.extractor}"
                  + (f", encoding {report.encoding}" if report.encoding else "") + ")")
    console.print("rows: " + ", ".join(f"{k} {v}" for k, v in report.rows.items()))
    for problem in report.serial_problems:
        console.print(f"[red]serials:[/] {problem}")
    console.print(f"text conservation: {report.body_chars} body characters, "
                  f"{report.lost_chars} lost, {report.added_chars} added"
                  + (f" ({report.page_repeats} repeated after page breaks, not counted)"
                     if report.page_repeats else ""))
    for run in report.lost[:50]:
        where = f"line {run.line}" if run.line else f"page {run.page}"
        console.print(f"  [red]lost[/] {where} ({run.row or 'no row'}): {run.text}")
    for run in report.added[:50]:
        console.print(f"  [red]added[/] {run.row}: {run.text}")
    for problem in report.suspicious[:100]:
        label = "[red]error[/]" if problem.severity == "error" else "[yellow]review[/]"
        console.print(f"  {label} {problem.list} {problem.serial}"
                      + (f" (line {problem.line})" if problem.line else "")
                      + f": {problem.problem}")
    for warning in report.warnings:
        console.print(f"  [dim]note:[/] {warning}")
    if report.trustworthy:
        console.print("[green]trustworthy[/]: every row found, every character placed"
                      + (f"; {len(report.to_review)} rows to review" if report.to_review
                         else ""))
    else:
        console.print("[red]not trustworthy[/]: check the problems above")


@command("check", "extract a file without storing it and print the extraction report")
@arguments(lambda p: (
    p.add_argument("file", type=Path),
    p.add_argument("--format", dest="forced", metavar="NAME"),
    p.add_argument("--json", action="store_true"),
))
def cmd_check(args: argparse.Namespace) -> int:
    try:
        extraction = extract_file(_registry(args), args.file, args.forced)
    except IngestError as exc:
        raise CommandError(str(exc)) from exc
    report = extraction.report
    if args.json:
        emit_json(report.to_dict() | {"document": extraction.document.to_dict()})
    else:
        print_report(report)
    return 0 if report.trustworthy else 1


@command("store", "where the store is and what it holds; move an unusable one aside")
@arguments(lambda p: (p.add_argument("--move-aside", action="store_true",
                                     help="rename the store file to <name>.broken-N"),
                      p.add_argument("--json", action="store_true")))
def cmd_store(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.move_aside:
        if not store.exists():
            raise CommandError(f"there is no store at {store.path}")
        target = store.move_aside()
        console.print(f"moved {store.path} to {target}; the next ingest starts a new store")
        return 0
    docs = store.documents()
    info = {"path": str(store.path), "exists": store.exists(), "schema": SCHEMA_VERSION,
            "documents": len(docs), "items": sum(sum(d.lists.values()) for d in docs),
            "bytes": store.path.stat().st_size if store.exists() else 0}
    if args.json:
        emit_json(info)
    else:
        for key, value in info.items():
            console.print(f"{key:>9}: {value}")
    return 0


# --- the explorer ------------------------------------------------------------------------

def offer_move_aside(store: Store, error: StoreError) -> bool:
    """An unusable store blocks the explorer: offer to move it aside (never delete it)."""
    err_console.print(f"[red]error:[/] {error}")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        err_console.print("  (move it aside with: lvzhi store --move-aside)")
        return False
    answer = console.input(f"Move {store.path.name} aside and start a new store? [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        return False
    console.print(f"moved to {store.move_aside()}")
    return True


def open_explorer(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        read_raw(store.path)  # fail before the screen opens, not inside it
    except StoreError as exc:
        if not offer_move_aside(store, exc):
            return 1
    from explorer.tui.app import run  # textual is imported only here

    return run(store_path=store.path, plugin_dirs=args.plugins_dir, samples_dir=SAMPLES_DIR)


# --- entry point -------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lvzhi", description="Read, search and compare township duty lists (履职事项清单). "
        "Without a command, open the explorer.")
    parser.add_argument("--version", action="version", version=f"lvzhi {__version__}")
    parser.add_argument("--db", type=Path, default=None,
                        help=f"store file (default: $LVZHI_DB or {default_db_path()})")
    parser.add_argument("--plugins-dir", type=Path, action="append", default=[],
                        metavar="DIR", help="load extractor plugins from this folder too")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, configure, help_text) in COMMANDS.items():
        configure(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return open_explorer(args)
        func = COMMANDS[args.command][0]
        return func(args)
    except (CommandError, StoreError, IngestError) as exc:
        err_console.print(f"[red]error:[/] {exc}")
        if isinstance(exc, StoreError):
            err_console.print("  (move it aside with: lvzhi store --move-aside)")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
