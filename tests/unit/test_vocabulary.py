"""List titles, headers, categories, places, steps and departments."""

from __future__ import annotations

import pytest

from lvzhi.model import ListKind
from lvzhi.vocabulary import (
    canonical_category,
    duty_column_of_header,
    list_kind_of_header,
    list_kind_of_title,
    parse_place,
    split_departments,
    split_steps,
)


@pytest.mark.parametrize(("line", "kind"), [
    ("伊犁州伊宁市托格拉克乡基本履职事项清单", ListKind.BASIC),
    (" 伊犁州伊宁市托格拉克乡配合履职事项清单", ListKind.COOPERATIVE),
    ("阿拉尔市托喀依乡配合履职事项", ListKind.COOPERATIVE),
    ("阿拉尔市托喀依乡收回履职事项清单", ListKind.RECLAIMED),
    ("伊犁州伊宁市托格拉克乡上级部门收回事项清单", ListKind.RECLAIMED),
    ("1.基本履职事项清单..... | 1", None),  # a table of contents entry
    ("3.托喀依乡上级部门收回履职事项清单.....\t(53)", None),
    ("新疆维吾尔自治区伊犁哈萨克自治州 昭苏县昭苏镇履职事项清单", None),  # cover, no list
    ("事项，对照上级规范指引、证明事项清单、准入", None),  # body text mentioning 清单
])
def test_list_kind_of_title(line: str, kind: ListKind | None) -> None:
    assert list_kind_of_title(line) == kind


@pytest.mark.parametrize(("header", "kind"), [
    (["序号", "事项类别", "事项名称"], ListKind.BASIC),
    (["序号", "事项类别", "履职事项名称"], ListKind.BASIC),
    ("序号 事项类别 事项名称 承接部门及工作方式", ListKind.RECLAIMED),
    ("序号事项类别事项名称对应上级部门上级部门职责乡配合职责", ListKind.COOPERATIVE),
    ("1 党的建设 落实三会一课", None),
])
def test_list_kind_of_header(header, kind) -> None:
    assert list_kind_of_header(header) == kind


@pytest.mark.parametrize(("printed", "canonical"), [
    ("党的建设", "党的建设"),
    ("应急管理及消防", "应急管理及消防"),
    ("应急消防及管理", "应急管理及消防"),
    ("文化和旅游", "文化和旅游"),
    ("党的建", None),
    ("不是类别", None),
])
def test_canonical_category(printed: str, canonical: str | None) -> None:
    assert canonical_category(printed) == canonical


@pytest.mark.parametrize(("title", "place"), [
    ("伊犁州伊宁市托格拉克乡基本履职事项清单", ("伊犁州", "伊宁市", "托格拉克乡")),
    ("新疆维吾尔自治区伊犁哈萨克自治州 昭苏县昭苏镇履职事项清单", ("伊犁州", "昭苏县", "昭苏镇")),
    ("阿拉尔市托喀依乡履职事项清单", ("第一师", "阿拉尔市", "托喀依乡")),
    ("哈密市伊吾县吐葫芦乡基本履职事项清单", ("哈密市", "伊吾县", "吐葫芦乡")),
    ("喀什地区伽师县克孜勒苏乡上级部门收回事项清单", ("喀什地区", "伽师县", "克孜勒苏乡")),
    ("某某省某某市某某县某某镇基本履职事项清单", ("某某市", "某某县", "某某镇")),
])
def test_parse_place(title: str, place: tuple[str, str, str]) -> None:
    parsed = parse_place(title)
    assert (parsed.prefecture, parsed.county, parsed.township) == place


@pytest.mark.parametrize(("cell", "steps"), [
    ("1.确定代表名额；2.资格联审；3.审查后报市委批复。",
     ["1.确定代表名额；", "2.资格联审；", "3.审查后报市委批复。"]),
    ("1.公示（不少于5个工作日）；2.按照1:3的比例确定；3.上报。",
     ["1.公示（不少于5个工作日）；", "2.按照1:3的比例确定；", "3.上报。"]),
    ("考核：1.制定方案；2.组织考核。培训：1.组织培训；2.总结。",
     ["考核：", "1.制定方案；", "2.组织考核。培训：", "1.组织培训；", "2.总结。"]),
    ("负责开展此项工作，不分步骤", ["负责开展此项工作，不分步骤"]),
    ("", []),
])
def test_split_steps_keeps_every_character(cell: str, steps: list[str]) -> None:
    assert split_steps(cell) == steps
    assert "".join(split_steps(cell)) == cell


def test_split_departments() -> None:
    assert split_departments("县委宣传部、县文旅局") == ["县委宣传部", "县文旅局"]
    assert split_departments("市委组织部") == ["市委组织部"]
    assert split_departments("县财政局、农业 农村局、林草局") == ["县财政局", "农业农村局",
                                                                  "林草局"]
    assert split_departments("县林草局 县水利局；师市公安局") == ["县林草局", "县水利局",
                                                              "师市公安局"]


@pytest.mark.parametrize(("cell", "column"), [
    ("部门履职内容", "upper_duties"), ("县直部门工作任务", "upper_duties"),
    ("乡镇（街道）履职内容", "township_duties"), ("镇街配合内容", "township_duties"),
    ("县住房和城乡建设局职责", "upper_duties"),  # 城乡 of a department's name: no township
    ("履职内容", None), ("牵头部门", None), ("承接部门工作内容", None),
])
def test_a_duty_column_by_its_side_and_the_duties_word(cell: str, column: str | None) -> None:
    assert duty_column_of_header(cell) == column
