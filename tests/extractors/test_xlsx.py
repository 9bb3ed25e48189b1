"""The Excel .xlsx extractor: every seed as a county's workbook in every layout variant (one
sheet per list, all lists in one sheet, sheets named after their list without title rows),
merged cells, cell values, hidden sheets, and bad input."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from lvzhi.extractor import NoDutyListError
from lvzhi.extractors.xlsx import XlsxExtractor, _package
from lvzhi.model import ListKind
from tests.extractors.office_checks import (
    VARIANTS,
    XINJIANG,
    assert_drawn_workbook_reads,
    assert_merged_columns_read,
    assert_reads_exactly,
    assert_saved_workbooks_read,
    assert_variant_reads_exactly,
    one_line_error,
    read,
    workbook,
)
from tests.layouts import render_xls, render_xlsx
from tests.layouts.sheet_quirks import SheetQuirks
from tests.layouts.truth import MERGE_VARIANTS, SEEDS, Layout, layouts

B, C, R = ListKind.BASIC, ListKind.COOPERATIVE, ListKind.RECLAIMED
FIXTURES = Path(__file__).parent / "fixtures"
SHEETS = {
    "one sheet per list": {},
    "all lists in one sheet": {"sheets": "one"},
    "sheets named after their list, no title rows": {"title_rows": False},
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_in_every_variant_reads_exactly(tmp_path, seed, variant):
    assert_variant_reads_exactly(tmp_path, "xlsx", seed, variant)


@pytest.mark.parametrize("variant", MERGE_VARIANTS)
@pytest.mark.parametrize("sheets", SHEETS)
def test_columns_merged_over_rows(tmp_path, sheets, variant):
    """牵头部门, duties, 承接部门 … as one merged range over a run of rows: every row of the
    run holds its text, and the report counts it once."""
    assert_merged_columns_read(tmp_path, "xlsx", SEEDS[list(SHEETS).index(sheets) * 2],
                               MERGE_VARIANTS[variant], **SHEETS[sheets])


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=12, quirks=True, merges=True))
def test_any_layout_with_merged_columns_reads_exactly(tmp_path, layout):
    assert_reads_exactly(tmp_path / "list.xlsx", render_xlsx.render, layout, [SEEDS[3]])


@pytest.mark.parametrize("sheets", SHEETS)
@pytest.mark.parametrize("variant", ["seed", "two-row header, merged categories",
                                     "section rows", "township header, 协同/上收"])
def test_every_way_of_sheeting_the_lists(tmp_path, sheets, variant):
    assert_reads_exactly(tmp_path / "list.xlsx", workbook("xlsx", **SHEETS[sheets]),
                         VARIANTS[variant], SEEDS)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=12, quirks=True))
def test_any_layout_reads_exactly(tmp_path, layout):
    for seed, options in ((SEEDS[0], {}), (SEEDS[1], {"sheets": "one"}),
                          (SEEDS[2], {"title_rows": False})):
        assert_reads_exactly(tmp_path / "list.xlsx", workbook("xlsx", **options), layout,
                             [seed])


# --- cells, sheets, positions ---------------------------------------------------------------

TITLE = "新疆维吾尔自治区伊犁哈萨克自治州伊宁县吉里于孜镇基本履职事项清单"


def workbook_bytes(*sheets: tuple[str, list[list[object]]], hidden: tuple[str, ...] = (),
                   merges: tuple[tuple[str, str], ...] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
        for sheet_name, cells in merges:
            if sheet_name == name:
                sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def extract(tmp_path: Path, data: bytes):
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    return XlsxExtractor().extract(path)


HEADER = ["序号", "事项类别", "事项名称"]


def test_values_as_the_sheet_shows_them(tmp_path):
    rows = [[TITLE], HEADER,
            [1.0, "党的建设", "甲事项\n第二行"],
            [2, "经济\r\n发展", datetime.datetime(2025, 3, 1)],
            [3, "平安建设", 1.5],
            [4, "民生服务", True],
            ["5", "  综合  政务 ", "乙事项"]]
    doc = extract(tmp_path, workbook_bytes(("清单", rows)))
    assert [(r.serial, r.category, r.name) for r in doc.rows] == [
        (1, "党的建设", "甲事项第二行"), (2, "经济发展", "2025-03-01"), (3, "平安建设", "1.5"),
        (4, "民生服务", "TRUE"), (5, "综合 政务", "乙事项")]
    assert (doc.rows[0].span.line_first, doc.rows[0].span.page_first) == (3, 1)


def test_escaped_carriage_returns_are_line_breaks(tmp_path):
    """Excel writes a carriage return pasted into a cell as _x000D_, which openpyxl keeps."""
    data = workbook_bytes(("清单", [[TITLE], HEADER, [1, "党的建设", "甲事项乙事项"]]))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            text = source.read(info)
            if info.filename.startswith("xl/worksheets/"):  # openpyxl writes 甲 as &#30002;
                text = text.replace(b"&#30002;&#20107;&#39033;&#20057;",
                                    b"&#30002;&#20107;&#39033;_x000D_\n&#20057;")
            target.writestr(info, text)
    assert [r.name for r in extract(tmp_path, out.getvalue()).rows] == ["甲事项乙事项"]


def test_a_sheet_name_opens_its_list_and_hidden_sheets_are_skipped(tmp_path):
    cooperative = [["序号", "事项类别", "事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责"],
                   [1, "平安建设", "丙事项", "县公安局", "部署", "配合"]]
    data = workbook_bytes(("吉里于孜镇基本履职事项清单", [HEADER, [1, "党的建设", "甲事项"]]),
                          ("旧版", [HEADER, [1, "党的建设", "旧事项"]]),
                          ("配合履职事项", cooperative), hidden=("旧版",))
    doc = extract(tmp_path, data)
    assert [(r.list, r.serial, r.name) for r in doc.rows] == [(B, 1, "甲事项"), (C, 1, "丙事项")]
    assert doc.township == "吉里于孜镇"
    assert any("hidden sheet “旧版” not read" in w for w in doc.warnings)
    assert doc.rows[1].span.page_first == 3  # the third sheet, hidden ones counted


def test_a_preface_above_the_table_becomes_notes(tmp_path):
    rows = [["吉里于孜镇履职事项清单"], ["说明："], ["本清单共1项。"], [], [TITLE], HEADER,
            [1, "党的建设", "甲事项"]]
    doc = extract(tmp_path, workbook_bytes(("Sheet1", rows)))
    assert doc.notes == "本清单共1项。"
    assert doc.title == "吉里于孜镇履职事项清单"
    assert [r.name for r in doc.rows] == ["甲事项"]


def test_merged_cells_are_none_beyond_their_first_position(tmp_path):
    rows = [[TITLE], HEADER, ["一、党的建设"], [1, None, "甲事项"], [2, "组织", "乙事项"],
            [3, None, "丙事项"]]
    data = workbook_bytes(("清单", rows), merges=(("清单", "A1:C1"), ("清单", "A3:C3"),
                                                  ("清单", "B5:B6")))
    doc = extract(tmp_path, data)
    assert [(r.serial, r.category) for r in doc.rows] == [(1, "党的建设"), (2, "组织"),
                                                          (3, "党的建设")]
    # 3's category is the merged 组织 above: empty here, the core fills it down
    assert doc.rows[2].category_filled


def test_an_old_xls_named_xlsx_is_read_as_one(tmp_path):
    assert_reads_exactly(tmp_path / "list.xlsx", render_xls.render,
                         Layout(place=XINJIANG, rows=5), [SEEDS[0]], extractor="xlsx")


# --- bad input ------------------------------------------------------------------------------

def zip_of(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def good() -> bytes:
    return workbook_bytes(("清单", [[TITLE], HEADER, [1, "党的建设", "甲事项"]]))


def broken_sheet() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[:150] if "worksheets/sheet" in info.filename else data)
    return out.getvalue()


BAD = {
    "a text file": ("序号\t事项类别\n1\t党的建设\n".encode(), "not a zip package"),
    "a truncated download": (good()[:2000], "damaged or truncated"),
    "a Word document named .xlsx": (zip_of({"[Content_Types].xml": "<Types/>",
                                            "word/document.xml": "<document/>"}),
                                    "a Word document"),
    "damaged sheet XML": (broken_sheet(), "damaged and cannot be read"),
    "password-protected": ((FIXTURES / "encrypted.xlsx").read_bytes(),
                           "password-protected or encrypted"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_one_line(tmp_path, case):
    data, words = BAD[case]
    assert words in one_line_error(tmp_path / "list.xlsx", data, "xlsx")


def test_no_list_and_an_empty_sheet(tmp_path):
    with pytest.raises(NoDutyListError, match="no table"):
        extract(tmp_path, workbook_bytes(("Sheet1", [])))
    with pytest.raises(NoDutyListError, match="no duty list"):
        extract(tmp_path, workbook_bytes(("通讯录", [["姓名", "电话"], ["张三", 123]]),
                                         ("Sheet2", [])))

def test_a_row_missing_cells_is_reported_where_it_stands(tmp_path):
    """A sheet is rectangular: a row that stops short has empty cells, not fewer, so no row
    is cut; the extraction report names the row's empty fields with sheet and row."""
    extraction = read(tmp_path / "list.xlsx", workbook_bytes(
        ("封面", [["吉里于孜镇履职事项清单"]]),
        ("上级部门收回事项清单", [[*HEADER, "承接部门及工作方式"],
                                  [1, "民生服务", "甲事项", "县民政局"],
                                  [2, "民生服务", "乙事项"]])))
    assert [(e.serial, e.problem, e.page, e.line) for e in extraction.report.errors] == [
        (2, "empty receiver cell", 2, 3)]


def test_sniff_by_extension_and_magic(tmp_path):
    sniff = XlsxExtractor().sniff
    assert sniff(tmp_path / "a.xlsx", b"PK\x03\x04rest") >= 0.9
    assert sniff(tmp_path / "a.XLSM", b"PK\x03\x04rest") >= 0.9
    assert 0 < sniff(tmp_path / "a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") < 0.9
    assert sniff(tmp_path / "a.docx", b"PK\x03\x04rest") == 0
    assert sniff(tmp_path / "a.xls", b"PK\x03\x04rest") == 0


# --- workbooks as counties save them (tests/layouts/sheet_quirks.py) --------------------------

SAVED = {
    "table not at A1": SheetQuirks(top=3, left=2),
    "hidden leftover rows and a hidden helper column": SheetQuirks(hidden_every=4,
                                                                   hidden_column=True),
    "serials =ROW()-k without cached values": SheetQuirks(serial_formulas="row", top=1),
    "serials =A5+1 without cached values": SheetQuirks(serial_formulas="previous"),
    "serials as text, rich text duty cells": SheetQuirks(text_serials=True, rich_text=True),
    "formatted empty columns, autofilter, frozen panes, print titles": SheetQuirks(
        trailing=200, furniture=True),
    "目录 and 说明 sheets, sheets named Sheet1…": SheetQuirks(front_sheets=True,
                                                          sheet_names="numbered"),
    "sheets named 基本/配合/收回": SheetQuirks(sheet_names="short"),
    "an autofilter hiding list rows": SheetQuirks(filtered=True, top=2),
}


@pytest.mark.parametrize("quirks", SAVED)
@pytest.mark.parametrize("variant", ["seed", "two-row header, merged categories",
                                     "section rows"])
def test_workbooks_as_counties_save_them(tmp_path, quirks, variant):
    assert_saved_workbooks_read(tmp_path, "xlsx", SAVED[quirks], variant)


@pytest.mark.parametrize("draw", range(8))
def test_drawn_saving_quirks_read_exactly(tmp_path, draw):
    assert_drawn_workbook_reads(tmp_path, "xlsx", draw)


def test_hidden_rows_and_columns_are_not_read_and_named(tmp_path):
    rows = [[TITLE], HEADER, [1, "党的建设", "甲事项"], [99, "作废", "旧事项"],
            [2, "党的建设", "乙事项"]]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([*row, "辅助"])
    sheet.row_dimensions[4].hidden = True
    sheet.column_dimensions["D"].hidden = True
    # a merged cell whose top-left position is hidden shows in its first shown position
    sheet["B4"] = "平安建设"
    sheet["B5"] = None
    sheet.merge_cells("B4:B5")
    out = io.BytesIO()
    workbook.save(out)
    doc = extract(tmp_path, out.getvalue())
    assert [(r.serial, r.category, r.name) for r in doc.rows] == [
        (1, "党的建设", "甲事项"), (2, "平安建设", "乙事项")]
    assert any("hidden rows 4" in w and "columns D" in w for w in doc.warnings)


def test_formulas_saved_without_values_are_worked_out_or_distrusted(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([TITLE])
    sheet.append(HEADER)
    sheet.append(["=ROW()-2", "党的建设", "甲事项"])
    sheet.append(["=MAX($A$3:A3)+1", "党的建设", "乙事项"])
    sheet.append(["=SUBTOTAL(103,$C$3:C5)", "党的建设", "丙事项"])
    sheet.append(["=COUNTA(B$3:B6)", "党的建设", '=C5&"丁"'])  # text formulas: not worked out
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    extraction = read(path, path.read_bytes())
    assert [item.serial for item in extraction.items] == [1, 2, 3, 4]
    assert [item.name for item in extraction.items][:3] == ["甲事项", "乙事项", "丙事项"]
    assert not extraction.report.trustworthy  # the name of 4 could not be known
    assert any("formula" in w and "C5&" in w for w in extraction.document.warnings)


def test_cells_formatted_far_beyond_the_table_are_dropped_before_loading(tmp_path):
    """A range bordered to column DZ and row 400 (every cell written, empty): openpyxl
    would build an object for each; the reader takes them out first, and reads the same."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in ([TITLE], HEADER, [1, "党的建设", "甲事项"], [2, "", "乙事项"]):
        sheet.append(row)
    fill = openpyxl.styles.PatternFill("solid", fgColor="FFFFFF")
    for row in range(1, 401):
        for column in range(4, 131):
            sheet.cell(row, column).fill = fill
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    source, has_formulas = _package(path)
    assert isinstance(source, io.BytesIO) and not has_formulas
    doc = XlsxExtractor().extract(path)
    assert [(r.serial, r.category, r.name) for r in doc.rows] == [
        (1, "党的建设", "甲事项"), (2, "", "乙事项")]


def test_rows_an_autofilter_hides_are_read(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in ([TITLE], HEADER, [1, "党的建设", "甲事项"], [2, "平安建设", "乙事项"],
                [3, "党的建设", "丙事项"]):
        sheet.append(row)
    sheet.auto_filter.ref = "A2:C5"
    sheet.auto_filter.add_filter_column(1, ["党的建设"])
    sheet.row_dimensions[4].hidden = True
    out = io.BytesIO()
    workbook.save(out)
    doc = extract(tmp_path, out.getvalue())
    assert [r.name for r in doc.rows] == ["甲事项", "乙事项", "丙事项"]
    assert any("rows 4 hidden by a filter read" in w for w in doc.warnings)
