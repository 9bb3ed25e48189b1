"""lvzhi link / unlink / corrections: a person's judgements, kept in the store, override the
matcher, survive a re-ingest and travel between stores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.test_cli_matching import TOWNSHIPS, write_township


@pytest.fixture
def filled(run_cli, tmp_path: Path):
    paths = [str(write_township(tmp_path / name, *spec)) for name, spec in TOWNSHIPS.items()]
    code, _, err = run_cli("ingest", "-q", *paths)
    assert code == 0, err
    return run_cli


def counterpart_names(run_cli, ref: str) -> dict[str, str]:
    code, out, err = run_cli("counterparts", ref, "--json")
    assert code == 0, err
    return {c["township"]: c for c in json.loads(out)["counterparts"]}


def test_unlink_takes_an_item_out_of_the_matter_and_survives_reingest(
        filled, tmp_path: Path, store_path: Path):
    assert "昭苏镇" in counterpart_names(filled, "托格拉克乡:reclaimed:1")
    code, out, err = filled("unlink", "托格拉克乡:reclaimed:1", "昭苏镇:reclaimed:1")
    assert code == 0, err
    assert "different matters" in out
    assert "昭苏镇" not in counterpart_names(filled, "托格拉克乡:reclaimed:1")
    assert (store_path.parent / f"{store_path.name}.corrections.json").exists()
    # The document changes (a new row: a new file hash, new item ids): the judgement stays.
    prefecture, county, township, lists = TOWNSHIPS["b.csv"]
    lists = {**lists, "basic": [*lists["basic"], "新增的一项基本事项"]}
    path = write_township(tmp_path / "b.csv", prefecture, county, township, lists)
    code, _, err = filled("ingest", "-q", str(path))
    assert code == 0, err
    assert "昭苏镇" not in counterpart_names(filled, "托格拉克乡:reclaimed:1")


def test_link_joins_what_the_scorer_keeps_apart_and_says_why(filled):
    assert "克孜勒苏乡" not in counterpart_names(filled, "昭苏镇:reclaimed:2")
    code, _, err = filled("link", "昭苏镇:reclaimed:2", "克孜勒苏乡:basic:2")
    assert code == 0, err
    found = counterpart_names(filled, "昭苏镇:reclaimed:2")
    assert "user link" in found["克孜勒苏乡"]["why"]
    code, out, _ = filled("corrections", "--json")
    assert [c["same"] for c in json.loads(out)] == [True]


def test_the_last_word_on_a_pair_wins(filled):
    filled("unlink", "托格拉克乡:reclaimed:1", "昭苏镇:reclaimed:1")
    filled("link", "昭苏镇:reclaimed:1", "托格拉克乡:reclaimed:1")
    _code, out, _ = filled("corrections", "--json")
    assert [c["same"] for c in json.loads(out)] == [True]
    assert "昭苏镇" in counterpart_names(filled, "托格拉克乡:reclaimed:1")


def test_export_and_import_carry_judgements_to_another_store(
        filled, run_cli, tmp_path: Path, capsysbinary):
    from lvzhi.cli import main

    filled("unlink", "托格拉克乡:reclaimed:1", "昭苏镇:reclaimed:1")
    shared = tmp_path / "shared.json"
    code, _, err = filled("corrections", "export", str(shared))
    assert code == 0, err
    other = tmp_path / "other" / "store.json"
    other.parent.mkdir()
    paths = [str(tmp_path / name) for name in TOWNSHIPS]
    assert main(["--db", str(other), "ingest", "-q", *paths]) == 0
    assert main(["--db", str(other), "corrections", "import", str(shared)]) == 0
    capsysbinary.readouterr()
    assert main(["--db", str(other), "counterparts", "托格拉克乡:reclaimed:1", "--json"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert "昭苏镇" not in {c["township"] for c in json.loads(out)["counterparts"]}


@pytest.mark.parametrize(("args", "message"), [
    (("link", "托格拉克乡:basic:1", "托格拉克乡:basic:2"), "same document"),
    (("link", "托格拉克乡:basic:1", "nowhere:basic:1"), "no item"),
    (("corrections", "export"), "needs a FILE"),
])
def test_correction_errors(filled, args, message):
    code, _, err = filled(*args)
    assert code == 1
    assert message in err


def test_import_rejects_what_is_not_a_corrections_file(filled, tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"corrections": []}', encoding="utf-8")
    code, _, err = filled("corrections", "import", str(bad))
    assert code == 1
    assert "cannot read corrections" in err
