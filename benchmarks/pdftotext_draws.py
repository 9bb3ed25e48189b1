"""How well the two pdftotext readers read generated list PDFs, on fixed draws.

    python3 benchmarks/pdftotext_draws.py matrix --mode plain|layout [--rows 25]
    python3 benchmarks/pdftotext_draws.py random --mode layout --count 100 --seed 1 \
        [--merged] [--unbroken] [--top] [--headless]

``matrix``: the five seeds in the seed layout and every common variant
(``tests.layouts.truth.VARIANTS``), the first ``--rows`` rows of each list. ``random``:
``--count`` layouts and page styles drawn by ``random.Random(--seed)`` (places, titles,
headers, two-row headers, categories, category words, extra columns, split receivers, rows per
list, page size, font size, column widths, page breaks); ``--merged`` makes every category
column a merged one; ``--unbroken`` draws shorter lists and reads only layouts reportlab prints
without breaking a row (a merged run taller than a page makes it break rows and print the
header again above the broken row's first part, as no office suite does); ``--top`` prints
every cell from the top of its row (Word's default) instead of centred; ``--headless`` prints
each list's header on its first page only. Each document is
rendered to PDF (``tests/layouts/render_pdf.py``), dumped with poppler's ``pdftotext`` and read
as ``lvzhi check`` reads it.

Per reader it reports rows right (found with every field exact), fields right, and the
documents trusted while wrong (the report says trustworthy, yet a row or field differs): the
one figure that must stay 0. Needs ``pdftotext`` on the PATH.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.platypus.doctemplate import LayoutError  # noqa: E402

from lvzhi.ingest import IngestError, extract_file  # noqa: E402
from lvzhi.plugins import load_plugins  # noqa: E402
from tests.layouts.render_pdf import PdfStyle, dump, render_as  # noqa: E402
from tests.layouts.truth import (  # noqa: E402
    EXTRA_COLUMNS,
    FIELDS,
    HEADERS,
    PLACES,
    SEEDS,
    VARIANTS,
    XINJIANG,
    Layout,
    Truth,
    expected,
    score,
)

# The rendered PDFs print the middle dot as a blank (see tests/extractors/test_pdftotext.py).
_UNPRINTABLE = {"·": " "}


def printed(truth: Truth) -> Truth:
    def fix(text: str) -> str:
        for char, shown in _UNPRINTABLE.items():
            text = text.replace(char, shown)
        return text

    rows = []
    for row in truth.rows:
        fields = {name: fix(getattr(row, name)) for name in row.__slots__
                  if isinstance(getattr(row, name), str)}
        rows.append(replace(row, **fields, extra={k: fix(v) for k, v in row.extra.items()}))
    return Truth(truth.place, rows)


def random_layout(rng: random.Random, *, merged: bool, short: bool = False) -> tuple[
        Layout, PdfStyle]:
    extra = rng.sample(EXTRA_COLUMNS, rng.randint(0, 2))
    layout = Layout(
        place=rng.choice(PLACES),
        title=rng.choice(("full", "township")),
        list_words=(rng.randint(0, 3), rng.randint(0, 3), rng.randint(0, 3)),
        headers=tuple((column, rng.randint(0, 4)) for column in HEADERS),
        two_row_header=rng.random() < 0.5,
        group=rng.randint(0, 2),
        categories="merged" if merged else rng.choice(("column", "merged", "section", "none")),
        category_words=None if rng.random() < 0.4 else rng.randint(0, 10_000),
        extra=tuple((header, rng.choice((-1, 1))) for header in extra),
        receiver_split=rng.random() < 0.5,
        rows=rng.choice((6, 8, 10, 12, 16) if short else (8, 12, 20, 30, 45)),
    )
    style = PdfStyle(portrait=rng.random() < 0.4, font_size=rng.choice((8, 9, 9, 10, 10.5)),
                     name_share=rng.choice((0.6, 1.0, 1.0, 1.5)),
                     running_title=rng.random() < 0.7, new_page_per_list=rng.random() < 0.7)
    return layout, style


@dataclass
class Tally:
    documents: int = 0
    refused: int = 0  # no extraction at all
    trusted: int = 0
    rows_expected: int = 0
    rows_right: int = 0
    fields_expected: int = 0
    fields_right: int = 0
    trusted_wrong: int = 0
    split_rows: int = 0  # reportlab had to break rows (its reprinted header is no office's)
    trusted_wrong_split: int = 0  # of trusted_wrong, those with rows broken by reportlab
    unrenderable: int = 0  # reportlab could not lay the layout out at all (not counted)

    def line(self, name: str) -> str:
        return (f"{name}: {self.documents} documents ({self.refused} refused, {self.trusted} "
                f"trusted, {self.split_rows} with rows broken by reportlab (skipped with "
                "--unbroken)); rows right "
                f"{self.rows_right}/{self.rows_expected}; fields right {self.fields_right}/"
                f"{self.fields_expected}; trusted while wrong {self.trusted_wrong} "
                f"({self.trusted_wrong_split} with rows broken); {self.unrenderable} layouts "
                "reportlab could not lay out")


def rows_right(items, truth: Truth) -> int:
    found = {(item.list, item.serial): item for item in items}
    right = 0
    for row in truth.rows:
        item = found.get((row.list, row.serial))
        if item is None:
            continue
        one = score([item], Truth(truth.place, [row]))
        right += one.fields_exact == one.fields_expected
    return right


def measure(cases, mode: str, *, verbose: bool, unbroken: int = 0) -> Tally:
    """Read every case; with ``unbroken``, only cases reportlab lays out without breaking a
    row, until that many are read."""
    registry = load_plugins([])
    tally = Tally()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.txt"
        for name, seed, layout, style in cases:
            truth = expected(seed, layout)
            if unbroken and tally.documents >= unbroken:
                break
            try:
                pdf, used = render_as(truth, layout, style)
            except LayoutError:
                tally.unrenderable += 1
                continue
            if unbroken and used.split_rows:
                tally.split_rows += 1
                continue
            path.write_text(dump(pdf, layout=mode == "layout"), encoding="utf-8")
            want = printed(truth)
            tally.documents += 1
            tally.split_rows += used.split_rows and not unbroken
            tally.rows_expected += len(want.rows)
            tally.fields_expected += len(want.rows) * len(FIELDS)
            try:
                extraction = extract_file(registry, path, f"pdftotext-{mode}")
            except IngestError as exc:
                tally.refused += 1
                if verbose:
                    print(f"{name}: refused: {exc}")
                continue
            doc = extraction.document
            result = score(extraction.items, want,
                           place=(doc.prefecture, doc.county, doc.township))
            right = rows_right(extraction.items, want)
            tally.rows_right += right
            tally.fields_right += result.fields_exact
            trusted = extraction.report.trustworthy
            tally.trusted += trusted
            wrong = not result.perfect
            if trusted and wrong:
                tally.trusted_wrong += 1
                tally.trusted_wrong_split += used.split_rows
            if verbose or (trusted and wrong):
                flag = "TRUSTED WRONG" if trusted and wrong else (
                    "trusted" if trusted else "untrusted")
                print(f"{name}: {flag}: rows right {right}/{len(want.rows)}"
                      f"{' (rows broken)' if used.split_rows else ''}")
                if trusted and wrong:
                    print(f"  {layout!r}\n  {used!r}")
                    print("  " + str(result).replace("\n", "\n  "))
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("matrix", "random"))
    parser.add_argument("--mode", choices=("layout", "plain"), default="layout")
    parser.add_argument("--rows", type=int, default=25)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--merged", action="store_true")
    parser.add_argument("--start", type=int, default=0, help="skip the first draws")
    parser.add_argument("--unbroken", action="store_true",
                        help="draw shorter lists and read only layouts reportlab prints "
                        "without breaking a row (--count of them)")
    parser.add_argument("--top", action="store_true",
                        help="cells printed from the top of their rows (Word's default), "
                        "not centred")
    parser.add_argument("--headless", action="store_true",
                        help="the header printed on a list's first page only (a Word table "
                        "whose top row is not marked to repeat)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.what == "matrix":
        variants = {"seed": Layout(place=XINJIANG), **VARIANTS}
        cases = [(f"{seed[:3]} {variant}", seed, replace(layout, rows=args.rows),
                  PdfStyle(top_aligned=args.top, repeat_header=not args.headless))
                 for seed in SEEDS for variant, layout in variants.items()]
    else:
        rng = random.Random(args.seed)
        cases = []
        for number in range(args.count * (8 if args.unbroken else 1)):
            layout, style = random_layout(rng, merged=args.merged, short=args.unbroken)
            style = replace(style, top_aligned=args.top, repeat_header=not args.headless)
            seed = rng.choice(SEEDS)
            if number >= args.start:
                cases.append((f"draw {number} ({seed[:3]})", seed, layout, style))
    tally = measure(cases, args.mode, verbose=args.verbose,
                    unbroken=args.count if args.unbroken else 0)
    print(tally.line(f"pdftotext-{args.mode}"))


if __name__ == "__main__":
    main()
