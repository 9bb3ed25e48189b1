"""Department names folded to one key per office (lvzhi.departments)."""

from __future__ import annotations

import pytest

from lvzhi.departments import (
    department_keys,
    lead_departments,
    receiver_department,
    row_departments,
)


@pytest.mark.parametrize("names", [
    ("市监局", "市场监督管理局", "县市场监管局", "县市监局", "伊吾县市场监督管理局",
     "师市市场监管局", "市场监管局等其他负有安全生产监督管理职责的部门"),
    ("县人社局", "县人力资源和社会保障局", "人社局", "师市人力资源和社会保障局"),
    ("卫健委", "市卫生健康委员会", "伽师县卫生健康委员会"),
    ("县委组织部", "市委组织部", "师市党委组织部", "组织部"),
    ("州生态环境局伊宁市分局", "哈密市生态环境局伊吾县分局", "师市生态环境局"),
    ("县政府办", "市政府办", "伊吾县人民政府办公室", "政府办公室"),
    ("县气象站", "气象站"),  # not in the table: its own key, level stripped
])
def test_spellings_of_one_office_fold_to_one_key(names):
    keys = {department_keys(name) for name in names}
    assert len(keys) == 1 and next(iter(keys)), keys


def test_a_name_can_hold_several_offices():
    assert department_keys("县商务工信局") == {"商务", "工信"}
    assert department_keys("师市自然资源和规划局（林业和草原局）") == {"自然资源", "林草"}


def test_text_that_is_no_office_has_no_key():
    assert department_keys("向镇提供草原承包原始档案。") == frozenset()
    assert department_keys("") == frozenset()


@pytest.mark.parametrize(("receiver", "key"), [
    ("县人社局 承接方式：由县人社局负责开展工伤认定调查", "人社"),
    ("承接部门：师市民政局 工作方式： 根据多发、重发情况进行复核", "民政"),
    ("伊吾县教育局：负责本行政区域适龄儿童入学审批。", "教育"),
    ("市残联承接方式：由市残联对残疾人进行表彰", "残联"),
])
def test_a_reclaimed_row_names_its_department_first(receiver, key):
    assert department_keys(receiver_department(receiver)) == {key}


def test_lead_is_the_first_department_a_row_names():
    names = ("市市监局", "市发展改革委员会")
    assert lead_departments(names) == {"市场监管"}
    assert row_departments(names) == {"市场监管", "发改"}
    assert row_departments((), "不再开展此项工作") == frozenset()
