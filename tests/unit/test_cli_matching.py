"""lvzhi search / matches / counterparts / compare / coverage, on a store of three townships."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

TOWNSHIPS = {
    "a.csv": ("伊犁州", "伊宁市", "托格拉克乡", {
        "basic": ["做好“双拥”工作", "负责本乡农村道路交通安全宣传教育"],
        "cooperative": [("推荐市级以上党代表工作", "市委组织部")],
        "reclaimed": ["工伤认定调查", "拖拉机、联合收割机登记、证书和牌照核发"],
    }),
    "b.csv": ("伊犁州", "昭苏县", "昭苏镇", {
        "basic": ["做好“双拥”工作", "负责本镇农村道路交通安全宣传教育"],
        "cooperative": [("推荐县级以上党代表工作", "县委组织部")],
        "reclaimed": ["工伤认定调查", "拖拉机、联合收割机操作人员操作证件核发",
                      "拖拉机、联合收割机登记、证书和牌照核发"],
    }),
    "c.csv": ("喀什地区", "伽师县", "克孜勒苏乡", {
        "basic": ["负责伽师县工伤认定调查工作", "医保便民服务网点建设"],
        "cooperative": [("推荐县级以上党代表工作", "县委组织部")],
        "reclaimed": [],
    }),
}


def write_township(path: Path, prefecture: str, county: str, township: str,
                   lists: dict) -> Path:
    place = f"{prefecture}{county}{township}"
    lines = [f"{place}基本履职事项清单", "序号,事项类别,事项名称"]
    lines += [f"{n},党的建设,{name}" for n, name in enumerate(lists["basic"], 1)]
    lines += [f"{place}配合履职事项清单",
              "序号,事项类别,事项名称,对应上级部门,上级部门职责,乡镇配合职责"]
    lines += [f"{n},党的建设,{name},{dept},1.审查,1.推荐"
              for n, (name, dept) in enumerate(lists["cooperative"], 1)]
    if lists["reclaimed"]:
        lines += [f"{place}上级部门收回事项清单", "序号,事项类别,事项名称,承接部门及工作方式"]
        lines += [f"{n},民生服务,{name},人社局" for n, name in enumerate(lists["reclaimed"], 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def filled(run_cli, tmp_path: Path, store_path: Path):
    paths = [str(write_township(tmp_path / name, *spec)) for name, spec in TOWNSHIPS.items()]
    code, _, err = run_cli("ingest", "-q", *paths)
    assert code == 0, err
    return run_cli


def as_json(out: str):
    return json.loads(out)


# --- search ------------------------------------------------------------------------------------

def test_search_json_rows(filled):
    code, out, _ = filled("search", "工伤认定", "--json")
    assert code == 0
    rows = as_json(out)
    assert {tuple(sorted(r)) for r in rows} == {
        ("field", "id", "list", "name", "score", "serial", "spans", "township")}
    first = rows[0]
    assert first["name"] == "工伤认定调查" and first["score"] == 100
    assert first["spans"] == [[0, 4]] and first["list"] == "reclaimed"
    assert {r["township"] for r in rows} == {"托格拉克乡", "昭苏镇", "克孜勒苏乡"}


def test_search_pinyin_filters_and_limit(filled):
    _, out, _ = filled("search", "gsrd", "--json", "--limit", "1")
    assert [r["name"] for r in as_json(out)] == ["工伤认定调查"]
    _, out, _ = filled("search", "党代表", "--township", "昭苏镇", "--json")
    assert [r["township"] for r in as_json(out)] == ["昭苏镇"]
    _, out, _ = filled("search", "工伤", "--list", "basic", "--json")
    assert [r["name"] for r in as_json(out)] == ["负责伽师县工伤认定调查工作"]
    _, out, _ = filled("search", "推荐", "--department", "市委组织部", "--json")
    assert [r["township"] for r in as_json(out)] == ["托格拉克乡"]


def test_search_text_output_highlights(filled, terminal):
    code, out, _ = filled("search", "双拥")
    assert code == 0 and "做好“双拥”工作" in out and "托格拉克乡" in out
    code, out, _ = filled("search", "没有这种事项")
    assert code == 0 and "nothing matches" in out


@pytest.mark.parametrize(("args", "message"), [
    (("search", " "), "the query is empty"),
    (("search", "工伤", "--township", "无此乡"), "no township matches"),
    (("search", "工伤", "--list", "other"), "unknown list kind"),
    (("search", "工伤", "--limit", "0"), "--limit must be at least 1"),
])
def test_search_errors(filled, args, message):
    code, _, err = filled(*args)
    assert code == 1 and message in err


def test_commands_on_an_empty_store(run_cli):
    for args in (("search", "工伤"), ("matches",), ("coverage",), ("counterparts", "x:basic:1")):
        code, _, err = run_cli(*args)
        assert code == 1 and "the store is empty" in err


# --- matches, counterparts ---------------------------------------------------------------------

def test_matches_json(filled, store_path: Path):
    code, out, _ = filled("matches", "--json")
    assert code == 0
    matters = {m["label"]: m for m in as_json(out)}
    assert set(matters) == {"工伤认定调查", "推荐县级以上党代表工作", "做好“双拥”工作",
                            "负责本乡农村道路交通安全宣传教育",
                            "拖拉机、联合收割机登记、证书和牌照核发"}
    injury = matters["工伤认定调查"]
    assert injury["matter"].startswith("m")
    assert {(m["township"], m["list"]) for m in injury["members"]} == {
        ("托格拉克乡", "reclaimed"), ("昭苏镇", "reclaimed"), ("克孜勒苏乡", "basic")}
    assert set(injury["members"][0]) == {"id", "township", "list", "serial", "name", "score"}
    # the tractor near miss stays apart: 昭苏镇 lists both, each with its counterpart or alone
    tractors = [m["name"] for m in matters["拖拉机、联合收割机登记、证书和牌照核发"]["members"]]
    assert tractors == ["拖拉机、联合收割机登记、证书和牌照核发"] * 2
    assert not any("操作证件" in m["name"] for x in matters.values() for m in x["members"])
    assert store_path.with_name("store.json.matters.cache").exists()


def test_matches_text(filled, terminal):
    code, out, _ = filled("matches")
    assert code == 0 and "工伤认定调查" in out and "5 matters" in out


def test_matches_of_many_townships_are_shown_by_wording_on_a_terminal(
        filled, terminal, monkeypatch: pytest.MonkeyPatch):
    """A province's largest matters have a member in every township: on a terminal they are
    read as the ways they are worded (30 s and 263,000 lines at 1,000 townships before)."""
    monkeypatch.setattr("lvzhi.cli.matters.MEMBERS_LISTED", 2)
    code, out, _ = filled("matches")
    assert code == 0 and "工伤认定调查" in out and "×" in out
    assert "shown by wording (every member: --why, --csv, --json, or piped)" in out
    assert "昭苏镇 收1" not in out  # no member line for a matter of three townships


def test_counterparts_by_township_list_serial_and_by_id(filled, terminal):
    code, out, _ = filled("counterparts", "昭苏镇:reclaimed:1", "--json")
    assert code == 0
    data = as_json(out)
    assert data["item"]["township"] == "昭苏镇" and data["label"] == "工伤认定调查"
    assert {c["township"] for c in data["counterparts"]} == {"托格拉克乡", "克孜勒苏乡"}
    item_id = data["counterparts"][0]["id"]
    code, out, _ = filled("counterparts", item_id, "--json")
    assert code == 0 and as_json(out)["item"]["id"] == item_id
    code, out, _ = filled("counterparts", "c.csv:basic:2")
    assert code == 0 and "no other township has this matter" in out


@pytest.mark.parametrize(("ref", "message"), [
    ("昭苏镇", "is not an item"),
    ("昭苏镇:basic:99", "no item"),
    ("昭苏镇:nonsense:1", "is not an item"),
])
def test_counterparts_errors(filled, ref, message):
    code, _, err = filled("counterparts", ref)
    assert code == 1 and message in err


# --- compare, coverage -------------------------------------------------------------------------

def test_compare_json(filled):
    code, out, _ = filled("compare", "托格拉克乡", "克孜勒苏乡", "--json")
    assert code == 0
    data = as_json(out)
    assert data["a"]["township"] == "托格拉克乡" and data["b"]["township"] == "克孜勒苏乡"
    assert [(p["a"]["name"], p["b"]["name"]) for p in data["both"]] == [
        ("推荐市级以上党代表工作", "推荐县级以上党代表工作")]
    assert [(p["a"]["list"], p["b"]["list"]) for p in data["different_lists"]] == [
        ("reclaimed", "basic")]
    assert {r["name"] for r in data["only_b"]} == {"医保便民服务网点建设"}
    assert len(data["only_a"]) == 3


def test_compare_text_and_errors(filled):
    code, out, _ = filled("compare", "托格拉克乡", "昭苏镇")
    assert code == 0 and "only in 托格拉克乡" in out
    shared = out.split("same matter, same list\n", 1)[1]  # the matters, not only a count
    assert "收1 ⇄ 收1 工伤认定调查" in shared
    code, _, err = filled("compare", "昭苏镇", "昭苏镇")
    assert code == 1 and "two different townships" in err
    code, _, err = filled("compare", "昭苏镇", "无此乡")
    assert code == 1 and "no township matches" in err


def test_coverage_json_csv_and_text(filled, tmp_path: Path):
    code, out, _ = filled("coverage", "--json")
    assert code == 0
    data = as_json(out)
    assert [t["township"] for t in data["townships"]] == ["托格拉克乡", "昭苏镇", "克孜勒苏乡"]
    lists = {m["label"]: sorted(m["lists"].values()) for m in data["matters"]}
    assert lists["工伤认定调查"] == ["basic", "reclaimed", "reclaimed"]
    target = tmp_path / "coverage.csv"
    code, _, err = filled("coverage", "--csv", str(target))
    assert code == 0 and "5 matters × 3 townships" in err
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["matter", "label", "伊宁市托格拉克乡", "昭苏县昭苏镇", "伽师县克孜勒苏乡"]
    assert len(rows) == 6
    code, out, _ = filled("coverage")
    assert code == 0 and "工伤认定调查" in out and "收" in out
    code, _, err = filled("coverage", "--csv", str(tmp_path / "no" / "such" / "dir.csv"))
    assert code == 1 and "cannot write" in err


# --- item refs as listings print them; plain output when piped ----------------------------------

@pytest.mark.parametrize("ref", ["昭苏镇:收:1", "昭苏镇:reclaimed:1", "昭苏镇:上级部门收回事项:1"])
def test_counterparts_takes_the_list_as_listings_print_it(filled, ref):
    code, out, err = filled("counterparts", ref, "--json")
    assert code == 0, err
    data = as_json(out)
    assert (data["item"]["township"], data["item"]["list"], data["item"]["serial"]) == (
        "昭苏镇", "reclaimed", 1)
    assert {c["township"] for c in data["counterparts"]} == {"托格拉克乡", "克孜勒苏乡"}


def test_search_list_filter_takes_short_names(filled):
    _, out, _ = filled("search", "工伤", "--list", "基", "--json")
    assert [r["name"] for r in as_json(out)] == ["负责伽师县工伤认定调查工作"]


def tsv(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.splitlines()]


def test_piped_listings_are_tab_separated_with_a_header(filled):
    code, out, _ = filled("search", "工伤认定")
    rows = tsv(out)
    assert code == 0 and rows[0] == ["score", "township", "list", "serial", "name",
                                     "matched in", "id"]
    assert rows[1][:5] == ["100", rows[1][1], "reclaimed", "1", "工伤认定调查"]
    assert all(len(r) == 7 for r in rows) and "[bold" not in out

    _, out, _ = filled("list")
    rows = tsv(out)
    assert rows[0][:6] == ["prefecture", "county", "township", "basic", "cooperative",
                           "reclaimed"]
    by_township = {r[2]: r for r in rows[1:]}
    assert by_township["昭苏镇"][:7] == ["伊犁州", "昭苏县", "昭苏镇", "2", "1", "3", "b.csv"]

    _, out, err = filled("matches")
    rows = tsv(out)
    assert rows[0] == ["matter", "label", "township", "list", "serial", "score", "name", "id"]
    assert len({r[0] for r in rows[1:]}) == 5 and "5 matters" in err and "5 matters" not in out

    _, out, _ = filled("counterparts", "昭苏镇:收:1")
    rows = tsv(out)
    assert rows[0][:3] == ["score", "township", "list"]
    assert {r[1] for r in rows[1:]} == {"托格拉克乡", "克孜勒苏乡"}

    _, out, _ = filled("coverage")
    rows = tsv(out)
    assert rows[0][:2] == ["matter", "label"] and len(rows) == 6
    assert all(len(r) == 5 for r in rows)


def test_show_piped_keeps_whole_names(run_cli, tmp_path):
    long_name = "负责本镇农村道路交通安全宣传教育和农村公路养护管理的监督检查工作" * 2
    path = write_township(tmp_path / "long.csv", "伊犁州", "昭苏县", "昭苏镇",
                          {"basic": [long_name], "cooperative": [], "reclaimed": []})
    assert run_cli("ingest", "-q", str(path))[0] == 0
    code, out, _ = run_cli("show", "昭苏镇")
    assert code == 0 and tsv(out)[1][:4] == ["basic", "1", "党的建设", long_name]


def test_listings_print_csv_on_request(filled):
    code, out, _ = filled("search", "工伤认定", "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][:5] == ["score", "township", "list", "serial", "name"]
    assert rows[1][4] == "工伤认定调查"
    _, out, _ = filled("coverage", "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:2] == ["matter", "label"] and len(rows) == 6
    with pytest.raises(SystemExit):
        filled("search", "工伤", "--csv", "--json")


def test_piped_cells_stay_on_one_line(run_cli, tmp_path):
    # A plugin may store any text (the built-in table readers make a tab a space): the test
    # plugin ``lines`` keeps the cell as written.
    path = tmp_path / "昭苏镇.lines"
    path.write_text("1|党的建设|=HYPERLINK(\"x\")\t事项\x1b[2J\n", encoding="utf-8")
    plugins = ("--plugins-dir", str(Path(__file__).parents[1] / "plugins" / "good"))
    assert run_cli(*plugins, "ingest", "-q", str(path))[0] == 0
    _, out, _ = run_cli("show", "昭苏镇")
    [header, row] = tsv(out)
    assert len(row) == len(header) and "\x1b" not in out and row[3].endswith("␉事项␛[2J")
    _, out, _ = run_cli("show", "昭苏镇", "--csv")
    assert list(csv.reader(io.StringIO(out)))[1][3].startswith("'=HYPERLINK")
