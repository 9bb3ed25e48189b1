"""How the Word and Excel readers read lists saved as counties really save them, on fixed draws.

    python3 benchmarks/office_quirks.py --count 30 --seed 1 [--formats xlsx,xls,docx] [--show 3] \
        [--no-serial]

``--count`` layouts drawn by ``random_layout(random.Random(seed * 100_000 + n))`` (every
quirk of ``table_quirks.py``), each with the office quirks of its format drawn from the same
random source (``tests.layouts.sheet_quirks.draw_sheet_quirks``: table not at A1, hidden
leftover rows and columns, serial formulas without cached values, rich text, formatted empty
columns, 目录/说明 sheets, sheet names …; ``tests.layouts.docx_quirks.draw_docx_quirks``:
tables per page with rows cut between them, content controls, tracked changes, hidden text,
fields and hyperlinks …), printed from a seed (by turns) and read as ``lvzhi check`` reads it.
Per format: rows exact (every field), fields exact, documents trusted, trusted while wrong
(the figure that must be 0) and refused (an error). Use one seed to look at failures and
another, held out, only for totals.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._tally import read_into, result_line  # noqa: E402
from tests.layouts import render_docx, render_xls, render_xlsx  # noqa: E402
from tests.layouts.docx_quirks import draw_docx_quirks  # noqa: E402
from tests.layouts.sheet_quirks import draw_sheet_quirks  # noqa: E402
from tests.layouts.truth import SEEDS, expected, random_layout  # noqa: E402


def renderer(name: str, rnd: random.Random):
    if name == "xlsx":
        quirks = draw_sheet_quirks(rnd)
        return (lambda t, lay: render_xlsx.render(t, lay, quirks=quirks)), ".xlsx", quirks
    if name == "xls":
        quirks = draw_sheet_quirks(rnd, xls=True)
        return (lambda t, lay: render_xls.render(t, lay, quirks=quirks)), ".xls", quirks
    docx_quirks = draw_docx_quirks(rnd)
    return (lambda t, lay: render_docx.render(t, lay, quirks=docx_quirks)), ".docx", docx_quirks


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=12)
    parser.add_argument("--formats", default="xlsx,xls,docx")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--no-serial", action="store_true",
                        help="every list printed without 序号 (drawn otherwise as usual)")
    args = parser.parse_args()
    totals: dict[str, Counter[str]] = {f: Counter() for f in args.formats.split(",")}
    shown = 0
    with tempfile.TemporaryDirectory() as folder:
        for n in range(args.count):
            rnd = random.Random(args.seed * 100_000 + n)
            layout = random_layout(rnd, rows=args.rows)
            if args.no_serial:
                layout = replace(layout, no_serial=True, serials_per_category=False)
            seed = SEEDS[n % len(SEEDS)]
            truth = expected(seed, layout)
            for name, total in totals.items():
                render, suffix, quirks = renderer(name, random.Random(f"{name}{args.seed}:{n}"))
                reading = read_into(total, Path(folder) / f"list{suffix}",
                                    render(truth, layout), truth)
                result, extraction = reading.result, reading.extraction
                if result is None or extraction is None:
                    if shown < args.show:
                        shown += 1
                        print(f"--- {name} draw {n}: refused: {reading.error}\n  {layout}\n"
                              f"  {quirks}")
                    continue
                report = extraction.report
                if not result.perfect and shown < args.show:
                    shown += 1
                    print(f"--- {name} draw {n} ({seed[:3]}): {result} trusted "
                          f"{report.trustworthy} {report.distrust()[:200]}\n  {layout}\n"
                          f"  {quirks}\n  warnings {extraction.document.warnings[:3]}")
    for name, t in totals.items():
        print(result_line(t, ["perfect", "rows", "fields", "trusted", "trusted wrong",
                              "refused"], name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
