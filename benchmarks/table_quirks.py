"""How the table readers read layouts with real county tables' quirks, on fixed draws.

    python3 benchmarks/table_quirks.py --count 40 --seed 1 [--formats tsv,xlsx,html] [--show 3]

Formats: tsv, xlsx, html, docx, and markdown as three converters write it: md-pipe (pandoc,
marker), md-spans (docling: merged cells' text repeated), md-html (MinerU: HTML tables).

``--count`` layouts drawn by ``tests.layouts.truth.random_layout(random.Random(seed + n))``
(every choice of ``layouts()`` and every quirk: titles and 填报单位 rows inside the table,
注 / 合计 / blank rows after the body, other column orders, serial styles, three lists in one
table, stray whitespace), each printed from a seed (by turns) in every format asked and read as
``lvzhi check`` reads it. Per format: documents read exactly, rows found with every field
exact, fields exact, and documents whose report is not clean (text lost or added, serial
problems, errors). ``--show N`` prints the first differences of N documents that are not exact.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._tally import read_into, result_line  # noqa: E402
from tests.layouts import (  # noqa: E402
    render_docx,
    render_html,
    render_markdown,
    render_tsv,
    render_xlsx,
)
from tests.layouts.truth import SEEDS, expected, random_layout  # noqa: E402

RENDERERS = {"tsv": (render_tsv.render, ".tsv"), "xlsx": (render_xlsx.render, ".xlsx"),
             "html": (render_html.render, ".html"), "docx": (render_docx.render, ".docx"),
             **{f"md-{style}": (partial(render_markdown.render, style=style), ".md")
                for style in render_markdown.STYLES}}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=12)
    parser.add_argument("--formats", default="tsv,xlsx,html,docx")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--plain", action="store_true", help="no quirks (the base layouts)")
    args = parser.parse_args()
    totals: dict[str, Counter[str]] = {f: Counter() for f in args.formats.split(",")}
    shown = 0
    with tempfile.TemporaryDirectory() as folder:
        for n in range(args.count):
            rnd = random.Random(args.seed * 100_000 + n)
            layout = random_layout(rnd, rows=args.rows, quirks=not args.plain)
            seed = SEEDS[n % len(SEEDS)]
            truth = expected(seed, layout)
            for name, total in totals.items():
                render, suffix = RENDERERS[name]
                reading = read_into(total, Path(folder) / f"list{suffix}",
                                    render(truth, layout), truth)
                result, extraction = reading.result, reading.extraction
                if result is None or extraction is None:
                    if shown < args.show:
                        shown += 1
                        print(f"--- {name} draw {n}: {reading.error}\n{layout}")
                    continue
                report = extraction.report
                if (not result.perfect or not reading.clean) and shown < args.show:
                    shown += 1
                    print(f"--- {name} draw {n} ({seed[:3]}): {result}\n  lost "
                          f"{report.lost[:3]} added {report.added[:3]} serial "
                          f"{report.serial_problems[:2]} errors {report.errors[:2]}\n  {layout}")
    for name, total in totals.items():
        print(result_line(total, ["exact", "rows found", "fields", "not clean", "failed"], name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
