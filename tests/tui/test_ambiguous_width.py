"""Rows with “ ” … — · ① never drift by a cell, whatever width the terminal draws East Asian
*ambiguous* characters at (issue 13, item 6).

Rich measures them as one cell; CJK terminals draw them as two. Every line of the items
table and every cell of the compare and counterparts tables is measured here both ways and
must come out the same width: the columns hold in either kind of terminal.
"""

from __future__ import annotations

import asyncio
import csv
import io
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len, get_character_cell_size
from textual.widgets import DataTable
from tui_support import build_store, make_app, settle

from lvzhi.text import unambiguous_width
from lvzhi.tui.screens.compare import CompareScreen
from lvzhi.tui.widgets.item_table import ItemTable, fit, fit_marked

AMBIGUOUS = "“”‘’…—·①"

NAMES = [
    "负责村“两委”干部及其后备干部“选育管用”工作",
    "“两委”换届、村务监督委员会……选举",
    "做好‘三会一课’——主题党日·组织生活会",
    "①摸排 ②上报、做好“四老”人员（老干部、老党员）关爱",
    "开展矛盾纠纷排查化解、“三调联动”…工作",
]


def drawn_width(text: str, ambiguous: int) -> int:
    """Cells a terminal moves for ``text`` when it draws ambiguous characters ``ambiguous``
    cells wide (1: most Western terminals, 2: CJK ones)."""
    return sum(ambiguous if unicodedata.east_asian_width(c) == "A"
               else get_character_cell_size(c) for c in text)


def lists_csv(place: str) -> str:
    rows: list[list[str]] = [[f"{place}基本履职事项清单"], ["序号", "事项类别", "事项名称"]]
    rows += [[str(n), "党的建设", name] for n, name in enumerate(NAMES, start=1)]
    rows += [[f"{place}配合履职事项清单"],
             ["序号", "事项类别", "事项名称", "对应上级部门", "上级部门职责", "乡镇配合职责"]]
    rows += [["1", "民生服务", "“两委”干部……培训", "县委组织部·县人社局",
              "①制定方案、②组织培训", "‘组织参训’——及时上报"]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def quoted_store(tmp_path: Path) -> Path:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "a.csv").write_text(lists_csv("伊犁州伊宁市托格拉克乡"), encoding="utf-8")
    (folder / "b.csv").write_text(lists_csv("伊犁州昭苏县昭苏镇"), encoding="utf-8")
    return build_store(tmp_path, [folder])


def test_unambiguous_width_keeps_one_character_for_one_and_the_meaning() -> None:
    for name in NAMES:
        shown = unambiguous_width(name)
        assert len(shown) == len(name)  # search-match spans still hold
        assert drawn_width(shown, 1) == drawn_width(shown, 2) == cell_len(shown)
    assert unambiguous_width("负责村“两委”干部") == "负责村「两委」干部"
    assert unambiguous_width("……、①") == "⋯⋯、➀"  # 、 is wide everywhere: it stays
    assert unambiguous_width("Xi’an") == "Xi'an"


@pytest.mark.parametrize("width", [3, 8, 11, 17, 30, 60])
def test_fit_is_as_wide_in_every_terminal(width: int) -> None:
    for name in NAMES:
        for ambiguous in (1, 2):
            assert drawn_width(fit(name, width), ambiguous) == width, (name, ambiguous)
            runs = fit_marked(name, width, [(3, 5)])
            assert drawn_width("".join(t for t, _ in runs), ambiguous) == width


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_rows_with_quotes_and_ellipses_never_drift(quoted_store: Path,
                                                   size: tuple[int, int]) -> None:
    app = make_app(quoted_store, None)

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            table = app.main.query_one(ItemTable)
            names = {row.name for row in table.rows}
            assert all(any(c in "".join(names) for c in chars) for chars in ("“", "…", "、"))
            for query in ("", "两委"):  # every row, then highlighted search matches
                if query:
                    await pilot.press("slash", *query)
                    await settle(pilot)
                    assert table.view.spans
                width = table.scrollable_content_region.width
                for y in range(table.size.height):
                    line = table.render_line(y).text
                    for ambiguous in (1, 2):
                        assert drawn_width(line, ambiguous) == width, (y, line)

            doc_a, doc_b = app.catalog.documents[:2]
            app.push_screen(CompareScreen(doc_a, doc_b))
            await settle(pilot)
            cells = 0
            for data_table in app.screen.query(DataTable):
                for row in range(data_table.row_count):
                    for value in data_table.get_row_at(row):
                        text = getattr(value, "plain", str(value))
                        assert drawn_width(text, 2) == drawn_width(text, 1), text
                        cells += any(c in text for c in "「⋯")
            assert cells  # the quoted names were there to measure

    asyncio.run(run())
