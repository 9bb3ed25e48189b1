"""How the table readers read columns merged over rows, on fixed draws.

    python3 benchmarks/merged_cells.py --count 20 --seed 1 [--formats docx,xlsx,xls,html,pdf,tsv] \
        [--show 3]

``--count`` layouts drawn by ``tests.layouts.truth.random_layout(random.Random(seed * 100_000 +
n))`` (every choice and quirk, as ``table_quirks.py`` draws them), then, from a second
``random.Random``, the columns merged over rows (``Layout.merged_columns``: 1–3 of the
cooperative list's 牵头部门 / 部门职责 / 乡镇职责, the reclaimed list's 承接部门 (and 工作方式),
and the extra columns) and ``Layout.run_seed`` (rows made to share those cells in runs of 1–4).
Each is printed from a seed (by turns) in every format asked (the PDF in a page style drawn
as ``pdf_quirks.py`` draws one; a layout reportlab can only print by breaking a row is skipped)
and read as ``lvzhi check`` reads it. A text format (tsv) cannot mark a merge: it prints the
merged cell's text in its first row only, the rows below empty, as an office saves one.
``--formats md-html`` (not by default) prints markdown with HTML tables as MinerU writes them,
a merged cell as ``rowspan``. ``--department-rows`` prints every draw's cooperative matters of
several lead departments a table row per department (``Layout.department_rows``, which the draw
otherwise sets in a third of the draws).

Per format: documents, rows exact (every field), fields exact, documents trusted, and
documents trusted while wrong (the figure that must be 0).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.platypus.doctemplate import LayoutError  # noqa: E402

from benchmarks._tally import TABLE_HEAD, table_row  # noqa: E402
from benchmarks.pdf_quirks import read  # noqa: E402
from lvzhi.plugins import load_plugins  # noqa: E402
from tests.extractors.test_pdftotext import printed  # noqa: E402
from tests.layouts import (  # noqa: E402
    render_docx,
    render_html,
    render_markdown,
    render_tsv,
    render_xls,
    render_xlsx,
)
from tests.layouts.render_pdf import PdfStyle, render_as  # noqa: E402
from tests.layouts.truth import SEEDS, Layout, draw_merges, expected, random_layout  # noqa: E402

RENDERERS = {"docx": (render_docx.render, ".docx"), "xlsx": (render_xlsx.render, ".xlsx"),
             "xls": (render_xls.render, ".xls"), "html": (render_html.render, ".html"),
             "tsv": (render_tsv.render, ".tsv"),
             "md-html": (partial(render_markdown.render, style="html"), ".md")}
READERS = {"tsv": None, "md-html": "markdown"}  # the reader each is read with (None: sniffed)
FORMATS = "docx,xlsx,xls,html,pdf,tsv"


def draw(seed: int, number: int, department_rows: bool = False) -> tuple[Layout, PdfStyle]:
    layout = random_layout(random.Random(seed * 100_000 + number))
    rnd = random.Random(seed * 7_919 + number * 31 + 5)
    layout = replace(layout, **draw_merges(rnd, layout))  # type: ignore[arg-type]
    if department_rows:
        layout = replace(layout, department_rows=True)
    style = PdfStyle(portrait=rnd.random() < 0.4, font_size=rnd.choice((8, 9, 10)),
                     running_title=rnd.random() < 0.7, new_page_per_list=rnd.random() < 0.7)
    return layout, style


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default=FORMATS)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--department-rows", action="store_true")
    args = parser.parse_args()
    registry = load_plugins([])
    formats = args.formats.split(",")
    tallies = {name: Counter[str]() for name in formats}
    shown = 0
    with tempfile.TemporaryDirectory() as folder:
        for number in range(args.count):
            layout, style = draw(args.seed, number, args.department_rows)
            source = SEEDS[number % len(SEEDS)]
            truth = expected(source, layout)
            for name in formats:
                tally = tallies[name]
                if name == "pdf":
                    try:
                        data, used = render_as(truth, layout, style)
                    except LayoutError:
                        tally["skipped"] += 1
                        continue
                    if used.split_rows:
                        tally["skipped"] += 1
                        continue
                    path, want, lenient = Path(folder) / "list.pdf", printed(truth), True
                else:
                    render, suffix = RENDERERS[name]
                    data, path, want, lenient = (render(truth, layout), Path(folder) /
                                                 f"list{suffix}", truth, False)
                path.write_bytes(data)
                wrong = read(registry, path, READERS.get(name, name), want, tally,
                             lenient=lenient)
                if wrong and shown < args.show:
                    shown += 1
                    print(f"--- {name} draw {number} ({source[:3]}): {wrong[0][:300]}\n  "
                          f"{layout}\n  " + "\n  ".join(wrong[1:10]))
    print(f"{'format':6} {TABLE_HEAD}")
    for name, t in tallies.items():
        print(f"{name:6} {table_row(t, t['skipped'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
