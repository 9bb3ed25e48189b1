"""The parser itself: help on every argument, examples on every command, no environment
values in --help, and the shell completion generated from it."""

from __future__ import annotations

import argparse
import shutil
import subprocess

import pytest

from lvzhi.cli import COMMANDS, build_parser, completion_script, main


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_every_argument_and_option_of_every_command_has_help():
    parser = build_parser()
    missing = [f"{name or 'lvzhi'} {a.dest}"
               for name, p in [("", parser), *subparsers(parser).items()]
               for a in p._actions
               if not isinstance(a, argparse._SubParsersAction)
               and (not a.help or a.help == argparse.SUPPRESS)]
    assert missing == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_help_ends_with_examples(name, capsys):
    with pytest.raises(SystemExit):
        main([name, "--help"])
    out = capsys.readouterr().out
    examples = out.rsplit("examples:\n", 1)[1].splitlines()
    assert 1 <= len(examples) <= 2
    assert all(line.startswith("  $ lvzhi ") and f" {name}" in line for line in examples)


def test_main_help_does_not_print_the_store_path_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("LVZHI_DB", "/secret/place/store.json")
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "/secret/place" not in out
    assert "default: $LVZHI_DB, else the user data folder" in out
    assert out.rstrip().endswith("each command's options and examples")


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_script_names_every_command_and_option(shell, capsys):
    assert main(["--completion", shell]) == 0
    script = capsys.readouterr().out
    parser = build_parser()
    for name, sub in subparsers(parser).items():
        assert f"    {name}) words=" in script
        for option in (o for a in sub._actions for o in a.option_strings if o.startswith("--")):
            assert option in script.split(f"    {name}) words=", 1)[1].split("\n", 1)[0]
    assert "export import" in script  # fixed words of `corrections`
    assert "complete -o default -F _lvzhi lvzhi" in script
    if shell == "zsh":
        assert "bashcompinit" in script


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(("words", "expected"), [
    (["lvzhi", "sea"], ["search"]),
    (["lvzhi", "--db", "x.json", "co"], ["compare", "corrections", "counterparts", "coverage"]),
    (["lvzhi", "search", "工伤", "--li"], ["--limit", "--list"]),
    (["lvzhi", "corrections", "ex"], ["export"]),
    (["lvzhi", "export", "--format", "j"], ["json", "jsonl"]),
    (["lvzhi", "search", "x", "--list", "re"], ["reclaimed"]),
    (["lvzhi", "--completion", "z"], ["zsh"]),
])
def test_bash_completion_completes(words, expected):
    script = completion_script(build_parser(), "bash")
    words_array = " ".join(f"'{w}'" for w in words)
    probe = (f"{script}\nCOMP_WORDS=({words_array}); COMP_CWORD={len(words) - 1}; _lvzhi; "
             'printf "%s\\n" "${COMPREPLY[@]}"')
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    assert sorted(done.stdout.split()) == expected
