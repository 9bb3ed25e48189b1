"""The old Excel .xls extractor (xlrd): every seed as a BIFF workbook in every layout variant,
values as BIFF stores them (every number a float, dates as serials), hidden sheets, files named
.xls that are something else, and bad input."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
import xlwt
from hypothesis import HealthCheck, given, settings

from lvzhi.extractor import ExtractionError, NoDutyListError
from lvzhi.extractors.xls import XlsExtractor
from lvzhi.ingest import IngestError
from lvzhi.model import ListKind
from tests.extractors.office_checks import (
    VARIANTS,
    XINJIANG,
    assert_drawn_workbook_reads,
    assert_merged_columns_read,
    assert_reads_exactly,
    assert_saved_workbooks_read,
    assert_variant_reads_exactly,
    read,
    workbook,
)
from tests.layouts import render_xlsx
from tests.layouts.sheet_quirks import SheetQuirks
from tests.layouts.truth import MERGE_VARIANTS, SEEDS, Layout, layouts

B, C = ListKind.BASIC, ListKind.COOPERATIVE
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_seed_in_every_variant_reads_exactly(tmp_path, seed, variant):
    assert_variant_reads_exactly(tmp_path, "xls", seed, variant)


@pytest.mark.parametrize("options", [{"sheets": "one"}, {"title_rows": False}],
                         ids=["all lists in one sheet", "sheets named after their list"])
def test_other_ways_of_sheeting_the_lists(tmp_path, options):
    assert_reads_exactly(tmp_path / "list.xls", workbook("xls", **options),
                         VARIANTS["two-row header, merged categories"], SEEDS)


@pytest.mark.parametrize("variant", MERGE_VARIANTS)
def test_columns_merged_over_rows(tmp_path, variant):
    """Columns merged over runs of rows (xlrd's ``merged_cells``): every row of a run holds
    the merged text."""
    assert_merged_columns_read(tmp_path, "xls", SEEDS[4], MERGE_VARIANTS[variant])


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=layouts(rows=12))
def test_any_layout_reads_exactly(tmp_path, layout):
    for seed, options in ((SEEDS[3], {}), (SEEDS[4], {"sheets": "one"})):
        assert_reads_exactly(tmp_path / "list.xls", workbook("xls", **options), layout, [seed])


# --- cells and sheets -----------------------------------------------------------------------

TITLE = "新疆维吾尔自治区伊犁哈萨克自治州伊宁县吉里于孜镇基本履职事项清单"
HEADER = ["序号", "事项类别", "事项名称"]
DATE = xlwt.easyxf(num_format_str="YYYY-MM-DD")


def xls_bytes(*sheets: tuple[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets:
        sheet = workbook.add_sheet(name)
        sheet.visibility = 1 if name in hidden else 0
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime.date):
                    sheet.write(r, c, value, DATE)
                elif value is not None:
                    sheet.write(r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def extract(tmp_path: Path, data: bytes):
    path = tmp_path / "list.xls"
    path.write_bytes(data)
    return XlsExtractor().extract(path)


def test_values_as_the_sheet_shows_them(tmp_path):
    rows = [[TITLE], HEADER,
            [1, "党的建设", "甲事项\n第二行"],
            [2.0, "经济发展", datetime.date(2025, 3, 1)],
            [3, "平安建设", 1.5],
            [4, "民生服务", True]]
    doc = extract(tmp_path, xls_bytes(("清单", rows)))
    assert [(r.serial, r.category, r.name) for r in doc.rows] == [
        (1, "党的建设", "甲事项第二行"), (2, "经济发展", "2025-03-01"), (3, "平安建设", "1.5"),
        (4, "民生服务", "TRUE")]
    assert (doc.rows[0].span.line_first, doc.rows[0].span.page_first) == (3, 1)


def test_hidden_sheets_are_skipped(tmp_path):
    data = xls_bytes(("吉里于孜镇基本履职事项清单", [HEADER, [1, "党的建设", "甲事项"]]),
                     ("旧版", [HEADER, [1, "党的建设", "旧事项"]]), hidden=("旧版",))
    doc = extract(tmp_path, data)
    assert [(r.list, r.serial, r.name) for r in doc.rows] == [(B, 1, "甲事项")]
    assert any("hidden sheet “旧版” not read" in w for w in doc.warnings)


def test_a_xlsx_named_xls_is_read_as_one(tmp_path):
    assert_reads_exactly(tmp_path / "list.xls", render_xlsx.render,
                         Layout(place=XINJIANG, rows=5, categories="merged"), [SEEDS[1]],
                         extractor="xls")


# --- bad input ------------------------------------------------------------------------------

def good() -> bytes:
    return xls_bytes(("清单", [[TITLE], HEADER, [1, "党的建设", "甲事项"]]))


BAD = {
    "a web page named .xls": (b"<html><body><table><tr><td>\xe5\xba\x8f</td></tr></table>",
                              "a web page (HTML)"),
    "a tab-separated export named .xls": ("序号\t事项类别\n1\t党的建设\n".encode(),
                                          "tab-separated export"),
    "a truncated download": (good()[:1500], "damaged and cannot be read"),
    "garbage after the OLE2 magic": (OLE2 + bytes(600), "damaged and cannot be read"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_one_line(tmp_path, case):
    data, words = BAD[case]
    with pytest.raises(ExtractionError) as error:
        extract(tmp_path, data)
    message = str(error.value)
    assert words in message and "\n" not in message


def test_a_web_page_or_text_named_xls_goes_to_a_reader_of_its_content(tmp_path):
    """Online systems export "Excel" files that are HTML tables or tab-separated text: the
    readers that sniff content claim them over the .xls reader's weak claim."""
    page = (f"<html><body><p>{TITLE}</p><table><tr><td>序号</td><td>事项类别</td>"
            "<td>事项名称</td></tr><tr><td>1</td><td>党的建设</td><td>甲事项</td></tr></table>")
    text = f"{TITLE}\n序号\t事项类别\t事项名称\n1\t党的建设\t甲事项\n"
    for data in (page.encode(), text.encode()):
        extraction = read(tmp_path / "list.xls", data)
        assert extraction.extractor != "xls"
        assert [(i.serial, i.name) for i in extraction.items] == [(1, "甲事项")]
    with pytest.raises(IngestError, match=r"damaged and cannot be read .*\[xls\]"):
        read(tmp_path / "list.xls", good()[:1500])


def test_no_list_and_an_empty_sheet(tmp_path):
    with pytest.raises(NoDutyListError, match="no table"):
        extract(tmp_path, xls_bytes(("Sheet1", [])))
    with pytest.raises(NoDutyListError, match="no duty list"):
        extract(tmp_path, xls_bytes(("通讯录", [["姓名", "电话"], ["张三", 123]])))


def test_sniff_by_extension_and_magic(tmp_path):
    sniff = XlsExtractor().sniff
    assert sniff(tmp_path / "a.xls", OLE2) >= 0.9
    assert sniff(tmp_path / "a.XLS", b"PK\x03\x04") >= 0.9  # a .xlsx renamed
    assert 0 < sniff(tmp_path / "a.xls", b"<html>") < 0.5  # claimed weakly, to say what it is
    assert sniff(tmp_path / "a.xlsx", OLE2) == 0


SAVED = {
    "table not at A1, hidden leftover rows and helper column": SheetQuirks(
        top=2, left=1, hidden_every=5, hidden_column=True),
    "serials as text, formatted empty columns": SheetQuirks(text_serials=True, trailing=60),
    "目录 and 说明 sheets, sheets named 基本/配合/收回": SheetQuirks(front_sheets=True,
                                                            sheet_names="short"),
}


@pytest.mark.parametrize("quirks", SAVED)
@pytest.mark.parametrize("variant", ["seed", "two-row header, merged categories"])
def test_workbooks_as_counties_save_them(tmp_path, quirks, variant):
    assert_saved_workbooks_read(tmp_path, "xls", SAVED[quirks], variant)


@pytest.mark.parametrize("draw", range(6))
def test_drawn_saving_quirks_read_exactly(tmp_path, draw):
    assert_drawn_workbook_reads(tmp_path, "xls", draw)
