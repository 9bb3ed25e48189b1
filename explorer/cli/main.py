"""The entry point: the parser built from the registered commands, shell completion, the
explorer when no command is given."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from lvzhi import __version__
from lvzhi.cli import base, documents, matters, views  # noqa: F401  (they register their commands)
from lvzhi.cli.base import (
    COMMANDS,
    CommandError,
    shown,
    store_of,
    write_stdout,
)
from lvzhi.ingest import (
    IngestError,
    Interrupted,
    interrupt_on_signals,
)
from lvzhi.library import LibraryError
from lvzhi.model import ListKind
from lvzhi.resources import samples_dir
from lvzhi.store import (
    Store,
    StoreError,
    read_raw,
)

# --- the explorer ------------------------------------------------------------------------

def move_aside_hint(args: argparse.Namespace) -> str:
    db = f" --db {args.db}" if args.db else ""
    return f"  (move it aside with: lvzhi{db} store --move-aside)"


def offer_move_aside(store: Store, error: StoreError, hint: str) -> bool:
    """An unusable store blocks the explorer: offer to move it aside (never delete it)."""
    base.err_console.print(f"[red]error:[/] {shown(error)}")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        base.err_console.print(shown(hint))
        return False
    answer = base.console.input(f"Move {shown(store.path.name)} aside and start a new store? "
                                "\\[y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        return False
    base.console.print(f"moved to {shown(store.move_aside())}")
    return True


def open_explorer(args: argparse.Namespace) -> int:
    store = store_of(args)
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
    base.console = Console(highlight=False, soft_wrap=True, emoji=False)
    base.err_console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


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
        base.err_console.print(f"[red]error:[/] {shown(exc)}")
        if isinstance(exc, StoreError):
            base.err_console.print(shown(move_aside_hint(args)))
        return 1
    except KeyboardInterrupt as exc:
        # One line, whatever was running. An ingest stopped its workers; the batches it had
        # committed are kept whole, and the same command run again goes on from there.
        name = f" ({exc})" if isinstance(exc, Interrupted) else ""
        ingesting = getattr(args, "command", None) == "ingest"
        base.err_console.print(f"interrupted{name}: stopped" + (
            "; what was stored before is kept whole: run it again to go on" if ingesting
            else ""))
        return 128 + exc.signum if isinstance(exc, Interrupted) else 130
    except BrokenPipeError:
        return 0
