"""How fast each format is read: one generated list of about 300 rows per format, extracted
several times in one process (the median is reported), as ``lvzhi check`` would read it.

    python3 benchmarks/formats.py [--rows 300] [--repeat 5] [--json OUT]

The documents are rendered by the layout generator of the test suite (``tests/layouts``) from
the seeds' rows, in a layout with section-row categories, a two-row header, a split receiver
and an extra column, so the figures include what real county files make a reader do. The pdftotext
dumps need poppler's ``pdftotext`` on the PATH; a format whose renderer or tool is missing is
reported as skipped.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lvzhi.ingest import IngestError, extract_file  # noqa: E402
from lvzhi.plugins import load_plugins  # noqa: E402
from tests.layouts.truth import (  # noqa: E402
    PLACES,
    SEEDS,
    Layout,
    Truth,
    TruthRow,
    expected,
    score,
)


def _pdftotext(*flags: str) -> Callable[[bytes, Path], bytes]:
    def dump(pdf: bytes, work: Path) -> bytes:
        source = work / "list.pdf"
        source.write_bytes(pdf)
        out = work / "dump.txt"
        subprocess.run(["pdftotext", *flags, str(source), str(out)], check=True)
        return out.read_bytes()
    return dump


# format -> (renderer module, file suffix, post-processing of the rendered bytes, tool needed)
FORMATS: dict[str, tuple[str, str, Callable[[bytes, Path], bytes] | None, str | None]] = {
    "tsv": ("tests.layouts.render_tsv", ".tsv", None, None),
    "docx": ("tests.layouts.render_docx", ".docx", None, None),
    "xlsx": ("tests.layouts.render_xlsx", ".xlsx", None, None),
    "xls": ("tests.layouts.render_xls", ".xls", None, None),
    "html": ("tests.layouts.render_html", ".html", None, None),
    "pdf": ("tests.layouts.render_pdf", ".pdf", None, None),
    "pdftotext -layout": ("tests.layouts.render_pdf", ".txt", _pdftotext("-layout"),
                          "pdftotext"),
    "pdftotext": ("tests.layouts.render_pdf", ".txt", _pdftotext(), "pdftotext"),
    "plain-text dump": ("tests.layouts.render_dump", ".txt", None, None),
}


def truth_of(rows: int) -> tuple[Truth, Layout]:
    """The seeds' rows until the document holds ``rows`` rows (lists in their order)."""
    layout = Layout(place=PLACES[-5], categories="section", two_row_header=True,
                    receiver_split=True, extra=(("备注", -1),))
    truth = expected(SEEDS[4], layout)
    kinds = {row.list for row in truth.rows}
    per_list = -(-rows // len(kinds))
    picked: list[TruthRow] = []
    for kind in sorted(kinds, key=lambda k: ("basic", "cooperative", "reclaimed").index(k)):
        own = truth.of(kind)
        picked += [replace(own[n % len(own)], serial=n + 1) for n in range(per_list)]
    return Truth(truth.place, picked), layout


def measure(name: str, truth: Truth, layout: Layout, repeat: int, work: Path) -> dict:
    module_name, suffix, post, tool = FORMATS[name]
    if tool and not shutil.which(tool):
        return {"format": name, "skipped": f"{tool} not on PATH"}
    try:
        render = importlib.import_module(module_name).render
    except ImportError as exc:
        return {"format": name, "skipped": f"no renderer ({exc})"}
    try:
        data = render(truth, layout)
    except Exception as exc:  # a renderer that cannot draw this layout (reportlab, say)
        return {"format": name, "skipped": f"cannot render: {type(exc).__name__}"}
    if post is not None:
        data = post(data, work)
    path = work / f"list{suffix}"
    path.write_bytes(data)
    registry = load_plugins([])
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            extraction = extract_file(registry, path)
        except IngestError as exc:  # refused: say so, and time the refusal
            return {"format": name, "refused": exc.reason,
                    "median_s": round(time.perf_counter() - start, 4)}
        times.append(time.perf_counter() - start)
    doc = extraction.document
    result = score(extraction.items, truth, place=(doc.prefecture, doc.county, doc.township))
    return {"format": name, "extractor": extraction.extractor, "bytes": len(data),
            "rows": result.rows_found, "rows_expected": result.rows_expected,
            "fields_exact": result.fields_exact, "fields_expected": result.fields_expected,
            "lost_chars": extraction.report.lost_chars,
            "median_s": round(statistics.median(times), 4), "min_s": round(min(times), 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="comma-separated, from: " + ", ".join(FORMATS))
    parser.add_argument("--json", type=Path, metavar="OUT")
    args = parser.parse_args(argv)
    truth, layout = truth_of(args.rows)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name in args.formats.split(","):
            work = Path(folder) / name.replace(" ", "_")
            work.mkdir()
            results.append(measure(name, truth, layout, args.repeat, work))
    print(f"{'format':<18} {'rows':>9} {'fields':>11} {'lost':>5} {'median s':>9}")
    for r in results:
        if "skipped" in r or "refused" in r:
            print(f"{r['format']:<18} " + (f"skipped: {r['skipped']}" if "skipped" in r
                                           else f"refused: {r['refused'][:60]}"))
            continue
        print(f"{r['format']:<18} {r['rows']:>4}/{r['rows_expected']:<4} "
              f"{r['fields_exact']:>5}/{r['fields_expected']:<5} {r['lost_chars']:>5} "
              f"{r['median_s']:>9.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
