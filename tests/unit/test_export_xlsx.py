"""lvzhi export --format xlsx: one sheet a list, frozen header, autofilter, text stays text."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from lvzhi.export import EXPORT_FIELDS, write_items
from tests.unit.test_search import make_item


def _book(items) -> openpyxl.Workbook:
    out = io.BytesIO()
    assert write_items(items, "xlsx", out) == len(items)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def test_one_sheet_a_list_with_a_frozen_filtered_header():
    items = [make_item("a", "托格拉克乡", "basic", 1, "负责本乡农村道路交通安全宣传教育"),
             make_item("a", "托格拉克乡", "reclaimed", 1, "工伤认定调查"),
             make_item("b", "昭苏镇", "reclaimed", 2, "工伤认定调查")]
    book = _book(items)
    assert book.sheetnames == ["基本履职事项", "上级部门收回事项"]
    sheet = book["上级部门收回事项"]
    assert [c.value for c in sheet[1]] == list(EXPORT_FIELDS)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:U{sheet.max_row}" and sheet.max_row == 3
    names = [row[EXPORT_FIELDS.index("name")].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["工伤认定调查", "工伤认定调查"]


def test_a_formula_looking_cell_stays_text_and_control_characters_are_shown():
    book = _book([make_item("a", "托格拉克乡", "basic", 1, "=HYPERLINK(\"http://x\")\x1b[2J")])
    cell = book.active.cell(row=2, column=EXPORT_FIELDS.index("name") + 1)
    assert cell.data_type == "s"
    assert cell.value == "=HYPERLINK(\"http://x\")␛[2J"


def test_the_cli_writes_xlsx_to_a_file_and_refuses_it_on_a_terminal(
        run_cli, tmp_path: Path, monkeypatch):
    assert run_cli("ingest", "--quiet", "--samples")[0] == 0
    target = tmp_path / "out.xlsx"
    code, _, err = run_cli("export", "--format", "xlsx", "-o", str(target), "--township", "昭苏镇")
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["基本履职事项", "配合履职事项", "上级部门收回事项"]
    assert book["基本履职事项"].max_row == 89 + 1  # 昭苏镇's 89 basic rows and the header
    monkeypatch.setattr("lvzhi.cli.base.stdout_is_terminal", lambda: True)
    code, _, err = run_cli("export", "--format", "xlsx")
    assert code != 0 and "-o FILE" in err
