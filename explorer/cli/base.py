"""What every command shares: the consoles, output for people and for programs, the
command registry and the options several commands take."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.markup import escape

from lvzhi.export import write_output
from lvzhi.library import Library, list_kind
from lvzhi.model import ListKind, Row
from lvzhi.plugins import PluginError, Registry, load_plugins
from lvzhi.store import Store
from lvzhi.text import safe_cell, safe_display

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


def registry_of(args: argparse.Namespace) -> Registry:
    try:
        return load_plugins(args.plugins_dir)
    except PluginError as exc:
        raise CommandError(str(exc)) from exc


def store_of(args: argparse.Namespace) -> Store:
    return Store(args.db)


def library_of(args: argparse.Namespace) -> Library:
    """The store as the library that searches, matches and exports it."""
    return Library(store_of(args))


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


def json_option(p: argparse._ActionsContainer) -> argparse.Action:
    return p.add_argument("--json", action="store_true",
                          help="print JSON for programs (exact text, all fields shown)")


def listing_options(p: argparse.ArgumentParser) -> argparse._MutuallyExclusiveGroup:
    """``--json`` and ``--csv`` of a listing; without either a table on a terminal, plain
    tab-separated lines with a header when piped."""
    group = p.add_mutually_exclusive_group()
    json_option(group)
    group.add_argument("--csv", action="store_true",
                       help="print CSV with a header line (cells a spreadsheet would run as a "
                            "formula get a ' first)")
    return group


# --- what several commands use ------------------------------------------------------

def parse_kinds(value: str | None) -> list[ListKind]:
    if not value:
        return list(ListKind)
    try:
        return [list_kind(v) for v in value.split(",")]
    except ValueError as exc:
        raise CommandError(f"unknown list kind {value!r}; use basic, cooperative, "
                           "reclaimed (or 基, 配, 收)") from exc

def write_output_or_fail(path: Path, payload: bytes) -> None:
    try:
        write_output(path, payload)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from exc

def raw_cell(value: object) -> object:
    return value

def raw_cells_option(p: argparse.ArgumentParser) -> argparse.Action:
    return p.add_argument("--raw-cells", action="store_true",
                   help="write CSV cells exactly (by default a cell a spreadsheet would run as "
                   "a formula, starting with = + - @, gets a ' first)")

def item_row(item: Row, score: float | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"id": item.id, "township": item.township, "list": str(item.list),
                           "serial": item.serial, "name": item.name}
    if score is not None:
        row["score"] = score
    return row
