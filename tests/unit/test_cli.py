"""Every command of the foundation: output, --json, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest


@pytest.fixture
def run(run_cli):
    return run_cli


@pytest.fixture
def filled(run, csv_list):
    a = csv_list("a.csv")
    b = csv_list("b.csv", township="昭苏镇", county="昭苏县", rows=2)
    assert run("ingest", str(a), str(b))[0] == 0
    return a, b


def test_ingest_prints_township_rows_and_trust(run, csv_list):
    code, out, _ = run("ingest", str(csv_list()))
    assert code == 0
    assert "托格拉克乡" in out and "基3 配0 收1" in out and "conserved" in out


def test_ingest_a_folder_skips_unclaimed_files(run, csv_list, tmp_path):
    csv_list("a.csv")
    (tmp_path / "notes.xyz").write_text("not a list", encoding="utf-8")
    code, out, _ = run("ingest", str(tmp_path))
    assert code == 0 and "a.csv" in out


def test_ingest_reports_each_bad_file_and_exits_non_zero(run, csv_list, tmp_path):
    bad = tmp_path / "bad.xyz"
    bad.write_text("hello", encoding="utf-8")
    code, out, err = run("ingest", str(csv_list()), str(bad), str(tmp_path / "missing.csv"))
    assert code == 1
    assert "托格拉克乡" in out
    assert "bad.xyz: unknown format .xyz" in err and "--format" in err and "markdown" in err
    assert "missing.csv: no such file" in err


def test_ingest_with_an_unknown_forced_format(run, csv_list):
    code, _, err = run("ingest", "--format", "nope", str(csv_list()))
    assert code == 1 and "no extractor named 'nope'" in err


def test_list(run, filled):
    code, out, _ = run("list")
    assert code == 0 and "昭苏镇" in out and "托格拉克乡" in out
    code, out, _ = run("list", "--json")
    rows = json.loads(out)
    assert {r["township"] for r in rows} == {"昭苏镇", "托格拉克乡"}
    assert {r["township"]: r["lists"] for r in rows}["昭苏镇"] == {"basic": 2, "reclaimed": 1}


def test_list_on_an_empty_store(run, terminal):
    code, out, _ = run("list")
    assert code == 0 and "empty" in out


def test_list_on_an_empty_store_piped(run):
    code, out, err = run("list")
    assert code == 0 and "empty" in err
    assert out == "prefecture\tcounty\ttownship\tbasic\tcooperative\treclaimed\tsource\tid\n"


def test_show(run, filled):
    code, out, _ = run("show", "昭苏镇")
    assert code == 0 and "第2项基本事项" in out and "第3项基本事项" not in out
    code, out, _ = run("show", "托格拉克乡", "--list", "reclaimed", "--json")
    [item] = json.loads(out)
    assert (item["name"], item["receiver"], item["list"]) == ("工伤认定调查", "市人社局",
                                                              "reclaimed")


def test_show_errors(run, filled):
    assert run("show", "不存在乡")[0] == 1
    code, _, err = run("show", "昭苏镇", "--list", "weird")
    assert code == 1 and "unknown list kind" in err


def test_export_jsonl_json_csv(run, filled, tmp_path):
    code, out, _ = run("export", "--format", "jsonl")
    items = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(items) == 7
    expected = {"id", "doc_id", "source", "prefecture", "county", "township", "list", "serial",
                "category", "name", "departments", "upper_duties", "township_duties",
                "receiver", "span"}
    assert expected <= set(items[0])
    assert items[0]["id"] == f"{items[0]['doc_id']}:{items[0]['list']}:{items[0]['serial']}"
    code, out, _ = run("export", "--format", "json", "--township", "昭苏镇")
    assert len(json.loads(out)) == 3
    target = tmp_path / "out.csv"
    code, _, _ = run("export", "--format", "csv", "-o", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert code == 0 and len(rows) == 7 and rows[0]["township"]


def test_plugins(run):
    code, out, _ = run("plugins")
    assert code == 0
    for name in ("plaintext", "markdown", "tsv", "pdf", "csv"):
        assert name in out
    code, out, _ = run("plugins", "--json")
    data = json.loads(out)
    assert {e["name"] for e in data["extractors"]} >= {"plaintext", "markdown", "tsv", "pdf",
                                                       "csv"}
    assert data["failures"] == []


def test_plugins_shows_failures(run):
    broken = Path(__file__).parents[1] / "plugins" / "broken"
    _, out, _ = run("--plugins-dir", str(broken), "plugins", "--json")
    assert json.loads(out)["failures"][0]["plugin"] == "broken/broken_import.py"


def test_check(run, csv_list):
    code, out, _ = run("check", str(csv_list()))
    assert code == 0 and "trustworthy" in out and "0 lost" in out
    code, out, _ = run("check", "--json", str(csv_list()))
    report = json.loads(out)
    assert report["rows"] == {"basic": 3, "cooperative": 0, "reclaimed": 1}
    assert report["lost_chars"] == 0 and report["trustworthy"] is True


def test_check_flags_a_suspicious_file(run, tmp_path):
    doc = tmp_path / "gap.csv"
    doc.write_text("某县某乡基本履职事项清单\n序号,事项类别,事项名称\n1,党的建设,甲\n3,奇怪类别,乙\n",
                   encoding="utf-8")
    code, out, _ = run("check", str(doc))
    assert code == 1
    assert "serial missing: 2" in out  # 奇怪类别 is a category: the vocabulary is open
    assert out.splitlines()[0].startswith("not trustworthy")  # the verdict first


def test_check_says_its_verdict_first(run, csv_list):
    code, out, _ = run("check", str(csv_list()))
    assert code == 0 and out.splitlines()[0].startswith("trustworthy: every row found")


def test_counts_are_singular_for_one(run, tmp_path):
    from lvzhi.cli import plural

    assert (plural(1, "row"), plural(2, "row"), plural(0, "matter")) == (
        "1 row", "2 rows", "0 matters")
    code, _, err = run("corrections", "export", str(tmp_path / "c.json"))
    assert code == 0 and "(0 corrections)" in err


def test_check_a_missing_file(run, tmp_path):
    code, _, err = run("check", str(tmp_path / "nope.txt"))
    assert code == 1 and "no such file" in err


def test_store_command_and_move_aside(run, store_path):
    store_path.write_text("{broken", encoding="utf-8")
    code, _, err = run("list")
    assert code == 1 and "corrupt" in err and str(store_path) in err and "move-aside" in err
    code, out, _ = run("store", "--move-aside")
    assert code == 0 and "broken-1" in out
    assert run("list")[0] == 0


GAP_LIST = "某县某乡基本履职事项清单\n序号,事项类别,事项名称\n1,党的建设,甲\n3,奇怪类别,乙\n"


def test_an_untrustworthy_file_is_refused_and_nothing_is_stored(run, tmp_path, csv_list):
    good = csv_list("good.csv")
    gap = tmp_path / "gap.csv"
    gap.write_text(GAP_LIST, encoding="utf-8")
    code, out, err = run("ingest", str(good), str(gap))
    assert code == 1
    [line] = [line for line in err.splitlines() if "gap.csv" in line]
    assert "not trustworthy: basic: serial missing: 2" in line
    assert "lvzhi check" in line and "--accept-untrusted" in line
    assert "good.csv" in out  # the good file of the same batch is stored
    code, out, _ = run("list", "--json")
    assert [r["source"] for r in json.loads(out)] == ["good.csv"]


def test_an_untrustworthy_file_stored_on_request_carries_the_warning(run, tmp_path):
    gap = tmp_path / "gap.csv"
    gap.write_text(GAP_LIST, encoding="utf-8")
    assert run("ingest", "--accept-untrusted", str(gap))[0] == 0
    _, out, _ = run("export", "--format", "jsonl")
    items = [json.loads(line) for line in out.splitlines()]
    assert len(items) == 2
    assert all(any("untrusted extraction" in w and "serial missing: 2" in w
                   for w in item["warnings"]) for item in items)


def test_check_shows_how_each_header_was_read(run, tmp_path):
    doc = tmp_path / "list.tsv"
    doc.write_text("某县某乡配合履职事项清单\n"
                   "序　号\t类别\t事项名称\t牵头部门\t职责分工\t\t备注\n"
                   "\t\t\t\t部门职责\t乡镇（街道）职责\t\n"
                   "1\t党建\t甲\t县委组织部\t审核\t推荐\t\n", encoding="utf-8")
    code, out, _ = run("check", str(doc))
    assert code == 0, out
    flat = " ".join(out.split())  # the line folds at the terminal's width
    assert ("header cooperative (line 2): 序 号 → serial · 类别 → category · 事项名称 → name · "
            "牵头部门 → departments · 部门职责 → upper_duties · 乡镇（街道）职责 → "
            "township_duties · 备注 → extra") in flat
    report = json.loads(run("check", "--json", str(doc))[1])
    assert report["headers"][0]["cells"][-1] == ["备注", "extra"]
