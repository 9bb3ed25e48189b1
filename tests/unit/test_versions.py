"""One township, several versions: a second document of a place is its newer version, counted
once everywhere; ``lvzhi versions`` and ``lvzhi diff`` show them and what changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lvzhi.library import Library
from lvzhi.model import Document, Item, ListKind
from lvzhi.versions import (
    FieldChange,
    VersionError,
    diff_items,
    diff_runs,
    order_versions,
    pick,
    printed_date,
)
from tests.conftest import SAMPLES
from tests.second_version import ADDED, MOVED, REMOVED, REWORDED_NEW, write_second_version

ZHAOSU_V1 = SAMPLES / "001_608acf05b3629a7f.txt"
TUOGELAKE = SAMPLES / "000_8e877d29f72b689e.txt"


@pytest.fixture
def two_versions(run_cli, tmp_path: Path):
    """托格拉克乡 and 昭苏镇, and then a revised 昭苏镇 (dated 2025年10月 in its title)."""
    assert run_cli("ingest", str(ZHAOSU_V1), str(TUOGELAKE))[0] == 0
    second = write_second_version(tmp_path / "zhaosu-revised.md", dated=True)
    assert run_cli("ingest", str(second))[0] == 0
    return run_cli


def doc(township: str = "昭苏镇", title: str = "", notes: str = "", at: str = "",
        id: str = "x") -> Document:
    return Document(id=id, source=f"{id}.txt", path=f"/{id}.txt", format="md", extractor="t",
                    prefecture="伊犁州", county="昭苏县", township=township, title=title,
                    notes=notes, ingested_at=at)


# -- dates and order -----------------------------------------------------------------------

@pytest.mark.parametrize(("title", "notes", "expected"), [
    ("昭苏镇履职事项清单（2025年10月修订）", "", (2025, 10, 0)),
    ("昭苏镇履职事项清单 2025 年 7 月", "", (2025, 7, 0)),
    ("二〇二五年七月 昭苏镇履职事项清单", "", (2025, 7, 0)),
    ("2024年昭苏镇履职事项清单", "", (2024, 0, 0)),
    ("昭苏镇履职事项清单", "2024年3月启动编制，2025年6月12日印发。", (2025, 6, 12)),
    ("昭苏镇履职事项清单", "全镇2024年以来共流转土地", None),  # a year alone in notes: no date
    ("昭苏镇履职事项清单", "", None),
    ("3000年规划", "", None),
])
def test_printed_date(title: str, notes: str, expected) -> None:
    assert printed_date(doc(title=title, notes=notes)) == expected


def test_versions_are_ordered_by_printed_date_when_every_one_prints_one() -> None:
    newer = doc(title="清单（2025年10月）", at="2026-01-01T00:00:00", id="a")
    older = doc(title="清单（2025年7月）", at="2026-02-01T00:00:00", id="b")  # ingested later
    ordered = order_versions([newer, older])
    assert [v.document.id for v in ordered] == ["b", "a"]
    assert [v.current for v in ordered] == [False, True]
    assert ordered[1].label == "version 2 of 2 (current)"


def test_versions_are_ordered_by_ingest_time_when_one_prints_no_date() -> None:
    dated = doc(title="清单（2025年10月）", at="2026-01-01T00:00:00", id="a")
    undated = doc(title="清单", at="2026-02-01T00:00:00", id="b")
    assert [v.document.id for v in order_versions([dated, undated])] == ["a", "b"]


def test_pick_a_version_by_number_or_id_prefix() -> None:
    versions = order_versions([doc(at="1", id="aaaa1111"), doc(at="2", id="bbbb2222")])
    assert pick(versions, "1").document.id == "aaaa1111"
    assert pick(versions, "-1").document.id == "bbbb2222"
    assert pick(versions, "bbbb").document.id == "bbbb2222"
    for bad in ("3", "0", "cccc", "b"):
        with pytest.raises(VersionError):
            pick(versions, bad)


# -- the diff ------------------------------------------------------------------------------

def item(kind: ListKind, serial: int, name: str, receiver: str = "", category: str = "党建"
         ) -> Item:
    return Item(id=f"d:{kind}:{serial}", doc_id="d", source="d", prefecture="", county="",
                township="昭苏镇", list=kind, serial=serial, category=category, name=name,
                receiver=receiver)


def test_diff_names_added_removed_moved_and_reworded() -> None:
    b, r = ListKind.BASIC, ListKind.RECLAIMED
    old = [item(b, 1, "开展党内集中教育"), item(b, 2, "负责本镇档案管理"),
           item(b, 3, "负责食品摊贩登记"), item(b, 4, "做好人民网留言板办理")]
    new = [item(b, 1, "开展党内集中教育"), item(b, 2, "做好人民网领导留言板办理"),
           item(b, 3, "负责数据资源共享"), item(r, 1, "负责食品摊贩登记", "县市监局")]
    versions = order_versions([doc(at="1", id="d1"), doc(at="2", id="d2")])
    diff = diff_items(versions[0], versions[1], old, new)
    assert diff.counts() == {"added": 1, "removed": 1, "moved": 1, "reworded": 1,
                             "unchanged": 1}
    [reworded] = diff.of_kind("reworded")
    assert (reworded.old.serial, reworded.new.serial) == (4, 2)
    [name] = reworded.fields
    assert diff_runs(name) == ([("做好人民网", False), ("留言板办理", False)],
                               [("做好人民网", False), ("领导", True), ("留言板办理", False)])
    [moved] = diff.of_kind("moved")
    assert [f.field for f in moved.fields] == ["receiver"]
    assert diff.of_kind("added")[0].new.name == "负责数据资源共享"
    assert diff.of_kind("removed")[0].old.name == "负责本镇档案管理"


def test_whitespace_alone_is_no_change() -> None:
    b = ListKind.BASIC
    versions = order_versions([doc(at="1", id="d1"), doc(at="2", id="d2")])
    diff = diff_items(versions[0], versions[1], [item(b, 1, "开展党内 集中教育")],
                      [item(b, 1, "开展党内集中教育")])
    assert diff.counts()["unchanged"] == 1 and not diff.changes


def test_field_change_json_names_the_changed_spans() -> None:
    change = FieldChange("name", "人民网留言板", "人民网领导留言板")
    assert change.to_dict()["spans"] == [["insert", 3, 3, 3, 5]]
    assert change.to_dict()["label"] == "事项名称"


# -- the library: one township, counted once -----------------------------------------------

def test_the_library_counts_a_township_once_and_uses_its_current_version(
        two_versions, store_path: Path) -> None:
    library = Library(store_path)
    assert len(library.store.documents()) == 3
    townships = [d.township for d in library.documents()]
    assert sorted(townships) == ["托格拉克乡", "昭苏镇"]
    current = library.township("昭苏镇")
    assert current.source == "zhaosu-revised.md"
    assert len(library.rows) == 84 + 121 + 52 + 88 + 128 + 53
    assert {h.item.doc_id for h in library.search(REWORDED_NEW)} == {current.id}
    hits = library.search("集中管理本镇档案")  # 托格拉克乡 has it; of 昭苏镇 only the older
    assert hits and "昭苏镇" not in {h.item.township for h in hits}
    found, _ = library.counterparts(f"{current.id}:basic:1")
    assert found and "昭苏镇" not in {c.item.township for c in found}
    assert [v.document.source for v in library.versions("昭苏镇")] == [
        ZHAOSU_V1.name, "zhaosu-revised.md"]


def test_an_older_version_is_still_named_by_its_file_or_id(two_versions, store_path) -> None:
    library = Library(store_path)
    older = library.township(ZHAOSU_V1.name)
    assert not library.version_of(older).current
    assert library.township(older.id[:12]) == older
    with pytest.raises(Exception, match="version 1 of 2 of 昭苏镇, not the current one"):
        library.compare(older.id, "托格拉克乡")


# -- the command line ----------------------------------------------------------------------

def test_list_shows_a_township_once(two_versions) -> None:
    code, out, _ = two_versions("list", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["township"] for r in rows] == ["托格拉克乡", "昭苏镇"]
    assert {r["township"]: r["versions"] for r in rows} == {"托格拉克乡": 1, "昭苏镇": 2}


def test_list_on_a_terminal_says_how_many_versions(two_versions, terminal) -> None:
    code, out, _ = two_versions("list")
    assert code == 0 and out.count("昭苏镇") == 1 and "versions" in out


def test_show_picks_the_current_version_and_says_how_to_pick_another(two_versions) -> None:
    code, out, err = two_versions("show", "昭苏镇", "--json")
    assert code == 0 and len(json.loads(out)) == 88 + 128 + 53
    code, out, err = two_versions("show", "昭苏镇")
    assert code == 0 and ADDED in out
    assert "version 2 of 2 (current)" in err and "lvzhi versions 昭苏镇" in err
    code, out, _ = two_versions("show", ZHAOSU_V1.name, "--json")  # an older one by its file
    assert code == 0 and len(json.loads(out)) == 89 + 128 + 52


def test_export_a_township_exports_its_current_version_unless_asked(two_versions) -> None:
    _, out, _ = two_versions("export", "--township", "昭苏镇")
    assert len(out.splitlines()) == 88 + 128 + 53
    _, out, _ = two_versions("export", "--township", "昭苏镇", "--all-versions")
    assert len(out.splitlines()) == 88 + 128 + 53 + 89 + 128 + 52
    _, out, _ = two_versions("export")
    assert len(out.splitlines()) == 88 + 128 + 53 + 84 + 121 + 52


def test_search_and_counterparts_see_current_versions_only(two_versions) -> None:
    _, out, _ = two_versions("search", "集中管理本镇档案", "--json")
    assert {h["township"] for h in json.loads(out)} == {"托格拉克乡"}  # not 昭苏镇's older
    _, out, _ = two_versions("counterparts", "昭苏镇:基:1", "--json")
    assert "昭苏镇" not in {c["township"] for c in json.loads(out)["counterparts"]}


def test_versions_command(two_versions, terminal) -> None:
    code, out, _ = two_versions("versions", "昭苏镇", "--json")
    data = json.loads(out)
    assert code == 0 and [(v["version"], v["current"], v["dated"]) for v in data] == [
        (1, False, None), (2, True, "2025-10")]
    code, out, _ = two_versions("versions", "昭苏镇")
    assert code == 0 and "2 versions" in out and "current" in out and "lvzhi diff 昭苏镇" in out


def test_diff_command(two_versions) -> None:
    code, out, _ = two_versions("diff", "昭苏镇", "--json")
    data = json.loads(out)
    assert code == 0 and data["counts"] == {"added": 1, "removed": 1, "moved": 1,
                                            "reworded": 1, "unchanged": 266}
    assert [c["new"]["name"] for c in data["added"]] == [ADDED]
    assert [c["old"]["name"] for c in data["removed"]] == [REMOVED]
    [moved] = data["moved"]
    assert (moved["old"]["list"], moved["new"]["list"], moved["new"]["name"]) == (
        "basic", "reclaimed", MOVED)
    [reworded] = data["reworded"]
    assert reworded["changes"][0]["spans"] == [["insert", 19, 19, 19, 21]]
    code, out, _ = two_versions("diff", "昭苏镇")
    assert code == 0 and "1 added · 1 removed · 1 moved · 1 reworded · 266 unchanged" in out
    assert "人民网{+领导+}留言板" in out and "基83 → 收53" in out


def test_diff_by_version_numbers_and_ids(two_versions, store_path) -> None:
    versions = Library(store_path).versions("昭苏镇")
    code, out, _ = two_versions("diff", "昭苏镇", "2", "1", "--json")  # backwards
    assert code == 0 and [c["old"]["name"] for c in json.loads(out)["removed"]] == [ADDED]
    ids = [v.document.id[:8] for v in versions]
    code, out, _ = two_versions("diff", "昭苏镇", *ids, "--json")
    assert code == 0 and json.loads(out)["counts"]["added"] == 1


@pytest.mark.parametrize(("args", "message"), [
    (("托格拉克乡",), "has one version"),
    (("昭苏镇", "1"), "name both versions"),
    (("昭苏镇", "1", "7"), "there is no version 7"),
    (("昭苏镇", "1", "1"), "two different versions"),
])
def test_diff_errors_say_why(two_versions, args, message) -> None:
    code, _, err = two_versions("diff", *args)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1


def test_ingest_says_a_document_is_a_new_version(run_cli, tmp_path: Path) -> None:
    assert run_cli("ingest", str(ZHAOSU_V1))[0] == 0
    second = write_second_version(tmp_path / "zhaosu-revised.md")
    code, out, _ = run_cli("ingest", str(second))
    assert code == 0 and "version 2 of 2 (current) of 昭苏镇" in out
    code, out, _ = run_cli("store", "--json")
    assert (json.loads(out)["documents"], json.loads(out)["townships"]) == (2, 1)


def test_lvzhi_remove_takes_out_one_version_named_by_file_or_id(two_versions) -> None:
    run = two_versions
    code, _, err = run("remove", "昭苏镇")  # a township name does not say which version
    assert code == 1 and "file name or id" in err
    code, out, _ = run("remove", ZHAOSU_V1.name)
    assert code == 0 and out.startswith(f"removed {ZHAOSU_V1.name}: 伊犁州 昭苏县 昭苏镇")
    code, out, _ = run("versions", "昭苏镇", "--json")
    assert [v["source"] for v in json.loads(out)] == ["zhaosu-revised.md"]
    code, _, err = run("remove", ZHAOSU_V1.name)
    assert code == 1 and "no document" in err
