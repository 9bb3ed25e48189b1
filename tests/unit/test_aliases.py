"""Domain aliases as data: the shipped table and a user's file next to the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from lvzhi import aliases
from lvzhi.matching import Matcher, using_aliases
from lvzhi.model import Item, ListKind
from lvzhi.rows import RowTable
from lvzhi.search import match_key


def test_shipped_table_reads_and_every_entry_says_why():
    table = aliases.shipped()
    assert len(table) >= 30
    assert all(a.why and a.variants for a in table)


def test_variants_become_the_canonical_wording_longest_first():
    table = aliases.load()
    text, used = table.apply(match_key("负责本辖区的测量标志保护工作").text)
    assert "测绘基础设施" in text and used == ["测绘基础设施"]
    text, used = table.apply(match_key("“两违”（违法用地、违法建设）整治").text)
    assert text.count("两违") == 2 and used == ["两违"]


def test_a_user_file_next_to_the_store_adds_entries(tmp_path: Path):
    store = tmp_path / "store.json"
    (tmp_path / "aliases.toml").write_text(
        '[[alias]]\ncanonical = "一窗通办"\nvariants = ["综合窗口受理"]\nwhy = "local"\n',
        encoding="utf-8")
    table = aliases.load(store)
    assert table.apply("综合窗口受理")[0] == "一窗通办"
    assert table.digest != aliases.load().digest


def test_a_bad_user_file_is_a_clear_error(tmp_path: Path):
    (tmp_path / "aliases.toml").write_text("[[alias]]\nvariants = 3\n", encoding="utf-8")
    with pytest.raises(aliases.AliasError, match=r"aliases\.toml"):
        aliases.load(tmp_path / "store.json")


def _item(doc: str, township: str, serial: int, name: str) -> Item:
    return Item(f"{doc}:basic:{serial}", doc, f"{doc}.txt", "伊犁州", "伊宁市", township,
                ListKind.BASIC, serial, "自然资源", name, "自然资源")


def test_an_alias_joins_what_words_alone_keep_apart():
    table = RowTable.from_items([_item("a", "甲乡", 1, "负责本辖区的测量标志保护工作"),
                                 _item("b", "乙乡", 1, "负责测绘基础设施保护工作")])
    rows = list(table)
    with using_aliases(aliases.AliasTable()):
        assert Matcher(table).matters() == []
    with using_aliases(aliases.load()):
        matcher = Matcher(table)
    assert len(matcher.matters()) == 1
    assert "alias 测绘基础设施" in str(matcher.explain(rows[0], rows[1]))
