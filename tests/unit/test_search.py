"""The lookup engine: match keys, ranking, spans, pinyin, filters, caching."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lvzhi.model import Item, ListKind
from lvzhi.rows import RowTable
from lvzhi.search import (
    DutyText,
    SearchIndex,
    _syllables,
    duty_texts,
    match_key,
    pinyin_of,
)


def rows_of(items: list[Item]) -> tuple[RowTable, DutyText]:
    """The rows of whole items and their duty text, as a store would give them."""
    rows = RowTable.from_items(items)
    return rows, duty_texts(rows, items)


def make_item(doc: str, township: str, kind: str, serial: int, name: str, *,
              county: str = "伊宁市", category: str = "民生服务", departments: str = "",
              duties: tuple[str, ...] = (), receiver: str = "") -> Item:
    return Item(id=Item.make_id(doc, kind, serial), doc_id=doc, source=f"{doc}.txt",
                prefecture="伊犁州", county=county, township=township, list=ListKind(kind),
                serial=serial, category=category, category_canonical=category, name=name,
                departments=departments, department_names=[d for d in departments.split("、")
                                                           if d],
                township_duties=list(duties), receiver=receiver)


@pytest.fixture
def items() -> list[Item]:
    return [
        make_item("a", "托格拉克乡", "reclaimed", 1, "工伤认定调查", receiver="市人社局负责"),
        make_item("a", "托格拉克乡", "cooperative", 1, "推荐市级以上党代表工作",
                  category="党的建设", departments="市委组织部"),
        make_item("a", "托格拉克乡", "basic", 1, "负责本乡农村道路交通安全宣传教育"),
        make_item("b", "昭苏镇", "reclaimed", 2, "工伤认定调查", county="昭苏县"),
        make_item("b", "昭苏镇", "cooperative", 1, "推荐县级以上党代表工作", county="昭苏县",
                  category="党的建设", departments="县委组织部"),
        make_item("b", "昭苏镇", "basic", 5, "负责本镇农村道路交通安全宣传教育", county="昭苏县"),
        make_item("b", "昭苏镇", "cooperative", 9, "举办各类招聘活动", county="昭苏县",
                  departments="县人社局", duties=("1.开展工伤保险政策宣传；",)),
        make_item("c", "克孜勒苏乡", "basic", 3, "做好“双拥”工作", county="伽师县"),
    ]


@pytest.fixture
def index(items: list[Item]) -> SearchIndex:
    return SearchIndex.build(items)


def names(hits) -> list[str]:
    return [h.item.name for h in hits]


# --- match keys ------------------------------------------------------------------------------

def test_match_key_folds_width_and_drops_punctuation():
    assert match_key("做好“双拥”工作（ＡＢ１）").text == "做好双拥工作ab1"


def test_match_key_masks_places_and_unifies_levels():
    a, b = match_key("伊宁市人社局工伤认定"), match_key("昭苏县人社局工伤认定")
    assert a.text == b.text
    assert match_key("推荐市级以上").text == match_key("推荐县级以上").text
    assert match_key("负责本镇人才").text == match_key("负责本乡人才").text
    assert match_key("师市人社局").text == match_key("县人社局").text
    assert "市场" in match_key("市场监管").text  # not a region word


def test_match_key_spans_point_into_the_original_text():
    text = "伊宁市“两委”干部"
    key = match_key(text)
    start, end = key.span(1, 3)  # 两委
    assert text[start:end] == "两委"
    start, end = key.span(0, 1)  # the masked place
    assert text[start:end] == "伊宁市"


def test_pinyin_initials_and_syllables():
    py = pinyin_of("工伤认定")
    assert py.initials == "gsrd"
    assert py.full == "gongshangrending"


@pytest.mark.parametrize("key", [
    "银行行政执法", "重庆市重新核定", "长江流域长大", "中华人民共和国行政许可法",
    "◇县人社局工伤认定2024年", "乐安乡音乐节", "调查调整调解", "ABC是第3号", "x"])
def test_pinyin_read_word_by_word_is_pypinyin_s_own(key: str):
    """Keys are converted a word at a time, each word once (a cache): the syllables must be
    the ones pypinyin gives for the whole key, polyphones in phrases (银行, 行政) included."""
    from pypinyin import Style, lazy_pinyin

    whole = lazy_pinyin(key, style=Style.NORMAL, errors=lambda chars: list(chars))
    assert _syllables(key) == whole
    assert _syllables(key) == whole  # from the cache this time


# --- ranking and spans -------------------------------------------------------------------------

def test_exact_name_match_with_spans(index: SearchIndex):
    hits = index.search("工伤认定")
    assert names(hits)[:2] == ["工伤认定调查", "工伤认定调查"]
    assert all(h.spans == [(0, 4)] and h.score == 100 and h.field == "name" for h in hits[:2])


def test_reworded_by_level_is_found_as_well(index: SearchIndex):
    hits = index.search("推荐市级以上党代表")
    assert sorted(names(hits)) == ["推荐县级以上党代表工作", "推荐市级以上党代表工作"]
    assert {h.score for h in hits} == {100.0}
    county = next(h for h in hits if h.item.doc_id == "b")
    assert county.spans == [(0, 9)]


def test_place_names_do_not_decide_the_match(index: SearchIndex):
    hits = index.search("伽师县工伤认定调查")
    assert {h.item.doc_id for h in hits[:2]} == {"a", "b"}
    assert hits[0].score == 100


def test_typo_still_matches_with_partial_spans(index: SearchIndex):
    hits = index.search("农村道路交通安全宣传教肓")
    assert len(hits) == 2 and hits[0].score >= 90
    name = hits[0].item.name
    start, end = hits[0].spans[0]
    assert name[start:end].startswith("农村道路交通安全")


def test_names_rank_above_departments_and_duties(index: SearchIndex):
    hits = index.search("工伤")
    fields = [h.field for h in hits]
    assert fields[:2] == ["name", "name"]
    assert "duties" in fields
    duty = next(h for h in hits if h.field == "duties")
    assert duty.item.name == "举办各类招聘活动" and duty.spans == []
    assert max(h.score for h in hits if h.field != "name") < min(
        h.score for h in hits if h.field == "name")


def test_department_text_is_searched(index: SearchIndex):
    hits = index.search("组织部")
    assert {h.field for h in hits} == {"departments"}
    assert len(hits) == 2


@pytest.mark.parametrize("query", ["gsrd", "gongshang", "GongShang", "gsr"])
def test_pinyin_queries_find_the_name(index: SearchIndex, query: str):
    hits = index.search(query)
    assert names(hits)[:2] == ["工伤认定调查", "工伤认定调查"]
    assert hits[0].spans[0][0] == 0


def test_pinyin_spans_cover_the_syllables(index: SearchIndex):
    hit = index.search("shuangyong")[0]
    assert hit.item.name == "做好“双拥”工作"
    start, end = hit.spans[0]
    assert hit.item.name[start:end] == "双拥"


def test_a_short_homophone_typo_finds_the_name_below_exact_matches(index: SearchIndex):
    """公伤 is what a pinyin input method gives for gongshang: it finds 工伤 (issue 13)."""
    hits = index.search("公伤")
    assert names(hits)[:2] == ["工伤认定调查", "工伤认定调查"]
    assert hits[0].score < 100 and hits[0].spans == [(0, 2)]
    exact = index.search("工伤")
    assert exact[0].score == 100 and exact[0].score > hits[0].score


def test_homophones_are_not_tried_for_long_or_latin_queries(index: SearchIndex):
    assert index.search("公伤认定调查正在") == [] or all(
        h.score != 85.0 for h in index.search("公伤认定调查正在"))
    assert all(h.score != 85.0 for h in index.search("gsrd"))


def test_single_character_and_empty_queries(index: SearchIndex):
    assert all("拥" in h.item.name for h in index.search("拥"))
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("zzzz") == []


def test_limit(index: SearchIndex):
    assert len(index.search("工", limit=2)) == 2


# --- filters -----------------------------------------------------------------------------------

def test_filter_by_township_and_list(index: SearchIndex):
    hits = index.search("工伤认定", townships=["b"])
    assert [h.item.doc_id for h in hits] == ["b"]
    hits = index.search("党代表", kinds=[ListKind.COOPERATIVE], townships=["a", "b"])
    assert len(hits) == 2
    assert index.search("党代表", kinds=[ListKind.BASIC]) == []


def test_filter_by_category_and_department(index: SearchIndex):
    assert len(index.search("推荐", category="党的建设")) == 2
    assert index.search("推荐", category="民生服务") == []
    hits = index.search("推荐", department="县委组织部")
    assert [h.item.doc_id for h in hits] == ["b"]


def test_filters_without_query_list_the_selection(index: SearchIndex):
    hits = index.search("", townships=["c"])
    assert names(hits) == ["做好“双拥”工作"]


def test_engine_does_not_import_the_ui():
    code = ("import sys, lvzhi.search, lvzhi.matching; "
            "sys.exit('textual' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_huge_cell_costs_no_search_its_size(items):
    """Only the first MAX_INDEXED_CHARS of a cell are indexed: a crafted 5 MB name must not
    make pinyin segmentation and fuzzy scoring take minutes."""
    import time

    huge = make_item("d9", "某乡", "basic", 1, "工伤认定" + "甲乙丙丁" * 1_250_000)
    start = time.monotonic()
    index = SearchIndex.build([*items, huge])
    assert index.search("工伤认定")  # the item is found by its start
    assert index.search("gsrd")
    assert time.monotonic() - start < 30


def test_two_character_queries_take_a_substring_test_with_the_fuzzy_scores(index: SearchIndex):
    """A query of two characters must match exactly: a substring test gives what rapidfuzz's
    partial_ratio at 100 gives, without scoring every key that holds a common bigram."""
    from rapidfuzz import fuzz, process

    from lvzhi.index import DEPARTMENTS, NAME

    con = index.index.connection()
    for field in (NAME, DEPARTMENTS):
        strings = [t for (t,) in con.execute("SELECT text FROM keys WHERE field = ?", (field,))]
        grams = {s[i:i + 2] for s in strings for i in range(len(s) - 1)}
        for query in sorted(grams)[:200]:
            ids = index._candidates(field, query, None, 50)
            texts = index._texts(ids)
            found = process.extract(query, [texts[k] for k in ids], scorer=fuzz.partial_ratio,
                                    score_cutoff=100.0, limit=None)
            fuzzy = [(ids[at], score, (len(texts[ids[at]]), texts[ids[at]]))
                     for _, score, at in found]
            assert index._score(query, ids, 100.0, 50) == fuzzy, (field, query)


def test_key_text_is_the_text_of_match_key():
    """Indexing takes ``key_text`` (no span map, C speed) where searching takes
    ``match_key``: they must agree, or an indexed key would never be found."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from lvzhi.places import place_masker
    from lvzhi.search import key_text

    pieces = st.sampled_from(["市", "镇", "师市", "市场", "城市", "城镇", "集镇", "超市", "上市",
                              "伊宁市", "昭苏县", "托格拉克乡", "托格拉克", "工伤认定", "“", "，",
                              "Ａ", "１", "a", " ", "（", "◇", "做好", "县"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=12), st.sampled_from(["", "托格拉克乡", "昭苏镇"]))
    def agree(parts: list[str], township: str) -> None:
        text = "".join(parts)
        places = place_masker((township,) if township else ())
        assert key_text(text, places) == match_key(text, places).text

    agree()


def test_one_character_candidates_stop_at_what_a_page_shows(index: SearchIndex):
    """A one-character query reads the keys holding it shortest first, up to the length of
    the ``need``-th: what ``_score`` keeps of them is what it keeps of all of them."""
    from lvzhi.index import NAME

    con = index.index.connection()
    chars = sorted({c for (t,) in con.execute("SELECT text FROM keys WHERE field = ?", (NAME,))
                    for c in t})
    for char in chars[:300]:
        every = [k for (k,) in con.execute(
            "SELECT kid FROM grams WHERE field = ? AND gram = ? ORDER BY length, kid",
            (NAME, char))]
        for need in (1, 5, 50):
            some = index._candidates(NAME, char, None, need)
            assert len(some) <= len(every)
            assert index._score(char, some, 100.0, need) == index._score(
                char, every, 100.0, need), (char, need)


def test_a_question_asked_again_is_answered_the_same(index: SearchIndex):
    """Typing a place after a phrase, or erasing back to an earlier query, asks again: the
    answer kept is the answer, and changing the list a caller got changes nothing kept."""
    first = index.search("安全", limit=20)
    assert first
    first.clear()
    again = index.search("安全", limit=20)
    assert again and [h.item.id for h in again] == [
        h.item.id for h in SearchIndex(index.index).search("安全", limit=20)]
    assert index.search("安全", limit=5) == again[:5]


# --- a corpus of many names sharing phrases: the shortcuts of a lookup must change nothing --

_VERBS = ("负责", "做好", "开展", "落实", "加强")
_OBJECTS = ("本乡农村道路交通安全", "辖区内安全生产", "动物防疫", "工伤认定调查",
            "城镇燃气安全检查", "县委组织部推荐工作", "市场监管", "民兵整组", "沙湾市防汛")
_ENDS = ("工作", "宣传教育", "", "的日常管理")
_TOWNS = (("托格拉克乡", "伊宁市"), ("昭苏镇", "昭苏县"), ("克孜勒苏乡", "伽师县"))
PHRASE_QUERIES = ("负责", "负责本", "负责本乡", "负责本乡农", "做好沙湾", "开展动物",
                  "加强民兵整", "县委组织", "县委组织部", "安全生产工", "落实市场监管", "燃气安检",
                  "工伤认定调差", "gsrd", "gongshang", "fzbx", "zh", "zhe", "nongcun", "xianwei",
                  "anquan", "dw")
# Duty texts: found whole, with a typo, or holding a short duty text (防疫相关 holds 防疫).
DUTY_QUERIES = ("相关负责", "监管相关做", "防疫相关", "生产相关落实事", "安全生产相关负",
                "关做好事项", "动物防疫相")


@pytest.fixture(scope="module")
def phrases() -> SearchIndex:
    items = []
    for n, (town, county) in enumerate(_TOWNS):
        serial = 0
        for verb in _VERBS:
            for obj in _OBJECTS:
                for end in _ENDS:
                    serial += 1
                    items.append(make_item(f"t{n}", town, ("basic", "reclaimed")[serial % 2],
                                           serial, f"{verb}{obj}{end}", county=county,
                                           departments=("县委组织部" if serial % 7 == 0 else ""),
                                           duties=(f"{obj}相关{verb}事项",)))
    items.append(make_item("t1", "昭苏镇", "basic", 999, "动物检疫", county="昭苏县",
                           duties=("防疫",)))
    return SearchIndex.build(items)


def test_candidates_rank_as_sqlite_grouped_them(phrases: SearchIndex):
    """The candidates counted over kept postings are SQLite's GROUP BY ranking: most query
    bigrams held, then shorter keys, then key id; filtered ones skipped."""
    from lvzhi.index import DEPARTMENTS, NAME
    from lvzhi.search import MAX_CANDIDATES, bigrams

    con = phrases.index.connection()
    for field in (NAME, DEPARTMENTS):
        kids = [k for (k,) in con.execute("SELECT kid FROM keys WHERE field = ?", (field,))]
        for query in PHRASE_QUERIES:
            grams = sorted(g for g in bigrams(query) if phrases._posting_size(field, g))
            if not grams:
                continue
            every = [k for (k,) in con.execute(
                f"SELECT kid FROM grams WHERE field = ? AND gram IN "
                f"({','.join('?' * len(grams))}) GROUP BY kid "
                "ORDER BY count(*) DESC, min(length), kid", (field, *grams))]
            for allowed in (None, set(kids[::3])):
                want = [k for k in every if allowed is None or k in allowed][:MAX_CANDIDATES]
                assert phrases._candidates(field, query, allowed, 50) == want, (query, allowed)


def test_exact_only_queries_take_a_substring_test_with_the_fuzzy_scores(phrases: SearchIndex):
    """Up to three characters a name matches exactly or not at all: the substring test gives
    what partial_ratio at 100 gives, for queries of three characters too."""
    from rapidfuzz import fuzz, process

    from lvzhi.index import NAME

    con = phrases.index.connection()
    strings = [t for (t,) in con.execute("SELECT text FROM keys WHERE field = ?", (NAME,))]
    queries = sorted({s[i:i + 3] for s in strings for i in range(len(s) - 2)})
    for query in [*queries[::5], "负责本", "本乡农", "沙湾县"]:
        ids = phrases._candidates(NAME, query, None, 50)
        texts = phrases._texts(ids)
        found = process.extract(query, [texts[k] for k in ids], scorer=fuzz.partial_ratio,
                                score_cutoff=100.0, limit=None)
        fuzzy = sorted((ids[at], score, (len(texts[ids[at]]), texts[ids[at]]))
                       for _, score, at in found)
        assert sorted(phrases._score(query, ids, 100.0, 50)) == fuzzy, query


class Unhurried(SearchIndex):
    """The lookup without its shortcuts: every candidate scored (by rapidfuzz, or the
    substring test where only exact can reach the cutoff), and the duty texts sharing most
    bigrams of a query read and scored whatever its length."""

    def _may_be_exact(self, field: int, text: str, codes: list[int]) -> list[int]:
        from lvzhi.search import _PLACE_MASK

        return [code & _PLACE_MASK for code in codes]  # none left out as unable to hold it

    def _exact_names(self, text: str, places: list[int], allowed: set[int] | None,
                     limit: int) -> list[tuple] | None:
        return None

    def _near_duties_may_match(self, query: str, found: int) -> bool:
        return True


def _answers(index: SearchIndex, query: str, **options) -> list[tuple]:
    return [(h.item.id, h.score, h.spans, h.field) for h in index.search(query, **options)]


def test_the_shortcuts_of_a_lookup_change_no_answer(phrases: SearchIndex):
    """When the names holding a query fill the page, the fuzzy scores of the rest are not
    computed; a duty query of up to five characters reads no duty texts that only share
    its bigrams unless one of them is short enough to be held by it. The page, and whether
    homophones and other fields are looked at, stay the same (at every limit, filtered or
    not)."""
    every = Unhurried(phrases.index)
    for query in (*PHRASE_QUERIES, *DUTY_QUERIES):
        for limit in (1, 3, 10, 50, 200):
            for options in ({}, {"townships": ["t0", "t2"]}, {"kinds": [ListKind.BASIC]}):
                assert _answers(phrases, query, limit=limit, **options) == _answers(
                    every, query, limit=limit, **options), (query, limit, options)


def test_initials_read_in_order_as_sqlite_grouped_them(phrases: SearchIndex):
    """The keys whose initials hold every bigram of a query, looked up from the rarest
    bigram's keys, come in SQLite's grouped order: shorter names first, then code points."""
    from lvzhi.index import INITIALS
    from lvzhi.search import _PINYIN_SELECT, bigrams

    con = phrases.index.connection()
    initials = [i for (i,) in con.execute("SELECT initials FROM pinyin")]
    queries = sorted({i[a:a + n] for i in initials for n in (3, 4, 5)
                      for a in range(0, len(i) - n + 1, 3)})
    for latin in [*queries[::7], "gsrd", "xqz", "fzbx"]:
        grams = sorted(bigrams(latin))
        want = con.execute(
            f"SELECT {_PINYIN_SELECT} FROM (SELECT kid, min(length) AS length FROM grams "
            f"WHERE field = {INITIALS} AND gram IN ({','.join('?' * len(grams))}) "
            "GROUP BY kid HAVING count(*) = ?) g JOIN pinyin p ON p.kid = g.kid "
            "JOIN keys k ON k.kid = g.kid ORDER BY g.length, k.text",
            (*grams, len(grams))).fetchall()
        assert list(phrases._pinyin_by_length(INITIALS, grams, "")) == want, latin


@pytest.mark.parametrize("few", [0, 3, 10_000])
def test_pinyin_held_by_many_keys_is_read_as_by_few(phrases: SearchIndex, few: int,
                                                    monkeypatch: pytest.MonkeyPatch):
    """A long pinyin held by many keys is looked for among its first syllable's keys (SQLite
    testing each one's full pinyin), by few in just those keys: the same keys either way;
    a homophone's (whole syllables only) are the whole-syllable keys of the full lookup."""
    from lvzhi import search

    queries = ["gongshang", "nongcun", "xianwei", "anquan", "zhengzu", "fangxun", "dongwu",
               "quan", "shengchan", "zuzhibu", "tuijian", "zhen", "shi"]
    monkeypatch.setattr(search, "FEW_PINYIN_KEYS", 10_000)
    want = {(q, limit): phrases._pinyin_keys(q, None, limit, {})
            for q in queries for limit in (1, 5, 50)}
    monkeypatch.setattr(search, "FEW_PINYIN_KEYS", few)
    for (query, limit), keys in want.items():
        assert phrases._pinyin_keys(query, None, limit, {}) == keys, (query, limit)
        assert phrases._pinyin_keys(query, None, limit, {}, initials=False) == [
            (k, s) for k, s in keys if s == search.PINYIN_FULL_SCORE], (query, limit)


def test_a_text_holding_neither_way_scores_below_best_inexact():
    """``best_inexact`` bounds partial_ratio when neither text holds the other, so a cutoff
    above it asks for a substring test."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from rapidfuzz import fuzz

    from lvzhi.search import best_inexact

    @settings(max_examples=2000, deadline=None)
    @given(st.text("abc", min_size=1, max_size=7), st.text("abc", max_size=14))
    def bounded(query: str, text: str) -> None:
        if query not in text and text not in query:
            assert fuzz.partial_ratio(query, text) <= best_inexact(len(query)) + 1e-9

    bounded()


def test_the_answers_kept_are_the_latest_and_bounded(phrases: SearchIndex,
                                                     monkeypatch: pytest.MonkeyPatch):
    """Past ANSWERS_KEPT, the oldest answer kept goes with each new question (not all of
    them at once), and an answer asked again is the same."""
    from lvzhi import search

    monkeypatch.setattr(search, "ANSWERS_KEPT", 3)
    index = SearchIndex(phrases.index)
    first = [_answers(index, q, limit=5) for q in PHRASE_QUERIES[:8]]
    assert len(index._answers) == 4
    assert [q for q, *_ in index._answers] == [
        search.match_key(q).text for q in PHRASE_QUERIES[4:8]]
    assert [_answers(index, q, limit=5) for q in PHRASE_QUERIES[:8]] == first
