"""Matters across townships: clustering rules, counterparts, compare, coverage, caching."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lvzhi.matching import Matcher, core_of
from lvzhi.model import Item, ListKind, Row
from lvzhi.rows import RowTable
from lvzhi.search import match_key
from tests.unit.test_search import make_item

TOWNS = {"a": ("托格拉克乡", "伊宁市"), "b": ("昭苏镇", "昭苏县"), "c": ("克孜勒苏乡", "伽师县"),
         "d": ("托喀依乡", "阿拉尔市")}


def item(doc: str, kind: str, serial: int, name: str) -> Item:
    township, county = TOWNS[doc]
    return make_item(doc, township, kind, serial, name, county=county)


@pytest.fixture
def items() -> list[Item]:
    return [
        item("a", "cooperative", 1, "推荐市级以上党代表工作"),
        item("b", "cooperative", 1, "推荐县级以上党代表工作"),
        item("c", "cooperative", 1, "推荐县级以上党代表工作"),
        item("a", "reclaimed", 12, "拖拉机、联合收割机登记、证书和牌照核发"),
        item("a", "reclaimed", 13, "拖拉机、联合收割机操作人员操作证件核发"),
        item("b", "reclaimed", 12, "拖拉机、联合收割机登记、证书和牌照核发"),
        item("b", "reclaimed", 13, "拖拉机、联合收割机操作人员操作证件核发"),
        item("a", "reclaimed", 2, "工伤认定调查"),
        item("b", "reclaimed", 2, "工伤认定调查"),
        item("c", "basic", 40, "负责伽师县工伤认定调查工作"),  # moved to the basic list
        item("a", "basic", 22, "做好“双拥”工作"),
        item("d", "basic", 36, "做好乡婚姻登记工作"),
        item("c", "basic", 46, "婚姻登记"),
        item("d", "cooperative", 18, "医保便民服务网点建设"),  # no counterpart anywhere
    ]


@pytest.fixture
def matcher(items: list[Item]) -> Matcher:
    return Matcher.build(items)


def matter_ids(matcher: Matcher, item_id: str) -> set[str]:
    matter = matcher.matter_of(item_id)
    return {m.item.id for m in matter.members} if matter else set()


def test_core_drops_boilerplate_and_places():
    assert core_of(match_key("负责本乡工伤认定调查工作").text) == "工伤认定调查"
    assert core_of(match_key("做好伽师县婚姻登记相关工作").text) == "婚姻登记"
    assert core_of(match_key("工作").text) == "工作"  # never empty


def test_same_matter_across_townships(matcher: Matcher):
    assert matter_ids(matcher, "a:cooperative:1") == {"a:cooperative:1", "b:cooperative:1",
                                                      "c:cooperative:1"}
    assert matter_ids(matcher, "d:basic:36") == {"d:basic:36", "c:basic:46"}


def test_moved_to_another_list(matcher: Matcher):
    assert matter_ids(matcher, "a:reclaimed:2") == {"a:reclaimed:2", "b:reclaimed:2",
                                                    "c:basic:40"}


def test_near_misses_stay_apart(matcher: Matcher):
    registration = matter_ids(matcher, "a:reclaimed:12")
    assert registration == {"a:reclaimed:12", "b:reclaimed:12"}
    assert matter_ids(matcher, "a:reclaimed:13") == {"a:reclaimed:13", "b:reclaimed:13"}


def test_items_without_counterpart_are_in_no_matter(matcher: Matcher):
    assert matcher.matter_of("d:cooperative:18") is None
    assert matcher.matter_of("a:basic:22") is None
    assert matcher.counterparts("a:basic:22") == []


def test_matters_span_townships_and_never_hold_one_twice(matcher: Matcher):
    matters = matcher.matters()
    assert len(matters) == 5
    for matter in matters:
        docs = [m.item.doc_id for m in matter.members]
        assert len(docs) == len(set(docs)) >= 2
        assert matter.id.startswith("m") and matter.label
        assert all(0 < m.score <= 100 for m in matter.members)
    assert sorted(len(m.members) for m in matters) == [2, 2, 2, 3, 3]


def test_matter_ids_and_labels_are_stable(items: list[Item], matcher: Matcher):
    again = Matcher.build(list(reversed(items)))
    assert {(m.id, m.label) for m in again.matters()} == {(m.id, m.label)
                                                          for m in matcher.matters()}
    labels = {m.label for m in matcher.matters()}
    assert "推荐县级以上党代表工作" in labels  # the most common wording
    assert "婚姻登记" in labels  # the shortest of equals


def test_counterparts_are_other_townships_best_first(matcher: Matcher):
    found = matcher.counterparts("a:reclaimed:2")
    assert {c.item.id for c in found} == {"b:reclaimed:2", "c:basic:40"}
    assert all(c.score == 100 for c in found)  # 负责…工作 and the place name do not count
    found = matcher.counterparts("d:basic:36")
    assert [c.item.id for c in found] == ["c:basic:46"]
    assert all(c.item.doc_id != "a" for c in matcher.counterparts("a:cooperative:1"))
    with pytest.raises(KeyError):
        matcher.counterparts("no:such:item")


def test_compare_two_townships(matcher: Matcher):
    result = matcher.compare("a", "c")
    assert [(x.id, y.id) for x, y, _ in result.both] == [("a:cooperative:1", "c:cooperative:1")]
    assert [(x.id, y.id) for x, y, _ in result.different_lists] == [("a:reclaimed:2",
                                                                      "c:basic:40")]
    assert [i.id for i in result.only_a] == ["a:basic:22", "a:reclaimed:12", "a:reclaimed:13"]
    assert [i.id for i in result.only_b] == ["c:basic:46"]


def test_coverage_grid(matcher: Matcher):
    townships, rows = matcher.coverage()
    assert sorted(townships) == ["a", "b", "c", "d"]
    cells = {matter.label: kinds for matter, kinds in rows}
    assert cells["工伤认定调查"] == {"a": ListKind.RECLAIMED, "b": ListKind.RECLAIMED,
                                "c": ListKind.BASIC}


def test_cache_round_trip(items: list[Item], matcher: Matcher, tmp_path: Path):
    cache = tmp_path / "store.json.matters.cache"
    Matcher.load_or_build(RowTable.from_items(items), cache)
    loaded = Matcher.load_or_build(RowTable.from_items(items), cache)
    assert [(m.id, [c.item.id for c in m.members]) for m in loaded.matters()] == [
        (m.id, [c.item.id for c in m.members]) for m in matcher.matters()]
    assert loaded.counterparts("d:basic:36")[0].item == Row.of(items[12])


NAMES = ["工伤认定调查", "负责工伤认定调查", "婚姻登记", "做好婚姻登记工作", "收养登记",
         "就业帮扶培训", "农业机械安全监督检查", "安全生产监督检查", "水污染防治", "土壤污染防治"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from(NAMES)), max_size=30))
def test_never_two_items_of_one_township_in_a_matter(rows: list[tuple[str, str]]):
    items = [item(doc, "basic", n + 1, name) for n, (doc, name) in enumerate(rows)]
    matcher = Matcher.build(items)
    seen: set[str] = set()
    for matter in matcher.matters():
        docs = [m.item.doc_id for m in matter.members]
        assert len(docs) == len(set(docs)) >= 2
        ids = {m.item.id for m in matter.members}
        assert not ids & seen
        seen |= ids
    for it in items:
        assert all(c.item.doc_id != it.doc_id for c in matcher.counterparts(it.id))


def test_one_clause_of_a_list_of_tasks_pairs_with_that_task_but_never_joins_outright():
    from lvzhi.aliases import load
    from lvzhi.matching import CLAUSE_CAP, JOIN_SCORE, Scorer, core_with_head, full_of
    from lvzhi.places import place_masker

    table = load()
    places = place_masker(())
    many = core_with_head("推进为基层减负，做好精文减会工作，规范工作机制、挂牌和证明事项",
                          places, table)
    one = core_with_head("规范村工作机制、牌子、证明事项", places, table)
    scorer = Scorer([many, one], table)
    whole = scorer.score(full_of(many), one)
    assert whole < scorer.score(many, one) <= CLAUSE_CAP < JOIN_SCORE


def test_a_shared_opening_responsibility_clause_does_not_carry_a_match():
    """落实安全生产责任制 opens an emergency duty in one list and a supervision duty in another:
    the clause frames both and names neither, so it counts for nothing between them; a clause
    whose field the rest takes up (农产品质量安全) still leads its name."""
    from lvzhi.aliases import load
    from lvzhi.matching import MUTUAL_SCORE, Scorer, core_with_head, head_of, is_preamble
    from lvzhi.places import place_masker

    table = load()
    places = place_masker(())
    emergency, supervision, field, short = (core_with_head(name, places, table) for name in (
        "落实安全生产责任制，做好本镇应急队伍建设、物资管理、值守预警及事故灾害先期处置等工作",
        "落实安全生产责任制，常态化开展安全生产法律法规知识宣教工作，负责本乡生产经营单位"
        "生产安全日常监督检查",
        "落实农产品质量安全监督责任，开展日常巡查、快速检测，做好农产品质量安全事故先期处置",
        "农产品质量安全监督管理"))
    assert is_preamble(emergency) and not is_preamble(supervision) and not is_preamble(field)
    scorer = Scorer([emergency, supervision, field, short], table)
    assert scorer.score(emergency, supervision) < MUTUAL_SCORE
    assert head_of(field) == "农产品质量安全监督责任"
    assert scorer.score(field, short) >= 70


def test_matters_make_their_rows_only_when_read(matcher: Matcher, monkeypatch):
    """Listing every matter builds no row per member; reading a matter's members does, once."""
    made = []
    real = RowTable._row

    def counting(self, n):
        made.append(n)
        return real(self, n)

    monkeypatch.setattr(RowTable, "_row", counting)
    matters = matcher.matters()
    townships = [m.townships for m in matters]
    assert not made
    first = matters[0]
    assert townships[0] == {c.item.doc_id for c in first.members}
    assert len(made) == len(first.members)
    assert list(first.members) == first.members[:] and first.members == list(first.members)
    assert first.members[-1] is first.members[len(first.members) - 1]
    assert len(made) == len(first.members)  # made once
