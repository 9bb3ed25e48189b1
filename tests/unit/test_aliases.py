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


def test_shipped_contrasts_read_and_say_why():
    contrasts = aliases.shipped_contrasts()
    assert len(contrasts) >= 8
    assert all(c.why and len(c.kinds) >= 2 for c in contrasts)


def test_contrasted_names_hold_one_kind_each_and_not_the_same():
    table = aliases.load()

    def kinds(name: str) -> frozenset[tuple[int, int]]:
        return table.kinds_in(table.apply(match_key(name).text)[0])

    assert table.contrasted(kinds("草原有害生物防治工作"),
                            kinds("开展林业有害生物监测、检疫和防治"))
    assert table.contrasted(kinds("价格监测"), kinds("本辖区价格监督检查工作"))
    # A name covering several kinds is not contrasted with one of them.
    assert not table.contrasted(kinds("大气、水、土壤、固体废物、噪声等污染防治"),
                                kinds("大气污染防治"))
    # Two names of the same kind, or without any, are not contrasted.
    assert not table.contrasted(kinds("森林资源征占用手续办理"), kinds("林业资源保护"))
    assert not table.contrasted(kinds("做好双拥工作"), kinds("价格监测"))


def test_a_contrast_scales_down_what_shares_most_characters():
    from lvzhi.matching import CONTRAST_FACTOR, Scorer

    a, b = "草原有害生物防治", "林业有害生物防治"
    plain = Scorer([a, b], aliases.AliasTable()).score(a, b)
    assert plain > 0
    assert Scorer([a, b], aliases.load()).score(a, b) == pytest.approx(plain * CONTRAST_FACTOR)


def test_a_user_file_adds_contrasts(tmp_path: Path):
    store = tmp_path / "store.json"
    (tmp_path / "aliases.toml").write_text(
        '[[contrast]]\nkinds = [["甲类"], ["乙类"]]\nwhy = "local"\n', encoding="utf-8")
    table = aliases.load(store)
    assert table.contrasted(table.kinds_in("甲类设施"), table.kinds_in("乙类设施"))
    assert table.digest != aliases.load().digest
    (tmp_path / "aliases.toml").write_text('[[contrast]]\nkinds = [["甲类"]]\n',
                                           encoding="utf-8")
    with pytest.raises(aliases.AliasError, match="contrast 1"):
        aliases.load(store)


def test_explain_says_when_a_contrast_kept_two_names_apart():
    table = RowTable.from_items([_item("a", "甲乡", 1, "草原有害生物防治工作"),
                                 _item("b", "乙乡", 1, "林业有害生物防治工作"),
                                 _item("c", "丙乡", 1, "草原有害生物防治")])
    rows = list(table)
    with using_aliases(aliases.load()):
        matcher = Matcher(table)
        assert "contrast" in str(matcher.explain(rows[0], rows[1]))
        assert "contrast" not in str(matcher.explain(rows[0], rows[2]))
