"""Bad input gets a clear one-line error naming the file, and the store is left byte for byte."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from lvzhi.ingest import IngestError, extract_file, ingest
from lvzhi.plugins import load_plugins
from lvzhi.store import Store
from tests.conftest import EXPECTED_COUNTS, SAMPLES


@pytest.fixture(scope="module")
def registry():
    return load_plugins()


@pytest.fixture
def populated(store_path, csv_list, registry) -> bytes:
    assert ingest(Store(store_path), registry, [csv_list("good.csv")]).ok
    return store_path.read_bytes()


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


CASES = {
    "unknown format": ("list.xyz", "序号,事项类别", ["unknown format .xyz", "--format", "pdf"]),
    "empty file": ("empty.txt", b"", ["empty"]),
    "empty markdown": ("empty.md", b"\n\n", ["empty"]),
    "empty pdf": ("empty.pdf", b"", ["empty"]),
    "binary with a .txt name": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50,
                                ["binary", "[plaintext]"]),  # names the extractor
    "prose without lists": ("prose.txt", "今天天气很好。\n我们去公园散步。\n" * 20, []),
    "markdown without a table": ("notes.md", "# 标题\n\n一段文字，没有表格。\n", []),
    "not a pdf": ("fake.pdf", "这不是PDF文件", []),
    "truncated pdf": ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", []),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_one_clear_line_and_the_store_is_unchanged(case, tmp_path, run_cli,
                                                                populated, store_path):
    name, data, words = CASES[case]
    path = _write(tmp_path, name, data)
    code, _, err = run_cli("ingest", str(path))
    assert code == 1
    [line] = [line for line in err.splitlines() if line.strip()]
    assert line.startswith("error: ") and str(path) in line
    for word in words:
        assert word in line
    assert "Traceback" not in err
    assert store_path.read_bytes() == populated


def test_a_table_row_missing_a_column_names_the_line(tmp_path, registry):
    path = _write(tmp_path, "short.csv", "某县某乡上级部门收回事项清单\n"
                  "序号,事项类别,事项名称,承接部门及工作方式\n1,民生服务,工伤认定调查\n")
    with pytest.raises(IngestError, match=r"line 3"):
        extract_file(registry, path)


@pytest.mark.parametrize("problem", ["missing", "directory", "permission"])
def test_unreadable_paths(problem, tmp_path, run_cli, populated, store_path, monkeypatch):
    path = tmp_path / "x.txt"
    expected = {"missing": "no such file", "directory": "is a directory",
                "permission": "permission denied"}[problem]
    if problem == "directory":
        path.mkdir()
        code, _, err = run_cli("check", str(path))
    else:
        if problem == "permission":
            path.write_text("x", encoding="utf-8")
            real_open = Path.open

            def denied(self, *args, **kwargs):
                if self == path:
                    raise PermissionError(13, "Permission denied")
                return real_open(self, *args, **kwargs)

            monkeypatch.setattr(Path, "open", denied)
        code, _, err = run_cli("ingest", str(path))
    assert code == 1 and expected in err and str(path) in err
    assert store_path.read_bytes() == populated


def _encodings(text: str) -> dict[str, tuple[bytes, str]]:
    return {
        "gb18030": (text.encode("gb18030"), "gb18030"),
        "utf-16": (text.encode("utf-16"), "utf-16"),
        "utf-8 BOM": (codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8 with BOM"),
        "crlf": (text.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    }


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8 BOM", "crlf"])
@pytest.mark.parametrize("seed", sorted(EXPECTED_COUNTS))
def test_every_seed_reads_the_same_in_every_encoding(seed, encoding, tmp_path, registry):
    original = (SAMPLES / seed).read_text(encoding="utf-8")
    try:
        data, expected_encoding = _encodings(original)[encoding]
    except UnicodeEncodeError:
        pytest.skip(f"{seed} has characters {encoding} cannot encode")
    reference = extract_file(registry, SAMPLES / seed)
    converted = tmp_path / seed
    converted.write_bytes(data)
    extraction = extract_file(registry, converted)
    assert extraction.report.encoding == expected_encoding
    assert [i.to_dict() | {"id": "", "doc_id": ""} for i in extraction.items] == [
        i.to_dict() | {"id": "", "doc_id": ""} for i in reference.items]


def test_the_explorer_does_not_open_on_a_corrupt_store(run_cli, store_path):
    store_path.write_bytes(b"{\"meta\": {\"1\": {\"schema\": 1}}, \"items\": {tr")
    code, _, err = run_cli()  # `lvzhi` alone: the explorer
    assert code == 1
    assert "corrupt" in err and str(store_path) in err and "--move-aside" in err
    assert store_path.read_bytes().endswith(b"{tr")  # never overwritten


def test_the_explorer_offers_to_move_a_corrupt_store_aside(run_cli, store_path, monkeypatch):
    store_path.write_bytes(b"not json")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.setattr("rich.console.Console.input", lambda self, prompt="": "n")
    code, _, err = run_cli()
    assert "corrupt" in err
    assert code == 1 and store_path.read_bytes() == b"not json"  # declined: left alone


def test_a_folder_may_hold_documents_that_are_not_lists(tmp_path, run_cli, csv_list):
    """A README beside the lists is skipped with a note; named on its own, it is an error."""
    csv_list("list.csv")
    readme = _write(tmp_path, "README.md", "# 说明\n\n这些是履职事项清单。\n")
    code, out, err = run_cli("ingest", str(tmp_path))
    assert code == 0 and "托格拉克乡" in out
    assert "skipped" in err and "README.md" in err
    code, _, err = run_cli("ingest", str(readme))
    assert code == 1 and "error:" in err and "README.md" in err
