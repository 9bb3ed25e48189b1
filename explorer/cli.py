"""The ``lvzhi`` command line.

Every command prints a clear one-line error and exits non-zero on failure; every listing
command takes ``--json``. ``lvzhi`` alone opens the explorer.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from lvzhi import __version__
from lvzhi.export import export_items, write_output
from lvzhi.ingest import (
    Extraction,
    IngestError,
    Interrupted,
    Stored,
    extract_file,
    interrupt_on_signals,
)
from lvzhi.library import Library, LibraryError, list_kind
from lvzhi.model import ListKind, Row, Span, counts_label
from lvzhi.plugins import PluginError, Registry, load_plugins
from lvzhi.report import ExtractionReport
from lvzhi.resources import samples_dir
from lvzhi.store import (
    SCHEMA_VERSION,
    Store,
    StoreError,
    read_raw,
)
from lvzhi.text import safe_cell, safe_display

if TYPE_CHECKING:
    from lvzhi.versions import Version

# emoji=False: a cell reading ":warning:" is printed as written, not as an emoji.
console = Console(highlight=False, soft_wrap=True, emoji=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


# --- helpers -----------------------------------------------------------------------------

def shown(value: object) -> str:
    """Text from a document, a file name or a plugin, ready to go into a Rich markup string
    or a table cell: control characters made visible (``␛``), markup escaped (``[/]``)."""
    return escape(safe_display(str(value)))


def emit_json(data: Any) -> None:
    write_stdout(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")


def write_stdout(payload: bytes) -> None:
    """Data for a program, exact; on a terminal, with the control characters JSON and CSV
    leave as they are (C1, bidi overrides, in CSV even ESC) made visible."""
    if sys.stdout.isatty():
        text = payload.decode("utf-8-sig").replace("\r\n", "\n")
        payload = safe_display(text, newlines=True).encode("utf-8")
    sys.stdout.buffer.write(payload)
    sys.stdout.flush()


def stdout_is_terminal() -> bool:
    """Whether listings print Rich tables (a terminal) or plain lines (a pipe, a file)."""
    return sys.stdout.isatty()


Cell = str | int | float


def plain_listing(args: argparse.Namespace, header: list[str],
                  rows: Iterable[list[Cell]]) -> bool:
    """Print a listing for programs if that is what is wanted and say whether it was: CSV
    with ``--csv``; when standard output is not a terminal, tab-separated lines with a header
    (as sqlite-utils does), each cell on one line with control characters, tabs included,
    made visible. Nothing is cut. Rows are written as they come."""
    as_csv = getattr(args, "csv", False) is True
    if not as_csv and stdout_is_terminal():
        return False
    if as_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)

        def line(cells: list[Cell]) -> str:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([safe_cell(c) for c in cells])
            return buffer.getvalue()
    else:
        def line(cells: list[Cell]) -> str:
            return "\t".join(safe_display(str(c)).replace("\t", "␉") for c in cells) + "\n"

    chunk = [line(list(header))]
    for row in rows:
        chunk.append(line(row))
        if len(chunk) >= 1000:
            write_stdout("".join(chunk).encode("utf-8"))
            chunk = []
    write_stdout("".join(chunk).encode("utf-8"))
    return True


def note(args: argparse.Namespace, message: str) -> None:
    """A line for people beside a listing: on standard output under a table, on standard
    error when the listing is for a program."""
    if getattr(args, "csv", False) is True or not stdout_is_terminal():
        err_console.print(message)
    else:
        console.print(message)


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 row``, ``2 rows``; ``words`` when adding an s is wrong."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def _registry(args: argparse.Namespace) -> Registry:
    try:
        return load_plugins(args.plugins_dir)
    except PluginError as exc:
        raise CommandError(str(exc)) from exc


def _store(args: argparse.Namespace) -> Store:
    return Store(args.db)


def _library(args: argparse.Namespace) -> Library:
    """The store as the library that searches, matches and exports it."""
    return Library(_store(args))


# --- commands ----------------------------------------------------------------------------

Configure = Callable[[argparse.ArgumentParser], object]


class Command:
    """One subcommand: what runs, what adds its arguments, its one-line help and the
    examples that end its ``--help``."""

    def __init__(self, run: Callable[[argparse.Namespace], int], configure: Configure,
                 help_text: str, examples: str) -> None:
        self.run, self.configure, self.help_text, self.examples = (
            run, configure, help_text, examples)


COMMANDS: dict[str, Command] = {}


def command(name: str, help_text: str, examples: str) -> Callable[[Callable[..., Any]],
                                                                 Callable[..., Any]]:
    """Register ``cmd_<name>``; ``configure`` (set by ``arguments``) adds the arguments,
    ``examples`` (one per line, ``$ lvzhi ...``, a ``#`` comment after) end its help."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        configure = getattr(func, "configure", lambda parser: None)
        COMMANDS[name] = Command(func, configure, help_text, examples)
        return func

    return decorate


def arguments(configure: Configure) -> Callable[..., Any]:
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func.configure = configure  # type: ignore[attr-defined]
        return func

    return decorate


TOWNSHIP_HELP = ("a township name such as 昭苏镇, county and township (昭苏县昭苏镇), "
                 "or the document's file name")
KINDS_HELP = "only these lists: basic, cooperative, reclaimed or 基, 配, 收 (comma-separated)"
ITEM_HELP = ("an item id (lvzhi search --json), or TOWNSHIP:LIST:SERIAL as listings print it: "
             "昭苏镇:收:2 or 昭苏镇:reclaimed:2")
STDOUT = Path("-")  # ``--csv`` without a file: to standard output


def _json_option(p: argparse._ActionsContainer) -> argparse.Action:
    return p.add_argument("--json", action="store_true",
                          help="print JSON for programs (exact text, all fields shown)")


def _listing_options(p: argparse.ArgumentParser) -> argparse._MutuallyExclusiveGroup:
    """``--json`` and ``--csv`` of a listing; without either a table on a terminal, plain
    tab-separated lines with a header when piped."""
    group = p.add_mutually_exclusive_group()
    _json_option(group)
    group.add_argument("--csv", action="store_true",
                       help="print CSV with a header line (cells a spreadsheet would run as a "
                            "formula get a ' first)")
    return group


def _print_report_line(extraction: Stored, version: Version | None = None) -> None:
    doc, report = extraction.document, extraction.report
    status = {"added": "[green]added[/]", "replaced": "[yellow]replaced[/]",
              "unchanged": "[dim]unchanged[/]"}.get(extraction.status, "")
    if report is None:  # the same bytes are in the store already: not read again
        console.print(f"{status} {shown(extraction.path.name)}: {shown(doc.place or '?')} "
                      f"{counts_label(doc.lists)} · already in the store")
        return
    trust = ("[green]conserved[/]" if not (report.lost or report.added)
             else f"[red]{report.lost_chars} lost, {report.added_chars} added chars[/]")
    console.print(f"{status} {shown(doc.source or extraction.path.name)}: "
                  f"{shown(doc.place or '?')} "
                  f"{counts_label(doc.lists)} · {trust}"
                  + (f" · [red]{plural(len(report.errors), 'bad row')}[/]" if report.errors else "")
                  + (f" · [yellow]{plural(len(report.to_review), 'row')} to review[/]"
                     if report.to_review else "")
                  + (f" · {plural(len(report.serial_problems), 'serial problem')}"
                     if report.serial_problems else "")
                  + (f" · [cyan]{version.label} of {shown(doc.township)}[/]"
                     if version is not None and version.of > 1 else ""))
    for warning in doc.warnings:
        console.print(f"    [dim]note:[/] {shown(warning)}")


def run_ingest(library: Library, registry: Registry, paths: list[Path], *,
               forced: str | None = None, plugin_dirs: list[Path] | None = None,
               quiet: bool = False, accept_untrusted: bool = False) -> int:
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), console=err_console, transient=True,
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
        err_console.print(f"[red]error:[/] {shown(failure)}")
    for other in result.not_lists:
        err_console.print(f"[dim]skipped {shown(other)}[/]")
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
    return run_ingest(_library(args), _registry(args), paths, forced=args.forced,
                      plugin_dirs=args.plugins_dir, quiet=args.quiet,
                      accept_untrusted=args.accept_untrusted)


@command("list", "townships in the store with rows per list", """\
  $ lvzhi list
  $ lvzhi list --csv > townships.csv""")
@arguments(lambda p: _listing_options(p))
def cmd_list(args: argparse.Namespace) -> int:
    from lvzhi.versions import group_versions, place_key

    library = _library(args)  # one line a township: its current version
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
             f"(store: {shown(_store(args).path)})")
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
    console.print(table)
    if several:
        console.print("[dim]a township with several versions shows its current one: "
                      "lvzhi versions TOWNSHIP lists them[/]")
    return 0


def _kinds(value: str | None) -> list[ListKind]:
    if not value:
        return list(ListKind)
    try:
        return [list_kind(v) for v in value.split(",")]
    except ValueError as exc:
        raise CommandError(f"unknown list kind {value!r}; use basic, cooperative, "
                           "reclaimed (or 基, 配, 收)") from exc


@command("show", "the items of one township", """\
  $ lvzhi show 昭苏镇
  $ lvzhi show 昭苏县昭苏镇 --list reclaimed --json""")
@arguments(lambda p: (
    p.add_argument("township", metavar="TOWNSHIP", help=TOWNSHIP_HELP),
    p.add_argument("--list", dest="kinds", metavar="KIND", help=KINDS_HELP),
    _listing_options(p),
))
def cmd_show(args: argparse.Namespace) -> int:
    library = _library(args)
    doc = library.township(args.township)  # one document, or an error naming the candidates
    items = list(library.items(doc.id, _kinds(args.kinds)))
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
    console.print(table)
    return 0


def _write_output_or_fail(path: Path, payload: bytes) -> None:
    try:
        write_output(path, payload)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _raw_cell(value: object) -> object:
    return value


def _raw_cells_option(p: argparse.ArgumentParser) -> argparse.Action:
    return p.add_argument("--raw-cells", action="store_true",
                   help="write CSV cells exactly (by default a cell a spreadsheet would run as "
                   "a formula, starting with = + - @, gets a ' first)")


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
    _raw_cells_option(p),
    p.add_argument("--all-versions", action="store_true",
                   help="every version of each township, not only its current one (see "
                        "lvzhi versions)"),
))
def cmd_export(args: argparse.Namespace) -> int:
    library, kinds = _library(args), _kinds(args.kinds)
    if args.output:
        try:
            library.export(args.fmt, args.output, township=args.township, kinds=kinds,
                           raw_cells=args.raw_cells, all_versions=args.all_versions)
        except OSError as exc:
            raise CommandError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
        err_console.print(f"wrote {shown(args.output)}")
    elif args.fmt == "xlsx":
        if stdout_is_terminal():
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
@arguments(lambda p: (_json_option(p),
                      p.add_argument("-v", "--verbose", action="store_true",
                                     help="print the traceback of each plugin that failed")))
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
    # Piped output has no width to keep to: don't fold the descriptions into 80 columns.
    out = console if console.is_terminal else Console(width=160, highlight=False, emoji=False)
    for e in extractors:
        table.add_row(shown(e["name"]), shown(e["version"]), shown(" ".join(e["extensions"])),
                      shown(e["plugin"]), shown(e["description"]))
    out.print(table)
    for f in registry.failures:
        err_console.print(f"[red]failed:[/] plugin {shown(f.plugin)}: {shown(f.error)}")
        if args.verbose:
            err_console.print(safe_display(f.detail, newlines=True), markup=False)
    return 0


def print_report(report: ExtractionReport) -> None:
    console.print(f"[bold]{shown(report.source)}[/] — {shown(report.township or '?')} "
                  f"(extractor {shown(report.extractor)}"
                  + (f", encoding {shown(report.encoding)}" if report.encoding else "") + ")")
    console.print("rows: " + ", ".join(f"{shown(k)} {v}" for k, v in report.rows.items()))
    for header in report.headers:
        where = Span(header["line"], page_first=header["page"]).describe()
        cells = " · ".join(f"{shown(printed)} → {shown(read or '(none)')}"
                           for printed, read in header["cells"])
        console.print(f"header {shown(header['list'])}"
                      + (f" ({where})" if where != "unknown" else "")
                      + f": {cells}")
    for serial_problem in report.serial_problems:
        console.print(f"[red]serials:[/] {shown(serial_problem)}")
    console.print(f"text conservation: {report.body_chars} body characters, "
                  f"{report.lost_chars} lost, {report.added_chars} added"
                  + (f" ({report.page_repeats} repeated after page breaks, not counted)"
                     if report.page_repeats else ""))
    for run in report.lost[:50]:
        where = Span(run.line, page_first=run.page).describe()
        console.print(f"  [red]lost[/] {where} ({shown(run.row or 'no row')}): "
                      f"{shown(run.text)}")
    for run in report.added[:50]:
        console.print(f"  [red]added[/] {shown(run.row)}: {shown(run.text)}")
    for problem in report.suspicious[:100]:
        label = "[red]error[/]" if problem.severity == "error" else "[yellow]review[/]"
        where = Span(problem.line, page_first=problem.page).describe()
        console.print(f"  {label} {shown(problem.list)} {shown(problem.serial)}"
                      + (f" ({where})" if where != "unknown" else "")
                      + f": {shown(problem.problem)}")
    for warning in report.warnings:
        console.print(f"  [dim]note:[/] {shown(warning)}")


def print_verdict(report: ExtractionReport) -> None:
    """The first line of ``lvzhi check``: whether the extraction can be trusted."""
    if report.trustworthy:
        console.print("[green]trustworthy[/]: every row found, every character placed"
                      + (f"; {plural(len(report.to_review), 'row')} to review"
                         if report.to_review else ""))
    else:
        console.print("[red]not trustworthy[/]: see the problems below"
                      + (f" ({escape(report.advice)})" if report.advice else ""))


@command("check", "extract a file without storing it and print the extraction report", """\
  $ lvzhi check 昭苏镇.pdf            # the verdict first, then every problem found
  $ lvzhi check list.txt --format plaintext --json""")
@arguments(lambda p: (
    p.add_argument("file", type=Path, metavar="FILE", help="the document to read"),
    p.add_argument("--format", dest="forced", metavar="NAME",
                   help="use this extractor instead of guessing (see lvzhi plugins)"),
    _json_option(p),
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
        print_verdict(report)
        print_report(report)
    return 0 if report.trustworthy else 1


@command("store", "where the store is and what it holds; move an unusable one aside", """\
  $ lvzhi store                       # its path, size and counts
  $ lvzhi store --move-aside          # after an error saying the store cannot be read""")
@arguments(lambda p: (p.add_argument("--move-aside", action="store_true",
                                     help="rename the store and its item files to <name>.broken-N"),
                      _json_option(p)))
def cmd_store(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.move_aside:
        if not store.exists():
            raise CommandError(f"there is no store at {store.path}")
        target = store.move_aside()
        console.print(f"moved {shown(store.path)} to {shown(target)}; the next ingest starts "
                      "a new store")
        return 0
    docs = store.documents()
    from lvzhi.versions import current_ids

    info = {"path": str(store.path), "exists": store.exists(), "schema": SCHEMA_VERSION,
            "documents": len(docs), "townships": len(current_ids(docs)),
            "items": sum(sum(d.lists.values()) for d in docs),
            "bytes": store.path.stat().st_size if store.exists() else 0,
            "items_dir": str(store.items_dir),
            "item_bytes": sum(f.stat().st_size for f in store.items_dir.glob("*.json"))}
    if args.json:
        emit_json(info)
    else:
        for key, value in info.items():
            console.print(f"{key:>9}: {shown(value)}")
    return 0


# --- search and matching -----------------------------------------------------------------
# lvzhi.search and lvzhi.matching are imported inside the commands: pypinyin and the
# indexes are not needed by any other command. Their indexes are cached beside the store.

def item_row(item: Row, score: float | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"id": item.id, "township": item.township, "list": str(item.list),
                           "serial": item.serial, "name": item.name}
    if score is not None:
        row["score"] = score
    return row


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
    _listing_options(p),
))
def cmd_search(args: argparse.Namespace) -> int:
    if not args.query.strip():
        raise CommandError("the query is empty")
    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    library = _library(args)
    library.require_rows()
    kinds = _kinds(args.kinds) if args.kinds else None
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
    console.print(table)
    return 0


@command("matches", "every matter found in two or more townships, with its members", """\
  $ lvzhi matches --why | less
  $ lvzhi matches --csv > matters.csv""")
@arguments(lambda p: (
    p.add_argument("--why", action="store_true",
                   help="say why each member is in its matter (against the label's item)"),
    _listing_options(p),
))
def cmd_matches(args: argparse.Namespace) -> int:
    library = _library(args)
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
    for m in matters:
        console.print(f"[bold]{shown(m.label)}[/] [dim]{m.id} · {len(m.members)} townships[/]")
        for c in m.members:
            console.print(f"  {shown(c.item.township)} {c.item.list.short}{c.item.serial} "
                          f"[dim]{c.score:.0f}[/] {shown(c.item.name)}"
                          + (f"  [dim]{shown(why(m, c))}[/]" if args.why else ""))
    console.print(plural(len(matters), "matter"))
    return 0


@command("counterparts", "the same matter in other townships, and in which list", """\
  $ lvzhi counterparts 昭苏镇:收:2      # the 2nd item of 昭苏镇's reclaimed list
  $ lvzhi counterparts 昭苏镇:reclaimed:2 --json""")
@arguments(lambda p: (
    p.add_argument("item", metavar="ITEM", help=ITEM_HELP),
    _listing_options(p),
))
def cmd_counterparts(args: argparse.Namespace) -> int:
    library = _library(args)
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
    console.print(f"[bold]{shown(item.township)} {item.list.label} {item.serial}[/] "
                  f"{shown(item.name)}")
    if not found:
        console.print("no other township has this matter")
        return 0
    table = Table("score", "township", "list", "#", "name", "why", box=None,
                  header_style="bold")
    for c in found:
        table.add_row(f"{c.score:.0f}", shown(c.item.township), c.item.list.label,
                      str(c.item.serial), shown(c.item.name), f"[dim]{shown(c.why)}[/]")
    console.print(table)
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
    _json_option(p),
))
def cmd_compare(args: argparse.Namespace) -> int:
    library = _library(args)
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
    console.print(f"[bold]{shown(a.place)}[/] ⇄ [bold]{shown(b.place)}[/]")
    console.print(f"same matter, same list: {len(result.both)} · in different lists: "
                  f"{len(result.different_lists)} · only in {shown(a.township)}: "
                  f"{len(result.only_a)} · only in {shown(b.township)}: {len(result.only_b)}")
    for title, pairs in (("same matter, same list", result.both),
                         ("same matter, different lists", result.different_lists)):
        if pairs:
            console.print(f"\n[bold]{title}[/]")
        for x, y, _ in pairs:
            if x.name == y.name:  # worded alike: the name once
                console.print(f"  {x.list.short}{x.serial} ⇄ {y.list.short}{y.serial} "
                              f"{shown(x.name)}")
            else:
                console.print(f"  {x.list.short}{x.serial} {shown(x.name)}  ⇄  "
                              f"{y.list.short}{y.serial} {shown(y.name)}")
    for title, part in ((f"only in {shown(a.township)}", result.only_a),
                        (f"only in {shown(b.township)}", result.only_b)):
        if part:
            console.print(f"\n[bold]{title}[/]")
            for i in part:
                console.print(f"  {i.list.short}{i.serial} {shown(i.name)}")
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
    _json_option(p),
    _raw_cells_option(p),
))
def cmd_coverage(args: argparse.Namespace) -> int:
    library = _library(args)
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
        cell = _raw_cell if args.raw_cells else safe_cell
        writer.writerow(["matter", "label",
                         *(cell(f"{docs[t].county}{docs[t].township}") for t in townships)])
        for matter, cells in rows:
            writer.writerow([matter.id, cell(matter.label),
                             *(str(cells[t]) if t in cells else "" for t in townships)])
        if args.csv == STDOUT:
            write_stdout(buffer.getvalue().encode("utf-8"))
        else:
            _write_output_or_fail(args.csv, buffer.getvalue().encode("utf-8-sig"))  # BOM: Excel
            err_console.print(f"wrote {shown(args.csv)} ({plural(len(rows), 'matter')} × "
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
        if not _grid_fits(console.width, [docs[t].township for t in townships]):
            _coverage_summary(rows, len(townships))
            return 0
        table = Table("matter", *(shown(docs[t].township) for t in townships), box=None,
                      header_style="bold")
        for matter, cells in rows:
            table.add_row(shown(matter.label), *(cells[t].short if t in cells else "·"
                                          for t in townships))
        console.print(table)
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
    console.print(table)
    console.print(f"{plural(len(rows), 'matter')} × {plural(townships, 'township')}: too "
                  f"many townships for {console.width} columns, so townships are counted "
                  "per list. The whole grid: lvzhi coverage --xlsx -o FILE, --csv FILE, "
                  "--json, or piped (tab-separated).")


def _coverage_xlsx(args: argparse.Namespace, library: Library) -> int:
    if args.output:
        try:
            matters, townships = library.coverage_workbook(args.output)
        except OSError as exc:
            raise CommandError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
        err_console.print(f"wrote {shown(args.output)} ({plural(matters, 'matter')} × "
                          f"{plural(townships, 'township')})")
        return 0
    if stdout_is_terminal():
        raise CommandError("an xlsx workbook is a binary file: name it with -o FILE")
    with tempfile.TemporaryFile() as workbook:  # as lvzhi export: a reader may stop early
        library.coverage_workbook(workbook)
        workbook.seek(0)
        shutil.copyfileobj(workbook, sys.stdout.buffer)
    return 0


# --- departments and audits ---------------------------------------------------------------
# lvzhi.department_view folds department names (lvzhi.departments); lvzhi.audit holds a
# township's lists against its peers.

ROWS_SHOWN = 5  # rows printed under one finding of an audit on a terminal


@command("departments", "county-level departments: rows each leads or took back, and where",
         """\
  $ lvzhi departments                   # 县人社局, 人社局 … counted as one department
  $ lvzhi departments --json | jq '.[0]'""")
@arguments(lambda p: _listing_options(p))
def cmd_departments(args: argparse.Namespace) -> int:
    found = _library(args).departments()
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
    console.print(table)
    console.print(f"{plural(len(found), 'department')} · lvzhi department NAME for one")
    return 0


@command("department", "one department's cooperative and reclaimed rows, by township", """\
  $ lvzhi department 人社局              # also 县人社局, 人力资源和社会保障局 or the key 人社
  $ lvzhi department 市监局 --list 收 --json""")
@arguments(lambda p: (
    p.add_argument("name", metavar="NAME",
                   help="a department as printed (县人社局) or its key (人社, lvzhi departments)"),
    p.add_argument("--list", dest="kinds", metavar="KIND",
                   help="only these lists: cooperative, reclaimed (or 配, 收)"),
    _listing_options(p),
))
def cmd_department(args: argparse.Namespace) -> int:
    view = _library(args).department(args.name)
    kinds = set(_kinds(args.kinds))
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
    console.print(f"[bold]{shown(summary.label)}[/] [dim]({shown(summary.key)}; printed as "
                  f"{shown('、'.join(summary.spellings))})[/]")
    console.print(f"{ListKind.COOPERATIVE.label} {summary.cooperative} · "
                  f"{ListKind.RECLAIMED.label} {summary.reclaimed} · "
                  f"{plural(summary.townships, 'township')} · 主: named first (its lead)")
    for doc, rows in groups:
        console.print(f"\n[bold]{shown(doc.county)} {shown(doc.township)}[/] "
                      f"[dim]{plural(len(rows), 'row')}[/]")
        for r in rows:
            console.print(f"  {r.row.list.short}{r.row.serial:<4}{'主' if r.lead else '  '} "
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
    _listing_options(p),
))
def cmd_audit(args: argparse.Namespace) -> int:
    from lvzhi.audit import KIND_TITLES, KINDS

    result = _library(args).audit(args.township, args.peers)
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
    console.print(f"[bold]{shown(doc.place)}[/] against {plural(len(result.peers), 'peer')} "
                  f"({result.scope}){': ' + shown(peers) if peers else ''}")
    console.print(result.counts_line())
    for kind in KINDS:
        findings = result.of_kind(kind)
        if not findings:
            continue
        console.print(f"\n[bold]{KIND_TITLES[kind]}[/] [dim]({len(findings)})[/]")
        for f in findings:
            console.print(f"  {shown(f.title)}  [dim]{shown(f.detail)}[/]")
            for r in f.rows[:ROWS_SHOWN]:
                console.print(f"    [dim]{shown(r.township)} {r.list.short}{r.serial}[/] "
                              f"{shown(r.name)}")
            if len(f.rows) > ROWS_SHOWN:
                console.print(f"    [dim]… and {len(f.rows) - ROWS_SHOWN} more[/]")
    return 0


# --- corrections: a person's links and unlinks ------------------------------------------
# Kept in the store (lvzhi.corrections); the matcher applies them over what it found.

def _correct(args: argparse.Namespace, same: bool) -> int:
    library = _library(args)
    a, b = library.correct(args.item_a, args.item_b, same)
    matter = library.matter_of(a)
    together = matter is not None and any(m.item.id == b.id for m in matter.members)
    if args.json:
        emit_json({"a": item_row(a), "b": item_row(b), "same": same,
                   "matter": matter.id if matter else None, "together": together})
        return 0
    verb = "linked" if same else "unlinked"
    console.print(f"{verb}: {a.township} {a.list.short}{a.serial} {a.name[:30]}  ⇄  "
                  f"{b.township} {b.list.short}{b.serial} {b.name[:30]}")
    console.print(f"[dim]now {'in one matter' if together else 'in different matters'}"
                  f"{f' ({matter.label})' if together and matter else ''}[/]")
    return 0


def _pair_arguments(p: argparse.ArgumentParser) -> None:
    for name in ("item_a", "item_b"):
        p.add_argument(name, metavar="ITEM", help=ITEM_HELP)
    _json_option(p)


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
    _json_option(p),
))
def cmd_corrections(args: argparse.Namespace) -> int:
    from lvzhi import corrections

    store = _store(args)
    if args.action in ("export", "import") and args.file is None:
        raise CommandError(f"lvzhi corrections {args.action} needs a FILE")
    if args.action == "export":
        count = corrections.export(store.path, args.file)
        err_console.print(f"wrote {shown(args.file)} ({plural(count, 'correction')})")
        return 0
    if args.action == "import":
        read, now = corrections.import_file(store.path, args.file)
        err_console.print(f"read {plural(read, 'correction')} from {shown(args.file)}; "
                          f"the store has {now}")
        return 0
    found = corrections.load(store.path)
    if args.json:
        emit_json([c.to_dict() for c in found])
        return 0
    for c in found:
        console.print(f"{'link  ' if c.same else 'unlink'} {c.a.label()}  ⇄  {c.b.label()} "
                      f"[dim]{c.at}[/]")
    console.print(plural(len(found), "correction"))
    return 0


# --- versions: several documents of one township ----------------------------------------

@command("versions", "the versions of a township (its documents, oldest first) and which is "
         "current", """\
  $ lvzhi versions 昭苏镇
  $ lvzhi versions 昭苏镇 --json | jq '.[] | select(.current) | .source'""")
@arguments(lambda p: (
    p.add_argument("township", metavar="TOWNSHIP", help=TOWNSHIP_HELP),
    _listing_options(p),
))
def cmd_versions(args: argparse.Namespace) -> int:
    from lvzhi.versions import date_label

    versions = _library(args).versions(args.township)
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
    console.print(f"[bold]{shown(doc.township or doc.source)}[/] {shown(doc.place)} · "
                  f"{plural(len(versions), 'version')}, the newest current (by the date "
                  "printed in each, else when it was ingested)")
    table = Table("#", "", "dated", "ingested", "rows", "source", "id", box=None,
                  header_style="bold")
    for v in versions:
        table.add_row(str(v.number), "[green]current[/]" if v.current else "",
                      date_label(v.dated), v.document.ingested_at[:16].replace("T", " "),
                      counts_label(v.document.lists), shown(v.document.source),
                      v.document.id[:12])
    console.print(table)
    if len(versions) > 1:
        console.print(f"[dim]lvzhi diff {shown(doc.township)} shows what changed; "
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
    _json_option(p),
))
def cmd_diff(args: argparse.Namespace) -> int:
    from lvzhi.versions import date_label, diff_runs

    diff = _library(args).diff(args.township, args.old, args.new)
    if args.json:
        emit_json(diff.to_dict())
        return 0
    old, new = diff.old, diff.new
    console.print(f"[bold]{shown(new.document.township)}[/] "
                  f"{shown(new.document.prefecture)} {shown(new.document.county)}")
    for sign, v in (("-", old), ("+", new)):
        console.print(f"{sign} version {v.number}{' (current)' if v.current else ''}: "
                      f"{shown(v.document.source)} [dim]{date_label(v.dated) or 'undated'} · "
                      f"ingested {v.document.ingested_at[:16].replace('T', ' ')} · "
                      f"{v.document.id[:12]}[/]")
    console.print(diff.summary())
    for kind in ("added", "removed", "moved", "reworded"):
        changes = diff.of_kind(kind)
        if not changes:
            continue
        console.print(f"\n[bold]{kind}[/]")
        for c in changes:
            where = " → ".join(f"{i.list.short}{i.serial}" for i in (c.old, c.new) if i)
            console.print(f"  {where} {shown(c.item.name)}")
            for f in c.fields:
                before, after = diff_runs(f)
                console.print(f"    [dim]{shown(f.label)}[/]")
                console.print("      - " + (_marked(before, "bold red", "[-", "-]")
                                              or "[dim](empty)[/]"))
                console.print("      + " + (_marked(after, "bold green", "{+", "+}")
                                              or "[dim](empty)[/]"))
    return 0


# --- the explorer ------------------------------------------------------------------------

def move_aside_hint(args: argparse.Namespace) -> str:
    db = f" --db {args.db}" if args.db else ""
    return f"  (move it aside with: lvzhi{db} store --move-aside)"


def offer_move_aside(store: Store, error: StoreError, hint: str) -> bool:
    """An unusable store blocks the explorer: offer to move it aside (never delete it)."""
    err_console.print(f"[red]error:[/] {shown(error)}")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        err_console.print(shown(hint))
        return False
    answer = console.input(f"Move {shown(store.path.name)} aside and start a new store? "
                           "\\[y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        return False
    console.print(f"moved to {shown(store.move_aside())}")
    return True


def open_explorer(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        read_raw(store.path)  # fail before the screen opens, not inside it
    except StoreError as exc:
        if not offer_move_aside(store, exc, move_aside_hint(args)):
            return 1
    from lvzhi.tui.app import run  # textual is imported only here

    return run(store_path=store.path, plugin_dirs=args.plugins_dir, samples_dir=samples_dir())


# --- entry point -------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lvzhi", description="Read, search and compare township duty lists (履职事项清单). "
        "Without a command, open the explorer.", epilog=MAIN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"lvzhi {__version__}",
                        help="print the version and exit")
    parser.add_argument("--db", type=Path, default=None, metavar="FILE",
                        help="the store file (default: $LVZHI_DB, else the user data folder; "
                        "lvzhi store prints the path in use)")
    parser.add_argument("--plugins-dir", type=Path, action="append", default=[],
                        metavar="DIR", help="load extractor plugins from this folder too "
                        "(its *.py files run as code with your rights, also in each ingest "
                        "worker process: only name folders you trust)")
    parser.add_argument("--completion", choices=SHELLS, metavar="SHELL",
                        help="print a completion script for bash or zsh and exit, e.g. "
                        "eval \"$(lvzhi --completion bash)\"")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, cmd in COMMANDS.items():
        cmd.configure(sub.add_parser(
            name, help=cmd.help_text, description=cmd.help_text,
            epilog="examples:\n" + cmd.examples,
            formatter_class=argparse.RawDescriptionHelpFormatter))
    return parser


MAIN_EXAMPLES = """\
examples:
  $ lvzhi                                # open the explorer
  $ lvzhi ingest --samples && lvzhi search 工伤
  $ lvzhi COMMAND --help                 # each command's options and examples"""


# --- shell completion --------------------------------------------------------------------
# Generated from the parser, so it never drifts from the commands: words to complete only
# (commands, options, fixed choices); file arguments fall back to the shell's file names.

SHELLS = ("bash", "zsh")


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return sorted(o for a in parser._actions for o in a.option_strings if o.startswith("--"))


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _choices(parser: argparse.ArgumentParser) -> list[str]:
    """Fixed words a command's positional arguments take (``corrections list``)."""
    return [str(c) for a in parser._actions if not a.option_strings and a.choices
            and not isinstance(a, argparse._SubParsersAction) for c in a.choices]


def _option_values(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """The options of ``parser`` that take a value, each with the words it takes (none:
    complete a file name)."""
    values: dict[str, list[str]] = {}
    for action in parser._actions:
        if not action.option_strings or action.nargs == 0:
            continue
        words = ([str(c) for c in action.choices] if action.choices
                 else [str(k) for k in ListKind] if action.dest == "kinds" else [])
        for option in action.option_strings:
            values[option] = words
    return values


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    commands = _subparsers(parser)
    cases = "".join(
        f"    {name}) words=\"{' '.join(_choices(sub) + _options(sub))}\" ;;\n"
        for name, sub in commands.items())
    values = "".join(
        f"    \"{name} {option}\") words=\"{' '.join(words)}\" ;;\n"
        for name, sub in [("", parser), *commands.items()]
        for option, words in _option_values(sub).items())
    top = " ".join([*commands, *_options(parser)])
    top_valued = "|".join(_option_values(parser))
    body = (
        "_lvzhi() {\n"
        "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
        "  local cmd=\"\" words=\"-\" i\n"
        "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
        "    case \"${COMP_WORDS[i]}\" in\n"
        f"      {top_valued}) ((i++)) ;;\n"
        "      -*) ;;\n"
        "      *) cmd=\"${COMP_WORDS[i]}\"; break ;;\n"
        "    esac\n"
        "  done\n"
        "  case \"$cmd $prev\" in  # the value of an option\n"
        f"{values}"
        "  esac\n"
        "  if [[ $words == \"-\" ]]; then\n"
        "    case \"$cmd\" in\n"
        f"      \"\") words=\"{top}\" ;;\n"
        + cases.replace("    ", "      ", 1).replace("\n    ", "\n      ") +
        "    esac\n"
        "  fi\n"
        "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
        "  if [[ ${#COMPREPLY[@]} -eq 0 ]]; then COMPREPLY=($(compgen -f -- \"$cur\")); fi\n"
        "}\n")
    if shell == "zsh":  # zsh runs the bash function through its bashcompinit layer
        return ("# lvzhi completion for zsh: eval \"$(lvzhi --completion zsh)\"\n"
                "autoload -U +X bashcompinit && bashcompinit\n" + body
                + "complete -o default -F _lvzhi lvzhi\n")
    return ("# lvzhi completion for bash: eval \"$(lvzhi --completion bash)\"\n" + body
            + "complete -o default -F _lvzhi lvzhi\n")


def _make_consoles() -> None:
    """Fresh consoles for each run: Rich fixes its colour system when a Console is made, and
    what stdout/stderr are (a terminal, a pipe, a test's capture) can change between runs."""
    global console, err_console
    console = Console(highlight=False, soft_wrap=True, emoji=False)
    err_console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def main(argv: list[str] | None = None) -> int:
    _make_consoles()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.completion:
            write_stdout(completion_script(parser, args.completion).encode("utf-8"))
            return 0
        if args.command is None:
            return open_explorer(args)
        func = COMMANDS[args.command].run
        if argv is None:  # the program itself, not a test calling main(): own the signals
            interrupt_on_signals()
        return func(args)
    except (CommandError, LibraryError, StoreError, IngestError) as exc:
        err_console.print(f"[red]error:[/] {shown(exc)}")
        if isinstance(exc, StoreError):
            err_console.print(shown(move_aside_hint(args)))
        return 1
    except KeyboardInterrupt as exc:
        # One line, whatever was running: an ingest stopped its workers and stored nothing.
        name = f" ({exc})" if isinstance(exc, Interrupted) else ""
        err_console.print(f"interrupted{name}: stopped; the store is as it was")
        return 128 + exc.signum if isinstance(exc, Interrupted) else 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
