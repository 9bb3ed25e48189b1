"""The department view, the audit and the coverage workbook: through the Library and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from lvzhi.audit import KINDS, peers_of
from lvzhi.library import Library, LibraryError
from lvzhi.model import Document, ListKind
from tests.conftest import SAMPLES, cli_on


@pytest.fixture(scope="module")
def samples_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five bundled samples, ingested once for the module (matcher cached beside)."""
    path = tmp_path_factory.mktemp("samples") / "store.json"
    result = Library(path).ingest([SAMPLES])
    assert result.ok and len(result.done) == 5
    return path


@pytest.fixture(scope="module")
def library(samples_store: Path) -> Library:
    return Library(samples_store)


@pytest.fixture
def cli(samples_store: Path, capsysbinary: pytest.CaptureFixture[bytes]):
    return cli_on(samples_store, capsysbinary)


# -- departments ---------------------------------------------------------------------------

def test_spellings_of_one_department_are_one_entry(library: Library) -> None:
    views = [library.department(name) for name in
             ("县人社局", "县人力资源和社会保障局", "人社局", "人社", "伽师县人力资源和社会保障局")]
    assert {v.summary.key for v in views} == {"人社"}
    assert len({tuple(r.row.id for r in v.rows()) for v in views}) == 1
    summary = views[0].summary
    assert summary.label == "人力资源和社会保障局"
    assert "县人社局" in summary.spellings
    assert summary.townships == 5 == len(views[0].groups)
    assert summary.cooperative + summary.reclaimed == len(list(views[0].rows()))


def test_department_rows_are_cooperative_or_reclaimed_and_grouped_in_place_order(
        library: Library) -> None:
    view = library.department("人社局")
    places = [doc.id for doc, _ in view.groups]
    assert places == [d.id for d in library.documents() if d.id in places]
    for doc, rows in view.groups:
        assert rows and all(r.row.doc_id == doc.id for r in rows)
        assert all(r.row.list in (ListKind.COOPERATIVE, ListKind.RECLAIMED) for r in rows)
    # 举办各类招聘活动 names the 人社局 alone: it leads; 乡干部人事档案工作 names 组织部 first.
    by_name = {r.row.name: r for r in view.rows() if r.row.township == "托格拉克乡"}
    assert by_name["举办各类招聘活动"].lead
    assert not by_name["乡干部人事档案工作"].lead


def test_departments_are_counted_most_rows_first(library: Library) -> None:
    found = library.departments()
    totals = [s.cooperative + s.reclaimed for s in found]
    assert totals == sorted(totals, reverse=True)
    assert len({s.key for s in found}) == len(found)
    assert "人社" in {s.key for s in found}


def test_a_department_named_nowhere_or_ambiguously_is_an_error(library: Library) -> None:
    with pytest.raises(LibraryError, match="no department"):
        library.department("宇宙管理局")
    with pytest.raises(LibraryError, match="several"):
        library.department("县商务工信局")  # 商务 and 工信


# -- audit -----------------------------------------------------------------------------------

def test_audit_falls_back_to_a_wider_peer_group_and_says_so(library: Library) -> None:
    result = library.audit("昭苏镇")  # no other township of 昭苏县: its prefecture's
    assert result.asked == "county" and result.scope == "prefecture"
    assert [d.township for d in result.peers] == ["托格拉克乡"]
    assert any("peers are its prefecture" in n for n in result.notes)


def test_audit_finds_each_kind_with_the_rows_behind_it(library: Library) -> None:
    kashgar = library.audit("克孜勒苏乡", "all")
    assert kashgar.scope == "all" and len(kashgar.peers) == 4
    missing = kashgar.of_kind("missing")
    assert missing and all(len(f.rows) >= 3 for f in missing)  # most of 4 peers
    assert all(r.doc_id != kashgar.document.id for f in missing for r in f.rows)
    (duplicate,) = kashgar.of_kind("near_duplicate")  # 基94 and 收42: one duty, two lists
    assert {(r.list, r.serial) for r in duplicate.rows} == {(ListKind.BASIC, 94),
                                                            (ListKind.RECLAIMED, 42)}
    corps = library.audit("托喀依乡", "all")
    moved = corps.of_kind("different_list")
    assert moved
    for f in moved:
        own, *others = f.rows
        assert own.doc_id == corps.document.id
        assert others and {r.list for r in others} == {others[0].list} != {own.list}
    lone = {f.title for f in library.audit("吐葫芦乡", "all").of_kind("lone_department")}
    assert "税务局" in lone  # 国家税务总局伊吾县税务局: no other township names it
    flagged = library.audit("昭苏镇").of_kind("flagged")
    assert [(r.list, r.serial) for f in flagged for r in f.rows] == [
        (ListKind.COOPERATIVE, 64)]


def test_audit_peers_are_never_the_same_place() -> None:
    def doc(doc_id: str, county: str, township: str, prefecture: str = "伊犁州") -> Document:
        return Document(doc_id, f"{doc_id}.txt", "", "txt", "", prefecture, county, township)

    own = doc("a", "昭苏县", "昭苏镇")
    others = [own, doc("b", "昭苏县", "昭苏镇"), doc("c", "昭苏县", "喀夏加尔镇"),
              doc("d", "伊宁市", "托格拉克乡"), doc("e", "伊吾县", "吐葫芦乡", "哈密市")]
    assert [d.id for d in peers_of(own, others, "county")] == ["c"]
    assert [d.id for d in peers_of(own, others, "prefecture")] == ["c", "d"]
    assert [d.id for d in peers_of(own, others, "all")] == ["c", "d", "e"]
    with pytest.raises(ValueError):
        peers_of(own, others, "world")


def test_an_unknown_township_or_peer_group_is_an_error(library: Library) -> None:
    with pytest.raises(LibraryError):
        library.audit("无此乡")
    with pytest.raises(LibraryError, match="peers"):
        library.audit("昭苏镇", "world")


# -- coverage workbook -----------------------------------------------------------------------

def test_coverage_workbook(library: Library, tmp_path: Path) -> None:
    target = tmp_path / "coverage.xlsx"
    matters, townships = library.coverage_workbook(target)
    assert townships == 5 and matters == len(library.matters())
    sheet = openpyxl.load_workbook(target).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["matter", "label"] and "昭苏县昭苏镇" in header
    assert sheet.max_row == matters + 1
    assert {c.value for row in sheet.iter_rows(min_row=2, min_col=3) for c in row} <= {
        None, "基", "配", "收"}


# -- the command line ------------------------------------------------------------------------

def test_cli_departments(cli, terminal) -> None:
    code, out, _ = cli("departments")
    assert code == 0 and "人力资源和社会保障局" in out and "departments" in out


def test_cli_departments_piped_and_json(cli) -> None:
    code, out, _ = cli("departments")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split("\t") == ["key", "department", "cooperative", "reclaimed",
                                    "townships", "leads", "spellings"]
    assert any(line.startswith("人社\t") for line in lines)
    code, out, _ = cli("departments", "--json")
    assert code == 0 and "人社" in {d["key"] for d in json.loads(out)}


def test_cli_department(cli, terminal) -> None:
    code, out, _ = cli("department", "县人社局")
    assert code == 0
    assert "人力资源和社会保障局" in out and "昭苏县 昭苏镇" in out and "举办各类招聘活动" in out


def test_cli_department_piped_json_and_list(cli) -> None:
    code, out, _ = cli("department", "人社局")
    rows = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and rows[0][:4] == ["county", "township", "list", "serial"]
    assert {r[2] for r in rows[1:]} == {"cooperative", "reclaimed"}
    code, out, _ = cli("department", "人社局", "--list", "收", "--json")
    data = json.loads(out)
    assert data["department"]["key"] == "人社"
    assert {r["list"] for t in data["townships"] for r in t["rows"]} == {"reclaimed"}
    code, _, err = cli("department", "宇宙管理局")
    assert code == 1 and "no department" in err and len(err.strip().splitlines()) == 1


def test_cli_audit(cli, terminal) -> None:
    code, out, _ = cli("audit", "克孜勒苏乡", "--peers", "all")
    assert code == 0
    assert "Matters most peers list and it lacks" in out
    assert "Near-duplicates inside its own lists" in out and "基94 ≈ 收42" in out


def test_cli_audit_piped_and_json(cli) -> None:
    code, out, err = cli("audit", "昭苏镇")
    lines = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and lines[0][0] == "kind" and "peers are its prefecture" in err
    assert all(line[0] in KINDS for line in lines[1:])
    code, out, _ = cli("audit", "托喀依乡", "--peers", "all", "--json")
    data = json.loads(out)
    assert data["scope"] == "all" and set(data["counts"]) == set(KINDS)
    assert data["counts"]["missing"] == sum(f["kind"] == "missing" for f in data["findings"])


def test_cli_audit_rejects_an_unknown_peer_group(cli) -> None:
    from lvzhi.audit import SCOPES
    from lvzhi.cli import build_parser, completion_script
    from lvzhi.cli.views import PEER_SCOPES

    assert PEER_SCOPES == SCOPES
    with pytest.raises(SystemExit) as exit_:
        cli("audit", "昭苏镇", "--peers", "world")
    assert exit_.value.code == 2
    assert '"audit --peers") words="county prefecture all"' in completion_script(
        build_parser(), "bash")


def test_coverage_on_a_narrow_terminal_is_a_summary(cli, terminal, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    code, out, _ = cli("coverage")
    assert code == 0
    assert "too many townships for 40 columns" in out and "--xlsx -o FILE" in out
    assert not re.search(r"\n\s*\n\s*\n", out)  # never runs of blank lines
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = cli("coverage")
    assert code == 0 and "too many townships" not in out and "托喀依乡" in out


def test_coverage_xlsx(cli, terminal, tmp_path: Path) -> None:
    target = tmp_path / "grid.xlsx"
    code, _, err = cli("coverage", "--xlsx", "-o", str(target))
    assert code == 0 and "wrote" in err and "5 townships" in err
    assert openpyxl.load_workbook(target).active["A1"].value == "matter"
    code, _, err = cli("coverage", "--xlsx")
    assert code == 1 and "-o FILE" in err
    code, _, err = cli("coverage", "-o", str(target))
    assert code == 1 and "--xlsx" in err


def test_coverage_of_a_thousand_townships_on_a_terminal_is_readable(cli, terminal,
                                                                    monkeypatch) -> None:
    from lvzhi.matching import Matter

    docs = [Document(f"d{n:04}", f"{n}.txt", "", "txt", "", "伊犁州", f"第{n // 10}县",
                     f"第{n}乡") for n in range(1000)]
    kinds = list(ListKind)
    grid = [(Matter(f"m{m}", f"事项{m}", []), {d.id: kinds[(m + n) % 3]
                                               for n, d in enumerate(docs) if (m + n) % 4})
            for m in range(30)]
    monkeypatch.setattr(Library, "documents", lambda self: docs)
    monkeypatch.setattr(Library, "coverage", lambda self: ([d.id for d in docs], grid))
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = cli("coverage")
    lines = out.splitlines()
    assert code == 0 and "30 matters × 1000 townships" in out
    assert len(lines) < 40 and all(line.strip() for line in lines[:31])
    first = next(line for line in lines if "事项0" in line).split()
    assert first[1:] == ["750", "250", "250", "250"]  # townships, then per list

