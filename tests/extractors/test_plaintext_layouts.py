"""The plain-text (PDF dump) extractor on layouts it was not written from: every seed's rows
printed in the seeds' dump style (``tests/layouts/render_dump.py``) with other category words
(wrapped in a narrow category column), no category column, merged categories, section rows,
headers in other words or naming the township, 协同/上收 titles, a receiver in two columns, and
other column widths. Every field must come out exact and every character be placed."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from lvzhi.extractors.plaintext import township_duties_first
from lvzhi.ingest import IngestError, extract_file
from lvzhi.plugins import load_plugins
from lvzhi.vocabulary import list_kind_of_title
from tests.layouts import extra_columns, render_dump
from tests.layouts.render_dump import SEED_PLACES, DumpStyle, style_of
from tests.layouts.truth import (
    HEADERS,
    OTHER_HEADER_WORDS,
    SEEDS,
    Layout,
    Place,
    Truth,
    expected,
    score,
)

REGISTRY = load_plugins([])
DUMP_SEEDS = tuple(seed for seed in SEEDS if seed[:3] in ("000", "002", "004"))


def read(tmp_path: Path, truth: Truth, layout: Layout, style: DumpStyle):
    path = tmp_path / "list.txt"
    path.write_bytes(render_dump.render(truth, layout, style))
    extraction = extract_file(REGISTRY, path, forced="plaintext")
    doc = extraction.document
    return score(extraction.items, truth, place=(doc.prefecture, doc.county, doc.township)), (
        extraction.report)


# Rows no dump can print unambiguously, by the seed's truth: none of the seeds' own now.
# (001 cooperative 32, whose duty cell opens ``县教育局 推送中职…``, a department, a space, the
# duty, prints as seed 000 prints a department cell and a duty cell sharing a line,
# ``市市监局 规范市场主体…``, row 116; it reads right where the department cell above it names
# that department, ``县教育局、农业农村局``, and 000's does not.)
AMBIGUOUS: dict[str, tuple[str, ...]] = {}


def _ambiguous(seed: str, truth: Truth, layout: Layout) -> tuple[str, ...]:
    """Row labels whose differences are expected (see ``AMBIGUOUS``); with a receiver in two
    columns, also the rows whose department cell the truth fills with a sentence
    (``承接部门：伽师县民政局 法律法规条款已失效…`` has no method label): printed alone in the
    department column, it reads as the method, the only one of the two a sentence can be."""
    labels = list(AMBIGUOUS.get(seed[:3], ()))
    if layout.receiver_split:
        labels += [f"reclaimed {row.serial} " for row in truth.rows
                   if any(c in row.receiver_department for c in "，。；：")]
    return tuple(labels)


def assert_reads_exactly(tmp_path: Path, seed: str, layout: Layout,
                         style: DumpStyle | None = None, truth: Truth | None = None) -> None:
    # the seed's own place, unless the truth's cells were moved to another (``moved``)
    layout = replace(layout, place=truth.place if truth else SEED_PLACES[seed[:3]])
    truth = truth or expected(seed, layout)
    result, report = read(tmp_path, truth, layout, style or style_of(seed))
    ambiguous = _ambiguous(seed, truth, layout)
    unexpected = [d for d in result.differences if not d.startswith(ambiguous)]
    assert result.rows_found == result.rows_expected == result.rows_matched, str(result)
    assert result.place_ok and not unexpected, str(result)
    assert (report.lost, report.added, report.serial_problems) == ([], [], [])


@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_in_the_seed_layout_reads_exactly(tmp_path, seed):
    assert_reads_exactly(tmp_path, seed, Layout())


# Other widths: the category column wraps a six-character word over two or three lines.
WIDTHS = {
    "narrow": DumpStyle(category=2, name=3, departments=3, upper=23, township=22, basic=44,
                        reclaimed_name=15, receiver=31, list_category=3, blanks=7),
    "like 000": DumpStyle(blanks=8),
    "wide": DumpStyle(category=4, name=8, departments=6, upper=36, township=28, basic=30,
                      reclaimed_name=20, receiver=24, list_category=4, rows_per_page=4,
                      wrapped_header=False, title_every_page=True, footers=True, blanks=9),
}


# What these layouts do not read yet (each a few fields of one or two rows), by test case.
KNOWN: dict[tuple[str, ...], str] = {}


def known(request, *key) -> None:
    if (reason := KNOWN.get(key)) is not None:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.mark.parametrize("widths", WIDTHS)
@pytest.mark.parametrize("words", [7, 123])
@pytest.mark.parametrize("seed", DUMP_SEEDS)
def test_category_words_from_outside_the_vocabulary(request, tmp_path, seed, words, widths):
    known(request, seed[:3], words, widths)
    assert_reads_exactly(tmp_path, seed, Layout(category_words=words), WIDTHS[widths])


# Counties whose names wrap over several lines of a narrow column (``焉耆回`` ``族自治``
# ``县发展`` …): the seeds' own (伊宁市, 伊吾县, 伽师县) fit on one. The truth's cells are moved
# to the place as a neighbouring county's list would print them.
LONG_PLACES = {
    "焉耆": Place("新疆维吾尔自治区", "巴州", "焉耆回族自治县", "七个星镇", "巴音郭楞蒙古自治州"),
    "木垒": Place("新疆维吾尔自治区", "昌吉州", "木垒哈萨克自治县", "西吉尔镇", "昌吉回族自治州"),
    "塔什库尔干": Place("新疆维吾尔自治区", "喀什地区", "塔什库尔干塔吉克自治县", "塔什库尔干镇"),
    "连山": Place("广东省", "清远市", "连山壮族瑶族自治县", "永和镇"),
    "恩施": Place("湖北省", "恩施土家族苗族自治州", "利川市", "谋道镇"),
}


def moved(truth: Truth, seed: str, place: Place) -> Truth:
    """``truth`` with the seed's county and prefecture named as ``place``'s in every cell."""
    home = SEED_PLACES[seed[:3]]
    swaps = [(home.county, place.county), (home.printed_prefecture, place.printed_prefecture),
             (home.prefecture, place.printed_prefecture)]
    for row in truth.rows:
        for field in ("category", "name", "departments", "upper_duties", "township_duties",
                      "receiver", "receiver_department", "receiver_method"):
            text = getattr(row, field)
            for old, new in swaps:
                text = text.replace(old, new)
            setattr(row, field, text)
    return Truth(place, truth.rows)


@pytest.mark.parametrize("widths", ["narrow", "like 000"])
@pytest.mark.parametrize("place", LONG_PLACES)
@pytest.mark.parametrize("seed", DUMP_SEEDS)
def test_a_long_county_name_wrapped_in_narrow_columns(tmp_path, seed, place, widths):
    """A department cell opening with a county's name wrapped over three or four lines
    (``焉耆回`` over ``族自治`` over ``县统计局``) opens at the place, not at the bare 县 of
    its third line; the name before it does not run on into the place."""
    layout = Layout(place=LONG_PLACES[place])
    truth = moved(expected(seed, layout), seed, LONG_PLACES[place])
    result, report = read(tmp_path, truth, layout, WIDTHS[widths])
    assert result.rows_found == result.rows_expected == result.rows_matched, str(result)
    assert result.place_ok and not result.differences, str(result)
    assert (report.lost, report.added, report.serial_problems) == ([], [], [])


# Seed 002's cooperative 68 under 乡镇配合职责 | 上级部门职责: its department cell is set out
# department by department (哈密市生态环境局伊吾县分局： … 伊吾县农业农村局:1.…), and the cut
# falls at the second department's label, not the first (read wrong, trusted: open).
TOWNSHIP_FIRST_MISREAD = {"002": ("cooperative 68 ",)}


@pytest.mark.parametrize("two_row", [False, True])
@pytest.mark.parametrize("seed", DUMP_SEEDS)
def test_township_duties_printed_before_the_departments(tmp_path, seed, two_row):
    """A header printing 乡镇配合职责 before 上级部门职责 (one row, or under a 职责分工 group):
    the first duty cell is the township's. Before, every cooperative row's duties were read
    swapped, and trusted."""
    layout = Layout(place=SEED_PLACES[seed[:3]], order=1, two_row_header=two_row)
    truth = expected(seed, layout)
    result, _ = read(tmp_path, truth, layout, style_of(seed))
    assert result.rows_found == result.rows_expected == result.rows_matched, str(result)
    known = TOWNSHIP_FIRST_MISREAD.get(seed[:3], ())
    assert not [d for d in result.differences if not d.startswith(known)], str(result)


@pytest.mark.parametrize(("header", "first"), [
    ("序号事项名称对应上级部门上级部门职责乡镇配合职责", False),
    ("序号事项名称对应上级部门乡镇配合职责上级部门职责", True),
    ("序号事项名称对应上级部门职责分工乡镇配合职责上级部门职责", True),
    ("序号事项名称对应上级部门职责分工上级部门职责乡镇配合职责", False),
    ("序号事项名称责任单位职责乡镇（街道）承担职责牵头单位职责", True),
    ("序号事项名称责任单位属地职责部门主要职责", True),
    ("序号类别事项名称对应部门部门职责乡镇职责备注", False),
])
def test_which_duty_a_header_prints_first(header, first):
    assert township_duties_first(header) is first


@pytest.mark.parametrize("seed", DUMP_SEEDS)
def test_rows_numbered_anew_in_each_category_are_not_trusted(tmp_path, seed):
    """Serials from 1 again in each category (``Layout.serials_per_category``): the reader
    follows one sequence, so before, every row after the first category's ran on into the
    last row read (205 of 257 rows of 000 missing), trusted. Now the text from the second 1
    on is reported lost, with a warning, so ingest refuses the file."""
    layout = Layout(place=SEED_PLACES[seed[:3]], serials_per_category=True)
    truth = expected(seed, layout)
    result, report = read(tmp_path, truth, layout, style_of(seed))
    assert result.rows_found < result.rows_expected
    assert not report.trustworthy
    assert any("numbered from 1 again" in warning for warning in report.warnings)


VARIANTS = {
    "no categories": Layout(categories="none"),
    "merged categories": Layout(categories="merged"),
    "section rows": Layout(categories="section"),
    "township header, 协同/上收": Layout(headers=(("township_duties", 3),),
                                      list_words=(0, 1, 2), title="township"),
    "other headers": Layout(headers=tuple((column, 3) for column in HEADERS)),
    "headers 责任部门, 镇街配合职责, 序　号": Layout(headers=tuple((column, 1)
                                                      for column in HEADERS)),
    "two-row header": Layout(two_row_header=True, receiver_split=True),
    "split receiver": Layout(receiver_split=True),
    "outside words, merged": Layout(categories="merged", category_words=5),
    "other counties' header words": Layout(headers=(
        ("departments", "责任单位"), ("upper_duties", "牵头单位职责"),
        ("township_duties", "乡镇（街道）承担职责"), ("receiver", "承接单位及承接方式"))),
}


@pytest.mark.parametrize("variant", list(VARIANTS.values()), ids=list(VARIANTS))
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_in_every_variant_reads_exactly(request, tmp_path, seed, variant):
    known(request, seed[:3], request.node.callspec.id.split("-", 1)[1])
    assert_reads_exactly(tmp_path, seed, variant)


@pytest.mark.parametrize("seed", DUMP_SEEDS)
def test_no_categories_at_other_widths(tmp_path, seed):
    assert_reads_exactly(tmp_path, seed, Layout(categories="none"), WIDTHS["wide"])


@pytest.mark.parametrize("seed", DUMP_SEEDS)
def test_a_header_naming_the_township_repeated_on_every_page(tmp_path, seed):
    layout = Layout(headers=(("township_duties", 3), ("departments", 2)), list_words=(0, 1, 3))
    style = replace(style_of(seed), rows_per_page=1)
    assert_reads_exactly(tmp_path, seed, layout, style)


# --- any widths, any short words, any headers ---------------------------------------------

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
# Distinct words, none the start of another: a known word that is the start of a longer one
# (``农业农村`` / ``农业农村发展``) is read whole only where the category column's width shows
# (a wrapped category elsewhere in the list); see the report.
# Two to six characters: a word over three lines of a narrow column with nothing else to show
# the column's width (no word known, none repeated in a run) is not read yet.
# No word that names a list (配合履职事项, which hypothesis draws from lvzhi's own strings): a
# section row 二、配合履职事项 is a list's title to any reader, and no list has such a category.
WORDS = st.lists(st.text(HAN, min_size=2, max_size=6).filter(
    lambda word: list_kind_of_title(word) is None), min_size=40, max_size=40, unique=True,
                 ).filter(lambda words: not any(a != b and b.startswith(a)
                                                for a in words for b in words))


@st.composite
def dump_styles(draw: st.DrawFn) -> DumpStyle:
    upper = draw(st.integers(22, 48))
    category = draw(st.integers(2, 6))
    # The name column wider than the category's: where they are as wide, a wrapped category
    # used on one row only (``一严一`` + ``一`` over ``公益性``) reads right only where other
    # rows show the column's width (see the report).
    return DumpStyle(
        category=category, list_category=draw(st.integers(3, 8)),
        name=draw(st.integers(category + 1, 9)), departments=draw(st.integers(3, 10)),
        upper=upper, township=upper - draw(st.integers(3, 9)),
        basic=draw(st.integers(26, 60)), reclaimed_name=draw(st.integers(11, 30)),
        receiver=draw(st.integers(20, 40)), rows_per_page=draw(st.integers(1, 6)),
        blanks=draw(st.integers(0, 999)), wrapped_header=draw(st.booleans()),
        title_every_page=draw(st.booleans()), footers=draw(st.booleans()))


# Found by hypothesis: words wrapped over three lines of a two-wide column. One run of rows
# prints its word whole in the basic list (``一两一一一``), so the column's width shows where
# it wraps in the cooperative list, and a word used on one row only wraps in that width
# (``上丁下十下下``); a word wrapped alike on every row of a run (``二下`` ``上二`` ``丁二``)
# is one word, whatever the rows' names.
_NARROW = DumpStyle(category=2, list_category=5, name=5, departments=9, upper=45, township=41,
                    basic=52, reclaimed_name=18, receiver=27, rows_per_page=5, blanks=71,
                    wrapped_header=False, title_every_page=True)
_NONSENSE = ["二下上二丁二", "一两一一一", "上丁下十下下", "七二", "上两丁", "下十十丁七二",
             "上七丁十", "十上下十十一", "下上", "十十", "两下两丁两", "两二七七两上"]


# Found by hypothesis: a receiver in two columns whose method wraps at a character that
# ends departments' names too (``由市人社局负责对灵活就业人员社保补贴进行`` ends like 银行),
# the department (``市人社局``) alone on the line before: the method's first line was read
# as the department and the department as the name's last line.
_SPLIT = DumpStyle(category=2, list_category=3, name=5, departments=5, upper=33, township=30,
                   basic=46, reclaimed_name=17, receiver=27, rows_per_page=2, blanks=0,
                   wrapped_header=False, title_every_page=False, footers=False)


# Found by hypothesis: a receiver in two columns, the reclaimed name column wider than the
# method's, the department (``市人社局``) on its own line above the method on most rows: the
# receiver's learned width was the department's line, so whole methods were read into names.
_SPLIT_WIDE_NAME = DumpStyle(category=2, list_category=3, name=9, departments=8, upper=22,
                             township=18, basic=40, reclaimed_name=26, receiver=20,
                             rows_per_page=1, blanks=166, wrapped_header=True,
                             title_every_page=False, footers=True)


# Found by hypothesis: another county's serial header (顺序号), whole before the name's
# header on a line (``顺序号 履职事项名称``) and wrapped a character a line in a narrow
# column (``顺`` / ``序`` / ``号``): neither was read as a header, so its text went into cells.
_OTHER_SERIAL = DumpStyle(category=4, list_category=7, name=5, departments=6, upper=28,
                          township=25, basic=51, reclaimed_name=29, receiver=20,
                          receiver_method=20, extra=8, rows_per_page=4, blanks=16,
                          wrapped_header=True, title_every_page=True, footers=True)


# Found by hypothesis: a county named at length (连山壮族瑶族自治县) wrapped over five to
# twenty lines of a department column three wide, beside a name column nine wide. A row whose
# name ran on into its departments in the first pass outvoted the others' name lines, so the
# name column was learned three wide and every cooperative row was cut wrong, trusted.
_LONG_PLACE_NARROW = DumpStyle(category=5, list_category=3, name=9, departments=3, upper=25,
                               township=22, basic=39, reclaimed_name=27, receiver=24,
                               receiver_method=20, extra=8, rows_per_page=6, blanks=504,
                               wrapped_header=False, title_every_page=True, footers=False)


# Phases as in CI's profile, without shrinking: an example takes up to ~50 ms, and shrinking
# a failure ran into Hypothesis's five-minute limit; the failing draw is printed as found.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target], print_blob=True)
@example(seed="004_7e5723578bd8af9b.txt", style=_LONG_PLACE_NARROW, words=_NONSENSE,
         headers=(2, "领域", 4, "县级主管部门", 4, "属地职责", "承接单位及承接方式",
                  "承接部门（单位）", "履职方式"),
         categories="section", list_words=(1, 0, 3), receiver_split=True, two_row=False,
         place="连山")
@example(seed="004_7e5723578bd8af9b.txt", style=_OTHER_SERIAL, words=_NONSENSE,
         headers=("顺序号", "职责类别", 1, "县级主管部门", 2, 1, "承接主体及方式", 3, 4),
         categories="section", list_words=(1, 2, 2), receiver_split=True, two_row=False, place=None)
@example(seed=DUMP_SEEDS[0], style=_SPLIT_WIDE_NAME, words=_NONSENSE, headers=(0,) * len(HEADERS),
         categories="column", list_words=(0, 0, 0), receiver_split=True, two_row=False, place=None)
@example(seed=DUMP_SEEDS[0], style=_SPLIT, words=_NONSENSE, headers=(0,) * len(HEADERS),
         categories="column", list_words=(0, 0, 0), receiver_split=True, two_row=False, place=None)
@example(seed=DUMP_SEEDS[0], style=_NARROW, words=_NONSENSE, headers=(0,) * len(HEADERS),
         categories="column", list_words=(0, 0, 0), receiver_split=False, two_row=False, place=None)
@example(seed=DUMP_SEEDS[0], style=_NARROW, words=[_NONSENSE[1], *_NONSENSE[:1], *_NONSENSE[2:]],
         headers=(0,) * len(HEADERS), categories="column", list_words=(0, 0, 0),
         receiver_split=False, two_row=False, place=None)
@given(seed=st.sampled_from(DUMP_SEEDS), style=dump_styles(), words=WORDS,
       headers=st.tuples(*[st.one_of(st.integers(0, 4), st.sampled_from(OTHER_HEADER_WORDS[c]))
                           for c in HEADERS]),
       categories=st.sampled_from(("column", "merged", "section", "none")),
       list_words=st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)),
       receiver_split=st.booleans(), two_row=st.booleans(),
       place=st.one_of(st.none(), st.sampled_from(sorted(LONG_PLACES))))
def test_any_widths_words_and_headers(tmp_path_factory, seed, style, words, headers, categories,
                                      list_words, receiver_split, two_row, place):
    layout = Layout(place=LONG_PLACES[place] if place else SEED_PLACES[seed[:3]],
                    headers=tuple(zip(HEADERS, headers, strict=True)),
                    categories=categories, list_words=list_words,
                    receiver_split=receiver_split, two_row_header=two_row, rows=12)
    truth = expected(seed, layout)
    if place:  # the seed's county and prefecture named as another's (see LONG_PLACES)
        truth = moved(truth, seed, layout.place)
    # the seed's categories, each another word; under merged categories (printed on a run's
    # first row only) the seed's own words: a new word there is not read yet (see KNOWN)
    if categories not in ("none", "merged"):
        chosen = dict(zip(sorted({row.category for row in truth.rows}), words, strict=False))
        for row in truth.rows:
            row.category = chosen[row.category]
    assert_reads_exactly(tmp_path_factory.mktemp("dump"), seed, layout, style, truth)


# --- whole lists at other widths ------------------------------------------------------------
# Found by reading whole lists (the draws above read 12 rows a list) at random widths: each
# case failed on every layout of its kind.
WHOLE_LISTS = {
    # a merged category leaves room for a one-line name as wide as the category column, the
    # department's cell below it (``26 防溺水工作`` over ``市教育局、公``): the name is no category
    "name where a merged category would stand": (
        "000", Layout(categories="merged"),
        DumpStyle(category=5, list_category=3, name=7, departments=6, upper=30, township=24,
                  basic=26, reclaimed_name=19, receiver=31, rows_per_page=3, blanks=358)),
    # a name that starts with a known word (``生态环境保护`` over ``督察反馈问题``) on a line
    # wider than the category column: the name's first line, not a category
    "known word wider than the category column": (
        "000", Layout(categories="merged"),
        DumpStyle(category=2, list_category=7, name=6, departments=5, upper=29, township=21,
                  basic=33, reclaimed_name=22, receiver=22, rows_per_page=2, blanks=275)),
    # a receiver in two columns, the departments' wider than the method's: a list of seven
    # departments over two lines is the receiver's, not the name's
    "wide department column of a split receiver": (
        "004", Layout(categories="none", receiver_split=True, two_row_header=True),
        DumpStyle(category=5, list_category=6, name=6, departments=6, upper=23, township=17,
                  basic=57, reclaimed_name=19, receiver=40, rows_per_page=2, blanks=35,
                  wrapped_header=False, title_every_page=True, footers=True)),
    # the same list of departments over four lines of a narrower column
    "department list over four lines": (
        "004", Layout(categories="none", receiver_split=True),
        DumpStyle(category=5, list_category=8, name=6, departments=4, upper=35, township=30,
                  basic=55, reclaimed_name=22, receiver=21, rows_per_page=5, blanks=680,
                  title_every_page=True, footers=True)),
    # a department column a little wider than the method's, the name's much wider
    "department column wider than the method's": (
        "004", Layout(categories="none", receiver_split=True, two_row_header=True),
        DumpStyle(category=3, list_category=5, name=9, departments=4, upper=43, township=34,
                  basic=46, reclaimed_name=29, receiver=25, rows_per_page=1, blanks=421,
                  title_every_page=True, footers=True)),
    # a department column half as wide again as the method's, a list of seven departments
    # over three of its lines: the receiver's department is read by its words, not measured
    # against the method's width
    "department list in a column wider than the method's": (
        "004", Layout(categories="none", receiver_split=True),
        DumpStyle(category=4, list_category=8, name=8, departments=8, upper=24, township=19,
                  basic=41, reclaimed_name=28, receiver=31, rows_per_page=6, blanks=76,
                  title_every_page=True, footers=True)),
    # a line of that list ending with a whole name (``…喀什地区生态环境局``), the list going on
    # below it (``伽师县分局、…``): both lines are the department's
    "department list whose line ends with a whole name": (
        "004", Layout(categories="none", receiver_split=True),
        DumpStyle(category=2, list_category=7, name=8, departments=3, upper=41, township=33,
                  basic=49, reclaimed_name=25, receiver=36, rows_per_page=1, blanks=699)),
    # a name's last line that opens like a department (``区湿地`` …``工作`` over ``市林业``,
    # ``区管控`` ``工作`` over ``市交通``), name and department columns as wide: a department
    # cell does not open with text that ends no department before the line opening one
    "name's last lines opening like a department": (
        "000", Layout(categories="column"),
        DumpStyle(category=2, list_category=5, name=3, departments=3, upper=30, township=24,
                  basic=40, reclaimed_name=20, receiver=30, rows_per_page=4, blanks=1)),
    # ``市容环境卫`` ``生的监管`` over ``市住房和城`` ``乡建设局`` (dump_widths draw 2495)
    "name's last lines opening like a department, five wide": (
        "000", Layout(categories="column"),
        DumpStyle(category=2, list_category=6, name=5, departments=5, upper=41, township=34,
                  basic=41, reclaimed_name=17, receiver=22, rows_per_page=6, blanks=1)),
    # ``区企业、`` over ``电商服务`` ``保障工作`` ``市商务和``: a first name ending at a comma
    # ends with an office
    "name's last lines opening like a list of departments": (
        "000", Layout(categories="column"),
        DumpStyle(category=2, list_category=5, name=4, departments=4, upper=30, township=24,
                  basic=40, reclaimed_name=20, receiver=30, rows_per_page=4, blanks=1)),
    # ``中国人民政`` ``治协商会议`` over ``伽师县委员`` ``会办公室`` (a blank line before it): both
    # open a department surely; the first such line after the name opens the cell, as names
    # seldom hold one (dump_widths draw 1841)
    "department opened by 中国 over the county's name": (
        "004", Layout(categories="section"),
        DumpStyle(category=3, list_category=4, name=5, departments=5, upper=27, township=18,
                  basic=43, reclaimed_name=24, receiver=37, rows_per_page=4, blanks=22,
                  wrapped_header=False, title_every_page=True, footers=True)),
    # ``县财政局、农`` (a bare 县 whose office ends within the line) after a name as wide, the
    # department's list going on below (``业 农村局、林草``): that line opens the department's
    # cell, not the name's last
    "department line opening a list after a name": (
        "001", Layout(categories="column"),
        DumpStyle(category=2, list_category=5, name=8, departments=8, upper=30, township=24,
                  basic=40, reclaimed_name=20, receiver=30, rows_per_page=4, blanks=1)),
    # a reclaimed name's second line opens like a way of working (``由未依照规定送…``, the
    # first line full), the receiver's cell labelled below it (``承接部门：``): the label opens
    # the cell (found by hypothesis)
    "a name's line opening like a method above the receiver's label": (
        "004", Layout(categories="section"),
        DumpStyle(category=3, list_category=5, name=4, departments=8, upper=38, township=31,
                  basic=47, reclaimed_name=23, receiver=24, rows_per_page=6, blanks=237,
                  title_every_page=True)),
}


@pytest.mark.parametrize("case", list(WHOLE_LISTS))
def test_whole_lists_at_other_widths(tmp_path, case):
    seed, layout, style = WHOLE_LISTS[case]
    seed = next(s for s in SEEDS if s.startswith(seed))
    assert_reads_exactly(tmp_path, seed, layout, style)


def test_a_receiver_headed_by_a_long_department_after_a_full_name_line(tmp_path):
    """``benchmarks/dump_widths.py --long-places`` draw 4180: a reclaimed name as wide as its
    column (``开展加油站危险化学品、设备设施安全检查``), then receivers each headed by a
    long-named department (``焉耆回族自治县应急管理局：`` over its duty). The first heading
    line, only a little short of the name's width, was read as the name running on, up to
    the second heading: a department heading its line opens the receiver as one alone does."""
    seed = next(s for s in SEEDS if s.startswith("002"))
    place = LONG_PLACES["焉耆"]
    layout = Layout(place=place, headers=tuple(zip(HEADERS, (3, 2, 0, 0, 2, 1, 2, 2, 0),
                                                   strict=True)),
                    categories="column", list_words=(3, 2, 1))
    style = DumpStyle(category=4, list_category=7, name=8, departments=5, upper=47, township=42,
                      basic=53, reclaimed_name=19, receiver=23, rows_per_page=1, blanks=70,
                      wrapped_header=False, title_every_page=True, footers=True)
    truth = moved(expected(seed, layout), seed, place)
    drawn = ("鐨烢巷帊憫", "叐斌", "巪鐜", "闆敀峦", "帖鹞譮欭莩焠", "矸噍", "福釜嬐", "麚咒辙",
             "蔲疤魭镋颇", "耖鵒穅岆霣韡", "塣逤釯", "纑衊", "友蓠他拶艥冷", "嶳袌蕅坫痩",
             "塶圚埥篦偔幬", "管光談", "澉葭", "膷镈滱桵", "鹁魡建摚润撇", "紘嵠阴籋济",
             "炡螢躇蝕謘騂", "戁呋麰誏擬曧", "醪滴")  # the draw's words for the seed's categories
    words = dict(zip(sorted({row.category for row in truth.rows}), drawn, strict=True))
    for row in truth.rows:
        row.category = words[row.category]
    assert_reads_exactly(tmp_path, seed, layout, style, truth)


# Category words from outside the vocabulary (as ``benchmarks/dump_widths.py`` draw 1446 has
# them), in the order of the seed's sorted categories.
OTHER_WORDS = (
    "燽勉征熪揲餗", "帎鹗麩蠊", "甂仑桄譴梉", "琝眽弴谩榿绻", "絘笮宱腣婓蟰",
    "浰诰篋朕", "訯龜槨婄", "厈凪", "悎槲茗", "謡耽孁",
    "呜殟踉皇鑛", "珕国颻", "彃剨纤礸恓", "鰨夥", "梘蕆",
    "槌郊盉", "奝釋", "忑惑譅逕襲", "等汤蝤", "稠赽軦朣桺",
    "靌拸毳趖劢鈲", "縖卆", "狻丌衢鏀")


def test_a_lone_unknown_word_among_words_read_is_a_category(tmp_path):
    # Three rows of the cooperative list hold a word seen nowhere else in it, alone on the
    # serial's line (``87 絘笮宱腣婓蟰``, six characters in a column six wide, the name's
    # column one wider), while the words of every other row were read: those three are
    # categories too, not their names' first lines.
    seed = next(s for s in SEEDS if s.startswith("002"))
    layout = replace(Layout(categories="column"), place=SEED_PLACES["002"])
    truth = expected(seed, layout)
    chosen = dict(zip(sorted({row.category for row in truth.rows}), OTHER_WORDS, strict=True))
    for row in truth.rows:
        row.category = chosen[row.category]
    style = DumpStyle(category=6, list_category=8, name=7, departments=4, upper=25, township=17,
                      basic=50, reclaimed_name=30, receiver=27, rows_per_page=4, blanks=984,
                      wrapped_header=True, title_every_page=True)
    assert_reads_exactly(tmp_path, seed, layout, style, truth)


def test_a_word_over_three_lines_shows_the_category_column(tmp_path):
    # Found by hypothesis (the word was 对应上级部门): every category but one fits the column
    # two wide on the serial's line; the one left wraps over three lines (``丰且`` ``乎陀``
    # ``亹乓``) before the name's wider lines. Those show the column's width, as a word over
    # two lines does: the three lines are the category, not the name's first.
    seed = next(s for s in SEEDS if s.startswith("004"))
    layout = Layout(place=SEED_PLACES["004"], categories="column", rows=12)
    truth = expected(seed, layout)
    words = {"乡村振兴": "蹻珸唥仨仼亗", "党的建设": "以丳", "民生服务": "乁乕矬",
             "社会保障": "仙乃", "经济发展": "丰且乎陀亹乓"}
    for row in truth.rows:
        row.category = words[row.category]
    style = DumpStyle(category=2, list_category=6, name=3, departments=3, upper=45, township=37,
                      basic=28, reclaimed_name=20, receiver=27, rows_per_page=4, blanks=50,
                      wrapped_header=False)
    assert_reads_exactly(tmp_path, seed, layout, style, truth)


# --- extra columns ------------------------------------------------------------------------


def _uncertain_rows(extraction) -> set[tuple[str, int]]:
    """Rows whose extra cells the reader reported uncertain (their text reported lost): the
    rows of the lines lost, by where each row's lines start."""
    lost = {run.line for run in extraction.report.lost if run.line is not None}
    items = sorted(extraction.items, key=lambda item: item.span.line_first or 0)
    out = set()
    for item, following in zip(items, [*items[1:], None], strict=True):
        end = following.span.line_first if following is not None else 10**9
        if any((item.span.line_first or 0) <= line < end for line in lost):
            out.add((str(item.list), item.serial))
    return out


def read_extra(tmp_path: Path, seed: str, layout: Layout, style: DumpStyle,
               columns: extra_columns.ExtraColumns | None = None):
    """(score, extraction) of a dump with extra columns (``columns``: their drawn texts)."""
    layout = replace(layout, place=SEED_PLACES[seed[:3]])
    truth = expected(seed, layout)
    if columns is not None:
        extra_columns.fill(truth, columns)
    path = tmp_path / "list.txt"
    path.write_bytes(render_dump.render(truth, layout, style))
    extraction = extract_file(REGISTRY, path, forced="plaintext")
    doc = extraction.document
    return score(extraction.items, truth, place=(doc.prefecture, doc.county, doc.township)), (
        extraction)


def assert_kept_rows_exact(result, extraction) -> None:
    """Every row the reader did not report uncertain is exact; where one is uncertain, its
    text is reported lost, so the file is not trusted (ingest refuses it)."""
    uncertain = _uncertain_rows(extraction)
    wrong = [d for d in result.differences
             if (d.split()[0], int(d.split()[1].rstrip(":"))) not in uncertain]
    assert result.rows_found == result.rows_expected == result.rows_matched, str(result)
    assert not wrong, "\n".join(wrong[:10])
    assert extraction.report.trustworthy == (not uncertain and not result.differences)
    assert extraction.report.added == []


@pytest.mark.parametrize("categories", ["column", "merged", "section", "none"])
@pytest.mark.parametrize("seed", DUMP_SEEDS)
def test_a_code_column_after_the_serial_reads_exactly(tmp_path, seed, categories):
    """事项编码 between the serial and the category (or the name), on the serial's line."""
    assert_reads_exactly(tmp_path, seed, Layout(extra=(("事项编码", 1),), categories=categories,
                                                rows=12))


@pytest.mark.parametrize("categories", ["column", "merged", "section", "none"])
@pytest.mark.parametrize("seed", DUMP_SEEDS)
def test_extra_columns_at_the_end_keep_only_exact_rows(tmp_path, seed, categories):
    """A code after the serial, a legal basis and remarks (empty on two rows of three) after
    the model's columns, each column its own width: the rows read are exact; a row whose
    last lines may be the model's or an extra cell's is reported, and the file not trusted."""
    layout = Layout(extra=(("事项编码", 1), ("履职依据", -1), ("备注", -1)),
                    categories=categories, rows=12)
    style = replace(style_of(seed), extra_widths=(("事项编码", 4), ("履职依据", 9),
                                                   ("备注", 5)))
    assert_kept_rows_exact(*read_extra(tmp_path, seed, layout, style))


@pytest.mark.parametrize("seed", DUMP_SEEDS)
def test_a_receiver_in_two_columns_beside_an_extra_column(tmp_path, seed):
    """承接部门 | 工作方式 then 备注: the department's narrow lines between the name's and the
    method's wrapped lines are model cells (the model's lines may wrap at three widths), not
    read as a tail cell nor the method's lines as 备注; rows kept are exact (before: a method
    wrapped over lines made the 备注 column's width the method's, 27 rows of 000 wrong)."""
    layout = Layout(categories="section", two_row_header=True, receiver_split=True,
                    extra=(("备注", -1),))
    result, extraction = read_extra(tmp_path, seed, layout, style_of(seed))
    truth = expected(seed, replace(layout, place=SEED_PLACES[seed[:3]]))
    ambiguous = _ambiguous(seed, truth, layout)
    uncertain = {f"{kind} {serial} " for kind, serial in _uncertain_rows(extraction)}
    wrong = [d for d in result.differences if not d.startswith((*ambiguous, *uncertain))]
    assert result.rows_found == result.rows_expected == result.rows_matched, str(result)
    assert not wrong, "\n".join(wrong[:10])
    assert not extraction.report.trustworthy  # the uncertain rows' text is reported lost


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(DUMP_SEEDS), draw=st.randoms(use_true_random=False),
       categories=st.sampled_from(("column", "merged", "section", "none")),
       split=st.sampled_from((None, False, True)))
def test_any_extra_columns_read_exactly_or_not_trusted(tmp_path_factory, seed, draw,
                                                       categories, split):
    """Any extra columns (which, where, how wide, what text, how often empty: see
    ``tests/layouts/extra_columns.py``): placed after the serial or after the model's columns,
    read exactly or not trusted (ingest refuses it), never read wrong and trusted; between
    the model's columns, refused in one line naming them. ``split``: the receiver in two
    columns (under a two-row header where True)."""
    columns = extra_columns.draw(draw, categories)
    style = replace(extra_columns.random_style(draw), extra_widths=columns.widths)
    layout = extra_columns.layout_of(columns, categories, 8)
    if split is not None:
        layout = replace(layout, receiver_split=True, two_row_header=split)
    try:
        result, extraction = read_extra(tmp_path_factory.mktemp("dump"), seed, layout, style,
                                        columns)
    except IngestError as refused:
        message = str(refused)
        assert not columns.placed, message
        assert "\n" not in message and "cannot place" in message
        return
    assert columns.placed
    assert extraction.report.added == []
    if extraction.report.trustworthy:
        truth = expected(seed, replace(layout, place=SEED_PLACES[seed[:3]]))
        ambiguous = _ambiguous(seed, truth, layout)
        assert result.rows_matched == result.rows_expected, str(result)
        assert not [d for d in result.differences if not d.startswith(ambiguous)], str(result)


# Found by the measurement (benchmarks/dump_extras.py, draw 20, seed 004) while the reader
# took a cell's width from its row's last six lines: a reclaimed name wider than its
# receiver made the receiver's full last line look short, the right reading was dropped and
# a wrong one trusted. A cell's width is now its last paragraph's.
# Draw 250 (seed 002; found scanning draws 100-399 for files trusted while wrong): a township
# duty a quarter narrower than the upper duty was taken for another column's cell, and the
# first line of a three-wide extra cell after its 。 read as the duty's last paragraph,
# trusted. Lines that fill the model's last column, learned from the list, are the model's.
@pytest.mark.parametrize(("number", "categories"), [(20, "column"), (250, "column"),
                                                    (250, "section")])
def test_found_extra_column_layouts_read_exactly_or_not_trusted(tmp_path, number,
                                                                categories):
    draw = random.Random(number)
    seed = draw.choice(DUMP_SEEDS)
    style = extra_columns.random_style(draw)
    columns = extra_columns.draw(draw, categories)
    layout = extra_columns.layout_of(columns, categories, 12)
    result, extraction = read_extra(tmp_path, seed, layout,
                                    replace(style, extra_widths=columns.widths), columns)
    assert extraction.report.added == []
    if extraction.report.trustworthy:
        assert result.perfect, str(result)
