"""A file holding several townships' lists (a county's lists in one file) is refused, saying
why: read as one document it would put every row under the first township, trusted."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lvzhi.extractor import ExtractionError
from lvzhi.extractors.tables import TableAssembler
from lvzhi.ingest import IngestError, extract_file
from lvzhi.plugins import load_plugins
from tests.extractors.test_xlsx import workbook_bytes
from tests.layouts import render_html, render_markdown, render_tsv
from tests.layouts.truth import PLACES, SEEDS, expected, layouts

RENDERERS = {
    "tsv": lambda truth, layout: render_tsv.render(truth, layout),
    "md": lambda truth, layout: render_markdown.render(truth, layout),
    "html": lambda truth, layout: render_html.render(truth, layout),
}


def _county_file(fmt: str, layout, places) -> bytes:
    """Two townships' lists, one after the other in one file, as a county publishes them."""
    parts = [RENDERERS[fmt](expected(seed, replace(layout, place=place)), layout=replace(
        layout, place=place)) for seed, place in zip(SEEDS, places, strict=False)]
    if fmt != "html":
        return b"\n\n".join(parts)
    pages = [part.decode() for part in parts]
    bodies = [page.split("<body", 1)[1].split(">", 1)[1].rsplit("</body>", 1)[0]
              for page in pages]
    return (pages[0].split("<body", 1)[0] + "<body>" + "\n".join(bodies)
            + "</body></html>").encode()


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(fmt=st.sampled_from(sorted(RENDERERS)), layout=layouts(rows=4),
       places=st.lists(st.sampled_from(PLACES), min_size=2, max_size=2, unique=True))
def test_a_file_of_two_townships_is_refused_naming_both(tmp_path_factory, fmt, layout,
                                                         places) -> None:
    path = tmp_path_factory.mktemp("county") / f"county.{fmt}"
    path.write_bytes(_county_file(fmt, layout, places))
    with pytest.raises(IngestError, match="more than one township") as caught:
        extract_file(load_plugins([]), path)
    assert places[1].township in str(caught.value)


def _read(events: list[tuple[str, object]]) -> str:
    tables = TableAssembler()
    for kind, event in events:
        if kind == "text":
            tables.text(str(event))
        else:
            tables.row(event)  # type: ignore[arg-type]
    return tables.finish().township


HEADER = ["序号", "事项类别", "事项名称"]


def test_the_same_township_named_two_ways_is_one_township() -> None:
    assert _read([("text", "龙港街道基本履职事项清单"), ("row", HEADER),
                  ("row", ["1", "党的建设", "甲"]),
                  ("text", "温州市龙港市龙港街道办事处配合履职事项清单"),
                  ("row", ["序号", "事项名称", "上级部门", "部门职责", "乡镇职责"]),
                  ("row", ["1", "乙", "县民政局", "指导", "配合"])]) == "龙港街道"


def test_a_county_cover_before_the_township_title_is_no_second_township() -> None:
    assert _read([("text", "苍南县乡镇（街道）履职事项清单"),
                  ("text", "灵溪镇基本履职事项清单"), ("row", HEADER),
                  ("row", ["1", "党的建设", "甲"])]) == "灵溪镇"


def test_another_township_named_after_the_last_row_is_no_list_of_its_own() -> None:
    # a closing line naming another place holds no rows: nothing is refused
    assert _read([("text", "灵溪镇基本履职事项清单"), ("row", HEADER),
                  ("row", ["1", "党的建设", "甲"]),
                  ("text", "王集镇基本履职事项清单")]) == "灵溪镇"


def test_the_second_township_s_rows_are_what_refuses(tmp_path: Path) -> None:
    tables = TableAssembler()
    tables.text("灵溪镇基本履职事项清单")
    tables.row(HEADER)
    tables.row(["1", "党的建设", "甲"])
    tables.text("王集镇基本履职事项清单")
    tables.row(HEADER)
    tables.row(["1", "党的建设", "乙"])
    with pytest.raises(ExtractionError, match=r"灵溪镇, and 王集镇"):
        tables.finish()


def _workbook(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> Path:
    path.write_bytes(workbook_bytes(*sheets))
    return path


BASIC: list[list[object]] = [["序号", "事项类别", "事项名称"], ["1", "党的建设", "甲"],
                             ["2", "党的建设", "乙"]]


def test_a_workbook_of_a_sheet_a_township_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "county.xlsx", [("灵溪镇", BASIC), ("王集镇", BASIC)])
    with pytest.raises(IngestError, match=r"灵溪镇, and 王集镇 from sheet 2"):
        extract_file(load_plugins([]), path)


def test_a_sheet_named_by_its_township_names_the_document_s_township(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "one.xlsx", [("灵溪镇", BASIC)])
    assert extract_file(load_plugins([]), path).document.township == "灵溪镇"


def test_a_title_s_township_rules_over_a_sheet_s_name(tmp_path: Path) -> None:
    """A sheet still named after the township whose workbook was copied: the title rules."""
    path = _workbook(tmp_path / "copied.xlsx",
                     [("王集镇", [["灵溪镇基本履职事项清单"], *BASIC])])
    assert extract_file(load_plugins([]), path).document.township == "灵溪镇"


def test_two_townships_dumps_in_one_text_file_are_refused(tmp_path: Path) -> None:
    """The seeds' dump style: two townships' dumps one after the other in one file."""
    from tests.conftest import SAMPLES

    first, second = sorted(SAMPLES.glob("*.txt"))[:2]
    path = tmp_path / "county.txt"
    path.write_bytes(first.read_bytes() + b"\n" + second.read_bytes())
    with pytest.raises(IngestError, match="more than one township"):
        extract_file(load_plugins([]), path)
