"""Extra columns in the plain-text dump reader, measured on a fixed random draw.

    python3 benchmarks/dump_extras.py [--files 40] [--first 0] [--split]

Each file is one seed (000, 002 or 004: the dump-style seeds) printed with the dump generator of
the test suite (``tests/layouts/render_dump.py``) in a random style, with one to three extra
columns drawn by ``tests/layouts/extra_columns.py`` (which, where, how wide, what text, how
often empty), for each way of printing categories. Draw ``i`` uses ``random.Random(i)``, so
the figures of one ``--first``/``--files`` range are the same on every run. Per variant:
files read and trusted, rows with every field exact, fields exact, and files read wrong yet
trusted (the one figure that must stay 0; rows no dump prints one way, ``_ambiguous`` in
the dump reader's tests, are not counted wrong). ``--split``: the receiver printed in two columns
(承接部门 | 工作方式), under a two-row header half the time (drawn after the rest, so draw ``i``
is otherwise the same list).
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

from lvzhi.ingest import IngestError, extract_file  # noqa: E402
from lvzhi.plugins import load_plugins  # noqa: E402
from tests.extractors.test_plaintext_layouts import _ambiguous  # noqa: E402
from tests.layouts import extra_columns, render_dump  # noqa: E402
from tests.layouts.render_dump import SEED_PLACES  # noqa: E402
from tests.layouts.truth import SEEDS, expected, score  # noqa: E402

DUMP_SEEDS = tuple(seed for seed in SEEDS if seed[:3] in ("000", "002", "004"))
CATEGORIES = ("column", "merged", "section", "none")


def one(registry, work: Path, number: int, categories: str,
        split: bool = False) -> dict[str, int]:
    rnd = random.Random(number)
    seed = rnd.choice(DUMP_SEEDS)
    style = extra_columns.random_style(rnd)
    columns = extra_columns.draw(rnd, categories)
    layout = replace(extra_columns.layout_of(columns, categories, 12),
                     place=SEED_PLACES[seed[:3]])
    if split:
        layout = replace(layout, receiver_split=True, two_row_header=rnd.random() < 0.5)
    truth = expected(seed, layout)
    extra_columns.fill(truth, columns)
    path = work / "list.txt"
    path.write_bytes(render_dump.render(truth, layout, replace(style,
                                                               extra_widths=columns.widths)))
    out = Counter(files=1, rows=len(truth.rows), fields=len(truth.rows) * 9,
                  middle=not columns.placed)
    try:
        extraction = extract_file(registry, path, forced="plaintext")
    except IngestError:
        out["refused"] = 1
        return out
    doc = extraction.document
    result = score(extraction.items, truth, place=(doc.prefecture, doc.county, doc.township))
    # (with --split, rows whose department cell the truth fills with a sentence are read
    # as the method, as the dump reader's tests expect: ``_ambiguous`` there)
    ambiguous = _ambiguous(seed, truth, layout)
    wrong_rows = {" ".join(d.split()[:2]) for d in result.differences
                  if not d.startswith(ambiguous)}
    out["rows right"] = result.rows_matched - len(wrong_rows & {
        f"{row.list} {row.serial}" for row in truth.rows})
    out["fields right"] = result.fields_exact
    out["uncertain"] = sum(int(w.split(" is uncertain on ")[1].split()[0])
                           for w in extraction.report.warnings if " is uncertain on " in w)
    trusted = extraction.report.trustworthy
    out["trusted"] = trusted
    exact = (not wrong_rows and result.place_ok
             and result.rows_found == result.rows_expected == result.rows_matched)
    out["trusted right"] = trusted and exact
    out["trusted wrong"] = trusted and not exact
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=40, help="files per variant")
    parser.add_argument("--first", type=int, default=0, help="the first draw's number")
    parser.add_argument("--split", action="store_true",
                        help="print the receiver in two columns (承接部门 | 工作方式)")
    args = parser.parse_args()
    registry = load_plugins([])
    totals: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as work:
        for categories in CATEGORIES:
            sums: Counter[str] = Counter()
            for number in range(args.first, args.first + args.files):
                sums += one(registry, Path(work), number, categories, args.split)
            totals += sums
            _line(categories, sums)
    _line("all", totals)


def _line(name: str, sums: Counter[str]) -> None:
    print(f"{name:8} files {sums['files']:4} (extra column after the name: {sums['middle']:3}) "
          f"refused {sums['refused']:3}  trusted {sums['trusted']:3}  "
          f"rows right {sums['rows right']:5}/{sums['rows']:5}  "
          f"fields right {sums['fields right']:6}/{sums['fields']:6}  "
          f"rows uncertain {sums['uncertain']:4}  "
          f"trusted right {sums['trusted right']:3}  trusted wrong {sums['trusted wrong']:3}")


if __name__ == "__main__":
    main()
